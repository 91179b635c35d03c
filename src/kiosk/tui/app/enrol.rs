//! The enrolment code on the first start screen (issue 31): a kiosk with no hub yet offers a
//! field for the one code `ruamjai hub enrol` printed, typed or scanned with a keyboard-wedge
//! scanner (which types the code and Enter). The field is first on the screen (Up from the
//! operator's name reaches it); the cursor starts on the name, as on every kiosk, and a code
//! scanned or typed there is taken as the code when Enter ends it, so the clerk need not move to
//! the field before scanning. A counter may work before it is enrolled: what it saves goes once
//! it is.
//!
//! The code is taken as the keys typed it, like the PIN: a scanner or a clerk with the operating
//! system's Thai layout on types `พ` for `r`, `ๅ` for `1`; every character goes back through
//! Kedmanee to the key that typed it (`thai::kedmanee::keys_of`), so the code arrives whole
//! whatever the layout. Its check is verified here, with no network: a mistyped code is said at
//! once and stays on screen. A whole code becomes [`Effect::Enrol`]; the event loop asks the hub
//! and answers with [`Msg::Enrolled`](super::Msg::Enrolled): the kiosk's name and place, or
//! what went wrong ([`EnrolProblem`]), with the code kept to try again.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fields::{Edit, edit_text};
use super::{App, Effect, Hint, StartFocus};
use crate::core::enrolment::{CODE_PREFIX, EnrolCode, EnrolProblem};
use crate::core::thai::edit::TextField;
use crate::core::thai::input_check::CheckMode;
use crate::core::thai::kedmanee;

/// The longest code the field takes (a code with three addresses and a certificate pin is
/// about 250 characters).
const MAX_CODE_CHARS: usize = 600;

/// The enrolment field of a kiosk with no hub.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnrolView {
    /// The code as typed (after Kedmanee back to the keys).
    pub code: TextField,
    /// The hub is being asked: keys wait.
    pub busy: bool,
    /// What was typed into the operator's name since its last Enter, key by key as received:
    /// a code scanned there is recognised from it (the name field itself may have refused some
    /// of the code's characters as Thai that cannot be written).
    pub typed: String,
    /// A Thai character was typed into it: the operating system's Thai layout is on, so a `-`
    /// is the `3` key (the code's own `-` is typed only on an English layout).
    pub thai_layout: bool,
}

/// Who the kiosk is now, as the hub enrolled it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolledAs {
    pub kiosk_id: String,
    pub point: String,
    /// The hub's host, as the clerk is told it.
    pub host: String,
}

/// A key on the start screen of a kiosk that offers enrolment; `None` leaves it to the rest of
/// the start screen.
pub(super) fn key(app: &mut App, k: &KeyEvent) -> Option<Vec<Effect>> {
    let enrol = app.enrol.as_mut()?;
    if app.shift.focus == StartFocus::Name {
        return on_name(app, k);
    }
    if app.shift.focus != StartFocus::Code {
        return None;
    }
    if enrol.busy {
        return Some(Vec::new());
    }
    match k.code {
        KeyCode::Tab | KeyCode::Down => app.shift.focus = StartFocus::Name,
        KeyCode::Enter if enrol.code.text().trim().is_empty() => {
            app.shift.focus = StartFocus::Name;
            app.hint = None;
        }
        KeyCode::Enter => return Some(submit(app)),
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            enrol.thai_layout |= !c.is_ascii();
            let Some(key) = code_char(c, enrol.thai_layout) else {
                return Some(Vec::new());
            };
            let typed = KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE);
            if edit_text(&mut enrol.code, &typed, false, MAX_CODE_CHARS) == Edit::Changed {
                app.hint = None;
            }
        }
        _ => {
            if edit_text(&mut enrol.code, k, false, MAX_CODE_CHARS) == Edit::Changed {
                app.hint = None;
            }
        }
    }
    Some(Vec::new())
}

/// A key on the operator's name: recorded as typed, so that a code scanned there is recognised
/// at its Enter; the name field gets the key as ever (`None`), except that Enter ending a code
/// takes the code to its own field and asks the hub.
fn on_name(app: &mut App, k: &KeyEvent) -> Option<Vec<Effect>> {
    let enrol = app.enrol.as_mut()?;
    match k.code {
        KeyCode::Up | KeyCode::BackTab => {
            app.shift.focus = StartFocus::Code;
            return Some(Vec::new());
        }
        KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => enrol.typed.clear(),
        KeyCode::Char(c)
            if !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            enrol.typed.push(c);
        }
        KeyCode::Backspace => {
            enrol.typed.pop();
        }
        KeyCode::Enter => {
            let typed = std::mem::take(&mut enrol.typed);
            let thai = !typed.is_ascii();
            let keys: String = typed.chars().filter_map(|c| code_char(c, thai)).collect();
            let looks_like_code = keys
                .get(..CODE_PREFIX.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(CODE_PREFIX));
            if !looks_like_code {
                return None;
            }
            app.operator.clear();
            enrol.code.set_text(&keys);
            enrol.thai_layout = thai;
            app.shift.focus = StartFocus::Code;
            return Some(submit(app));
        }
        _ => {}
    }
    None
}

/// Enter on a code: its check verified here; a whole code goes to the hub.
fn submit(app: &mut App) -> Vec<Effect> {
    let Some(enrol) = app.enrol.as_mut() else {
        return Vec::new();
    };
    let text = enrol.code.text().to_owned();
    if let Err(e) = EnrolCode::decode(&text) {
        app.hint = Some(Hint::Enrol(EnrolProblem::from(&e)));
        return Vec::new();
    }
    enrol.busy = true;
    app.hint = Some(Hint::Enrolling);
    vec![Effect::Enrol(text)]
}

/// A pasted code (what a chat or a file held), each character back to its key.
pub(super) fn paste(enrol: &mut EnrolView, s: &str) {
    enrol.thai_layout |= !s.is_ascii();
    let keys: String = s
        .chars()
        .filter_map(|c| code_char(c, enrol.thai_layout))
        .collect();
    enrol.code.insert_str(&keys, CheckMode::Basic);
}

/// The key that typed `c` when it can be part of a code (a letter, a digit, `.` or `-`); `None`
/// for anything else. A Thai character, and the signs no code holds (`/`, `"`, `(`…, which the
/// Thai layout types on the keys of digits and letters), go back to their key on Kedmanee; `-`
/// too when the Thai layout is on (`thai`).
fn code_char(c: char, thai: bool) -> Option<char> {
    let key = match c {
        '-' if thai => '3',
        '-' | '.' => c,
        c if c.is_ascii_alphanumeric() => c,
        c => kedmanee::to_key(c)?,
    };
    (key.is_ascii_alphanumeric() || matches!(key, '.' | '-')).then_some(key)
}

/// The event loop's answer to [`Effect::Enrol`].
pub(super) fn enrolled(app: &mut App, result: Result<EnrolledAs, EnrolProblem>) {
    match result {
        Ok(who) => {
            app.kiosk_id.clone_from(&who.kiosk_id);
            if !who.point.is_empty() {
                app.point_name.clone_from(&who.point);
            }
            app.enrol = None;
            app.shift.focus = StartFocus::Name;
            app.hint = Some(Hint::Enrolled(who));
        }
        Err(problem) => {
            if let Some(e) = app.enrol.as_mut() {
                e.busy = false;
            }
            app.hint = Some(Hint::Enrol(problem));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::code_char;
    use crate::core::thai::kedmanee;

    #[test]
    fn a_code_typed_with_the_thai_layout_on_comes_back_as_its_keys() {
        let code = "RJ1.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567rj";
        let under_thai: String = code
            .chars()
            .map(|c| kedmanee::to_thai(c).unwrap())
            .collect();
        assert!(under_thai.contains('-') && under_thai.contains('/'));
        let back: String = under_thai
            .chars()
            .filter_map(|c| code_char(c, true))
            .collect();
        assert_eq!(back, code);
        // On an English layout the code's own separators stay.
        let typed = "RJ1.ABCD-EF23";
        let kept: String = typed.chars().filter_map(|c| code_char(c, false)).collect();
        assert_eq!(kept, typed);
        // What no code holds is left out.
        assert_eq!(code_char(' ', false), None);
        assert_eq!(code_char('ก', true), Some('d'));
    }
}
