//! Per kiosk: a token bucket (`rate` requests a second on average, bursts of `burst`), and a cap
//! on the requests it has open at once, so one kiosk that trickles its bodies cannot hold the
//! hub's shared slots. A kiosk over either gets `429` with how many seconds to wait. Memory is one
//! small entry per kiosk that has ever authenticated, so it is bounded by the kiosk table.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// At most `max` requests open at once per kiosk.
pub struct OpenLimiter {
    max: usize,
    slots: Mutex<HashMap<i64, Arc<Semaphore>>>,
}

impl OpenLimiter {
    #[must_use]
    pub fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The most a kiosk may have open.
    #[must_use]
    pub fn max(&self) -> usize {
        self.max
    }

    /// One of `kiosk`'s slots, held until the permit is dropped; `None` when all are taken.
    pub fn try_enter(&self, kiosk: i64) -> Option<OwnedSemaphorePermit> {
        let slots = {
            let mut map = self.slots.lock().ok()?;
            Arc::clone(
                map.entry(kiosk)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.max))),
            )
        };
        slots.try_acquire_owned().ok()
    }
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Buckets for every kiosk, keyed by kiosk row id.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl RateLimiter {
    /// `rate` per second, up to `burst` at once. A rate of 0 or less turns limiting off.
    #[must_use]
    pub fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `kiosk` at `now`; `Err(seconds)` to wait when there is none.
    pub fn check(&self, kiosk: i64, now: Instant) -> Result<(), u64> {
        if self.rate <= 0.0 || !self.rate.is_finite() {
            return Ok(());
        }
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let bucket = buckets.entry(kiosk).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.rate;
            Err(wait.ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn burst_then_rate() {
        let limiter = RateLimiter::new(2.0, 3.0);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(1, t0).is_ok());
        }
        assert_eq!(limiter.check(1, t0), Err(1));
        // Another kiosk has its own bucket.
        assert!(limiter.check(2, t0).is_ok());
        assert!(limiter.check(1, t0 + Duration::from_millis(500)).is_ok());
        assert!(limiter.check(1, t0 + Duration::from_millis(500)).is_err());
        assert!(RateLimiter::new(0.0, 1.0).check(1, t0).is_ok());
    }

    #[test]
    fn open_requests_are_capped_per_kiosk() {
        let open = OpenLimiter::new(2);
        let a = open.try_enter(1).unwrap();
        let _b = open.try_enter(1).unwrap();
        assert!(open.try_enter(1).is_none());
        assert!(
            open.try_enter(2).is_some(),
            "another kiosk has its own slots"
        );
        drop(a);
        assert!(open.try_enter(1).is_some());
    }

    #[test]
    fn slow_rates_ask_for_longer_waits() {
        let limiter = RateLimiter::new(0.1, 1.0);
        let t0 = Instant::now();
        assert!(limiter.check(1, t0).is_ok());
        assert_eq!(limiter.check(1, t0), Err(10));
    }
}
