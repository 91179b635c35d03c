//! Today's vaccine lot and dose number (F6 or Ctrl-K on the check-in screen): a small dialog of
//! two fields, filled with today's setting (dose 1 when none). Enter on the dose number saves it
//! ([`CheckinEffect::SetLot`]). A dose refused for want of a lot opens it too, and the dose is
//! recorded once the lot is saved (`then_record`). The lot is taken as its keys, like the scan
//! line: a lot typed with the system's Thai layout on arrives whole.

use crossterm::event::{KeyCode, KeyEvent};

use super::CheckinEffect;
use crate::core::thai::edit::TextField;
use crate::core::thai::input_check::CheckMode;
use crate::core::thai::kedmanee;
use crate::kiosk::tui::app::fields::edit_text;
use crate::kiosk::tui::app::keys::typed_char;
use crate::kiosk::tui::app::{App, Effect, Hint};
use crate::kiosk::tui::words::checkin as words;

/// The longest lot the field takes.
const MAX_LOT_CHARS: usize = 24;

/// The lot dialog's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LotForm {
    pub lot: TextField,
    pub dose_number: TextField,
    /// The cursor is on the dose number (else on the lot).
    pub on_dose: bool,
    /// Opened because a dose was refused for want of a lot: record it once the lot is saved.
    pub then_record: bool,
    /// A Thai character was typed: the system's Thai layout is on (`-` is the `3` key).
    pub thai: bool,
}

/// Opens the dialog with today's setting.
pub(super) fn open(app: &mut App, then_record: bool) {
    let Some(view) = app.checkin.as_mut() else {
        return;
    };
    let (lot, dose) = view
        .status
        .setting
        .as_ref()
        .map_or((String::new(), 1), |s| (s.lot.clone(), s.dose_number));
    view.lot = Some(LotForm {
        lot: TextField::with_text(&lot),
        dose_number: TextField::with_text(&dose.to_string()),
        on_dose: false,
        then_record,
        thai: false,
    });
    app.hint = then_record.then_some(Hint::Checkin(words::SET_LOT_FIRST));
}

/// A key while the dialog is open.
pub(super) fn key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let Some(form) = app.checkin.as_mut().and_then(|v| v.lot.as_mut()) else {
        return Vec::new();
    };
    match k.code {
        KeyCode::Esc => {
            if let Some(v) = app.checkin.as_mut() {
                v.lot = None;
            }
            app.hint = None;
        }
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
            form.on_dose = !form.on_dose;
        }
        KeyCode::Enter if !form.on_dose => form.on_dose = true,
        KeyCode::Enter => {
            let lot = form.lot.text().trim().to_owned();
            let dose_number = form.dose_number.text().parse::<u8>().ok();
            match dose_number.filter(|n| (1..=9).contains(n)) {
                _ if lot.is_empty() => {
                    form.on_dose = false;
                    app.hint = Some(Hint::Checkin(words::LOT_EMPTY));
                }
                None => app.hint = Some(Hint::Checkin(words::DOSE_RANGE)),
                Some(dose_number) => {
                    return vec![Effect::Checkin(CheckinEffect::SetLot { lot, dose_number })];
                }
            }
        }
        _ => {
            if typed_char(k).is_some_and(|c| !c.is_ascii()) {
                form.thai = true;
            }
            let thai = form.thai;
            let field = if form.on_dose {
                &mut form.dose_number
            } else {
                &mut form.lot
            };
            match typed_char(k) {
                Some(c) => {
                    let key = if form.on_dose {
                        super::code_digit(c)
                    } else {
                        lot_char(c, thai)
                    };
                    let max = if form.on_dose { 1 } else { MAX_LOT_CHARS };
                    if let Some(key) = key {
                        if form.on_dose {
                            field.clear();
                        }
                        if field.text().chars().count() < max {
                            field.insert_char(key, CheckMode::Off).ok();
                        }
                    }
                }
                None => {
                    edit_text(field, k, false, MAX_LOT_CHARS);
                }
            }
            if matches!(app.hint, Some(Hint::Checkin(p)) if p != words::SET_LOT_FIRST) {
                app.hint = None;
            }
            return Vec::new();
        }
    }
    Vec::new()
}

/// The key that typed `c` in a lot (letters, digits, `-`), in capitals, whatever the layout:
/// with the Thai layout on (`thai`), `-` and `/` are the keys `3` and `2`.
fn lot_char(c: char, thai: bool) -> Option<char> {
    let key = match c {
        c if c.is_ascii_alphanumeric() => c,
        '-' if !thai => c,
        c => kedmanee::to_key(c)?,
    };
    (key.is_ascii_alphanumeric() || key == '-').then(|| key.to_ascii_uppercase())
}
