//! `ruamjai export [--state STATE] [--format csv|jsonl] [-o FILE]`: the import's columns plus the
//! queue's own (submission id, reference, state, times, kiosk, operator, hub reference, and the
//! latest appointment: site, date, slot, when vaccinated, security code), then one column per
//! question of the campaign (its key; the import reads it back), so a counter
//! with no network for days can hand over a file. Text is made safe before it is written: no control
//! characters, escape sequences or bidi overrides reach the file raw, and a CSV cell a spreadsheet
//! would run as a formula gets a `'` first (`thai::cell`, the hub's export's rule too). A record
//! whose stored copy cannot be opened (damaged, or changed on disk) is left out, never written as
//! a blank row: the export names those references and fails (`ExportError::Unopened`). A file (`-o`) is created
//! readable by its owner only on Unix (`private::create_file`), since it holds personal data in clear.

use std::io::Write;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::core::form::{FieldKey, FormInput, Registration};
use crate::core::thai::cell::inert;
use crate::core::thai::width::sanitize_for_display;
use crate::kiosk::config::Config;
use crate::kiosk::queue::{ListFilter, Queue, QueueError, Record, State, iso_time};

/// The columns after the form's own: the queue's, then the record's latest appointment (issue
/// 33; empty without one). This kiosk registered the person, so its export carries the security
/// code too (an export needs the PIN, as the code does).
pub const QUEUE_COLUMNS: [&str; 12] = [
    "submission_id",
    "reference",
    "state",
    "created_at",
    "kiosk_id",
    "operator",
    "server_reference",
    "site_id",
    "appointment_date",
    "appointment_slot",
    "vaccinated_at",
    "security_code",
];

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "export writes personal data, which only an open shift can read: give the counter's PIN (RUAMJAI_PIN=… ruamjai export …); nothing was written"
    )]
    NoShift,
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Campaign(#[from] crate::core::form::CampaignError),
    #[error("cannot write {}", path.display())]
    Create {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Write(#[from] std::io::Error),
    #[error(
        "{} record(s) could not be opened and were left out of the export (their on-screen copies are damaged or were changed; the hub keeps what it accepted): {}",
        .0.len(),
        listed(.0)
    )]
    Unopened(Vec<String>),
}

/// At most 20 references, then how many more.
fn listed(references: &[String]) -> String {
    const SHOWN: usize = 20;
    let shown = references[..references.len().min(SHOWN)].join(", ");
    match references.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{shown} and {more} more"),
        _ => shown,
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

/// The header row: the built-in fields, the queue's columns, then `questions` (the campaign's
/// own, by key).
#[must_use]
pub fn header(questions: &[&'static str]) -> Vec<&'static str> {
    FieldKey::ALL
        .iter()
        .map(|k| k.as_str())
        .chain(QUEUE_COLUMNS)
        .chain(questions.iter().copied())
        .collect()
}

/// One record as safe cells, in [`header`] order.
#[must_use]
pub fn cells(rec: &Record, questions: &[&str]) -> Vec<String> {
    let input = rec
        .registration
        .as_ref()
        .map_or_else(FormInput::default, Registration::to_input);
    let mut out: Vec<String> = FieldKey::ALL
        .iter()
        .map(|k| input.get(*k).to_owned())
        .collect();
    out.extend([
        rec.submission_id.to_string(),
        rec.reference.clone(),
        rec.state.as_str().to_owned(),
        iso_time(rec.created_at),
        rec.kiosk_id.clone(),
        rec.operator.clone(),
        rec.server_reference.clone().unwrap_or_default(),
    ]);
    let appointment = rec.appointment.as_ref();
    out.extend([
        appointment.map(|a| a.site_id.clone()).unwrap_or_default(),
        appointment.map(|a| a.date.clone()).unwrap_or_default(),
        appointment.and_then(|a| a.slot.clone()).unwrap_or_default(),
        appointment
            .and_then(|a| a.vaccinated_at)
            .map(iso_time)
            .unwrap_or_default(),
        appointment
            .and_then(|a| a.security_code.clone())
            .unwrap_or_default(),
    ]);
    out.extend(
        questions
            .iter()
            .map(|q| input.answers().get(*q).cloned().unwrap_or_default()),
    );
    out.iter().map(|c| sanitize_for_display(c)).collect()
}

/// Calls `each` for every record matching `state`, oldest first, a page at a time; the
/// references of those that could not be opened go to `unopened` instead.
fn for_each(
    queue: &Queue,
    state: Option<State>,
    unopened: &mut Vec<String>,
    mut each: impl FnMut(&Record) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut after = 0;
    let mut n = 0;
    loop {
        let filter = ListFilter {
            state,
            limit: Some(2000),
            after_seq: Some(after),
            ..ListFilter::default()
        };
        let page = queue.list(&filter)?;
        let Some(last) = page.last() else {
            return Ok(n);
        };
        after = last.1;
        for (rec, _) in &page {
            if rec.unopened {
                unopened.push(rec.reference.clone());
                continue;
            }
            each(rec)?;
            n += 1;
        }
    }
}

/// Writes every record matching `state` to `out`; returns how many, and the references of
/// those left out because they could not be opened.
pub fn write_all(
    queue: &Queue,
    state: Option<State>,
    format: Format,
    questions: &[&'static str],
    out: &mut dyn Write,
    progress: &ProgressBar,
) -> Result<(u64, Vec<String>), ExportError> {
    let names = header(questions);
    let mut unopened = Vec::new();
    let n = match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(&names)?;
            let n = for_each(queue, state, &mut unopened, |rec| {
                progress.inc(1);
                Ok(w.write_record(cells(rec, questions).into_iter().map(inert))?)
            })?;
            w.flush()?;
            n
        }
        Format::Jsonl => for_each(queue, state, &mut unopened, |rec| {
            progress.inc(1);
            let obj: serde_json::Map<String, serde_json::Value> = names
                .iter()
                .zip(cells(rec, questions))
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v)))
                .collect();
            Ok(writeln!(out, "{}", serde_json::Value::Object(obj))?)
        })?,
    };
    out.flush()?;
    Ok((n, unopened))
}

/// Runs the export; returns the exit code.
pub fn run(
    config: &Config,
    state: Option<State>,
    format: Format,
    file: Option<&Path>,
) -> Result<i32, ExportError> {
    let queue = config.open_queue()?;
    if !queue.shift_open() {
        return Err(ExportError::NoShift);
    }
    let campaign = config.campaign()?;
    let questions: Vec<&'static str> = campaign.questions().map(|q| q.key.as_str()).collect();
    let total: u64 = queue.stats()?.counts.values().sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let (n, unopened) = match file {
        Some(path) => {
            // Personal data in clear: for its owner only (0600 on Unix), as the hub's export.
            let file =
                crate::core::private::create_file(path).map_err(|source| ExportError::Create {
                    path: path.to_owned(),
                    source,
                })?;
            let mut f = std::io::BufWriter::new(file);
            write_all(&queue, state, format, &questions, &mut f, &bar)?
        }
        None => write_all(
            &queue,
            state,
            format,
            &questions,
            &mut std::io::stdout().lock(),
            &bar,
        )?,
    };
    bar.finish_and_clear();
    if let Some(path) = file {
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        eprintln!(
            "{n} records exported to {} (personal data in clear: hand it over, then delete it)",
            shown.display()
        );
    }
    if unopened.is_empty() {
        Ok(0)
    } else {
        Err(ExportError::Unopened(unopened))
    }
}
