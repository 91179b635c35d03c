//! What the dashboard shows, read from the store in one go: totals by outcome, the live counts per
//! target group, each kiosk's registrations today and last heartbeat, and the day's registrations
//! per hour (Thailand time). One scan of the submissions serves the totals, the kiosks' today and
//! the hours; the other reads are small tables (kiosks, heartbeats, group counts, counters), the
//! cancellations (a count per group over an index, the latest few from the history), and, when
//! the form has choice questions, a second scan that counts their answers (`choices`).
//!
//! [`Cache`] makes that one read serve every open dashboard: a snapshot younger than the refresh
//! interval is handed out again, and only one read runs at a time however many pages ask, so ten
//! dashboards cost the store what one does, and none costs nothing. The scan grows with the
//! table, so a snapshot is also kept for [`COST_SHARE`] times as long as its read took: the
//! dashboard never takes more than about 1/20 of a core, however large the day gets.
//!
//! Nothing here reads a person's name, ID, phone or registration: counts and kiosk names only
//! (the answers to the choice questions are counted by the store, `choices`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::core::form::Campaign;
use crate::core::protocol::{CancellationStats, OutcomeCounts};
use crate::hub::intake::counts::Quotas;
use crate::hub::intake::counts::group_counts;
use crate::hub::reports::stats::{
    COUNTS, LATEST_CANCELLATIONS, THAILAND_OFFSET_SECS, cancellations, counts_of,
};
use crate::hub::store::db::{Db, DbError};

/// One kiosk as the dashboard sees it (admins and revoked kiosks are left out).
#[derive(Clone, Debug, Default)]
pub struct Kiosk {
    pub name: String,
    pub point: String,
    /// Accepted and waitlisted registrations received today (Thailand time).
    pub today: u64,
    /// The last heartbeat: when it arrived (Unix ms), and what it said.
    pub heard_at: Option<i64>,
    pub pending: u64,
    pub oldest_pending_secs: Option<u64>,
    pub version: Option<String>,
}

/// Everything read in one refresh.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// When it was read, Unix ms.
    pub at_ms: i64,
    pub totals: OutcomeCounts,
    pub conflicts: u64,
    /// Live (accepted, waitlisted) per group number.
    pub groups: HashMap<u8, (u64, u64)>,
    /// The quotas in force (the definition's, or what `hub set-quota` set).
    pub quotas: Quotas,
    pub kiosks: Vec<Kiosk>,
    /// Accepted and waitlisted registrations received in each hour of today, 00–23.
    pub hours: [u64; 24],
    /// The campaign's cancellations: per group, and the latest few (who, why).
    pub cancellations: CancellationStats,
    /// The vaccination sites per day, and the people given the default site.
    pub sites: crate::hub::sites::listing::Sites,
    /// The answers to the form's choice questions among the live registrations (`choices`).
    pub choices: super::choices::Counts,
}

/// The start of the day of `now_ms` in Thailand, as Unix ms.
#[must_use]
pub fn day_start_ms(now_ms: i64) -> i64 {
    let local = now_ms / 1000 + THAILAND_OFFSET_SECS;
    (local - local.rem_euclid(86_400) - THAILAND_OFFSET_SECS) * 1000
}

/// Reads a snapshot of `campaign` at `now_ms` (call on a blocking thread).
pub fn read(db: &mut dyn Db, campaign: &Campaign, now_ms: i64) -> Result<Snapshot, DbError> {
    let mut kiosks = HashMap::new();
    let mut order = Vec::new();
    for r in db.query(
        "SELECT k.id, k.name, k.point, h.received_at, h.pending, h.oldest_pending_age_secs,
                h.version
         FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id
         WHERE k.revoked_at IS NULL AND k.is_admin = 0 ORDER BY k.name",
        &[],
    )? {
        let id = r.int("id")?;
        order.push(id);
        kiosks.insert(
            id,
            Kiosk {
                name: r.text("name")?,
                point: r.text("point")?,
                today: 0,
                heard_at: r.opt_int("received_at")?,
                pending: r.opt_int("pending")?.map_or(0, |p| p.max(0) as u64),
                oldest_pending_secs: r
                    .opt_int("oldest_pending_age_secs")?
                    .map(|a| a.max(0) as u64),
                version: r.opt_text("version")?,
            },
        );
    }
    let start = day_start_ms(now_ms);
    // One pass over the submissions: per kiosk, per hour of today (-1: before today).
    let sql = format!(
        "SELECT s.kiosk_id,
                CASE WHEN s.received_at >= ?1 THEN (s.received_at - ?1) / 3600000 ELSE -1 END
                    AS hour,
                {COUNTS}
         FROM submissions s GROUP BY s.kiosk_id, hour"
    );
    let mut snap = Snapshot {
        at_ms: now_ms,
        ..Snapshot::default()
    };
    for r in db.query(&sql, &[start.into()])? {
        let c = counts_of(&r)?;
        add(&mut snap.totals, &c);
        let live = c.accepted + c.waitlisted;
        if let Ok(hour) = usize::try_from(r.int("hour")?)
            && hour < 24
        {
            snap.hours[hour] += live;
            if let Some(k) = kiosks.get_mut(&r.int("kiosk_id")?) {
                k.today += live;
            }
        }
    }
    snap.conflicts = db
        .query_one(
            "SELECT COALESCE((SELECT value FROM counters WHERE name = 'conflicts'), 0)
                 AS conflicts",
            &[],
        )?
        .count("conflicts")?;
    snap.groups = group_counts(db, &campaign.id)?;
    snap.quotas = Quotas::read(db, campaign)?;
    snap.cancellations = cancellations(db, Some(&campaign.id), LATEST_CANCELLATIONS)?;
    snap.sites = crate::hub::sites::listing::list(db)?;
    snap.choices = super::choices::read(db, campaign)?;
    snap.kiosks = order.iter().filter_map(|id| kiosks.remove(id)).collect();
    Ok(snap)
}

fn add(to: &mut OutcomeCounts, c: &OutcomeCounts) {
    to.accepted += c.accepted;
    to.duplicates += c.duplicates;
    to.waitlisted += c.waitlisted;
    to.rejected += c.rejected;
    to.superseded += c.superseded;
}

/// A snapshot is kept at least this many times as long as reading it took.
pub const COST_SHARE: u32 = 20;

/// The last snapshot, and whether the read that should have refreshed it failed.
#[derive(Clone, Debug)]
pub struct Seen {
    pub snapshot: Arc<Snapshot>,
    /// The store could be read at the last try.
    pub store_ok: bool,
    /// When the last try was made.
    pub tried: Instant,
    /// How long it took.
    pub took: Duration,
}

/// One snapshot shared by every dashboard, read again at most once per `refresh`.
pub struct Cache {
    refresh: Duration,
    last: Mutex<Option<Seen>>,
    /// Held while the store is read: whoever waited uses that read.
    reading: tokio::sync::Mutex<()>,
    /// Store reads made, since start (for tests and the benchmark's notes).
    pub reads: std::sync::atomic::AtomicU64,
}

impl Cache {
    #[must_use]
    pub fn new(refresh: Duration) -> Self {
        Self {
            refresh,
            last: Mutex::new(None),
            reading: tokio::sync::Mutex::new(()),
            reads: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn fresh(&self, asked: Option<Instant>) -> Option<Seen> {
        let last = self.last.lock().ok()?.clone()?;
        let young = last.tried.elapsed() < self.refresh.max(last.took * COST_SHARE);
        (young || asked.is_some_and(|a| last.tried >= a)).then_some(last)
    }

    /// The current snapshot: the cached one while young, else one read by `read_now` (one
    /// caller at a time; those who waited get its result). A failed read keeps the last
    /// snapshot and says the store could not be read.
    pub async fn get<F>(&self, read_now: F) -> Seen
    where
        F: std::future::Future<Output = Result<Snapshot, ()>>,
    {
        if let Some(seen) = self.fresh(None) {
            return seen;
        }
        let asked = Instant::now();
        let _one = self.reading.lock().await;
        if let Some(seen) = self.fresh(Some(asked)) {
            return seen;
        }
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let started = Instant::now();
        let result = read_now.await;
        let took = started.elapsed();
        let previous = self.last.lock().ok().and_then(|l| l.clone());
        let seen = match result {
            Ok(s) => Seen {
                snapshot: Arc::new(s),
                store_ok: true,
                tried: Instant::now(),
                took,
            },
            Err(()) => Seen {
                snapshot: previous.map(|p| p.snapshot).unwrap_or_default(),
                store_ok: false,
                tried: Instant::now(),
                took,
            },
        };
        if let Ok(mut l) = self.last.lock() {
            *l = Some(seen.clone());
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_starts_at_midnight_in_thailand() {
        // 2021-07-16 00:00 +07:00 is 2021-07-15 17:00 UTC.
        let midnight = 1_626_368_400_000;
        assert_eq!(day_start_ms(midnight), midnight);
        assert_eq!(day_start_ms(midnight + 23 * 3_600_000), midnight);
        assert_eq!(day_start_ms(midnight - 1), midnight - 86_400_000);
    }
}
