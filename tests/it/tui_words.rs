//! Words that said the wrong thing (issue 28, item 8), on the state machine over a real queue
//! file: a record the hub cancelled says the hub's reason; cancelling a record the hub has
//! registered says the hub is told, not "never sent"; a search by name without the shift open
//! says to open it, not "not found". (The wrong-PIN countdown is in `tui_shift`.) And (item 9)
//! a person younger than the campaign's minimum age is a warning before saving.

use crossterm::event::KeyCode;
use ruamjai::core::protocol::{Outcome, OutcomeChange};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::{NewRecord, now_ms};
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::run::process;
use ruamjai::kiosk::tui::{App, Msg, ShiftView};

use crate::tui_support::{app, render, screen_text};

fn keys(a: &mut App, q: &mut ruamjai::kiosk::queue::Queue, keys: &[KeyCode]) {
    for k in keys {
        process(a, Msg::Key((*k).into()), q, &|| {});
    }
}

fn text(a: &mut App, q: &mut ruamjai::kiosk::queue::Queue, s: &str) {
    keys(a, q, &s.chars().map(KeyCode::Char).collect::<Vec<_>>());
}

#[test]
fn the_queue_screen_says_what_is_true() {
    let dir = tempfile::tempdir().unwrap();
    let mut q = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    let campaign = crate::hub::campaign();
    let mut ids = Vec::new();
    for n in [1, 2] {
        let reg = crate::support::registration(&campaign, n);
        let (id, _) = q
            .enqueue(&NewRecord::from_registration(&reg, "op", None), now_ms())
            .unwrap();
        ids.push(id);
    }
    // Both registered by the hub; then an admin cancels the first there.
    let accepted: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (
                *id,
                Outcome::Accepted {
                    hub_reference: format!("SKH-00000{i}"),
                },
            )
        })
        .collect();
    q.record_outcomes(&accepted, now_ms()).unwrap();
    q.apply_changes(
        &[OutcomeChange {
            seq: 1,
            submission_id: ids[0],
            outcome: Outcome::Cancelled {
                hub_reference: "SKH-000000".into(),
                reason: "registered twice by phone".into(),
            },
            appointment: None,
        }],
        1,
        now_ms(),
    )
    .unwrap();

    for lang in [Lang::Th, Lang::En] {
        let mut a = app(lang);
        a.shift = ShiftView::new(true, true);
        text(&mut a, &mut q, "Somjai");
        keys(&mut a, &mut q, &[KeyCode::Enter, KeyCode::F(4)]);
        assert_eq!(a.screen, Screen::Queue);
        assert_eq!(a.queue.rows.len(), 2);
        // The hub's cancellation with its reason (the older record, listed last).
        a.queue.selected = 1;
        let seen = screen_text(&render(&a, 80, 24));
        let by_hub = lang.pick(
            "ยกเลิกแล้ว โดยศูนย์: registered twice by phone",
            "cancelled by the hub: registered twice by phone",
        );
        assert!(seen.contains(by_hub), "{seen}");
        // Cancelling the registered one: the hub is told, its place goes on.
        a.queue.selected = 0;
        keys(&mut a, &mut q, &[KeyCode::Delete]);
        let seen = screen_text(&render(&a, 80, 24));
        assert!(
            seen.contains(lang.pick("จะแจ้งยกเลิกไปที่ศูนย์", "the cancellation is sent there")),
            "{seen}"
        );
        assert!(
            !seen.contains(lang.pick("จะไม่ถูกส่ง", "never sent")),
            "{seen}"
        );
        keys(&mut a, &mut q, &[KeyCode::Esc]);
    }

    // Without the shift open a name is never found: it says so; an ID still is.
    q.close_shift();
    for lang in [Lang::Th, Lang::En] {
        let mut a = app(lang);
        a.shift = ShiftView::new(true, false);
        text(&mut a, &mut q, "Somjai");
        keys(
            &mut a,
            &mut q,
            &[KeyCode::Enter, KeyCode::Enter, KeyCode::F(4)],
        );
        assert_eq!(a.screen, Screen::Queue);
        text(&mut a, &mut q, "มาลี");
        assert!(a.queue.rows.is_empty());
        let seen = screen_text(&render(&a, 80, 24));
        assert!(
            seen.contains(lang.pick(
                "ค้นหาด้วยชื่อได้เมื่อเปิดกะ",
                "Open the shift (its PIN) to search names"
            )),
            "{seen}"
        );
        assert!(
            !seen.contains(lang.pick("ไม่พบรายการ", "No records")),
            "{seen}"
        );
        keys(&mut a, &mut q, &[KeyCode::Backspace; 4]);
        text(&mut a, &mut q, &crate::support::thai_id(120_000_000_001));
        assert_eq!(a.queue.rows.len(), 1, "found by its ID");
        keys(&mut a, &mut q, &[KeyCode::Esc]);
    }
}

#[test]
fn a_person_younger_than_the_campaign_is_warned_about_before_saving() {
    for lang in [Lang::Th, Lang::En] {
        let mut a = crate::tui_support::on_form(lang);
        crate::tui_support::fill(&mut a);
        a.form.focus_on(ruamjai::core::form::FieldKey::BirthDate);
        crate::tui_support::ctrl(&mut a, 'u');
        crate::tui_support::typ(&mut a, "01012550");
        a.form.focus_on(ruamjai::core::form::FieldKey::TargetGroup);
        crate::tui_support::typ(&mut a, "1");
        crate::tui_support::press(&mut a, KeyCode::Tab);
        crate::tui_support::typ(&mut a, "1234567890123");
        crate::tui_support::press(&mut a, KeyCode::F(9));
        assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
        let fx = crate::tui_support::press(&mut a, KeyCode::Enter);
        assert!(fx.is_empty(), "not saved yet: {fx:?}");
        assert_eq!(
            a.confirm,
            Some(ruamjai::kiosk::tui::app::Confirm::SaveWithWarnings)
        );
        let seen = screen_text(&render(&a, 80, 24));
        assert!(
            seen.contains(lang.pick("อายุ 18 ปีขึ้นไป", "ages 18+")),
            "{seen}"
        );
    }
}
