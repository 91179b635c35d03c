//! What the message line says to the clerk: a refused character, the errors left, a person
//! already queued, a record that can no longer change, a queue problem; in both languages.

use super::{RecordRow, text};
use crate::card::CardError;
use crate::queue::State;
use crate::thai::input_check::Rejection;
use crate::thai::{Bilingual, Lang};

/// Something the clerk should read in the message line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// The input check refused a character.
    Rejected(Rejection),
    NeedOperator,
    FixErrors(usize),
    /// This person is already queued here; saving again is refused. Ctrl-E is offered only
    /// while that record can still be corrected (pending or rejected).
    AlreadyQueued {
        reference: String,
        state: State,
        changeable: bool,
    },
    NotChangeable(State),
    Cancelled(String),
    /// The queue could not be read or written (its message is for clerks, in English).
    QueueProblem(String),
    /// The form was filled from an ID card: whether it has expired (its date), whether its
    /// address is in the national list (else the postcode is left to the clerk).
    CardFilled {
        expired: Option<String>,
        address_known: bool,
    },
    /// The card could not be read.
    CardProblem(CardError),
}

impl Hint {
    /// The hint for a person this kiosk has already queued.
    #[must_use]
    pub fn already_queued(first: &RecordRow) -> Self {
        Hint::AlreadyQueued {
            reference: first.reference.clone(),
            state: first.state,
            changeable: first.changeable(),
        }
    }
}

impl Bilingual for Hint {
    fn say(&self, lang: Lang) -> String {
        match self {
            Hint::Rejected(r) => r.say(lang),
            Hint::NeedOperator => lang
                .pick("พิมพ์ชื่อผู้ปฏิบัติงานก่อน", "Type the operator's name first")
                .into(),
            Hint::FixErrors(n) => format!(
                "{} {n} {}",
                lang.pick("ยังมีข้อผิดพลาด", "Still"),
                lang.pick("ช่อง — แก้ไขช่องที่มีเครื่องหมาย !", "field(s) to fix, marked !")
            ),
            Hint::AlreadyQueued {
                reference,
                state,
                changeable,
            } => format!(
                "{} {reference} ({}) — {}",
                lang.pick("บุคคลนี้ลงทะเบียนที่จุดนี้แล้ว", "Already registered here:"),
                text::state_name(*state, lang),
                if *changeable {
                    lang.pick("Ctrl-E แก้ไขรายการเดิม", "Ctrl-E corrects that record")
                } else {
                    lang.pick("ลงทะเบียนซ้ำไม่ได้", "no second entry")
                }
            ),
            Hint::NotChangeable(s) => format!(
                "{} ({})",
                lang.pick(
                    "รายการนี้แก้ไขหรือยกเลิกไม่ได้แล้ว",
                    "This record can no longer be corrected or cancelled"
                ),
                text::state_name(*s, lang)
            ),
            Hint::Cancelled(r) => format!("{} {r}", lang.pick("ยกเลิกแล้ว:", "Cancelled:")),
            Hint::CardFilled {
                expired,
                address_known,
            } => card_filled(expired.as_deref(), *address_known, lang),
            Hint::CardProblem(e) => format!("{} {}", lang.pick("บัตร:", "Card:"), e.say(lang)),
            Hint::QueueProblem(e) => {
                format!("{} {e}", lang.pick("บันทึก/อ่านคิวไม่ได้:", "Queue problem:"))
            }
        }
    }
}

/// What the message line says after a card filled the form.
fn card_filled(expired: Option<&str>, address_known: bool, lang: Lang) -> String {
    let mut said = vec![
        lang.pick(
            "กรอกจากบัตรประชาชนแล้ว — ตรวจดูและกรอกช่องที่เหลือ",
            "Filled from the ID card: check it and fill in the rest",
        )
        .to_owned(),
    ];
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
