//! Data out of the hub: every registration with its normalised fields, the hub's reference, its
//! state and waiting-list position, the kiosk and registration point that took it, and the
//! times, and the appointment (site, day, slot, dose recorded; never the security code), and the
//! answers to the campaigns' own questions. `hub export` writes them to a file (`write`, a column
//! per question); `GET /v1/registrations` pages through the same entries as JSON, each with its
//! `form_version` and its `answers` by key ([`Entry::json`]).
//!
//! Both read [`page`]s in the order of `row_seq`, a number every submission row takes from a
//! counter under the store's write lock (`migrations/hub/0004_row_seq.sql`): a row written while
//! a reader pages always comes after every row already there, so a cursor on it neither skips nor
//! repeats a row however many arrive meanwhile, on SQLite and on PostgreSQL with several hub
//! processes. A page is one bounded query, so an export of a million rows holds one page.
//!
//! A row's state is read when its page is read: a person moved from the waiting list after the
//! cursor passed them is exported as they were (`changed_at` says when a state last changed;
//! `GET /v1/outcomes` and a second export see the new one).

use crate::core::form::{FieldKey, Registration};
use crate::core::protocol::iso_time;
use crate::core::thai::width::sanitize_for_display;

/// The states an export can be filtered by. A `superseded` row was replaced by a kiosk's
/// correction (its place and person went to the correction).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum State {
    Accepted,
    Waitlisted,
    Duplicate,
    Rejected,
    Cancelled,
    Superseded,
}

impl State {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Waitlisted => "waitlisted",
            Self::Duplicate => "duplicate",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
            Self::Superseded => "superseded",
        }
    }
}

/// Which rows: every filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub state: Option<State>,
    pub group: Option<u8>,
    /// The kiosk's name at the hub.
    pub kiosk: Option<String>,
    /// Received by the hub at or after this time (Unix milliseconds).
    pub since_ms: Option<i64>,
}

/// The columns after the form's own (which are [`FieldKey::ALL`], as the import reads them);
/// a file export adds one per campaign question after them ([`header_with`]).
pub const HUB_COLUMNS: [&str; 18] = [
    "submission_id",
    "reference",
    "hub_reference",
    "state",
    "waitlist_position",
    "kiosk",
    "registration_point",
    "operator",
    "created_at",
    "received_at",
    "changed_at",
    "detail",
    "replaces",
    "superseded_by",
    "site_id",
    "appointment_date",
    "appointment_slot",
    "vaccinated_at",
];

/// Every column, in order.
#[must_use]
pub fn header() -> Vec<&'static str> {
    FieldKey::ALL
        .iter()
        .map(|k| k.as_str())
        .chain(HUB_COLUMNS)
        .collect()
}

/// Every column with the campaigns' `questions` after the hub's (a file export's header).
#[must_use]
pub fn header_with(questions: &[&'static str]) -> Vec<&'static str> {
    let mut h = header();
    h.extend(questions);
    h
}

/// One exported registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The cursor: the row's place in commit order.
    pub row_seq: i64,
    /// The normalised registration; `None` for a rejected row whose copy was purged or is not
    /// a registration.
    pub registration: Option<Registration>,
    pub submission_id: String,
    /// The kiosk's receipt reference.
    pub reference: String,
    /// `RJ-…`, for a registered person (accepted, waitlisted, cancelled).
    pub hub_reference: Option<String>,
    pub state: &'static str,
    pub waitlist_position: Option<i64>,
    pub kiosk: String,
    pub registration_point: String,
    pub operator: String,
    /// Unix milliseconds: saved at the kiosk, received by the hub, last change of outcome.
    pub created_at: i64,
    pub received_at: i64,
    pub changed_at: Option<i64>,
    /// Why: a rejection's field and reason, a duplicate's first registration, a cancellation's
    /// reason.
    pub detail: String,
    pub replaces: Option<String>,
    pub superseded_by: Option<String>,
    /// The appointment (not a cancelled one): where, the day (ISO), the slot, when the dose
    /// was recorded (Unix milliseconds). Never its security code.
    pub site_id: Option<String>,
    pub appointment_date: Option<String>,
    pub appointment_slot: Option<String>,
    pub vaccinated_at: Option<i64>,
}

/// `cells` (in [`header`] order) as one JSON object, column → text.
#[must_use]
pub fn object(cells: Vec<String>) -> serde_json::Value {
    serde_json::Value::Object(
        header()
            .into_iter()
            .zip(cells)
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v)))
            .collect(),
    )
}

impl Entry {
    /// The row as safe cells in [`header`] order: no control characters, escape sequences or
    /// bidi overrides reach a file or a JSON consumer raw.
    #[must_use]
    pub fn cells(&self) -> Vec<String> {
        let mut out = self.registration.as_ref().map_or_else(
            || vec![String::new(); FieldKey::ALL.len()],
            Registration::cells,
        );
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        out.extend([
            self.submission_id.clone(),
            self.reference.clone(),
            opt(&self.hub_reference),
            self.state.to_owned(),
            self.waitlist_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            self.kiosk.clone(),
            self.registration_point.clone(),
            self.operator.clone(),
            iso_time(self.created_at),
            iso_time(self.received_at),
            self.changed_at.map(iso_time).unwrap_or_default(),
            self.detail.clone(),
            opt(&self.replaces),
            opt(&self.superseded_by),
            opt(&self.site_id),
            opt(&self.appointment_date),
            opt(&self.appointment_slot),
            self.vaccinated_at.map(iso_time).unwrap_or_default(),
        ]);
        out.iter().map(|c| sanitize_for_display(c)).collect()
    }

    /// [`cells`](Self::cells) then the answer to each of `questions` (in
    /// [`header_with`] order), made safe alike.
    #[must_use]
    pub fn cells_with(&self, questions: &[&str]) -> Vec<String> {
        let mut out = self.cells();
        out.extend(
            questions.iter().map(|q| {
                sanitize_for_display(self.registration.as_ref().map_or("", |r| r.answer(q)))
            }),
        );
        out
    }

    /// The row as one JSON object, column → text, then the record's `form_version` (a number,
    /// `null` when the row holds no registration) and its `answers` by question key (made safe
    /// alike; `{}` when none): an item of `GET /v1/registrations`.
    #[must_use]
    pub fn json(&self) -> serde_json::Value {
        let mut item = object(self.cells());
        let answers: serde_json::Map<String, serde_json::Value> = self
            .registration
            .iter()
            .flat_map(|r| &r.answers)
            .map(|(k, v)| (k.clone(), sanitize_for_display(v).into()))
            .collect();
        if let serde_json::Value::Object(o) = &mut item {
            o.insert(
                "form_version".into(),
                self.registration
                    .as_ref()
                    .map_or(serde_json::Value::Null, |r| r.form_version.into()),
            );
            o.insert("answers".into(), answers.into());
        }
        item
    }
}

/// What `--since` / `?since=` was given, when it is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: give YYYY-MM-DD (2026-12-01 or 2569-12-01) or an RFC 3339 time")]
pub struct NotADate(pub String);

/// `--since` / `?since=`: a date (`2026-12-01`, in Thailand's time; a year above 2400 is the
/// Buddhist era, `2569-12-01`) or an RFC 3339 instant; Unix milliseconds.
pub fn parse_since(text: &str) -> Result<i64, NotADate> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    let bad = || NotADate(text.to_owned());
    let mut date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad())?;
    if chrono::Datelike::year(&date) > 2400 {
        date = chrono::Datelike::with_year(&date, chrono::Datelike::year(&date) - 543)
            .ok_or_else(bad)?;
    }
    let offset =
        i32::try_from(crate::hub::reports::stats::THAILAND_OFFSET_SECS).unwrap_or(7 * 3600);
    let thailand = chrono::FixedOffset::east_opt(offset).ok_or_else(bad)?;
    date.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(thailand).single())
        .map(|t| t.timestamp_millis())
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_in_either_era_and_instants() {
        let ce = parse_since("2026-12-01").unwrap();
        assert_eq!(ce, parse_since("2569-12-01").unwrap());
        assert_eq!(ce, parse_since("2026-11-30T17:00:00Z").unwrap());
        assert_eq!(iso_time(ce), "2026-11-30T17:00:00Z");
        let e = parse_since("1/12/2026").unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn every_column_after_the_form_s_is_a_name_no_question_may_take() {
        let ours: Vec<&str> = header()
            .into_iter()
            .filter(|c| FieldKey::parse(c).is_none())
            .collect();
        assert_eq!(ours, HUB_COLUMNS);
        for c in ours {
            assert!(
                crate::core::form::reserved::is_reserved(c),
                "{c} is not in core::form::reserved::RESERVED_KEYS"
            );
        }
    }

    fn entry(registration: Option<Registration>) -> Entry {
        Entry {
            row_seq: 1,
            registration,
            submission_id: "s".into(),
            reference: "SK01-0001".into(),
            hub_reference: None,
            state: "accepted",
            waitlist_position: None,
            kiosk: "SK01".into(),
            registration_point: "P".into(),
            operator: "op".into(),
            created_at: 0,
            received_at: 0,
            changed_at: None,
            detail: String::new(),
            replaces: None,
            superseded_by: None,
            site_id: None,
            appointment_date: None,
            appointment_slot: None,
            vaccinated_at: None,
        }
    }

    #[test]
    fn an_api_item_carries_the_form_version_and_the_answers_made_safe() {
        let none = entry(None).json();
        assert_eq!(none["answers"], serde_json::json!({}));
        assert_eq!(none["form_version"], serde_json::Value::Null);
        assert_eq!(none["reference"], "SK01-0001");
        let c = crate::core::form::tests::campaign();
        let mut r = crate::core::form::validate(
            &c,
            &crate::core::form::tests::good(),
            crate::core::form::tests::ctx(),
        )
        .registration
        .unwrap();
        r.form_version = 3;
        r.answers
            .insert("damage".into(), "total\u{1b}[2J\u{202e}".into());
        let item = entry(Some(r)).json();
        assert_eq!(item["form_version"], 3);
        let damage = item["answers"]["damage"].as_str().unwrap();
        assert!(damage.starts_with("total"), "{damage:?}");
        assert!(!damage.contains(['\u{1b}', '\u{202e}']), "{damage:?}");
    }

    #[test]
    fn the_header_has_the_import_s_columns_first() {
        let h = header();
        assert_eq!(h[0], "id_type");
        assert_eq!(h.len(), FieldKey::ALL.len() + HUB_COLUMNS.len());
        let mut seen = std::collections::HashSet::new();
        assert!(h.iter().all(|c| seen.insert(*c)), "a column twice: {h:?}");
    }
}
