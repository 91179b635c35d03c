//! The words around every screen: the header, the keys footer, the language's own name, and the
//! message for a window too small to draw in.

use super::Phrase;
use crate::core::thai::Lang;

/// The header's left part: the program and the campaign.
#[must_use]
pub fn header(campaign: &str) -> String {
    format!(" รวมใจ ruamjai · {campaign}")
}

/// The footer's words, beside their keys.
pub const HELP: Phrase = Phrase::new("ช่วย", "Help");
pub const KEYBOARD: Phrase = Phrase::new("แป้น", "Kbd");
pub const QUEUE: Phrase = Phrase::new("คิว", "Queue");
/// F9 on the form.
pub const REVIEW: Phrase = Phrase::new("ตรวจทาน", "Review");
/// F9 on the review.
pub const SAVE: Phrase = Phrase::new("บันทึก", "Save");
pub const QUIT: Phrase = Phrase::new("ออก", "Quit");

/// The name of the language itself (the footer offers the other, the status line says this one).
#[must_use]
pub fn lang_name(lang: Lang) -> &'static str {
    Phrase::new("ไทย", "English").say(lang)
}

/// A window below the smallest size, in both languages at once (the clerk may not read the
/// other): the smallest size, then the window's own.
#[must_use]
pub fn too_small(min_width: u16, min_height: u16, width: u16, height: u16) -> String {
    format!(
        "กรุณาขยายหน้าต่างเป็นอย่างน้อย {min_width}×{min_height}\nPlease make the window at least {min_width}×{min_height}\n({width}×{height})\nแป้นพิมพ์จะใช้ได้เมื่อหน้าต่างใหญ่พอ\nKeys wait until the window is large enough"
    )
}
