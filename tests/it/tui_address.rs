//! The address type-ahead (issue 28, item 2), on the state machine: a tambon typed in full that
//! names one tambon fills amphoe, province and postcode (no list to pick from), a name shared by
//! several tambons still offers them to pick, and after a pick or a filled address the focus goes
//! on to the next empty field.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::tui::App;

use crate::tui_support::{on_form, press, render, screen_text, typ};

fn value(a: &App, k: FieldKey) -> String {
    a.form.input().get(k).to_owned()
}

fn at_tambon() -> App {
    let mut a = on_form(Lang::Th);
    a.form.focus_on(FieldKey::Tambon);
    a
}

#[test]
fn a_tambon_typed_in_full_fills_the_address_and_enter_goes_on() {
    for (tambon, amphoe, postcode) in [
        ("ท่าจีน", "เมืองสมุทรสาคร", "74000"),
        ("คลองมะเดื่อ", "กระทุ่มแบน", "74110"),
    ] {
        let mut a = at_tambon();
        typ(&mut a, tambon);
        assert!(a.form.popup.is_none(), "{tambon}: nothing to choose");
        assert_eq!(value(&a, FieldKey::Amphoe), amphoe, "{tambon}");
        assert_eq!(value(&a, FieldKey::Province), "สมุทรสาคร");
        assert_eq!(value(&a, FieldKey::Postcode), postcode);
        let seen = screen_text(&render(&a, 80, 24));
        assert!(seen.contains(postcode), "shown:\n{seen}");
        // No Enters through the fields it filled.
        press(&mut a, KeyCode::Enter);
        assert_eq!(a.form.focus, FieldKey::TargetGroup, "{tambon}");
        // Typed away from that tambon, Enter goes to the amphoe again.
        a.form.focus_on(FieldKey::Tambon);
        press(&mut a, KeyCode::Backspace);
        press(&mut a, KeyCode::Esc);
        press(&mut a, KeyCode::Enter);
        assert_eq!(a.form.focus, FieldKey::Amphoe, "{tambon}");
    }
}

#[test]
fn a_name_several_tambons_share_offers_them_and_a_pick_goes_on_to_the_next_empty_field() {
    let mut a = at_tambon();
    typ(&mut a, "ไผ่ขวาง");
    let popup = a.form.popup.clone().expect("several tambons are called so");
    assert_eq!(popup.matches.len(), 3);
    assert!(popup.matches.iter().all(|e| e.tambon == "ไผ่ขวาง"));
    assert_eq!(value(&a, FieldKey::Amphoe), "", "not guessed");
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Enter);
    assert_eq!(value(&a, FieldKey::Amphoe), popup.matches[1].amphoe);
    assert_eq!(value(&a, FieldKey::Postcode), popup.matches[1].postcode);
    assert_eq!(a.form.focus, FieldKey::TargetGroup);

    // A part of a name opens the list as before; the pick goes on past the address.
    let mut a = at_tambon();
    typ(&mut a, "คลองมะเ");
    assert!(a.form.popup.is_some());
    press(&mut a, KeyCode::Enter);
    assert_eq!(value(&a, FieldKey::Tambon), "คลองมะเดื่อ");
    assert_eq!(a.form.focus, FieldKey::TargetGroup);
}
