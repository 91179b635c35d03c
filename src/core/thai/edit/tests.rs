//! Tests of `thai::edit`: THAI.md §2 by example, and invariants over random edit sequences.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use super::*;
use crate::core::thai::chars::is_thai_mark;

fn typed(s: &str) -> TextField {
    let mut f = TextField::new();
    for c in s.chars() {
        f.insert_char(c, CheckMode::Basic).unwrap();
    }
    f
}

#[test]
fn backspace_deletes_one_code_point() {
    let mut f = typed("ก่");
    assert!(f.backspace());
    assert_eq!((f.text(), f.cursor()), ("ก", 3));
    let mut f = typed("น้ำ");
    assert!(f.backspace());
    assert_eq!(f.text(), "น้");
    assert!(f.backspace());
    assert_eq!(f.text(), "น");
    assert!(f.backspace());
    assert!(f.is_empty());
    assert!(!f.backspace());
}

#[test]
fn arrows_move_by_cluster_and_columns_follow_widths() {
    let mut f = typed("ที่");
    assert_eq!((f.cursor(), f.cursor_col()), (9, 1));
    f.left();
    assert_eq!((f.cursor(), f.cursor_col()), (0, 0));
    f.left();
    assert_eq!(f.cursor(), 0);
    f.right();
    assert_eq!(f.cursor(), 9);
    f.right();
    assert_eq!(f.cursor(), 9);

    let mut f = typed("แม่น้ำ");
    assert_eq!(f.cursor_col(), 4);
    f.left();
    assert_eq!((f.cursor(), f.cursor_col()), ("แม่".len(), 2));
    // นำ: one cluster, two columns.
    let mut f = typed("นำ");
    assert_eq!(f.cursor_col(), 2);
    f.left();
    assert_eq!(f.cursor_col(), 0);
    f.end();
    assert_eq!(f.cursor_col(), 2);
    f.home();
    assert_eq!(f.cursor(), 0);
}

#[test]
fn delete_removes_the_whole_cluster() {
    let mut f = typed("ที่นา");
    f.home();
    assert!(f.delete());
    assert_eq!((f.text(), f.cursor()), ("นา", 0));
    f.end();
    assert!(!f.delete());
}

#[test]
fn insert_checks_the_character_before_the_cursor() {
    let mut f = TextField::new();
    assert_eq!(f.insert_char('่', CheckMode::Basic), Err(Rejection::NoBase));
    assert_eq!(
        f.insert_char('\n', CheckMode::Off),
        Err(Rejection::ControlChar)
    );
    assert!(f.is_empty());
    let mut f = typed("กา");
    f.left();
    f.insert_char('่', CheckMode::Basic).unwrap();
    assert_eq!((f.text(), f.cursor()), ("ก่า", 6));
    let mut f = TextField::new();
    assert_eq!(f.insert_str("ท่ี", CheckMode::Basic), 1);
    assert_eq!(f.text(), "ท่");
    assert_eq!(f.insert_str("a\r\nb", CheckMode::Off), 2);
    assert_eq!(f.text(), "ท่ab");
    let mut f = TextField::new();
    f.insert_char('่', CheckMode::Off).unwrap();
    assert_eq!((f.text(), f.cursor()), ("่", 3));
}

#[test]
fn set_text_and_clear() {
    let mut f = TextField::with_text("ก\tข\x1b");
    assert_eq!((f.text(), f.cursor()), ("กข", 6));
    f.set_text("ค");
    assert_eq!(f.cursor(), 3);
    f.clear();
    assert!(f.is_empty() && f.cursor() == 0);
    assert_eq!(TextField::new(), TextField::default());
}

#[test]
fn cursor_stays_on_a_boundary_when_clusters_merge() {
    // A stored lone mark: a base typed before it joins its cluster; the cursor goes after both.
    let mut f = TextField::with_text("่ก");
    f.home();
    f.insert_char('ข', CheckMode::Basic).unwrap();
    assert_eq!((f.text(), f.cursor()), ("ข่ก", 6));
    // Regional indicators re-pair after a backspace.
    let mut f = TextField::with_text("🇹🇭🇹🇭");
    f.left();
    assert_eq!(f.cursor(), 8);
    assert!(f.backspace());
    assert_eq!(f.text(), "🇹🇹🇭");
    assert_eq!(f.cursor(), 0);
}

#[derive(Clone, Debug)]
enum Op {
    Insert(char, CheckMode),
    Paste(String, CheckMode),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
    Set(String),
}

const ALPHABET: &str = "กขนมสทอแเโไาำะัิีึืุู่้๊๋์็ํฺ abZ1\t\n\u{1b}\u{0301}🇹🇭";

fn any_char() -> impl Strategy<Value = char> {
    proptest::sample::select(ALPHABET.chars().collect::<Vec<_>>())
}

fn any_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(any_char(), 0..8).prop_map(|v| v.into_iter().collect())
}

fn any_mode() -> impl Strategy<Value = CheckMode> {
    prop_oneof![
        Just(CheckMode::Basic),
        Just(CheckMode::Strict),
        Just(CheckMode::Off)
    ]
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any_char(), any_mode()).prop_map(|(c, m)| Op::Insert(c, m)),
        1 => (any_string(), any_mode()).prop_map(|(s, m)| Op::Paste(s, m)),
        2 => Just(Op::Backspace),
        1 => Just(Op::Delete),
        2 => Just(Op::Left),
        1 => Just(Op::Right),
        1 => Just(Op::Home),
        1 => Just(Op::End),
        1 => Just(Op::Clear),
        1 => any_string().prop_map(Op::Set),
    ]
}

fn apply(f: &mut TextField, op: &Op) {
    match op {
        Op::Insert(c, m) => {
            let before = f.text().chars().count();
            if f.insert_char(*c, *m).is_ok() {
                assert_eq!(f.text().chars().count(), before + 1);
            }
        }
        Op::Paste(s, m) => {
            let before = f.text().chars().count();
            let rejected = f.insert_str(s, *m);
            assert_eq!(
                f.text().chars().count(),
                before + s.chars().count() - rejected
            );
        }
        Op::Backspace => {
            let (before, at_start) = (f.text().chars().count(), f.cursor() == 0);
            assert_eq!(f.backspace(), !at_start);
            assert_eq!(f.text().chars().count(), before - usize::from(!at_start));
        }
        Op::Delete => {
            f.delete();
        }
        Op::Left => f.left(),
        Op::Right => f.right(),
        Op::Home => f.home(),
        Op::End => f.end(),
        Op::Clear => f.clear(),
        Op::Set(s) => f.set_text(s),
    }
}

fn check_invariants(f: &TextField) -> Result<(), TestCaseError> {
    let (text, cursor) = (f.text(), f.cursor());
    prop_assert!(text.is_char_boundary(cursor), "{text:?} {cursor}");
    let on_cluster = cursor == text.len() || text.grapheme_indices(true).any(|(i, _)| i == cursor);
    prop_assert!(on_cluster, "cursor {cursor} inside a cluster of {text:?}");
    prop_assert_eq!(f.cursor_col(), display_width(&text[..cursor]));
    prop_assert!(!text.chars().any(char::is_control), "{text:?}");
    Ok(())
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn random_edits_keep_the_cursor_sound(ops in proptest::collection::vec(any_op(), 0..40)) {
        let mut f = TextField::new();
        for op in &ops {
            apply(&mut f, op);
            check_invariants(&f)?;
        }
    }

    /// Typing with the check on never stores a lone Thai mark (THAI.md §1, §3).
    #[test]
    fn checked_typing_never_stores_a_lone_mark(
        ops in proptest::collection::vec(any_op(), 0..40)
    ) {
        let mut f = TextField::new();
        for op in &ops {
            match op {
                Op::Insert(_, CheckMode::Off) | Op::Paste(_, CheckMode::Off) | Op::Set(_) => {}
                op => apply(&mut f, op),
            }
            let mut prev: Option<char> = None;
            for c in f.text().chars() {
                if is_thai_mark(c) {
                    prop_assert!(prev.is_some_and(|p| !p.is_whitespace()), "{:?}", f.text());
                }
                prev = Some(c);
            }
        }
    }
}
