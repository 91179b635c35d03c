//! The sender's side of the queue: leasing due rows to one sender (each as what it ships to
//! the hub, [`Shipment`], decoded here), giving rows back after a transient failure, and moving
//! retry times (`flush` now, a clock that jumped). The hub's answers are recorded in `write`.

use rusqlite::params;
use uuid::Uuid;

use super::record::decode;
use super::write::{begin, parse_uuid};
use super::{Queue, QueueError};
use crate::core::form::Registration;
use crate::core::protocol::SealedBox;

/// A row leased to a sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leased {
    pub submission_id: Uuid,
    pub reference: String,
    pub created_at: i64,
    pub operator: String,
    pub replaces: Option<Uuid>,
    /// What goes to the hub.
    pub shipment: Shipment,
    pub attempts: u32,
}

/// What a leased record ships to the hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shipment {
    /// The registration sealed to the hub's key, shipped as it is (a stored copy that is not
    /// even a sealed box goes as an empty one: the hub answers why).
    Sealed(SealedBox),
    /// A record from before sealing, not sealed yet (no key known to seal it to): in clear.
    Clear(Box<Registration>),
    /// A record from before sealing whose stored registration cannot be decoded: why. The
    /// sender settles it as rejected.
    Unreadable(String),
}

impl Leased {
    /// The sealed copy, when that is what it ships.
    #[must_use]
    pub fn sealed(&self) -> Option<&SealedBox> {
        match &self.shipment {
            Shipment::Sealed(sealed) => Some(sealed),
            Shipment::Clear(_) | Shipment::Unreadable(_) => None,
        }
    }
}

impl Queue {
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
                // Each row has one or the other (the query's condition).
                let shipment = match (hub_sealed, payload) {
                    (Some(json), _) => Shipment::Sealed(decode(&json).unwrap_or(SealedBox {
                        key_id: String::new(),
                        data: String::new(),
                    })),
                    (None, json) => match decode(json.as_deref().unwrap_or_default()) {
                        Ok(registration) => Shipment::Clear(Box::new(registration)),
                        Err(e) => Shipment::Unreadable(format!("stored record unreadable: {e}")),
                    },
                };
                let id: String = r.get(0).map_err(&err)?;
                let replaces: Option<String> = r.get(4).map_err(&err)?;
                rows.push(Leased {
                    submission_id: parse_uuid(&id),
                    reference: r.get(1).map_err(&err)?,
                    created_at: r.get(2).map_err(&err)?,
                    operator: r.get(3).map_err(&err)?,
                    replaces: replaces.as_deref().map(parse_uuid),
                    shipment,
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

    /// Puts back to pending the records an older hub rejected for the kiosk's name alone (it
    /// compared the reference with the name as written, so a kiosk named `k1` or `SK-01` had
    /// every record refused): a hub that compares prefixes takes them as they are. Returns how
    /// many. (A hub now answers such a refusal under `protocol::NOT_THIS_KIOSK_NAME`, which the
    /// sender never records as rejected.)
    pub fn requeue_refused_for_name(&mut self) -> Result<usize, QueueError> {
        self.conn
            .execute(
                "UPDATE registrations SET state = 'pending', next_attempt_at = 0, outcome = NULL
                 WHERE state = 'rejected'
                   AND last_error LIKE 'reference: This kiosk is % at the hub, so its receipt references start with %'",
                [],
            )
            .map_err(|e| self.err(e))
    }

    /// Puts back to pending the records the hub acknowledged at or after `since` (Unix ms) that
    /// still hold their hub copy: the hub's store may have lost them (its epoch rose after a
    /// failover). The hub answers those it still has as replays and takes the others as new.
    /// Returns how many.
    pub fn resend_acknowledged_since(&mut self, since: i64) -> Result<usize, QueueError> {
        self.conn
            .execute(
                "UPDATE registrations SET state = 'pending', next_attempt_at = 0
                 WHERE state IN ('accepted', 'waitlisted', 'duplicate') AND acked_at >= ?1
                   AND (hub_sealed IS NOT NULL OR payload IS NOT NULL)",
                params![since],
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
}
