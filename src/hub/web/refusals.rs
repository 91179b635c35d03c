//! The refused requests' log, at a bounded rate, so a flood of bad requests cannot flood it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Refusals logged per window, at most; the rest are counted and the count logged with the next.
const REFUSALS_PER_WINDOW: u32 = 20;
const REFUSAL_WINDOW: Duration = Duration::from_secs(10);

/// Logs refusals at a bounded rate, so a flood of bad requests cannot flood the log.
#[derive(Default)]
pub struct RefusalLog {
    window: Mutex<(Option<Instant>, u32, u64)>,
}

impl RefusalLog {
    /// Whether to log one more now, and how many were left unlogged before it.
    pub fn admit(&self, now: Instant) -> Option<u64> {
        let mut w = self.window.lock().ok()?;
        let (start, logged, dropped) = &mut *w;
        if start.is_none_or(|s| now.duration_since(s) >= REFUSAL_WINDOW) {
            *start = Some(now);
            *logged = 0;
        }
        if *logged >= REFUSALS_PER_WINDOW {
            *dropped += 1;
            return None;
        }
        *logged += 1;
        Some(std::mem::take(dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_logged_at_a_bounded_rate_and_the_rest_counted() {
        let log = RefusalLog::default();
        let t0 = Instant::now();
        for _ in 0..REFUSALS_PER_WINDOW {
            assert_eq!(log.admit(t0), Some(0));
        }
        for _ in 0..1000 {
            assert_eq!(log.admit(t0 + Duration::from_secs(1)), None);
        }
        // The next window logs again and says how many went unlogged.
        assert_eq!(log.admit(t0 + REFUSAL_WINDOW), Some(1000));
        assert_eq!(log.admit(t0 + REFUSAL_WINDOW), Some(0));
    }
}
