//! The message line's hints: a missing operator, errors left, a person already queued, a record
//! that can no longer change, a cancellation, a queue problem, what a card filled, what was taken
//! out of a name pasted.

use super::Phrase;
use crate::core::thai::Lang;

pub const NEED_OPERATOR: Phrase = Phrase::new("พิมพ์ชื่อผู้ปฏิบัติงานก่อน", "Type the operator's name first");

/// A paste into a name was cleaned: what was taken out (shown safely).
#[must_use]
pub fn paste_cleaned(removed: &str, lang: Lang) -> String {
    format!(
        "{} {}",
        lang.pick(
            "ลบออกจากข้อความที่วาง (ชื่อใช้เฉพาะตัวอักษร):",
            "Taken out of the paste (a name takes letters only):"
        ),
        crate::core::thai::width::sanitize_for_display(removed)
    )
}

/// `count` fields still have errors.
#[must_use]
pub fn fix_errors(count: usize, lang: Lang) -> String {
    format!(
        "{} {count} {}",
        lang.pick("ยังมีข้อผิดพลาด", "Still"),
        lang.pick("ช่อง — แก้ไขช่องที่มีเครื่องหมาย !", "field(s) to fix, marked !")
    )
}

/// This person is already queued here as `reference`, in `state` (its name); Ctrl-E is offered
/// while the record can still be corrected.
#[must_use]
pub fn already_queued(reference: &str, state: &str, changeable: bool, lang: Lang) -> String {
    format!(
        "{} {reference} ({state}) — {}",
        lang.pick("บุคคลนี้ลงทะเบียนที่จุดนี้แล้ว", "Already registered here:"),
        if changeable {
            lang.pick("Ctrl-E แก้ไขรายการเดิม", "Ctrl-E corrects that record")
        } else {
            lang.pick("ลงทะเบียนซ้ำไม่ได้", "no second entry")
        }
    )
}

/// The record is past correcting, in `state` (its name).
#[must_use]
pub fn not_changeable(state: &str, lang: Lang) -> String {
    format!(
        "{} ({state})",
        lang.pick(
            "รายการนี้แก้ไขหรือยกเลิกไม่ได้แล้ว",
            "This record can no longer be corrected or cancelled"
        )
    )
}

/// The record `reference` was cancelled.
#[must_use]
pub fn cancelled(reference: &str, lang: Lang) -> String {
    format!("{} {reference}", lang.pick("ยกเลิกแล้ว:", "Cancelled:"))
}

/// The card could not be read: the card's own words follow.
pub const CARD_PROBLEM: Phrase = Phrase::new("บัตร:", "Card:");
/// The queue could not be read or written: its message (for clerks, in English) follows.
pub const QUEUE_PROBLEM: Phrase = Phrase::new("บันทึก/อ่านคิวไม่ได้:", "Queue problem:");

/// After a card filled the form: whether it had expired (its date), whether its address is in
/// the national list.
#[must_use]
pub fn card_filled(
    lead: Option<String>,
    expired: Option<&str>,
    address_known: bool,
    lang: Lang,
) -> String {
    let mut said = vec![lead.unwrap_or_else(|| {
        lang.pick(
            "กรอกจากบัตรประชาชนแล้ว — ตรวจดูและกรอกช่องที่เหลือ",
            "Filled from the ID card: check it and fill in the rest",
        )
        .to_owned()
    })];
    if let Some(date) = expired {
        said.push(format!(
            "{} {date}",
            lang.pick("⚠ บัตรหมดอายุแล้วเมื่อ", "⚠ the card expired on")
        ));
    }
    if !address_known {
        said.push(
            lang.pick(
                "ที่อยู่บนบัตรไม่ตรงกับรายชื่อตำบล ใส่รหัสไปรษณีย์เอง",
                "the card's address is not in the tambon list: type the postcode",
            )
            .to_owned(),
        );
    }
    said.join("; ")
}
