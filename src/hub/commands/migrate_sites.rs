//! `hub migrate-store`'s copy of the vaccination sites and appointments (`sites`, `site_serves`,
//! `site_days`, `appointments`) and of the doses recorded at them (`doses`), inside `migrate`'s
//! one transaction: rows matched by their keys (a second run copies nothing twice), a day's seats
//! taken the larger of both sides.

use std::collections::HashMap;

use crate::hub::store::db::{Db, DbError, Param, Row, Value};

/// Which store failed.
pub enum Failed {
    From(DbError),
    To(DbError),
}

/// What each table is read as and written with (`ON CONFLICT` leaves a row already there).
const TABLES: &[(&str, &str)] = &[
    (
        "SELECT site_id, name_th, name_en, ord, is_default, closed_at, updated_at FROM sites",
        "INSERT INTO sites (site_id, name_th, name_en, ord, is_default, closed_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (site_id) DO NOTHING",
    ),
    (
        "SELECT site_id, amphoe, tambon FROM site_serves",
        "INSERT INTO site_serves (site_id, amphoe, tambon) VALUES (?1, ?2, ?3)
         ON CONFLICT (site_id, amphoe, tambon) DO NOTHING",
    ),
    (
        "SELECT site_id, day, slot, capacity, taken, closed FROM site_days",
        "INSERT INTO site_days (site_id, day, slot, capacity, taken, closed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (site_id, day, slot)
         DO UPDATE SET taken = CASE WHEN site_days.taken < excluded.taken
             THEN excluded.taken ELSE site_days.taken END",
    ),
    (
        "SELECT submission_id, hub_seq, site_id, day, slot, security_code, state, amphoe,
             tambon, by_default, given_at, vaccinated_at FROM appointments",
        "INSERT INTO appointments (submission_id, hub_seq, site_id, day, slot, security_code,
             state, amphoe, tambon, by_default, given_at, vaccinated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (submission_id) DO NOTHING",
    ),
];

fn params(row: &Row) -> Vec<Param<'_>> {
    row.0
        .iter()
        .map(|v| match v {
            Value::Null => Param::Null,
            Value::Int(n) => Param::Int(*n),
            Value::Text(s) => Param::Text(s),
            Value::Bytes(b) => Param::Bytes(b),
        })
        .collect()
}

/// Copies the sites' tables; the appointments (copied, already there).
pub fn copy(source: &mut dyn Db, target: &mut dyn Db) -> Result<(u64, u64), Failed> {
    let mut appointments = (0, 0);
    for (i, (read, write)) in TABLES.iter().enumerate() {
        for row in source.query(read, &[]).map_err(Failed::From)? {
            let changed = target.execute(write, &params(&row)).map_err(Failed::To)?;
            if i + 1 == TABLES.len() {
                if changed > 0 {
                    appointments.0 += 1;
                } else {
                    appointments.1 += 1;
                }
            }
        }
    }
    Ok(appointments)
}

/// The columns of `doses`, `kiosk_id` second.
const DOSE_COLUMNS: &str = "dose_id, kiosk_id, reference, submission_id, campaign_id, person_key,
     site_id, lot, dose_number, given_at, operator, received_at, status, answer";

/// Copies the doses, their kiosks mapped by `kiosks` (old id → new id); the doses (copied,
/// already there).
pub fn copy_doses(
    source: &mut dyn Db,
    target: &mut dyn Db,
    kiosks: &HashMap<i64, i64>,
) -> Result<(u64, u64), Failed> {
    let insert = format!(
        "INSERT INTO doses ({DOSE_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (dose_id) DO NOTHING"
    );
    let mut doses = (0, 0);
    let rows = source
        .query(&format!("SELECT {DOSE_COLUMNS} FROM doses"), &[])
        .map_err(Failed::From)?;
    for row in rows {
        let old = row.int("kiosk_id").map_err(Failed::From)?;
        let Some(&kiosk) = kiosks.get(&old) else {
            return Err(Failed::From(DbError::Decode(format!(
                "a dose names kiosk {old}, which is not in kiosks"
            ))));
        };
        let mut p = params(&row);
        p[1] = Param::Int(kiosk);
        if target.execute(&insert, &p).map_err(Failed::To)? > 0 {
            doses.0 += 1;
        } else {
            doses.1 += 1;
        }
    }
    Ok(doses)
}
