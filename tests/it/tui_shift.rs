//! The counter's PIN on the start screen (issue 18): the state machine asks for it after the
//! operator's name, draws it as asterisks, hands it to the queue and says why it was refused; the
//! real event loop on a real queue file opens the shift with it (the queue screen then shows
//! names) and closes it again at the start screen.

use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::thai::{Bilingual, Lang};
use ruamjai::kiosk::queue::{NewRecord, Pin, PinError};
use ruamjai::kiosk::sync::{Link, SyncStatus};
use ruamjai::kiosk::tui::app::{Hint, Screen, StartFocus};
use ruamjai::kiosk::tui::{App, Effect, Msg, ShiftView, update};

use crate::support::TEST_PIN;
use crate::tui_support::{app, press, render, screen_text, typ};

/// A kiosk whose counter has a PIN, at the start of a shift.
fn locked(lang: Lang) -> App {
    let mut a = app(lang);
    a.shift = ShiftView::new(true, false);
    a
}

#[test]
fn the_start_screen_asks_for_the_pin_and_opens_the_shift_with_it() {
    let mut a = locked(Lang::En);
    typ(&mut a, "สมใจ");
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.screen, Screen::Start, "Enter on the name goes to the PIN");
    assert_eq!(a.shift.focus, StartFocus::Pin);
    // Typed as the keys send it, also with the Thai layout on (as `ruamjai pin set` reads it).
    press(&mut a, KeyCode::F(3));
    typ(&mut a, "2468");
    assert_eq!(a.shift.pin.text(), "2468");
    let seen = screen_text(&render(&a, 100, 30));
    assert!(seen.contains("PIN: ****"), "{seen}");
    assert!(!seen.contains("2468"), "the PIN is never drawn:\n{seen}");
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        vec![Effect::OpenShift(Pin::new("2468"))]
    );
    assert_eq!(a.shift.pin.text(), "", "the typed PIN is not kept");
    assert_eq!(format!("{:?}", Pin::new("2468")), "Pin(***)");

    // Refused: the clerk stays, the name stays, the reason is said in the clerk's language.
    update(
        &mut a,
        Msg::ShiftOpened(Err(PinError::Wrong { tries_left: 2 })),
    );
    assert_eq!(a.screen, Screen::Start);
    assert_eq!(a.operator_name(), "สมใจ");
    assert_eq!(
        a.hint.as_ref().map(|h| h.say(Lang::En)).as_deref(),
        Some("Wrong PIN: 2 more tries before each try has to wait")
    );
    assert!(
        a.hint
            .as_ref()
            .unwrap()
            .say(Lang::Th)
            .contains("PIN ไม่ถูกต้อง")
    );
    update(&mut a, Msg::ShiftOpened(Err(PinError::Wait { secs: 30 })));
    assert_eq!(
        a.hint.as_ref().map(|h| h.say(Lang::En)).as_deref(),
        Some("Too many wrong PINs: try again in 30 s")
    );

    typ(&mut a, "1357");
    press(&mut a, KeyCode::Enter);
    update(&mut a, Msg::ShiftOpened(Ok(())));
    assert_eq!(a.screen, Screen::Form);
    assert!(a.shift.open);
    assert_eq!(a.hint, None);

    // Back at the start screen the shift closes, and the next one asks again.
    assert_eq!(press(&mut a, KeyCode::Esc), vec![Effect::CloseShift]);
    assert_eq!(a.screen, Screen::Start);
    assert!(!a.shift.open && a.shift.asks_pin());
}

#[test]
fn an_empty_pin_starts_the_shift_without_names_and_no_pin_set_asks_none() {
    let mut a = locked(Lang::Th);
    // Without a name, the PIN is not asked for yet.
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.hint, Some(Hint::NeedOperator));
    assert_eq!(a.shift.focus, StartFocus::Name);
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.screen, Screen::Form);
    assert_eq!(a.hint, Some(Hint::WithoutPin));
    assert!(!a.shift.open);
    // Nothing to close.
    assert!(press(&mut a, KeyCode::Esc).is_empty());

    // A kiosk without a PIN says so on the start screen and starts on Enter.
    let mut b = app(Lang::En);
    let seen = screen_text(&render(&b, 100, 30));
    assert!(seen.contains("No PIN set"), "{seen}");
    typ(&mut b, "Somjai");
    assert!(press(&mut b, KeyCode::Enter).is_empty());
    assert_eq!(b.screen, Screen::Form);
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::from(code))
}

fn text(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// Runs the real event loop on `queue` with `keys`, then quits; the screen it left.
async fn run(
    app: &mut App,
    queue: &mut ruamjai::kiosk::queue::Queue,
    mut keys: Vec<Event>,
) -> String {
    // Quitting asks while a shift is going on: only Y quits.
    keys.extend([key(KeyCode::F(10)), key(KeyCode::Char('y'))]);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let (_tx, status) = tokio::sync::watch::channel(SyncStatus {
        link: Link::NoHub,
        ..SyncStatus::default()
    });
    let events = futures_util::stream::iter(keys.into_iter().map(std::io::Result::Ok));
    tokio::time::timeout(
        std::time::Duration::from_secs(20),
        ruamjai::kiosk::tui::run::event_loop(
            &mut terminal,
            app,
            events,
            ruamjai::kiosk::tui::run::Background {
                status,
                cards: tokio::sync::mpsc::unbounded_channel().1,
                printer: None,
                enroller: None,
            },
            queue,
            &|| {},
            std::future::pending(),
        ),
    )
    .await
    .expect("the loop ends when the clerk quits")
    .unwrap();
    crate::tui_support::screen_text(&terminal)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_loop_opens_the_shift_with_the_pin_and_closes_it_at_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let mut queue = crate::support::open_queue(&path, "SK01").unwrap();
    let campaign = crate::hub::campaign();
    let person = crate::support::registration(&campaign, 7);
    queue
        .enqueue(
            &NewRecord::from_registration(&person, "op", None),
            ruamjai::kiosk::queue::now_ms(),
        )
        .unwrap();
    // The kiosk starts with the shift closed, as without `RUAMJAI_PIN`.
    queue.close_shift();
    let mut a = app(Lang::En);
    a.shift = ShiftView::new(queue.pin_set(), queue.shift_open());

    // A wrong PIN: refused by the queue, said on the start screen; the queue screen shows the
    // record's reference but not its name.
    let mut keys = text("Somjai");
    keys.push(key(KeyCode::Enter));
    keys.extend(text("0000"));
    keys.push(key(KeyCode::Enter));
    let seen = run(&mut a, &mut queue, keys).await;
    assert!(!queue.shift_open());
    assert!(
        seen.contains("Wrong PIN: 2 more tries"),
        "said on the start screen:\n{seen}"
    );
    a.quit = false;
    let seen = run(&mut a, &mut queue, vec![key(KeyCode::F(4))]).await;
    assert!(seen.contains("SK01-"), "{seen}");
    assert!(!seen.contains(&person.first_name), "{seen}");

    // The right one: the shift opens in the queue, and the queue screen shows the name.
    let mut a = app(Lang::En);
    a.shift = ShiftView::new(queue.pin_set(), queue.shift_open());
    let mut keys = text("Somjai");
    keys.push(key(KeyCode::Enter));
    keys.extend(text(TEST_PIN));
    keys.extend([key(KeyCode::Enter), key(KeyCode::F(4))]);
    let seen = run(&mut a, &mut queue, keys).await;
    assert!(queue.shift_open());
    assert_eq!(a.hint, None);
    assert!(seen.contains(&person.first_name), "{seen}");

    // Back at the start screen: closed again.
    a.quit = false;
    let seen = run(
        &mut a,
        &mut queue,
        vec![key(KeyCode::F(4)), key(KeyCode::Esc)],
    )
    .await;
    assert_eq!(a.screen, Screen::Start, "{seen}");
    assert!(!queue.shift_open());
}

/// Too many wrong PINs: the wait counts down on the message line, also while the next PIN is
/// typed, and then says the PIN may be tried again (issue 28, item 8).
#[test]
fn the_wrong_pin_wait_counts_down() {
    let mut a = locked(Lang::En);
    typ(&mut a, "Somjai");
    press(&mut a, KeyCode::Enter);
    assert!(!a.wants_tick(), "an idle kiosk does not wake up");
    update(&mut a, Msg::ShiftOpened(Err(PinError::Wait { secs: 30 })));
    assert!(a.wants_tick());
    update(&mut a, Msg::Tick(1_000));
    let said = |a: &App| a.hint.as_ref().map(|h| h.say(Lang::En)).unwrap_or_default();
    assert_eq!(said(&a), "Too many wrong PINs: try again in 30 s");
    update(&mut a, Msg::Tick(11_000));
    assert_eq!(said(&a), "Too many wrong PINs: try again in 20 s");
    typ(&mut a, "13");
    update(&mut a, Msg::Tick(12_500));
    assert_eq!(said(&a), "Too many wrong PINs: try again in 19 s");
    update(&mut a, Msg::Tick(31_000));
    assert_eq!(said(&a), "You may try the PIN again now");
    assert!(!a.wants_tick());
}

/// The same in the real binary: tmux shows the seconds going down.
#[test]
fn the_wrong_pin_wait_counts_down_in_a_terminal() {
    let Some(t) = crate::tui_tmux::Tmux::start_env(
        None,
        &[crate::support::NO_CARD_READER, ("RUAMJAI_PIN", "")],
    ) else {
        return;
    };
    t.wait_for("F10/^Q");
    t.send("Somjai\r240913\r240913\r");
    t.wait_for("F9/^R");
    // Back to the start: the shift closes; three wrong PINs.
    t.keys(&["Escape"]);
    t.wait_for("รหัส PIN ของจุดบริการ");
    t.send("\r");
    for _ in 0..3 {
        t.send("000000\r");
    }
    t.wait_for("ลองใหม่ได้ในอีก");
    let seconds = |t: &crate::tui_tmux::Tmux| -> u64 {
        let screen = t.screen();
        let tail = screen.split("ลองใหม่ได้ในอีก ").nth(1).unwrap_or_default();
        tail.split_whitespace()
            .next()
            .unwrap_or_default()
            .parse()
            .unwrap_or(0)
    };
    let first = seconds(&t);
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    let later = seconds(&t);
    assert!(
        first > 0 && later < first,
        "{first} then {later}:\n{}",
        t.screen()
    );
}
