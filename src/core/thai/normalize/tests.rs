//! Tests of `thai::normalize`: THAI.md §4 rule by rule, the real typos, the names fixture, and
//! idempotency.

use proptest::prelude::*;

use super::*;
use crate::core::thai::chars::is_thai_mark;
use crate::core::thai::fixtures;

#[test]
fn real_typos_from_thai_md() {
    assert_eq!(normalize_text("หาเเก้ว"), "หาแก้ว");
    assert_eq!(normalize_text("หลัักคำ"), "หลักคำ");
    // จักรพันธ์ุ: THANTHAKHAT typed before SARA U.
    assert_eq!(
        normalize_text(
            "\u{0E08}\u{0E31}\u{0E01}\u{0E23}\u{0E1E}\u{0E31}\u{0E19}\u{0E18}\u{0E4C}\u{0E38}"
        ),
        "\u{0E08}\u{0E31}\u{0E01}\u{0E23}\u{0E1E}\u{0E31}\u{0E19}\u{0E18}\u{0E38}\u{0E4C}"
    );
    assert_eq!(normalize_text("อยูู่ประเสริฐ"), "อยู่ประเสริฐ");
}

#[test]
fn each_rule() {
    let cases = [
        // 1. zero-width characters, whitespace
        ("สม\u{200B}ชาย", "สมชาย"),
        ("สม\u{200C}ชาย\u{FEFF}", "สมชาย"),
        ("ณ  อยุธยา", "ณ อยุธยา"),
        ("  ณ \t อยุธยา \n", "ณ อยุธยา"),
        ("a\u{7}b\u{202E}c\u{200F}", "abc"),
        // 2. space before a mark; marks with no base
        ("ก ่", "ก่"),
        ("ที ่", "ที่"),
        ("่ก", "ก"),
        ("ab ่ cd", "ab cd"),
        ("เ่ก", "เก"),
        ("กา่", "กา"),
        ("ก ่  ข", "ก่ ข"),
        // 3. reordering and replacements
        ("\u{0E19}\u{0E4D}\u{0E32}", "\u{0E19}\u{0E33}"), // NIKHAHIT + SARA AA → SARA AM
        (
            "\u{0E19}\u{0E4D}\u{0E49}\u{0E32}",
            "\u{0E19}\u{0E49}\u{0E33}",
        ), // with a tone between
        ("\u{0E19}\u{0E33}\u{0E49}", "\u{0E19}\u{0E49}\u{0E33}"), // SARA AM + tone
        ("\u{0E17}\u{0E48}\u{0E35}", "\u{0E17}\u{0E35}\u{0E48}"), // tone before upper vowel
        ("\u{0E01}\u{0E49}\u{0E39}", "\u{0E01}\u{0E39}\u{0E49}"), // tone before lower vowel
        ("\u{0E01}\u{0E45}", "\u{0E01}\u{0E32}"),         // ๅ → า
        (
            "\u{0E24}\u{0E45}\u{0E29}\u{0E35}",
            "\u{0E24}\u{0E45}\u{0E29}\u{0E35}",
        ), // ฤๅษี kept
        ("\u{0E26}\u{0E45}", "\u{0E26}\u{0E45}"),         // ฦๅ kept
        ("เเ", "แ"),
        // 4. repeats
        ("ดีีี", "ดี"),
        ("อนุสรณ์์", "อนุสรณ์"),
        ("\u{0E01}\u{0E48}\u{0E49}", "\u{0E01}\u{0E49}"), // several tones: the last
        (
            "\u{0E01}\u{0E48}\u{0E49}\u{0E4A}\u{0E32}",
            "\u{0E01}\u{0E4A}\u{0E32}",
        ),
        ("กาา", "กา"),
        ("กำำ", "กำ"),
        // left alone
        ("แม่น้ำ", "แม่น้ำ"),
        ("สิทธิ์", "สิทธิ์"),
        ("José", "José"),
        ("Jose\u{0301}", "Jose\u{0301}"),
        ("", ""),
    ];
    for (input, want) in cases {
        assert_eq!(normalize_text(input), want, "{input:?}");
    }
}

#[test]
fn digits_and_keys() {
    assert_eq!(thai_digits_to_ascii("๐๑๒๓๔๕๖๗๘๙"), "0123456789");
    assert_eq!(thai_digits_to_ascii("บ้านเลขที่ ๑๒/๓ a"), "บ้านเลขที่ 12/3 a");
    assert_eq!(normalize_key("  Somchai  ใจดี "), "somchai ใจดี");
    assert_eq!(normalize_key("หาเเก้ว"), normalize_key("หาแก้ว"));
}

#[test]
fn fixture_names_are_clean_except_the_known_typos() {
    let mut clean = 0;
    for name in fixtures::names() {
        if !fixtures::is_typo(name) {
            assert_eq!(normalize_text(name), name, "{name}");
            clean += 1;
        }
    }
    assert_eq!(clean, 2997);
    for (typo, fixed) in fixtures::TYPOS {
        assert_eq!(normalize_text(typo), fixed, "{typo}");
    }
}

#[test]
fn fixture_names_normalise_idempotently() {
    for name in fixtures::names() {
        let once = normalize_text(name);
        assert_eq!(normalize_text(&once), once, "{name}");
    }
}

fn thai_text() -> impl Strategy<Value = String> {
    let mut alphabet: Vec<char> = ('\u{0E01}'..='\u{0E5B}').collect();
    alphabet.extend([
        ' ', ' ', '\t', '\u{200B}', '\u{200C}', 'a', 'Z', '1', '\u{0301}',
    ]);
    proptest::collection::vec(proptest::sample::select(alphabet), 0..30)
        .prop_map(|v| v.into_iter().collect())
}

fn ascii_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select((0u8..128).map(char::from).collect::<Vec<_>>()),
        0..20,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn the_ascii_shortcut_gives_what_every_step_gives(s in ascii_text()) {
        prop_assert_eq!(normalize_text(&s), normalize_slow(&s), "input {:?}", s);
        let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!(normalize_text(&words), normalize_slow(&words), "input {:?}", words);
    }

    #[test]
    fn idempotent(s in thai_text()) {
        let once = normalize_text(&s);
        prop_assert_eq!(normalize_text(&once), once.clone(), "input {:?}", s);
        prop_assert_eq!(normalize_key(&normalize_key(&s)), normalize_key(&s));
    }

    #[test]
    fn output_is_tidy(s in thai_text()) {
        let out = normalize_text(&s);
        prop_assert!(!out.contains("  ") && out.trim() == out);
        prop_assert!(!out.contains(['\u{200B}', '\u{200C}', '\t']), "{:?}", out);
        let faked = out.contains("\u{0E40}\u{0E40}") || out.contains("\u{0E4D}\u{0E32}");
        prop_assert!(!faked, "{:?}", out);
        let mut prev: Option<char> = None;
        for c in out.chars() {
            if is_thai_mark(c) {
                prop_assert!(prev.is_some_and(|p| is_thai_mark(p) || is_thai_consonant(p)), "{out:?}");
            }
            prev = Some(c);
        }
    }
}
