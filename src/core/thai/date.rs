//! Dates as Thai forms write them (THAI.md §7): day/month/Buddhist Era year, with the day or the
//! month allowed to be unknown (records hold only a year, or an impossible date), the pre-1941
//! calendar (the BE year began on 1 April until BE 2484, so 1 Jan–31 Mar of a BE year before
//! 2484 is CE year BE−542), and age at a campaign's reference date. No clock here: the caller
//! passes the time to [`today_be_from_unix`].

use serde::{Deserialize, Serialize};

use super::normalize::thai_digits_to_ascii;
use super::{Bilingual, Lang};

/// The first BE year accepted (CE 1857).
pub const MIN_YEAR_BE: u16 = 2400;
/// The last BE year accepted (CE 2157).
pub const MAX_YEAR_BE: u16 = 2700;
/// The first BE year that began on 1 January (CE 1941).
pub const FIRST_JANUARY_YEAR_BE: u16 = 2484;

/// A date in the Buddhist Era; `day` and `month` are `None` when unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThaiDate {
    pub day: Option<u8>,
    pub month: Option<u8>,
    pub year_be: u16,
}

/// Why a date was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Enter the date (day/month/BE year)")]
    Empty,
    #[error("Type the date as DD/MM/YYYY in the Buddhist Era, e.g. 05/07/2490")]
    Format,
    #[error("{year} looks like a Christian-era year; in the Buddhist Era it is {suggested_be}")]
    LooksLikeCe { year: u16, suggested_be: u16 },
    #[error("The BE year must be between 2400 and 2700")]
    YearOutOfRange,
    #[error("The month must be 1 to 12")]
    BadMonth,
    #[error("That month has no such day; mark the day unknown if the record shows it")]
    BadDay,
    #[error("A day needs its month: enter the month or mark the day unknown")]
    DayWithoutMonth,
    #[error("The date is in the future")]
    InFuture,
}

impl Bilingual for DateError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (Self::Empty, Lang::Th) => "กรอกวันที่ (วัน/เดือน/ปี พ.ศ.)".into(),
            (Self::Format, Lang::Th) => "กรอกวันที่แบบ วว/ดด/ปปปป เป็น พ.ศ. เช่น 05/07/2490".into(),
            (Self::LooksLikeCe { year, suggested_be }, Lang::Th) => {
                format!("ปี {year} น่าจะเป็น ค.ศ. ถ้าใช่ ปี พ.ศ. คือ {suggested_be}")
            }
            (Self::YearOutOfRange, Lang::Th) => "ปี พ.ศ. ต้องอยู่ระหว่าง 2400 ถึง 2700".into(),
            (Self::BadMonth, Lang::Th) => "เดือนต้องเป็น 1 ถึง 12".into(),
            (Self::BadDay, Lang::Th) => "เดือนนั้นไม่มีวันนี้ ถ้าเอกสารเขียนไว้อย่างนั้นให้เลือกไม่ทราบวัน".into(),
            (Self::DayWithoutMonth, Lang::Th) => "ระบุวันแล้วต้องระบุเดือนด้วย หรือเลือกไม่ทราบวัน".into(),
            (Self::InFuture, Lang::Th) => "วันที่นี้ยังมาไม่ถึง".into(),
        }
    }
}

/// A CE calendar date, for comparisons.
type Ymd = (i32, u8, u8);

fn is_leap(year_ce: i32) -> bool {
    (year_ce % 4 == 0 && year_ce % 100 != 0) || year_ce % 400 == 0
}

fn days_in_month(year_ce: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year_ce) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// CE year of `month` in BE year `year_be` (months 1–3 before BE 2484 belong to the next CE year).
fn ce_year(year_be: u16, month: u8) -> i32 {
    let offset = if year_be < FIRST_JANUARY_YEAR_BE && (1..=3).contains(&month) {
        542
    } else {
        543
    };
    i32::from(year_be) - offset
}

enum Part {
    Unknown,
    Digits(String),
}

/// Splits on `/`, `.`, whitespace and `-`; a part made only of `-` and `?` means "unknown".
fn split_parts(s: &str) -> Option<Vec<Part>> {
    let spaced = s.replace(['/', '.'], " ");
    let mut parts = Vec::new();
    for piece in spaced.split_whitespace() {
        let subs: Vec<&str> = if piece.chars().all(|c| c == '-' || c == '?') {
            vec![piece]
        } else {
            piece.split('-').collect()
        };
        for sub in subs {
            if !sub.is_empty() && sub.chars().all(|c| c == '-' || c == '?') {
                parts.push(Part::Unknown);
            } else if !sub.is_empty() && sub.chars().all(|c| c.is_ascii_digit()) {
                parts.push(Part::Digits(sub.to_owned()));
            } else {
                return None;
            }
        }
    }
    Some(parts)
}

/// A day or month part: 1–2 digits, where 0 / 00 mean unknown.
fn day_or_month(part: &Part) -> Result<Option<u8>, DateError> {
    match part {
        Part::Unknown => Ok(None),
        Part::Digits(d) if d.len() <= 2 => Ok(d.parse::<u8>().ok().filter(|&n| n != 0)),
        Part::Digits(_) => Err(DateError::Format),
    }
}

impl ThaiDate {
    /// Parses `DD/MM/YYYY` (BE) or a year alone. Thai digits are fine; the separators may be `/`,
    /// `-`, `.` or spaces; an unknown day or month is `-`, `--`, `?`, `??`, `0` or `00`.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let s = thai_digits_to_ascii(s.trim());
        if s.is_empty() {
            return Err(DateError::Empty);
        }
        let parts = split_parts(&s).ok_or(DateError::Format)?;
        let (day, month, year) = match parts.as_slice() {
            [year] => (None, None, year),
            [day, month, year] => (day_or_month(day)?, day_or_month(month)?, year),
            _ => return Err(DateError::Format),
        };
        let year_be = match year {
            Part::Digits(y) if y.len() == 4 => y.parse().map_err(|_| DateError::Format)?,
            _ => return Err(DateError::Format),
        };
        Self::new(day, month, year_be)
    }

    /// Checks and builds a date. A year under 2400 is taken to be CE and refused with the BE
    /// suggestion, not silently converted.
    pub fn new(day: Option<u8>, month: Option<u8>, year_be: u16) -> Result<Self, DateError> {
        if year_be < MIN_YEAR_BE {
            let suggested_be = year_be.saturating_add(543);
            return Err(DateError::LooksLikeCe {
                year: year_be,
                suggested_be,
            });
        }
        if year_be > MAX_YEAR_BE {
            return Err(DateError::YearOutOfRange);
        }
        match (day, month) {
            (_, Some(m)) if !(1..=12).contains(&m) => return Err(DateError::BadMonth),
            (Some(_), None) => return Err(DateError::DayWithoutMonth),
            (Some(d), Some(m)) if d == 0 || d > days_in_month(ce_year(year_be, m), m) => {
                return Err(DateError::BadDay);
            }
            _ => {}
        }
        Ok(Self {
            day,
            month,
            year_be,
        })
    }

    /// The CE year. Months 1–3 of a BE year before 2484 are in CE year BE−542; with the month
    /// unknown, the CE year in which the BE year began (BE−543).
    pub fn year_ce(&self) -> i32 {
        ce_year(self.year_be, self.month.unwrap_or(12))
    }

    /// The earliest CE date this value can stand for.
    fn earliest(self) -> Ymd {
        match (self.day, self.month) {
            (day, Some(m)) => (ce_year(self.year_be, m), m, day.unwrap_or(1)),
            (_, None) if self.year_be < FIRST_JANUARY_YEAR_BE => (ce_year(self.year_be, 4), 4, 1),
            (_, None) => (ce_year(self.year_be, 1), 1, 1),
        }
    }

    /// The latest CE date this value can stand for.
    fn latest(self) -> Ymd {
        let last_month = if self.year_be < FIRST_JANUARY_YEAR_BE {
            3
        } else {
            12
        };
        let m = self.month.unwrap_or(last_month);
        let y = ce_year(self.year_be, m);
        (y, m, self.day.unwrap_or_else(|| days_in_month(y, m)))
    }

    /// Full years of age on `reference`, for someone born on `self`.
    ///
    /// Unknown parts are resolved conservatively for an "age ≥ N" rule: the birth date is taken
    /// as the latest it can be (last day of the month, or the last day of the BE year — 31 Dec,
    /// or 31 Mar before BE 2484) and the reference as the earliest it can be, so nobody is
    /// credited with an age they may not have reached. Born after `reference` gives 0.
    pub fn age_at(&self, reference: ThaiDate) -> u32 {
        let (by, bm, bd) = self.latest();
        let (ry, rm, rd) = reference.earliest();
        let age = ry - by - i32::from((rm, rd) < (bm, bd));
        u32::try_from(age).unwrap_or(0)
    }

    /// `05/07/2490`; an unknown day or month is `--` (`--/--/2490`). [`ThaiDate::parse`] reads
    /// it back.
    pub fn format(&self) -> String {
        let part = |p: Option<u8>| p.map_or_else(|| "--".to_owned(), |n| format!("{n:02}"));
        format!("{}/{}/{}", part(self.day), part(self.month), self.year_be)
    }

    /// Whether `self` is certainly after `other`: its earliest possible day comes after the
    /// latest possible day of `other` (so a year-only date is never "after" a day in that year).
    pub fn is_after(&self, other: &ThaiDate) -> bool {
        self.earliest() > other.latest()
    }

    /// `InFuture` when the date is certainly after `today` (a birth date, say).
    pub fn check_not_future(&self, today: &ThaiDate) -> Result<(), DateError> {
        if self.is_after(today) {
            Err(DateError::InFuture)
        } else {
            Ok(())
        }
    }
}

/// The civil date at `secs` seconds after the Unix epoch, in a zone `utc_offset_secs` east of UTC
/// (Thailand: 25 200), as a BE date.
pub fn today_be_from_unix(secs: i64, utc_offset_secs: i32) -> ThaiDate {
    let days = (secs + i64::from(utc_offset_secs)).div_euclid(86_400);
    // Days to civil date (proleptic Gregorian), after Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let ce = yoe + era * 400 + i64::from(month <= 2);
    let offset = if ce < 1941 && month <= 3 { 542 } else { 543 };
    let year_be = u16::try_from((ce + offset).max(0)).unwrap_or(u16::MAX);
    ThaiDate {
        day: Some(day),
        month: Some(month),
        year_be,
    }
}

/// A Gregorian ISO day (`2021-08-02`, as the hub sends an appointment's) as a Thai screen or
/// slip shows it, day/month/BE year: `02/08/2564`. `None` when it is not a real day.
#[must_use]
pub fn iso_to_be(iso: &str) -> Option<String> {
    let mut parts = iso.trim().splitn(3, '-');
    let mut number = |len: usize| {
        parts
            .next()
            .filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u16>().ok())
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day).ok()?;
    if day == 0 || day > days_in_month(i32::from(year), month) {
        return None;
    }
    let offset = if year < 1941 && month <= 3 { 542 } else { 543 };
    Some(format!("{day:02}/{month:02}/{}", year + offset))
}

/// [`iso_to_be`], or `iso` as it came when it is not a real day: what a screen, slip, table or
/// message shows for an appointment's day, so that nothing is hidden.
#[must_use]
pub fn iso_to_be_or_as_is(iso: &str) -> String {
    iso_to_be(iso).unwrap_or_else(|| iso.to_owned())
}

/// Today's date in Thailand (UTC+7), ISO, at Unix milliseconds `now_ms`: the day appointments,
/// a site's list and its doses are counted in, the same at the hub and at every kiosk whatever
/// their clocks' time zones.
#[must_use]
pub fn thai_today_iso(now_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(now_ms + 7 * 3_600_000)
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
