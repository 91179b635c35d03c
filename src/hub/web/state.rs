//! What every request handler shares: the parts of the serving hub the web layer reaches.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};

use crate::core::form::Campaign;

/// What every request handler shares.
pub struct Shared {
    pub campaign: Arc<Campaign>,
    pub campaign_json: serde_json::Value,
    pub max_batch_items: usize,
    pub body_limits: super::body::BodyLimits,
    pub retry_after_secs: u64,
    pub in_flight: Arc<Semaphore>,
    pub limiter: super::ratelimit::RateLimiter,
    pub open_per_kiosk: super::ratelimit::OpenLimiter,
    pub refusals: super::refusals::RefusalLog,
    pub metrics: Arc<crate::hub::reports::metrics::Metrics>,
    /// The last store check of `/v1/health`: when, and whether the store could be read.
    pub health: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
    pub writer: mpsc::Sender<crate::hub::intake::writer::Job>,
    pub backlog: Arc<crate::hub::intake::backlog::Backlog>,
    pub max_queue_wait: Duration,
    pub reads: Arc<crate::hub::store::ReadPool>,
    pub auth: crate::hub::access::tokens::AuthCache,
    pub dashboard: super::dashboard::state::Dashboard,
    pub keys: Arc<crate::hub::keys::HubKeys>,
}
