//! The dashboard's options and its part of the hub's shared state.

use std::sync::Arc;
use std::time::Duration;

use crate::hub::access::sessions::Sessions;
use crate::hub::web::dashboard::{proxy, snapshot, throttle};

/// Downloads of the export run at once (`download`); one more is answered 503.
pub const EXPORTS_AT_ONCE: usize = 2;

/// How the dashboard runs.
#[derive(Clone, Debug)]
pub struct DashboardOptions {
    /// A kiosk with no heartbeat for longer is marked silent.
    pub silent_minutes: u64,
    /// A kiosk reporting an unsent record older than this is marked.
    pub pending_minutes: u64,
    /// How often an open page asks again, and how long one store read serves every page.
    pub refresh: Duration,
    /// How long a sign-in lasts.
    pub session_lifetime: Duration,
    /// The reverse proxies trusted and the URL browsers use (`hub.toml`).
    pub proxies: proxy::Proxies,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        Self {
            silent_minutes: 15,
            pending_minutes: 30,
            refresh: Duration::from_secs(3),
            session_lifetime: Duration::from_secs(12 * 3600),
            proxies: proxy::Proxies::default(),
        }
    }
}

/// The dashboard's part of the hub's shared state.
pub struct Dashboard {
    pub opts: DashboardOptions,
    pub sessions: Sessions,
    pub throttle: throttle::Throttle,
    pub cache: snapshot::Cache,
    pub max_in_flight: usize,
    /// Downloads of the export running (`download`).
    pub exports: Arc<tokio::sync::Semaphore>,
}

impl Dashboard {
    #[must_use]
    pub fn new(opts: DashboardOptions, max_in_flight: usize) -> Self {
        Self {
            sessions: Sessions::new(opts.session_lifetime),
            throttle: throttle::Throttle::default(),
            cache: snapshot::Cache::new(opts.refresh),
            max_in_flight,
            exports: Arc::new(tokio::sync::Semaphore::new(EXPORTS_AT_ONCE)),
            opts,
        }
    }
}
