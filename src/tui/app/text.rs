//! Words of the kiosk screen in both languages: a two-string pick (`lang.pick(th, en)`) and the
//! names of states, links and choices. Field labels come from the campaign, not from here.

use crate::queue::State;
use crate::thai::Lang;

/// Picks the Thai or the English form of a phrase.
pub trait Pick {
    /// `th` in Thai, `en` in English.
    fn pick<'a>(self, th: &'a str, en: &'a str) -> &'a str;
}

impl Pick for Lang {
    fn pick<'a>(self, th: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Th => th,
            Lang::En => en,
        }
    }
}

/// A queue state as a clerk says it.
#[must_use]
pub fn state_name(state: State, lang: Lang) -> &'static str {
    match state {
        State::Pending => lang.pick("รอส่ง", "pending"),
        State::Sending => lang.pick("กำลังส่ง", "sending"),
        State::Accepted => lang.pick("ศูนย์รับแล้ว", "accepted"),
        State::Duplicate => lang.pick("ซ้ำ", "duplicate"),
        State::Waitlisted => lang.pick("รอคิวสำรอง", "waitlisted"),
        State::Rejected => lang.pick("ถูกปฏิเสธ", "rejected"),
        State::Cancelled => lang.pick("ยกเลิกแล้ว", "cancelled"),
    }
}

/// The name of the language itself, for the status line.
#[must_use]
pub fn lang_name(lang: Lang) -> &'static str {
    lang.pick("ไทย", "English")
}
