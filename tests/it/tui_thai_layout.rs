//! The operating system's Thai layout left on (issue 28, item 3): the terminal then sends what
//! Kedmanee types (`ๅ/-ภถุึคตจ` for `1234567890`). In every field that takes digits, and in the
//! queue search, those are the digits the clerk pressed.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::kedmanee::map_str;
use ruamjai::kiosk::tui::{App, Effect};

use crate::tui_support::{ID, on_form, press, typ};

fn value(a: &App, k: FieldKey) -> String {
    a.form.input().get(k).to_owned()
}

/// Types `keys` as the system's Thai layout sends them, in field `key`.
fn typed_thai(a: &mut App, key: FieldKey, keys: &str) {
    a.form.focus_on(key);
    typ(a, &map_str(keys));
}

#[test]
fn the_number_row_of_the_thai_layout_types_digits_in_every_field_of_digits() {
    let mut a = on_form(Lang::Th);
    // The app's own layout is EN: it is the system that sends Thai.
    typed_thai(&mut a, FieldKey::IdNumber, ID);
    assert_eq!(value(&a, FieldKey::IdNumber).replace('-', ""), ID);
    typed_thai(&mut a, FieldKey::Title, "1");
    assert_eq!(value(&a, FieldKey::Title), "นาย");
    // A name in between, typed in Thai as it should be.
    a.form.focus_on(FieldKey::FirstName);
    typ(&mut a, "สมชาย");
    assert_eq!(value(&a, FieldKey::FirstName), "สมชาย");
    typed_thai(&mut a, FieldKey::BirthDate, "05072490");
    assert_eq!(value(&a, FieldKey::BirthDate), "05/07/2490");
    typed_thai(&mut a, FieldKey::Phone, "0812345678");
    assert_eq!(
        value(&a, FieldKey::Phone).replace(['-', ' '], ""),
        "0812345678"
    );
    typed_thai(&mut a, FieldKey::HouseNo, "12/3");
    assert_eq!(value(&a, FieldKey::HouseNo), "12/3");
    typed_thai(&mut a, FieldKey::Moo, "4");
    assert_eq!(value(&a, FieldKey::Moo), "4");
    typed_thai(&mut a, FieldKey::Postcode, "74110");
    assert_eq!(value(&a, FieldKey::Postcode), "74110");

    // With the system's English layout the same signs mean themselves.
    a.form.focus_on(FieldKey::HouseNo);
    press(&mut a, KeyCode::End);
    for _ in 0..4 {
        press(&mut a, KeyCode::Backspace);
    }
    typ(&mut a, "5-7/1");
    assert_eq!(value(&a, FieldKey::HouseNo), "5-7/1");
}

#[test]
fn the_queue_search_finds_an_id_typed_with_the_thai_layout() {
    for id in [ID, "1669900000001", "2670000000000"] {
        let mut a = on_form(Lang::Th);
        press(&mut a, KeyCode::F(4));
        let fx = typ(&mut a, &map_str(id));
        let Some(Effect::ListQueue { searches }) = fx.last() else {
            panic!("the search lists: {fx:?}");
        };
        assert!(searches.contains(&id.to_owned()), "{id}: {searches:?}");
        assert_eq!(a.hint, None, "{id}: nothing refused");
    }
    // Only the number row's signs: 2233.
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(4));
    let fx = typ(&mut a, "//--");
    let Some(Effect::ListQueue { searches }) = fx.last() else {
        panic!("{fx:?}");
    };
    assert!(searches.contains(&"2233".to_owned()), "{searches:?}");
}
