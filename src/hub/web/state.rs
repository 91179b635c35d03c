//! What every request handler shares, in named parts by what they serve: the campaign in
//! force, the door (limits and shedding), the hand-off to intake's writer, the store's read
//! pool, credentials (tokens and keys), the metrics and the dashboard's own state. A handler that
//! needs one part is handed that part; one that needs several takes [`Shared`].

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};

use crate::core::form::Campaign;

/// What every request handler shares: the serving hub's parts, each owned here.
pub struct Shared {
    pub in_force: InForce,
    pub door: Door,
    pub intake: Intake,
    /// The store's read pool: every read a handler makes (writes go through [`Intake`]).
    pub reads: Arc<crate::hub::store::ReadPool>,
    pub credentials: Credentials,
    /// The hub's counters (`reports::metrics`): every guard and handler counts here; `/metrics`
    /// and the dashboard read them.
    pub metrics: Arc<crate::hub::reports::metrics::Metrics>,
    pub dashboard: super::dashboard::state::Dashboard,
}

/// The campaign in force: what `GET /v1/campaign` hands out, what submissions are checked
/// against and what the metrics and dashboard are labelled with.
pub struct InForce {
    pub campaign: Arc<Campaign>,
    /// The campaign's definition as JSON, made once at start-up for `GET /v1/campaign`.
    pub json: serde_json::Value,
    /// Every version of it the hub has published: a record is checked against its own.
    pub versions: Arc<crate::hub::intake::versions::Versions>,
}

/// The door: the limits a request meets before and while it is served, and the shedding of
/// what is over them. Used by the guards (`guard`), the handlers that read a body or hand work
/// to the writer, and every `503`'s `Retry-After`.
pub struct Door {
    pub max_batch_items: usize,
    pub body_limits: super::body::BodyLimits,
    /// The `Retry-After` of every `503` and `429` the hub answers without a wait of its own.
    pub retry_after_secs: u64,
    /// Requests served at once, all callers together (`guard::shed`).
    pub in_flight: Arc<Semaphore>,
    pub limiter: super::ratelimit::RateLimiter,
    pub open_per_kiosk: super::ratelimit::OpenLimiter,
    pub refusals: super::refusals::RefusalLog,
    /// The longest the writer's backlog may be expected to take before new batches are shed.
    pub max_queue_wait: Duration,
    /// The last store check of `/v1/health`: when, and whether the store could be read.
    pub health: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
    /// Sites' lists being made at once (`GET /v1/site/list`: each holds every appointment of
    /// the province in memory for a moment); beyond [`SITE_LISTS_AT_ONCE`] the answer is `503`.
    pub site_lists: Arc<Semaphore>,
}

/// Sites' lists made at once by one hub process: at the morning rush every site's kiosks ask at
/// once, and a list of 66,000 appointments takes some 75 MB while it is made.
pub const SITE_LISTS_AT_ONCE: usize = 4;

/// The hand-off to intake: the one writer's queue and the backlog it has yet to commit. Used by
/// `kiosk::handoff` (and read by `/metrics` and the dashboard for the queue's depth).
pub struct Intake {
    pub writer: mpsc::Sender<crate::hub::intake::writer::Job>,
    pub backlog: Arc<crate::hub::intake::backlog::Backlog>,
}

impl Intake {
    /// Jobs waiting in the writer's queue now.
    pub fn queued_jobs(&self) -> usize {
        self.writer.max_capacity() - self.writer.capacity()
    }
}

/// Credentials: who may call (the active tokens, re-read from the store at most about once a
/// second) and the hub's sealing keys (the public one handed to kiosks, the secret ones for
/// opening). Used by the guards, enrolment, `GET /v1/campaign`, submissions and the dashboard's
/// sign-in.
pub struct Credentials {
    pub auth: crate::hub::access::tokens::AuthCache,
    pub keys: Arc<crate::hub::keys::HubKeys>,
}
