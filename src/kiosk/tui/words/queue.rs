//! The queue screen, and a queued record wherever it is shown (queue list, receipt, message
//! line): the names of its states, what the hub said of it, why it was cancelled.

use super::Phrase;
use crate::core::thai::Lang;
use crate::kiosk::queue::State;

pub const TITLE: Phrase = Phrase::new(" รายการในคิวของจุดนี้ ", " This kiosk's queue ");
pub const SEARCH: Phrase = Phrase::new(
    "ค้นหา (เลขบัตร ชื่อ เลขอ้างอิง): ",
    "Search (ID, name, reference): ",
);

/// The list's column heads.
pub const REFERENCE: Phrase = Phrase::new("เลขอ้างอิง", "Reference");
pub const TIME: Phrase = Phrase::new("เวลา", "Time");
pub const NAME: Phrase = Phrase::new("ชื่อ", "Name");
pub const STATE: Phrase = Phrase::new("สถานะ", "State");

pub const NO_RECORDS: Phrase = Phrase::new("ไม่พบรายการ", "No records");
/// A search by name found nothing because names are read only with the shift open.
pub const NAMES_NEED_SHIFT: Phrase = Phrase::new(
    "ค้นหาด้วยชื่อได้เมื่อเปิดกะด้วย PIN: ตอนนี้ค้นด้วยเลขบัตรหรือเลขอ้างอิงได้",
    "Open the shift (its PIN) to search names; IDs and references work now",
);
/// Before the operator who saved the selected record.
pub const BY: Phrase = Phrase::new("ผู้บันทึก", "by");

/// The keys line; where Esc goes back to follows (one of the `BACK_TO_*`).
pub const KEYS: Phrase = Phrase::new(
    " ↑↓ เลือก  Enter แก้ไข (รอส่ง/ถูกปฏิเสธ)  Delete/^D ยกเลิกรายการ  Esc กลับ",
    " ↑↓ select  Enter correct (pending/rejected)  Del/^D cancel  Esc back to ",
);
pub const BACK_TO_START: Phrase = Phrase::new("เริ่มกะ", "start");
pub const BACK_TO_REVIEW: Phrase = Phrase::new("ตรวจทาน", "review");
pub const BACK_TO_RECEIPT: Phrase = Phrase::new("ใบรับ", "receipt");
pub const BACK_TO_FORM: Phrase = Phrase::new("ฟอร์ม", "form");

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

/// A person on the waiting list: their place in their target group's list (the group, when the
/// on-screen copy can be read), and the hub's reference.
#[must_use]
pub fn waiting(
    state: &str,
    position: u64,
    group: Option<u8>,
    hub_reference: &str,
    lang: Lang,
) -> String {
    match group {
        Some(g) => format!(
            "{state} #{position} {} {g} {hub_reference}",
            lang.pick("ในกลุ่ม", "in group")
        ),
        None => format!("{state} #{position} {hub_reference}"),
    }
}

/// A person the hub moved up from the waiting list.
#[must_use]
pub fn moved_up(hub_reference: &str, lang: Lang) -> String {
    format!(
        "{} {hub_reference})",
        Phrase::new(
            "เลื่อนจากรายชื่อสำรองเป็นได้รับสิทธิ์ (เลขอ้างอิงศูนย์",
            "moved from the waiting list to accepted (hub reference"
        )
        .say(lang)
    )
}

/// A duplicate: where the person first registered.
#[must_use]
pub fn first_registered(state: &str, reference: &str, point: &str, lang: Lang) -> String {
    format!(
        "{state}: {} {reference} ({point})",
        Phrase::new("ลงทะเบียนครั้งแรก", "first registered as").say(lang)
    )
}

/// A pending record whose last send failed, with why (for clerks, in English).
#[must_use]
pub fn will_retry(state: &str, error: &str, lang: Lang) -> String {
    format!(
        "{state} ({} {error})",
        Phrase::new("ส่งไม่สำเร็จ จะลองใหม่:", "not sent yet, will retry:").say(lang)
    )
}

/// A record the hub cancelled (an admin, a clerk at another kiosk): the reason it gave, shown
/// safely (it comes from outside).
#[must_use]
pub fn cancelled_by_hub(state: &str, reason: &str, lang: Lang) -> String {
    let reason = crate::core::thai::width::sanitize_for_display(reason);
    let by = Phrase::new("โดยศูนย์", "by the hub").say(lang);
    if reason.trim().is_empty() {
        format!("{state} {by}")
    } else {
        format!("{state} {by}: {}", reason.trim())
    }
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
