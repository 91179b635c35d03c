//! Thai national ID smartcards: what a card holds ([`CardData`]), how it is read ([`apdu`]: the
//! Thai ID applet's APDUs over any [`apdu::Transmit`]), how its bytes become text and dates
//! ([`decode`]: TIS-620, `#`-separated names and addresses, BE dates), what it fills on the form
//! ([`fill`]: the form's values, the address matched to the national tambon list), and the reader
//! itself ([`watch`]: a background thread over PC/SC that sends [`CardEvent`]s, in builds with
//! `cfg(card_reader)`; without it the reader says [`ReaderState::Unsupported`]).
//!
//! Nothing read from a card is logged: errors name the field that failed and the card's status
//! word, never what the card holds.

pub mod apdu;
pub mod decode;
pub mod fill;
#[cfg(card_reader)]
mod reader;

use crate::core::form::Sex;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::{Bilingual, Lang};

pub use apdu::read_card;

/// A name as the card holds it: `title#first#middle#last`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Name {
    pub title: String,
    pub first: String,
    pub middle: String,
    pub last: String,
}

/// The address as the card holds it: `house#moo#trok#soi#road#tambon#amphoe#province`, with the
/// words `หมู่ที่`, `ตรอก`, `ซอย`, `ถนน`, `ตำบล`/`แขวง`, `อำเภอ`/`เขต`, `จังหวัด` taken off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardAddress {
    pub house_no: String,
    pub moo: String,
    pub trok: String,
    pub soi: String,
    pub road: String,
    pub tambon: String,
    pub amphoe: String,
    pub province: String,
}

/// When the card stops being valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    On(ThaiDate),
    /// `99999999`: cards issued from age 70 on never expire (ตลอดชีพ).
    Lifelong,
    /// The card left the date blank or unreadable.
    Unknown,
}

/// Which generation of card: they answer GET RESPONSE differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generation {
    /// The ATR starts `3B 67`: GET RESPONSE is `00 C0 00 01 Le`.
    Older,
    /// Every other ATR: `00 C0 00 00 Le`.
    Current,
}

/// What one Thai ID card says about its holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardData {
    /// The 13 digits.
    pub citizen_id: String,
    pub name_th: Name,
    pub name_en: Name,
    /// `None` when the card's date is unreadable; an unknown day or month is kept unknown.
    pub birth_date: Option<ThaiDate>,
    pub sex: Option<Sex>,
    pub issuer: String,
    pub issued: Option<ThaiDate>,
    pub expiry: Expiry,
    pub address: CardAddress,
    pub generation: Generation,
    /// The fields the card gave that make no sense (as [`CardError::Garbage`] names them:
    /// "birth date", "address", …): left empty above, for the clerk to type.
    pub unreadable: Vec<&'static str>,
}

impl CardData {
    /// True when the card's expiry date is before `today` (a warning at the counter, not a stop).
    #[must_use]
    pub fn expired(&self, today: ThaiDate) -> bool {
        matches!(self.expiry, Expiry::On(d) if today.is_after(&d))
    }
}

/// Why a card could not be read, in words for the clerk (never what the card holds).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("this build has no card reader support (build with --features card)")]
    Unsupported,
    #[error("the smart card service is not running (pcscd on Linux)")]
    NoService,
    #[error("no card reader is connected")]
    NoReader,
    #[error("no card was put in the reader")]
    NoCard,
    #[error("the card reader was unplugged")]
    ReaderGone,
    #[error("the card was taken out or lost contact while it was read: insert it again")]
    Removed,
    #[error("not a Thai ID card (it has no Thai ID application)")]
    NotThaiId,
    #[error("the card refused to give the {what} (status {sw:04X})")]
    Refused { what: &'static str, sw: u16 },
    #[error("the card's answer for the {what} makes no sense")]
    Garbage { what: &'static str },
    #[error("the card did not answer")]
    NoAnswer,
    #[error("card reader error: {0}")]
    Reader(String),
}

impl Bilingual for CardError {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            CardError::Unsupported => "โปรแกรมชุดนี้อ่านบัตรไม่ได้ (ไม่ได้สร้างพร้อม --features card)".into(),
            CardError::NoService => "บริการสมาร์ตการ์ดไม่ทำงาน (pcscd)".into(),
            CardError::NoReader => "ไม่พบเครื่องอ่านบัตร".into(),
            CardError::NoCard => "ไม่มีบัตรในเครื่องอ่าน".into(),
            CardError::ReaderGone => "เครื่องอ่านบัตรถูกถอดออก".into(),
            CardError::Removed => "บัตรถูกดึงออกระหว่างอ่าน เสียบบัตรใหม่อีกครั้ง".into(),
            CardError::NotThaiId => "ไม่ใช่บัตรประชาชนไทย".into(),
            CardError::Refused { what, sw } => {
                format!("บัตรไม่ยอมให้อ่าน{} (สถานะ {sw:04X})", what_th(what))
            }
            CardError::Garbage { what } => format!("ข้อมูล{}จากบัตรอ่านไม่ได้", what_th(what)),
            CardError::NoAnswer => "บัตรไม่ตอบสนอง".into(),
            CardError::Reader(e) => format!("เครื่องอ่านบัตรขัดข้อง: {e}"),
        }
    }
}

/// What the clerk is told first when fields a card gave make no sense (`what`, as
/// [`CardData::unreadable`] names them): the rest was filled, those are left empty to be typed.
/// `None` when there are none.
#[must_use]
pub fn unreadable_said(what: &[&str], lang: Lang) -> Option<String> {
    if what.is_empty() {
        return None;
    }
    Some(if lang == Lang::En {
        format!(
            "Filled from the card, except its {}, which makes no sense: type it",
            what.join(", ")
        )
    } else {
        let th: Vec<&str> = what.iter().map(|w| what_th(w)).collect();
        format!("กรอกจากบัตรแล้ว ยกเว้น{}ที่อ่านไม่ได้: กรอกเอง", th.join(", "))
    })
}

/// The Thai word for a field named in an error.
fn what_th(what: &str) -> &'static str {
    match what {
        "citizen ID" => "เลขประจำตัวประชาชน",
        "Thai name" => "ชื่อภาษาไทย",
        "English name" => "ชื่อภาษาอังกฤษ",
        "birth date" => "วันเกิด",
        "sex" => "เพศ",
        "issuer" => "ผู้ออกบัตร",
        "issue date" => "วันออกบัตร",
        "expiry date" => "วันหมดอายุ",
        "address" => "ที่อยู่",
        "application" => "แอปพลิเคชันบัตร",
        _ => "ข้อมูล",
    }
}

/// What the reader is doing, for the status line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReaderState {
    /// This build reads no cards: nothing is shown.
    #[default]
    Unsupported,
    /// The reader and its service are not ready (no pcscd, no reader, reader unplugged).
    Unavailable(CardError),
    /// A reader, no card in it.
    Ready,
    /// A card went in; it is being read.
    Reading,
    /// The card in the reader was read.
    Done,
    /// The card in the reader could not be read.
    Failed(CardError),
}

/// What the reader thread tells the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardEvent {
    State(ReaderState),
    /// A card was read (the state is then [`ReaderState::Done`]).
    Read(Box<CardData>),
}

/// Starts watching the card reader (the first PC/SC reader, or the one whose name contains
/// `reader`) on a thread of its own; its events arrive on the returned channel. The thread ends
/// when the receiver is dropped.
#[must_use]
pub fn watch(reader: Option<&str>) -> tokio::sync::mpsc::UnboundedReceiver<CardEvent> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    #[cfg(card_reader)]
    reader::spawn(tx, reader.map(str::to_owned));
    #[cfg(not(card_reader))]
    {
        let _ = reader;
        let _ = tx.send(CardEvent::State(ReaderState::Unsupported));
    }
    rx
}

/// Waits up to `timeout` for a card in the reader and reads it once (for `ruamjai card read`):
/// the reader's name and the card's ATR with what it holds, or why not.
pub fn read_once(
    reader: Option<&str>,
    timeout: std::time::Duration,
) -> Result<(String, Vec<u8>, CardData), CardError> {
    #[cfg(card_reader)]
    return reader::read_once(reader, timeout);
    #[cfg(not(card_reader))]
    {
        let _ = (reader, timeout);
        Err(CardError::Unsupported)
    }
}
