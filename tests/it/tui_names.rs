//! Junk in a name (issue 28, item 5): a name pasted from a chat keeps its letters only, and the
//! message line says what was taken out; a digit or a sign typed into a name is refused with the
//! reason; what is saved holds none of it.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::{Bilingual, Lang};
use ruamjai::kiosk::tui::app::Hint;
use ruamjai::kiosk::tui::{App, Msg, update};

use crate::tui_support::{on_form, press, render, screen_text, typ};

fn value(a: &App, k: FieldKey) -> String {
    a.form.input().get(k).to_owned()
}

#[test]
fn a_pasted_name_is_cleaned_and_the_clerk_told_what_went() {
    let mut a = on_form(Lang::En);
    a.form.focus_on(FieldKey::FirstName);
    update(&mut a, Msg::Paste("สมชาย[0m 😀 123".into()));
    assert_eq!(value(&a, FieldKey::FirstName), "สมชาย");
    assert_eq!(a.hint, Some(Hint::PasteCleaned("[0m😀123".into())));
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains("Taken out of the paste"), "{seen}");
    assert!(
        a.hint.as_ref().unwrap().say(Lang::Th).contains("[0m"),
        "said in Thai too"
    );

    // Typed: a digit is refused with the reason, letters and a dash go in.
    a.form.focus_on(FieldKey::LastName);
    typ(&mut a, "Jai");
    press(&mut a, KeyCode::Char('1'));
    assert_eq!(a.hint, Some(Hint::NotInName));
    typ(&mut a, "-dee");
    assert_eq!(value(&a, FieldKey::LastName), "Jai-dee");
    assert_eq!(a.hint, None);
    // Another field is not a name: digits and signs go as ever.
    a.form.focus_on(FieldKey::Note);
    update(&mut a, Msg::Paste("ห้อง 12 😀".into()));
    assert!(value(&a, FieldKey::Note).contains("12"));
}
