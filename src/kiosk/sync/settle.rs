//! What the sender does with the hub's answer to a batch: each item's outcome (and the
//! appointment given with an acceptance) recorded in the queue, records refused for the kiosk's
//! name held back, or the batch given back with the right delay (not authorised, busy, too
//! large, refused, unreachable). Also the batch itself, built from the leased rows.

use uuid::Uuid;

use super::backoff::honour;
use super::client::SendError;
use super::engine::{Engine, Round};
use super::status::Link;
use crate::core::protocol::{ItemOutcome, Outcome, Submission, SubmissionBatch};
use crate::kiosk::queue::{Leased, QueueError, Shipment};

/// How long records the hub refused for the kiosk's name wait before the running sender tries
/// them again (`flush` tries at once).
const NAME_HOLD_MS: i64 = 5 * 60 * 1000;

/// The hub's reason when `o` refuses a record for the kiosk's name, not for the record.
fn not_this_kiosk_name(o: &Outcome) -> Option<&str> {
    match o {
        Outcome::Rejected { field, reason }
            if field == crate::core::protocol::NOT_THIS_KIOSK_NAME =>
        {
            Some(reason)
        }
        _ => None,
    }
}

impl Engine {
    pub(super) fn settle(
        &mut self,
        answer: Result<crate::core::protocol::BatchResponse, SendError>,
        ids: &[Uuid],
        now: i64,
    ) -> Result<Round, QueueError> {
        match answer {
            Ok(resp) => {
                let (held, outcomes): (Vec<ItemOutcome>, Vec<ItemOutcome>) = resp
                    .outcomes
                    .into_iter()
                    .partition(|o| not_this_kiosk_name(&o.outcome).is_some());
                let held: Vec<(Uuid, Outcome)> = held
                    .into_iter()
                    .map(|o| (o.submission_id, o.outcome))
                    .collect();
                let mut rejected = 0;
                for ItemOutcome {
                    submission_id: id,
                    outcome,
                    ..
                } in &outcomes
                {
                    match outcome {
                        Outcome::Conflict { message } => {
                            rejected += 1;
                            tracing::error!(%id, "hub reports a CONFLICT (same id, other content): {message}");
                        }
                        Outcome::Rejected { field, .. } => {
                            rejected += 1;
                            tracing::warn!(%id, field, "hub rejected a record");
                        }
                        _ => {}
                    }
                }
                // Each with the appointment given with it (an acceptance's).
                self.queue.record_answers(&outcomes, now)?;
                self.batch_limit = self.settings.batch_max_records.max(1);
                self.link_up(now)?;
                self.hold_for_name(&held, now)?;
                Ok(Round::Sent {
                    settled: outcomes.len(),
                    rejected,
                })
            }
            Err(SendError::Unauthorized(code)) => {
                self.queue
                    .release(ids, &format!("kiosk not authorised ({code})"), now)?;
                self.status.link = Link::NotAuthorised;
                self.note_failure(now, "kiosk not authorised");
                Ok(Round::Unauthorized)
            }
            Err(SendError::RetryAfter { wait, status }) => {
                let until = now + honour(wait, &mut self.rng).as_millis() as i64;
                self.queue
                    .release(ids, &format!("hub busy ({status})"), until)?;
                self.not_before = until;
                self.status.link = Link::Busy { until };
                Ok(Round::Failed { retry_at: until })
            }
            Err(SendError::TooLarge) if ids.len() > 1 => {
                self.batch_limit = (ids.len() / 2).max(1);
                self.queue
                    .release(ids, "batch too large; sending smaller batches", now)?;
                Ok(Round::Failed { retry_at: now })
            }
            Err(SendError::Permanent { .. } | SendError::TooLarge) if ids.len() > 1 => {
                // One record spoils the batch: send one at a time to find it.
                self.batch_limit = 1;
                self.queue
                    .release(ids, "hub refused the batch; sending one by one", now)?;
                Ok(Round::Failed { retry_at: now })
            }
            Err(e @ (SendError::Permanent { .. } | SendError::TooLarge)) => {
                let outcome = Outcome::Rejected {
                    field: String::new(),
                    reason: e.to_string(),
                };
                let settled: Vec<(Uuid, Outcome)> =
                    ids.iter().map(|id| (*id, outcome.clone())).collect();
                self.queue.record_outcomes(&settled, now)?;
                Ok(Round::Sent {
                    settled: settled.len(),
                    rejected: settled.len(),
                })
            }
            Err(SendError::Transient(why) | SendError::Unreachable(why)) => {
                self.failures += 1;
                let retry_at = now
                    + self
                        .backoff()
                        .delay(self.failures, &mut self.rng)
                        .as_millis() as i64;
                self.queue.release(ids, &why, retry_at)?;
                self.not_before = retry_at;
                self.status.link = Link::Offline {
                    error: why.clone(),
                    retry_at,
                };
                self.note_failure(now, &why);
                Ok(Round::Failed { retry_at })
            }
        }
    }

    /// Records the hub refused for the kiosk's name, not for themselves: they wait, as they
    /// are, [`NAME_HOLD_MS`] (a `flush` tries them at once), and the reason is the kiosk's
    /// problem until an exchange goes through.
    fn hold_for_name(&mut self, held: &[(Uuid, Outcome)], now: i64) -> Result<(), QueueError> {
        let Some(why) = held.first().and_then(|(_, o)| not_this_kiosk_name(o)) else {
            return Ok(());
        };
        let why = why.to_owned();
        let ids: Vec<Uuid> = held.iter().map(|(id, _)| *id).collect();
        self.queue.release(&ids, &why, now + NAME_HOLD_MS)?;
        self.note_failure(now, &why);
        tracing::warn!(
            records = ids.len(),
            "the hub refused this kiosk's name: {why}"
        );
        Ok(())
    }
}

/// Turns leased rows into a batch; rows whose payload cannot be read are settled as rejected.
pub(super) fn build_batch(leased: &[Leased]) -> (SubmissionBatch, Vec<(Uuid, Outcome)>) {
    let mut items = Vec::with_capacity(leased.len());
    let mut unreadable = Vec::new();
    for row in leased {
        let item = |registration, sealed| Submission {
            submission_id: row.submission_id,
            reference: row.reference.clone(),
            created_at: row.created_at,
            operator: row.operator.clone(),
            replaces: row.replaces,
            registration,
            sealed,
        };
        // A sealed record goes as it is; only one from before sealing goes in clear.
        match &row.shipment {
            Shipment::Sealed(sealed) => items.push(item(None, Some(sealed.clone()))),
            Shipment::Clear(registration) => {
                items.push(item(Some(registration.as_ref().clone()), None));
            }
            Shipment::Unreadable(why) => unreadable.push((
                row.submission_id,
                Outcome::Rejected {
                    field: "payload".into(),
                    reason: why.clone(),
                },
            )),
        }
    }
    (SubmissionBatch { items }, unreadable)
}
