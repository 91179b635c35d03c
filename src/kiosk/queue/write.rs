//! What changes a record: enqueue (one or many in one transaction), recording the hub's
//! outcomes, cancelling, and retention; small facts in the meta table. Every write is one
//! `BEGIN IMMEDIATE` transaction, committed durably. Leasing rows to a sender is in `lease`.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::{NewRecord, Queue, QueueError};
use crate::core::protocol::{Appointment, ItemOutcome, Outcome};
use crate::core::refcode;

/// What became of one record handed to [`Queue::enqueue_many`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnqueueResult {
    /// Saved durably with this id and reference.
    Saved {
        submission_id: Uuid,
        reference: String,
    },
    /// The same person is already queued for the campaign under this reference; nothing was saved.
    AlreadyQueued { reference: String },
}

const ACKNOWLEDGED: &str = "('accepted', 'duplicate', 'waitlisted')";

impl Queue {
    /// Saves one registration durably and returns its id and reference. Returns only after the
    /// commit is on disk. A record with `replaces` cancels the pending or rejected record it corrects.
    pub fn enqueue(&mut self, rec: &NewRecord, now: i64) -> Result<(Uuid, String), QueueError> {
        match self
            .enqueue_inner(std::slice::from_ref(rec), now, false)?
            .pop()
        {
            Some(EnqueueResult::Saved {
                submission_id,
                reference,
            }) => Ok((submission_id, reference)),
            _ => Err(QueueError::NotFound("enqueued record".into())),
        }
    }

    /// Saves many registrations in ONE transaction (all or none survive a crash). A person already
    /// queued for the campaign (or earlier in the same batch) is reported, not saved again.
    pub fn enqueue_many(
        &mut self,
        recs: &[NewRecord],
        now: i64,
    ) -> Result<Vec<EnqueueResult>, QueueError> {
        self.enqueue_inner(recs, now, true)
    }

    fn enqueue_inner(
        &mut self,
        recs: &[NewRecord],
        now: i64,
        skip_known: bool,
    ) -> Result<Vec<EnqueueResult>, QueueError> {
        // Another connection (the sender) may have learnt a newer hub key.
        self.refresh_hub_key()?;
        self.take_provisional()?;
        if recs.len() <= BIG_BATCH {
            return self.write_batch(recs, now, skip_known);
        }
        // The index of keyed ID hashes is written at random places: with SQLite's default 2 MiB
        // page cache a 100k-row import reads most of its pages back from the WAL for each row.
        // A larger cache (up to 64 MiB, taken only as pages are touched) for this batch only.
        let before: i64 = self
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch("PRAGMA cache_size = -65536")
            .map_err(|e| self.err(e))?;
        let written = self.write_batch(recs, now, skip_known);
        let _ = self
            .conn
            .execute_batch(&format!("PRAGMA cache_size = {before}"));
        written
    }

    fn write_batch(
        &mut self,
        recs: &[NewRecord],
        now: i64,
        skip_known: bool,
    ) -> Result<Vec<EnqueueResult>, QueueError> {
        let (keys, kiosk_id) = (&mut self.keys, &self.kiosk_id);
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut seq: u64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM registrations", [], |r| {
                r.get(0)
            })
            .map_err(&err)?;
        let mut out = Vec::with_capacity(recs.len());
        for rec in recs {
            let person = keys.person_hash(&rec.id_key);
            if skip_known {
                let known: Option<String> = tx
                    .prepare_cached(
                        "SELECT reference FROM registrations
                         WHERE campaign_id = ?1 AND id_key = ?2 AND state != 'cancelled'
                         ORDER BY seq LIMIT 1",
                    )
                    .and_then(|mut st| {
                        st.query_row(params![rec.campaign_id, person], |r| r.get(0))
                            .optional()
                    })
                    .map_err(&err)?;
                if let Some(reference) = known {
                    out.push(EnqueueResult::AlreadyQueued { reference });
                    continue;
                }
            }
            seq += 1;
            let reference = refcode::encode(kiosk_id, seq).ok_or(QueueError::SequenceExhausted)?;
            let submission_id = Uuid::now_v7();
            let sealed = super::sealing::seal_record(
                keys,
                kiosk_id,
                &submission_id,
                &rec.payload,
                &rec.search_text,
            )?;
            if let Some(old) = rec.replaces {
                tx.execute(
                    "UPDATE registrations SET state = 'cancelled', last_error = ?2,
                            lease_owner = NULL, lease_until = NULL
                     WHERE submission_id = ?1 AND state IN ('pending', 'rejected')",
                    params![old.to_string(), format!("replaced by {reference}")],
                )
                .map_err(&err)?;
            }
            // Only the sealed copies and the keyed hash: nothing personal in clear.
            tx.prepare_cached(
                "INSERT INTO registrations (submission_id, reference, seq, campaign_id, kiosk_id,
                     operator, created_at, id_key, hub_sealed, shift_sealed, state, replaces)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', ?11)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    submission_id.to_string(),
                    reference,
                    seq,
                    rec.campaign_id,
                    kiosk_id,
                    rec.operator,
                    now,
                    person,
                    sealed.hub,
                    sealed.shift,
                    rec.replaces.map(|u| u.to_string()),
                ])
            })
            .map_err(&err)?;
            out.push(EnqueueResult::Saved {
                submission_id,
                reference,
            });
        }
        tx.commit().map_err(&err)?;
        Ok(out)
    }

    /// Stores the hub's answers. Only rows still waiting for an answer change; a replayed answer
    /// for a row already settled is ignored.
    pub fn record_outcomes(
        &mut self,
        outcomes: &[(Uuid, Outcome)],
        now: i64,
    ) -> Result<usize, QueueError> {
        let answers: Vec<(Uuid, &Outcome, Option<&Appointment>)> =
            outcomes.iter().map(|(id, o)| (*id, o, None)).collect();
        self.record(&answers, now)
    }

    /// Stores the hub's answers to a batch as [`Queue::record_outcomes`] does, each with the
    /// appointment given with it (kept as the record's latest: `appointment`).
    pub fn record_answers(
        &mut self,
        answers: &[ItemOutcome],
        now: i64,
    ) -> Result<usize, QueueError> {
        let answers: Vec<(Uuid, &Outcome, Option<&Appointment>)> = answers
            .iter()
            .map(|a| (a.submission_id, &a.outcome, a.appointment.as_ref()))
            .collect();
        self.record(&answers, now)
    }

    fn record(
        &mut self,
        answers: &[(Uuid, &Outcome, Option<&Appointment>)],
        now: i64,
    ) -> Result<usize, QueueError> {
        let keys = &mut self.keys;
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut changed = 0;
        for (id, outcome, appointment) in answers {
            let json = serde_json::to_string(outcome).unwrap_or_default();
            let (acked, error) = match outcome {
                Outcome::Rejected { field, reason } => (None, Some(format!("{field}: {reason}"))),
                Outcome::Conflict { message } => (None, Some(format!("conflict: {message}"))),
                _ => (Some(now), None),
            };
            let n = tx
                .execute(
                    "UPDATE registrations SET state = ?2, server_reference = ?3, outcome = ?4,
                            acked_at = ?5, last_error = ?6, lease_owner = NULL, lease_until = NULL
                     WHERE submission_id = ?1 AND state IN ('pending', 'sending')",
                    params![
                        id.to_string(),
                        outcome.state_name(),
                        outcome.server_reference(),
                        json,
                        acked,
                        error
                    ],
                )
                .map_err(&err)?;
            if n > 0
                && let Some(appointment) = appointment
            {
                super::appointment::store(&tx, keys, *id, appointment, false)
                    .map_err(|e| e.said(&err))?;
            }
            changed += n;
        }
        tx.commit().map_err(&err)?;
        Ok(changed)
    }

    /// Cancels a pending or rejected record (the clerk confirmed). Returns its reference.
    pub fn cancel(&mut self, id: Uuid, why: &str) -> Result<String, QueueError> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT reference, state FROM registrations WHERE submission_id = ?1",
                params![id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let (reference, state) = row.ok_or_else(|| QueueError::NotFound(id.to_string()))?;
        // A record the hub registered is cancelled here at once, and the hub is told
        // (`cancel_pending`) so that its place goes to the waiting list.
        let n = self
            .conn
            .execute(
                "UPDATE registrations SET last_error = ?2,
                        cancel_pending = (state IN ('accepted', 'waitlisted')),
                        acked_at = CASE WHEN state IN ('accepted', 'waitlisted') THEN ?3
                                        ELSE acked_at END,
                        state = 'cancelled'
                 WHERE submission_id = ?1
                   AND state IN ('pending', 'rejected', 'accepted', 'waitlisted')",
                params![id.to_string(), why, super::now_ms()],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(QueueError::WrongState { reference, state });
        }
        Ok(reference)
    }

    /// Retention: drops the personal data of records acknowledged (or cancelled) more than
    /// `days` ago, keeping a tombstone (id, reference, state, dates). Never touches pending,
    /// sending or rejected records. Returns how many were purged.
    pub fn purge(&mut self, now: i64, days: u32) -> Result<usize, QueueError> {
        let cutoff = now - i64::from(days) * 86_400_000;
        let sql = format!(
            "UPDATE registrations SET payload = NULL, id_key = NULL, search_text = NULL,
                    hub_sealed = NULL, shift_sealed = NULL, appointment_code = NULL,
                    purged_at = ?1
             WHERE purged_at IS NULL AND (
                   (state IN {ACKNOWLEDGED} AND acked_at <= ?2)
                OR (state = 'cancelled' AND COALESCE(acked_at, created_at) <= ?2))
               AND cancel_pending = 0"
        );
        self.conn
            .execute(&sql, params![now, cutoff])
            .map_err(|e| self.err(e))
    }

    /// Keeps only what the counter needs: the on-screen copies (names, ID, phone, sealed to the
    /// shift) of records the hub acknowledged at or before `before` are dropped; their hub
    /// copies stay (to send again after a hub's failover, until `purge`), and the reference,
    /// state, outcome and appointment (its security code too) stay on the queue screen. Returns
    /// how many.
    pub fn drop_shown_acknowledged(&mut self, before: i64) -> Result<usize, QueueError> {
        let sql = format!(
            "UPDATE registrations SET shift_sealed = NULL, search_text = NULL
             WHERE shift_sealed IS NOT NULL AND acked_at <= ?1
               AND (state IN {ACKNOWLEDGED} OR state = 'cancelled') AND cancel_pending = 0"
        );
        self.conn
            .execute(&sql, params![before])
            .map_err(|e| self.err(e))
    }

    /// Stores a small fact (last sync time, last sync error, ...).
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), QueueError> {
        self.conn
            .execute(
                "INSERT INTO kiosk_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

/// Starts a `BEGIN IMMEDIATE` transaction on `conn` (the queue at `path`), with the translator of
/// its errors into what a clerk can act on.
/// Batches larger than this get [`BigCache`] while they are written.
const BIG_BATCH: usize = 1000;

pub(super) fn begin<'c>(
    conn: &'c mut Connection,
    path: &Path,
) -> Result<
    (
        Transaction<'c>,
        impl Fn(rusqlite::Error) -> QueueError + use<>,
    ),
    QueueError,
> {
    let path = path.to_path_buf();
    let err = move |e| super::db::classify(&path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&err)?;
    Ok((tx, err))
}

pub(super) fn parse_uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_default()
}
