//! Character classes of the Thai block (U+0E00–U+0E7F) that the other modules share: consonants,
//! vowels, tone marks and the other combining signs, Thai digits, and the terminal-unsafe
//! characters (controls, bidi overrides). Pure predicates; no tables beyond a few ranges.

/// MAI HAN-AKAT `ั`.
pub const MAI_HAN_AKAT: char = '\u{0E31}';
/// SARA A `ะ`.
pub const SARA_A: char = '\u{0E30}';
/// SARA AA `า`.
pub const SARA_AA: char = '\u{0E32}';
/// SARA AM `ำ` (a spacing vowel: width 1, but a grapheme `SpacingMark`).
pub const SARA_AM: char = '\u{0E33}';
/// SARA E `เ`.
pub const SARA_E: char = '\u{0E40}';
/// SARA AE `แ`.
pub const SARA_AE: char = '\u{0E41}';
/// LAKKHANGYAO `ๅ`.
pub const LAKKHANGYAO: char = '\u{0E45}';
/// THANTHAKHAT `์`.
pub const THANTHAKHAT: char = '\u{0E4C}';
/// NIKHAHIT `ํ`.
pub const NIKHAHIT: char = '\u{0E4D}';
/// RU `ฤ`.
pub const RU: char = '\u{0E24}';
/// LU `ฦ`.
pub const LU: char = '\u{0E26}';
/// DOTTED CIRCLE `◌`, the conventional base for showing a lone mark.
pub const DOTTED_CIRCLE: char = '\u{25CC}';

/// A Thai consonant letter ก–ฮ (including ฤ and ฦ, which sit in the consonant range).
pub fn is_thai_consonant(c: char) -> bool {
    ('\u{0E01}'..='\u{0E2E}').contains(&c)
}

/// One of the 16 Thai combining marks (general category Mn, width 0): MAI HAN-AKAT, the upper
/// and lower vowels, PHINTHU, MAITAIKHU, the four tone marks, THANTHAKHAT, NIKHAHIT, YAMAKKAN.
pub fn is_thai_mark(c: char) -> bool {
    c == MAI_HAN_AKAT
        || ('\u{0E34}'..='\u{0E3A}').contains(&c)
        || ('\u{0E47}'..='\u{0E4E}').contains(&c)
}

/// The four tone marks ่ ้ ๊ ๋.
pub fn is_tone_mark(c: char) -> bool {
    ('\u{0E48}'..='\u{0E4B}').contains(&c)
}

/// Upper vowels ั ิ ี ึ ื.
pub fn is_upper_vowel(c: char) -> bool {
    c == MAI_HAN_AKAT || ('\u{0E34}'..='\u{0E37}').contains(&c)
}

/// Lower vowels ุ ู.
pub fn is_lower_vowel(c: char) -> bool {
    c == '\u{0E38}' || c == '\u{0E39}'
}

/// Leading vowels เ แ โ ใ ไ.
pub fn is_leading_vowel(c: char) -> bool {
    ('\u{0E40}'..='\u{0E44}').contains(&c)
}

/// Thai digits ๐–๙.
pub fn is_thai_digit(c: char) -> bool {
    ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// `๕` → `'5'`; any other char is returned unchanged.
pub fn thai_digit_to_ascii(c: char) -> char {
    if is_thai_digit(c) {
        char::from_u32(u32::from(c) - 0x0E50 + u32::from('0')).unwrap_or(c)
    } else {
        c
    }
}

/// A combining mark that has no cell of its own: the Thai marks plus the general-purpose
/// combining diacritic blocks (U+0300–036F, U+1AB0–1AFF, U+1DC0–1DFF, U+20D0–20FF, U+FE20–FE2F).
/// Used to decide when a mark is "lone" and for terminals that give marks a cell of their own.
pub fn is_combining_mark(c: char) -> bool {
    is_thai_mark(c)
        || ('\u{0300}'..='\u{036F}').contains(&c)
        || ('\u{1AB0}'..='\u{1AFF}').contains(&c)
        || ('\u{1DC0}'..='\u{1DFF}').contains(&c)
        || ('\u{20D0}'..='\u{20FF}').contains(&c)
        || ('\u{FE20}'..='\u{FE2F}').contains(&c)
}

/// Bidi embedding/override (U+202A–202E) and isolate (U+2066–2069) controls: they reorder what a
/// terminal draws and so can disguise text.
pub fn is_bidi_override(c: char) -> bool {
    ('\u{202A}'..='\u{202E}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Invisible bidi marks LRM, RLM and ALM: harmless but meaningless in a name.
pub fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Zero-width characters that Thai text picks up from word processors and web pages:
/// ZERO WIDTH SPACE, ZERO WIDTH NON-JOINER and the BOM / ZERO WIDTH NO-BREAK SPACE.
pub fn is_stray_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{FEFF}')
}

/// Splits `s` into groups of `groups[i]` characters joined by `-`, as far as `s` goes; the last
/// group takes whatever is left. `dashed("1112034563562", &[1, 4, 5, 2, 1])` is `1-1120-34563-56-2`,
/// and a number typed halfway is grouped halfway.
#[must_use]
pub fn dashed(s: &str, groups: &[usize]) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + groups.len());
    let mut at = 0;
    for (i, &len) in groups.iter().enumerate() {
        if at >= chars.len() {
            break;
        }
        let end = if i + 1 == groups.len() {
            chars.len()
        } else {
            (at + len).min(chars.len())
        };
        if at > 0 {
            out.push('-');
        }
        out.extend(&chars[at..end]);
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_thai_marks() {
        let marks: Vec<char> = ('\u{0E00}'..='\u{0E7F}')
            .filter(|&c| is_thai_mark(c))
            .collect();
        assert_eq!(marks.len(), 16);
        // THAI.md §1: every Thai mark is width 0, every other Thai code point width 1.
        for c in '\u{0E01}'..='\u{0E5B}' {
            let Some(w) = unicode_width::UnicodeWidthChar::width(c) else {
                continue;
            };
            if is_thai_mark(c) {
                assert_eq!(w, 0, "{c:?}");
            } else if !('\u{0E3B}'..='\u{0E3E}').contains(&c) {
                assert_eq!(w, 1, "{c:?}");
            }
        }
        assert_eq!(unicode_width::UnicodeWidthChar::width(SARA_AM), Some(1));
    }

    #[test]
    fn digits_and_classes() {
        assert_eq!(thai_digit_to_ascii('๐'), '0');
        assert_eq!(thai_digit_to_ascii('๙'), '9');
        assert_eq!(thai_digit_to_ascii('ก'), 'ก');
        assert!(is_thai_consonant('ก') && is_thai_consonant('ฮ') && !is_thai_consonant('ฯ'));
        assert!(is_tone_mark('่') && !is_tone_mark('์'));
        assert!(is_upper_vowel('ั') && is_lower_vowel('ู') && is_leading_vowel('ไ'));
        assert!(is_combining_mark('\u{0301}') && !is_combining_mark('ำ'));
        assert!(is_bidi_override('\u{202E}') && is_bidi_mark('\u{200F}'));
    }

    #[test]
    fn dashed_groups_as_far_as_typed() {
        assert_eq!(
            dashed("1112034563562", &[1, 4, 5, 2, 1]),
            "1-1120-34563-56-2"
        );
        assert_eq!(dashed("11120", &[1, 4, 5, 2, 1]), "1-1120");
        assert_eq!(dashed("081234", &[3, 3, 4]), "081-234");
        assert_eq!(dashed("08123456789", &[3, 3]), "081-23456789");
        assert_eq!(dashed("", &[3, 3]), "");
    }
}
