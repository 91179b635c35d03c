//! `ruamjai flush [--timeout SECS]`: sends everything pending now, with a progress bar on a
//! terminal. Exit 0 when nothing is left pending and nothing waits for correction; otherwise one
//! line saying why: 1 records left unsent (hub unreachable or busy, time ran out, no hub), 2 not
//! authorised or `kiosk_id` not set, 3 records rejected by the hub waiting for correction. Safe beside a running TUI.
//! Afterwards it applies retention (`retention_days`), as the kiosk's background sender does.
//! On a site's kiosk (check-in, issue 33 part 4) it also downloads the site's list and sends the
//! doses recorded, and says so in a second line; a list not downloaded or doses left unsent
//! make it exit 1 too.

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
    let check_in_failed = report
        .check_in
        .as_ref()
        .is_some_and(|c| c.problem.is_some() || c.doses_pending > 0);
    let code = if report.not_authorised {
        2
    } else if report.unsent > 0 || check_in_failed {
        1
    } else if report.rejected > 0 {
        3
    } else {
        0
    };
    match (code, &report.reason) {
        (0 | 1, _) if report.unsent == 0 && report.rejected == 0 => {
            println!("{} sent, nothing pending", report.sent);
        }
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
    if let Some(check_in) = &report.check_in {
        println!("{}", check_in_line(check_in));
    }
    Ok(code)
}

/// `1 dose`, `2 doses`.
fn doses(n: impl std::fmt::Display) -> String {
    let n = n.to_string();
    if n == "1" { n + " dose" } else { n + " doses" }
}

/// `list for SITE: N people on DD/MM/YYYY–DD/MM/YYYY; M doses sent`, and what did not happen.
fn check_in_line(c: &sync::CheckInReport) -> String {
    use std::fmt::Write as _;

    use crate::core::thai::date::iso_to_be_or_as_is;
    let be = iso_to_be_or_as_is;
    let mut line = match &c.list {
        Some(l) => format!(
            "list for {} ({}): {} people on {}–{}",
            l.site_name_en,
            l.site_id,
            l.people,
            be(&l.first_day),
            be(&l.last_day)
        ),
        None => "no list for this site yet".to_owned(),
    };
    let _ = write!(line, "; {} sent", doses(c.doses_sent()));
    if c.doses_refused > 0 {
        let _ = write!(
            line,
            " ({} not recorded by the hub: see `ruamjai status`)",
            c.doses_refused
        );
    }
    if c.doses_pending > 0 {
        let _ = write!(line, "; {} still waiting", doses(c.doses_pending));
    }
    if let Some(problem) = &c.problem {
        let _ = write!(line, "; {problem}");
    }
    line
}
