//! One enrolment code (issue 31): everything a new kiosk needs to join a hub, in one line short
//! enough for a QR code and, in an emergency, for typing. `hub enrol` makes it, `ruamjai enrol`
//! (or the first start screen) reads it.
//!
//! The text is `RJ1.` and the payload in base32 (RFC 4648 letters, upper case: QR codes hold it
//! in their compact alphanumeric mode, and a keyboard-wedge scanner with caps lock on reads it
//! the same). The payload, version 1:
//!
//! | bytes | what |
//! |---|---|
//! | 1 | version (1) |
//! | 1 | flags: bit 0, a TLS certificate pin follows |
//! | 16 | the one-time secret |
//! | 16 | the hub's public key pin: the first 16 bytes of its SHA-256 |
//! | 32 | (bit 0) the SHA-256 of the hub's TLS certificate (DER), as `openssl x509 -fingerprint -sha256` shows it |
//! | 1 + n | the kiosk's name |
//! | 1 + … | the hub's addresses: a count, then each as 1 byte scheme (0 `http://`, 1 `https://`), 1 byte length, the rest |
//! | 4 | check: the first 4 bytes of the SHA-256 of all the above |
//!
//! A mistyped code fails the check here, before anything is sent. This file also holds the wire
//! types of `POST /v1/enrol`, which trades the secret for the kiosk's token.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::protocol::SealKey;

/// What every enrolment code starts with.
pub const CODE_PREFIX: &str = "RJ1.";
/// The route that trades a code's secret for a token (under `/v1`).
pub const ENROL_PATH: &str = "/enrol";

const VERSION: u8 = 1;
const CHECK_BYTES: usize = 4;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// What a code carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolCode {
    /// The hub's addresses, the preferred first.
    pub urls: Vec<String>,
    /// The kiosk's name at the hub (its `kiosk_id`).
    pub name: String,
    /// The one-time secret.
    pub secret: [u8; 16],
    /// The first 16 bytes of the SHA-256 of the hub's public sealing key.
    pub key_pin: [u8; 16],
    /// The SHA-256 of the hub's TLS certificate, when the kiosk is to pin it.
    pub cert_sha256: Option<[u8; 32]>,
}

/// Why a text is not a usable code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("this is not an enrolment code (one starts with {CODE_PREFIX})")]
    NotACode,
    #[error(
        "wrong code: it does not add up (a character mistyped or missing); check it against the hub's"
    )]
    Mistyped,
    #[error("this enrolment code is from a newer ruamjai (version {0}); update this kiosk")]
    Newer(u8),
    #[error("the code cannot be made: {0}")]
    Unfit(String),
}

/// Why a code did not enrol a kiosk (nothing was changed), as the kiosk's screen says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnrolProblem {
    /// Not a code at all (it starts with `RJ1.`).
    NotACode,
    /// Its check does not add up: a character mistyped or missing.
    Mistyped,
    /// A code from a newer ruamjai.
    Newer(u8),
    /// The hub knows no such code.
    Wrong,
    /// The code was used already.
    Used,
    /// The code expired.
    Expired,
    /// The hub answered with another key than the code's.
    KeyMismatch,
    /// No address of the code answered (the last one's error, for IT staff).
    Unreachable(String),
    /// Anything else (the hub's or the disk's words, for IT staff).
    Other(String),
}

impl From<&CodeError> for EnrolProblem {
    fn from(e: &CodeError) -> Self {
        match e {
            CodeError::NotACode => Self::NotACode,
            CodeError::Mistyped => Self::Mistyped,
            CodeError::Newer(v) => Self::Newer(*v),
            CodeError::Unfit(why) => Self::Other(why.clone()),
        }
    }
}

/// `POST /v1/enrol`: the code's name and secret (base32, as in the code).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub name: String,
    pub secret: String,
}

/// The answer to an enrolment: the kiosk's name as the hub keeps it, its registration point, its
/// new token (shown once), and the key to seal to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolAnswer {
    pub kiosk_id: String,
    pub point: String,
    pub token: String,
    pub seal_key: SealKey,
}

/// The pin of a hub public key (32 bytes) as a code carries it.
#[must_use]
pub fn key_pin(public_key: &[u8]) -> [u8; 16] {
    let digest = Sha256::digest(public_key);
    let mut pin = [0; 16];
    pin.copy_from_slice(&digest[..16]);
    pin
}

/// The SHA-256 of a certificate (DER): its fingerprint.
#[must_use]
pub fn cert_sha256(der: &[u8]) -> [u8; 32] {
    Sha256::digest(der).into()
}

/// Lower-case hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A SHA-256 fingerprint written in hex, with or without `:` between the bytes (as `openssl`
/// prints it), in either case.
#[must_use]
pub fn parse_sha256(text: &str) -> Option<[u8; 32]> {
    let digits: Vec<u8> = text
        .trim()
        .bytes()
        .filter(|b| *b != b':')
        .map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0; 32];
    for (o, pair) in out.iter_mut().zip(digits.chunks(2)) {
        *o = pair[0] << 4 | pair[1];
    }
    Some(out)
}

/// Base32 (RFC 4648 alphabet, upper case, no padding).
#[must_use]
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in bytes {
        acc = acc << 8 | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[(acc >> bits & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[(acc << (5 - bits) & 31) as usize] as char);
    }
    out
}

/// Base32 back to bytes, in either case; `None` for a character outside the alphabet.
#[must_use]
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u32;
        acc = (acc << 5 | v) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

impl EnrolCode {
    /// The code as text (`RJ1.…`).
    pub fn encode(&self) -> Result<String, CodeError> {
        let unfit = |what: &str| CodeError::Unfit(what.to_owned());
        let mut p = vec![VERSION, u8::from(self.cert_sha256.is_some())];
        p.extend_from_slice(&self.secret);
        p.extend_from_slice(&self.key_pin);
        if let Some(cert) = &self.cert_sha256 {
            p.extend_from_slice(cert);
        }
        let name = u8::try_from(self.name.len()).map_err(|_| unfit("the name is too long"))?;
        p.push(name);
        p.extend_from_slice(self.name.as_bytes());
        let count = u8::try_from(self.urls.len()).map_err(|_| unfit("too many addresses"))?;
        if count == 0 {
            return Err(unfit("no hub address"));
        }
        p.push(count);
        for url in &self.urls {
            let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
                (1, rest)
            } else if let Some(rest) = url.strip_prefix("http://") {
                (0, rest)
            } else {
                return Err(unfit(&format!(
                    "{url} is not an http:// or https:// address"
                )));
            };
            let len = u8::try_from(rest.len()).map_err(|_| unfit("an address is too long"))?;
            p.extend_from_slice(&[scheme, len]);
            p.extend_from_slice(rest.as_bytes());
        }
        let check = Sha256::digest(&p);
        p.extend_from_slice(&check[..CHECK_BYTES]);
        Ok(format!("{CODE_PREFIX}{}", base32(&p)))
    }

    /// Reads a code as typed, scanned or pasted: spaces, line breaks and `-` between groups are
    /// ignored, and so is case.
    pub fn decode(text: &str) -> Result<Self, CodeError> {
        let squeezed: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let head = squeezed.get(..CODE_PREFIX.len()).unwrap_or_default();
        if !head.eq_ignore_ascii_case(CODE_PREFIX) {
            return Err(CodeError::NotACode);
        }
        let bytes = from_base32(&squeezed[CODE_PREFIX.len()..]).ok_or(CodeError::Mistyped)?;
        if bytes.len() < 2 + 32 + CHECK_BYTES + 2 {
            return Err(CodeError::Mistyped);
        }
        let (payload, check) = bytes.split_at(bytes.len() - CHECK_BYTES);
        if Sha256::digest(payload)[..CHECK_BYTES] != *check {
            return Err(CodeError::Mistyped);
        }
        if payload[0] != VERSION {
            return Err(CodeError::Newer(payload[0]));
        }
        Reader(&payload[2..]).code(payload[1] & 1 == 1)
    }
}

/// Reads a payload after its version and flags (its check already passed).
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CodeError> {
        if self.0.len() < n {
            return Err(CodeError::Mistyped);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CodeError> {
        self.take(N)?.try_into().map_err(|_| CodeError::Mistyped)
    }

    fn text(&mut self) -> Result<String, CodeError> {
        let len = self.array::<1>()?[0] as usize;
        String::from_utf8(self.take(len)?.to_vec()).map_err(|_| CodeError::Mistyped)
    }

    fn code(mut self, has_cert: bool) -> Result<EnrolCode, CodeError> {
        let secret = self.array()?;
        let key_pin = self.array()?;
        let cert_sha256 = if has_cert { Some(self.array()?) } else { None };
        let name = self.text()?;
        let count = self.array::<1>()?[0];
        let mut urls = Vec::with_capacity(count.into());
        for _ in 0..count {
            let scheme = if self.array::<1>()?[0] == 1 {
                "https://"
            } else {
                "http://"
            };
            urls.push(format!("{scheme}{}", self.text()?));
        }
        if urls.is_empty() || name.is_empty() || !self.0.is_empty() {
            return Err(CodeError::Mistyped);
        }
        Ok(EnrolCode {
            urls,
            name,
            secret,
            key_pin,
            cert_sha256,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(cert: bool) -> EnrolCode {
        EnrolCode {
            urls: vec![
                "https://hub.province.go.th".into(),
                "http://10.0.0.5:8080".into(),
            ],
            name: "SK01".into(),
            secret: [7; 16],
            key_pin: [9; 16],
            cert_sha256: cert.then_some([3; 32]),
        }
    }

    #[test]
    fn a_code_reads_back_as_typed_in_any_case_and_grouping() {
        for cert in [false, true] {
            let code = sample(cert);
            let text = code.encode().unwrap();
            assert!(text.starts_with(CODE_PREFIX));
            assert!(text[4..].bytes().all(|b| ALPHABET.contains(&b)), "{text}");
            assert_eq!(EnrolCode::decode(&text).unwrap(), code);
            let grouped: String = text
                .to_lowercase()
                .chars()
                .enumerate()
                .flat_map(|(i, c)| (i % 5 == 4).then_some(' ').into_iter().chain([c]))
                .collect();
            assert_eq!(EnrolCode::decode(&grouped).unwrap(), code);
        }
        assert!(sample(true).encode().unwrap().len() < 200);
    }

    #[test]
    fn a_mistyped_code_is_wrong_before_any_network() {
        let text = sample(true).encode().unwrap();
        for at in [4, 20, text.len() - 1] {
            let mut bad: Vec<u8> = text.clone().into_bytes();
            bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
            let bad = String::from_utf8(bad).unwrap();
            assert_eq!(EnrolCode::decode(&bad), Err(CodeError::Mistyped), "{at}");
        }
        assert_eq!(
            EnrolCode::decode(&text[..text.len() - 3]),
            Err(CodeError::Mistyped)
        );
        assert_eq!(EnrolCode::decode("SK01-00A7-Q"), Err(CodeError::NotACode));
        assert_eq!(EnrolCode::decode("RJ1.0189"), Err(CodeError::Mistyped));
    }

    #[test]
    fn fingerprints_read_as_openssl_prints_them() {
        let pin = [0xab; 32];
        let colons = hex(&pin)
            .to_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(parse_sha256(&colons), Some(pin));
        assert_eq!(parse_sha256(&hex(&pin)), Some(pin));
        assert_eq!(parse_sha256("abcd"), None);
        assert_eq!(
            from_base32(&base32(b"hello world")).unwrap(),
            b"hello world"
        );
    }
}
