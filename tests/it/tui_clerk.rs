//! A clerk's day at the counter, the form in the state machine: digits typed with the Thai
//! layout on, the group detail that says what it needs, the review's arrows, the Esc dialog's
//! safe default, bad Thai refused, and keys that wait while the window is too small. The queue
//! screen's part is in `tui_clerk_queue`.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::input_check::Rejection;
use ruamjai::kiosk::tui::app::{Hint, KeyLayout, Screen};
use ruamjai::kiosk::tui::{App, Effect, Msg};

use crate::tui_support::{ctrl, fill, on_form, press, typ};

fn value(a: &App, k: FieldKey) -> String {
    a.form.input().get(k).to_owned()
}

/// Tabs (or shift-tabs) until `key` has the focus.
fn focus(a: &mut App, key: FieldKey) {
    for _ in 0..a.form.slots.len() {
        if a.form.focus == key {
            return;
        }
        press(a, KeyCode::Tab);
    }
    assert_eq!(a.form.focus, key, "{key:?} takes a Tab stop");
}

fn searches(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .rev()
        .find_map(|e| match e {
            Effect::ListQueue { searches } => Some(searches.clone()),
            _ => None,
        })
        .expect("a ListQueue effect")
}

#[test]
fn a_house_number_typed_with_the_thai_layout_keeps_its_digits() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(3));
    assert_eq!(a.layout, KeyLayout::Th);
    focus(&mut a, FieldKey::HouseNo);
    typ(&mut a, "12/3");
    assert_eq!(value(&a, FieldKey::HouseNo), "12/3");
    focus(&mut a, FieldKey::Postcode);
    typ(&mut a, "74110");
    assert_eq!(value(&a, FieldKey::Postcode), "74110");
    // Names still go through the layout.
    press(&mut a, KeyCode::BackTab);
    focus(&mut a, FieldKey::FirstName);
    typ(&mut a, "l,=kp");
    assert_eq!(value(&a, FieldKey::FirstName), "สมชาย");
}

#[test]
fn a_thai_letter_in_a_house_number_is_refused_with_a_hint() {
    let mut a = on_form(Lang::Th);
    focus(&mut a, FieldKey::HouseNo);
    typ(&mut a, "12ก");
    assert_eq!(value(&a, FieldKey::HouseNo), "12");
    assert_eq!(a.hint, Some(Hint::Rejected(Rejection::AsciiOnly)));
    // The ก says the system's Thai layout is on: its `/` key types ฝ (issue 28).
    typ(&mut a, "ฝ๓");
    assert_eq!(
        value(&a, FieldKey::HouseNo),
        "12/3",
        "Thai digits are digits"
    );
}

#[test]
fn a_disability_card_number_typed_with_the_thai_layout_keeps_its_digits() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(3));
    focus(&mut a, FieldKey::TargetGroup);
    typ(&mut a, "1");
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.form.focus, FieldKey::GroupDetail);
    typ(&mut a, "12345");
    assert_eq!(value(&a, FieldKey::GroupDetail), "12345");
    // A temple's name is Thai words: the layout applies again.
    press(&mut a, KeyCode::BackTab);
    typ(&mut a, "4");
    press(&mut a, KeyCode::Tab);
    ctrl(&mut a, 'u');
    typ(&mut a, ";yf");
    assert_eq!(value(&a, FieldKey::GroupDetail), "วัด");
}

#[test]
fn the_queue_search_finds_digits_typed_with_the_thai_layout() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(3));
    press(&mut a, KeyCode::F(4));
    assert_eq!(a.screen, Screen::Queue);
    let fx = typ(&mut a, "0004");
    assert_eq!(
        a.queue.search.text(),
        "จจจภ",
        "what the layout typed is shown"
    );
    assert!(searches(&fx).contains(&"0004".to_owned()), "{fx:?}");
}

#[test]
fn the_group_detail_says_what_the_group_needs() {
    let mut a = on_form(Lang::Th);
    let detail = |a: &App| {
        let s = a.form.slot(FieldKey::GroupDetail).unwrap();
        (s.label(a.lang).to_owned(), s.required)
    };
    focus(&mut a, FieldKey::TargetGroup);
    typ(&mut a, "1");
    assert_eq!(detail(&a), ("เลขบัตรคนพิการ".to_owned(), true));
    typ(&mut a, "4");
    assert_eq!(detail(&a), ("วัด / สำนัก".to_owned(), true));
    typ(&mut a, "5");
    assert_eq!(detail(&a), ("ชื่อองค์กร".to_owned(), true));
    typ(&mut a, "2");
    assert_eq!(detail(&a), ("ชื่อชุมชน".to_owned(), false));
    press(&mut a, KeyCode::F(2));
    assert_eq!(detail(&a), ("Community name".to_owned(), false));
    typ(&mut a, "3");
    press(&mut a, KeyCode::Tab);
    assert_eq!(
        a.form.focus,
        FieldKey::Consent,
        "no Tab stop on the detail of a group that has none"
    );
    press(&mut a, KeyCode::BackTab);
    assert_eq!(a.form.focus, FieldKey::TargetGroup);
}

#[test]
fn the_required_mark_of_the_group_detail_is_drawn() {
    let mut a = on_form(Lang::Th);
    focus(&mut a, FieldKey::TargetGroup);
    typ(&mut a, "4");
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 120, 40));
    assert!(text.contains("วัด / สำนัก *"), "{text}");
}

#[test]
fn the_discard_dialog_keeps_the_form_on_enter_and_says_where_esc_goes() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112");
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("Esc กลับหน้าเริ่มกะ"), "{text}");
    press(&mut a, KeyCode::Esc);
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("กลับไปหน้าเริ่มกะ?"), "{text}");
    assert!(text.contains("Enter หรือ Esc = ไม่ทิ้ง"), "{text}");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.confirm, None);
    assert_eq!(value(&a, FieldKey::IdNumber), "1112");
    press(&mut a, KeyCode::Esc);
    typ(&mut a, "ั"); // y with a Thai keyboard
    assert_eq!(a.screen, Screen::Start);
}

#[test]
fn down_on_the_review_goes_round_from_the_save_button_to_the_fields() {
    let mut a = on_form(Lang::Th);
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review);
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Down);
    let fx = press(&mut a, KeyCode::Enter);
    assert!(fx.is_empty(), "↓ ↓ Enter edits, it does not save: {fx:?}");
    assert_eq!((a.screen, a.form.focus), (Screen::Form, FieldKey::IdNumber));
    press(&mut a, KeyCode::F(9));
    press(&mut a, KeyCode::Up);
    press(&mut a, KeyCode::Left);
    press(&mut a, KeyCode::Enter);
    assert_eq!(
        a.form.focus,
        FieldKey::Moo,
        "← from the last field of the right column"
    );
}

#[test]
fn the_form_s_error_count_does_not_follow_the_clerk_to_the_queue() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(9));
    assert!(matches!(a.hint, Some(Hint::FixErrors(_))));
    press(&mut a, KeyCode::F(4));
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(!text.contains("ยังมีข้อผิดพลาด"), "{text}");
}

#[test]
fn below_80x24_the_form_takes_no_keys() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    ruamjai::kiosk::tui::update(
        &mut a,
        Msg::Resize {
            width: 79,
            height: 24,
        },
    );
    typ(&mut a, "1112");
    press(&mut a, KeyCode::Tab);
    ruamjai::kiosk::tui::update(&mut a, Msg::Paste("034".into()));
    assert_eq!(value(&a, FieldKey::IdNumber), "", "nothing lands unseen");
    assert_eq!(a.form.focus, FieldKey::IdNumber, "the focus stays");
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 79, 24));
    assert!(
        text.contains("Keys wait until the window is large enough"),
        "{text}"
    );
    ruamjai::kiosk::tui::update(
        &mut a,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    typ(&mut a, "1112");
    assert_eq!(value(&a, FieldKey::IdNumber), "1112");
    ruamjai::kiosk::tui::update(
        &mut a,
        Msg::Resize {
            width: 100,
            height: 23,
        },
    );
    assert!(
        press(&mut a, KeyCode::F(10)).is_empty(),
        "no dialog it cannot show"
    );
    assert_eq!(a.confirm, None);
}

#[test]
fn sara_am_after_sara_i_is_refused_while_typing() {
    let mut a = on_form(Lang::Th);
    focus(&mut a, FieldKey::FirstName);
    typ(&mut a, "ทิำ");
    assert_eq!(value(&a, FieldKey::FirstName), "ทิ");
    assert!(matches!(a.hint, Some(Hint::Rejected(_))), "{:?}", a.hint);
}

#[test]
fn a_lone_sara_ae_is_not_a_group_detail() {
    let mut a = on_form(Lang::Th);
    focus(&mut a, FieldKey::TargetGroup);
    typ(&mut a, "4");
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "แ");
    press(&mut a, KeyCode::Tab);
    let e = a.form.shown_error(FieldKey::GroupDetail).expect("an error");
    assert_eq!(
        ruamjai::core::thai::Bilingual::say(&e.problem, Lang::Th),
        "พิมพ์พยัญชนะตามหลัง เ แ โ ใ ไ"
    );
    assert_eq!(
        value(&a, FieldKey::GroupDetail),
        "แ",
        "what was typed stays"
    );
}

#[test]
fn with_passport_chosen_the_hint_says_letters_and_digits() {
    let mut a = on_form(Lang::En);
    typ(&mut a, "3");
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "AA12");
    assert_eq!(value(&a, FieldKey::IdNumber), "AA12");
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("letters A–Z and digits"), "{text}");
    assert!(!text.contains("digits only"), "{text}");
}

#[test]
fn the_help_line_of_a_house_number_says_either_layout_will_do() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::F(3));
    focus(&mut a, FieldKey::HouseNo);
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("ได้ทั้งแป้น TH และ EN"), "{text}");
    assert!(!text.contains("แป้น TH เกษมณี"), "{text}");
}

#[test]
fn a_paste_into_a_house_number_says_what_it_left_out() {
    let mut a = on_form(Lang::Th);
    focus(&mut a, FieldKey::HouseNo);
    ruamjai::kiosk::tui::update(&mut a, Msg::Paste("12/3 ก".into()));
    assert_eq!(value(&a, FieldKey::HouseNo), "12/3 ");
    assert_eq!(a.hint, Some(Hint::Rejected(Rejection::AsciiOnly)));
}
