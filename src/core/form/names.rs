//! What a person's name may hold (issue 28, item 5): Thai or Latin letters, the Thai marks, space,
//! `.` and `-`. A name pasted from a chat brings more (`สมชาย[0m 😀 123`: a colour code's remains,
//! an emoji, digits): [`clean`] takes them out and says what it took, and validation refuses a
//! name that still holds them (the form, the import and the hub alike).

/// Whether `c` may stand in a name.
#[must_use]
pub fn allowed(c: char) -> bool {
    matches!(c, ' ' | '.' | '-')
        // Thai consonants, vowels and marks; not the Thai digits, ฿, ฯ, ๆ or the signs after ๏.
        || ('\u{0E01}'..='\u{0E2E}').contains(&c)
        || ('\u{0E30}'..='\u{0E3A}').contains(&c)
        || ('\u{0E40}'..='\u{0E45}').contains(&c)
        || ('\u{0E47}'..='\u{0E4E}').contains(&c)
        // Latin letters, with the accented ones of Latin-1 and Latin Extended-A/B.
        || c.is_ascii_alphabetic()
        || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// Whether `name` holds only what a name may.
#[must_use]
pub fn is_clean(name: &str) -> bool {
    name.chars().all(allowed)
}

/// `text` with what a name may not hold taken out: the remains of terminal colour codes (`[0m`,
/// `[1;31m`, with or without their escape) whole, then every other character [`allowed`] refuses;
/// runs of spaces become one. Returns the name and what was taken out (empty when nothing).
#[must_use]
pub fn clean(text: &str) -> (String, String) {
    let chars: Vec<char> = text.chars().collect();
    let mut kept = String::new();
    let mut removed = String::new();
    let mut i = 0;
    while i < chars.len() {
        let code = colour_code_at(&chars, i);
        if code > 0 {
            removed.extend(&chars[i..i + code]);
            i += code;
            continue;
        }
        let c = chars[i];
        if allowed(c) {
            kept.push(c);
        } else if !c.is_whitespace() {
            removed.push(c);
        } else {
            kept.push(' ');
        }
        i += 1;
    }
    let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    (kept, removed.chars().filter(|c| !c.is_control()).collect())
}

/// The length of a colour code's remains at `i` (`ESC`? `[`, digits and `;`, a letter), or 0.
fn colour_code_at(chars: &[char], i: usize) -> usize {
    let start = i + usize::from(chars.get(i) == Some(&'\u{1b}'));
    if chars.get(start) != Some(&'[') {
        return 0;
    }
    let mut j = start + 1;
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_digit() || *c == ';')
    {
        j += 1;
    }
    match chars.get(j) {
        Some(c) if c.is_ascii_alphabetic() && j > start + 1 || *c == 'm' => j + 1 - i,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_name_keeps_its_letters_and_says_what_went() {
        assert_eq!(
            clean("สมชาย[0m 😀 123"),
            ("สมชาย".to_owned(), "[0m😀123".to_owned())
        );
        assert_eq!(
            clean("\u{1b}[1;31mJean-Luc\u{1b}[0m O'Neil"),
            (
                "Jean-Luc ONeil".to_owned(),
                "\u{1b}[1;31m\u{1b}[0m'"
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect()
            )
        );
        assert_eq!(clean("ณ อยุธยา"), ("ณ อยุธยา".to_owned(), String::new()));
        assert_eq!(clean("Zoë Ñúñez"), ("Zoë Ñúñez".to_owned(), String::new()));
        assert!(is_clean("น้ำใจ ดี-มาก จ."));
        assert!(!is_clean("สมชาย1"));
        assert!(!is_clean("สมชาย😀"));
        assert!(!is_clean("สมชาย๑"));
    }
}
