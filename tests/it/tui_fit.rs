//! What a clerk needs to read is never cut: labels, the focused field's error, the consent
//! purpose, at 80×24 and in wider windows; the form says when more fields follow below.

use crossterm::event::KeyCode;
use ruamjai::form::FieldKey;
use ruamjai::sync::Link;
use ruamjai::thai::Lang;
use ruamjai::tui::App;
use ruamjai::tui::update;
use uuid::Uuid;

use crate::tui_support::{fill, on_form, press, render, saved, screen_text, typ};

fn screen(a: &App, w: u16, h: u16) -> String {
    screen_text(&render(a, w, h))
}

/// The screen without any whitespace or box lines: wrapped text reads as one run.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

#[test]
fn labels_are_whole_at_80x24_and_in_wide_windows() {
    for (lang, label) in [
        (Lang::Th, "วันเกิด (วว/ดด/ปปปป พ.ศ.) *"),
        (Lang::En, "Date of birth (DD/MM/YYYY BE) *"),
    ] {
        let a = on_form(lang);
        for (w, h) in [(80, 24), (120, 40), (200, 24), (200, 50)] {
            let text = screen(&a, w, h);
            assert!(text.contains(label), "{w}×{h}:\n{text}");
        }
    }
}

#[test]
fn the_missing_consent_and_its_purpose_are_both_said_whole() {
    for lang in [Lang::Th, Lang::En] {
        let mut a = on_form(lang);
        fill(&mut a);
        press(&mut a, KeyCode::Up); // note → consent
        typ(&mut a, "2"); // does not consent
        press(&mut a, KeyCode::F(9));
        assert_eq!(a.form.focus, FieldKey::Consent);
        let text = screen(&a, 80, 24);
        let error = lang.pick(
            "! ต้องได้รับความยินยอมก่อนบันทึก",
            "! Consent is needed before saving",
        );
        assert!(text.contains(error), "{text}");
        let purpose = lang.pick(
            &a.campaign.consent_purpose_th,
            &a.campaign.consent_purpose_en,
        );
        assert!(squeezed(&text).contains(&squeezed(purpose)), "{text}");
    }
}

#[test]
fn the_focused_field_s_error_is_said_whole_under_the_form() {
    let mut a = on_form(Lang::Th);
    for _ in 0..7 {
        press(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.form.focus, FieldKey::Phone);
    typ(&mut a, "08123");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::BackTab);
    let text = screen(&a, 80, 24);
    assert!(
        text.contains("! จำนวนหลักไม่ถูกต้อง (5 หลัก) มือถือมี 10 หลัก บ้านมี 9 หลัก"),
        "{text}"
    );
}

#[test]
fn the_form_says_that_more_fields_follow_below() {
    let a = on_form(Lang::Th);
    let text = screen(&a, 80, 24);
    assert!(text.contains("↓ อีก 3 ช่องด้านล่าง 17/20"), "{text}");
    let a = on_form(Lang::En);
    assert!(screen(&a, 80, 24).contains("↓ 3 more below"));
}

#[test]
fn a_focused_title_with_nothing_chosen_shows_its_arrows() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.form.focus, FieldKey::Title);
    let text = screen(&a, 80, 24);
    let row = text.lines().find(|l| l.contains("คำนำหน้า")).unwrap();
    assert!(row.contains("‹  ›"), "{row}");
}

#[test]
fn with_no_hub_the_receipt_does_not_promise_to_send() {
    let mut a = on_form(Lang::Th);
    a.sync.link = Link::NoHub;
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::Enter);
    update(&mut a, saved(&fx, Uuid::nil(), "SK01-0001-Y"));
    let text = screen(&a, 80, 24);
    assert!(!text.contains("ส่งไปศูนย์เมื่อเชื่อมต่อได้"), "{text}");
    assert!(text.contains("ยังไม่ได้ตั้งค่าศูนย์"), "{text}");
}
