//! Reading a sites file (`hub sites import FILE.csv`): one site a row,
//! `site_id,name_th,name_en,serves,first_day,last_day,per_day[,slots]`, in UTF-8 or Windows-874
//! (`core::csv_text`). Every problem is named with its line and what to change; a file with any
//! problem changes nothing. Pure: what the store says about it is `catalog`'s.

use chrono::NaiveDate;

use crate::core::csv_text;
use crate::core::thai::date::ThaiDate;

/// The columns a sites file must have (`slots` may be added).
pub const COLUMNS: &[&str] = &[
    "site_id",
    "name_th",
    "name_en",
    "serves",
    "first_day",
    "last_day",
    "per_day",
];

/// A site's days may span at most this many days in one row.
const MAX_DAYS: i64 = 366;

/// One problem of a sites file, on a line (the header is line 1; 0 for the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.reason)
        } else {
            write!(f, "line {}: {}", self.line, self.reason)
        }
    }
}

/// One day's (or one slot's) capacity: ISO date, slot (`""` for the whole day), people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCapacity {
    pub day: String,
    pub slot: String,
    pub capacity: i64,
}

/// One site as the file gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteRow {
    pub line: u64,
    pub site_id: String,
    pub name_th: String,
    pub name_en: String,
    /// `(amphoe, tambon)`: tambon `""` is the whole amphoe.
    pub serves: Vec<(String, String)>,
    pub days: Vec<DayCapacity>,
}

fn err(line: u64, reason: impl Into<String>) -> LineError {
    LineError {
        line,
        reason: reason.into(),
    }
}

/// Decodes and reads a sites file; its rows, or every problem found; and the encoding read.
pub fn read(bytes: Vec<u8>) -> Result<(Vec<SiteRow>, csv_text::Encoding), Vec<LineError>> {
    let (text, encoding) = csv_text::decode(bytes).map_err(|e| vec![err(0, e.to_string())])?;
    parse(text.trim_start_matches('\u{feff}')).map(|rows| (rows, encoding))
}

/// Reads the text of a sites file.
pub fn parse(text: &str) -> Result<Vec<SiteRow>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![err(1, format!("the header cannot be read: {e}"))])?
        .iter()
        .map(str::to_lowercase)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let mut problems = Vec::new();
    for h in &header {
        if !COLUMNS.contains(&h.as_str()) && h != "slots" {
            problems.push(err(
                1,
                format!(
                    "unknown column {h:?}; the columns are {} and, optionally, slots",
                    COLUMNS.join(",")
                ),
            ));
        }
    }
    for c in COLUMNS {
        if at(c).is_none() {
            problems.push(err(1, format!("the column {c} is missing")));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let column = |name: &str| at(name).unwrap_or(usize::MAX);
    let mut rows: Vec<SiteRow> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                problems.push(err(line, format!("cannot be read as CSV: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| record.get(column(name)).unwrap_or("").to_owned();
        match row(line, &cell) {
            Ok(site) => {
                if let Some(first) = rows.iter().find(|r| r.site_id == site.site_id) {
                    problems.push(err(
                        line,
                        format!(
                            "site {} is also on line {}: one row per site",
                            site.site_id, first.line
                        ),
                    ));
                } else {
                    rows.push(site);
                }
            }
            Err(mut e) => problems.append(&mut e),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(err(0, "the file lists no site"));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// A whole BE date, `DD/MM/YYYY` (`05/01/2570`), as a calendar day; or why not, in words.
pub fn be_day(text: &str) -> Result<NaiveDate, String> {
    match ThaiDate::parse(text) {
        Ok(
            t @ ThaiDate {
                day: Some(d),
                month: Some(m),
                ..
            },
        ) => NaiveDate::from_ymd_opt(t.year_ce(), u32::from(m), u32::from(d))
            .ok_or_else(|| "no such day".to_owned()),
        Ok(_) => Err("a whole date is needed, DD/MM/YYYY in the Buddhist Era".into()),
        Err(e) => Err(e.to_string()),
    }
}

fn row(line: u64, cell: &dyn Fn(&str) -> String) -> Result<SiteRow, Vec<LineError>> {
    let mut problems = Vec::new();
    let site_id = cell("site_id");
    if site_id.is_empty()
        || site_id.chars().count() > 32
        || !site_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        problems.push(err(
            line,
            format!(
                "site_id \"{site_id}\": 1 to 32 letters, digits, '-', '_' or '.', e.g. SK-MUANG-01"
            ),
        ));
    }
    let mut name = |column: &str| {
        let v = cell(column);
        if v.is_empty() || v.chars().count() > 200 || v.chars().any(char::is_control) {
            problems.push(err(
                line,
                format!("{column}: 1 to 200 printable characters"),
            ));
        }
        v
    };
    let (name_th, name_en) = (name("name_th"), name("name_en"));
    let serves = super::serves::resolve(&cell("serves")).unwrap_or_else(|reason| {
        problems.push(err(line, format!("serves: {reason}")));
        Vec::new()
    });
    let mut day = |column: &str| match be_day(&cell(column)) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(err(line, format!("{column} \"{}\": {e}", cell(column))));
            None
        }
    };
    let (first, last) = (day("first_day"), day("last_day"));
    let per_day = cell("per_day");
    let per_day = match per_day.parse::<i64>() {
        Ok(n) if (1..=100_000).contains(&n) => n,
        _ => {
            problems.push(err(
                line,
                format!("per_day \"{per_day}\": the people a day takes, 1 to 100000"),
            ));
            0
        }
    };
    let slots = super::serves::slots(&cell("slots"), per_day).unwrap_or_else(|reason| {
        problems.push(err(line, format!("slots: {reason}")));
        Vec::new()
    });
    let mut days = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let span = (last - first).num_days();
        if span < 0 {
            problems.push(err(line, "last_day is before first_day"));
        } else if span >= MAX_DAYS {
            problems.push(err(
                line,
                format!(
                    "first_day to last_day is {} days; at most {MAX_DAYS}",
                    span + 1
                ),
            ));
        } else {
            for d in first
                .iter_days()
                .take(usize::try_from(span + 1).unwrap_or(0))
            {
                for (slot, capacity) in &slots {
                    days.push(DayCapacity {
                        day: d.to_string(),
                        slot: slot.clone(),
                        capacity: *capacity,
                    });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SiteRow {
        line,
        site_id,
        name_th,
        name_en,
        serves,
        days,
    })
}
