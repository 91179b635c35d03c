//! `ruamjai printer test` and `ruamjai receipt print REFERENCE [--png FILE]`: the counter's
//! printer checked with a slip of Thai and a QR code, and a saved registration's slip printed
//! again (or written as a PNG to check without paper). The record's group and ID come from its
//! on-screen copy, which needs the shift open (`RUAMJAI_PIN`); without it they are left off and
//! it says so.

use std::path::Path;

use crate::kiosk::config::Config;
use crate::kiosk::print::{self, PrintError, Printer, Slip, SlipState, Width};
use crate::kiosk::queue::{ListFilter, QueueError, now_ms};

/// Why a slip was not printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintCommandError {
    #[error(
        "no printer is configured: add [printer] with device = \"tcp://HOST:9100\" (or a device file, or \"cups:QUEUE\") to {0}"
    )]
    NoPrinter(String),
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error("the queue: {0}")]
    Queue(#[from] QueueError),
    #[error("the campaign: {0}")]
    Campaign(String),
    #[error("no record {0} in this kiosk's queue")]
    NotFound(String),
    #[error("cannot write {file}: {message}")]
    Write { file: String, message: String },
}

fn printer(config: &Config) -> Result<&Printer, PrintCommandError> {
    config
        .printer
        .as_ref()
        .ok_or_else(|| PrintCommandError::NoPrinter(config.config_path.display().to_string()))
}

/// `ruamjai printer test`: a test slip to the configured printer (or `--png FILE`).
pub fn test(config: &Config, png: Option<&Path>) -> Result<i32, PrintCommandError> {
    let mut slip = Slip::test(&config.point_name, config.lang);
    slip.utc_offset_secs = local_offset();
    out(config, &slip, png)
}

/// `ruamjai receipt print REFERENCE [--png FILE]`.
pub fn receipt(
    config: &Config,
    reference: &str,
    png: Option<&Path>,
) -> Result<i32, PrintCommandError> {
    let campaign = config
        .campaign()
        .map_err(|e| PrintCommandError::Campaign(e.to_string()))?;
    let queue = config.open_queue()?;
    let wanted = squeeze(reference);
    let found = queue
        .list(&ListFilter {
            search: Some(reference.to_owned()),
            newest_first: true,
            limit: Some(50),
            ..ListFilter::default()
        })?
        .into_iter()
        .map(|(r, _)| r)
        .find(|r| squeeze(&r.reference) == wanted)
        .ok_or_else(|| PrintCommandError::NotFound(reference.to_owned()))?;
    if found.registration.is_none() {
        eprintln!(
            "ruamjai: the shift is not open (RUAMJAI_PIN), so the slip leaves off the group and the ID number"
        );
    }
    let mut slip = Slip::new(
        &campaign,
        &config.point_name,
        config.lang,
        &found.reference,
        found.registration.as_ref(),
        SlipState::of(found.state, found.outcome.as_ref()),
        Some(found.created_at),
        config.printer.as_ref().and_then(|p| p.bring.clone()),
    );
    slip.utc_offset_secs = local_offset();
    if let Some(a) = &found.appointment {
        slip.set_appointment(a);
    }
    out(config, &slip, png)
}

fn out(config: &Config, slip: &Slip, png: Option<&Path>) -> Result<i32, PrintCommandError> {
    if let Some(file) = png {
        let width = config.printer.as_ref().map_or(Width::Mm58, |p| p.width);
        let bytes = print::png(slip, width, now_ms())?;
        std::fs::write(file, bytes).map_err(|e| PrintCommandError::Write {
            file: file.display().to_string(),
            message: e.to_string(),
        })?;
        println!("slip {} written to {}", slip.reference, file.display());
        return Ok(0);
    }
    let p = printer(config)?;
    let done = print::print(p, slip, now_ms())?;
    tracing::info!(reference = %slip.reference, bytes = done.bytes, "slip printed");
    println!(
        "slip {} sent to {} ({} bytes){}",
        slip.reference,
        p.device,
        done.bytes,
        if done.paper_low {
            "; the paper is running out"
        } else {
            ""
        }
    );
    Ok(0)
}

/// A reference compared without case, spaces or dashes.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn local_offset() -> i32 {
    chrono::Local::now().offset().local_minus_utc()
}
