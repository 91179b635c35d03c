//! Checking a submission before it reaches the writer: the canonical content hash (for replay and
//! conflict), the campaign, the kiosk's labels and the hub's own validation with the same code the
//! kiosk ran (`form::validate`), and the normalised person key for the duplicate check.
//!
//! What is stored is what was checked: an accepted submission's registration is the validated,
//! normalised one (ASCII digits, no dashes, no invisible characters), never the bytes sent. A
//! rejected one keeps only a bounded copy with controls made visible ([`REJECTED_COPY_BYTES`]),
//! beside the reasons the kiosk needs to correct it.
//!
//! Pure work, no SQLite: it runs on a blocking thread of the request, in parallel with others.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::versions::{Checked, Versions};
use crate::core::form::{self, Context, Registration};
use crate::core::protocol::{NOT_THIS_KIOSK_NAME, Submission};
use crate::core::thai::{Bilingual, Lang};
use crate::hub::places::kiosks::Caller;

/// A submission checked by the handler, ready for the writer.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub submission_id: Uuid,
    pub reference: String,
    pub operator: String,
    pub created_at: i64,
    pub replaces: Option<Uuid>,
    pub campaign_id: String,
    pub content_hash: [u8; 32],
    pub person_key: String,
    pub target_group: u8,
    pub registration_json: String,
    /// The address's amphoe and tambon, for the appointment (`sites::allocate`).
    pub amphoe: String,
    pub tambon: String,
    /// `(field, reason)` when the hub rejects it.
    pub rejection: Option<(String, String)>,
    /// The record's form version when it is not one this hub published (stored and flagged).
    pub unpublished_version: Option<u32>,
    /// The provisional prefix its reference was made under (a kiosk saving before it had a
    /// name): the writer binds it to the sending kiosk, or refuses it as another kiosk's.
    pub claim: Option<String>,
}

/// 2020-01-01T00:00:00Z: no kiosk saved a record before it.
const EARLIEST_CREATED_AT: i64 = 1_577_836_800_000;
/// How far ahead of the hub's clock a kiosk's clock may run.
const CLOCK_AHEAD_MS: i64 = 86_400_000;

/// At most this much of a rejected registration is kept, for the person correcting it.
pub const REJECTED_COPY_BYTES: usize = 2048;

/// What a rejected registration leaves in the store: the sent JSON with controls and bidi
/// characters made harmless, cut to [`REJECTED_COPY_BYTES`] at a character boundary.
fn rejected_copy(sent_json: &str) -> String {
    let mut copy = crate::core::thai::width::sanitize_for_display(sent_json);
    if copy.len() > REJECTED_COPY_BYTES {
        let mut cut = REJECTED_COPY_BYTES - '…'.len_utf8();
        while !copy.is_char_boundary(cut) {
            cut -= 1;
        }
        copy.truncate(cut);
        copy.push('…');
    }
    copy
}

fn reject(field: &str, reason: &str) -> (String, String) {
    (field.to_owned(), reason.to_owned())
}

fn bad_label(s: &str, max: usize) -> bool {
    s.is_empty() || s.chars().count() > max || s.chars().any(char::is_control)
}

/// SHA-256 of the canonical JSON of `(registration, replaces, reference)`: the bytes
/// `serde_json` writes for that tuple (field order is fixed by the structs, so it is canonical for
/// one protocol version), built around the registration's JSON the writer stores anyway.
fn content_hash(registration_json: &str, replaces: Option<Uuid>, reference: &str) -> [u8; 32] {
    let tail = serde_json::to_string(&(replaces, reference)).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(b"[");
    h.update(registration_json.as_bytes());
    h.update(b",");
    // `tail` is `[replaces,reference]`: its own brackets are dropped.
    h.update(&tail.as_bytes()[1..]);
    h.finalize().into()
}

/// Whether `reference` was made by `kiosk`: it starts with the prefix the kiosk makes from its
/// name and a `-` (so a reference is unique province-wide: kiosks are refused a prefix another
/// has), or with a provisional prefix (`Ok(Some(prefix))`, for the writer to bind). Otherwise
/// the refusal, under [`NOT_THIS_KIOSK_NAME`], naming the name to set.
fn made_by(kiosk: &Caller, reference: &str) -> Result<Option<String>, (String, String)> {
    if reference
        .strip_prefix(kiosk.prefix.as_str())
        .is_some_and(|rest| rest.starts_with('-'))
    {
        return Ok(None);
    }
    if let Some(p) = crate::core::refcode::prefix_in(reference)
        .filter(|p| crate::core::refcode::is_provisional(p))
    {
        return Ok(Some(p.to_owned()));
    }
    let name = &kiosk.name;
    let prefix = &kiosk.prefix;
    Err(reject(
        NOT_THIS_KIOSK_NAME,
        &format!(
            "This kiosk is {name} at the hub, so its receipt references start with {prefix}-, and {reference} does not: set kiosk_id = \"{name}\" in the kiosk's config.toml; the kiosk keeps this record and sends it again as it is"
        ),
    ))
}

/// Hashes the content, validates the registration (`registration`, sent in clear or opened by
/// `open`) against the version of the campaign it was made with (of `versions`) and finds its
/// person key. `kiosk` is the caller: the reference must be one it made ([`made_by`]).
#[must_use]
pub fn prepare(
    versions: &Versions,
    ctx: Context,
    now_ms: i64,
    kiosk: &Caller,
    s: Submission,
    registration: Registration,
) -> Prepared {
    let sent_json = serde_json::to_string(&registration).unwrap_or_default();
    // The hash is of what was sent, so the same submission sent again is a replay.
    let content_hash = content_hash(&sent_json, s.replaces, &s.reference);
    let mut person_key = registration.person_key();
    let mut checked_json = None;
    let made_by = made_by(kiosk, &s.reference);
    let Checked {
        campaign,
        unpublished,
    } = versions.for_record(registration.form_version);
    let rejection = if registration.campaign_id != campaign.id {
        Some(reject(
            "campaign_id",
            &format!("This hub takes campaign {} only", campaign.id),
        ))
    } else if bad_label(&s.reference, 64) {
        Some(reject(
            "reference",
            "A reference is 1 to 64 printable characters",
        ))
    } else if let Err(refusal) = &made_by {
        Some(refusal.clone())
    } else if !(EARLIEST_CREATED_AT..=now_ms + CLOCK_AHEAD_MS).contains(&s.created_at) {
        Some(reject(
            "created_at",
            "The kiosk's clock is wrong: a record cannot be saved before 2020 or more than a day ahead of the hub; set the kiosk's date and time",
        ))
    } else if bad_label(&s.operator, 100) {
        Some(reject(
            "operator",
            "An operator is 1 to 100 printable characters",
        ))
    } else {
        let checked = form::validate(campaign, &registration.to_input(), ctx);
        match (checked.errors.first(), checked.registration) {
            (None, Some(reg)) => {
                person_key = reg.person_key();
                checked_json = serde_json::to_string(&reg).ok();
                None
            }
            (Some(e), _) => Some(reject(e.field.as_str(), &e.problem.say(Lang::En))),
            (None, None) => Some(reject("registration", "Not a valid registration")),
        }
    };
    let registration_json = match (&rejection, checked_json) {
        (None, Some(json)) => json,
        _ => rejected_copy(&sent_json),
    };
    Prepared {
        submission_id: s.submission_id,
        reference: s.reference,
        operator: s.operator,
        created_at: s.created_at,
        replaces: s.replaces,
        campaign_id: registration.campaign_id,
        content_hash,
        person_key,
        target_group: registration.target_group,
        registration_json,
        amphoe: registration.address.amphoe,
        tambon: registration.address.tambon,
        rejection,
        claim: made_by.ok().flatten(),
        unpublished_version: unpublished.then_some(registration.form_version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_copy_is_bounded_and_harmless() {
        let sent = format!("{{\"note\":\"\u{1b}]0;x\u{7}{}\"}}", "ก".repeat(10_000));
        let copy = rejected_copy(&sent);
        assert!(copy.len() <= REJECTED_COPY_BYTES, "{}", copy.len());
        assert!(copy.ends_with('…'));
        assert!(!copy.chars().any(char::is_control), "{copy:?}");
        assert_eq!(rejected_copy("{\"a\":1}"), "{\"a\":1}");
    }

    #[test]
    fn the_hash_is_of_the_canonical_json_of_the_tuple() {
        use crate::core::form::tests::{campaign, ctx, good};
        let reg = form::validate(&campaign(), &good(), ctx())
            .registration
            .unwrap();
        let json = serde_json::to_string(&reg).unwrap();
        for replaces in [None, Some(Uuid::now_v7())] {
            for reference in ["SK01-0001-X", "a \"quoted\" ref, with [brackets]"] {
                let whole = serde_json::to_string(&(&reg, &replaces, &reference)).unwrap();
                let expected: [u8; 32] = Sha256::digest(whole.as_bytes()).into();
                assert_eq!(content_hash(&json, replaces, reference), expected);
            }
        }
    }
}
