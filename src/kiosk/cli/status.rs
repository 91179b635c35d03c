//! `ruamjai status [--json]`: a monitoring check in the Nagios plugin convention. One line and an
//! exit code: 0 OK, 1 WARNING (oldest unsent record older than `warn_pending_minutes`, or
//! `hub_ca_file` unreadable), 2 CRITICAL (older than `critical_pending_minutes`, rejected records
//! waiting for correction, or a queue that cannot be opened), 3 UNKNOWN (no such data directory,
//! a usage error). Why records wait (the last exchange's failure with its cause and fix, the
//! hub's key not known yet) is said whenever it holds, but only the age of the oldest unsent
//! record makes it a warning: a record saved a minute ago on a kiosk that is offline for a
//! minute is not one. Never touches the network: the hub address in use is the one the sender
//! last wrote to the queue's meta table. The appointments the hub gave are counted (plain in the
//! queue: no PIN needed), in the summary once there are any and in the performance data. A
//! vaccination site's kiosk adds its check-in part (`status_checkin`): the list held and the
//! doses recorded, sent and refused; doses waiting warn by age as records do.

use serde::Serialize;

use super::status_checkin::CheckIn;
use crate::kiosk::config::Config;
use crate::kiosk::queue::{Queue, QueueError, QueueStats, iso_time, now_ms};

/// "2 min ago", "3 h ago", "5 days ago" for an age in seconds.
fn ago(secs: i64) -> String {
    match secs.max(0) {
        s if s < 90 => format!("{s} s ago"),
        s if s < 90 * 60 => format!("{} min ago", s / 60),
        s if s < 48 * 3600 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

/// The verdict, in the Nagios order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Ok => "OK",
            Verdict::Warning => "WARNING",
            Verdict::Critical => "CRITICAL",
            Verdict::Unknown => "UNKNOWN",
        }
    }
}

/// Everything `status --json` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub exit_code: i32,
    pub summary: String,
    pub kiosk_id: String,
    pub campaign: String,
    /// The hub address in use: the one that answered last, else the first configured.
    pub hub_url: Option<String>,
    /// Every configured address, the preferred first.
    pub hub_urls: Vec<String>,
    pub counts: std::collections::BTreeMap<String, u64>,
    /// Records the hub moved from the waiting list to accepted (`GET /v1/outcomes`).
    pub moved_to_accepted: u64,
    /// Records cancelled here that the hub has not heard of yet.
    pub cancellations_unsent: u64,
    /// Records the hub gave an appointment (issue 33), and those by their state now.
    pub appointments_received: u64,
    pub appointments: std::collections::BTreeMap<String, u64>,
    pub oldest_pending_age_secs: Option<i64>,
    pub last_sync_ok_at: Option<String>,
    pub last_sync_error: Option<String>,
    /// How the queue seals personal data: the hub key, the PIN, what is not sealed yet.
    pub sealing: crate::kiosk::queue::Sealing,
    /// A vaccination site's kiosk: its list and its doses (issue 33, part 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_in: Option<CheckIn>,
}

/// Adds a site's kiosk's check-in part to `verdict` and `summary`: doses waiting longer than
/// the pending thresholds warn as records do.
fn judge_check_in(config: &Config, c: &CheckIn, now: i64, verdict: &mut Verdict) -> String {
    let mut line = c.summary(now, ago);
    if let Some(at) = c.oldest_pending_at {
        let mins = (now - at) / 60_000;
        let over = |limit: u64| mins >= i64::try_from(limit).unwrap_or(i64::MAX);
        if over(config.critical_pending_minutes) {
            *verdict = (*verdict).max(Verdict::Critical);
        } else if over(config.warn_pending_minutes) {
            *verdict = (*verdict).max(Verdict::Warning);
        }
        if over(config.warn_pending_minutes) {
            line = format!("{line}; oldest dose waiting {mins} min");
        }
    }
    line
}

/// Whether the last exchange with the hub failed (its failure is later than its last success).
fn failing(stats: &QueueStats) -> bool {
    match (stats.last_sync_error_at, stats.last_sync_ok_at) {
        (Some(err), Some(ok)) => err > ok,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Judges a queue's stats at time `now`.
#[must_use]
pub fn judge(config: &Config, stats: &QueueStats, now: i64) -> (Verdict, String) {
    let age = stats.oldest_unsent_created_at.map(|t| (now - t) / 1000);
    let mut verdict = Verdict::Ok;
    let mut reasons = Vec::new();
    if config.kiosk_id_unset() {
        verdict = Verdict::Critical;
        reasons.push("kiosk_id not set, nothing is sent".to_owned());
    }
    let rejected = stats.counts.get("rejected").copied().unwrap_or(0);
    if rejected > 0 {
        verdict = Verdict::Critical;
        reasons.push(format!("{rejected} rejected waiting for correction"));
    }
    if let Some(age) = age {
        let mins = age / 60;
        if mins >= i64::try_from(config.critical_pending_minutes).unwrap_or(i64::MAX) {
            verdict = verdict.max(Verdict::Critical);
            reasons.push(format!("oldest pending {mins} min"));
        } else if mins >= i64::try_from(config.warn_pending_minutes).unwrap_or(i64::MAX) {
            verdict = verdict.max(Verdict::Warning);
            reasons.push(format!("oldest pending {mins} min"));
        }
    }
    if failing(stats) {
        let why = stats.last_sync_error.as_deref().unwrap_or("unknown error");
        reasons.push(format!("last exchange with the hub failed: {why}"));
    }
    if let Some(ca) = &config.hub_ca_file
        && let Err(e) = std::fs::read(ca)
    {
        verdict = verdict.max(Verdict::Warning);
        reasons.push(format!("hub_ca_file {} cannot be read: {e}", ca.display()));
    }
    let seal = &stats.sealing;
    if seal.in_clear > 0 {
        verdict = verdict.max(Verdict::Warning);
        reasons.push(format!(
            "{} records from before sealing still in clear (set the PIN or the hub key to seal them)",
            seal.in_clear
        ));
    }
    if seal.waiting_for_hub_key > 0 {
        reasons.push(format!(
            "{} records wait for the hub's key and an open shift to be sealed for the hub",
            seal.waiting_for_hub_key
        ));
    }
    let sync = match (hub_in_use(config, stats), stats.last_sync_ok_at) {
        (None, _) => "no hub configured".to_owned(),
        (Some(hub), Some(t)) => format!("last sync {} via {hub}", ago((now - t) / 1000)),
        (Some(hub), None) => format!("never synced (hub {hub})"),
    };
    let mut summary = format!("{} pending, {sync}", stats.unsent);
    if stats.appointments_received > 0 {
        summary = format!(
            "{summary}, {} appointments received",
            stats.appointments_received
        );
    }
    if !reasons.is_empty() {
        summary = format!("{summary}; {}", reasons.join("; "));
    }
    (verdict, summary)
}

/// The address the kiosk uses: the one that answered last when it is still configured, else the
/// preferred one.
#[must_use]
pub fn hub_in_use<'a>(config: &'a Config, stats: &'a QueueStats) -> Option<&'a str> {
    let urls = config.hub_url.as_ref()?;
    Some(
        stats
            .hub_in_use
            .as_deref()
            .filter(|u| urls.contains(u))
            .unwrap_or_else(|| urls.first()),
    )
}

/// Says a check that could not look (`why`) is UNKNOWN, as a line or as JSON; the exit code.
#[must_use]
pub fn unknown(why: &str, json: bool) -> u8 {
    if json {
        let report = serde_json::json!({
            "verdict": Verdict::Unknown,
            "exit_code": Verdict::Unknown as i32,
            "summary": why,
        });
        println!("{report}");
    } else {
        println!("RUAMJAI UNKNOWN - {}", why.replace('|', "/"));
    }
    Verdict::Unknown as u8
}

/// Runs the check; returns the exit code.
pub fn run(config: &Config, json: bool) -> i32 {
    let path = config.queue_path();
    let now = now_ms();
    let result: Result<(QueueStats, Option<CheckIn>), QueueError> = if path.exists() {
        Queue::open(&path, &config.kiosk_id)
            .and_then(|q| Ok((q.stats()?, super::status_checkin::read(&q)?)))
    } else {
        Ok((QueueStats::default(), None))
    };
    let (verdict, summary, stats, check_in) = match result {
        Ok((stats, check_in)) => {
            let (mut v, mut s) = judge(config, &stats, now);
            if let Some(c) = &check_in {
                let part = judge_check_in(config, c, now, &mut v);
                s = format!("{s}; {part}");
            }
            (v, s, stats, check_in)
        }
        Err(e) => (
            Verdict::Critical,
            format!("queue cannot be opened: {e}"),
            QueueStats::default(),
            None,
        ),
    };
    let age = stats
        .oldest_unsent_created_at
        .map(|t| (now - t).max(0) / 1000);
    if json {
        let report = Report {
            verdict,
            exit_code: verdict as i32,
            summary,
            kiosk_id: config.kiosk_id.clone(),
            campaign: config.campaign.clone(),
            hub_url: hub_in_use(config, &stats).map(str::to_owned),
            hub_urls: config
                .hub_url
                .as_ref()
                .map_or_else(Vec::new, |u| u.as_slice().to_vec()),
            counts: stats.counts.clone(),
            moved_to_accepted: stats.moved_to_accepted,
            cancellations_unsent: stats.cancellations_unsent,
            appointments_received: stats.appointments_received,
            appointments: stats.appointments.clone(),
            oldest_pending_age_secs: age,
            last_sync_ok_at: stats.last_sync_ok_at.map(iso_time),
            // The last failure only while it is the latest news (not after a recovery).
            last_sync_error: failing(&stats)
                .then(|| stats.last_sync_error.clone())
                .flatten(),
            sealing: stats.sealing.clone(),
            check_in,
        };
        println!(
            "{}",
            serde_json::to_string(&report).unwrap_or_else(|_| "{}".into())
        );
    } else {
        let mut perf: Vec<String> = stats
            .counts
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        perf.push(format!("moved_to_accepted={}", stats.moved_to_accepted));
        perf.push(format!(
            "cancellations_unsent={}",
            stats.cancellations_unsent
        ));
        perf.push(format!(
            "appointments_received={}",
            stats.appointments_received
        ));
        perf.push(format!("oldest_pending_s={}s", age.unwrap_or(0)));
        if let Some(c) = &check_in {
            perf.push(format!("doses_pending={}", c.doses_pending));
            perf.push(format!("doses_sent={}", c.doses_sent));
            perf.push(format!("doses_refused={}", c.doses_refused));
        }
        let summary = summary.replace('|', "/");
        println!(
            "RUAMJAI {} - {summary} | {}",
            verdict.word(),
            perf.join(" ")
        );
    }
    verdict as i32
}
