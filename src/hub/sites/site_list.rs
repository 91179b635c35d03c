//! A site's list for its check-in kiosks (`GET /v1/site/list`, issue 33 part 4): the site's own
//! people on its coming days, with what the clerk checks (names, the ID number's last four, the
//! birth date, the group) and the security code; and everyone else holding an appointment, at
//! any site on any day, by reference and keyed hash alone, so a person at the wrong site or on
//! the wrong day is told where and when, and one already vaccinated is refused, offline.
//!
//! ID numbers never leave: each entry's `person_hash` is the keyed hash of its `person_key`
//! under a key made for this one list. Everything is read by one statement, so the list is one
//! moment of the store: nobody is on both halves, or on neither.

use chrono::NaiveDate;

use super::allocate::today;
use crate::core::form::Registration;
use crate::core::protocol::{
    Appointment, ListedElsewhere, ListedPerson, SiteList, appointment_state as state, person_hash,
};
use crate::hub::store::db::{Db, DbError, Row};

/// The days a list starting on ISO day `first` covers: `days` of them, `first` included (ISO).
fn last_day(first: &str, days: u32) -> String {
    NaiveDate::parse_from_str(first, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(days.max(1) - 1))))
        .map_or_else(|| first.to_owned(), |d| d.to_string())
}

/// The last four characters of an ID number.
fn tail(id_number: &str) -> String {
    let n = id_number.chars().count();
    id_number.chars().skip(n.saturating_sub(4)).collect()
}

/// One appointment row as the statement reads it.
fn appointment(r: &Row) -> Result<Appointment, DbError> {
    let slot = r.text("slot")?;
    Ok(Appointment {
        site_id: r.text("site_id")?,
        site_name_th: r.text("name_th")?,
        site_name_en: r.text("name_en")?,
        date: r.text("day")?,
        slot: (!slot.is_empty()).then_some(slot),
        security_code: r.opt_text("security_code")?,
        state: r.text("state")?,
        vaccinated_at: r.opt_int("vaccinated_at")?,
    })
}

/// The list of site `site` (as the kiosk's enrolment names it) for `days` days from today at
/// Unix milliseconds `now`, its hashes under `key`; `None` when the store has no such site.
pub fn build(
    db: &mut dyn Db,
    site: &str,
    now: i64,
    days: u32,
    key: &[u8; 32],
) -> Result<Option<SiteList>, DbError> {
    let Some(named) = db.query_opt(
        "SELECT site_id, name_th, name_en FROM sites WHERE site_id = ?1",
        &[site.into()],
    )?
    else {
        return Ok(None);
    };
    let (first_day, site_id) = (today(now), named.text("site_id")?);
    let last_day = last_day(&first_day, days);
    // The site's own people on the list's days carry their code and registration; everyone
    // else neither.
    let rows = db.query(
        "SELECT s.reference AS reference, s.person_key AS person_key, a.site_id AS site_id,
             t.name_th AS name_th, t.name_en AS name_en, a.day AS day, a.slot AS slot,
             a.state AS state, a.vaccinated_at AS vaccinated_at,
             CASE WHEN a.site_id = ?1 AND a.day >= ?2 AND a.day <= ?3
                 THEN a.security_code END AS security_code,
             CASE WHEN a.site_id = ?1 AND a.day >= ?2 AND a.day <= ?3
                 THEN s.registration END AS registration
         FROM appointments a JOIN submissions s ON s.submission_id = a.submission_id
             JOIN sites t ON t.site_id = a.site_id
         WHERE a.state IN (?4, ?5)
         ORDER BY a.day, a.slot, a.hub_seq",
        &[
            (&site_id).into(),
            (&first_day).into(),
            (&last_day).into(),
            state::BOOKED.into(),
            state::VACCINATED.into(),
        ],
    )?;
    let mut list = SiteList {
        site_id,
        site_name_th: named.text("name_th")?,
        site_name_en: named.text("name_en")?,
        generated_at: now,
        first_day,
        last_day,
        person_hash_key: crate::core::seal::b64(key),
        people: Vec::new(),
        elsewhere: Vec::new(),
    };
    for r in &rows {
        let reference = r.text("reference")?;
        let person_hash = person_hash(key, &r.text("person_key")?);
        let appointment = appointment(r)?;
        let Some(registration) = r.opt_text("registration")? else {
            list.elsewhere.push(ListedElsewhere {
                reference,
                person_hash,
                appointment,
            });
            continue;
        };
        let reg: Registration =
            serde_json::from_str(&registration).map_err(|e| DbError::json(&e))?;
        list.people.push(ListedPerson {
            reference,
            person_hash,
            id_tail: tail(&reg.id_number),
            birth_date: reg.birth_date.map(|d| d.format()),
            target_group: reg.target_group,
            title: reg.title,
            first_name: reg.first_name,
            last_name: reg.last_name,
            appointment,
        });
    }
    Ok(Some(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_covers_its_days_and_shows_an_id_s_last_four() {
        assert_eq!(last_day("2027-02-27", 3), "2027-03-01");
        assert_eq!(last_day("2027-02-27", 1), "2027-02-27");
        assert_eq!(tail("1101700203451"), "3451");
        assert_eq!(tail("AB1"), "AB1");
    }
}
