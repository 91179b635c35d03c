//! Tests of `thai::width`: the widths THAI.md §1 states, cutting, padding, wrapping, escaping.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use super::*;

#[test]
fn widths_from_thai_md() {
    assert_eq!(display_width("นำ"), 2);
    assert_eq!(display_width("น้ำ"), 2);
    assert_eq!(display_width("ที่"), 1);
    assert_eq!(display_width("แม่น้ำ"), 4);
    assert_eq!(display_width("สิทธิ์"), 3);
    assert_eq!(display_width(""), 0);
    assert_eq!(display_width("abc"), 3);
    assert_eq!(display_width("日本"), 4);
    // One cluster, two columns: a cursor step is not a column.
    assert_eq!("นำ".graphemes(true).count(), 1);
    assert_eq!("น้ำ".graphemes(true).count(), 1);
}

#[test]
fn profiles() {
    assert_eq!(display_width_with("จำ", WidthProfile::Standard), 2);
    assert_eq!(display_width_with("จำ", WidthProfile::SaraAmZero), 1);
    assert_eq!(display_width_with("น้ำ", WidthProfile::SaraAmZero), 1);
    assert_eq!(display_width_with("แม่น้ำ", WidthProfile::SaraAmZero), 3);
    // A SARA AM with nothing before it still needs a cell.
    assert_eq!(display_width_with("ำ", WidthProfile::SaraAmZero), 1);
    assert_eq!(display_width_with("ที่", WidthProfile::MarksSpacing), 3);
    assert_eq!(display_width_with("แม่น้ำ", WidthProfile::MarksSpacing), 6);
    assert_eq!(display_width_with("abc", WidthProfile::MarksSpacing), 3);
    assert_eq!(WidthProfile::default(), WidthProfile::Standard);
    assert_eq!(
        truncate_to_width_with("จำจำ", 2, WidthProfile::SaraAmZero),
        "จำจำ"
    );
}

#[test]
fn truncate_on_cluster_boundaries() {
    assert_eq!(truncate_to_width("แม่น้ำ", 2), "แม่");
    // น้ำ is one cluster of width 2: at 3 columns it does not fit after แม่ (2 columns).
    assert_eq!(truncate_to_width("แม่น้ำ", 3), "แม่");
    assert_eq!(truncate_to_width("แม่น้ำ", 4), "แม่น้ำ");
    // `นำ` is one cluster of width 2: it does not fit in 1 column and is not split.
    assert_eq!(truncate_to_width("นำ", 1), "");
    assert_eq!(truncate_to_width("ที่นา", 1), "ที่");
    assert_eq!(truncate_to_width("日本", 3), "日");
    assert_eq!(truncate_to_width("abc", 10), "abc");
    assert_eq!(truncate_to_width("abc", 0), "");
}

#[test]
fn pad_to_exact_width() {
    assert_eq!(pad_to_width("ที่", 3), "ที่  ");
    assert_eq!(pad_to_width("นำ", 1), " ");
    assert_eq!(pad_to_width("แม่น้ำ", 3), "แม่ ");
    assert_eq!(pad_to_width("", 2), "  ");
    assert_eq!(pad_to_width("abc", 0), "");
}

#[test]
fn wrap_examples() {
    // สวัสดี is 4 columns, ครับ 3.
    assert_eq!(wrap("สวัสดี ครับ", 5), ["สวัสดี", "ครับ"]);
    assert_eq!(wrap("สวัสดี ครับ", 8), ["สวัสดี ครับ"]);
    assert_eq!(wrap("กขคงจ", 2), ["กข", "คง", "จ"]);
    assert_eq!(wrap("ที่ที่ที่", 2), ["ที่ที่", "ที่"]);
    assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
    assert_eq!(wrap("ab    cd", 3), ["ab", "cd"]);
    assert_eq!(wrap("a\n\nb", 3), ["a", "", "b"]);
    assert_eq!(wrap("", 3), Vec::<String>::new());
    assert_eq!(wrap("abc", 0), Vec::<String>::new());
    // A lone mark never opens a line.
    assert_eq!(wrap("่ก", 5), ["◌่ก"]);
    assert_eq!(wrap("ab \u{200B}cd", 2), ["ab\u{200B}", "cd"]);
    // Too wide for any line: alone on its own line rather than lost.
    assert_eq!(wrap("日a", 1), ["日", "a"]);
}

#[test]
fn sanitize_examples() {
    const R: &str = "\u{FFFD}";
    assert_eq!(sanitize_for_display("แม่น้ำ"), "แม่น้ำ");
    assert_eq!(
        sanitize_for_display("\x1b[31mred\x1b[0m"),
        format!("{R}red{R}")
    );
    assert_eq!(
        sanitize_for_display("\x1b]0;title\x07after"),
        format!("{R}after")
    );
    assert_eq!(
        sanitize_for_display("\x1b]8;;http://x\x1b\\link"),
        format!("{R}link")
    );
    assert_eq!(sanitize_for_display("abc\x1b"), format!("abc{R}"));
    assert_eq!(sanitize_for_display("\x1b(Bx"), format!("{R}x"));
    assert_eq!(sanitize_for_display("a\x07b\x7fc"), format!("a{R}b{R}c"));
    assert_eq!(sanitize_for_display("\u{9b}31m"), format!("{R}31m"));
    assert_eq!(sanitize_for_display("a\tb\nc"), "a b c");
    assert_eq!(
        sanitize_for_display("\u{202E}abc\u{202C}"),
        format!("{R}abc{R}")
    );
    assert_eq!(
        sanitize_for_display("\u{2066}x\u{2069}"),
        format!("{R}x{R}")
    );
    assert_eq!(sanitize_for_display("\u{200F}ก\u{200E}"), "ก");
    assert_eq!(sanitize_for_display("่ก"), "◌่ก");
    assert_eq!(sanitize_for_display("\u{200E}่"), "◌่");
    assert_eq!(sanitize_for_display("\u{0301}e"), "◌\u{0301}e");
}

fn thai_ascii_text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "กขนมสทแเโาำะัิีึืุู่้๊๋์็ abc1日".chars().collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
        .prop_map(|v| v.into_iter().collect())
}

fn no_space(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != DOTTED_CIRCLE)
        .collect()
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn wrap_lines_fit_and_keep_the_text(s in thai_ascii_text(), cols in 2usize..20) {
        let lines = wrap(&s, cols);
        for line in &lines {
            // The one allowed exception: a single cluster wider than a line (日ำ is 3 columns).
            let single = line.graphemes(true).count() == 1;
            prop_assert!(display_width(line) <= cols || single, "{line:?} wider than {cols}");
            if let Some(first) = line.graphemes(true).next() {
                prop_assert!(display_width(first) > 0, "{line:?} starts with a zero-width cluster");
            }
        }
        prop_assert_eq!(no_space(&lines.concat()), no_space(&s));
    }

    #[test]
    fn truncate_and_pad(s in thai_ascii_text(), cols in 0usize..30) {
        let cut = truncate_to_width(&s, cols);
        prop_assert!(s.starts_with(cut));
        prop_assert!(display_width(cut) <= cols);
        let next = s[cut.len()..].graphemes(true).next();
        if let Some(g) = next {
            prop_assert!(display_width(cut) + display_width(g) > cols);
        }
        prop_assert_eq!(display_width(&pad_to_width(&s, cols)), cols);
    }

    #[test]
    fn sanitized_text_is_safe(s in "\\PC{0,20}|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}a่ก]{0,20}") {
        let clean = sanitize_for_display(&s);
        prop_assert!(!clean.chars().any(|c| c.is_control() || is_bidi_override(c)));
        prop_assert!(!clean.chars().next().is_some_and(is_combining_mark));
        prop_assert_eq!(sanitize_for_display(&clean), clean.clone());
    }
}
