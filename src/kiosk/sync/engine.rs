//! One sender over one queue connection: lease a batch, send it (to the hub address in use, or
//! the next that answers: [`Hubs`]), store each item's outcome, or give the batch back with the
//! right delay. Both drivers (the TUI task and `flush`) call [`Engine::round`] in a loop; the
//! engine keeps the consecutive-failure count, the hub's "not before" time, and the status it
//! publishes. The address that last answered is kept in the queue's meta table (`hub_in_use`)
//! for `ruamjai status`. What is done with the hub's answer is in `settle`.

use std::time::Duration;

use uuid::Uuid;

use super::backoff::{Backoff, honour};
use super::client::{HubClient, SendError};
use super::failover::{Hubs, Tried};
use super::settle::build_batch;
use super::status::{Link, SyncStatus};
use crate::kiosk::config::SyncSettings;
use crate::kiosk::queue::{Queue, QueueError};

/// What one round did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Round {
    /// Nothing due; the next record falls due at this time (Unix ms), if any is waiting.
    Idle { next_due: Option<i64> },
    /// A batch was answered.
    Sent { settled: usize, rejected: usize },
    /// The batch went back to the queue; try again at this time.
    Failed { retry_at: i64 },
    /// 401/403: stop until the configuration changes.
    Unauthorized,
    /// No hub configured.
    NoHub,
    /// A hub but no `kiosk_id`: nothing is sent (see [`Link::Unnamed`]).
    Unnamed,
}

/// The sender.
pub struct Engine {
    pub(super) queue: Queue,
    pub(super) hubs: Option<Hubs>,
    /// The address in use and when the sender moved to it, as last written to the queue's meta
    /// table.
    noted_hub: Option<(String, i64)>,
    pub(super) settings: SyncSettings,
    owner: String,
    pub(super) failures: u32,
    pub(super) not_before: i64,
    pub(super) batch_limit: usize,
    pub(super) rng: fastrand::Rng,
    /// When the last heartbeat went (`chatter`).
    pub(super) last_chatter: Option<i64>,
    /// A running sender tries check-in's exchanges again only after this (Unix ms; `site`).
    pub(super) check_in_after: i64,
    failed_sends: u64,
    /// What the engine last saw; the drivers publish it.
    pub status: SyncStatus,
}

pub(super) fn note_meta(queue: &Queue, key: &str, value: &str) {
    if let Err(e) = queue.set_meta(key, value) {
        tracing::warn!("cannot store {key}: {e}");
    }
}

impl Engine {
    /// Sends nothing until restarted with a `kiosk_id` (the hub refuses references without its
    /// name for this kiosk).
    #[must_use]
    pub fn unnamed(mut self) -> Self {
        if self.hubs.is_some() {
            self.status.link = Link::Unnamed;
        }
        self
    }

    /// An engine over `queue`, sending to `hubs` (None: no hub configured).
    #[must_use]
    pub fn new(queue: Queue, mut hubs: Option<Hubs>, settings: SyncSettings, owner: &str) -> Self {
        if let Some(h) = hubs.as_mut()
            && let Ok(Some(url)) = queue.meta("hub_in_use")
        {
            let moved_at = queue.meta("hub_moved_at").ok().flatten();
            h.resume(&url, moved_at.and_then(|t| t.parse().ok()).unwrap_or(0));
        }
        let link = if hubs.is_some() {
            Link::Unknown
        } else {
            Link::NoHub
        };
        let batch_limit = settings.batch_max_records.max(1);
        let hub = hubs.as_ref().map(|h| h.url().to_owned());
        Self {
            queue,
            hubs,
            noted_hub: None,
            settings,
            owner: owner.to_owned(),
            failures: 0,
            not_before: 0,
            batch_limit,
            rng: fastrand::Rng::new(),
            last_chatter: None,
            check_in_after: 0,
            failed_sends: 0,
            status: SyncStatus {
                link,
                hub,
                ..SyncStatus::default()
            },
        }
    }

    /// The queue this engine sends from.
    #[must_use]
    pub fn queue(&mut self) -> &mut Queue {
        &mut self.queue
    }

    /// Replaces the hub addresses (the configuration changed), clearing a "not authorised" stop.
    pub fn set_hubs(&mut self, hubs: Option<Hubs>) {
        self.status.link = if hubs.is_some() {
            Link::Unknown
        } else {
            Link::NoHub
        };
        self.status.hub = hubs.as_ref().map(|h| h.url().to_owned());
        self.hubs = hubs;
        self.failures = 0;
        self.not_before = 0;
    }

    pub(super) fn backoff(&self) -> Backoff {
        Backoff {
            base: Duration::from_secs_f64(self.settings.backoff_base_secs.max(0.001)),
            cap: Duration::from_secs_f64(self.settings.backoff_cap_secs.max(0.001)),
        }
    }

    /// The client of the hub address in use, if there is a hub.
    pub(super) fn current_hub(&self) -> Option<HubClient> {
        self.hubs.as_ref().map(|h| h.current().clone())
    }

    /// How many batches were sent and not answered usefully (a retry followed each).
    #[must_use]
    pub fn failed_sends(&self) -> u64 {
        self.failed_sends
    }

    /// Refreshes the counts in [`Engine::status`] from the queue.
    pub fn refresh_counts(&mut self) -> Result<(), QueueError> {
        let stats = self.queue.stats()?;
        self.status.unsent = stats.unsent;
        self.status.rejected = stats.counts.get("rejected").copied().unwrap_or(0);
        self.status.last_ok_at = stats.last_sync_ok_at;
        Ok(())
    }

    /// One round at time `now` (Unix ms).
    pub async fn round(&mut self, now: i64) -> Result<Round, QueueError> {
        if self.hubs.is_none() {
            self.status.link = Link::NoHub;
            return Ok(Round::NoHub);
        }
        if self.status.link == Link::Unnamed {
            return Ok(Round::Unnamed);
        }
        if self.status.link == Link::NotAuthorised {
            return Ok(Round::Unauthorized);
        }
        if now < self.not_before {
            return Ok(Round::Failed {
                retry_at: self.not_before,
            });
        }
        if self.queue.hub_key().is_none() {
            // Nothing can be sealed to the hub before its key is known: ask for it first.
            self.learn_hub_key(now).await;
        }
        let lease_ms = (self.settings.request_timeout_secs * 1000.0) as i64 + 30_000;
        let leased = self.queue.lease(
            &self.owner,
            self.batch_limit,
            self.settings.batch_max_bytes,
            now,
            lease_ms,
        )?;
        if leased.is_empty() {
            return Ok(Round::Idle {
                next_due: self.queue.next_due_at()?,
            });
        }
        let (batch, unreadable) = build_batch(&leased);
        if !unreadable.is_empty() {
            self.queue.record_outcomes(&unreadable, now)?;
        }
        let ids: Vec<Uuid> = batch.items.iter().map(|s| s.submission_id).collect();
        let round = if batch.items.is_empty() {
            Round::Sent {
                settled: unreadable.len(),
                rejected: unreadable.len(),
            }
        } else {
            let batch = &batch;
            let tried = self
                .exchange(now, |c| async move { c.submit(batch).await })
                .await;
            self.failed_sends += u64::from(tried.failed);
            self.settle(tried.answer, &ids, now)?
        };
        // After an answered batch only: a hub that did not answer the batch is not asked more.
        if matches!(round, Round::Sent { .. }) {
            self.chatter(now).await;
        }
        Ok(round)
    }

    /// One exchange through [`Hubs::exchange`]; the status names the address in use after it.
    pub(super) async fn exchange<T, F>(
        &mut self,
        now: i64,
        call: impl Fn(HubClient) -> F,
    ) -> Tried<T>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        let Some(hubs) = self.hubs.as_mut() else {
            return Tried {
                answer: Err(SendError::Transient("no hub configured (hub_url)".into())),
                failed: 0,
            };
        };
        let tried = hubs.exchange(now, call).await;
        self.status.hub = Some(hubs.url().to_owned());
        tried
    }

    pub(super) fn note_failure(&mut self, now: i64, why: &str) {
        self.status.problem = Some(why.to_owned());
        note_meta(&self.queue, "last_sync_error", why);
        note_meta(&self.queue, "last_sync_error_at", &now.to_string());
    }

    /// With nothing to send, asks the hub for the campaign's quota so the status line shows
    /// whether the hub is there. When it answers after being unreachable (or for the first time
    /// since start), records waiting out a backoff are sent at once.
    pub async fn check_link(&mut self, now: i64) -> Result<(), QueueError> {
        if self.hubs.is_none() {
            return Ok(());
        }
        if now < self.not_before || matches!(self.status.link, Link::NotAuthorised | Link::Unnamed)
        {
            return Ok(());
        }
        match self
            .exchange(now, |c| async move { c.campaign().await })
            .await
            .answer
        {
            Ok(c) => {
                self.take_campaign(c, now);
                self.link_up(now)?;
            }
            Err(SendError::Unauthorized(_)) => self.status.link = Link::NotAuthorised,
            Err(SendError::RetryAfter { wait, .. }) => {
                let until = now + honour(wait, &mut self.rng).as_millis() as i64;
                self.not_before = until;
                self.status.link = Link::Busy { until };
            }
            Err(e) => {
                let retry_at =
                    now + self.backoff().ceiling(self.failures.max(1)).as_millis() as i64;
                let error = e.to_string();
                self.note_failure(now, &error);
                self.status.link = Link::Offline { error, retry_at };
            }
        }
        Ok(())
    }

    /// The hub answered. When the link was not known to be up (just started, offline, busy),
    /// records waiting out a retry delay from before are due now: the network is back, and a
    /// delay chosen before a restart means nothing after it. `status` reads the same moment.
    pub(super) fn link_up(&mut self, now: i64) -> Result<(), QueueError> {
        let was_up = self.status.link == Link::Online;
        self.status.link = Link::Online;
        self.status.problem = None;
        self.failures = 0;
        self.status.last_ok_at = Some(now);
        note_meta(&self.queue, "last_sync_ok_at", &now.to_string());
        let moved_at = self.hubs.as_ref().map_or(0, Hubs::moved_at);
        if let Some(hub) = &self.status.hub
            && self.noted_hub.as_ref() != Some(&(hub.clone(), moved_at))
        {
            // Where a later `flush` goes on from (`Hubs::resume`).
            note_meta(&self.queue, "hub_in_use", hub);
            note_meta(&self.queue, "hub_moved_at", &moved_at.to_string());
            self.noted_hub = Some((hub.clone(), moved_at));
        }
        if !was_up {
            self.queue.reschedule_pending_now()?;
        }
        Ok(())
    }
}
