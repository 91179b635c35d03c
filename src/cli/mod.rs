//! The headless commands of the kiosk side (`status`, `import`, `export`, `flush`) and `demo` (plus `completions` and `man`, see `manual`): each opens the same
//! queue and campaign the TUI uses, prints for IT staff, and returns a process exit code.

pub mod demo;
pub mod export;
pub mod flush;
pub mod import;
pub mod manual;
pub mod status;

use crate::config::Config;
use crate::form::{Campaign, Context};
use crate::thai::date::{ThaiDate, today_be_from_unix};

/// Today's date at this kiosk (local time zone), for "born in the future" checks.
#[must_use]
pub fn today() -> ThaiDate {
    let now = chrono::Local::now();
    today_be_from_unix(now.timestamp(), now.offset().local_minus_utc())
}

/// The validation context for now.
#[must_use]
pub fn context() -> Context {
    Context { today: today() }
}

/// The campaign this kiosk runs (config directory override, else built in).
pub fn campaign(config: &Config) -> Result<Campaign, crate::form::CampaignError> {
    Campaign::load(&config.campaign, Some(&config.campaigns_dir()))
}

/// `2026-11-25T19:55:00Z` for a Unix-millisecond time.
#[must_use]
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// "2 min ago", "3 h ago", "5 days ago" for an age in seconds.
#[must_use]
pub fn ago(secs: i64) -> String {
    match secs.max(0) {
        s if s < 90 => format!("{s} s ago"),
        s if s < 90 * 60 => format!("{} min ago", s / 60),
        s if s < 48 * 3600 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
}

/// A small tokio runtime for commands that talk to the network (2 workers: low-spec kiosks).
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}
