//! The kiosk's key map: which keys do the same thing everywhere (function keys and their Ctrl
//! alternatives, for terminals and SSH clients that eat function keys). Ctrl-H is Backspace on
//! many terminals, so help is Ctrl-G. What the help screen says of them is in
//! `tui::words::help`.
//!
//! | key            | alternative | does                                   |
//! |----------------|-------------|----------------------------------------|
//! | F1             | Ctrl-G      | help                                   |
//! | F2             | Ctrl-L      | language th / en                       |
//! | F3 or `        | Ctrl-T      | keyboard layout TH (Kedmanee) / EN      |
//! | F4             | Ctrl-O      | queue screen                           |
//! | F5             |             | redraw the whole screen                |
//! | F9             | Ctrl-R      | review / save                          |
//! | F10            | Ctrl-Q      | quit                                   |

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// What a key means before any screen looks at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    Help,
    Language,
    Layout,
    Queue,
    /// Draw the whole screen again (after something else wrote on the terminal).
    Redraw,
    Review,
    Quit,
}

/// The global meaning of `key`, if it has one.
#[must_use]
pub fn global(key: &KeyEvent) -> Option<Global> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::F(1) => Some(Global::Help),
        KeyCode::F(2) => Some(Global::Language),
        KeyCode::F(3) => Some(Global::Layout),
        KeyCode::F(4) => Some(Global::Queue),
        KeyCode::F(5) => Some(Global::Redraw),
        KeyCode::F(9) => Some(Global::Review),
        KeyCode::F(10) => Some(Global::Quit),
        KeyCode::Char('`') if !ctrl => Some(Global::Layout),
        KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
            'g' => Some(Global::Help),
            'l' => Some(Global::Language),
            't' => Some(Global::Layout),
            'o' => Some(Global::Queue),
            'r' => Some(Global::Review),
            'q' | 'c' => Some(Global::Quit),
            _ => None,
        },
        _ => None,
    }
}

/// True for key releases and repeats we should not act on (Windows reports releases).
#[must_use]
pub fn is_release(key: &KeyEvent) -> bool {
    key.kind == KeyEventKind::Release
}

/// True when `key` types a character (no Ctrl or Alt held).
#[must_use]
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// True for Ctrl+`c`.
#[must_use]
pub fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}
