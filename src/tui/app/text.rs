//! Words of the kiosk screen in both languages (chosen with [`Lang::pick`]): the names of states, links and choices. Field labels come from the campaign, not from here.

use crate::queue::State;
use crate::thai::Lang;

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

/// The reason the kiosk stores when the clerk cancels a record on the queue screen.
pub const CANCELLED_AT_KIOSK: &str = "cancelled at the kiosk";

/// Why a record was cancelled, in `lang`: the queue stores the reason in English
/// (`replaced by SK01-0005-P` for a corrected record, [`CANCELLED_AT_KIOSK`]).
#[must_use]
pub fn cancel_reason(stored: &str, lang: Lang) -> String {
    if let Some(reference) = stored.strip_prefix("replaced by ") {
        format!("{} {reference}", lang.pick("แก้ไขเป็น", "replaced by"))
    } else if stored == CANCELLED_AT_KIOSK {
        lang.pick("ยกเลิกที่จุดบริการ", CANCELLED_AT_KIOSK).to_owned()
    } else {
        stored.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_reasons_are_said_in_thai() {
        assert_eq!(
            cancel_reason("replaced by SK01-0005-P", Lang::Th),
            "แก้ไขเป็น SK01-0005-P"
        );
        assert_eq!(cancel_reason(CANCELLED_AT_KIOSK, Lang::Th), "ยกเลิกที่จุดบริการ");
        assert_eq!(
            cancel_reason(CANCELLED_AT_KIOSK, Lang::En),
            CANCELLED_AT_KIOSK
        );
    }
}
