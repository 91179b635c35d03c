//! Normalisation of Thai text before it is stored or compared (THAI.md §4): the invisible
//! characters, doubled spaces, misordered and repeated marks that typing and copy-paste leave in
//! names and addresses, so that `หาเเก้ว` and `หาแก้ว` are one name. Also Thai digits to ASCII.
//! What a typist may enter lives in `input_check`; this cleans what got in anyway.
//!
//! Steps, in THAI.md's order:
//! 1. remove ZWSP / ZWNJ / BOM, bidi controls and non-space control characters; collapse
//!    whitespace runs to one space and trim;
//! 2. drop a space that stands before a mark; drop marks with no base (a Thai mark counts as
//!    having a base only on a consonant ก–ฮ, possibly with other marks in between);
//! 3. `เเ` → `แ`; NIKHAHIT (+tone) + SARA AA → (tone +) SARA AM; SARA AM + tone → tone + SARA AM;
//!    tone/THANTHAKHAT before an upper/lower vowel → vowel then tone; `ๅ` → `า` except after ฤ/ฦ;
//! 4. collapse a repeated vowel or sign (`ดีีี` → `ดี`); of several tone marks keep the last.
//!
//! Steps 2–4 work on one consonant and the marks stacked on it at a time, which puts the marks in
//! one canonical order (vowels and other signs first, then tone and THANTHAKHAT) and so makes
//! [`normalize_text`] idempotent.

use super::chars::{
    LAKKHANGYAO, LU, NIKHAHIT, RU, SARA_A, SARA_AA, SARA_AE, SARA_AM, SARA_E, THANTHAKHAT,
    is_bidi_mark, is_bidi_override, is_stray_zero_width, is_thai_consonant, is_thai_mark,
    is_tone_mark, thai_digit_to_ascii,
};

/// Normalises a name, address or note: all the steps above.
pub fn normalize_text(s: &str) -> String {
    if is_tidy_ascii(s) {
        // IDs, phones, postcodes, house numbers: nothing to do (the hub checks every field of
        // every submission, so this path matters under load).
        return s.to_owned();
    }
    normalize_slow(s)
}

/// Printable ASCII with single spaces between words and none at either end: already normal.
fn is_tidy_ascii(s: &str) -> bool {
    let b = s.as_bytes();
    b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.windows(2).any(|w| w == b"  ")
        && b.iter().all(|&c| (b' '..=b'~').contains(&c))
}

/// Every step, for text that may need them.
fn normalize_slow(s: &str) -> String {
    let cleaned = collapse_spaces(s.chars().filter(|&c| {
        !(is_stray_zero_width(c)
            || is_bidi_override(c)
            || is_bidi_mark(c)
            || (c.is_control() && !c.is_whitespace()))
    }));
    let chars: Vec<char> = cleaned.chars().collect();
    let no_space_before_mark = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == ' ' && chars.get(i + 1).copied().is_some_and(is_thai_mark)))
        .map(|(_, &c)| c)
        .collect::<Vec<_>>();
    collapse_spaces(rebuild(&no_space_before_mark).chars())
}

/// For comparing and searching: [`normalize_text`], then ASCII letters lowercased.
pub fn normalize_key(s: &str) -> String {
    normalize_text(s).to_ascii_lowercase()
}

/// Thai digits ๐–๙ become 0–9; everything else is left alone.
pub fn thai_digits_to_ascii(s: &str) -> String {
    s.chars().map(thai_digit_to_ascii).collect()
}

/// Whitespace runs → one space; no leading or trailing space.
fn collapse_spaces(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Steps 2–4 over text that has been through step 1.
fn rebuild(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if is_thai_consonant(c) {
            out.push(c);
            i = stack_on_consonant(chars, i, &mut out);
            continue;
        }
        if is_thai_mark(c) {
            continue; // no base
        }
        let c = if c == LAKKHANGYAO && !matches!(out.chars().next_back(), Some(RU | LU)) {
            SARA_AA
        } else {
            c
        };
        if c == SARA_E && out.ends_with(SARA_E) {
            out.pop();
            out.push(SARA_AE);
        } else if !(matches!(c, SARA_A | SARA_AA | SARA_AM) && out.ends_with(c)) {
            out.push(c);
        }
    }
    out
}

/// Reads the marks (and SARA AM) that follow a consonant from `chars[start..]`, writes them to
/// `out` in canonical order, and returns the index of the first character it did not take.
fn stack_on_consonant(chars: &[char], start: usize, out: &mut String) -> usize {
    let mut marks = Vec::new();
    let mut sara_am = false;
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c == SARA_AM {
            sara_am = true; // a repeated SARA AM collapses
        } else if is_thai_mark(c) && (!sara_am || is_tone_mark(c)) {
            marks.push(c); // after SARA AM only a tone moves in front of it
        } else if is_thai_mark(c) {
            // any other mark after SARA AM has no base: dropped
        } else if matches!(c, SARA_AA | LAKKHANGYAO) && !sara_am && marks.contains(&NIKHAHIT) {
            marks.retain(|&m| m != NIKHAHIT);
            sara_am = true;
        } else {
            break;
        }
        i += 1;
    }
    push_canonical_marks(&marks, out);
    if sara_am {
        out.push(SARA_AM);
    }
    i
}

/// Vowels and other signs first (each once, in the order first typed), then THANTHAKHAT (once)
/// and the last of the tone marks, in the order they were typed.
fn push_canonical_marks(marks: &[char], out: &mut String) {
    let is_tone_like = |c: char| is_tone_mark(c) || c == THANTHAKHAT;
    let mut kept: Vec<char> = Vec::with_capacity(marks.len());
    for &m in marks.iter().filter(|&&m| !is_tone_like(m)) {
        if !kept.contains(&m) {
            kept.push(m);
        }
    }
    let last_tone = marks.iter().rposition(|&m| is_tone_mark(m));
    let mut thanthakhat_seen = false;
    for (i, &m) in marks.iter().enumerate() {
        if is_tone_mark(m) && Some(i) == last_tone {
            kept.push(m);
        } else if m == THANTHAKHAT && !thanthakhat_seen {
            thanthakhat_seen = true;
            kept.push(m);
        }
    }
    out.extend(kept);
}

#[cfg(test)]
mod tests;
