//! What the queue search looks for: the clerk's query read the way records were stored, so the
//! ID as the screen shows it (`1-1120-34563-56-2`), the name with its title (`นายสมชาย`), a slip
//! that normalisation fixes (`เเก้ว`) and text typed with the wrong keyboard layout (`จจจภ` for
//! `0004`, `l;ylfu` for `สวัสดี`) all find the record. Pure: the queue runs one search per query
//! and shows every record any of them finds.

use crate::core::thai::kedmanee;
use crate::core::thai::normalize::{normalize_text, thai_digits_to_ascii};

/// The searches for what the clerk typed, the typed one first; empty when nothing was typed.
/// `titles` are the campaign's titles: records store the title apart from the name.
#[must_use]
pub fn queries(typed: &str, titles: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |q: String| {
        if !q.is_empty() && !out.contains(&q) {
            out.push(q);
        }
    };
    let typed = typed.trim();
    let mut readings = vec![typed.to_owned()];
    let only_signs = !typed
        .chars()
        .any(|c| c.is_ascii_alphanumeric() || ('๐'..='๙').contains(&c));
    if typed.chars().any(is_thai) || (only_signs && typed.contains(['/', '-'])) {
        // Typed with the TH layout on (`//--` is 2233 typed with the system's Thai layout):
        // what the keys say in English (digits, a reference).
        readings.push(kedmanee::keys_of(typed));
    } else if typed.chars().any(|c| c.is_ascii_alphabetic()) {
        // Typed with the EN layout on: what the keys say in Thai.
        readings.push(kedmanee::map_str(typed));
    }
    for reading in readings {
        let q = number_as_stored(&normalize_text(&thai_digits_to_ascii(&reading)));
        if let Some(name) = without_title(&q, titles) {
            add(name.to_owned());
        }
        add(q);
    }
    out
}

/// Whether `typed` searches by name (letters, no digits, not an ID typed on the Thai layout): a
/// search that finds nothing without the shift open, since names are sealed to it.
#[must_use]
pub fn is_name_search(typed: &str) -> bool {
    let typed = typed.trim();
    let digits = |s: &str| {
        s.chars()
            .any(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
    };
    // An ID typed with the system's Thai layout is all number-row keys (`ๅๅๅ/จ-ภ`).
    let number_row = kedmanee::keys_of(typed)
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | ' '));
    !typed.is_empty() && typed.chars().any(char::is_alphabetic) && !digits(typed) && !number_row
}

/// A Thai letter or mark (Thai digits are digits whichever layout typed them).
fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4F}').contains(&c)
}

/// An ID or phone number as shown (dashes, spaces) becomes the digits records store.
fn number_as_stored(q: &str) -> String {
    let digits = q.chars().filter(char::is_ascii_digit).count();
    if digits > 0
        && q.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        q.chars().filter(char::is_ascii_digit).collect()
    } else {
        q.to_owned()
    }
}

/// The name after a title written before it, as the queue list shows names (`นายสมชาย`).
fn without_title<'a>(q: &'a str, titles: &[String]) -> Option<&'a str> {
    titles
        .iter()
        .filter_map(|t| q.strip_prefix(t.as_str()))
        .map(str::trim_start)
        .filter(|rest| !rest.is_empty())
        .min_by_key(|rest| rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles() -> Vec<String> {
        ["นาย", "นาง", "นางสาว"].map(String::from).to_vec()
    }

    #[test]
    fn a_name_search_is_told_apart_from_numbers_and_references() {
        for name in ["สมชาย", "จันทร์", "ภูมิ", "Somchai", "l,=kp"] {
            assert!(is_name_search(name), "{name}");
        }
        for other in ["", "1112034563562", "SK01-0001", "ๅๅๅ/จ-ภถ", "๐๘๑"] {
            assert!(!is_name_search(other), "{other}");
        }
    }

    #[test]
    fn an_id_as_shown_is_searched_as_stored() {
        assert_eq!(queries("1-1017-00203-45-0", &titles()), ["1101700203450"]);
        assert_eq!(queries(" 1 1017 00203 45 0 ", &titles()), ["1101700203450"]);
        assert_eq!(queries("๐๘๑-๒๓๔", &titles()), ["081234"]);
    }

    #[test]
    fn a_name_with_its_title_is_searched_without_it() {
        assert_eq!(queries("นายสมชาย", &titles())[0], "สมชาย");
        assert_eq!(queries("นางสาวมาลี ศรี", &titles())[0], "มาลี ศรี");
        assert_eq!(queries("นาง", &titles())[0], "นาง", "a title alone stays");
    }

    #[test]
    fn normalisation_slips_are_fixed() {
        assert_eq!(queries("เเก้ว", &titles())[0], "แก้ว");
    }

    #[test]
    fn the_wrong_layout_is_read_both_ways() {
        assert!(queries("จจจภ", &titles()).contains(&"0004".to_owned()));
        assert!(queries("l;ylfu", &titles()).contains(&"สวัสดี".to_owned()));
        assert_eq!(queries("", &titles()), Vec::<String>::new());
    }
}
