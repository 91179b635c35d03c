//! From the card's bytes to [`CardData`]: TIS-620 text (the WHATWG windows-874 decoder, which
//! refuses bytes TIS-620 leaves undefined) with its space padding cut, normalised as typed text
//! is; `#`-separated names and addresses split and their words (`หมู่ที่`, `ตำบล`, …) taken
//! off; `YYYYMMDD` BE dates, where `00` is an unknown day or month and `99999999` an expiry
//! that never comes. Anything that is not what a Thai ID card holds is [`CardError::Garbage`].

use super::apdu::{self, Field};
use super::{CardAddress, CardData, CardError, Expiry, Generation, Name};
use crate::core::form::Sex;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::national_id::ID_DIGITS;
use crate::core::thai::normalize::{normalize_text, thai_digits_to_ascii};

/// The bytes of each field as the card gave them.
#[derive(Clone, Debug, Default)]
pub struct Raw {
    pub citizen_id: Vec<u8>,
    pub name_th: Vec<u8>,
    pub name_en: Vec<u8>,
    pub birth_date: Vec<u8>,
    pub sex: Vec<u8>,
    pub issuer: Vec<u8>,
    pub issue_date: Vec<u8>,
    pub expiry_date: Vec<u8>,
    pub address: Vec<u8>,
}

impl Raw {
    /// Keeps the bytes read for `f`.
    pub fn set(&mut self, f: Field, bytes: Vec<u8>) {
        let slot = match f.offset {
            o if o == apdu::CITIZEN_ID.offset => &mut self.citizen_id,
            o if o == apdu::NAME_TH.offset => &mut self.name_th,
            o if o == apdu::NAME_EN.offset => &mut self.name_en,
            o if o == apdu::BIRTH_DATE.offset => &mut self.birth_date,
            o if o == apdu::SEX.offset => &mut self.sex,
            o if o == apdu::ISSUER.offset => &mut self.issuer,
            o if o == apdu::ISSUE_DATE.offset => &mut self.issue_date,
            o if o == apdu::EXPIRY_DATE.offset => &mut self.expiry_date,
            _ => &mut self.address,
        };
        *slot = bytes;
    }
}

/// TIS-620 bytes as text: padding (spaces, NULs) cut, normalised; `None` for bytes that are not
/// TIS-620 or decode to control characters.
#[must_use]
pub fn tis620(bytes: &[u8]) -> Option<String> {
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    let text = encoding_rs::WINDOWS_874
        .decode_without_bom_handling_and_without_replacement(&bytes[..end])?;
    if text.chars().any(char::is_control) {
        return None;
    }
    Some(normalize_text(&text))
}

fn text(bytes: &[u8], what: &'static str) -> Result<String, CardError> {
    tis620(bytes).ok_or(CardError::Garbage { what })
}

/// `title#first#middle#last`; a name with fewer parts takes the last as the family name.
fn name(bytes: &[u8], what: &'static str) -> Result<Name, CardError> {
    let t = text(bytes, what)?;
    let parts: Vec<String> = t.split('#').map(normalize_text).collect();
    let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
    let n = parts.len();
    if n < 3 || parts.iter().all(String::is_empty) {
        return Err(CardError::Garbage { what });
    }
    Ok(Name {
        title: part(0),
        first: part(1),
        middle: parts[2..n - 1].join(" ").trim().to_owned(),
        last: part(n - 1),
    })
}

/// `text` without the first of `words` it starts with.
fn strip<'a>(text: &'a str, words: &[&str]) -> &'a str {
    words
        .iter()
        .find_map(|w| text.strip_prefix(w))
        .unwrap_or(text)
        .trim()
}

const MOO: [&str; 3] = ["หมู่ที่", "หมู่", "ม."];
const TROK: [&str; 1] = ["ตรอก"];
const SOI: [&str; 2] = ["ซอย", "ซ."];
const ROAD: [&str; 2] = ["ถนน", "ถ."];
const TAMBON: [&str; 3] = ["ตำบล", "แขวง", "ต."];
const AMPHOE: [&str; 4] = ["กิ่งอำเภอ", "อำเภอ", "เขต", "อ."];
const PROVINCE: [&str; 2] = ["จังหวัด", "จ."];

/// `house#moo#trok#soi#road#tambon#amphoe#province`. The last three are always tambon, amphoe and
/// province; the parts between are known by their words, or else by their place.
fn address(bytes: &[u8]) -> Result<CardAddress, CardError> {
    let what = "address";
    let t = text(bytes, what)?;
    let parts: Vec<String> = t.split('#').map(normalize_text).collect();
    let n = parts.len();
    if n < 4 || parts[n - 3..].iter().all(String::is_empty) {
        return Err(CardError::Garbage { what });
    }
    let mut a = CardAddress {
        house_no: thai_digits_to_ascii(&parts[0]),
        tambon: strip(&parts[n - 3], &TAMBON).to_owned(),
        amphoe: strip(&parts[n - 2], &AMPHOE).to_owned(),
        province: strip(&parts[n - 1], &PROVINCE).to_owned(),
        ..CardAddress::default()
    };
    for (i, p) in parts[1..n - 3].iter().enumerate() {
        let starts = |words: &[&str]| words.iter().any(|w| p.starts_with(w));
        let place = if starts(&MOO) {
            1
        } else if starts(&TROK) {
            2
        } else if starts(&SOI) {
            3
        } else if starts(&ROAD) {
            4
        } else {
            i + 1
        };
        match place {
            1 => a.moo = thai_digits_to_ascii(strip(p, &MOO)),
            2 => strip(p, &TROK).clone_into(&mut a.trok),
            3 => strip(p, &SOI).clone_into(&mut a.soi),
            _ => strip(p, &ROAD).clone_into(&mut a.road),
        }
    }
    Ok(a)
}

/// A `YYYYMMDD` BE date: `Ok(None)` when blank or zero, `00` day or month unknown.
fn date(bytes: &[u8], what: &'static str) -> Result<Option<ThaiDate>, CardError> {
    let t = String::from_utf8_lossy(bytes);
    let t = t.trim_matches(|c: char| c == ' ' || c == '\0');
    if t.is_empty() || t.bytes().all(|b| b == b'0') {
        return Ok(None);
    }
    if t.len() != 8 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardError::Garbage { what });
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<u16>().unwrap_or(0);
    let part = |n: u16| u8::try_from(n).ok().filter(|&n| n != 0);
    ThaiDate::new(part(num(6..8)), part(num(4..6)), num(0..4))
        .map(Some)
        .map_err(|_| CardError::Garbage { what })
}

fn expiry(bytes: &[u8]) -> Result<Expiry, CardError> {
    if bytes.iter().all(|&b| b == b'9') && !bytes.is_empty() {
        return Ok(Expiry::Lifelong);
    }
    Ok(date(bytes, "expiry date")?.map_or(Expiry::Unknown, Expiry::On))
}

/// The fields found unreadable while a card is decoded.
struct Unreadable<'a>(&'a mut Vec<&'static str>);

impl Unreadable<'_> {
    /// The field's value, or `None` with the field named when it makes no sense.
    fn keep<T>(&mut self, r: Result<T, CardError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                if let CardError::Garbage { what } = e {
                    self.0.push(what);
                }
                None
            }
        }
    }
}

/// Everything the card gave, decoded. A field that makes no sense (a birth date that is not a
/// real date, say) is left empty and named in [`CardData::unreadable`], and every other field is
/// kept; only a citizen ID that is not 13 digits makes the whole card unreadable.
pub fn card(raw: &Raw, generation: Generation) -> Result<CardData, CardError> {
    let citizen_id = String::from_utf8_lossy(&raw.citizen_id).trim().to_owned();
    if citizen_id.len() != ID_DIGITS || !citizen_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardError::Garbage { what: "citizen ID" });
    }
    let mut unreadable = Vec::new();
    let mut good = Unreadable(&mut unreadable);
    let sex = match raw.sex.first() {
        Some(b'1') => Some(Sex::Male),
        Some(b'2') => Some(Sex::Female),
        Some(b' ' | b'0' | 0) | None => None,
        Some(_) => good.keep(Err::<Sex, _>(CardError::Garbage { what: "sex" })),
    };
    let name_th = good
        .keep(name(&raw.name_th, "Thai name"))
        .unwrap_or_default();
    let name_en = good
        .keep(name(&raw.name_en, "English name"))
        .unwrap_or_default();
    let birth_date = good.keep(date(&raw.birth_date, "birth date")).flatten();
    let issuer = good.keep(text(&raw.issuer, "issuer")).unwrap_or_default();
    let issue_date = good.keep(date(&raw.issue_date, "issue date")).flatten();
    let expiry = good
        .keep(expiry(&raw.expiry_date))
        .unwrap_or(Expiry::Unknown);
    let address = good.keep(address(&raw.address)).unwrap_or_default();
    Ok(CardData {
        citizen_id,
        name_th,
        name_en,
        birth_date,
        sex,
        issuer,
        issued: issue_date,
        expiry,
        address,
        generation,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tis(s: &str) -> Vec<u8> {
        let (bytes, _, bad) = encoding_rs::WINDOWS_874.encode(s);
        assert!(!bad);
        bytes.into_owned()
    }

    #[test]
    fn tis620_text_loses_its_padding_and_is_normalised() {
        let mut b = tis("นาย#สมชาย##หาเเก้ว");
        b.extend([b' '; 20]);
        assert_eq!(tis620(&b).as_deref(), Some("นาย#สมชาย##หาแก้ว"));
        assert_eq!(tis620(&[0xDB]), None, "0xDB is not TIS-620");
        assert_eq!(tis620(b"a\x1bb"), None, "no escape sequences");
        assert_eq!(tis620(b"   ").as_deref(), Some(""));
    }

    #[test]
    fn names_split_on_hashes() {
        let n = name(&tis("นาย#สมชาย##ใจดี   "), "Thai name").unwrap();
        assert_eq!(
            (n.title.as_str(), n.first.as_str(), n.middle.as_str()),
            ("นาย", "สมชาย", "")
        );
        assert_eq!(n.last, "ใจดี");
        let n = name(b"Mr.#John#Paul#Smith", "English name").unwrap();
        assert_eq!((n.middle.as_str(), n.last.as_str()), ("Paul", "Smith"));
        assert!(name(b"nohash", "Thai name").is_err());
        assert!(name(b"###", "Thai name").is_err());
    }

    #[test]
    fn addresses_lose_their_words() {
        let a = address(&tis(
            "12/3#หมู่ที่ 4##ซอยวัดป่า#ถนนเศรษฐกิจ#ตำบลคลองมะเดื่อ#อำเภอกระทุ่มแบน#จังหวัดสมุทรสาคร",
        ))
        .unwrap();
        assert_eq!(a.house_no, "12/3");
        assert_eq!(a.moo, "4");
        assert_eq!((a.soi.as_str(), a.road.as_str()), ("วัดป่า", "เศรษฐกิจ"));
        assert_eq!(
            (a.tambon.as_str(), a.amphoe.as_str(), a.province.as_str()),
            ("คลองมะเดื่อ", "กระทุ่มแบน", "สมุทรสาคร")
        );
        let bkk = address(&tis("9#####แขวงคลองสาน#เขตคลองสาน#กรุงเทพมหานคร")).unwrap();
        assert_eq!(
            (
                bkk.tambon.as_str(),
                bkk.amphoe.as_str(),
                bkk.province.as_str()
            ),
            ("คลองสาน", "คลองสาน", "กรุงเทพมหานคร")
        );
        let short = address(&tis("5#หมู่ที่ ๗#ตำบลท่าจีน#อำเภอเมืองสมุทรสาคร#จังหวัดสมุทรสาคร")).unwrap();
        assert_eq!(
            (short.moo.as_str(), short.amphoe.as_str()),
            ("7", "เมืองสมุทรสาคร")
        );
    }

    #[test]
    fn dates_are_be_with_unknown_parts() {
        let d = date(b"25120705", "birth date").unwrap().unwrap();
        assert_eq!(d.format(), "05/07/2512");
        assert_eq!(
            date(b"25120000", "birth date").unwrap().unwrap().format(),
            "--/--/2512"
        );
        assert_eq!(date(b"        ", "birth date").unwrap(), None);
        assert!(date(b"2512x705", "birth date").is_err());
        assert!(date(b"25121305", "birth date").is_err());
        assert_eq!(expiry(b"99999999").unwrap(), Expiry::Lifelong);
        assert_eq!(expiry(b"00000000").unwrap(), Expiry::Unknown);
    }
}
