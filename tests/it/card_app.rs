//! The kiosk's state machine with the card reader's messages (no terminal, no reader): a card
//! fills the form and marks its fields, the focus goes to the phone, Enter goes on past what the
//! card filled, the clerk can edit every field, another person's card asks before replacing typed
//! data, the same card refills in place, an expired card is a warning, reader states reach the
//! status line, a failed read leaves the form as it was, and a card read on another screen waits
//! for the form (and is forgotten when taken out first).

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::card::{CardData, CardError, CardEvent, ReaderState, read_card};
use ruamjai::kiosk::tui::app::{Confirm, Screen};
use ruamjai::kiosk::tui::{App, Effect, Msg, update};

use crate::card_emu::{Direct, Person, VirtualCard};
use crate::tui_support::{on_form, press, render, saved, screen_text, typ};

fn card(p: &Person) -> Box<CardData> {
    let c = VirtualCard::current(p);
    let atr = c.atr.clone();
    Box::new(read_card(&mut Direct(c), &atr).unwrap())
}

fn insert(app: &mut App, p: &Person) -> Vec<Effect> {
    update(app, Msg::Card(CardEvent::State(ReaderState::Reading)));
    let fx = update(app, Msg::Card(CardEvent::Read(card(p))));
    update(app, Msg::Card(CardEvent::State(ReaderState::Done)));
    fx
}

fn value(app: &App, key: FieldKey) -> String {
    app.form.slot(key).unwrap().widget.value()
}

#[test]
fn a_card_fills_the_form_and_the_focus_goes_to_the_phone() {
    let mut a = on_form(Lang::Th);
    let fx = insert(&mut a, &Person::somchai());
    assert!(
        fx.iter().any(
            |f| matches!(f, Effect::LookupPerson { id_key, .. } if id_key == "ID:1112034563562")
        ),
        "the duplicate check runs for the card's ID: {fx:?}"
    );
    for (k, v) in [
        (FieldKey::IdType, "thai_id"),
        (FieldKey::IdNumber, "1112034563562"),
        (FieldKey::Title, "นาย"),
        (FieldKey::FirstName, "สมชาย"),
        (FieldKey::LastName, "ใจดี"),
        (FieldKey::BirthDate, "05/07/2490"),
        (FieldKey::Sex, "male"),
        (FieldKey::HouseNo, "12/3"),
        (FieldKey::Moo, "4"),
        (FieldKey::Tambon, "คลองมะเดื่อ"),
        (FieldKey::Amphoe, "กระทุ่มแบน"),
        (FieldKey::Province, "สมุทรสาคร"),
        (FieldKey::Postcode, "74110"),
    ] {
        assert_eq!(value(&a, k), v, "{k:?}");
        assert!(
            a.form.from_card.contains(&k),
            "{k:?} is marked from the card"
        );
    }
    assert_eq!(a.form.focus, FieldKey::Phone);
    assert!(
        a.form
            .errors
            .iter()
            .all(|e| !a.form.from_card.contains(&e.field)),
        "{:?}",
        a.form.errors
    );
    let text = screen_text(&render(&a, 100, 40));
    assert!(text.contains("◆ จากบัตร"), "{text}");
    assert!(text.contains("บัตร อ่านแล้ว"), "the status line: {text}");
    assert!(text.contains("กรอกจากบัตรประชาชนแล้ว"), "{text}");
}

#[test]
fn after_the_card_a_registration_takes_a_handful_of_keys() {
    let mut a = on_form(Lang::Th);
    insert(&mut a, &Person::somchai());
    let mut keys = 0;
    let mut key = |a: &mut App, code: KeyCode| {
        keys += 1;
        press(a, code)
    };
    for c in "0812345678".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.form.focus,
        FieldKey::TargetGroup,
        "Enter goes past the card's fields"
    );
    key(&mut a, KeyCode::Char('3'));
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.form.focus, FieldKey::Consent);
    key(&mut a, KeyCode::Char('1'));
    key(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
    let fx = key(&mut a, KeyCode::F(9));
    assert!(fx.iter().any(|f| matches!(f, Effect::Enqueue(_))), "{fx:?}");
    assert!(keys < 20, "{keys} keys");
}

#[test]
fn the_clerk_can_edit_what_the_card_filled() {
    let mut a = on_form(Lang::En);
    insert(&mut a, &Person::somchai());
    a.form.focus_on(FieldKey::FirstName);
    press(&mut a, KeyCode::Backspace);
    assert_eq!(value(&a, FieldKey::FirstName), "สมชา");
    assert!(!a.form.from_card.contains(&FieldKey::FirstName));
    assert!(a.form.from_card.contains(&FieldKey::LastName));
    let text = screen_text(&render(&a, 100, 40));
    assert!(text.contains("from the card"), "{text}");
}

#[test]
fn another_persons_card_asks_before_replacing_the_form() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "3101002003007");
    insert(&mut a, &Person::somchai());
    assert!(matches!(a.confirm, Some(Confirm::ReplaceWithCard(_))));
    assert_eq!(
        value(&a, FieldKey::IdNumber),
        "3101002003007",
        "nothing replaced yet"
    );
    let text = screen_text(&render(&a, 100, 40));
    assert!(text.contains("นาย สมชาย ใจดี"), "{text}");
    // Enter keeps the typed form, as in the discard dialog.
    press(&mut a, KeyCode::Enter);
    assert!(a.confirm.is_none());
    assert_eq!(value(&a, FieldKey::IdNumber), "3101002003007");
    // Again, and Y replaces it.
    insert(&mut a, &Person::somchai());
    typ(&mut a, "y");
    assert_eq!(value(&a, FieldKey::IdNumber), "1112034563562");
    assert_eq!(a.form.focus, FieldKey::Phone);
    // A second person's card over the first person's card data asks as well.
    insert(&mut a, &Person::expired());
    assert!(matches!(a.confirm, Some(Confirm::ReplaceWithCard(_))));
    typ(&mut a, "y");
    assert_eq!(value(&a, FieldKey::Title), "นางสาว");
}

#[test]
fn the_same_card_again_refills_without_asking_and_keeps_the_phone() {
    let mut a = on_form(Lang::Th);
    insert(&mut a, &Person::somchai());
    typ(&mut a, "0812345678");
    a.form.focus_on(FieldKey::LastName);
    typ(&mut a, "x");
    insert(&mut a, &Person::somchai());
    assert!(a.confirm.is_none());
    assert_eq!(value(&a, FieldKey::LastName), "ใจดี");
    assert_eq!(value(&a, FieldKey::Phone), "0812345678");
}

#[test]
fn an_expired_card_is_a_warning_not_a_stop() {
    let mut a = on_form(Lang::En);
    insert(&mut a, &Person::expired());
    let said = screen_text(&render(&a, 120, 40));
    assert!(said.contains("the card expired on 14/02/2566"), "{said}");
    assert_eq!(value(&a, FieldKey::IdNumber), Person::expired().cid);
}

#[test]
fn an_unknown_address_leaves_the_postcode_and_warns() {
    let mut a = on_form(Lang::En);
    insert(&mut a, &Person::unknown_address());
    assert_eq!(value(&a, FieldKey::Tambon), "ไม่มีจริง");
    assert_eq!(value(&a, FieldKey::Postcode), "");
    assert!(
        a.form
            .warnings
            .iter()
            .any(|w| matches!(w, ruamjai::core::form::Warning::AddressUnknown)),
        "{:?}",
        a.form.warnings
    );
    let said = screen_text(&render(&a, 120, 40));
    assert!(said.contains("not in the tambon list"), "{said}");
}

#[test]
fn reader_states_are_on_the_status_line_and_a_failed_read_changes_nothing() {
    let mut a = on_form(Lang::En);
    let before = a.form.input();
    for (state, shown) in [
        (
            ReaderState::Unavailable(CardError::NoService),
            "card no pcscd",
        ),
        (
            ReaderState::Unavailable(CardError::NoReader),
            "card no reader",
        ),
        (ReaderState::Ready, "card ready"),
        (ReaderState::Reading, "card reading…"),
        (ReaderState::Failed(CardError::Removed), "card card error"),
    ] {
        update(&mut a, Msg::Card(CardEvent::State(state)));
        let text = screen_text(&render(&a, 120, 30));
        assert!(text.contains(shown), "{shown}: {text}");
    }
    let text = screen_text(&render(&a, 120, 30));
    assert!(text.contains("taken out or lost contact"), "{text}");
    assert_eq!(a.form.input(), before, "the form is unchanged");
    // A build without a reader shows nothing about cards.
    update(
        &mut a,
        Msg::Card(CardEvent::State(ReaderState::Unsupported)),
    );
    assert!(!screen_text(&render(&a, 120, 30)).contains("card card error"));
}

#[test]
fn a_card_read_away_from_the_form_waits_for_it() {
    // On the start screen: it fills the form once the clerk gets there.
    let mut a = crate::tui_support::app(Lang::Th);
    insert(&mut a, &Person::somchai());
    assert_eq!(a.screen, Screen::Start);
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(value(&a, FieldKey::IdNumber), "1112034563562");
    // Taken out before the form is reached: forgotten.
    let mut b = crate::tui_support::app(Lang::Th);
    insert(&mut b, &Person::somchai());
    update(&mut b, Msg::Card(CardEvent::State(ReaderState::Ready)));
    typ(&mut b, "สมใจ");
    press(&mut b, KeyCode::Enter);
    assert_eq!(value(&b, FieldKey::IdNumber), "");
}

#[test]
fn a_card_on_the_receipt_starts_the_next_persons_form() {
    let mut a = on_form(Lang::Th);
    insert(&mut a, &Person::somchai());
    typ(&mut a, "0812345678");
    press(&mut a, KeyCode::Enter);
    typ(&mut a, "3");
    press(&mut a, KeyCode::Enter);
    typ(&mut a, "1");
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::F(9));
    assert!(fx.iter().any(|f| matches!(f, Effect::Enqueue(_))));
    update(&mut a, saved(&fx, uuid::Uuid::now_v7(), "SK01-0001-X"));
    assert_eq!(a.screen, Screen::Receipt);
    insert(&mut a, &Person::expired());
    assert_eq!(a.screen, Screen::Form);
    assert!(a.confirm.is_none());
    assert_eq!(value(&a, FieldKey::Title), "นางสาว");
    assert_eq!(value(&a, FieldKey::Phone), "");
}

#[test]
fn a_card_with_a_bad_birth_date_fills_the_rest_and_marks_the_date() {
    let mut a = on_form(Lang::En);
    insert(&mut a, &Person::bad_birth_date());
    assert_eq!(value(&a, FieldKey::IdNumber), "1112034563562");
    assert_eq!(value(&a, FieldKey::FirstName), "สมชาย");
    assert_eq!(value(&a, FieldKey::Postcode), "74110");
    assert_eq!(value(&a, FieldKey::BirthDate), "");
    assert!(!a.form.from_card.contains(&FieldKey::BirthDate));
    // Marked: its error is shown at once, the focus is on it, the message line names it.
    assert!(a.form.shown_error(FieldKey::BirthDate).is_some());
    assert_eq!(a.form.focus, FieldKey::BirthDate);
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains("except its birth date"), "{seen}");
    typ(&mut a, "05072490");
    assert_eq!(value(&a, FieldKey::BirthDate), "05/07/2490");
}
