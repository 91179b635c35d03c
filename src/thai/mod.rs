//! The Thai text core: everything the kiosk and the hub need to treat Thai text the way Thai typists
//! and Thai records expect. Pure functions and small value types only: no I/O, no terminal, no `SQLite`.
//!
//! The facts these modules implement are collected in the project's THAI notes (widths, clusters,
//! WTT 2.0 input sequence check, normalisation, Kedmanee, national ID, BE dates, phone numbers).

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

pub mod chars;
// Stand-ins until the thai branch has them: date, kedmanee, national_id, normalize, phone.
pub mod date;
pub mod edit;
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
