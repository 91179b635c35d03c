//! The yes/no dialogs: discard the typed form, quit with unsaved data, cancel a record, replace
//! the form with a card's data, save despite warnings; and the keys that answer them.

use super::Phrase;
use crate::core::thai::Lang;

pub const TITLE: Phrase = Phrase::new(" ยืนยัน ", " Confirm ");

/// Throw away the typed form, then go to `destination` (one of the `TO_*`, or [`correct`]).
#[must_use]
pub fn discard(destination: &str, lang: Lang) -> String {
    format!(
        "{} {destination}?",
        Phrase::new("ทิ้งข้อมูลที่พิมพ์ไว้ แล้ว", "Discard what was typed and").say(lang)
    )
}

/// Where leaving the form goes: correct another record.
#[must_use]
pub fn correct(reference: &str, lang: Lang) -> String {
    format!(
        "{} {reference}",
        Phrase::new("แก้ไขรายการ", "correct").say(lang)
    )
}
pub const TO_FORM: Phrase = Phrase::new("กลับไปฟอร์มที่พิมพ์ไว้", "go back to the form as it was");
pub const TO_QUEUE: Phrase = Phrase::new("กลับไปรายการคิว", "go back to the queue");
pub const TO_START: Phrase = Phrase::new("กลับไปหน้าเริ่มกะ", "go back to the start of shift");

/// Quit while the form holds data: two lines.
pub const QUIT: [Phrase; 2] = [
    Phrase::new("ยังมีข้อมูลที่ยังไม่ได้บันทึก", "The form has data that is not saved."),
    Phrase::new("ออกจากโปรแกรมหรือไม่?", "Quit anyway?"),
];

/// Quit while a shift is going on (nothing typed on the form): two lines.
pub const QUIT_SHIFT: [Phrase; 2] = [
    Phrase::new("กะนี้ยังเปิดอยู่", "The shift is going on."),
    Phrase::new("ออกจากโปรแกรมหรือไม่?", "Quit the kiosk?"),
];

/// Cancel a queued record: its reference and the person's name.
#[must_use]
pub fn cancel_record(reference: &str, name: &str, lang: Lang) -> String {
    format!(
        "{} {reference} {name}?",
        Phrase::new("ยกเลิกรายการ", "Cancel record").say(lang)
    )
}
/// Under the question, for a record the hub has not registered.
pub const NEVER_SENT: Phrase = Phrase::new(
    "รายการที่ยกเลิกจะไม่ถูกส่งไปศูนย์",
    "A cancelled record is never sent to the hub.",
);
/// Under the question, for a record the hub has registered (accepted or waiting).
pub const HUB_TOLD: Phrase = Phrase::new(
    "ศูนย์รับรายการนี้แล้ว: จะแจ้งยกเลิกไปที่ศูนย์ และที่ว่างจะให้คนในรายชื่อสำรอง",
    "The hub has it: the cancellation is sent there and its place goes to the waiting list.",
);

/// A card went in while the form holds data: the card holder's Thai name.
#[must_use]
pub fn replace_with_card(title: &str, first: &str, last: &str, lang: Lang) -> String {
    format!(
        "{} {title} {first} {last}?",
        Phrase::new(
            "ฟอร์มนี้มีข้อมูลอยู่ แทนที่ด้วยข้อมูลจากบัตรของ",
            "The form holds data. Replace it with the card of"
        )
        .say(lang)
    )
}

/// After the warnings.
pub const SAVE_ANYWAY: Phrase = Phrase::new("บันทึกต่อหรือไม่?", "Save anyway?");

/// The keys that answer: a discard (only Y discards), a card, any other question.
pub const ANSWER_DISCARD: Phrase = Phrase::new(
    "Enter หรือ Esc = ไม่ทิ้ง กลับไปพิมพ์ต่อ    Y = ทิ้งข้อมูล",
    "Enter or Esc = keep it, go on typing    Y = discard",
);
pub const ANSWER_CARD: Phrase = Phrase::new(
    "Enter หรือ Esc = เก็บฟอร์มเดิม    Y = ใช้ข้อมูลจากบัตร",
    "Enter or Esc = keep the form    Y = use the card",
);
pub const ANSWER_QUIT: Phrase = Phrase::new(
    "Enter หรือ Esc = อยู่ต่อ    Y = ออกจากโปรแกรม",
    "Enter or Esc = stay    Y = quit",
);
pub const ANSWER_YES_NO: Phrase = Phrase::new("Enter = ใช่    Esc = ไม่", "Enter = yes    Esc = no");
