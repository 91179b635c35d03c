//! A Thai national ID card, emulated: its file image (TIS-620 text at the applet's offsets), the
//! APDUs it answers as a real card does (SELECT, READ answered `61 xx`, GET RESPONSE in the form
//! its generation wants, `6A 86` for the other form), and ways to misbehave: a card that answers
//! an error, one that answers garbage, one pulled out after a number of commands, one that is
//! not a Thai ID card. [`VirtualCard::insert`] puts it into vpcd's virtual reader (vsmartcard's
//! socket protocol: 2-byte big-endian length, then a 1-byte control — 0 off, 1 on, 2 reset,
//! 4 ATR — or an APDU); dropping the [`Inserted`] takes it out.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ruamjai::kiosk::card::CardError;
use ruamjai::kiosk::card::apdu::{self, Transmit};

/// Where vpcd's first reader ("Virtual PCD 00 00") waits for a card.
pub const VPCD_PORT: u16 = 35963;

/// True when something listens on TCP `port` (from /proc, without connecting: a connection to
/// vpcd is a card inserted).
fn listening(port: u16) -> bool {
    let hex = format!(":{port:04X} ");
    ["/proc/net/tcp", "/proc/net/tcp6"].iter().any(|f| {
        std::fs::read_to_string(f).is_ok_and(|t| {
            t.lines().any(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                cols.get(1).is_some_and(|a| format!("{a} ").ends_with(&hex))
                    && cols.get(3) == Some(&"0A")
            })
        })
    })
}

/// Makes sure pcscd runs with vpcd's reader, starting it (it daemonises, and stops by itself
/// after a minute with no client) when it does not; why not, when that cannot be.
pub fn start_stack() -> Result<(), String> {
    if !std::path::Path::new("/usr/lib/pcsc/drivers/serial/libifdvpcd.so").exists() {
        return Err("vpcd is not installed (apt install vsmartcard-vpcd)".into());
    }
    if listening(VPCD_PORT) {
        return Ok(());
    }
    let started = std::process::Command::new("pcscd")
        .arg("--auto-exit")
        .status();
    if !started.is_ok_and(|s| s.success()) {
        return Err(
            "pcscd is not installed or could not start (apt install pcscd; as root)".into(),
        );
    }
    let start = std::time::Instant::now();
    while !listening(VPCD_PORT) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    if listening(VPCD_PORT) {
        Ok(())
    } else {
        Err("pcscd runs without vpcd's reader (restart it after installing vsmartcard-vpcd)".into())
    }
}

/// The ATR of a current card (not `3B 67`) and of an older one.
pub const ATR_CURRENT: [u8; 11] = [
    0x3B, 0x68, 0x00, 0x00, 0x00, 0x73, 0xC8, 0x40, 0x12, 0x00, 0x90,
];
pub const ATR_OLDER: [u8; 11] = [
    0x3B, 0x67, 0x00, 0x00, 0x73, 0x20, 0x00, 0x6C, 0x68, 0x90, 0x00,
];

/// What a card holds, as text (the emulator writes it in TIS-620).
#[derive(Clone, Debug)]
pub struct Person {
    pub cid: String,
    pub name_th: String,
    pub name_en: String,
    pub birth: String,
    pub sex: char,
    pub issuer: String,
    pub issued: String,
    pub expires: String,
    pub address: String,
}

impl Person {
    /// A man from Khlong Maduea, Krathum Baen, Samut Sakhon, born 5 July 2490 (aged 70+).
    pub fn somchai() -> Self {
        Self {
            cid: "1112034563562".into(),
            name_th: "นาย#สมชาย##ใจดี".into(),
            name_en: "Mr.#Somchai##Jaidee".into(),
            birth: "24900705".into(),
            sex: '1',
            issuer: "อำเภอกระทุ่มแบน/สมุทรสาคร".into(),
            issued: "25650110".into(),
            expires: "99999999".into(),
            address: "12/3#หมู่ที่ 4####ตำบลคลองมะเดื่อ#อำเภอกระทุ่มแบน#จังหวัดสมุทรสาคร".into(),
        }
    }

    /// Somchai on a card whose birth date is no real date: 29 February 2512 (1969 was not a
    /// leap year).
    pub fn bad_birth_date() -> Self {
        Self {
            birth: "25120229".into(),
            ..Self::somchai()
        }
    }

    /// A woman whose card expired in 2566, from Tha Chin.
    pub fn expired() -> Self {
        Self {
            cid: crate::support::thai_id(310_100_200_300),
            name_th: "น.ส.#มาลี##ศรีสุข".into(),
            name_en: "Miss#Malee##Srisuk".into(),
            birth: "25300214".into(),
            sex: '2',
            issuer: "อำเภอเมืองสมุทรสาคร/สมุทรสาคร".into(),
            issued: "25590301".into(),
            expires: "25660214".into(),
            address: "88#หมู่ที่ 2####ตำบลท่าจีน#อำเภอเมืองสมุทรสาคร#จังหวัดสมุทรสาคร".into(),
        }
    }

    /// A long Thai name and address that fill their fields (100 bytes each).
    pub fn long() -> Self {
        let name = "ว่าที่ร้อยตรีหญิง#เจ้าพระยาสุรศักดิ์มนตรีวงศ์#ประภาพรรณ#ณ อยุธยาศรีสุวรรณภูมิพิทักษ์กุล";
        let address = "999/123#หมู่ที่ 12#ตรอกวัด#ซอยเพชรเกษม 81#ถนนเพชรเกษม#ตำบลอ้อมน้อย#อำเภอกระทุ่มแบน#จังหวัดสมุทรสาคร";
        Self {
            cid: crate::support::thai_id(320_400_500_600),
            name_th: name.into(),
            name_en: "Acting Sub Lt.#Chaophraya#Praphaphan#Na Ayutthaya".into(),
            birth: "25120000".into(),
            sex: '2',
            issuer: "เขตบางขุนเทียน/กรุงเทพมหานคร".into(),
            issued: "25640501".into(),
            expires: "25720430".into(),
            address: address.into(),
        }
    }

    /// A card whose address the national tambon list does not know.
    pub fn unknown_address() -> Self {
        Self {
            cid: crate::support::thai_id(330_700_800_900),
            address: "7#หมู่ที่ 1####ตำบลไม่มีจริง#อำเภอกระทุ่มแบน#จังหวัดสมุทรสาคร".into(),
            ..Self::somchai()
        }
    }
}

fn tis(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(s);
    assert!(!unmappable, "{s} is not TIS-620");
    bytes.into_owned()
}

/// How the card misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quirk {
    None,
    /// Every READ is answered with this status word.
    Error(u16),
    /// Every READ is answered with bytes no Thai ID card holds (and `90 00`).
    Garbage,
    /// Not a Thai ID card: SELECT gets `6A 82`.
    NotThaiId,
    /// Taken out (the connection dropped) at this command.
    PulledAt(usize),
}

/// One emulated card.
#[derive(Clone, Debug)]
pub struct VirtualCard {
    pub atr: Vec<u8>,
    /// Wants GET RESPONSE as `00 C0 00 01` (set by an older ATR; kept if the ATR is changed).
    older: bool,
    image: Vec<u8>,
    pub quirk: Quirk,
    pending: Vec<u8>,
    pub commands: usize,
}

impl VirtualCard {
    pub fn current(p: &Person) -> Self {
        Self::new(&ATR_CURRENT, p)
    }

    pub fn older(p: &Person) -> Self {
        Self::new(&ATR_OLDER, p)
    }

    pub fn new(atr: &[u8], p: &Person) -> Self {
        let end = usize::from(apdu::ADDRESS.offset) + usize::from(apdu::ADDRESS.len);
        let mut image = vec![b' '; end];
        let mut put = |f: apdu::Field, bytes: Vec<u8>| {
            assert!(bytes.len() <= usize::from(f.len), "{} too long", f.what);
            let at = usize::from(f.offset);
            image[at..at + bytes.len()].copy_from_slice(&bytes);
        };
        put(apdu::CITIZEN_ID, p.cid.clone().into_bytes());
        put(apdu::NAME_TH, tis(&p.name_th));
        put(apdu::NAME_EN, tis(&p.name_en));
        put(apdu::BIRTH_DATE, p.birth.clone().into_bytes());
        put(apdu::SEX, vec![p.sex as u8]);
        put(apdu::ISSUER, tis(&p.issuer));
        put(apdu::ISSUE_DATE, p.issued.clone().into_bytes());
        put(apdu::EXPIRY_DATE, p.expires.clone().into_bytes());
        put(apdu::ADDRESS, tis(&p.address));
        Self {
            atr: atr.to_vec(),
            older: atr.starts_with(&[0x3B, 0x67]),
            image,
            quirk: Quirk::None,
            pending: Vec::new(),
            commands: 0,
        }
    }

    pub fn with(mut self, quirk: Quirk) -> Self {
        self.quirk = quirk;
        self
    }

    /// The card's answer to one command APDU; `None` once it has been pulled out.
    pub fn answer(&mut self, cmd: &[u8]) -> Option<Vec<u8>> {
        self.commands += 1;
        if self.quirk == Quirk::PulledAt(self.commands) {
            return None;
        }
        let sw = |sw: u16| sw.to_be_bytes().to_vec();
        let is_select = cmd.len() >= 5 && cmd[..2] == [0x00, 0xA4];
        if is_select {
            return Some(match (self.quirk, &cmd[5..]) {
                (Quirk::NotThaiId, _) => sw(0x6A82),
                (_, aid) if aid == apdu::AID => sw(0x610A),
                _ => sw(0x6A82),
            });
        }
        Some(match cmd {
            [0x80, 0xB0, hi, lo, 0x02, 0x00, len] => {
                if let Quirk::Error(e) = self.quirk {
                    return Some(sw(e));
                }
                let at = usize::from(u16::from_be_bytes([*hi, *lo]));
                let end = (at + usize::from(*len)).min(self.image.len());
                self.pending = self.image.get(at..end).unwrap_or_default().to_vec();
                sw(0x6100 | u16::from(*len))
            }
            [0x00, 0xC0, 0x00, p2, len] => {
                let wanted = u8::from(self.older);
                if *p2 != wanted {
                    sw(0x6A86)
                } else if usize::from(*len) != self.pending.len() {
                    sw(0x6C00 | self.pending.len() as u16)
                } else if self.quirk == Quirk::Garbage {
                    // The right length and 90 00, but bytes no Thai ID card holds.
                    let mut out: Vec<u8> = (0..*len).map(|i| i.wrapping_mul(37) | 0x80).collect();
                    out.extend(sw(0x9000));
                    out
                } else {
                    let mut out = std::mem::take(&mut self.pending);
                    out.extend(sw(0x9000));
                    out
                }
            }
            _ => sw(0x6D00),
        })
    }

    /// Puts the card into vpcd's virtual reader on `port` (35963 is "Virtual PCD 00 00").
    pub fn insert(self, port: u16) -> Inserted {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("vpcd listens");
        stream.set_nodelay(true).unwrap();
        let card = Arc::new(Mutex::new(self));
        let pulled = Arc::new(AtomicBool::new(false));
        let (c, p, s) = (card.clone(), pulled.clone(), stream.try_clone().unwrap());
        std::thread::spawn(move || serve(s, &c, &p));
        Inserted {
            stream,
            card,
            pulled,
        }
    }
}

/// Speaks vpcd's protocol for `card` until the connection ends or the card is pulled.
fn serve(mut s: TcpStream, card: &Mutex<VirtualCard>, pulled: &AtomicBool) {
    let mut len = [0u8; 2];
    while s.read_exact(&mut len).is_ok() {
        let mut msg = vec![0u8; usize::from(u16::from_be_bytes(len))];
        if s.read_exact(&mut msg).is_err() {
            break;
        }
        let answer = match msg.as_slice() {
            [0x04] => Some(card.lock().unwrap().atr.clone()),
            [_] => None,
            apdu => {
                let Some(a) = card.lock().unwrap().answer(apdu) else {
                    pulled.store(true, Ordering::SeqCst);
                    let _ = s.shutdown(Shutdown::Both);
                    return;
                };
                Some(a)
            }
        };
        if let Some(a) = answer {
            let mut out = (a.len() as u16).to_be_bytes().to_vec();
            out.extend(a);
            if s.write_all(&out).is_err() {
                break;
            }
        }
    }
}

/// A card in the virtual reader; dropping it takes the card out.
pub struct Inserted {
    stream: TcpStream,
    pub card: Arc<Mutex<VirtualCard>>,
    pulled: Arc<AtomicBool>,
}

impl Inserted {
    /// True once the card was pulled out in the middle of a read (its quirk).
    pub fn was_pulled(&self) -> bool {
        self.pulled.load(Ordering::SeqCst)
    }
}

impl Drop for Inserted {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
        // pcscd asks vpcd whether a card is there every 400 ms: the next card goes into an
        // empty reader.
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The card behind a [`Transmit`], in process (no reader): the applet's logic alone.
pub struct Direct(pub VirtualCard);

impl Transmit for Direct {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        self.0.answer(apdu).ok_or(CardError::Removed)
    }
}
