//! How long the work already given to the writer would take: the hub sheds by time, not only by
//! count. A fixed number of requests in flight is a fine bound when commits are fast (SQLite on
//! a local disk), but on a store across the network, or a slow disk, the same number of batches
//! can wait seconds. So a batch is also answered `503` when the submissions admitted and not yet
//! answered would take the writer longer than the budget at its recent pace.
//!
//! The pace is a moving average of submissions per second over the writer's commits (while it
//! works; idle time does not count). Before the first commit nothing is refused on this ground.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The writer's backlog and pace.
#[derive(Debug, Default)]
pub struct Backlog {
    /// Submissions admitted and not yet answered.
    queued: AtomicU64,
    /// Submissions per second, averaged over recent commits (0: not known yet).
    pace: Mutex<f64>,
    /// Since when the writer's current commit has been under way (`None`: it waits for work).
    committing: Mutex<Option<std::time::Instant>>,
}

/// Weight of the newest commit in the average.
const NEWEST: f64 = 0.2;

impl Backlog {
    /// Takes `items` into the backlog unless, at the writer's pace, the backlog with them would
    /// take longer than `budget`.
    pub fn admit(&self, items: u64, budget: Duration) -> bool {
        let pace = self.pace.lock().map_or(0.0, |p| *p);
        let queued = self.queued.load(Ordering::Relaxed);
        if pace > 0.0 && (queued + items) as f64 / pace > budget.as_secs_f64() && queued > 0 {
            return false;
        }
        self.queued.fetch_add(items, Ordering::Relaxed);
        true
    }

    /// `items` answered (committed or failed), after `took` of the writer's time.
    pub fn done(&self, items: u64, took: Duration) {
        let _ = self
            .queued
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |q| {
                Some(q.saturating_sub(items))
            });
        let secs = took.as_secs_f64();
        if items == 0 || secs <= 0.0 {
            return;
        }
        if let Ok(mut pace) = self.pace.lock() {
            let now = items as f64 / secs;
            *pace = if *pace > 0.0 {
                *pace * (1.0 - NEWEST) + now * NEWEST
            } else {
                now
            };
        }
    }

    /// The writer starts a commit.
    pub fn started(&self) {
        if let Ok(mut c) = self.committing.lock() {
            *c = Some(std::time::Instant::now());
        }
    }

    /// The writer's commit ended (committed or not).
    pub fn finished(&self) {
        if let Ok(mut c) = self.committing.lock() {
            *c = None;
        }
    }

    /// How long the writer's current commit has been under way, if one is: a store that takes
    /// reads but not commits (a synchronous standby gone, a lock held) shows here.
    pub fn commit_age(&self) -> Option<Duration> {
        self.committing.lock().ok()?.map(|t| t.elapsed())
    }

    /// Submissions admitted and not yet answered.
    pub fn queued(&self) -> u64 {
        self.queued.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backlog_longer_than_the_budget_is_refused_until_it_drains() {
        let b = Backlog::default();
        let budget = Duration::from_millis(500);
        // No pace known yet: admitted.
        assert!(b.admit(100, budget));
        b.done(100, Duration::from_millis(100)); // 1,000 per second
        assert!(b.admit(300, budget));
        assert!(b.admit(150, budget), "450 of 500 ms");
        assert!(!b.admit(100, budget), "550 ms would be over");
        assert_eq!(b.queued(), 450);
        b.done(450, Duration::from_millis(450));
        assert!(b.admit(100, budget), "drained");
        // One batch larger than the budget alone is still taken when nothing waits.
        b.done(100, Duration::from_millis(100));
        assert!(b.admit(5_000, budget));
    }
}
