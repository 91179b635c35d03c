//! A clerk's day at the counter, the queue screen in the state machine over a real queue file:
//! what the search finds, Esc back to where a correction came from, why a record was cancelled
//! in Thai, and messages that stay with the row they were said about.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::Queue;
use ruamjai::kiosk::tui::app::{Hint, Screen};
use ruamjai::kiosk::tui::run::process;
use ruamjai::kiosk::tui::{App, Msg};

use crate::tui_support::{ID, fill, on_form};

/// A kiosk with one saved registration (นายสมชาย หาแก้ว) in a real queue file, on the queue
/// screen with the TH layout as the clerk left it.
fn queue_with_one_record() -> (App, Queue, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut queue = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    let mut a = on_form(Lang::Th);
    fill(&mut a);
    a.form
        .slot_mut(FieldKey::LastName)
        .unwrap()
        .widget
        .set_value("หาแก้ว");
    for k in [KeyCode::F(9), KeyCode::Enter, KeyCode::Enter, KeyCode::F(4)] {
        process(&mut a, Msg::Key(k.into()), &mut queue, &|| {});
    }
    assert_eq!(a.screen, Screen::Queue);
    assert_eq!(a.queue.rows.len(), 1, "the record is listed");
    (a, queue, dir)
}

/// What the queue screen lists after the clerk types `text` in the search box.
fn found(a: &mut App, queue: &mut Queue, text: &str) -> usize {
    process(a, Msg::Key(ctrl_u()), queue, &|| {});
    for c in text.chars() {
        process(a, Msg::Key(KeyCode::Char(c).into()), queue, &|| {});
    }
    a.queue.rows.len()
}

fn ctrl_u() -> crossterm::event::KeyEvent {
    ctrl_key('u')
}

fn ctrl_key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL)
}

#[test]
fn the_queue_search_reads_the_query_the_way_records_are_stored() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    for q in [
        "1-1120-34563-56-2",
        "1 1120 34563 56 2",
        "นายสมชาย",
        "เเก้ว",
        "หาเเก้ว",
        "081-234-5678",
    ] {
        assert_eq!(found(&mut a, &mut queue, q), 1, "{q} finds the record");
    }
    assert_eq!(
        found(&mut a, &mut queue, "สมหญิง"),
        0,
        "and others find nothing"
    );
}

#[test]
fn the_queue_search_reads_keys_typed_in_the_wrong_layout() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    // EN layout on, the clerk types สมชาย's keys.
    assert_eq!(found(&mut a, &mut queue, "l,=kp"), 1);
    // TH layout on, the clerk types the reference's number.
    process(&mut a, Msg::Key(KeyCode::F(3).into()), &mut queue, &|| {});
    assert_eq!(found(&mut a, &mut queue, "0001"), 1);
    assert_eq!(a.queue.search.text(), "จจจๅ");
}

#[test]
fn esc_on_a_correction_opened_from_the_queue_goes_back_to_the_queue() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    process(&mut a, Msg::Key(KeyCode::Enter.into()), &mut queue, &|| {});
    assert_eq!(a.screen, Screen::Form);
    assert!(a.form.replaces.is_some());
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("Esc กลับคิว"), "{text}");
    process(&mut a, Msg::Key(KeyCode::Esc.into()), &mut queue, &|| {});
    assert_eq!((a.screen, a.confirm.as_ref()), (Screen::Queue, None));
    assert_eq!(a.queue.rows.len(), 1);
    // With something changed it asks first, and says where it goes.
    for k in [KeyCode::Enter, KeyCode::Tab, KeyCode::Tab, KeyCode::Tab] {
        process(&mut a, Msg::Key(k.into()), &mut queue, &|| {});
    }
    assert_eq!(a.form.focus, FieldKey::FirstName);
    process(
        &mut a,
        Msg::Key(KeyCode::Char('x').into()),
        &mut queue,
        &|| {},
    );
    process(&mut a, Msg::Key(KeyCode::Esc.into()), &mut queue, &|| {});
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("กลับไปรายการคิว?"), "{text}");
    process(
        &mut a,
        Msg::Key(KeyCode::Char('y').into()),
        &mut queue,
        &|| {},
    );
    assert_eq!(a.screen, Screen::Queue);
}

#[test]
fn esc_after_ctrl_e_goes_back_to_the_form_as_it_was() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    process(&mut a, Msg::Key(KeyCode::F(4).into()), &mut queue, &|| {});
    assert_eq!(a.screen, Screen::Form);
    for k in [KeyCode::Tab]
        .into_iter()
        .chain(ID.chars().map(KeyCode::Char))
    {
        process(&mut a, Msg::Key(k.into()), &mut queue, &|| {});
    }
    assert!(
        a.form.duplicate.is_some(),
        "the person is found in the queue"
    );
    let typed = a.form.input();
    process(&mut a, Msg::Key(ctrl_key('e')), &mut queue, &|| {});
    assert!(a.form.replaces.is_some(), "Ctrl-E opens the first record");
    process(&mut a, Msg::Key(KeyCode::Esc.into()), &mut queue, &|| {});
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(a.form.replaces, None);
    assert_eq!(a.form.input(), typed, "the form as the clerk left it");
    assert!(
        matches!(a.hint, Some(Hint::AlreadyQueued { .. })),
        "and what was said about the person: {:?}",
        a.hint
    );
}

#[test]
fn the_thai_queue_screen_says_why_a_record_was_cancelled_in_thai() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    let mut send = |a: &mut App, keys: &[KeyCode]| {
        for k in keys {
            process(a, Msg::Key((*k).into()), &mut queue, &|| {});
        }
    };
    // Correct the record (its phone), save, and a new person with a second record cancelled.
    send(
        &mut a,
        &[
            KeyCode::Enter,
            KeyCode::F(9),
            KeyCode::Enter,
            KeyCode::Enter,
        ],
    );
    assert_eq!(a.screen, Screen::Form, "saved the correction, next person");
    send(&mut a, &[KeyCode::F(4), KeyCode::Delete, KeyCode::Enter]);
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 120, 30));
    assert!(text.contains("แก้ไขเป็น SK01-"), "{text}");
    assert!(text.contains("ยกเลิกที่จุดบริการ"), "{text}");
    assert!(
        !text.contains("replaced by") && !text.contains("cancelled at"),
        "{text}"
    );
}

#[test]
fn a_message_about_one_row_is_gone_under_the_cancel_dialog_of_another() {
    let (mut a, mut queue, _dir) = queue_with_one_record();
    // A duplicate holds no place: it cannot be corrected or cancelled.
    let mut duplicate = a.queue.rows[0].clone();
    duplicate.state = ruamjai::kiosk::queue::State::Duplicate;
    let pending = a.queue.rows[0].clone();
    ruamjai::kiosk::tui::update(&mut a, Msg::Listed(Ok(vec![duplicate, pending])));
    process(&mut a, Msg::Key(KeyCode::Delete.into()), &mut queue, &|| {});
    assert!(matches!(a.hint, Some(Hint::NotChangeable(_))));
    process(&mut a, Msg::Key(KeyCode::Down.into()), &mut queue, &|| {});
    process(&mut a, Msg::Key(KeyCode::Delete.into()), &mut queue, &|| {});
    assert!(a.confirm.is_some(), "the cancel dialog of the second row");
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(!text.contains("แก้ไขหรือยกเลิกไม่ได้"), "{text}");
}

#[test]
fn the_queue_says_where_esc_goes_back_to() {
    let mut a = on_form(Lang::En);
    ruamjai::kiosk::tui::update(&mut a, Msg::Key(KeyCode::F(4).into()));
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("Esc back to form"), "{text}");
    ruamjai::kiosk::tui::update(&mut a, Msg::Key(KeyCode::Esc.into()));
    ruamjai::kiosk::tui::update(&mut a, Msg::Key(KeyCode::Esc.into()));
    assert_eq!(a.screen, Screen::Start);
    ruamjai::kiosk::tui::update(&mut a, Msg::Key(KeyCode::F(4).into()));
    let text = crate::tui_support::screen_text(&crate::tui_support::render(&a, 80, 24));
    assert!(text.contains("Esc back to start"), "{text}");
}
