//! The sites in the store: a sites file imported (new sites added, known ones updated, never
//! removed by leaving them out), a site closed (its booked people moved), a site without
//! appointments removed, and the people accepted without an appointment given one.
//!
//! Each runs inside a transaction holding the store's write lock (`intake::admin::in_write`).

use super::allocate::{self, Person};
use super::file::{LineError, SiteRow};
use crate::core::protocol::{Outcome, appointment_state as state};
use crate::hub::error::HubError;
use crate::hub::intake::counts::Counts;
use crate::hub::intake::history::{self, Why};
use crate::hub::store::db::{Db, DbError};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub added: u64,
    pub updated: u64,
    /// People accepted without an appointment who were given one now.
    pub allocated: u64,
}

fn err(line: u64, reason: String) -> LineError {
    LineError { line, reason }
}

/// Loads `rows` into the store; `default` (a site id, in the file or the store) becomes the
/// campaign's default site. Any problem the store finds (a day with more booked than the file
/// now gives) is a [`HubError::SitesFile`], and the caller rolls everything back.
pub fn import(
    db: &mut dyn Db,
    counts: &mut Counts,
    rows: &[SiteRow],
    default: Option<&str>,
    why: &Why,
) -> Result<Result<Imported, HubError>, DbError> {
    let mut done = Imported::default();
    let mut problems = Vec::new();
    for row in rows {
        let known = db
            .query_opt(
                "SELECT 1 FROM sites WHERE site_id = ?1",
                &[(&row.site_id).into()],
            )?
            .is_some();
        if known {
            db.execute(
                "UPDATE sites SET name_th = ?2, name_en = ?3, updated_at = ?4 WHERE site_id = ?1",
                &[
                    (&row.site_id).into(),
                    (&row.name_th).into(),
                    (&row.name_en).into(),
                    why.now.into(),
                ],
            )?;
            done.updated += 1;
        } else {
            db.execute(
                "INSERT INTO sites (site_id, name_th, name_en, ord, updated_at)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(ord), 0) + 1 FROM sites), ?4)",
                &[
                    (&row.site_id).into(),
                    (&row.name_th).into(),
                    (&row.name_en).into(),
                    why.now.into(),
                ],
            )?;
            done.added += 1;
        }
        db.execute(
            "DELETE FROM site_serves WHERE site_id = ?1",
            &[(&row.site_id).into()],
        )?;
        for (amphoe, tambon) in &row.serves {
            db.execute(
                "INSERT INTO site_serves (site_id, amphoe, tambon) VALUES (?1, ?2, ?3)",
                &[(&row.site_id).into(), amphoe.into(), tambon.into()],
            )?;
        }
        problems.extend(days(db, row)?);
    }
    if let Some(id) = default {
        let known = db
            .query_opt("SELECT 1 FROM sites WHERE site_id = ?1", &[id.into()])?
            .is_some();
        if known {
            db.execute(
                "UPDATE sites SET is_default = CASE WHEN site_id = ?1 THEN 1 ELSE 0 END",
                &[id.into()],
            )?;
        } else {
            problems.push(err(
                0,
                format!("--default {id}: no such site in the file or the store"),
            ));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(HubError::SitesFile(problems)));
    }
    done.allocated = allocate_waiting(db, counts, why)?;
    Ok(Ok(done))
}

/// Sets `row`'s days to the file's: capacities updated, days added, days the file no longer
/// lists removed; a day or slot holding more seats taken than it now has is a problem.
fn days(db: &mut dyn Db, row: &SiteRow) -> Result<Vec<LineError>, DbError> {
    let mut problems = Vec::new();
    let stored = db.query(
        "SELECT day, slot, taken FROM site_days WHERE site_id = ?1",
        &[(&row.site_id).into()],
    )?;
    for s in &stored {
        let (day, slot, taken) = (s.text("day")?, s.text("slot")?, s.int("taken")?);
        let capacity = row
            .days
            .iter()
            .find(|d| d.day == day && d.slot == slot)
            .map_or(0, |d| d.capacity);
        if taken > capacity {
            let slot = if slot.is_empty() {
                String::new()
            } else {
                format!(" {slot}")
            };
            problems.push(err(
                row.line,
                format!(
                    "site {} has {taken} people booked on {day}{slot}, more than the {capacity} this row gives: keep that day's capacity (or close the site with `hub sites close {}` to move its people)",
                    row.site_id, row.site_id
                ),
            ));
        } else if capacity == 0 {
            db.execute(
                "DELETE FROM site_days WHERE site_id = ?1 AND day = ?2 AND slot = ?3",
                &[(&row.site_id).into(), (&day).into(), (&slot).into()],
            )?;
        }
    }
    for d in &row.days {
        db.execute(
            "INSERT INTO site_days (site_id, day, slot, capacity) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (site_id, day, slot) DO UPDATE SET capacity = excluded.capacity",
            &[
                (&row.site_id).into(),
                (&d.day).into(),
                (&d.slot).into(),
                d.capacity.into(),
            ],
        )?;
    }
    Ok(problems)
}

/// Gives an appointment to every accepted person without one, in acceptance order; each change
/// goes to the history (the kiosk hears it). How many were given one.
pub fn allocate_waiting(db: &mut dyn Db, counts: &mut Counts, why: &Why) -> Result<u64, DbError> {
    let rows = db.query(
        "SELECT s.submission_id AS submission_id, s.kiosk_id AS kiosk_id, s.hub_seq AS hub_seq,
             s.outcome AS outcome
         FROM submissions s
         WHERE s.status = 'accepted' AND s.superseded_by IS NULL AND s.hub_seq IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.submission_id = s.submission_id
               AND a.state <> 'cancelled')
         ORDER BY s.hub_seq",
        &[],
    )?;
    let mut given = 0;
    for row in &rows {
        let id = row.text("submission_id")?;
        if allocate::allocate_stored(db, &id, row.int("hub_seq")?, why.now)?.is_some() {
            let outcome: Outcome =
                serde_json::from_str(&row.text("outcome")?).map_err(|e| DbError::json(&e))?;
            history::append(db, counts, &id, row.int("kiosk_id")?, &outcome, why)?;
            given += 1;
        }
    }
    Ok(given)
}

/// What closing a site did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Closed {
    /// People moved to another site.
    pub moved: u64,
    /// People left without an appointment (no other site had room).
    pub unplaced: u64,
}

/// Closes `site`: no new appointments there, and each person booked there is given the next
/// seat elsewhere, in acceptance order (or none, when no site has room), and hears it.
pub fn close(
    db: &mut dyn Db,
    counts: &mut Counts,
    site: &str,
    why: &Why,
) -> Result<Result<Closed, HubError>, DbError> {
    if db.execute(
        "UPDATE sites SET closed_at = COALESCE(closed_at, ?2) WHERE site_id = ?1",
        &[site.into(), why.now.into()],
    )? == 0
    {
        return Ok(Err(HubError::NoSuchSite(site.to_owned())));
    }
    let booked = db.query(
        "SELECT a.submission_id AS submission_id, a.hub_seq AS hub_seq, a.day AS day,
             a.slot AS slot, a.amphoe AS amphoe, a.tambon AS tambon, s.kiosk_id AS kiosk_id,
             s.outcome AS outcome
         FROM appointments a JOIN submissions s ON s.submission_id = a.submission_id
         WHERE a.site_id = ?1 AND a.state = ?2 ORDER BY a.hub_seq",
        &[site.into(), state::BOOKED.into()],
    )?;
    let mut done = Closed::default();
    for row in &booked {
        let id = row.text("submission_id")?;
        allocate::give_back(db, site, &row.text("day")?, &row.text("slot")?)?;
        let (amphoe, tambon) = (row.text("amphoe")?, row.text("tambon")?);
        let who = Person {
            submission_id: &id,
            hub_seq: row.int("hub_seq")?,
            amphoe: &amphoe,
            tambon: &tambon,
        };
        if allocate::allocate(db, &who, why.now)?.is_some() {
            done.moved += 1;
        } else {
            db.execute(
                "DELETE FROM appointments WHERE submission_id = ?1",
                &[(&id).into()],
            )?;
            done.unplaced += 1;
        }
        let outcome: Outcome =
            serde_json::from_str(&row.text("outcome")?).map_err(|e| DbError::json(&e))?;
        history::append(db, counts, &id, row.int("kiosk_id")?, &outcome, why)?;
    }
    Ok(Ok(done))
}

/// Removes `site`, which must never have had an appointment (else it is closed, not removed).
pub fn remove(db: &mut dyn Db, site: &str) -> Result<Result<(), HubError>, DbError> {
    let held = db
        .query_one(
            "SELECT COUNT(*) AS n FROM appointments WHERE site_id = ?1",
            &[site.into()],
        )?
        .count("n")?;
    if held > 0 {
        return Ok(Err(HubError::SiteInUse(site.to_owned(), held)));
    }
    db.execute("DELETE FROM site_days WHERE site_id = ?1", &[site.into()])?;
    db.execute("DELETE FROM site_serves WHERE site_id = ?1", &[site.into()])?;
    if db.execute("DELETE FROM sites WHERE site_id = ?1", &[site.into()])? == 0 {
        return Ok(Err(HubError::NoSuchSite(site.to_owned())));
    }
    Ok(Ok(()))
}
