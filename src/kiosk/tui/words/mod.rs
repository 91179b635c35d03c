//! Every word the kiosk screen says, in Thai and in English, one module per screen area, so a
//! translator finds them all here and the drawing code holds none:
//!
//! - `chrome`: the header, the keys footer, the language's own name, "make the window larger".
//! - `start`: the start of shift. - `form`: the form, its field help and the tambon list.
//! - `review`: the review page. - `receipt`: the receipt. - `queue`: the queue screen, the
//!   states of a record and what the hub said of it.
//! - `confirm`: the yes/no dialogs. - `message`: the message line's hints.
//! - `help`: the help screen's key table. - `status`: the status line (link, card reader).
//! - `doses`: the doses left, wherever the screen shows them.
//! - `print`: the paper slip on the message line.
//! - `appointment`: the appointment the hub gave, on the receipt and the queue screen.
//! - `checkin`: the check-in screen of a site's kiosk and its lot dialog.
//!
//! A fixed phrase is a [`Phrase`] const; a phrase around a value (a reference, a count) is a
//! function taking the value and the [`Lang`], so each language puts the value where its
//! sentence wants it. Spaces at either end belong to the phrase (titles sit in a border).
//!
//! **A new screen area** gets its own file here named after it, a `pub mod` line below and a
//! line in the list above; its drawing code reads its words from there.
//!
//! Not here, because the hub, the import or `card read` say them too and those modules know no
//! screen: field labels, choices and the consent text (the campaign file, `assets/campaigns/`),
//! the problems validation finds (`form::validate`), the card's errors (`card`) and the refused
//! characters (`thai::input_check`), each through [`crate::core::thai::Bilingual`].

pub mod appointment;
pub mod checkin;
pub mod chrome;
pub mod confirm;
pub mod doses;
pub mod form;
pub mod help;
pub mod message;
pub mod print;
pub mod queue;
pub mod receipt;
pub mod review;
pub mod start;
pub mod status;

use crate::core::thai::Lang;

/// A phrase in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub th: &'static str,
    pub en: &'static str,
}

impl Phrase {
    /// The phrase `th` in Thai and `en` in English.
    #[must_use]
    pub const fn new(th: &'static str, en: &'static str) -> Self {
        Self { th, en }
    }

    /// The phrase in `lang`.
    #[must_use]
    pub fn say(self, lang: Lang) -> &'static str {
        lang.pick(self.th, self.en)
    }
}
