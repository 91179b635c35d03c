//! The active tokens as last read from the store: what the guard and the dashboard check a
//! caller against, trusted for a second.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::hub::places::kiosks::ActiveToken;

/// How long the active-token list is trusted. An unknown token re-reads it, one read at a time
/// however many unknown tokens arrive together, so a kiosk added while the hub runs works at once.
pub const AUTH_TTL: Duration = Duration::from_secs(1);

/// The active tokens, as last read from the store.
#[derive(Default)]
pub struct AuthCache {
    current: RwLock<Option<(Instant, Arc<Vec<ActiveToken>>)>>,
    /// Held while the list is re-read: callers that waited use the fresh list.
    pub refresh: tokio::sync::Mutex<()>,
}

impl AuthCache {
    pub fn get(&self) -> Option<(Instant, Arc<Vec<ActiveToken>>)> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// The last list read, if it was read within `grace`.
    pub fn last_within(&self, grace: Duration) -> Option<Arc<Vec<ActiveToken>>> {
        self.get()
            .filter(|(at, _)| at.elapsed() < grace)
            .map(|(_, list)| list)
    }

    pub fn set(&self, list: Arc<Vec<ActiveToken>>) {
        if let Ok(mut c) = self.current.write() {
            *c = Some((Instant::now(), list));
        }
    }
}
