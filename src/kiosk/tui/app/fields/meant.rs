//! The key the clerk meant in a field that takes digits (issue 28, item 3). With the operating
//! system's Thai layout on, the terminal sends what Kedmanee types: Thai letters for the number
//! row (`ๅ/-ภถุึคตจ` for `1234567890`), `ข` for `-` and `ฝ` for `/`. In a field of digits and
//! ASCII (ID, phone, date, moo, postcode, house number, card number) and for a choice's number,
//! each is the key that types it (THAI.md §5). Thai digits stay digits. The
//! ASCII signs Kedmanee types (`/` on `2`, `-` on `3`) are read as those keys only while the
//! system's layout is Thai (`system_thai`: the last letter or digit typed was Thai), since the
//! same signs typed with the English layout mean themselves. The kiosk cannot see the system's
//! layout: right after a Thai name, a date begun with `-` (day unknown) on the English layout is
//! read as a 3 until a letter or a digit has been typed in English.

use crossterm::event::{KeyCode, KeyEvent};

use super::{TextKind, Widget};
use crate::core::thai::kedmanee;
use crate::kiosk::tui::app::keys::typed_char;

/// The keys whose Kedmanee characters are read back as the keys in a field of digits: the
/// number row, `-` and `/` (`12/3` is typed `ๅ/ฝ-`). Other Thai letters are refused there as
/// ever (a Thai letter in a house number is a mistake to point out, not a key to guess).
const DIGIT_KEYS: &str = "1234567890-/";

/// Whether `c` is a Thai letter or sign (Thai digits are digits).
fn thai_typed(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4F}').contains(&c)
}

/// The key that typed `c` with the Thai layout, when it is one of [`DIGIT_KEYS`]: always for a
/// Thai character, and for the ASCII signs Kedmanee types there (`/` on 2, `-` on 3) only while
/// the system's layout is Thai.
fn key_of(c: char, system_thai: bool) -> Option<char> {
    if !(thai_typed(c) || system_thai && c.is_ascii_punctuation()) {
        return None;
    }
    kedmanee::to_key(c).filter(|k| DIGIT_KEYS.contains(*k))
}

/// Whether a typed character says which layout the system has on: `Some(true)` for a Thai letter,
/// `Some(false)` for a Latin letter or an ASCII digit, `None` for signs both layouts type.
#[must_use]
pub fn says_layout(c: char) -> Option<bool> {
    if thai_typed(c) {
        Some(true)
    } else if c.is_ascii_alphanumeric() {
        Some(false)
    } else {
        None
    }
}

impl Widget {
    /// `key` as the clerk meant it in this field (see the module's doc).
    #[must_use]
    pub fn meant_key(&self, key: &KeyEvent, system_thai: bool) -> KeyEvent {
        let Some(c) = typed_char(key) else {
            return *key;
        };
        let meant = match self {
            Self::Text(t) if t.kind == TextKind::Words => None,
            Self::Text(_) | Self::Date(_) | Self::Id(_) | Self::Phone(_) => key_of(c, system_thai),
            // A choice's number, also of several (Space is Space in either layout); a choice's
            // "other" text is words.
            Self::Choice(ch) if ch.is_other() => None,
            Self::Choice(_) | Self::Choices(_) => {
                key_of(c, system_thai).filter(char::is_ascii_digit)
            }
        };
        meant.map_or(*key, |m| KeyEvent::new(KeyCode::Char(m), key.modifiers))
    }
}
