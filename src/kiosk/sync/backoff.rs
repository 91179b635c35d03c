//! When to try again: exponential backoff with FULL jitter (a random delay between 0 and
//! `min(cap, base · 2^n)`), so a thousand counters coming back online at once spread out instead of
//! knocking the hub over again; and the hub's own `Retry-After` (seconds or an HTTP date), obeyed
//! exactly plus a little jitter.

use std::time::{Duration, SystemTime};

/// Backoff settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The ceiling of the `failures`-th retry's delay (failures counts from 1).
    #[must_use]
    pub fn ceiling(&self, failures: u32) -> Duration {
        let exp = failures.saturating_sub(1).min(30);
        self.base
            .checked_mul(1u32 << exp)
            .map_or(self.cap, |d| d.min(self.cap))
    }

    /// A full-jitter delay for the `failures`-th consecutive failure: uniform in [0, ceiling].
    #[must_use]
    pub fn delay(&self, failures: u32, rng: &mut fastrand::Rng) -> Duration {
        let ceiling = self.ceiling(failures);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.u64(0..=nanos))
    }
}

/// Reads a `Retry-After` header value: delta-seconds or an HTTP date (relative to `now`).
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The hub's wait plus up to 10 % (at most 5 s) of jitter, never less than asked.
#[must_use]
pub fn honour(retry_after: Duration, rng: &mut fastrand::Rng) -> Duration {
    let spread = (retry_after / 10).clamp(Duration::from_millis(100), Duration::from_secs(5));
    let nanos = u64::try_from(spread.as_nanos()).unwrap_or(u64::MAX);
    retry_after + Duration::from_nanos(rng.u64(0..=nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let b = Backoff {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(600),
        };
        let secs: Vec<u64> = (1..=10).map(|n| b.ceiling(n).as_secs()).collect();
        assert_eq!(secs, [2, 4, 8, 16, 32, 64, 128, 256, 512, 600]);
        assert_eq!(b.ceiling(1000), Duration::from_secs(600));
    }

    #[test]
    fn full_jitter_stays_in_bounds_and_spreads() {
        let b = Backoff {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(600),
        };
        let mut rng = fastrand::Rng::with_seed(7);
        for n in 1..=12 {
            let ds: Vec<Duration> = (0..500).map(|_| b.delay(n, &mut rng)).collect();
            assert!(ds.iter().all(|d| *d <= b.ceiling(n)));
            let low = ds.iter().filter(|d| **d < b.ceiling(n) / 4).count();
            let high = ds.iter().filter(|d| **d > b.ceiling(n) * 3 / 4).count();
            assert!(
                low > 50 && high > 50,
                "full jitter covers the range: {low} {high}"
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..100 {
            let d = honour(Duration::from_secs(30), &mut rng);
            assert!(d >= Duration::from_secs(30) && d <= Duration::from_secs(33));
        }
    }
}
