//! What the hub changes after a record's first answer, kept in the queue: cancellations made
//! here that the hub must hear of (`cancel_pending`), and the changes the hub made that this
//! kiosk fetched (`GET /v1/outcomes`: a cancellation by an admin, a move from the waiting list
//! to accepted, a new appointment), with the cursor of those changes in the meta key
//! `outcomes_after`.
//!
//! A record cancelled here and not yet told to the hub keeps its local cancellation whatever
//! the hub says meanwhile: the cancellation is on its way and the hub will agree.

use rusqlite::params;
use uuid::Uuid;

use super::write::{begin, parse_uuid};
use super::{Queue, QueueError};
use crate::core::protocol::{ItemOutcome, Outcome, OutcomeChange};

/// The meta key of the last change fetched.
pub const OUTCOMES_AFTER: &str = "outcomes_after";

impl Queue {
    /// Records cancelled here whose hub has not heard of it yet: (submission id, reason).
    pub fn cancellations_due(&self, limit: usize) -> Result<Vec<(Uuid, String)>, QueueError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT submission_id, COALESCE(last_error, '') FROM registrations
                 WHERE cancel_pending = 1 ORDER BY seq LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok((parse_uuid(&r.get::<_, String>(0)?), r.get(1)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The hub answered these cancellations: they are sent. A `cancelled` answer is recorded as
    /// the record's outcome, with the appointment it gives (cancelled too); any other (it held no
    /// place there) leaves the local cancellation.
    pub fn cancellations_answered(
        &mut self,
        answers: &[ItemOutcome],
        now: i64,
    ) -> Result<(), QueueError> {
        let keys = &mut self.keys;
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        for ItemOutcome {
            submission_id: id,
            outcome,
            appointment,
        } in answers
        {
            let json = matches!(outcome, Outcome::Cancelled { .. })
                .then(|| serde_json::to_string(outcome).unwrap_or_default());
            tx.execute(
                "UPDATE registrations SET cancel_pending = 0, outcome = COALESCE(?2, outcome),
                        acked_at = ?3
                 WHERE submission_id = ?1 AND cancel_pending = 1",
                params![id.to_string(), json, now],
            )
            .map_err(&err)?;
            if let (Outcome::Cancelled { .. }, Some(appointment)) = (outcome, appointment) {
                super::appointment::store(&tx, keys, *id, appointment, false)
                    .map_err(|e| e.said(&err))?;
            }
        }
        tx.commit().map_err(&err)
    }

    /// The cursor of the hub's changes fetched so far.
    pub fn outcomes_after(&self) -> Result<u64, QueueError> {
        Ok(self
            .meta(OUTCOMES_AFTER)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Records the hub's changes of this kiosk's records and the cursor after them, in one
    /// transaction; how many records changed. A record moved keeps the state it moved from. A
    /// change's appointment replaces the record's (`appointment`), also when the outcome stayed
    /// as it was (a change of appointment alone); a change with none leaves it.
    pub fn apply_changes(
        &mut self,
        changes: &[OutcomeChange],
        next: u64,
        now: i64,
    ) -> Result<usize, QueueError> {
        let keys = &mut self.keys;
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut moved = 0;
        for c in changes {
            let json = serde_json::to_string(&c.outcome).unwrap_or_default();
            let n = tx
                .execute(
                    "UPDATE registrations SET moved_from = state, state = ?2,
                            server_reference = COALESCE(?3, server_reference), outcome = ?4,
                            acked_at = ?5
                     WHERE submission_id = ?1 AND cancel_pending = 0 AND state <> ?2
                       AND state IN ('accepted', 'waitlisted', 'duplicate', 'cancelled')",
                    params![
                        c.submission_id.to_string(),
                        c.outcome.state_name(),
                        c.outcome.server_reference(),
                        json,
                        now
                    ],
                )
                .map_err(&err)?;
            let mut appointed = false;
            if let Some(appointment) = &c.appointment {
                appointed =
                    super::appointment::store(&tx, keys, c.submission_id, appointment, true)
                        .map_err(|e| e.said(&err))?;
                if appointed && n == 0 {
                    // Its latest news, for retention.
                    tx.execute(
                        "UPDATE registrations SET acked_at = ?2 WHERE submission_id = ?1
                           AND acked_at IS NOT NULL",
                        params![c.submission_id.to_string(), now],
                    )
                    .map_err(&err)?;
                }
            }
            moved += usize::from(n > 0 || appointed);
        }
        tx.execute(
            "INSERT INTO kiosk_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![OUTCOMES_AFTER, next.to_string()],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(moved)
    }
}
