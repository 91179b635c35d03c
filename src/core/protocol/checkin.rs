//! Check-in at a vaccination site (issue 33, part 4): the lists a kiosk enrolled for a site
//! downloads (`GET /v1/site/list`) to work offline, and the doses it records there and sends back
//! (`POST /v1/doses`), queued durably at the kiosk and recorded exactly once at the hub.
//!
//! A kiosk learns that it is a site's kiosk from [`super::CampaignStatus::site_id`] (set by
//! `hub add-kiosk NAME --site ID`). The list covers the site's coming days; everyone else with an
//! appointment anywhere is listed without personal details, so a person who came to the wrong
//! site or on the wrong day is told where and when to go, and one already vaccinated is refused
//! with when and where, all offline. ID numbers are never listed: each entry carries the keyed
//! hash ([`person_hash`]) of its [`crate::core::form::person_key`] under a key made for that one
//! list, so a typed ID number is found without the list holding any.

use serde::{Deserialize, Serialize};

use super::Appointment;

/// How many coming days a site's list covers when the kiosk does not ask (`?days=N`, at most
/// [`MAX_LIST_DAYS`]): today and the two days after.
pub const DEFAULT_LIST_DAYS: u32 = 3;
/// The most days one list may cover.
pub const MAX_LIST_DAYS: u32 = 14;
/// The most doses in one `POST /v1/doses`.
pub const MAX_DOSES: usize = 500;

/// `GET /v1/site/list?days=N` answer, for a kiosk enrolled for a site (`404 not_a_site_kiosk`
/// for any other kiosk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteList {
    pub site_id: String,
    pub site_name_th: String,
    pub site_name_en: String,
    /// When the hub made the list (Unix ms).
    pub generated_at: i64,
    /// The days covered, ISO `YYYY-MM-DD`, first and last included (today at the hub first).
    pub first_day: String,
    pub last_day: String,
    /// The key of every entry's `person_hash` (base64 of 32 random bytes), new for each list.
    pub person_hash_key: String,
    /// The site's own people on those days, booked or already vaccinated, with what the clerk
    /// checks and the security code.
    pub people: Vec<ListedPerson>,
    /// Everyone else holding an appointment (booked or vaccinated, at any site, on any day: this
    /// site's other days too), without personal details or code.
    pub elsewhere: Vec<ListedElsewhere>,
}

/// One person on the site's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedPerson {
    /// The receipt's reference (`SK01-00A7-Q`), what its QR code holds.
    pub reference: String,
    /// [`person_hash`] of the person's `person_key` under the list's key.
    pub person_hash: String,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    /// The last four characters of the ID number, for the clerk to compare with the card.
    pub id_tail: String,
    /// Birth date as the form stores it (`DD/MM/YYYY` BE), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    pub target_group: u8,
    /// Where and when, with its `security_code`.
    pub appointment: Appointment,
}

/// One person on another site's or day's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedElsewhere {
    pub reference: String,
    pub person_hash: String,
    /// Where and when (no `security_code`); `vaccinated` with `vaccinated_at` once dosed.
    pub appointment: Appointment,
}

/// One dose recorded at a site's kiosk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// Made by the kiosk when it records the dose (UUID v4): the hub records each once, and a
    /// dose sent again is answered as the first time.
    pub dose_id: String,
    /// The receipt's reference of the person dosed.
    pub reference: String,
    /// The site the kiosk is enrolled for.
    pub site_id: String,
    /// The security code the person gave (the hub checks it again).
    pub security_code: String,
    /// The vaccine lot, from the day's setting at the kiosk.
    pub lot: String,
    /// Which dose of the person's course (1 for a first dose).
    pub dose_number: u8,
    /// When it was given (Unix ms, the kiosk's clock).
    pub given_at: i64,
    /// Who recorded it (the operator's name at the kiosk).
    pub operator: String,
}

/// `POST /v1/doses` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoseBatch {
    pub doses: Vec<Dose>,
}

/// What the hub made of one dose. Every answer is final: the kiosk marks the dose sent and keeps
/// the answer to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseResult {
    pub dose_id: String,
    /// One of [`dose_status`].
    pub status: String,
    /// A sentence for the clerk or the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The person's appointment after it (`vaccinated` when recorded, or the dose that was
    /// recorded first, with its time and site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<Appointment>,
}

/// `POST /v1/doses` answer, one result per dose in the batch's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoseResponse {
    pub results: Vec<DoseResult>,
}

/// The statuses of a [`DoseResult`].
pub mod dose_status {
    /// Recorded now, or the same `dose_id` recorded before (a replay).
    pub const RECORDED: &str = "recorded";
    /// The person was already vaccinated by another dose (another kiosk, offline too).
    pub const ALREADY_VACCINATED: &str = "already_vaccinated";
    /// The security code does not match the appointment's.
    pub const WRONG_CODE: &str = "wrong_code";
    /// The appointment is at another site than the kiosk's.
    pub const OTHER_SITE: &str = "other_site";
    /// No live registration has this reference, or its appointment was cancelled.
    pub const UNKNOWN: &str = "unknown";
}

/// The keyed hash that stands for a person in a site's list: HMAC-SHA-256 of the
/// `person_key` (`ID:` + 13 digits, `P:` + passport) under the list's key, in hex.
#[must_use]
pub fn person_hash(key: &[u8; 32], person_key: &str) -> String {
    crate::core::seal::keyed_hash(key, person_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_hash_depends_on_the_lists_key_and_the_person() {
        let a = person_hash(&[1; 32], "ID:1101700203451");
        assert_eq!(a, person_hash(&[1; 32], "ID:1101700203451"));
        assert_ne!(a, person_hash(&[2; 32], "ID:1101700203451"));
        assert_ne!(a, person_hash(&[1; 32], "ID:1101700203452"));
    }

    #[test]
    fn a_dose_batch_with_a_field_it_does_not_know_is_refused() {
        let text = r#"{"doses":[],"extra":1}"#;
        assert!(serde_json::from_str::<DoseBatch>(text).is_err());
        assert!(serde_json::from_str::<DoseBatch>(r#"{"doses":[]}"#).is_ok());
    }
}
