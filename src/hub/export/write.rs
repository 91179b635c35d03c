//! Writing an export: CSV (UTF-8 with a byte-order mark, so Excel and LibreOffice read Thai
//! text as Thai), JSON Lines, or an Excel workbook. Rows come a page at a time from one
//! read-only snapshot of the store, so what a file holds is the store at one instant, and
//! memory holds one page whatever the row count.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};

use super::rows::{Entry, Filter, header_with};
use crate::core::thai::cell::inert;
use crate::hub::error::HubError;
use crate::hub::store::Database;
use crate::hub::store::db::{DbError, Kind};

/// Rows read per query.
pub const PAGE_ROWS: usize = 2000;
/// Data rows on one worksheet: Excel's 1,048,576 rows less the header.
const SHEET_ROWS: u32 = 1_048_575;

/// What an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
    Xlsx,
}

/// Where rows go, one at a time.
trait Rows {
    fn row(&mut self, e: &Entry) -> Result<(), HubError>;
    fn finish(self: Box<Self>) -> Result<(), HubError>;
}

/// CSV's writer (quoting, CRLF as RFC 4180 says), or JSON Lines straight to the output.
enum Lines<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Json(&'a mut dyn Write),
}

struct Text<'a> {
    out: Lines<'a>,
    name: String,
    /// The campaigns' questions, a column each after the hub's.
    questions: Vec<&'static str>,
}

impl Text<'_> {
    fn io(&self, source: std::io::Error) -> HubError {
        HubError::Write {
            path: self.name.clone(),
            err: source,
        }
    }

    fn line(&mut self, cells: Vec<String>) -> Result<(), HubError> {
        let written = match &mut self.out {
            Lines::Csv(w) => w
                .write_record(cells.into_iter().map(inert))
                .map_err(std::io::Error::from),
            Lines::Json(w) => {
                let object: serde_json::Map<String, serde_json::Value> =
                    header_with(&self.questions)
                        .into_iter()
                        .zip(cells)
                        .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v)))
                        .collect();
                let mut line = serde_json::Value::Object(object).to_string();
                line.push('\n');
                w.write_all(line.as_bytes())
            }
        };
        written.map_err(|e| self.io(e))
    }
}

impl Rows for Text<'_> {
    fn row(&mut self, e: &Entry) -> Result<(), HubError> {
        let cells = e.cells_with(&self.questions);
        self.line(cells)
    }

    fn finish(mut self: Box<Self>) -> Result<(), HubError> {
        let flushed = match &mut self.out {
            Lines::Csv(w) => w.flush(),
            Lines::Json(w) => w.flush(),
        };
        flushed.map_err(|e| self.io(e))
    }
}

/// The workbook in "constant memory" mode: each row goes to a temporary file (beside the
/// output) as it is written; `finish` zips them into the file.
struct Sheet<'a> {
    book: Workbook,
    sheets: usize,
    row: u32,
    bold: CellFormat,
    path: &'a Path,
    /// The campaigns' questions, a column each after the hub's.
    questions: Vec<&'static str>,
}

/// The workbook writer's `e` for the workbook at `path`, in the operator's words.
fn workbook_error(path: &Path, e: &XlsxError) -> HubError {
    HubError::Workbook {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

impl Sheet<'_> {
    fn err(&self, e: &XlsxError) -> HubError {
        workbook_error(self.path, e)
    }

    /// A new worksheet with the header row, frozen.
    fn add(&mut self) -> Result<(), XlsxError> {
        self.sheets += 1;
        let name = match self.sheets {
            1 => "registrations".to_owned(),
            n => format!("registrations {n}"),
        };
        let bold = self.bold.clone();
        let sheet = self.book.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, name) in header_with(&self.questions).into_iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.set_column_width(col, 16)?;
            sheet.write_string_with_format(0, col, name, &bold)?;
        }
        self.row = 0;
        Ok(())
    }

    /// Writes `e` on the next row, on a new worksheet when this one is full.
    fn write(&mut self, e: &Entry) -> Result<(), XlsxError> {
        if self.row == SHEET_ROWS {
            self.add()?;
        }
        self.row += 1;
        let row = self.row;
        let sheet = self.book.worksheet_from_index(self.sheets - 1)?;
        for (col, cell) in e.cells_with(&self.questions).into_iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, u16::try_from(col).unwrap_or(u16::MAX), cell)?;
            }
        }
        Ok(())
    }
}

impl Rows for Sheet<'_> {
    fn row(&mut self, e: &Entry) -> Result<(), HubError> {
        self.write(e).map_err(|x| self.err(&x))
    }

    fn finish(mut self: Box<Self>) -> Result<(), HubError> {
        let file = crate::core::private::create_file(self.path).map_err(|err| HubError::Write {
            path: self.path.display().to_string(),
            err,
        })?;
        let written = self.book.save_to_writer(std::io::BufWriter::new(file));
        written.map_err(|x| self.err(&x))
    }
}

/// The campaigns' question keys the store holds, for the columns after the hub's.
fn questions(database: &Database) -> Result<Vec<&'static str>, HubError> {
    let mut conn = database.connect_existing()?;
    super::page::questions(conn.as_mut()).map_err(|e| database.error(&e))
}

/// Reads every entry matching `filter` from `database` in one read-only snapshot and hands it
/// to `each`; how many. Called by the command, never on the server's runtime (PostgreSQL's
/// client is blocking).
fn each_entry(
    database: &Database,
    filter: &Filter,
    total: &mut dyn FnMut(u64),
    each: &mut dyn FnMut(&Entry) -> Result<(), HubError>,
) -> Result<u64, HubError> {
    let mut conn = database.connect_existing()?;
    let db = conn.as_mut();
    let store = |e: DbError| database.error(&e);
    db.batch(match db.kind() {
        Kind::Sqlite => "BEGIN",
        Kind::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    })
    .map_err(store)?;
    total(super::page::count(db, filter).map_err(store)?);
    let (mut after, mut n) = (0, 0);
    loop {
        let page = super::page::page(db, filter, after, PAGE_ROWS).map_err(store)?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.row_seq;
        page.iter().try_for_each(&mut *each)?;
        n += page.len() as u64;
    }
    db.batch("COMMIT").map_err(store)?;
    Ok(n)
}

/// The rows of a CSV (its byte-order mark and header written now) or JSON Lines export to `out`,
/// named `name` in errors.
fn text_rows<'a>(
    format: Format,
    out: &'a mut dyn Write,
    name: &str,
    questions: Vec<&'static str>,
) -> Result<Text<'a>, HubError> {
    let write_err = |err| HubError::Write {
        path: name.to_owned(),
        err,
    };
    if format == Format::Xlsx {
        return Err(write_err(std::io::Error::other(
            "an xlsx workbook needs a file: give -o FILE.xlsx",
        )));
    }
    let csv = format == Format::Csv;
    if csv {
        // The byte-order mark tells Excel the file is UTF-8.
        out.write_all("\u{feff}".as_bytes()).map_err(write_err)?;
    }
    let mut text = Text {
        out: if csv {
            Lines::Csv(Box::new(
                csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out),
            ))
        } else {
            Lines::Json(out)
        },
        name: name.to_owned(),
        questions,
    };
    if csv {
        text.line(
            header_with(&text.questions)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        )?;
    }
    Ok(text)
}

/// Writes every registration matching `filter` in `database` as CSV or JSON Lines to `out`
/// (named `name` in errors), from one snapshot as [`export`] does; how many. For a stream that
/// is not a file: the dashboard's download.
pub fn export_to(
    database: &Database,
    filter: &Filter,
    format: Format,
    out: &mut dyn Write,
    name: &str,
) -> Result<u64, HubError> {
    let mut rows = text_rows(format, out, name, questions(database)?)?;
    let n = each_entry(database, filter, &mut |_| {}, &mut |e| rows.row(e))?;
    Box::new(rows).finish()?;
    Ok(n)
}

/// Writes every registration matching `filter` in `database` as `format` to `file` (standard
/// output when `None`; not for xlsx); returns how many. `total` hears the count first, `step`
/// each row written.
pub fn export(
    database: &Database,
    filter: &Filter,
    format: Format,
    file: Option<&Path>,
    total: &mut dyn FnMut(u64),
    step: &mut dyn FnMut(),
) -> Result<u64, HubError> {
    let name = file.map_or_else(|| "standard output".to_owned(), |p| p.display().to_string());
    let write_err = |err| HubError::Write {
        path: name.clone(),
        err,
    };
    let mut stdout;
    let mut opened;
    let mut rows: Box<dyn Rows + '_> = match (format, file) {
        (Format::Xlsx, None) => {
            return Err(write_err(std::io::Error::other(
                "an xlsx workbook needs a file: give -o FILE.xlsx",
            )));
        }
        (Format::Xlsx, Some(path)) => {
            let mut book = Workbook::new();
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            book.set_tempdir(dir.unwrap_or(Path::new(".")))
                .map_err(|x| workbook_error(path, &x))?;
            let mut sheet = Sheet {
                questions: questions(database)?,
                book,
                sheets: 0,
                row: 0,
                bold: CellFormat::new().set_bold(),
                path,
            };
            sheet.add().map_err(|x| sheet.err(&x))?;
            Box::new(sheet)
        }
        (_, target) => {
            let out: &mut dyn Write = if let Some(path) = target {
                opened = std::io::BufWriter::new(
                    crate::core::private::create_file(path).map_err(write_err)?,
                );
                &mut opened
            } else {
                stdout = std::io::BufWriter::new(std::io::stdout().lock());
                &mut stdout
            };
            Box::new(text_rows(format, out, &name, questions(database)?)?)
        }
    };
    let n = each_entry(database, filter, total, &mut |e| {
        rows.row(e)?;
        step();
        Ok(())
    })?;
    rows.finish()?;
    Ok(n)
}
