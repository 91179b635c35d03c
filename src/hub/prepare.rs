//! Checking a submission before it reaches the writer: the canonical content hash (for replay and
//! conflict), the campaign, the kiosk's labels and the hub's own validation with the same code the
//! kiosk ran (`form::validate`), and the normalised person key for the duplicate check.
//!
//! Pure work, no SQLite: it runs on a blocking thread of the request, in parallel with others.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::form::{self, Campaign, Context};
use crate::protocol::Submission;
use crate::thai::{Bilingual, Lang};

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
    /// `(field, reason)` when the hub rejects it.
    pub rejection: Option<(String, String)>,
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

/// Hashes the content, validates the registration against `campaign` and finds its person key.
#[must_use]
pub fn prepare(campaign: &Campaign, ctx: Context, s: Submission) -> Prepared {
    let registration_json = serde_json::to_string(&s.registration).unwrap_or_default();
    let content_hash = content_hash(&registration_json, s.replaces, &s.reference);
    let mut person_key = s.registration.person_key();
    let rejection = if s.registration.campaign_id != campaign.id {
        Some(reject(
            "campaign_id",
            &format!("This hub takes campaign {} only", campaign.id),
        ))
    } else if bad_label(&s.reference, 64) {
        Some(reject(
            "reference",
            "A reference is 1 to 64 printable characters",
        ))
    } else if bad_label(&s.operator, 100) {
        Some(reject(
            "operator",
            "An operator is 1 to 100 printable characters",
        ))
    } else {
        let checked = form::validate(campaign, &s.registration.to_input(), ctx);
        match (checked.errors.first(), checked.registration) {
            (None, Some(reg)) => {
                person_key = reg.person_key();
                None
            }
            (Some(e), _) => Some(reject(e.field.as_str(), &e.problem.say(Lang::En))),
            (None, None) => Some(reject("registration", "Not a valid registration")),
        }
    };
    Prepared {
        submission_id: s.submission_id,
        reference: s.reference,
        operator: s.operator,
        created_at: s.created_at,
        replaces: s.replaces,
        campaign_id: s.registration.campaign_id,
        content_hash,
        person_key,
        target_group: s.registration.target_group,
        registration_json,
        rejection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_of_the_canonical_json_of_the_tuple() {
        use crate::form::tests::{campaign, ctx, good};
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
