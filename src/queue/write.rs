//! Everything that changes the queue: enqueue (one or many in one transaction), leasing rows to a
//! sender, recording the hub's outcomes, giving rows back after a transient failure, cancelling,
//! and retention. Every write is one `BEGIN IMMEDIATE` transaction, committed durably.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::{NewRecord, Queue, QueueError, refcode};
use crate::protocol::Outcome;

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

/// A row leased to a sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leased {
    pub submission_id: Uuid,
    pub reference: String,
    pub created_at: i64,
    pub operator: String,
    pub replaces: Option<Uuid>,
    /// The registration as the hub gets it: sealed to its key, shipped as it is.
    pub sealed: Option<crate::protocol::SealedBox>,
    /// A record from before sealing, not sealed yet (no key known to seal it to): in clear.
    pub payload: Option<String>,
    pub attempts: u32,
}

impl Leased {
    /// The stored clear registration (a record not sealed yet), or why it cannot be read.
    pub fn registration(&self) -> Result<crate::form::Registration, serde_json::Error> {
        serde_json::from_str(self.payload.as_deref().unwrap_or_default())
    }
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

    /// Leases up to `max_items` due rows (at least one, then no more than `max_bytes` of payload)
    /// to `owner` until `now + lease_ms`. Rows whose lease ran out are due again.
    pub fn lease(
        &mut self,
        owner: &str,
        max_items: usize,
        max_bytes: usize,
        now: i64,
        lease_ms: i64,
    ) -> Result<Vec<Leased>, QueueError> {
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut rows = Vec::new();
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT submission_id, reference, created_at, operator, replaces, payload,
                            attempts, hub_sealed
                     FROM registrations
                     WHERE (hub_sealed IS NOT NULL OR payload IS NOT NULL) AND (
                           (state = 'pending' AND next_attempt_at <= ?1)
                        OR (state = 'sending' AND lease_until <= ?1))
                     ORDER BY seq LIMIT ?2",
                )
                .map_err(&err)?;
            let mut q = stmt
                .query(params![now, i64::try_from(max_items).unwrap_or(i64::MAX)])
                .map_err(&err)?;
            let mut bytes = 0usize;
            while let Some(r) = q.next().map_err(&err)? {
                let payload: Option<String> = r.get(5).map_err(&err)?;
                let hub_sealed: Option<String> = r.get(7).map_err(&err)?;
                let size = hub_sealed
                    .as_ref()
                    .or(payload.as_ref())
                    .map_or(0, String::len);
                if !rows.is_empty() && bytes + size > max_bytes {
                    break;
                }
                bytes += size;
                // Unreadable sealed JSON is shipped as an empty box: the hub answers why.
                let sealed = hub_sealed.map(|j| {
                    serde_json::from_str(&j).unwrap_or(crate::protocol::SealedBox {
                        key_id: String::new(),
                        data: String::new(),
                    })
                });
                let id: String = r.get(0).map_err(&err)?;
                let replaces: Option<String> = r.get(4).map_err(&err)?;
                rows.push(Leased {
                    submission_id: parse_uuid(&id),
                    reference: r.get(1).map_err(&err)?,
                    created_at: r.get(2).map_err(&err)?,
                    operator: r.get(3).map_err(&err)?,
                    replaces: replaces.as_deref().map(parse_uuid),
                    payload: if sealed.is_some() { None } else { payload },
                    sealed,
                    attempts: r.get(6).map_err(&err)?,
                });
            }
        }
        for row in &rows {
            tx.execute(
                "UPDATE registrations SET state = 'sending', lease_owner = ?2, lease_until = ?3,
                        attempts = attempts + 1
                 WHERE submission_id = ?1",
                params![row.submission_id.to_string(), owner, now + lease_ms],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(rows)
    }

    /// Stores the hub's answers. Only rows still waiting for an answer change; a replayed answer
    /// for a row already settled is ignored.
    pub fn record_outcomes(
        &mut self,
        outcomes: &[(Uuid, Outcome)],
        now: i64,
    ) -> Result<usize, QueueError> {
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut changed = 0;
        for (id, outcome) in outcomes {
            let json = serde_json::to_string(outcome).unwrap_or_default();
            let (acked, error) = match outcome {
                Outcome::Rejected { field, reason } => (None, Some(format!("{field}: {reason}"))),
                Outcome::Conflict { message } => (None, Some(format!("conflict: {message}"))),
                _ => (Some(now), None),
            };
            changed += tx
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
        }
        tx.commit().map_err(&err)?;
        Ok(changed)
    }

    /// Gives leased rows back after a transient failure: pending again, due at `next_attempt_at`.
    pub fn release(
        &mut self,
        ids: &[Uuid],
        error: &str,
        next_attempt_at: i64,
    ) -> Result<(), QueueError> {
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        for id in ids {
            tx.execute(
                "UPDATE registrations SET state = 'pending', next_attempt_at = ?2,
                        last_error = ?3, lease_owner = NULL, lease_until = NULL
                 WHERE submission_id = ?1 AND state = 'sending'",
                params![id.to_string(), next_attempt_at, error],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)
    }

    /// Makes every pending record due now (`flush` sends everything, whatever the backoff said).
    pub fn reschedule_pending_now(&mut self) -> Result<usize, QueueError> {
        self.conn
            .execute(
                "UPDATE registrations SET next_attempt_at = 0
                 WHERE state = 'pending' AND next_attempt_at > 0",
                [],
            )
            .map_err(|e| self.err(e))
    }

    /// Pulls retry times more than `max_wait_ms` after `now` back to `now + max_wait_ms` (after the
    /// wall clock jumped forward and back). Returns how many moved.
    pub fn clamp_schedule(&mut self, now: i64, max_wait_ms: i64) -> Result<usize, QueueError> {
        self.conn
            .execute(
                "UPDATE registrations SET next_attempt_at = ?1
                 WHERE state = 'pending' AND next_attempt_at > ?1",
                params![now + max_wait_ms],
            )
            .map_err(|e| self.err(e))
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
                    hub_sealed = NULL, shift_sealed = NULL, purged_at = ?1
             WHERE purged_at IS NULL AND (
                   (state IN {ACKNOWLEDGED} AND acked_at <= ?2)
                OR (state = 'cancelled' AND COALESCE(acked_at, created_at) <= ?2))
               AND cancel_pending = 0"
        );
        self.conn
            .execute(&sql, params![now, cutoff])
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
