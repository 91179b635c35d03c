//! Opening a batch's sealed registrations before they are checked: each item's `sealed` copy is
//! opened with the hub's key it names ([`crate::hub::keys::HubKeys`]) and the prefix of its reference
//! (held to the sending kiosk's by `prepare`) and the submission id as associated data, so a sealed registration cannot be swapped into another
//! record or replayed by another kiosk. An item that cannot be opened is answered `rejected`
//! with the reason, on its own: the rest of the batch goes on, and nothing of it is stored (a
//! kiosk's correction of it is then a new submission, not a conflict).
//!
//! Pure work beside `prepare`, on the request's blocking thread.

use crate::core::form::Registration;
use crate::core::protocol::{ItemOutcome, Outcome, Submission};
use crate::hub::keys::HubKeys;

/// What became of one item: opened (or sent in clear), or answered at once.
#[allow(clippy::large_enum_variant)] // made and taken at once, one item at a time, never stored
pub enum Opened {
    Ready(Submission, Registration),
    Refused(ItemOutcome),
}

fn refused(s: &Submission, field: &str, reason: String) -> Opened {
    Opened::Refused(ItemOutcome {
        submission_id: s.submission_id,
        outcome: Outcome::Rejected {
            field: field.to_owned(),
            reason,
        },
        appointment: None,
    })
}

/// Opens `s`, sent by the kiosk called `kiosk` at the hub.
pub fn open(keys: &HubKeys, kiosk: &str, mut s: Submission) -> Opened {
    match (s.registration.take(), s.sealed.take()) {
        (Some(reg), None) => Opened::Ready(s, reg),
        (None, Some(sealed)) => {
            // Sealed with its reference's prefix (which `prepare` then holds to this kiosk's);
            // a kiosk from before that sealed with its name as written.
            let prefix = crate::core::refcode::prefix_in(&s.reference).unwrap_or(kiosk);
            let aad = crate::core::seal::registration_aad(prefix, &s.submission_id);
            let opened = keys
                .open(&sealed.key_id, &aad, &sealed.data)
                .or_else(|why| {
                    let old = crate::core::seal::registration_aad(kiosk, &s.submission_id);
                    if prefix == kiosk {
                        Err(why)
                    } else {
                        keys.open(&sealed.key_id, &old, &sealed.data)
                    }
                });
            match opened {
                Ok(json) => match serde_json::from_slice::<Registration>(&json) {
                    Ok(reg) => Opened::Ready(s, reg),
                    Err(e) => refused(
                        &s,
                        "sealed",
                        format!("the sealed registration opened but is not a registration: {e}"),
                    ),
                },
                Err(why) => refused(&s, "sealed", why),
            }
        }
        (Some(_), Some(_)) => refused(
            &s,
            "registration",
            "send the registration or its sealed copy, not both".into(),
        ),
        (None, None) => refused(
            &s,
            "registration",
            "the submission holds no registration (neither `registration` nor `sealed`)".into(),
        ),
    }
}

/// The batch's answers in the order sent: the writer's, in order, with the refused ones put back
/// at their places.
#[must_use]
pub fn merge(written: Vec<ItemOutcome>, refused: Vec<(usize, ItemOutcome)>) -> Vec<ItemOutcome> {
    let mut out = Vec::with_capacity(written.len() + refused.len());
    let mut written = written.into_iter();
    for (at, answer) in refused {
        while out.len() < at {
            match written.next() {
                Some(w) => out.push(w),
                None => break,
            }
        }
        out.push(answer);
    }
    out.extend(written);
    out
}
