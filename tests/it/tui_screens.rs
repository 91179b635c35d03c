//! Whole-screen snapshots on `TestBackend`: start, form, review, receipt, queue and help at 80×24
//! in Thai and English, the form, review and receipt at 120×40, the small-window message, and
//! the NO_COLOR/width-profile variants not changing the layout.

use crossterm::event::KeyCode;
use ruamjai::core::form::FieldKey;
use ruamjai::core::protocol::Outcome;
use ruamjai::core::refcode;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::State;
use ruamjai::kiosk::sync::{Link, SyncStatus};
use ruamjai::kiosk::tui::app::RecordRow;
use ruamjai::kiosk::tui::{App, Msg, update};
use uuid::Uuid;

use crate::tui_support::{app, fill, on_form, press, render, saved, screen_text, typ};

/// 25/11/2569 10:42 in Bangkok, as Unix ms.
const NOW: i64 = 1_795_578_120_000;

fn online(a: &mut App) {
    a.sync = SyncStatus {
        link: Link::Online,
        last_ok_at: Some(NOW),
        ..SyncStatus::default()
    };
    a.unsent = 3;
}

fn snap(name: &str, a: &App, w: u16, h: u16) {
    let text = screen_text(&render(a, w, h));
    insta::assert_snapshot!(name, text);
}

fn filled(lang: Lang) -> App {
    let mut a = on_form(lang);
    online(&mut a);
    fill(&mut a);
    a
}

fn receipt(lang: Lang) -> App {
    let mut a = filled(lang);
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::Enter);
    let reference = refcode::encode("SK01", 1).unwrap();
    update(&mut a, saved(&fx, Uuid::nil(), &reference));
    a
}

fn rows(a: &App) -> Vec<RecordRow> {
    let mut other = filled(Lang::Th);
    let reg = other
        .form
        .revalidate(&a.campaign, a.today)
        .registration
        .unwrap();
    let row = |n: u64, state: State, outcome: Option<Outcome>| RecordRow {
        submission_id: Uuid::from_u128(u128::from(n)),
        reference: refcode::encode("SK01", n).unwrap(),
        state,
        created_at: NOW - (n as i64) * 600_000,
        operator: "สมใจ".into(),
        registration: Some(reg.clone()),
        outcome,
        last_error: None,
        moved_from: None,
        appointment: None,
    };
    vec![
        row(5, State::Pending, None),
        row(
            4,
            State::Rejected,
            Some(Outcome::Rejected {
                field: "birth_date".into(),
                reason: "age below 70 at the reference date".into(),
            }),
        ),
        row(
            3,
            State::Duplicate,
            Some(Outcome::Duplicate {
                first_reference: "SKH-000912".into(),
                first_kiosk: "SK07".into(),
                first_registration_point: "รพ.สต.ท่าจีน".into(),
            }),
        ),
        row(
            2,
            State::Waitlisted,
            Some(Outcome::Waitlisted {
                hub_reference: "SKH-066120".into(),
                position: 120,
            }),
        ),
        row(
            1,
            State::Accepted,
            Some(Outcome::Accepted {
                hub_reference: "SKH-000001".into(),
            }),
        ),
    ]
}

#[test]
fn start_screens() {
    for (lang, name) in [(Lang::Th, "start_th"), (Lang::En, "start_en")] {
        let mut a = app(lang);
        typ(&mut a, "สมใจ");
        snap(name, &a, 80, 24);
    }
    // A counter with a PIN: asked after the name, drawn as asterisks.
    for (lang, name) in [(Lang::Th, "start_pin_th"), (Lang::En, "start_pin_en")] {
        let mut a = app(lang);
        a.shift = ruamjai::kiosk::tui::ShiftView::new(true, false);
        typ(&mut a, "สมใจ");
        press(&mut a, KeyCode::Enter);
        typ(&mut a, "2468");
        snap(name, &a, 80, 24);
    }
}

#[test]
fn form_screens() {
    for (lang, name) in [(Lang::Th, "form_th"), (Lang::En, "form_en")] {
        let mut a = filled(lang);
        for _ in 0..15 {
            press(&mut a, KeyCode::Up); // group 3 has no detail to stop at
        }
        assert_eq!(a.form.focus, FieldKey::FirstName);
        snap(name, &a, 80, 24);
    }
    let a = filled(Lang::Th);
    snap("form_th_120x40", &a, 120, 40);
}

#[test]
fn form_with_errors_and_the_tambon_popup() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, "1112034563561");
    press(&mut a, KeyCode::F(9));
    snap("form_errors_th", &a, 80, 24);
    let mut a = on_form(Lang::En);
    for _ in 0..12 {
        press(&mut a, KeyCode::Tab);
    }
    typ(&mut a, "ท่า");
    snap("form_popup_en", &a, 80, 24);
}

#[test]
fn review_screens() {
    for (lang, name) in [(Lang::Th, "review_th"), (Lang::En, "review_en")] {
        let mut a = filled(lang);
        press(&mut a, KeyCode::F(9));
        snap(name, &a, 80, 24);
    }
    let mut a = filled(Lang::En);
    press(&mut a, KeyCode::F(9));
    press(&mut a, KeyCode::Enter);
    update(&mut a, Msg::Enqueued(Err("the disk holding /var/lib/ruamjai/queue.sqlite3 is full: nothing new was saved; free some space, then try again".into())));
    snap("review_error_en", &a, 80, 24);
    snap("review_en_120x40", &a, 120, 40);
}

#[test]
fn receipt_screens() {
    snap("receipt_th", &receipt(Lang::Th), 80, 24);
    snap("receipt_en", &receipt(Lang::En), 80, 24);
    snap("receipt_th_120x40", &receipt(Lang::Th), 120, 40);
}

#[test]
fn queue_screens() {
    for (lang, name) in [(Lang::Th, "queue_th"), (Lang::En, "queue_en")] {
        let mut a = on_form(lang);
        online(&mut a);
        press(&mut a, KeyCode::F(4));
        let r = rows(&a);
        update(&mut a, Msg::Listed(Ok(r)));
        press(&mut a, KeyCode::Down);
        snap(name, &a, 80, 24);
    }
}

#[test]
fn help_screens() {
    for (lang, name) in [(Lang::Th, "help_th"), (Lang::En, "help_en")] {
        let mut a = on_form(lang);
        press(&mut a, KeyCode::F(1));
        snap(name, &a, 80, 24);
    }
}

#[test]
fn confirm_dialog() {
    let mut a = filled(Lang::Th);
    press(&mut a, KeyCode::F(10));
    snap("confirm_quit_th", &a, 80, 24);
}

#[test]
fn a_small_window_asks_to_be_made_larger() {
    let a = filled(Lang::Th);
    snap("too_small", &a, 60, 20);
    let big = screen_text(&render(&a, 80, 24));
    assert!(big.contains("สมชาย"), "resizing back shows the same input");
}

#[test]
fn no_color_keeps_the_layout() {
    let mut a = filled(Lang::En);
    let coloured = screen_text(&render(&a, 80, 24));
    a.view.no_color = true;
    let t = render(&a, 80, 24);
    assert_eq!(screen_text(&t), coloured);
    let buf = t.backend().buffer();
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset),
        "NO_COLOR draws no colour"
    );
}

/// The text without blanks or box lines: wrapped text reads as one run.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect()
}

/// Nothing a clerk needs is cut at 80×24 (issue 28, item 7): on every screen and dialog, in
/// both languages, what a line cuts with `…` is said whole on another line (the review's long
/// group under its fields, a queue row's state in the selected record's detail); only the
/// header's campaign name, which the start screen says whole, is left cut.
#[test]
fn no_screen_is_cut_at_80x24_in_either_language() {
    for lang in [Lang::Th, Lang::En] {
        let mut screens: Vec<(&str, App)> = Vec::new();
        let mut start = on_form(lang);
        press(&mut start, KeyCode::Esc);
        start.shift = ruamjai::kiosk::tui::ShiftView::new(true, false);
        screens.push(("start, PIN asked", start));
        let mut first = ruamjai::kiosk::tui::App::clone(&on_form(lang));
        first.screen = ruamjai::kiosk::tui::app::Screen::Start;
        first.shift = ruamjai::kiosk::tui::ShiftView::new(false, false);
        screens.push(("first start", first));
        screens.push(("form", filled(lang)));
        let mut review = filled(lang);
        press(&mut review, KeyCode::F(9));
        screens.push(("review", review));
        // The longest group's name (and its detail) on the review and the receipt.
        let mut long = filled(lang);
        long.form
            .focus_on(ruamjai::core::form::FieldKey::TargetGroup);
        press(&mut long, KeyCode::Char('7'));
        press(&mut long, KeyCode::Tab);
        typ(&mut long, "สภากาชาดไทย");
        press(&mut long, KeyCode::F(9));
        assert_eq!(
            long.screen,
            ruamjai::kiosk::tui::app::Screen::Review,
            "{:?}",
            long.hint
        );
        screens.push(("review, group 7", long.clone()));
        let fx = press(&mut long, KeyCode::Enter);
        update(&mut long, saved(&fx, Uuid::nil(), "SK01-0001-Y"));
        screens.push(("receipt, group 7", long));
        screens.push(("receipt", receipt(lang)));
        let mut queue = on_form(lang);
        online(&mut queue);
        press(&mut queue, KeyCode::F(4));
        let r = rows(&queue);
        update(&mut queue, Msg::Listed(Ok(r)));
        screens.push(("queue", queue.clone()));
        for i in 0..queue.queue.rows.len() {
            let mut selected = queue.clone();
            selected.queue.selected = i;
            screens.push(("queue, a record selected", selected));
        }
        let mut cancel = queue.clone();
        press(&mut cancel, KeyCode::Delete);
        screens.push(("cancel asked", cancel));
        let mut help = filled(lang);
        press(&mut help, KeyCode::F(1));
        let text = screen_text(&render(&help, 80, 24));
        let last = lang.pick("ไม่ต้องรอเครือข่าย", "when the link is up");
        assert!(squeezed(&text).contains(&squeezed(last)), "{text}");
        screens.push(("help", help));
        let mut quit = filled(lang);
        press(&mut quit, KeyCode::F(10));
        screens.push(("quit asked", quit));
        let mut quit_queue = queue;
        press(&mut quit_queue, KeyCode::F(10));
        screens.push(("quit asked on the queue", quit_queue));
        for (what, a) in screens {
            let text = screen_text(&render(&a, 80, 24));
            // The queue's list cuts a long state to its column; the selected record's detail
            // under the list says it whole (checked below).
            let list_row = |l: &str| l.starts_with("│ SK01-");
            for line in text.lines().skip(1).filter(|l| !list_row(l)) {
                // A value cut in its column is said whole on a line of its own.
                let Some((before, _)) = line.split_once('…') else {
                    continue;
                };
                let part = before.rsplit("  ").next().unwrap_or(before).trim();
                assert!(
                    !part.is_empty() && text.lines().any(|l| !l.contains('…') && l.contains(part)),
                    "{lang:?} {what}: {line}\n{text}"
                );
            }
        }
    }
}

/// The receipt's QR code as the modules it holds, two to a text row: dark modules are ink.
fn qr_rows(text: &str) -> Vec<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let dark = |x: usize, y: usize| y < n && colors[y * n + x] == qrcode::Color::Dark;
    (0..n)
        .step_by(2)
        .map(|y| {
            (0..n)
                .map(|x| match (dark(x, y), dark(x, y + 1)) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect()
        })
        .collect()
}

/// Under `NO_COLOR` the receipt's QR code has its dark modules dark (the terminal's ink), as in
/// colour (issue 28, item 9): every row of the code is on screen as drawn.
#[test]
fn the_receipt_qr_code_is_not_inverted_without_colour() {
    for no_color in [false, true] {
        let mut a = receipt(Lang::Th);
        a.view.no_color = no_color;
        let text = screen_text(&render(&a, 80, 24));
        let reference = a.receipt.as_ref().unwrap().reference.clone();
        for row in qr_rows(&reference) {
            assert!(
                text.contains(&row),
                "NO_COLOR {no_color}: {row:?} not on\n{text}"
            );
        }
    }
}
