//! The WTT 2.0 input sequence check, as libthai implements it (THAI.md §3): given the character
//! before the cursor and the one just typed, accept it or reject it with a hint the typist can act
//! on. Only the decision lives here; the text field that asks lives in `edit`.
//!
//! Characters fall into the 17 WTT classes (control, non-composing, consonant, leading vowel,
//! three kinds of following vowel, two below vowels, below diacritic, tone, three above
//! diacritics, three above vowels) and a 17×17 table says, for each pair, accept / compose (both
//! fine) / reject / reject only in strict mode. Non-Thai characters are class NON, so a Thai mark
//! after a Latin letter has no base.

use unicode_width::UnicodeWidthChar;

use super::chars::{
    NIKHAHIT, SARA_AA, SARA_AM, SARA_E, is_bidi_override, is_combining_mark, is_leading_vowel,
};
use super::{Bilingual, Lang};

/// How strict the check is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckMode {
    /// libthai's basic check: rejects what cannot be rendered (marks with no base, stacked tones).
    #[default]
    Basic,
    /// Also rejects sequences that render but are almost always typos (`เเ`, `ํา`, `า` after a space).
    Strict,
    /// No check, except that control characters are never accepted.
    Off,
}

/// Why a typed character was not inserted; `say` gives the hint for the typist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("Control characters cannot be typed here")]
    ControlChar,
    #[error("Type a consonant before this vowel or mark")]
    NoBase,
    #[error("This letter already has a tone mark")]
    ToneAfterTone,
    #[error("Type the tone mark before ำ (SARA AM)")]
    ToneAfterSaraAm,
    #[error("Type the tone mark before the vowel")]
    ToneAfterVowel,
    #[error("Type the vowel before the tone mark")]
    VowelAfterTone,
    #[error("This letter already has a vowel above or below it")]
    VowelAfterVowel,
    #[error("This mark cannot go on that vowel")]
    MarkAfterMark,
    #[error("Use แ (SARA AE), not เ twice")]
    RepeatedSaraE,
    #[error("Type a consonant after เ แ โ ใ ไ")]
    NoConsonantAfterLeadingVowel,
    #[error("Type a consonant before this vowel")]
    VowelAfterSpace,
    #[error("Use ำ (SARA AM), not ํ followed by า")]
    NikhahitSaraAa,
    #[error("Use า (SARA AA); ๅ only follows ฤ or ฦ")]
    MisplacedLakkhangyao,
    #[error("This letter cannot follow the one before it")]
    UnusualSequence,
    /// Not from the WTT check: a field of digits and Latin letters got a Thai letter (a paste).
    #[error("Only digits, A–Z and signs such as / - here")]
    AsciiOnly,
}

impl Bilingual for Rejection {
    fn say(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Th => match self {
                Self::ControlChar => "พิมพ์อักขระควบคุมไม่ได้",
                Self::NoBase => "พิมพ์พยัญชนะก่อนสระหรือวรรณยุกต์",
                Self::ToneAfterTone => "ตัวนี้มีวรรณยุกต์แล้ว",
                Self::ToneAfterSaraAm => "พิมพ์วรรณยุกต์ก่อนสระอำ",
                Self::ToneAfterVowel => "พิมพ์วรรณยุกต์ก่อนสระ",
                Self::VowelAfterTone => "พิมพ์สระก่อนวรรณยุกต์",
                Self::VowelAfterVowel => "ตัวนี้มีสระบนหรือล่างแล้ว",
                Self::MarkAfterMark => "เครื่องหมายนี้ใช้กับสระนั้นไม่ได้",
                Self::RepeatedSaraE => "ใช้สระแอ (แ) ไม่ใช่สระเอสองตัว",
                Self::NoConsonantAfterLeadingVowel => "พิมพ์พยัญชนะตามหลัง เ แ โ ใ ไ",
                Self::VowelAfterSpace => "พิมพ์พยัญชนะก่อนสระนี้",
                Self::NikhahitSaraAa => "ใช้สระอำ (ำ) ไม่ใช่นิคหิตกับสระอา",
                Self::MisplacedLakkhangyao => "ใช้สระอา (า) ลากข้าง (ๅ) ใช้หลัง ฤ ฦ เท่านั้น",
                Self::UnusualSequence => "พิมพ์ตัวนี้ต่อจากตัวก่อนหน้าไม่ได้",
                Self::AsciiOnly => "ช่องนี้ใส่ได้เฉพาะตัวเลข A–Z และเครื่องหมาย / -",
            }
            .to_owned(),
        }
    }
}

/// WTT 2.0 character classes, in the order of the table's rows and columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Ctrl,
    Non,
    Cons,
    Lv,
    Fv1,
    Fv2,
    Fv3,
    Bv1,
    Bv2,
    Bd,
    Tone,
    Ad1,
    Ad2,
    Ad3,
    Av1,
    Av2,
    Av3,
}

impl Class {
    fn of(c: char) -> Self {
        match c {
            '\u{0E01}'..='\u{0E23}' | '\u{0E25}' | '\u{0E27}'..='\u{0E2E}' => Self::Cons,
            '\u{0E24}' | '\u{0E26}' => Self::Fv3,
            '\u{0E30}' | '\u{0E32}' | '\u{0E33}' => Self::Fv1,
            '\u{0E31}' | '\u{0E36}' => Self::Av2,
            '\u{0E34}' => Self::Av1,
            '\u{0E35}' | '\u{0E37}' => Self::Av3,
            '\u{0E38}' => Self::Bv1,
            '\u{0E39}' => Self::Bv2,
            '\u{0E3A}' => Self::Bd,
            '\u{0E40}'..='\u{0E44}' => Self::Lv,
            '\u{0E45}' => Self::Fv2,
            '\u{0E47}' => Self::Ad2,
            '\u{0E48}'..='\u{0E4B}' => Self::Tone,
            '\u{0E4C}' | '\u{0E4D}' => Self::Ad1,
            '\u{0E4E}' => Self::Ad3,
            c if c.is_control() => Self::Ctrl,
            _ => Self::Non,
        }
    }

    fn is_tone_like(self) -> bool {
        matches!(self, Self::Tone | Self::Ad1 | Self::Ad2 | Self::Ad3)
    }

    fn is_vowel_mark(self) -> bool {
        matches!(
            self,
            Self::Bv1 | Self::Bv2 | Self::Bd | Self::Av1 | Self::Av2 | Self::Av3
        )
    }
}

/// The WTT 2.0 table. Row: the character before; column: the character typed.
/// `A` accept, `C` compose (accept, the two share a cell), `R` reject, `S` reject when strict,
/// `X` a control character follows (handled before the table is consulted).
const TABLE: [&[u8; 17]; 17] = [
    //  CTRL NON CONS LV FV1 FV2 FV3 BV1 BV2 BD TONE AD1 AD2 AD3 AV1 AV2 AV3
    b"XAAAAAARRRRRRRRRR", // CTRL (also: start of text)
    b"XAAASSARRRRRRRRRR", // NON
    b"XAAAASACCCCCCCCCC", // CONS
    b"XSASSSSRRRRRRRRRR", // LV
    b"XAAAASARRRRRRRRRR", // FV1
    b"XAAAASARRRRRRRRRR", // FV2
    b"XAAASASRRRRRRRRRR", // FV3
    b"XAAAASARRRCCRRRRR", // BV1
    b"XAAASSARRRCRRRRRR", // BV2
    b"XAAASSARRRRRRRRRR", // BD
    b"XAAAAAARRRRRRRRRR", // TONE
    b"XAAASSARRRRRRRRRR", // AD1
    b"XAAASSARRRRRRRRRR", // AD2
    b"XAAASSARRRRRRRRRR", // AD3
    b"XAAASSARRRCCRRRRR", // AV1
    b"XAAASSARRRCRRRRRR", // AV2
    b"XAAASSARRRCRCRRRR", // AV3
];

fn op(prev: Class, next: Class) -> u8 {
    TABLE[prev as usize][next as usize]
}

/// Whether `c` may be typed after `prev` (the character just before the cursor, `None` at the
/// start of the field). Control characters and bidi overrides are rejected in every mode.
///
/// Besides the WTT table, a non-Thai combining mark (e.g. U+0301) at the start or after a space
/// is rejected as having no base, so no lone mark can reach stored text.
pub fn check(prev: Option<char>, c: char, mode: CheckMode) -> Result<(), Rejection> {
    if c.is_control() || is_bidi_override(c) {
        return Err(Rejection::ControlChar);
    }
    if mode == CheckMode::Off {
        return Ok(());
    }
    let prev_class = prev.map_or(Class::Ctrl, Class::of);
    let class = Class::of(c);
    if class == Class::Non
        && c.width() == Some(0)
        && is_combining_mark(c)
        && prev.is_none_or(char::is_whitespace)
    {
        return Err(Rejection::NoBase);
    }
    if c == SARA_AM && prev_class.is_vowel_mark() {
        // `ทิำ`: the table lets SARA AM follow an upper or lower vowel in basic mode, but the two
        // stack into no Thai syllable (SARA AM carries its own NIKHAHIT above).
        return Err(Rejection::VowelAfterVowel);
    }
    match op(prev_class, class) {
        b'R' => Err(reject_reason(prev, prev_class, class)),
        b'S' if mode == CheckMode::Strict => Err(strict_reason(prev, prev_class, c, class)),
        _ => Ok(()),
    }
}

/// The first thing in stored text that typing would have refused (basic mode), or a leading
/// vowel เ แ โ ใ ไ with no consonant after it (a word not finished: a lone `แ`). For text that
/// came in by paste, import or the wire, where no one typed it key by key.
#[must_use]
pub fn first_fault(s: &str) -> Option<Rejection> {
    let mut prev = None;
    for c in s.chars() {
        if prev.is_some_and(is_leading_vowel) && Class::of(c) != Class::Cons {
            return Some(Rejection::NoConsonantAfterLeadingVowel);
        }
        if let Err(r) = check(prev, c, CheckMode::Basic) {
            return Some(r);
        }
        prev = Some(c);
    }
    prev.filter(|&c| is_leading_vowel(c))
        .map(|_| Rejection::NoConsonantAfterLeadingVowel)
}

fn reject_reason(prev: Option<char>, prev_class: Class, class: Class) -> Rejection {
    match prev_class {
        Class::Fv1 if prev == Some(SARA_AM) && class.is_tone_like() => Rejection::ToneAfterSaraAm,
        Class::Fv1 | Class::Fv2 if class.is_tone_like() => Rejection::ToneAfterVowel,
        Class::Ctrl | Class::Non | Class::Lv | Class::Fv1 | Class::Fv2 | Class::Fv3 => {
            Rejection::NoBase
        }
        p if p.is_tone_like() && class.is_tone_like() => Rejection::ToneAfterTone,
        p if p.is_tone_like() => Rejection::VowelAfterTone,
        p if p.is_vowel_mark() && class.is_vowel_mark() => Rejection::VowelAfterVowel,
        _ => Rejection::MarkAfterMark,
    }
}

fn strict_reason(prev: Option<char>, prev_class: Class, c: char, class: Class) -> Rejection {
    match (prev_class, class) {
        (Class::Lv, _) if prev == Some(SARA_E) && c == SARA_E => Rejection::RepeatedSaraE,
        (Class::Lv, _) => Rejection::NoConsonantAfterLeadingVowel,
        (_, Class::Fv1) if prev == Some(NIKHAHIT) && c == SARA_AA => Rejection::NikhahitSaraAa,
        (_, Class::Fv2) => Rejection::MisplacedLakkhangyao,
        (Class::Non, Class::Fv1) => Rejection::VowelAfterSpace,
        _ => Rejection::UnusualSequence,
    }
}

#[cfg(test)]
mod tests;
