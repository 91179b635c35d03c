//! The shift's PIN on the start screen (issue 18). The queue keeps every record's on-screen copy
//! sealed to the shift's key, which only the counter's PIN unwraps: the start screen asks for it
//! after the operator's name, the event loop opens the shift with it ([`Effect::OpenShift`]), and
//! going back to the start screen closes the shift again ([`Effect::CloseShift`]), so a kiosk
//! left at its start screen shows nobody's name.
//!
//! Enter on an empty PIN starts the shift without it: registrations are taken and sent as ever,
//! and the queue screen shows references and states only (a clerk who forgot the PIN keeps the
//! counter open). A kiosk with no PIN yet (its first start, issue 28) asks the clerk to choose
//! one, typed twice, before anything is saved: the queue refuses one too easy to guess
//! ([`Effect::ChoosePin`], `queue::weakness`) and the reason is said with what was typed kept.
//! The PIN is typed as the keys send it (never through the Thai layout, as `ruamjai pin set`
//! reads it) and drawn as asterisks.

use crossterm::event::{KeyCode, KeyEvent};

use super::fields::{Edit, edit_text};
use super::{App, Effect, Hint, Screen};
use crate::core::thai::edit::TextField;
use crate::kiosk::queue::{Pin, PinError};

/// The longest PIN or passphrase the start screen takes.
const MAX_PIN_CHARS: usize = 64;

/// The shift's state as the start screen shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShiftView {
    /// The counter has a PIN (`ruamjai pin set`): the start screen asks for it.
    pub pin_set: bool,
    /// The shift is open: the on-screen copies can be read.
    pub open: bool,
    /// The PIN being typed.
    pub pin: TextField,
    /// Where the cursor is on the start screen.
    pub focus: StartFocus,
    /// No PIN is set yet: the start screen asks the clerk to choose one, typed twice.
    pub choosing: bool,
    /// The chosen PIN typed again.
    pub again: TextField,
    /// Too many wrong PINs: the next try is allowed at this time (Unix ms), counted down on the
    /// message line (anchored at the first [`tick`] after the queue said how long).
    pub wait_until: Option<i64>,
}

/// The start screen's fields, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartFocus {
    /// The enrolment code, on a kiosk with no hub yet (`app::enrol`).
    Code,
    /// The operator's name.
    #[default]
    Name,
    /// The PIN (the one chosen, at the first start).
    Pin,
    /// The chosen PIN typed again (first start only).
    Again,
}

impl ShiftView {
    /// The shift as the queue has it at start.
    #[must_use]
    pub fn new(pin_set: bool, open: bool) -> Self {
        Self {
            pin_set,
            open,
            choosing: !pin_set,
            ..Self::default()
        }
    }

    /// The start screen asks for the PIN.
    #[must_use]
    pub fn asks_pin(&self) -> bool {
        self.pin_set && !self.open
    }
}

/// A key on the start screen while it asks for the PIN; `None` leaves the key to the operator's
/// name.
pub(super) fn key(app: &mut App, k: &KeyEvent) -> Option<Vec<Effect>> {
    if app.shift.choosing {
        return choose_key(app, k);
    }
    match k.code {
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
            app.shift.focus = match app.shift.focus {
                StartFocus::Name => StartFocus::Pin,
                _ => StartFocus::Name,
            };
            Some(Vec::new())
        }
        KeyCode::Enter if app.operator_name().is_empty() => {
            app.shift.focus = StartFocus::Name;
            app.hint = Some(Hint::NeedOperator);
            Some(Vec::new())
        }
        KeyCode::Enter if app.shift.focus == StartFocus::Name => {
            app.shift.focus = StartFocus::Pin;
            app.hint = None;
            Some(Vec::new())
        }
        // The site's list is sealed to the shift: check-in needs the PIN.
        KeyCode::Enter if app.shift.pin.text().is_empty() && app.checkin.is_some() => {
            app.hint = Some(Hint::Checkin(crate::kiosk::tui::words::checkin::PIN_NEEDED));
            Some(Vec::new())
        }
        KeyCode::Enter if app.shift.pin.text().is_empty() => {
            app.hint = Some(Hint::WithoutPin);
            app.screen = Screen::Form;
            Some(Vec::new())
        }
        KeyCode::Enter => {
            let pin = Pin::new(app.shift.pin.text());
            app.shift.pin.clear();
            app.hint = None;
            Some(vec![Effect::OpenShift(pin)])
        }
        _ if app.shift.focus == StartFocus::Pin => {
            match edit_text(&mut app.shift.pin, k, false, MAX_PIN_CHARS) {
                Edit::Rejected(r) => app.hint = Some(Hint::Rejected(r)),
                // The countdown of a wrong-PIN wait stays while the next PIN is typed.
                Edit::Changed if app.shift.wait_until.is_none() => app.hint = None,
                _ => {}
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

/// A key on the start screen while the first PIN is chosen: name, PIN, the PIN again.
fn choose_key(app: &mut App, k: &KeyEvent) -> Option<Vec<Effect>> {
    use StartFocus::{Again, Code, Name, Pin as OnPin};
    let empty_name = app.operator_name().is_empty();
    let shift = &mut app.shift;
    let at = shift.focus;
    let go = |shift: &mut ShiftView, to: StartFocus| shift.focus = to;
    match k.code {
        KeyCode::Tab | KeyCode::Down => go(
            shift,
            match at {
                Code | Name => OnPin,
                OnPin => Again,
                Again => Name,
            },
        ),
        KeyCode::BackTab | KeyCode::Up => go(
            shift,
            match at {
                Code | Name => Again,
                OnPin => Name,
                Again => OnPin,
            },
        ),
        KeyCode::Enter if empty_name => {
            go(shift, Name);
            app.hint = Some(Hint::NeedOperator);
        }
        KeyCode::Enter if at == Name => {
            go(shift, OnPin);
            app.hint = None;
        }
        KeyCode::Enter if shift.pin.text().is_empty() => {
            go(shift, OnPin);
            app.hint = Some(Hint::ChoosePin);
        }
        KeyCode::Enter if at == OnPin => {
            go(shift, Again);
            app.hint = None;
        }
        KeyCode::Enter if shift.again.text() != shift.pin.text() => {
            shift.again.clear();
            go(shift, Again);
            app.hint = Some(Hint::PinsDiffer);
        }
        KeyCode::Enter => {
            app.hint = None;
            return Some(vec![Effect::ChoosePin(Pin::new(shift.pin.text()))]);
        }
        _ if at == Name => return None,
        _ => {
            let field = if at == OnPin {
                &mut shift.pin
            } else {
                &mut shift.again
            };
            match edit_text(field, k, false, MAX_PIN_CHARS) {
                Edit::Rejected(r) => app.hint = Some(Hint::Rejected(r)),
                Edit::Changed => app.hint = None,
                _ => {}
            }
        }
    }
    Some(Vec::new())
}

/// The queue's answer to [`Effect::OpenShift`] or [`Effect::ChoosePin`].
pub(super) fn opened(app: &mut App, result: Result<(), PinError>) {
    match result {
        Ok(()) => {
            if app.shift.choosing {
                app.shift.choosing = false;
                app.shift.pin_set = true;
                app.shift.pin.clear();
                app.shift.again.clear();
            }
            app.shift.open = true;
            app.shift.focus = StartFocus::Name;
            app.hint = None;
            if app.screen == Screen::Start {
                app.screen = app.work_screen();
            }
        }
        Err(e) => {
            // A chosen PIN refused stays as typed, the cursor on the first.
            app.shift.focus = StartFocus::Pin;
            // A wait starts its countdown at the next tick.
            app.shift.wait_until = None;
            app.hint = Some(Hint::Pin(e));
        }
    }
}

/// A second passed: a wrong-PIN wait counts down on the message line, and says when the PIN may
/// be tried again.
pub(super) fn tick(app: &mut App, now: i64) {
    if app.screen != Screen::Start {
        // Started without the PIN: the next try is at the next shift's start.
        app.shift.wait_until = None;
        return;
    }
    let until = match (app.shift.wait_until, &app.hint) {
        (Some(until), _) => until,
        (None, Some(Hint::Pin(PinError::Wait { secs }))) => {
            let until = now + i64::try_from(*secs).unwrap_or(0) * 1000;
            app.shift.wait_until = Some(until);
            until
        }
        (None, _) => return,
    };
    let left = u64::try_from(until - now).unwrap_or(0).div_ceil(1000);
    if left == 0 {
        app.shift.wait_until = None;
        app.hint = Some(Hint::PinMayTry);
    } else if app.hint.is_none() || matches!(app.hint, Some(Hint::Pin(PinError::Wait { .. }))) {
        app.hint = Some(Hint::Pin(PinError::Wait { secs: left }));
    }
}

/// Back at the start screen: the shift closes (the next one opens with the PIN again).
pub(super) fn close(app: &mut App) -> Vec<Effect> {
    app.shift.pin.clear();
    app.shift.again.clear();
    app.shift.focus = StartFocus::Name;
    if app.shift.open && app.shift.pin_set {
        app.shift.open = false;
        return vec![Effect::CloseShift];
    }
    Vec::new()
}
