//! The Thai ID applet's commands over any [`Transmit`] (PC/SC in the kiosk, an emulated card in
//! tests): SELECT the applet (`A0 00 00 00 54 48 00 01`), then one READ per field
//! (`80 B0 <offset> 02 00 <len>`), each answered `61 xx` and fetched with GET RESPONSE. Older
//! cards (ATR `3B 67 …`) want GET RESPONSE as `00 C0 00 01 xx`, current ones `00 C0 00 00 xx`;
//! a card that refuses one form gets the other once. A reader that fetches the data itself (T=1,
//! some drivers) answers data and `90 00` straight away, which is taken as it is.

use super::decode::{self, Raw};
use super::{CardData, CardError, Generation};

/// Sends one command APDU and returns the card's whole answer (data, then SW1 SW2).
pub trait Transmit {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError>;
}

/// The Thai ID applet's AID.
pub const AID: [u8; 8] = [0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01];

/// One field on the card: its name in errors, offset and length.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub what: &'static str,
    pub offset: u16,
    pub len: u8,
}

const fn field(what: &'static str, offset: u16, len: u8) -> Field {
    Field { what, offset, len }
}

pub const CITIZEN_ID: Field = field("citizen ID", 0x0004, 0x0D);
pub const NAME_TH: Field = field("Thai name", 0x0011, 0x64);
pub const NAME_EN: Field = field("English name", 0x0075, 0x64);
pub const BIRTH_DATE: Field = field("birth date", 0x00D9, 0x08);
pub const SEX: Field = field("sex", 0x00E1, 0x01);
pub const ISSUER: Field = field("issuer", 0x00F6, 0x64);
pub const ISSUE_DATE: Field = field("issue date", 0x0167, 0x08);
pub const EXPIRY_DATE: Field = field("expiry date", 0x016F, 0x08);
pub const ADDRESS: Field = field("address", 0x1579, 0x64);

/// Every field read, in the order read.
pub const FIELDS: [Field; 9] = [
    CITIZEN_ID,
    NAME_TH,
    NAME_EN,
    BIRTH_DATE,
    SEX,
    ISSUER,
    ISSUE_DATE,
    EXPIRY_DATE,
    ADDRESS,
];

/// The card's generation by its ATR.
#[must_use]
pub fn generation(atr: &[u8]) -> Generation {
    if atr.starts_with(&[0x3B, 0x67]) {
        Generation::Older
    } else {
        Generation::Current
    }
}

/// SELECT by AID.
#[must_use]
pub fn select() -> Vec<u8> {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x00, AID.len() as u8];
    apdu.extend_from_slice(&AID);
    apdu
}

/// READ BINARY (the applet's own class) of one field.
#[must_use]
pub fn read(f: Field) -> Vec<u8> {
    let [hi, lo] = f.offset.to_be_bytes();
    vec![0x80, 0xB0, hi, lo, 0x02, 0x00, f.len]
}

/// GET RESPONSE for `len` bytes, as this generation wants it.
#[must_use]
pub fn get_response(generation: Generation, len: u8) -> Vec<u8> {
    let p2 = match generation {
        Generation::Older => 0x01,
        Generation::Current => 0x00,
    };
    vec![0x00, 0xC0, 0x00, p2, len]
}

/// Splits an answer into its data and status word.
fn split(answer: &[u8], what: &'static str) -> Result<(Vec<u8>, u16), CardError> {
    match answer.len() {
        0 => Err(CardError::NoAnswer),
        1 => Err(CardError::Garbage { what }),
        n => Ok((
            answer[..n - 2].to_vec(),
            u16::from_be_bytes([answer[n - 2], answer[n - 1]]),
        )),
    }
}

/// Status words that say "wrong P1/P2 or instruction": the other GET RESPONSE form may work.
fn wrong_parameters(sw: u16) -> bool {
    matches!(sw, 0x6A86 | 0x6B00 | 0x6D00 | 0x6E00)
}

/// A session with one card: the GET RESPONSE form it takes, learnt on the way.
struct Session<'t> {
    t: &'t mut dyn Transmit,
    generation: Generation,
}

impl Session<'_> {
    fn select(&mut self) -> Result<(), CardError> {
        let (_, sw) = split(&self.t.transmit(&select())?, "application")?;
        match sw {
            0x9000 => Ok(()),
            // Data waits behind the SELECT (its FCI); the applet is selected all the same.
            sw if sw >> 8 == 0x61 => Ok(()),
            0x6A82 | 0x6A81 | 0x6999 => Err(CardError::NotThaiId),
            sw => Err(CardError::Refused {
                what: "application",
                sw,
            }),
        }
    }

    fn read(&mut self, f: Field) -> Result<Vec<u8>, CardError> {
        let (data, sw) = split(&self.t.transmit(&read(f))?, f.what)?;
        let data = match sw {
            0x9000 => data,
            sw if sw >> 8 == 0x61 => self.fetch(f, (sw & 0xFF) as u8)?,
            0x6A82 | 0x6A83 | 0x6986 => return Err(CardError::NotThaiId),
            sw => return Err(CardError::Refused { what: f.what, sw }),
        };
        if data.len() > usize::from(f.len) || data.is_empty() {
            return Err(CardError::Garbage { what: f.what });
        }
        Ok(data)
    }

    /// GET RESPONSE for `len` bytes; on "wrong parameters" the other generation's form, once.
    fn fetch(&mut self, f: Field, len: u8) -> Result<Vec<u8>, CardError> {
        let len = if len == 0 { f.len } else { len };
        for attempt in 0..2 {
            let (data, sw) = split(
                &self.t.transmit(&get_response(self.generation, len))?,
                f.what,
            )?;
            match sw {
                0x9000 => return Ok(data),
                sw if attempt == 0 && wrong_parameters(sw) => {
                    self.generation = match self.generation {
                        Generation::Older => Generation::Current,
                        Generation::Current => Generation::Older,
                    };
                }
                sw => return Err(CardError::Refused { what: f.what, sw }),
            }
        }
        Err(CardError::Garbage { what: f.what })
    }
}

/// Reads every field of the Thai ID card behind `t`, whose ATR is `atr`.
pub fn read_card(t: &mut dyn Transmit, atr: &[u8]) -> Result<CardData, CardError> {
    let generation = generation(atr);
    let mut s = Session { t, generation };
    s.select()?;
    let mut raw = Raw::default();
    for f in FIELDS {
        let bytes = s.read(f)?;
        raw.set(f, bytes);
    }
    decode::card(&raw, generation)
}
