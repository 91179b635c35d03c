//! Identity numbers (THAI.md §6): the 13-digit Thai national ID (for Thai nationals, and the same
//! format for non-Thai residents) with its check digit and first-digit rules, and passport numbers,
//! which are free-form. Parsing accepts what a clerk types or reads off a card (Thai digits,
//! dashes, spaces) and returns the stored form; formatting gives the card's `1-1120-34563-56-2`.

use serde::{Deserialize, Serialize};

use super::chars::{dashed, thai_digit_to_ascii};
use super::{Bilingual, Lang};

/// Digits in a Thai (or non-Thai resident's) ID number.
pub const ID_DIGITS: usize = 13;
/// Fewest letters and digits in a passport number.
pub const PASSPORT_MIN: usize = 6;
/// Most letters and digits in a passport number.
pub const PASSPORT_MAX: usize = 20;

/// Which document the number comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// Thai national ID card: first digit 1–8.
    ThaiId,
    /// Identity number of a non-Thai resident (pink card and the like): first digit 0, 6, 7 or 8.
    NonThaiId,
    /// Passport: letters and digits, no checksum.
    Passport,
}

impl Bilingual for IdType {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::ThaiId, Lang::Th) => "บัตรประชาชน",
            (Self::ThaiId, Lang::En) => "Thai ID card",
            (Self::NonThaiId, Lang::Th) => "บัตรประจำตัวคนไม่มีสัญชาติไทย",
            (Self::NonThaiId, Lang::En) => "Non-Thai ID card",
            (Self::Passport, Lang::Th) => "หนังสือเดินทาง",
            (Self::Passport, Lang::En) => "Passport",
        }
        .to_owned()
    }
}

/// Why an identity number was not accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("Enter the ID number")]
    Empty,
    #[error("An ID number has {ID_DIGITS} digits; {got} typed")]
    WrongLength { got: usize },
    #[error("An ID number has digits only")]
    NotDigits,
    #[error("The check digit does not match: re-read the number from the card")]
    BadChecksum,
    #[error("{}", first_digit_hint(*.first, *.id_type, Lang::En))]
    WrongFirstDigit { first: u8, id_type: IdType },
    #[error("A passport number is {PASSPORT_MIN} to {PASSPORT_MAX} letters and digits")]
    BadPassport,
}

fn first_digit_hint(first: u8, id_type: IdType, lang: Lang) -> String {
    match (first, id_type, lang) {
        (9, _, Lang::En) => "No ID number starts with 9: re-read the number from the card".into(),
        (9, _, Lang::Th) => "ไม่มีเลขประจำตัวที่ขึ้นต้นด้วย 9 กรุณาตรวจเลขจากบัตรอีกครั้ง".into(),
        (_, IdType::ThaiId, Lang::En) => {
            format!("An ID starting with {first} is a non-Thai ID: change the ID type")
        }
        (_, IdType::ThaiId, Lang::Th) => {
            format!("เลขที่ขึ้นต้นด้วย {first} เป็นบัตรคนไม่มีสัญชาติไทย กรุณาเปลี่ยนประเภทบัตร")
        }
        (_, _, Lang::En) => format!("An ID starting with {first} is a Thai ID: change the ID type"),
        (_, _, Lang::Th) => {
            format!("เลขที่ขึ้นต้นด้วย {first} เป็นบัตรประชาชนไทย กรุณาเปลี่ยนประเภทบัตร")
        }
    }
}

impl Bilingual for IdError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (Self::Empty, Lang::Th) => "กรอกเลขประจำตัว".into(),
            (Self::WrongLength { got }, Lang::Th) => {
                format!("เลขประจำตัวมี {ID_DIGITS} หลัก แต่กรอกมา {got} หลัก")
            }
            (Self::NotDigits, Lang::Th) => "เลขประจำตัวต้องเป็นตัวเลขเท่านั้น".into(),
            (Self::BadChecksum, Lang::Th) => "เลขตรวจสอบไม่ตรง กรุณาตรวจเลขจากบัตรอีกครั้ง".into(),
            (Self::WrongFirstDigit { first, id_type }, Lang::Th) => {
                first_digit_hint(*first, *id_type, Lang::Th)
            }
            (Self::BadPassport, Lang::Th) => {
                format!("เลขหนังสือเดินทางต้องเป็นตัวอักษรและตัวเลข {PASSPORT_MIN} ถึง {PASSPORT_MAX} ตัว")
            }
        }
    }
}

/// Spaces and the dashes people type between digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Checks `input` as a number of type `id_type` and returns the form to store: 13 ASCII digits
/// for the two ID card types, uppercase letters and digits for a passport.
pub fn parse_id(input: &str, id_type: IdType) -> Result<String, IdError> {
    let compact: String = input
        .chars()
        .filter(|&c| !is_separator(c))
        .map(thai_digit_to_ascii)
        .collect();
    if compact.is_empty() {
        return Err(IdError::Empty);
    }
    if id_type == IdType::Passport {
        let upper = compact.to_ascii_uppercase();
        let ok = upper.chars().all(|c| c.is_ascii_alphanumeric())
            && (PASSPORT_MIN..=PASSPORT_MAX).contains(&upper.len());
        return if ok {
            Ok(upper)
        } else {
            Err(IdError::BadPassport)
        };
    }
    if !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    let digits: Vec<u8> = compact.bytes().map(|b| b - b'0').collect();
    let Ok(digits) = <[u8; ID_DIGITS]>::try_from(digits.as_slice()) else {
        return Err(IdError::WrongLength { got: digits.len() });
    };
    let first = digits[0];
    let first_ok = match id_type {
        IdType::ThaiId => (1..=8).contains(&first),
        IdType::NonThaiId | IdType::Passport => matches!(first, 0 | 6 | 7 | 8),
    };
    if !first_ok {
        return Err(IdError::WrongFirstDigit { first, id_type });
    }
    let mut first12 = [0; 12];
    first12.copy_from_slice(&digits[..12]);
    if check_digit(&first12) != digits[12] {
        return Err(IdError::BadChecksum);
    }
    Ok(compact)
}

/// The 13th digit for the first 12 (digit values 0–9, not ASCII):
/// `(11 − Σ d[i]·(13−i) mod 11) mod 10`.
pub fn check_digit(first12: &[u8; 12]) -> u8 {
    let sum: u32 = (0u32..)
        .zip(first12)
        .map(|(i, &d)| u32::from(d) * (13 - i))
        .sum();
    ((11 - sum % 11) % 10) as u8
}

/// Groups an ID number as printed on the card, `1-1120-34563-56-2`. A partial number is grouped
/// as far as it goes (for formatting as typed); dashes and spaces in the input are ignored.
/// Anything that is not at most 13 digits (a passport number) is returned unchanged.
pub fn format_id(digits: &str) -> String {
    let compact: String = digits
        .chars()
        .filter(|&c| !is_separator(c))
        .map(thai_digit_to_ascii)
        .collect();
    if compact.is_empty()
        || compact.len() > ID_DIGITS
        || !compact.chars().all(|c| c.is_ascii_digit())
    {
        return digits.to_owned();
    }
    dashed(&compact, &[1, 4, 5, 2, 1])
}

#[cfg(test)]
mod tests;
