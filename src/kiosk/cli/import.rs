//! `ruamjai import FILE.csv [--dry-run]`: paper lists typed into a spreadsheet. Every row goes through
//! the form's own validation; invalid rows are listed with line, column and reason (exit code 1);
//! the valid rows of one file are enqueued in ONE transaction, so a crash leaves all or none.
//! A person already queued for the campaign (from an earlier import or the form) is not added again.
//! The file may be UTF-8 or Windows-874 (Excel's plain "CSV" on a Thai PC); `decode` says which.

use crate::core::csv_text as decode;

pub use decode::NotText;

use std::io::Read;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget};

use crate::core::form::{Campaign, CampaignError, Context, FieldKey, FormInput, validate};
use crate::core::thai::{Bilingual, Lang};
use crate::kiosk::config::Config;
use crate::kiosk::queue::{EnqueueResult, NewRecord, QueueError, now_ms};

/// Why a file could not be imported at all (a row's own problems are [`RowError`]s).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}", path.display())]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{} cannot be read", path.display())]
    NotText {
        path: std::path::PathBuf,
        source: decode::NotText,
    },
    #[error("cannot read the header line")]
    Header(#[source] csv::Error),
    #[error(
        "line 1: unknown column {0:?} (expected: id_type, id_number, title, ..., or a question of the campaign by its key or label)"
    )]
    UnknownColumn(String),
    #[error("line 1: the column {0} is missing")]
    MissingColumn(&'static str),
    #[error(transparent)]
    Campaign(#[from] CampaignError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// One row that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line of the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub reason: String,
}

/// What an import found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub valid: Vec<(u64, NewRecord)>,
    pub errors: Vec<RowError>,
    /// What the form would have warned about, for rows that are saved all the same.
    pub warnings: Vec<RowError>,
}

/// How `import` runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mode {
    /// Validate only; save nothing.
    pub dry_run: bool,
    /// Warnings make the exit code 1, as errors do.
    pub strict: bool,
}

/// The file's own line number (1-based, as an editor or a spreadsheet shows it) of a byte
/// offset, for offsets that only grow. A quoted field may hold line breaks, so a row's line is
/// not its row number plus one.
struct LineOf<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineOf<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The line of the record that csv says starts at `byte`. After a CRLF csv puts the start
    /// on the LF, so the record's first character is past any line-end bytes there.
    #[allow(clippy::naive_bytecount)] // one pass over a file of a few MB; no crate for that
    fn at(&mut self, byte: u64) -> u64 {
        let mut byte = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(byte)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            byte += 1;
        }
        if byte > self.byte {
            let breaks = self.text[self.byte..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += breaks as u64;
            self.byte = byte;
        }
        self.line
    }
}

/// The field a header names: a built-in field's key, or one of the campaign's questions by its
/// key or by either of its labels.
fn column(campaign: &Campaign, header: &str) -> Option<FieldKey> {
    if let Some(k) = FieldKey::parse(header).or_else(|| campaign.key(header)) {
        return Some(k);
    }
    let h = crate::core::thai::normalize::normalize_text(header).to_lowercase();
    campaign
        .questions()
        .find(|q| q.th == h || q.en.to_lowercase() == h)
        .map(|q| q.key)
}

/// Reads and validates a CSV file's text.
pub fn check(
    text: &str,
    campaign: &Campaign,
    ctx: Context,
    operator: &str,
    lang: Lang,
    progress: &ProgressBar,
) -> Result<Outcome, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(ImportError::Header)?.clone();
    let mut keys = Vec::new();
    for h in &headers {
        let h = h.trim().trim_start_matches('\u{feff}');
        match column(campaign, h) {
            Some(k) => keys.push(k),
            None => return Err(ImportError::UnknownColumn(h.to_owned())),
        }
    }
    for must in [
        FieldKey::IdType,
        FieldKey::IdNumber,
        FieldKey::FirstName,
        FieldKey::LastName,
    ] {
        if !keys.contains(&must) {
            return Err(ImportError::MissingColumn(must.as_str()));
        }
    }
    let mut out = Outcome::default();
    let mut lines = LineOf::new(text);
    for row in reader.records() {
        progress.inc(1);
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                out.errors.push(RowError {
                    line,
                    column: String::new(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = row.position().map_or(0, |p| lines.at(p.byte()));
        let mut input = FormInput::default();
        for (key, value) in keys.iter().zip(row.iter()) {
            input.set(*key, value);
        }
        let checked = validate(campaign, &input, ctx);
        out.warnings
            .extend(checked.warnings.iter().map(|w| RowError {
                line,
                column: w.field().as_str().to_owned(),
                reason: w.say(lang),
            }));
        match checked.registration {
            Some(reg) => out
                .valid
                .push((line, NewRecord::from_registration(&reg, operator, None))),
            None => out
                .errors
                .extend(checked.errors.into_iter().map(|e| RowError {
                    line,
                    column: e.field.as_str().to_owned(),
                    reason: e.problem.say(lang),
                })),
        }
    }
    Ok(out)
}

fn progress_bar(len: u64) -> ProgressBar {
    // Hidden by indicatif itself when stderr is not a terminal (piped, cron).
    ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
}

/// Runs the import; returns the exit code (0 all good, 1 some rows invalid, or with
/// [`Mode::strict`] some rows warned about).
pub fn run(
    config: &Config,
    file: &Path,
    mode: Mode,
    operator: Option<&str>,
) -> Result<i32, ImportError> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| ImportError::Read {
            path: file.to_owned(),
            source,
        })?;
    let (text, encoding) = decode::decode(bytes).map_err(|source| ImportError::NotText {
        path: file.to_owned(),
        source,
    })?;
    println!("{}: read as {}", file.display(), encoding.name());
    let campaign = config.campaign()?;
    let operator = operator.map_or_else(|| format!("import:{}", file.display()), str::to_owned);
    let rows = text.lines().count().saturating_sub(1) as u64;
    let bar = progress_bar(rows);
    let outcome = check(
        &text,
        &campaign,
        crate::core::form::Context::now(),
        &operator,
        config.lang,
        &bar,
    )?;
    bar.finish_and_clear();
    let mut said: Vec<(&RowError, &str)> = outcome
        .errors
        .iter()
        .map(|e| (e, ""))
        .chain(outcome.warnings.iter().map(|w| (w, "warning: ")))
        .collect();
    said.sort_by_key(|(e, _)| e.line);
    for (e, kind) in said {
        eprintln!("line {}, column {}: {kind}{}", e.line, e.column, e.reason);
    }
    let bad_lines = {
        let mut l: Vec<u64> = outcome.errors.iter().map(|e| e.line).collect();
        l.dedup();
        l.len()
    };
    let warned = outcome.warnings.len();
    let code = i32::from(bad_lines > 0 || (mode.strict && warned > 0));
    if mode.dry_run {
        println!(
            "{} valid rows, {bad_lines} invalid rows, {warned} warnings (dry run: nothing saved)",
            outcome.valid.len()
        );
        return Ok(code);
    }
    let mut queue = config.open_queue()?;
    let records: Vec<NewRecord> = outcome.valid.iter().map(|(_, r)| r.clone()).collect();
    let results = queue.enqueue_many(&records, now_ms())?;
    let mut saved = 0;
    for ((line, _), result) in outcome.valid.iter().zip(&results) {
        match result {
            EnqueueResult::Saved { .. } => saved += 1,
            EnqueueResult::AlreadyQueued { reference } => {
                eprintln!("line {line}: already queued as {reference}, not added again");
            }
        }
    }
    tracing::info!(
        saved,
        invalid = bad_lines,
        "import of {} rows",
        outcome.valid.len()
    );
    println!(
        "{saved} saved, {} already queued, {bad_lines} invalid rows, {warned} warnings",
        results.len() - saved
    );
    Ok(code)
}
