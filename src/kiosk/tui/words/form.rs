//! The form: its title, the mark beside what a card filled, the tambon list, the date's mask and
//! the help line for the focused field (second message row), the fields below the screen's edge. Field labels and choices come from
//! the campaign file, not from here.

use super::Phrase;
use crate::core::thai::Lang;

pub const TITLE: Phrase = Phrase::new(" ลงทะเบียนผู้รับบริการ ", " New registration ");

/// The title while a record is being corrected.
#[must_use]
pub fn title_correcting(reference: &str, lang: Lang) -> String {
    format!(
        " {} {reference} ",
        Phrase::new("แก้ไขรายการ", "Correcting").say(lang)
    )
}

/// Beside a field the ID card filled, until the clerk edits it.
pub const FROM_CARD: Phrase = Phrase::new("◆ จากบัตร", "◆ from the card");
/// The tambon type-ahead's title.
pub const TAMBON_LIST: Phrase = Phrase::new(" ตำบล ↑↓ Enter ", " Tambon ↑↓ Enter ");
/// The date field's placeholders (the slashes stay where they are).
pub const DATE_MASK: Phrase = Phrase::new("วว/ดด/ปปปป", "DD/MM/YYYY");

/// The field help's keys to move on, and where Esc goes.
#[must_use]
pub fn nav(esc_goes: Phrase, lang: Lang) -> String {
    format!(
        "{}  Esc {}",
        Phrase::new("Tab/↓ ถัดไป  Enter ไปต่อ", "Tab/↓ next  Enter go on").say(lang),
        esc_goes.say(lang)
    )
}

/// Where Esc on the form goes, for [`nav`].
pub const ESC_TO_FORM: Phrase = Phrase::new("กลับฟอร์มเดิม", "back to the form");
pub const ESC_TO_QUEUE: Phrase = Phrase::new("กลับคิว", "back to the queue");
pub const ESC_TO_START: Phrase = Phrase::new("กลับหน้าเริ่มกะ", "start of shift");

/// The help for each kind of field, before [`nav`].
pub const HELP_TAMBON: Phrase = Phrase::new(
    "พิมพ์ชื่อตำบล ↑↓ เลือก Enter ใส่",
    "Type a tambon, ↑↓ Enter picks",
);
/// A choice's help: the count of choices follows (`1–4`).
pub const HELP_CHOICE: Phrase = Phrase::new("←/→ เลือก หรือกด", "←/→ choose, or press");
pub const HELP_DATE: Phrase = Phrase::new(
    "วว ดด ปปปป (พ.ศ.)  '-' = ไม่ทราบวัน/เดือน",
    "DD MM YYYY (BE)  '-' = day/month unknown",
);
pub const HELP_PASSPORT: Phrase = Phrase::new("ตัวอักษร A–Z และตัวเลข", "letters A–Z and digits");
/// Before the numbers of the options (`1–4`) of a question taking several.
pub const HELP_CHOICES: Phrase = Phrase::new(
    "เลือกได้หลายข้อ: ←/→ เลื่อน Space เลือก/เอาออก หรือกด",
    "several: ←/→ move, Space ticks/clears, or press",
);
pub const HELP_DIGITS: Phrase = Phrase::new("ตัวเลขเท่านั้น", "digits only");
pub const HELP_ASCII: Phrase = Phrase::new(
    "ตัวเลข A–Z / - ได้ทั้งแป้น TH และ EN",
    "digits, A–Z, / - with either keyboard layout",
);
/// A text field's help: the keyboard layout in use.
pub const HELP_LAYOUT_TH: Phrase =
    Phrase::new("แป้น TH เกษมณี (` สลับ)", "keyboard TH Kedmanee (` switches)");
pub const HELP_LAYOUT_EN: Phrase =
    Phrase::new("แป้น EN (` สลับเป็นไทย)", "keyboard EN (` switches to Thai)");

/// " ↓ 3 more below 17/20 ": how far down a column of fields the screen shows.
#[must_use]
pub fn more_below(l: Lang, shown_to: usize, of: usize) -> String {
    match (l, of - shown_to) {
        (_, 0) => format!(" {shown_to}/{of} "),
        (Lang::Th, n) => format!(" ↓ อีก {n} ช่องด้านล่าง {shown_to}/{of} "),
        (Lang::En, n) => format!(" ↓ {n} more below {shown_to}/{of} "),
    }
}
