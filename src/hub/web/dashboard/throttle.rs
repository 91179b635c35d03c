//! How often the dashboard's sign-in may be tried with a wrong token: a token bucket per browser
//! address ([`PER_PEER_BURST`] tries, then one every [`PER_PEER_EVERY`]; behind a trusted proxy,
//! the address it forwarded for, `proxy`) and one for everybody together, so that guessing admin
//! tokens is slow from one address and from many. An admin token the hub knows takes no try
//! (`signin`): a flood of guesses cannot lock the real admin out. The table of addresses is
//! bounded: when it is full, buckets that have filled up again are forgotten, then the oldest.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Sign-in tries from one address at once after a quiet spell.
pub const PER_PEER_BURST: f64 = 5.0;
/// …and then one every so long.
pub const PER_PEER_EVERY: Duration = Duration::from_secs(6);
/// Tries from everybody at once, and then one every so long.
const ALL_BURST: f64 = 60.0;
const ALL_EVERY: Duration = Duration::from_millis(500);
/// Addresses remembered at most.
const MAX_PEERS: usize = 4096;

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// Takes a try at `now`; the seconds to wait when there is none.
    fn take(&mut self, now: Instant, burst: f64, every: Duration) -> Result<(), u64> {
        let refill = now.duration_since(self.last).as_secs_f64() / every.as_secs_f64();
        self.tokens = (self.tokens + refill).min(burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - self.tokens) * every.as_secs_f64();
            Err(wait.ceil().max(1.0) as u64)
        }
    }

    fn full_at(&self, now: Instant, burst: f64, every: Duration) -> bool {
        self.tokens + now.duration_since(self.last).as_secs_f64() / every.as_secs_f64() >= burst
    }
}

/// The sign-in's buckets.
pub struct Throttle {
    peers: Mutex<HashMap<IpAddr, Bucket>>,
    all: Mutex<Option<Bucket>>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self {
            peers: Mutex::new(HashMap::new()),
            all: Mutex::new(None),
        }
    }
}

impl Throttle {
    /// Takes one try for `peer` at `now`; `Err(seconds)` to wait.
    pub fn check(&self, peer: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        let fresh = |burst| Bucket {
            tokens: burst,
            last: now,
        };
        if let Some(ip) = peer {
            let mut peers = self.peers.lock().map_err(|_| 1u64)?;
            if peers.len() >= MAX_PEERS && !peers.contains_key(&ip) {
                peers.retain(|_, b| !b.full_at(now, PER_PEER_BURST, PER_PEER_EVERY));
                if peers.len() >= MAX_PEERS
                    && let Some(oldest) = peers.iter().min_by_key(|(_, b)| b.last).map(|(k, _)| *k)
                {
                    peers.remove(&oldest);
                }
            }
            peers
                .entry(ip)
                .or_insert_with(|| fresh(PER_PEER_BURST))
                .take(now, PER_PEER_BURST, PER_PEER_EVERY)?;
        }
        let mut all = self.all.lock().map_err(|_| 1u64)?;
        all.get_or_insert_with(|| fresh(ALL_BURST))
            .take(now, ALL_BURST, ALL_EVERY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_a_few_tries_then_waits_and_others_still_may() {
        let t = Throttle::default();
        let now = Instant::now();
        let a: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..PER_PEER_BURST as usize {
            assert!(t.check(Some(a), now).is_ok());
        }
        assert_eq!(t.check(Some(a), now), Err(PER_PEER_EVERY.as_secs()));
        assert!(t.check(Some([10, 0, 0, 2].into()), now).is_ok());
        assert!(t.check(Some(a), now + PER_PEER_EVERY).is_ok());
    }

    #[test]
    fn everybody_together_is_limited_too_and_the_table_stays_bounded() {
        let t = Throttle::default();
        let now = Instant::now();
        let refused = (0..200u32)
            .filter(|i| t.check(Some(IpAddr::from(i.to_be_bytes())), now).is_err())
            .count();
        assert_eq!(refused, 200 - ALL_BURST as usize);
        for i in 0..(MAX_PEERS as u32 + 10) {
            let _ = t.check(Some(IpAddr::from((i + 1000).to_be_bytes())), now);
        }
        assert!(t.peers.lock().unwrap().len() <= MAX_PEERS);
    }
}
