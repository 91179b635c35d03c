//! Giving an accepted person an appointment, and taking it back.
//!
//! Runs inside a transaction that holds the store's write lock (the writer's, or an admin
//! command's: `Db::begin_write`, the advisory lock on PostgreSQL), so the seat counted free is
//! free in every hub process and a day's `taken` never passes its `capacity`.
//!
//! Which seat: among the open sites serving the person's amphoe (or their tambon), the earliest
//! open day from today (Bangkok) with room, the earlier imported site and the earlier slot first.
//! Where no open site serves the address, the campaign's default site (`is_default`, else the
//! first imported), and the appointment says so (`by_default`). Where sites serve it but every
//! day is full, none: the person stays accepted without an appointment until a re-import adds
//! days (`catalog` allocates them then, in acceptance order).

use crate::core::protocol::{Appointment, appointment_state as state};
use crate::hub::store::db::{Db, DbError};

/// Who is given a seat.
#[derive(Clone, Copy, Debug)]
pub struct Person<'a> {
    pub submission_id: &'a str,
    /// Acceptance order (the hub sequence number).
    pub hub_seq: i64,
    pub amphoe: &'a str,
    pub tambon: &'a str,
}

/// Today's date in Thailand (UTC+7), ISO, for the Unix milliseconds `now` (the kiosk counts
/// the same day with the same function).
pub use crate::core::thai::date::thai_today_iso as today;

/// The earliest open day with room (`?1`: today) at the open sites `from` names (as `v`, with
/// the `site_id` of each), earlier imported sites and slots first. Read from the few sites first
/// and each one's days by its key, so a full day costs a step, not a scan of every site's days.
fn free_seat(from: &str) -> String {
    format!(
        "SELECT d.site_id AS site_id, d.day AS day, d.slot AS slot
         FROM {from} JOIN sites s ON s.site_id = v.site_id
             JOIN site_days d ON d.site_id = v.site_id
         WHERE s.closed_at IS NULL AND d.day >= ?1 AND d.closed = 0 AND d.taken < d.capacity
         ORDER BY d.day, s.ord, d.slot LIMIT 1"
    )
}

/// The sites serving amphoe `?2` (or its tambon `?3`).
const SERVING_SITES: &str = "(SELECT DISTINCT site_id FROM site_serves
     WHERE amphoe = ?2 AND (tambon = '' OR tambon = ?3)) v";

const SERVING: &str = "EXISTS (SELECT 1 FROM site_serves v WHERE v.site_id = s.site_id
     AND v.amphoe = ?2 AND (v.tambon = '' OR v.tambon = ?3))";

/// Four random digits.
fn security_code() -> Result<String, DbError> {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).map_err(|e| DbError::Decode(format!("no randomness: {e}")))?;
    Ok(format!("{:04}", u32::from_le_bytes(b) % 10_000))
}

/// Gives `who` the first free seat (see the module doc) and books it; the appointment (with its
/// code), or `None` when there is no seat for them. One who had an appointment (a closed
/// site's person moved) keeps their code.
pub fn allocate(
    db: &mut dyn Db,
    who: &Person<'_>,
    now: i64,
) -> Result<Option<Appointment>, DbError> {
    let today = today(now);
    let mut seat = db.query_opt(
        &free_seat(SERVING_SITES),
        &[(&today).into(), who.amphoe.into(), who.tambon.into()],
    )?;
    let mut by_default = false;
    if seat.is_none() {
        // No serving site with room: the default site, unless an open site serves the address
        // (and is full).
        let serving = SERVING.replace("?2", "?1").replace("?3", "?2");
        let Some(default) = db.query_opt(
            &format!(
                "SELECT site_id, (SELECT COUNT(*) FROM sites s WHERE s.closed_at IS NULL
                     AND {serving}) AS serving FROM sites WHERE closed_at IS NULL
                 ORDER BY is_default DESC, ord LIMIT 1"
            ),
            &[who.amphoe.into(), who.tambon.into()],
        )?
        else {
            return Ok(None);
        };
        if default.int("serving")? != 0 {
            return Ok(None);
        }
        by_default = true;
        seat = db.query_opt(
            &free_seat("(SELECT CAST(?2 AS TEXT) AS site_id) v"),
            &[(&today).into(), (&default.text("site_id")?).into()],
        )?;
    }
    let Some(seat) = seat else {
        return Ok(None);
    };
    let (site, day, slot) = (seat.text("site_id")?, seat.text("day")?, seat.text("slot")?);
    db.execute(
        "UPDATE site_days SET taken = taken + 1 WHERE site_id = ?1 AND day = ?2 AND slot = ?3",
        &[(&site).into(), (&day).into(), (&slot).into()],
    )?;
    let code = security_code()?;
    db.execute(
        "INSERT INTO appointments (submission_id, hub_seq, site_id, day, slot, security_code,
             state, amphoe, tambon, by_default, given_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'booked', ?7, ?8, ?9, ?10)
         ON CONFLICT (submission_id) DO UPDATE SET site_id = excluded.site_id,
             day = excluded.day, slot = excluded.slot, state = 'booked',
             by_default = excluded.by_default, given_at = excluded.given_at,
             vaccinated_at = NULL",
        &[
            who.submission_id.into(),
            who.hub_seq.into(),
            (&site).into(),
            (&day).into(),
            (&slot).into(),
            (&code).into(),
            who.amphoe.into(),
            who.tambon.into(),
            by_default.into(),
            now.into(),
        ],
    )?;
    current(db, who.submission_id)
}

/// The appointment `submission_id` has (whatever its state), with its code.
pub fn current(db: &mut dyn Db, submission_id: &str) -> Result<Option<Appointment>, DbError> {
    let Some(row) = db.query_opt(
        "SELECT a.site_id AS site_id, s.name_th AS name_th, s.name_en AS name_en, a.day AS day,
             a.slot AS slot, a.security_code AS security_code, a.state AS state,
             a.vaccinated_at AS vaccinated_at
         FROM appointments a JOIN sites s ON s.site_id = a.site_id WHERE a.submission_id = ?1",
        &[submission_id.into()],
    )?
    else {
        return Ok(None);
    };
    let slot = row.text("slot")?;
    Ok(Some(Appointment {
        site_id: row.text("site_id")?,
        site_name_th: row.text("name_th")?,
        site_name_en: row.text("name_en")?,
        date: row.text("day")?,
        slot: (!slot.is_empty()).then_some(slot),
        security_code: Some(row.text("security_code")?),
        state: row.text("state")?,
        vaccinated_at: row.opt_int("vaccinated_at")?,
    }))
}

/// Ends `submission_id`'s booked appointment as `to` (`cancelled` or `no_show`); a cancelled
/// one gives its seat back. Whether it had one booked.
pub fn release(db: &mut dyn Db, submission_id: &str, to: &str) -> Result<bool, DbError> {
    let Some(seat) = db.query_opt(
        "SELECT site_id, day, slot FROM appointments WHERE submission_id = ?1 AND state = ?2",
        &[submission_id.into(), state::BOOKED.into()],
    )?
    else {
        return Ok(false);
    };
    db.execute(
        "UPDATE appointments SET state = ?2 WHERE submission_id = ?1",
        &[submission_id.into(), to.into()],
    )?;
    if to == state::CANCELLED {
        give_back(
            db,
            &seat.text("site_id")?,
            &seat.text("day")?,
            &seat.text("slot")?,
        )?;
    }
    Ok(true)
}

/// One seat of a day back.
pub fn give_back(db: &mut dyn Db, site: &str, day: &str, slot: &str) -> Result<(), DbError> {
    db.execute(
        "UPDATE site_days SET taken = taken - 1
         WHERE site_id = ?1 AND day = ?2 AND slot = ?3 AND taken > 0",
        &[site.into(), day.into(), slot.into()],
    )?;
    Ok(())
}

/// `submission_id`'s stored registration's amphoe and tambon (a person moved up from the
/// waiting list, or accepted before the sites were imported).
pub fn address_of(db: &mut dyn Db, submission_id: &str) -> Result<(String, String), DbError> {
    let row = db.query_one(
        "SELECT registration FROM submissions WHERE submission_id = ?1",
        &[submission_id.into()],
    )?;
    let reg: crate::core::form::Registration =
        serde_json::from_str(&row.text("registration")?).map_err(|e| DbError::json(&e))?;
    Ok((reg.address.amphoe, reg.address.tambon))
}

/// [`allocate`] for a stored registration, its address read from the store.
pub fn allocate_stored(
    db: &mut dyn Db,
    submission_id: &str,
    hub_seq: i64,
    now: i64,
) -> Result<Option<Appointment>, DbError> {
    let (amphoe, tambon) = address_of(db, submission_id)?;
    let who = Person {
        submission_id,
        hub_seq,
        amphoe: &amphoe,
        tambon: &tambon,
    };
    allocate(db, &who, now)
}
