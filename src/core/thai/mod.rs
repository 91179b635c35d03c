//! The Thai text core: everything the kiosk and the hub need to treat Thai text the way Thai typists
//! and Thai records expect. Pure functions and small value types only: no I/O, no terminal, no `SQLite`.
//!
//! The facts these modules implement are collected in the project's THAI notes (widths, clusters,
//! WTT 2.0 input sequence check, normalisation, Kedmanee, national ID, BE dates, phone numbers).
//!
//! - [`width`]: terminal columns, cutting, padding, wrapping, escaping untrusted text for display.
//! - [`edit`]: the text-field model (cluster cursor, one-code-point Backspace, checked input).
//! - [`input_check`]: the WTT 2.0 input sequence check and its hints.
//! - [`normalize`]: cleaning names and addresses before storing or comparing; Thai digits.
//! - [`kedmanee`]: the Thai layout on a US keyboard.
//! - [`national_id`], [`date`], [`phone`]: the numbers and dates on a registration form.
//! - [`chars`]: the character classes the others share.
//!
//! Every error or hint type implements [`Bilingual`] (Thai and English) and `std::error::Error`
//! with the English text.

use serde::{Deserialize, Serialize};

/// The language the kiosk speaks to its user. Thai first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Th,
    En,
}

impl Lang {
    /// The other language (F2 toggles between them).
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Th => Self::En,
            Self::En => Self::Th,
        }
    }

    /// `th` in Thai, `en` in English: the one way a two-language phrase is chosen.
    #[must_use]
    pub fn pick<'a>(self, th: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Th => th,
            Self::En => en,
        }
    }

    /// `"th"` or `"en"`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Th => "th",
            Self::En => "en",
        }
    }
}

/// Something that can be said to a clerk in either language (errors, hints, warnings).
pub trait Bilingual {
    /// The message in `lang`, short enough for a status line.
    fn say(&self, lang: Lang) -> String;
}

pub mod cell;
pub mod chars;
pub mod date;
pub mod edit;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod input_check;
pub mod kedmanee;
pub mod national_id;
pub mod normalize;
pub mod phone;
pub mod width;

/// Proptest settings for the Thai tests: a modest case count, and no regression files written
/// outside the module (a failure prints its minimal input instead).
#[cfg(test)]
pub(crate) fn proptest_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
