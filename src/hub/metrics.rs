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

use super::store::{Db, DbError};
use crate::form::Campaign;

type Labels = Vec<(&'static str, String)>;

/// The content type of the answer.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

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
    doses_left: Family<Labels, Gauge>,
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
            registry: Mutex::new(Registry::with_prefix("ruamjai_hub")),
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
            doses_left: Family::default(),
            shed_recent: Recent::default(),
            limited_recent: Recent::default(),
        };
        if let Ok(mut r) = m.registry.lock() {
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
                "doses_left",
                "Doses left under the quota, per target group (group=\"all\" for the campaign)",
                m.doses_left.clone(),
            );
        }
        m
    }
}

/// The route a path belongs to (a bounded label: ids are not labels).
fn route(path: &str) -> &'static str {
    match path {
        "/v1/health" => "/v1/health",
        "/v1/submissions" => "/v1/submissions",
        "/v1/campaign" => "/v1/campaign",
        "/v1/heartbeat" => "/v1/heartbeat",
        "/v1/stats" => "/v1/stats",
        "/metrics" => "/metrics",
        p if p.starts_with("/dashboard") => "/dashboard",
        p if p.starts_with("/v1/submissions/") => "/v1/submissions/{id}",
        _ => "other",
    }
}

impl Metrics {
    /// One request answered.
    pub fn request(&self, path: &str, status: u16) {
        match status {
            503 => self.shed_recent.add(now_secs()),
            429 => self.limited_recent.add(now_secs()),
            _ => {}
        }
        self.requests
            .get_or_create(&vec![
                ("route", route(path).to_owned()),
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
    ) -> Result<String, DbError> {
        self.writer_queue
            .set(i64::try_from(queued).unwrap_or(i64::MAX));
        self.read_kiosks(db, now_ms)?;
        self.read_doses(db, campaign)?;
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = encode(&mut out, &registry);
        }
        Ok(out)
    }

    fn read_kiosks(&self, db: &mut dyn Db, now_ms: i64) -> Result<(), DbError> {
        let rows = db.query(
            "SELECT k.name, h.pending, h.oldest_pending_age_secs, h.received_at
             FROM kiosks k JOIN heartbeats h ON h.kiosk_id = k.id
             WHERE k.revoked_at IS NULL AND k.is_admin = 0",
            &[],
        )?;
        self.kiosk_pending.clear();
        self.kiosk_oldest_pending.clear();
        self.kiosk_heartbeat_age.clear();
        for r in rows {
            let (name, pending, oldest, seen) = (r.text(0)?, r.int(1)?, r.opt_int(2)?, r.int(3)?);
            let labels = vec![("kiosk", name)];
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
        let counts = super::stats::group_counts(db, &campaign.id)?;
        let quotas = super::counts::Quotas::read(db, campaign)?;
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
    fn ids_never_become_labels() {
        assert_eq!(
            route("/v1/submissions/0190d9a4-0000-7000-8000-000000000000"),
            "/v1/submissions/{id}"
        );
        assert_eq!(route("/anything/else"), "other");
        let m = Metrics::default();
        for i in 0..100 {
            m.request(&format!("/v1/submissions/{i}"), 404);
        }
        let mut out = String::new();
        encode(&mut out, &m.registry.lock().unwrap()).unwrap();
        assert_eq!(
            out.matches("ruamjai_hub_requests_total{").count(),
            1,
            "{out}"
        );
        assert!(out.contains("status=\"404\"} 100"), "{out}");
    }

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
