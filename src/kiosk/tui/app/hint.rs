//! What the message line says to the clerk: a refused character, the errors left, a person
//! already queued, a record that can no longer change, a queue problem. Its words are in
//! `tui::words::message`.

use super::RecordRow;
use crate::core::thai::input_check::Rejection;
use crate::core::thai::{Bilingual, Lang};
use crate::kiosk::card::CardError;
use crate::kiosk::queue::{PinError, State};
use crate::kiosk::tui::words::queue::state_name;
use crate::kiosk::tui::words::{message, print, start};

/// Something the clerk should read in the message line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// The input check refused a character.
    Rejected(Rejection),
    /// A character a name may not hold was typed (and not inserted).
    NotInName,
    /// A paste into a name was cleaned: what was taken out.
    PasteCleaned(String),
    NeedOperator,
    /// The PIN was not taken (wrong, wait, …).
    Pin(PinError),
    /// A wrong-PIN wait is over.
    PinMayTry,
    /// The first PIN must be chosen before the shift starts.
    ChoosePin,
    /// The PIN typed again is not the one chosen.
    PinsDiffer,
    /// The shift started without the PIN: names are hidden on the queue screen.
    WithoutPin,
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
        /// The card's fields that made no sense, left empty (as the card reader names them).
        unreadable: Vec<&'static str>,
    },
    /// The card could not be read.
    CardProblem(CardError),
    /// A slip is on its way to the printer.
    Printing,
    Printed {
        paper_low: bool,
    },
    /// The slip did not print (the printer's words, in English); it is kept for `p`.
    PrintFailed(String),
    /// `p` with no printer configured.
    NoPrinter,
    /// The hub is being asked to enrol the kiosk.
    Enrolling,
    /// The kiosk was enrolled: its name at the hub, and the hub's host.
    Enrolled(super::EnrolledAs),
    /// The code did not enrol the kiosk.
    Enrol(super::EnrolProblem),
    /// The form switched to this version, published by the hub (`as_text` questions of types
    /// this build does not know are asked as text).
    FormVersion {
        version: u32,
        as_text: usize,
    },
    /// The hub's form `version` cannot be read by this build: registrations go on with `kept`.
    NeedsUpgrade {
        version: u32,
        kept: u32,
    },
    /// On the check-in screen (`tui::words::checkin`).
    Checkin(crate::kiosk::tui::words::Phrase),
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
            Hint::NotInName => crate::core::form::Problem::NameChars.say(lang),
            Hint::PasteCleaned(removed) => message::paste_cleaned(removed, lang),
            Hint::NeedOperator => message::NEED_OPERATOR.say(lang).into(),
            Hint::Pin(e) => crate::kiosk::tui::words::start::pin_refused(e, lang),
            Hint::PinMayTry => crate::kiosk::tui::words::start::PIN_MAY_TRY
                .say(lang)
                .into(),
            Hint::ChoosePin => crate::kiosk::tui::words::start::CHOOSE_FIRST
                .say(lang)
                .into(),
            Hint::PinsDiffer => crate::kiosk::tui::words::start::PINS_DIFFER
                .say(lang)
                .into(),
            Hint::WithoutPin => crate::kiosk::tui::words::start::WITHOUT_PIN
                .say(lang)
                .into(),
            Hint::FixErrors(n) => message::fix_errors(*n, lang),
            Hint::AlreadyQueued {
                reference,
                state,
                changeable,
            } => message::already_queued(reference, state_name(*state, lang), *changeable, lang),
            Hint::NotChangeable(s) => message::not_changeable(state_name(*s, lang), lang),
            Hint::Cancelled(r) => message::cancelled(r, lang),
            Hint::CardFilled {
                expired,
                address_known,
                unreadable,
            } => message::card_filled(
                crate::kiosk::card::unreadable_said(unreadable, lang),
                expired.as_deref(),
                *address_known,
                lang,
            ),
            Hint::CardProblem(e) => format!("{} {}", message::CARD_PROBLEM.say(lang), e.say(lang)),
            Hint::QueueProblem(e) => format!("{} {e}", message::QUEUE_PROBLEM.say(lang)),
            Hint::Printing => print::PRINTING.say(lang).into(),
            Hint::Printed { paper_low } => print::printed(*paper_low, lang),
            Hint::PrintFailed(why) => print::failed(why, lang),
            Hint::NoPrinter => print::NO_PRINTER.say(lang).into(),
            Hint::Enrolling => start::ENROLLING.say(lang).into(),
            Hint::Enrolled(who) => start::enrolled(&who.kiosk_id, &who.host, lang),
            Hint::Enrol(problem) => start::enrol_refused(problem, lang),
            Hint::FormVersion { version, as_text } => {
                let said = lang.pick("แบบฟอร์มรุ่น", "form version");
                let from = lang.pick("จากศูนย์", "from the hub");
                match as_text {
                    0 => format!("{said} {version} {from}"),
                    n => format!(
                        "{said} {version} {from} ({n} {})",
                        lang.pick("ข้อถามเป็นข้อความ", "asked as text")
                    ),
                }
            }
            Hint::Checkin(said) => said.say(lang).into(),
            Hint::NeedsUpgrade { version, kept } => match lang {
                Lang::Th => format!(
                    "แบบฟอร์มรุ่น {version} จากศูนย์ใช้กับเครื่องนี้ไม่ได้ โปรดอัปเกรด ruamjai — ยังลงทะเบียนด้วยรุ่น {kept} ได้"
                ),
                Lang::En => format!(
                    "form version {version} from the hub needs a newer ruamjai: upgrade this kiosk; registrations go on with version {kept}"
                ),
            },
        }
    }
}
