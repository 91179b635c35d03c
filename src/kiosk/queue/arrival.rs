//! A person arriving at the site, looked up in its list (issue 33, part 4): what the clerk typed
//! or the scanner typed (the receipt's QR holds its reference), as a reference (forgiving: lower
//! case, missing dashes, O for 0), an ID number (its keyed hash under the list's key) or a
//! passport number, and what the kiosk makes of it ([`Finding`]): here today, on another day
//! here, at another site, already vaccinated (on the list, or by a dose recorded here), on no
//! list, or no list at all yet. Only `Here` opens the person's details, so only it needs the
//! shift open.

use rusqlite::params;

use super::site_list::{Kept, canonical_reference, today_iso};
use super::{Queue, QueueError};
use crate::core::form::person_key;
use crate::core::protocol::{Appointment, ListedPerson, appointment_state, person_hash};
use crate::core::thai::date::iso_to_be_or_as_is;
use crate::core::thai::national_id::{IdType, parse_id};

/// What the kiosk makes of a person arriving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// No list has been downloaded yet.
    NoList,
    /// On no list the kiosk holds.
    NotFound,
    /// On this site's list for today, booked: the person's details and appointment (with its
    /// security code).
    Here(Box<ListedPerson>),
    /// Booked at this site on another day (this appointment).
    OtherDay(Appointment),
    /// Booked at another site (this appointment).
    OtherSite(Appointment),
    /// Already vaccinated (when and where: `vaccinated_at`, the site).
    Vaccinated(Appointment),
}

impl Finding {
    /// What the kiosk found, in words a clerk can act on (English; the screen has its own).
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Finding::NoList => {
                "no list has been downloaded for this site yet (`ruamjai flush`)".into()
            }
            Finding::NotFound => "not on this site's list nor on any other".into(),
            Finding::Here(p) => format!(
                "{}{} {}, booked here today{}",
                p.title,
                p.first_name,
                p.last_name,
                slot(&p.appointment)
            ),
            Finding::OtherDay(a) => {
                format!(
                    "booked here on another day: {}{}",
                    iso_to_be_or_as_is(&a.date),
                    slot(a)
                )
            }
            Finding::OtherSite(a) => format!(
                "booked at another site: {} ({}) on {}{}",
                a.site_name_en,
                a.site_name_th,
                iso_to_be_or_as_is(&a.date),
                slot(a)
            ),
            Finding::Vaccinated(a) => format!(
                "already vaccinated on {} at {} ({})",
                vaccinated_when(a),
                a.site_name_en,
                a.site_name_th
            ),
        }
    }
}

/// `, 09:00-12:00` for an appointment with a slot.
fn slot(a: &Appointment) -> String {
    a.slot
        .as_deref()
        .map_or_else(String::new, |s| format!(", {s}"))
}

/// When a vaccinated appointment's dose was given: `DD/MM/YYYY HH:MM` (Thailand), or its day.
#[must_use]
pub fn vaccinated_when(a: &Appointment) -> String {
    match a.vaccinated_at {
        Some(ms) => {
            let time = chrono::DateTime::from_timestamp_millis(ms + 7 * 3_600_000)
                .map(|t| t.format(" %H:%M").to_string())
                .unwrap_or_default();
            format!("{}{time}", iso_to_be_or_as_is(&today_iso(ms)))
        }
        None => iso_to_be_or_as_is(&a.date),
    }
}

/// One entry of the list as looked up.
struct Row {
    reference: String,
    here: bool,
    appointment: Appointment,
    details: Option<Vec<u8>>,
}

const ROW_COLUMNS: &str = "reference, here, site_id, site_name_th, site_name_en, day, slot, state, vaccinated_at, details";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        reference: r.get("reference")?,
        here: r.get("here")?,
        appointment: Appointment {
            site_id: r.get("site_id")?,
            site_name_th: r.get("site_name_th")?,
            site_name_en: r.get("site_name_en")?,
            date: r.get("day")?,
            slot: r.get("slot")?,
            security_code: None,
            state: r.get("state")?,
            vaccinated_at: r.get("vaccinated_at")?,
        },
        details: r.get("details")?,
    })
}

/// The person keys a typed query may stand for: an ID number (13 digits, dashes and spaces
/// allowed), else a passport number.
fn person_keys(query: &str) -> Vec<String> {
    let digits: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let mut keys = Vec::new();
    if digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()) {
        keys.push(person_key(IdType::ThaiId, &digits));
    }
    if let Ok(passport) = parse_id(query, IdType::Passport) {
        keys.push(person_key(IdType::Passport, &passport));
    }
    keys
}

impl Queue {
    /// Looks up `query` (trimmed: a reference, an ID number or a passport number) in the site's
    /// list on `today_iso`. `Here` opens the person's details, so it needs the shift open
    /// ([`QueueError::ShiftClosed`] otherwise); the other findings need no PIN.
    pub fn find_arrival(&mut self, query: &str, today_iso: &str) -> Result<Finding, QueueError> {
        let Some(kept) = self.kept_list()? else {
            return Ok(Finding::NoList);
        };
        let query = query.trim();
        if query.is_empty() {
            return Ok(Finding::NotFound);
        }
        let mut rows = self.rows_where("reference = ?1", &canonical_reference(query))?;
        if rows.is_empty()
            && let Some(key) = kept.hash_key()
        {
            for person in person_keys(query) {
                rows = self.rows_where("person_hash = ?1", &person_hash(&key, &person))?;
                if !rows.is_empty() {
                    break;
                }
            }
        }
        let mut best: Option<(u8, Finding)> = None;
        for row in rows {
            let Some(found) = self.judge(row, &kept, today_iso)? else {
                continue;
            };
            let rank = match found {
                Finding::Vaccinated(_) => 4,
                Finding::Here(_) => 3,
                Finding::OtherDay(_) => 2,
                _ => 1,
            };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, found));
            }
        }
        Ok(best.map_or(Finding::NotFound, |(_, f)| f))
    }

    /// The list's entries matching `condition` on `value`.
    fn rows_where(&self, condition: &str, value: &str) -> Result<Vec<Row>, QueueError> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM site_list WHERE {condition}");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![value], read_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// What one entry means today; `None` for one that holds no appointment any more.
    fn judge(&self, row: Row, kept: &Kept, today_iso: &str) -> Result<Option<Finding>, QueueError> {
        let Row {
            reference,
            here,
            mut appointment,
            details,
        } = row;
        if let Some(given_at) = self.dose_given_at(&reference)? {
            appointment.state = appointment_state::VACCINATED.into();
            appointment.vaccinated_at = appointment.vaccinated_at.or(Some(given_at));
        }
        Ok(Some(match appointment.state.as_str() {
            appointment_state::VACCINATED => Finding::Vaccinated(appointment),
            appointment_state::BOOKED => {
                if appointment.site_id != kept.site_id {
                    Finding::OtherSite(appointment)
                } else if appointment.date != today_iso || !here {
                    Finding::OtherDay(appointment)
                } else {
                    let details = details.ok_or_else(|| {
                        QueueError::BadList(format!("the entry {reference} has no details"))
                    })?;
                    Finding::Here(Box::new(self.listed_person(&reference, &details)?))
                }
            }
            _ => return Ok(None),
        }))
    }
}
