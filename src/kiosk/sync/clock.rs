//! The sender's clock: Unix milliseconds anchored once to the wall clock, then advanced by the
//! monotonic clock (tokio's, so paused test time moves it too). A wall clock that jumps backwards
//! or forwards mid-run does not shorten or stretch a backoff.

use tokio::time::Instant;

/// Wall time at start plus monotonic time since.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    anchor_ms: i64,
    start: Instant,
}

impl Clock {
    /// Anchors to the wall clock now.
    #[must_use]
    pub fn start() -> Self {
        Self {
            anchor_ms: crate::kiosk::queue::now_ms(),
            start: Instant::now(),
        }
    }

    /// Unix milliseconds by this clock.
    #[must_use]
    pub fn now_ms(&self) -> i64 {
        self.anchor_ms + i64::try_from(self.start.elapsed().as_millis()).unwrap_or(i64::MAX / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn moves_with_monotonic_time_only() {
        let c = Clock::start();
        let t0 = c.now_ms();
        tokio::time::sleep(std::time::Duration::from_secs(90)).await;
        let t1 = c.now_ms();
        assert!((90_000..90_100).contains(&(t1 - t0)), "{}", t1 - t0);
    }
}
