//! The Kedmanee layout on a US keyboard (XKB `th`, variant basic; THAI.md §5): which Thai
//! character a key produces. A terminal cannot see the OS keyboard layout, so the kiosk keeps its
//! own Thai/English toggle and maps the ASCII it receives through here. The toggle itself lives
//! in the UI.

/// The 94 printable US-keyboard characters, unshifted row by row, then shifted.
const US_KEYS: &str = concat!(
    "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./",
    "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?",
);

/// What each key of [`US_KEYS`] types in Kedmanee, in the same order.
const KEDMANEE: &str = concat!(
    "_ๅ/-ภถ\u{0E38}\u{0E36}คตจขชๆไำพะ\u{0E31}\u{0E35}รนยบลฃฟหกดเ\u{0E49}\u{0E48}าสวงผปแอ\u{0E34}\u{0E37}ทมใฝ",
    "%+๑๒๓๔\u{0E39}฿๕๖๗๘๙๐\"ฎฑธ\u{0E4D}\u{0E4A}ณฯญฐ,ฅฤฆฏโฌ\u{0E47}\u{0E4B}ษศซ.()ฉฮ\u{0E3A}\u{0E4C}?ฒฬฦ",
);

/// The Thai character (or punctuation) that key `c` types in Kedmanee; `None` for anything that
/// is not one of the 94 printable ASCII characters `!`..=`~` (space stays a space).
pub fn to_thai(c: char) -> Option<char> {
    if !('\u{21}'..='\u{7E}').contains(&c) {
        return None;
    }
    let index = US_KEYS.chars().position(|k| k == c)?;
    KEDMANEE.chars().nth(index)
}

/// Maps every printable ASCII character of `s` through [`to_thai`]; others pass unchanged.
pub fn map_str(s: &str) -> String {
    s.chars().map(|c| to_thai(c).unwrap_or(c)).collect()
}

/// The key that types `c` in Kedmanee, the reverse of [`to_thai`]: `จ` was typed on `0`, and
/// `/` (which the TH layout types on `2`) on `2`. `None` for what Kedmanee does not type.
pub fn to_key(c: char) -> Option<char> {
    let index = KEDMANEE.chars().position(|k| k == c)?;
    US_KEYS.chars().nth(index)
}

/// The keys that typed `s` in Kedmanee: what the typist meant when the TH layout was on by
/// mistake (`จจจภ` → `0004`). Characters Kedmanee does not type pass unchanged.
pub fn keys_of(s: &str) -> String {
    s.chars().map(|c| to_key(c).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests;
