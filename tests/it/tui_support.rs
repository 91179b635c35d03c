//! Helpers for the kiosk-screen tests: an app on the built-in campaign with a fixed "today",
//! keys and typing as messages, a registration filled in by keys, and a buffer as text.

#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::{App, Effect, Msg, update};
use unicode_width::UnicodeWidthStr;

/// A valid Thai ID (THAI.md §6).
pub const ID: &str = "1112034563562";

/// A kiosk at the start of a shift, today 25/11/2569.
pub fn app(lang: Lang) -> App {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("built-in campaign");
    let today = ThaiDate {
        day: Some(25),
        month: Some(11),
        year_be: 2569,
    };
    let mut app = App::new(campaign, "SK01", "รพ.สต.คลองมะเดื่อ", lang, today);
    app.view.utc_offset_secs = 7 * 3600;
    app
}

/// The queue's answer to the save among `fx`: saved as `id` with `reference`.
pub fn saved(fx: &[Effect], id: uuid::Uuid, reference: &str) -> Msg {
    let save = fx
        .iter()
        .find_map(|e| match e {
            Effect::Enqueue(save) => Some(save.as_ref().clone()),
            _ => None,
        })
        .expect("an Enqueue effect");
    Msg::Enqueued(Ok(save.saved(id, reference.to_owned())))
}

/// Sends one key.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Msg::Key(KeyEvent::from(code)))
}

/// Sends Ctrl+`c`.
pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

/// Types `s` key by key; returns every effect.
pub fn typ(app: &mut App, s: &str) -> Vec<Effect> {
    s.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

/// An app past the start screen, operator "สมใจ".
pub fn on_form(lang: Lang) -> App {
    let mut a = app(lang);
    typ(&mut a, "สมใจ");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Form);
    a
}

/// Fills every field of a valid group-3 registration by keys, ending on the last field.
/// Returns the effects (the duplicate lookup among them).
pub fn fill(app: &mut App) -> Vec<Effect> {
    let mut fx = Vec::new();
    let tab = |app: &mut App, fx: &mut Vec<Effect>| fx.extend(press(app, KeyCode::Tab));
    tab(app, &mut fx); // ID type: Thai ID card is preselected
    fx.extend(typ(app, ID));
    tab(app, &mut fx);
    typ(app, "1"); // นาย
    tab(app, &mut fx);
    typ(app, "สมชาย");
    tab(app, &mut fx);
    typ(app, "ใจดี");
    tab(app, &mut fx);
    typ(app, "05072490");
    tab(app, &mut fx);
    typ(app, "1"); // male
    tab(app, &mut fx);
    typ(app, "0812345678");
    tab(app, &mut fx);
    typ(app, "12/3");
    tab(app, &mut fx);
    typ(app, "4");
    tab(app, &mut fx); // soi
    tab(app, &mut fx); // road
    tab(app, &mut fx);
    typ(app, "คลองมะเ");
    assert!(app.form.popup.is_some(), "the tambon popup opens");
    // Picks, fills amphoe/province/postcode, and goes on to the next empty field: the group.
    press(app, KeyCode::Enter);
    typ(app, "3"); // aged 70+
    tab(app, &mut fx); // group 3 has no detail: on to consent
    typ(app, "1"); // consent yes
    tab(app, &mut fx);
    fx
}

/// The buffer as text, one line per row, wide clusters counted once.
pub fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            line.push_str(s);
            skip = s.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Draws `app` on a `w`×`h` test terminal.
pub fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| ruamjai::kiosk::tui::ui::draw(f, app))
        .expect("draw");
    t
}

/// A key as crossterm delivers it to the event loop.
pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::from(code))
}

/// Text typed, one key event a character.
pub fn text(s: &str) -> Vec<Event> {
    s.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// The clerk's key events from the start of the shift to the save: the operator's name, then a
/// group-3 registration (as [`fill`] types it), reviewed and saved. For the real event loop.
pub fn register_events() -> Vec<Event> {
    let tab = || vec![key(KeyCode::Tab)];
    let mut keys = text("สมใจ");
    keys.push(key(KeyCode::Enter));
    for part in [
        tab(),
        text(ID),
        tab(),
        text("1"),
        tab(),
        text("สมชาย"),
        tab(),
        text("ใจดี"),
        tab(),
        text("05072490"),
        tab(),
        text("1"),
        tab(),
        text("0812345678"),
        tab(),
        text("12/3"),
        tab(),
        text("4"),
        tab(),
        tab(),
        tab(),
        text("คลองมะเ"),
        // The pick fills the address and goes on to the group.
        vec![key(KeyCode::Enter)],
        text("3"),
        tab(),
        text("1"),
        tab(),
        vec![key(KeyCode::F(9)), key(KeyCode::F(9))],
    ] {
        keys.extend(part);
    }
    keys
}
