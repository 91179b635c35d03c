//! The append-only `outcome_history`: every change of a record's outcome or appointment after it
//! was answered (who, when, why), in commit order (`seq`, taken under the write lock), which is
//! also the cursor of a kiosk's `GET /v1/outcomes`. Each row carries the appointment the change
//! left the person with (`sites::allocate::current`), so the kiosk hears it with the change.

use super::counts::Counts;
use crate::core::protocol::Outcome;
use crate::hub::store::db::{Db, DbError};

/// Who changed an outcome and why, for the history.
#[derive(Clone, Debug)]
pub struct Why {
    /// `kiosk:NAME`, `admin:NAME` or `hub`.
    pub actor: String,
    pub reason: String,
    /// Unix milliseconds.
    pub now: i64,
}

/// Appends one change of `submission_id` (sent by `kiosk_id`) to the history: its outcome now
/// and its appointment now.
pub fn append(
    db: &mut dyn Db,
    counts: &mut Counts,
    submission_id: &str,
    kiosk_id: i64,
    outcome: &Outcome,
    why: &Why,
) -> Result<(), DbError> {
    let seq = counts.next(db, "history")?;
    let json = serde_json::to_string(outcome).map_err(|e| DbError::json(&e))?;
    let appointment = crate::hub::sites::allocate::current(db, submission_id)?
        .map(|a| serde_json::to_string(&a).map_err(|e| DbError::json(&e)))
        .transpose()?;
    db.execute(
        "INSERT INTO outcome_history (seq, submission_id, kiosk_id, status, outcome, actor,
             reason, at, appointment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            seq.into(),
            submission_id.into(),
            kiosk_id.into(),
            outcome.state_name().into(),
            (&json).into(),
            (&why.actor).into(),
            (&why.reason).into(),
            why.now.into(),
            appointment.as_ref().into(),
        ],
    )?;
    Ok(())
}

/// Appends one change to the history and makes it the submission's outcome.
pub fn record(
    db: &mut dyn Db,
    counts: &mut Counts,
    submission_id: &str,
    kiosk_id: i64,
    outcome: &Outcome,
    why: &Why,
) -> Result<(), DbError> {
    append(db, counts, submission_id, kiosk_id, outcome, why)?;
    let json = serde_json::to_string(outcome).map_err(|e| DbError::json(&e))?;
    db.execute(
        "UPDATE submissions SET status = ?2, outcome = ?3 WHERE submission_id = ?1",
        &[
            submission_id.into(),
            outcome.state_name().into(),
            (&json).into(),
        ],
    )?;
    Ok(())
}
