//! The receipt: the saved record's reference, to show the person.

use super::Phrase;
use crate::core::thai::Lang;

pub const TITLE: Phrase = Phrase::new(" ใบรับการลงทะเบียน ", " Registration receipt ");
pub const SAVED: Phrase = Phrase::new(
    "✓ บันทึกแล้ว — แสดงหน้าจอนี้ให้ผู้รับบริการ",
    "✓ Saved — show this screen to the person",
);
/// Above the reference in big letters.
pub const REFERENCE: Phrase = Phrase::new("เลขอ้างอิง", "Reference");

/// After the state of a record not sent yet.
pub const KEPT_NO_HUB: Phrase = Phrase::new(
    "เก็บไว้ที่เครื่องนี้ ยังไม่ได้ตั้งค่าศูนย์จึงยังไม่ส่ง",
    "kept on this kiosk: no hub is set up, so it is not sent",
);
pub const SENT_WHEN_UP: Phrase =
    Phrase::new("ส่งไปศูนย์เมื่อเชื่อมต่อได้", "goes to the hub when the link is up");

/// The labels of the person's facts.
pub const NAME: Phrase = Phrase::new("ชื่อ", "Name");
pub const ID_NUMBER: Phrase = Phrase::new("เลขประจำตัว", "ID number");
pub const GROUP: Phrase = Phrase::new("กลุ่ม", "Group");
pub const STATE: Phrase = Phrase::new("สถานะ", "State");
/// The reference a correction replaces.
pub const REPLACES: Phrase = Phrase::new("แทนรายการ", "Replaces");

/// Answers left out for want of room, `n` of them.
#[must_use]
pub fn more_answers(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Th => format!("… และคำตอบอีก {n} ข้อ"),
        Lang::En => format!("… and {n} more answers"),
    }
}

pub const NEXT: Phrase = Phrase::new("Enter คนถัดไป", "Enter next person");
