//! `GET /metrics` for Prometheus (`OpenMetrics` text, encoded by `prometheus-client`): what this
//! process answered and decided since it started, how busy its writer is, and, read from the
//! store at each scrape with light queries (no scan of the submissions), each kiosk's last
//! reported backlog and heartbeat age and the doses left per group.
//!
//! Names and labels hold kiosk names and group numbers only: never a person's name, ID or phone.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::core::form::Campaign;
use crate::hub::store::db::{Db, DbError};

type Labels = Vec<(&'static str, String)>;

/// The content type of the `OpenMetrics` answer, for a scraper that asks for it (Prometheus does).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The content type of the Prometheus text format (0.0.4), for everything else (`curl`, and
/// `promtool check metrics`, which reads that format).
pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE as TEXT_CONTENT_TYPE;

/// Whether an `Accept` header asks for `OpenMetrics`.
#[must_use]
pub fn wants_openmetrics(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| a.contains("application/openmetrics-text"))
}

/// This process's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<Labels, Counter>,
    outcomes: Family<Labels, Counter>,
    batch_seconds: Histogram,
    commit_jobs: Histogram,
    writer_queue: Gauge,
    kiosk_pending: Family<Labels, Gauge>,
    kiosk_oldest_pending: Family<Labels, Gauge>,
    kiosk_heartbeat_age: Family<Labels, Gauge>,
    kiosk_heard: Family<Labels, Gauge>,
    doses_left: Family<Labels, Gauge>,
    store_up: Gauge,
    /// `503` and `429` answers of the last minute, for the dashboard.
    pub shed_recent: Recent,
    pub limited_recent: Recent,
}

/// Events per second over the last minute: 60 slots, each for the second it was last used.
pub struct Recent {
    slots: Mutex<[(u64, u64); 60]>,
}

impl Default for Recent {
    fn default() -> Self {
        Self {
            slots: Mutex::new([(0, 0); 60]),
        }
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Recent {
    /// One event at second `now`.
    pub fn add(&self, now: u64) {
        if let Ok(mut slots) = self.slots.lock() {
            let slot = &mut slots[(now % 60) as usize];
            if slot.0 != now {
                *slot = (now, 0);
            }
            slot.1 += 1;
        }
    }

    /// Events in the 60 seconds up to second `now`.
    pub fn last_minute(&self, now: u64) -> u64 {
        self.slots.lock().map_or(0, |slots| {
            slots
                .iter()
                .filter(|(at, _)| *at + 60 > now && *at <= now)
                .map(|(_, n)| n)
                .sum()
        })
    }

    /// [`Recent::last_minute`] up to now.
    pub fn now(&self) -> u64 {
        self.last_minute(now_secs())
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let m = Self {
            registry: Mutex::new(Registry::default()),
            requests: Family::default(),
            outcomes: Family::default(),
            batch_seconds: Histogram::new([
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            commit_jobs: Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]),
            writer_queue: Gauge::default(),
            kiosk_pending: Family::default(),
            kiosk_oldest_pending: Family::default(),
            kiosk_heartbeat_age: Family::default(),
            kiosk_heard: Family::default(),
            doses_left: Family::default(),
            store_up: Gauge::default(),
            shed_recent: Recent::default(),
            limited_recent: Recent::default(),
        };
        if let Ok(mut root) = m.registry.lock() {
            let build: Family<Labels, Gauge> = Family::default();
            build
                .get_or_create(&vec![("version", env!("CARGO_PKG_VERSION").to_owned())])
                .set(1);
            root.register(
                "ruamjai_build_info",
                "The build of ruamjai serving, by version",
                build,
            );
            let r = root.sub_registry_with_prefix("ruamjai_hub");
            r.register(
                "store_up",
                "Whether the store answered this scrape's reads (1) or not (0)",
                m.store_up.clone(),
            );
            r.register(
                "requests",
                "Requests answered, by route and status",
                m.requests.clone(),
            );
            r.register(
                "outcomes",
                "Submissions decided, by outcome (accepted, duplicate, waitlisted, rejected, conflict)",
                m.outcomes.clone(),
            );
            r.register(
                "batch_seconds",
                "Time to answer a batch of submissions, accepted for the writer",
                m.batch_seconds.clone(),
            );
            r.register(
                "commit_jobs",
                "Jobs (batches and heartbeats) in one group commit",
                m.commit_jobs.clone(),
            );
            r.register(
                "writer_queue",
                "Jobs waiting for the writer",
                m.writer_queue.clone(),
            );
            r.register(
                "kiosk_pending",
                "Records a kiosk reported still to send, at its last heartbeat",
                m.kiosk_pending.clone(),
            );
            r.register(
                "kiosk_oldest_pending_seconds",
                "Age of a kiosk's oldest unsent record, at its last heartbeat",
                m.kiosk_oldest_pending.clone(),
            );
            r.register(
                "kiosk_heartbeat_age_seconds",
                "Seconds since a kiosk's last heartbeat",
                m.kiosk_heartbeat_age.clone(),
            );
            r.register(
                "kiosk_heard",
                "Whether the hub has heard from a kiosk since it was added (0: never, it is off or not set up)",
                m.kiosk_heard.clone(),
            );
            r.register(
                "doses_left",
                "Doses left under the quota, per target group (group=\"all\" for the campaign)",
                m.doses_left.clone(),
            );
        }
        m
    }
}

impl Metrics {
    /// One request answered by `route` (the router's matched path, `other` for none).
    pub fn request(&self, route: &str, status: u16) {
        match status {
            503 => self.shed_recent.add(now_secs()),
            429 => self.limited_recent.add(now_secs()),
            _ => {}
        }
        self.requests
            .get_or_create(&vec![
                ("route", route.to_owned()),
                ("status", status.to_string()),
            ])
            .inc();
    }

    /// One submission decided.
    pub fn outcome(&self, state: &'static str) {
        self.outcomes
            .get_or_create(&vec![("outcome", state.to_owned())])
            .inc();
    }

    /// One batch answered after `took`.
    pub fn batch(&self, took: Duration) {
        self.batch_seconds.observe(took.as_secs_f64());
    }

    /// One group commit of `jobs` jobs.
    pub fn commit(&self, jobs: usize) {
        self.commit_jobs.observe(jobs as f64);
    }

    /// The text of a scrape: the live values, then what `conn` says now (call from a blocking
    /// thread). `queued` is the writer's queue depth.
    pub fn scrape(
        &self,
        db: &mut dyn Db,
        campaign: &Campaign,
        queued: usize,
        now_ms: i64,
        openmetrics: bool,
    ) -> Result<String, DbError> {
        self.writer_queue
            .set(i64::try_from(queued).unwrap_or(i64::MAX));
        self.read_kiosks(db, now_ms)?;
        self.read_doses(db, campaign)?;
        self.store_up.set(1);
        Ok(self.text(openmetrics))
    }

    /// The text of a scrape when the store cannot be read: what this process knows, the store
    /// marked down, and nothing read from the store (no stale kiosk or dose figures).
    pub fn scrape_store_down(&self, queued: usize, openmetrics: bool) -> String {
        self.writer_queue
            .set(i64::try_from(queued).unwrap_or(i64::MAX));
        self.store_up.set(0);
        self.kiosk_pending.clear();
        self.kiosk_oldest_pending.clear();
        self.kiosk_heartbeat_age.clear();
        self.kiosk_heard.clear();
        self.doses_left.clear();
        self.text(openmetrics)
    }

    fn text(&self, openmetrics: bool) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = if openmetrics {
                encode(&mut out, &registry)
            } else {
                prometheus_client::encoding::prometheus_text::encode(&mut out, &registry)
            };
        }
        out
    }

    fn read_kiosks(&self, db: &mut dyn Db, now_ms: i64) -> Result<(), DbError> {
        let rows = db.query(
            "SELECT k.name, h.pending, h.oldest_pending_age_secs, h.received_at
             FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id
             WHERE k.revoked_at IS NULL AND k.is_admin = 0",
            &[],
        )?;
        self.kiosk_pending.clear();
        self.kiosk_oldest_pending.clear();
        self.kiosk_heartbeat_age.clear();
        self.kiosk_heard.clear();
        for r in rows {
            let labels = vec![("kiosk", r.text("name")?)];
            // A kiosk added and never heard from has a series too: heard 0, and no figures.
            let Some(seen) = r.opt_int("received_at")? else {
                self.kiosk_heard.get_or_create(&labels).set(0);
                continue;
            };
            self.kiosk_heard.get_or_create(&labels).set(1);
            let (pending, oldest) = (
                r.opt_int("pending")?.unwrap_or(0),
                r.opt_int("oldest_pending_age_secs")?,
            );
            self.kiosk_pending.get_or_create(&labels).set(pending);
            self.kiosk_oldest_pending
                .get_or_create(&labels)
                .set(oldest.unwrap_or(0));
            self.kiosk_heartbeat_age
                .get_or_create(&labels)
                .set((now_ms - seen).max(0) / 1000);
        }
        Ok(())
    }

    fn read_doses(&self, db: &mut dyn Db, campaign: &Campaign) -> Result<(), DbError> {
        let counts = crate::hub::intake::counts::group_counts(db, &campaign.id)?;
        let quotas = crate::hub::intake::counts::Quotas::read(db, campaign)?;
        self.doses_left.clear();
        let accepted = |g: u8| counts.get(&g).map_or(0, |(a, _)| *a);
        let total: u64 = counts.values().map(|(a, _)| a).sum();
        let left =
            |quota: u64, used: u64| i64::try_from(quota.saturating_sub(used)).unwrap_or(i64::MAX);
        self.doses_left
            .get_or_create(&vec![("group", "all".to_owned())])
            .set(left(quotas.total_doses(), total));
        for g in &campaign.groups {
            if let Some(q) = quotas.group_doses(g.number) {
                self.doses_left
                    .get_or_create(&vec![("group", g.number.to_string())])
                    .set(left(q, accepted(g.number)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_counts_the_last_sixty_seconds_only() {
        let r = Recent::default();
        for s in [1000, 1000, 1030, 1059] {
            r.add(s);
        }
        assert_eq!(r.last_minute(1059), 4);
        assert_eq!(r.last_minute(1060), 2);
        r.add(1060); // reuses the slot of second 1000
        assert_eq!(r.last_minute(1060), 3);
        assert_eq!(r.last_minute(2000), 0);
    }
}
