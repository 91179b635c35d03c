//! Thai phone numbers (THAI.md §8): parse what a clerk types (spaces, dashes, Thai digits, +66)
//! into the digits to store, tell mobile from landline, and format for display.
//!
//! Mobile: 10 digits starting 06, 08 or 09. Landline: 9 digits starting 02, 03, 04, 05 or 07.
//! THAI.md's landline range 02–07 would include 06, but 06 is a mobile prefix (there are no 06
//! area codes), so a 9-digit number starting 06 is a mobile number missing a digit.

use super::chars::{dashed, thai_digit_to_ascii};
use super::{Bilingual, Lang};

/// Digits in a mobile number, its leading 0 included.
pub const MOBILE_DIGITS: usize = 10;
/// Digits in a landline number, its leading 0 included.
pub const LANDLINE_DIGITS: usize = 9;
/// The most characters a number is typed with: `+66` and a mobile number without its leading 0.
pub const MAX_TYPED: usize = "+66".len() + MOBILE_DIGITS - 1;

/// What kind of line a number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// Why a phone number was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("Enter the phone number")]
    Empty,
    #[error("A phone number has digits only (spaces and dashes are fine)")]
    NotDigits,
    #[error(
        "Wrong number of digits ({got}): mobile numbers have {MOBILE_DIGITS}, landlines {LANDLINE_DIGITS}"
    )]
    WrongLength { got: usize },
    #[error("Not a Thai number: mobiles start 06, 08, 09; landlines 02, 03, 04, 05, 07")]
    BadPrefix,
}

impl Bilingual for PhoneError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (Self::Empty, Lang::Th) => "กรอกเบอร์โทรศัพท์".into(),
            (Self::NotDigits, Lang::Th) => "เบอร์โทรต้องเป็นตัวเลข (เว้นวรรคหรือขีดได้)".into(),
            (Self::WrongLength { got }, Lang::Th) => {
                format!(
                    "จำนวนหลักไม่ถูกต้อง ({got} หลัก) มือถือมี {MOBILE_DIGITS} หลัก บ้านมี {LANDLINE_DIGITS} หลัก"
                )
            }
            (Self::BadPrefix, Lang::Th) => {
                "ไม่ใช่เบอร์ไทย มือถือขึ้นต้น 06 08 09 เบอร์บ้านขึ้นต้น 02 03 04 05 07".into()
            }
        }
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '\u{2010}'..='\u{2015}')
}

/// Checks a phone number and returns its digits (starting with 0) and kind. Spaces, dashes,
/// dots, brackets and Thai digits are accepted; `+66` or `66` in front is read as the leading 0
/// (`+66 81 234 5678` and `+66 081 234 5678` are both `0812345678`).
pub fn parse_phone(s: &str) -> Result<(String, PhoneKind), PhoneError> {
    let compact: String = s
        .chars()
        .filter(|&c| !is_separator(c))
        .map(thai_digit_to_ascii)
        .collect();
    if compact.is_empty() {
        return Err(PhoneError::Empty);
    }
    let (plus, rest) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return Err(PhoneError::NotDigits);
    }
    let digits = match rest.strip_prefix("66") {
        Some(national) if national.starts_with('0') => national.to_owned(),
        Some(national) => format!("0{national}"),
        None if plus => return Err(PhoneError::BadPrefix),
        None => rest.to_owned(),
    };
    let got = digits.len();
    let kind = match digits.as_bytes() {
        [] | [_] => return Err(PhoneError::WrongLength { got }),
        [b'0', b'6' | b'8' | b'9', ..] => PhoneKind::Mobile,
        [b'0', b'2'..=b'5' | b'7', ..] => PhoneKind::Landline,
        _ => return Err(PhoneError::BadPrefix),
    };
    let want = if kind == PhoneKind::Mobile {
        MOBILE_DIGITS
    } else {
        LANDLINE_DIGITS
    };
    if got == want {
        Ok((digits, kind))
    } else {
        Err(PhoneError::WrongLength { got })
    }
}

/// Groups stored digits for display: `081-234-5678`, Bangkok `02-123-4567`, other landlines
/// `053-123-456`. Anything else is returned unchanged.
pub fn format_phone(digits: &str) -> String {
    let all_digits = digits.chars().all(|c| c.is_ascii_digit());
    let groups: &[usize] = match (digits.len(), digits.as_bytes()) {
        _ if !all_digits => &[],
        (10, [b'0', b'6' | b'8' | b'9', ..]) => &[3, 3, 4],
        (9, [b'0', b'2', ..]) => &[2, 3, 4],
        (9, [b'0', b'3'..=b'5' | b'7', ..]) => &[3, 3, 3],
        _ => &[],
    };
    if groups.is_empty() {
        return digits.to_owned();
    }
    dashed(digits, groups)
}

#[cfg(test)]
mod tests;
