//! `ruamjai hub export`: its flags, the progress bar on a terminal, and what it prints.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget};

use super::settings::StoreArg;
use crate::hub::error::HubError;
use crate::hub::export::rows::{Filter, State, parse_since};
use crate::hub::export::write::{Format, export};

/// `hub export [--state S] [--group N] [--kiosk NAME] [--since DATE] [--format F] [-o FILE]`
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only registrations in this state.
    #[arg(long, value_enum)]
    state: Option<State>,
    /// Only this target group.
    #[arg(long, value_name = "N")]
    group: Option<u8>,
    /// Only what this kiosk sent (its name at the hub).
    #[arg(long, value_name = "NAME")]
    kiosk: Option<String>,
    /// Only what the hub received on or after this date (YYYY-MM-DD in Thailand's time, either
    /// era: 2026-12-01 or 2569-12-01) or instant (RFC 3339).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// csv (UTF-8 with a byte-order mark), jsonl (one JSON object a line), or xlsx (an Excel
    /// workbook: ID numbers and phones stay text; needs -o).
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Write here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Who exports (kept in the access log, `hub audit`); default the login name.
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
}

/// Runs `hub export`; the exit code.
pub fn run(args: &ExportArgs, dir: &Path) -> Result<i32, HubError> {
    let bad = HubError::BadArgument;
    let filter = Filter {
        state: args.state,
        group: args.group,
        kiosk: args.kiosk.clone(),
        since_ms: args
            .since
            .as_deref()
            .map(parse_since)
            .transpose()
            .map_err(|e| bad(format!("--since {e}")))?,
    };
    let database = super::settings::database(&args.store, dir)?;
    // A bar only where someone watches, and never mixed into the rows on standard output.
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let done = export(
        &database,
        &filter,
        args.format,
        args.output.as_deref(),
        &mut |total| bar.set_length(total),
        &mut || bar.inc(1),
    );
    bar.finish_and_clear();
    // A file cut short is not left to pass for the list (a header alone reads "nobody").
    let n = done.inspect_err(|_| {
        if let Some(path) = &args.output {
            let _ = std::fs::remove_file(path);
        }
    })?;
    if let Some(path) = &args.output {
        eprintln!("{n} registrations exported to {}", path.display());
    }
    // The read of personal data is kept: who, what, which filter, how many rows.
    let who = super::admin::login(args.by.as_ref());
    let asked = describe(args);
    let mut db = database.connect_existing()?;
    crate::hub::access::roles::record(
        db.as_mut(),
        &who,
        "hub export",
        &asked,
        n,
        crate::hub::clock::now_ms(),
    )
    .map_err(|e| database.error(&e))?;
    Ok(0)
}

/// The filter and format an export was asked for, as the access log keeps it.
fn describe(args: &ExportArgs) -> String {
    let mut said = Vec::new();
    if let Some(s) = args.state {
        said.push(format!("state={}", s.as_str()));
    }
    if let Some(g) = args.group {
        said.push(format!("group={g}"));
    }
    if let Some(k) = &args.kiosk {
        said.push(format!("kiosk={k}"));
    }
    if let Some(s) = &args.since {
        said.push(format!("since={s}"));
    }
    said.push(format!("format={:?}", args.format).to_lowercase());
    said.join("&")
}
