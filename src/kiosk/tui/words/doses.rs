//! The doses left as the hub last said: beside the group choice on the form, on the status
//! line, and on the review when the person will go to the waiting list.

use super::Phrase;
use crate::core::thai::Lang;

/// " (as of 10:42)" after a figure that is not fresh.
#[must_use]
pub fn as_of(time: &str, lang: Lang) -> String {
    format!(" ({} {time})", Phrase::new("ข้อมูล", "as of").say(lang))
}

/// Beside the group choice: the group is full.
pub const GROUP_FULL: Phrase = Phrase::new("เต็ม: รายชื่อสำรอง", "full: waiting list");

/// Beside the group choice: `left` doses.
#[must_use]
pub fn group_left(left: u64, lang: Lang) -> String {
    format!("{} {left}", Phrase::new("เหลือ", "left").say(lang))
}

/// On the status line: the campaign's doses left.
#[must_use]
pub fn campaign_left(left: u64, lang: Lang) -> String {
    format!("{} {left}", Phrase::new("โดสเหลือ", "doses left").say(lang))
}

/// On the review, before saving.
pub const WAITLIST_WARNING: Phrase = Phrase::new(
    "ตามข้อมูลจากศูนย์ โดสของกลุ่มนี้เต็มแล้ว: ผู้รับบริการรายนี้จะอยู่ในรายชื่อสำรอง แจ้งให้ทราบก่อนบันทึก",
    "By the hub's figures this group is full: this person will go on the waiting list; tell them before saving",
);
