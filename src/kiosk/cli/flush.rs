//! `ruamjai flush [--timeout SECS]`: sends everything pending now, with a progress bar on a
//! terminal. Exit 0 when nothing is left pending and nothing waits for correction; otherwise one
//! line saying why: 1 records left unsent (hub unreachable or busy, time ran out, no hub), 2 not
//! authorised or `kiosk_id` not set, 3 records rejected by the hub waiting for correction. Safe beside a running TUI.
//! Afterwards it applies retention (`retention_days`), as the kiosk's background sender does.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::kiosk::config::Config;
use crate::kiosk::queue::QueueError;
use crate::kiosk::sync;

/// Why a flush could not run.
#[derive(Debug, thiserror::Error)]
pub enum FlushError {
    /// The runtime could not be built.
    #[error(transparent)]
    Runtime(std::io::Error),
    /// The sender could not be set up (the queue, the hub addresses), as it says.
    #[error(transparent)]
    Sender(#[from] sync::SetupError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// `ruamjai flush`: the flush on the kiosk's runtime; returns the exit code.
pub fn start(config: &Config, timeout: Duration) -> Result<i32, FlushError> {
    let rt = super::kiosk::runtime().map_err(FlushError::Runtime)?;
    rt.block_on(run(config, timeout))
}

/// Runs the flush; returns the exit code.
pub async fn run(config: &Config, timeout: Duration) -> Result<i32, FlushError> {
    let owner = format!("flush-{}", std::process::id());
    let mut engine = sync::engine_for(config, &owner)?;
    engine.refresh_counts()?;
    let bar =
        ProgressBar::with_draw_target(Some(engine.status.unsent), ProgressDrawTarget::stderr());
    let report = sync::flush(&mut engine, timeout, &|n| bar.inc(n as u64)).await?;
    bar.finish_and_clear();
    sync::apply_retention(
        &mut engine,
        crate::kiosk::queue::now_ms(),
        config.retention_days,
    );
    sync::apply_shown_retention(
        &mut engine,
        crate::kiosk::queue::now_ms(),
        config.retain_hours,
    );
    tracing::info!(
        sent = report.sent,
        unsent = report.unsent,
        rejected = report.rejected,
        "flush done"
    );
    let code = if report.not_authorised {
        2
    } else if report.unsent > 0 {
        1
    } else if report.rejected > 0 {
        3
    } else {
        0
    };
    match (code, &report.reason) {
        (0, _) => println!("{} sent, nothing pending", report.sent),
        (3, _) => println!(
            "{} sent; {} rejected by the hub, waiting for correction on the queue screen",
            report.sent, report.rejected
        ),
        (_, reason) => println!(
            "{} sent, {} still pending: {}",
            report.sent,
            report.unsent,
            reason.as_deref().unwrap_or("unknown reason")
        ),
    }
    Ok(code)
}
