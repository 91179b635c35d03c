//! The shift's PIN on the start screen (issue 18). The queue keeps every record's on-screen copy
//! sealed to the shift's key, which only the counter's PIN unwraps: the start screen asks for it
//! after the operator's name, the event loop opens the shift with it ([`Effect::OpenShift`]), and
//! going back to the start screen closes the shift again ([`Effect::CloseShift`]), so a kiosk
//! left at its start screen shows nobody's name.
//!
//! Enter on an empty PIN starts the shift without it: registrations are taken and sent as ever,
//! and the queue screen shows references and states only (a clerk who forgot the PIN keeps the
//! counter open). With no PIN set on the kiosk (`ruamjai pin set`), the start screen says so and
//! asks for none. The PIN is typed as the keys send it (never through the Thai layout, as
//! `ruamjai pin set` reads it) and drawn as asterisks.

use crossterm::event::{KeyCode, KeyEvent};

use super::fields::{Edit, edit_text};
use super::{App, Effect, Hint, Screen};
use crate::queue::{Pin, PinError};
use crate::thai::edit::TextField;

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
    /// The cursor is in the PIN field (else in the operator's name).
    pub on_pin: bool,
}

impl ShiftView {
    /// The shift as the queue has it at start.
    #[must_use]
    pub fn new(pin_set: bool, open: bool) -> Self {
        Self {
            pin_set,
            open,
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
    match k.code {
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
            app.shift.on_pin = !app.shift.on_pin;
            Some(Vec::new())
        }
        KeyCode::Enter if app.operator_name().is_empty() => {
            app.shift.on_pin = false;
            app.hint = Some(Hint::NeedOperator);
            Some(Vec::new())
        }
        KeyCode::Enter if !app.shift.on_pin => {
            app.shift.on_pin = true;
            app.hint = None;
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
        _ if app.shift.on_pin => {
            match edit_text(&mut app.shift.pin, k, false, MAX_PIN_CHARS) {
                Edit::Rejected(r) => app.hint = Some(Hint::Rejected(r)),
                Edit::Changed => app.hint = None,
                _ => {}
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

/// The queue's answer to [`Effect::OpenShift`].
pub(super) fn opened(app: &mut App, result: Result<(), PinError>) {
    match result {
        Ok(()) => {
            app.shift.open = true;
            app.shift.on_pin = false;
            app.hint = None;
            if app.screen == Screen::Start {
                app.screen = Screen::Form;
            }
        }
        Err(e) => {
            app.shift.on_pin = true;
            app.hint = Some(Hint::Pin(e));
        }
    }
}

/// Back at the start screen: the shift closes (the next one opens with the PIN again).
pub(super) fn close(app: &mut App) -> Vec<Effect> {
    app.shift.pin.clear();
    app.shift.on_pin = false;
    if app.shift.open && app.shift.pin_set {
        app.shift.open = false;
        return vec![Effect::CloseShift];
    }
    Vec::new()
}
