//! The headless commands of the kiosk side (`status`, `import`, `export`, `flush`, `card read`) and `demo` (plus `completions` and `man`, see `manual`): each opens the same
//! queue and campaign the TUI uses, prints for IT staff, and returns a process exit code.

pub mod card;
pub mod demo;
pub mod export;
pub mod flush;
pub mod import;
pub mod kiosk;
pub mod manual;
pub mod pin;
pub mod status;

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
