//! The queue's counts and small facts: counts per state and the oldest unsent record for
//! `status` and the status line, how its records are sealed, when the next one falls due (a
//! sender's timer), and the meta table read back ([`Queue::meta`]; written by
//! [`Queue::set_meta`]). No record is read here ([`read`](super::read) reads them).

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Queue, QueueError, State};

/// Counts and times for `status` and the status line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    /// Every state, with zeros (a monitoring script reads `counts.pending` on an empty queue too).
    pub counts: BTreeMap<String, u64>,
    /// `pending` plus `sending`: what has not reached the hub yet.
    pub unsent: u64,
    pub oldest_unsent_created_at: Option<i64>,
    pub last_sync_ok_at: Option<i64>,
    pub last_sync_error: Option<String>,
    pub last_sync_error_at: Option<i64>,
    /// The hub address that answered last (the sender writes it when it changes).
    pub hub_in_use: Option<String>,
    /// Records the hub moved from the waiting list to accepted.
    pub moved_to_accepted: u64,
    /// Records cancelled here that the hub has not heard of yet.
    pub cancellations_unsent: u64,
    /// Records the hub gave an appointment (their latest kept, whatever its state).
    pub appointments_received: u64,
    /// Those appointments by their state now (`booked`, `vaccinated`, `no_show`, `cancelled`).
    pub appointments: BTreeMap<String, u64>,
    /// How the records are sealed.
    pub sealing: Sealing,
}

/// How this queue seals its records (`ruamjai status`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Sealing {
    /// The hub key new records are sealed to (`None`: not known yet).
    pub hub_key_id: Option<String>,
    /// Whether the counter's PIN is set (an on-screen copy is sealed to the shift).
    pub pin_set: bool,
    /// Records saved before the hub's key was known: they wait for it and an open shift.
    pub waiting_for_hub_key: u64,
    /// Records from before sealing still in clear (sealed in place once a key is known).
    pub in_clear: u64,
}

impl Default for QueueStats {
    /// An empty queue: every state counted 0.
    fn default() -> Self {
        Self {
            counts: State::ALL
                .iter()
                .map(|st| (st.as_str().to_owned(), 0))
                .collect(),
            unsent: 0,
            oldest_unsent_created_at: None,
            last_sync_ok_at: None,
            last_sync_error: None,
            last_sync_error_at: None,
            hub_in_use: None,
            moved_to_accepted: 0,
            cancellations_unsent: 0,
            appointments_received: 0,
            appointments: BTreeMap::new(),
            sealing: Sealing::default(),
        }
    }
}

impl Queue {
    /// Counts per state, the oldest unsent record, and the last sync.
    pub fn stats(&self) -> Result<QueueStats, QueueError> {
        let mut stats = QueueStats::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT state, COUNT(*) FROM registrations GROUP BY state")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (name, n) = row.map_err(|e| self.err(e))?;
            stats.counts.insert(name, n);
        }
        stats.unsent = stats.counts["pending"] + stats.counts["sending"];
        stats.oldest_unsent_created_at = self
            .conn
            .query_row(
                // The planner prefers the (state, next_attempt_at) index, a scan of every unsent
                // row; the partial index answers at once (0.1 ms instead of 27 ms at 100k rows).
                "SELECT MIN(created_at) FROM registrations INDEXED BY registrations_unsent
                 WHERE state IN ('pending', 'sending')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        stats.last_sync_ok_at = self.meta("last_sync_ok_at")?.and_then(|v| v.parse().ok());
        stats.last_sync_error = self.meta("last_sync_error")?;
        stats.last_sync_error_at = self
            .meta("last_sync_error_at")?
            .and_then(|v| v.parse().ok());
        stats.hub_in_use = self.meta("hub_in_use")?;
        (stats.moved_to_accepted, stats.cancellations_unsent) = self
            .conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM registrations
                         WHERE state = 'accepted' AND moved_from = 'waitlisted'),
                        (SELECT COUNT(*) FROM registrations WHERE cancel_pending = 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        self.count_appointments(&mut stats)?;
        let (waiting_for_hub_key, in_clear) = self.unsealed_counts()?;
        stats.sealing = Sealing {
            hub_key_id: self.hub_key().map(|k| k.key_id()),
            pin_set: self.pin_set(),
            waiting_for_hub_key,
            in_clear,
        };
        Ok(stats)
    }

    /// The appointments received, by state (kept plain: no PIN needed).
    fn count_appointments(&self, stats: &mut QueueStats) -> Result<(), QueueError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(json_extract(appointment, '$.state'), ''), COUNT(*)
                 FROM registrations WHERE appointment IS NOT NULL GROUP BY 1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (word, n) = row.map_err(|e| self.err(e))?;
            stats.appointments_received += n;
            *stats.appointments.entry(word).or_default() += n;
        }
        Ok(())
    }

    /// When the next pending record falls due (for a sender's timer), if any is pending.
    pub fn next_due_at(&self) -> Result<Option<i64>, QueueError> {
        self.conn
            .query_row(
                "SELECT MIN(CASE state WHEN 'pending' THEN next_attempt_at ELSE lease_until END)
                 FROM registrations WHERE state IN ('pending', 'sending')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// A small fact stored with [`Queue::set_meta`].
    pub fn meta(&self, key: &str) -> Result<Option<String>, QueueError> {
        self.conn
            .query_row(
                "SELECT value FROM kiosk_meta WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}
