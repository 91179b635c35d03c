//! Which text encoding a CSV file is in: UTF-8 (with or without the BOM Excel's "CSV UTF-8"
//! writes), or Windows-874 / TIS-620, what Excel's plain "CSV" is on a Thai Windows PC. Decoded
//! with `encoding_rs` (the WHATWG decoders browsers use). Anything else is refused: a byte that
//! Windows-874 does not map, a character outside ASCII and the Thai block, a control character,
//! or a Thai mark with no letter under it (what Latin-1 or another code page read as Thai gives).

use encoding_rs::WINDOWS_874;

use crate::core::thai::chars::is_thai_mark;

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows874,
}

impl Encoding {
    /// The name `import` says it read.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows874 => "Windows-874 (TIS-620, Excel's Thai CSV)",
        }
    }
}

/// Why a file's bytes are not text `import` can read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{what} at byte {at}: the file is neither UTF-8 nor Windows-874 (TIS-620) Thai; in Excel, \
     save it as \"CSV UTF-8\""
)]
pub struct NotText {
    pub at: usize,
    pub what: &'static str,
}

/// The text of `bytes` and the encoding it was read in.
pub fn decode(bytes: Vec<u8>) -> Result<(String, Encoding), NotText> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, Encoding::Utf8)),
        Err(e) => e.into_bytes(),
    };
    if let Some(at) = bytes
        .iter()
        .position(|&b| b.is_ascii_control() && !matches!(b, b'\t' | b'\r' | b'\n'))
    {
        return Err(NotText {
            at,
            what: "a control character",
        });
    }
    let Some(text) = WINDOWS_874.decode_without_bom_handling_and_without_replacement(&bytes) else {
        let at = first_unmapped(&bytes);
        return Err(NotText {
            at,
            what: "a byte Windows-874 does not use",
        });
    };
    let mut prev: Option<char> = None;
    for (i, c) in text.chars().enumerate() {
        let at = || byte_of(&bytes, i);
        if !(c.is_ascii() || ('\u{0E01}'..='\u{0E5B}').contains(&c)) {
            return Err(NotText {
                at: at(),
                what: "a character that is not Thai",
            });
        }
        if is_thai_mark(c) && !prev.is_some_and(|p| ('\u{0E01}'..='\u{0E4F}').contains(&p)) {
            return Err(NotText {
                at: at(),
                what: "a Thai mark with no letter under it",
            });
        }
        prev = Some(c);
    }
    Ok((text.into_owned(), Encoding::Windows874))
}

/// Windows-874 is one byte per character: the `i`th character is the `i`th byte.
fn byte_of(bytes: &[u8], i: usize) -> usize {
    i.min(bytes.len().saturating_sub(1))
}

fn first_unmapped(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| {
            WINDOWS_874
                .decode_without_bom_handling_and_without_replacement(&[b])
                .is_none()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn windows_874(s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = WINDOWS_874.encode(s);
        assert!(!unmappable, "{s}");
        bytes.into_owned()
    }

    #[test]
    fn utf8_is_read_as_it_is() {
        let (text, enc) = decode("id_type,ชื่อ\n".as_bytes().to_vec()).unwrap();
        assert_eq!((text.as_str(), enc), ("id_type,ชื่อ\n", Encoding::Utf8));
    }

    #[test]
    fn excel_s_thai_csv_is_read_as_windows_874() {
        let csv = "first_name,last_name\r\nสมชาย,น้ำใจดี\r\nจำเนียร,หาแก้ว\r\n";
        let bytes = windows_874(csv);
        assert!(String::from_utf8(bytes.clone()).is_err(), "not UTF-8");
        assert_eq!(
            decode(bytes).unwrap(),
            (csv.to_owned(), Encoding::Windows874)
        );
    }

    #[test]
    fn what_is_neither_is_refused_with_where() {
        // Latin-1 "café": é is 0xE9, a tone mark in Windows-874, here on a Latin letter.
        let e = decode(b"name\ncaf\xe9\n".to_vec()).unwrap_err();
        assert_eq!((e.at, e.what), (8, "a Thai mark with no letter under it"));
        // 0xFC is not used by Windows-874.
        let e = decode(b"name\n\xa1\xfc\n".to_vec()).unwrap_err();
        assert_eq!(e.at, 6);
        // UTF-16, as Excel's "Unicode text" writes it.
        let e = decode(b"\xff\xfen\x00a\x00".to_vec()).unwrap_err();
        assert_eq!(e.what, "a control character");
        assert!(e.to_string().contains("CSV UTF-8"), "{e}");
        // Windows-874's quotes and euro sign are not what a name list holds.
        assert!(decode(b"\x80\n".to_vec()).is_err());
    }
}
