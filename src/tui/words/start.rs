//! The start of shift: who is at the counter.

use super::Phrase;

pub const TITLE: Phrase = Phrase::new(" เริ่มกะ ", " Start of shift ");
/// The program's name, in both scripts.
pub const BRAND: &str = " รวมใจ · ruamjai";
/// Before the kiosk's id.
pub const KIOSK: Phrase = Phrase::new("จุดบริการ", "Kiosk");
/// Before the place's name.
pub const PLACE: Phrase = Phrase::new("สถานที่", "Place");
pub const OPERATOR: Phrase = Phrase::new(" ชื่อผู้ปฏิบัติงาน: ", " Operator's name: ");
pub const RECORDED: Phrase = Phrase::new(
    " ชื่อนี้จะบันทึกไว้กับทุกรายการในกะนี้",
    " This name is recorded on every registration of the shift",
);
pub const KEYS: Phrase = Phrase::new(
    " Enter เริ่มงาน   ` หรือ F3 สลับแป้นไทย/อังกฤษ",
    " Enter starts   ` or F3 switches Thai/English keys",
);
