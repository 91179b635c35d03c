//! The review page: everything on one page before saving.

use super::Phrase;
use crate::core::thai::Lang;

pub const TITLE: Phrase = Phrase::new(" ตรวจทานก่อนบันทึก ", " Review before saving ");

/// The title while a correction is reviewed.
#[must_use]
pub fn title_correcting(reference: &str, lang: Lang) -> String {
    format!(
        " {} {reference} ",
        Phrase::new("ตรวจทานการแก้ไขรายการ", "Review correction of").say(lang)
    )
}

/// The save button, and the button while the queue saves.
pub const SAVE: Phrase = Phrase::new("[ บันทึก  Enter ]", "[ Save  Enter ]");
pub const SAVING: Phrase = Phrase::new("  กำลังบันทึก…  ", "  Saving…  ");
/// Beside the button.
pub const KEYS: Phrase = Phrase::new(
    "↑↓ เลือกช่อง  Enter แก้ไขช่องนั้น  Esc กลับไปแก้",
    "↑↓ pick a field  Enter edits it  Esc back to the form",
);

/// The last save failed: the queue's reason (for clerks, in English) follows.
#[must_use]
pub fn not_saved(error: &str, lang: Lang) -> String {
    format!(
        "✗ {} {error}",
        Phrase::new(
            "บันทึกไม่สำเร็จ ข้อมูลยังอยู่ครบ:",
            "Not saved, nothing typed is lost:"
        )
        .say(lang)
    )
}
