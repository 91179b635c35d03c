//! A campaign's own questions on the kiosk's form, through the state machine: the flood-relief
//! campaign's fields in its file's order, a number, a choice and a text asked of one group only
//! (skipped by Tab for another group), on the review page, and on the record saved.

use crossterm::event::KeyCode;
use ruamjai::core::form::{Campaign, FieldKey};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::{App, Effect};

use crate::tui_support::{ID, app, press, render, screen_text, typ};

fn flood(lang: Lang) -> App {
    let today = app(lang).today;
    let campaign = Campaign::load("flood-relief-2564", None).expect("built-in flood campaign");
    let mut a = App::new(campaign, "SK01", "อบต.คลองมะเดื่อ", lang, today);
    a.view.utc_offset_secs = 7 * 3600;
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    a
}

fn focus(a: &App) -> &'static str {
    a.form.focus.as_str()
}

/// Types the person and the group, ending on the first question.
fn person(a: &mut App, group: &str) {
    press(a, KeyCode::Tab); // ID type: Thai ID card
    typ(a, ID);
    press(a, KeyCode::Tab);
    typ(a, "1"); // นาย
    press(a, KeyCode::Tab);
    typ(a, "สมชาย");
    press(a, KeyCode::Tab);
    typ(a, "ใจดี");
    press(a, KeyCode::Tab);
    typ(a, "0812345678");
    press(a, KeyCode::Tab);
    assert_eq!(focus(a), "target_group");
    typ(a, group);
    press(a, KeyCode::Tab);
    assert_eq!(focus(a), "household_size");
}

/// The address and consent, from the house number on, then review and save.
fn address_and_save(a: &mut App) -> Vec<Effect> {
    assert_eq!(focus(a), "house_no");
    typ(a, "12/3");
    press(a, KeyCode::Tab);
    typ(a, "4");
    press(a, KeyCode::Tab);
    typ(a, "คลองมะเ");
    press(a, KeyCode::Enter); // the pick fills the address and goes on
    assert_eq!(focus(a), "consent");
    typ(a, "1");
    press(a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
    press(a, KeyCode::Enter)
}

fn enqueued(fx: &[Effect]) -> ruamjai::core::form::Registration {
    fx.iter()
        .find_map(|e| match e {
            Effect::Enqueue(save) => Some(save.registration.clone()),
            _ => None,
        })
        .expect("an Enqueue effect")
}

#[test]
fn the_form_is_the_files_order_and_a_farmer_is_asked_the_account() {
    let mut a = flood(Lang::En);
    let keys: Vec<&str> = a.form.slots.iter().map(|s| s.key.as_str()).collect();
    let file: Vec<&str> = a.campaign.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, file);
    person(&mut a, "2");
    typ(&mut a, "๔"); // Thai digits go in as ASCII
    press(&mut a, KeyCode::Tab);
    assert_eq!(focus(&a), "damage");
    typ(&mut a, "2"); // partial
    press(&mut a, KeyCode::Tab);
    assert_eq!(focus(&a), "bank_account", "group 2 is asked the account");
    typ(&mut a, "020123456");
    press(&mut a, KeyCode::Tab);
    // Another group is not asked the account: its answer goes, as the record would drop it.
    {
        let mut b = a.clone();
        for _ in 0..4 {
            press(&mut b, KeyCode::BackTab);
        }
        assert_eq!(focus(&b), "target_group");
        typ(&mut b, "1");
        let bank = b.campaign.key("bank_account").unwrap();
        assert_eq!(b.form.input().get(bank), "");
        assert!(!b.form.slot(bank).unwrap().tab_stop);
        typ(&mut b, "2");
        assert!(b.form.slot(bank).unwrap().tab_stop);
    }
    let review = {
        let mut b = a.clone();
        address_and_save(&mut b);
        b
    };
    let text = screen_text(&render(&review, 80, 24));
    for shown in [
        "Household size",
        "4",
        "Damage",
        "Partial",
        "BAAC account no.",
        "020123456",
    ] {
        assert!(text.contains(shown), "{shown} on the review page:\n{text}");
    }
    let r = enqueued(&address_and_save(&mut a));
    let answers: Vec<(&str, &str)> = r
        .answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        answers,
        [
            ("bank_account", "020123456"),
            ("damage", "partial"),
            ("household_size", "4")
        ]
    );
    assert_eq!(r.target_group, 2);
}

#[test]
fn another_group_skips_the_account_and_a_number_out_of_range_is_said() {
    let mut a = flood(Lang::Th);
    person(&mut a, "1");
    typ(&mut a, "31");
    press(&mut a, KeyCode::Tab);
    let key = FieldKey::Question(
        a.campaign
            .key("household_size")
            .unwrap()
            .question()
            .unwrap(),
    );
    let text = screen_text(&render(&a, 80, 24));
    assert!(
        a.form.shown_error(key).is_some() && text.contains("ต้องอยู่ระหว่าง 1 ถึง 30"),
        "{text}"
    );
    press(&mut a, KeyCode::BackTab);
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    typ(&mut a, "3");
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "3"); // total
    press(&mut a, KeyCode::Tab);
    assert_eq!(focus(&a), "house_no", "group 1 is not asked the account");
    let r = enqueued(&address_and_save(&mut a));
    assert_eq!(r.answer("household_size"), "3");
    assert_eq!(r.answer("damage"), "total");
    assert!(!r.answers.contains_key("bank_account"));
}
