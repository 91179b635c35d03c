//! The fields that take numbers: a BE date typed DD MM YYYY with `-` for an unknown day or
//! month, a 13-digit ID grouped as typed (or a passport's letters and digits), a phone number
//! grouped as typed. Thai digits count as digits; the keyboard layout does not apply.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Edit, ascii_digit, bool_edit};
use crate::core::thai::Lang;
use crate::core::thai::national_id::{ID_DIGITS, IdType, PASSPORT_MAX};
use crate::core::thai::normalize::thai_digits_to_ascii;
use crate::core::thai::phone::MAX_TYPED;
use crate::kiosk::tui::app::keys::{is_ctrl, typed_char};

/// A date typed DD MM YYYY (BE): slashes come by themselves, `-` marks an unknown day or month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateBox {
    /// Up to 8 characters: digits, and `--` for an unknown day or month.
    pub buf: String,
}

impl DateBox {
    pub(super) fn key(&mut self, key: &KeyEvent) -> Edit {
        if is_ctrl(key, 'u') {
            self.buf.clear();
            return Edit::Changed;
        }
        let len = self.buf.len();
        match (key.code, typed_char(key).and_then(ascii_digit)) {
            (_, Some(d)) if len < 8 => self.buf.push(d),
            (KeyCode::Char('-'), _) if len == 0 || len == 2 => self.buf.push_str("--"),
            (KeyCode::Char('/' | '.' | ' '), _) if len == 1 || len == 3 => {
                let last = self.buf.pop().unwrap_or('0');
                self.buf.push('0');
                self.buf.push(last);
            }
            (KeyCode::Backspace, _) if len > 0 => {
                if self.buf.pop() == Some('-') {
                    self.buf.pop();
                }
            }
            _ => return Edit::Ignored,
        }
        Edit::Changed
    }

    /// `DD/MM/YYYY` so far (`--` for unknown parts).
    #[must_use]
    pub fn value(&self) -> String {
        let b = &self.buf;
        let parts = [
            &b[..b.len().min(2)],
            &b[b.len().min(2)..b.len().min(4)],
            &b[b.len().min(4)..],
        ];
        let mut out = parts[0].to_owned();
        for p in &parts[1..] {
            if !p.is_empty() {
                out.push('/');
                out.push_str(p);
            }
        }
        out
    }

    pub(super) fn set_value(&mut self, v: &str) {
        let v = thai_digits_to_ascii(v);
        let parts: Vec<&str> = v.split('/').map(str::trim).collect();
        self.buf.clear();
        if let [d, m, y] = parts.as_slice() {
            for p in [d, m] {
                match p.parse::<u8>() {
                    Ok(n) if n > 0 => self
                        .buf
                        .extend([char::from(b'0' + n / 10 % 10), char::from(b'0' + n % 10)]),
                    _ => self.buf.push_str("--"),
                }
            }
            self.buf
                .extend(y.chars().filter(char::is_ascii_digit).take(4));
        }
    }

    /// The mask as drawn: typed characters, then placeholders.
    #[must_use]
    pub fn shown(&self, lang: Lang) -> String {
        let mask: Vec<char> = crate::kiosk::tui::words::form::DATE_MASK
            .say(lang)
            .chars()
            .collect();
        let typed: Vec<char> = self.buf.chars().collect();
        let mut out = String::new();
        let mut t = 0;
        for m in mask {
            if m == '/' {
                out.push('/');
            } else if t < typed.len() {
                out.push(typed[t]);
                t += 1;
            } else {
                out.push(m);
            }
        }
        out
    }

    /// Cursor column: after the typed characters and their slashes.
    #[must_use]
    pub fn cursor_col(&self) -> usize {
        let n = self.buf.len();
        n + usize::from(n >= 2) + usize::from(n >= 4)
    }
}

/// An ID number: 13 digits shown as `1-2345-67890-12-1`, or a passport's letters and digits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdBox {
    pub buf: String,
    pub passport: bool,
}

impl IdBox {
    pub(super) fn key(&mut self, key: &KeyEvent) -> Edit {
        if is_ctrl(key, 'u') {
            self.buf.clear();
            return Edit::Changed;
        }
        if let Some(c) = typed_char(key) {
            let c = if self.passport {
                Some(c.to_ascii_uppercase()).filter(char::is_ascii_alphanumeric)
            } else {
                ascii_digit(c)
            };
            let max = if self.passport {
                PASSPORT_MAX
            } else {
                ID_DIGITS
            };
            return match c {
                Some(c) if self.buf.len() < max => {
                    self.buf.push(c);
                    Edit::Changed
                }
                _ => Edit::Ignored,
            };
        }
        match key.code {
            KeyCode::Backspace => bool_edit(self.buf.pop().is_some()),
            _ => Edit::Ignored,
        }
    }

    /// The number as drawn.
    #[must_use]
    pub fn shown(&self) -> String {
        if self.passport {
            return self.buf.clone();
        }
        format_id_as_typed(&self.buf)
    }

    pub(super) fn set_kind(&mut self, id_type: Option<IdType>) {
        let passport = id_type == Some(IdType::Passport);
        if passport != self.passport {
            self.passport = passport;
            if !passport {
                self.buf.retain(|c| c.is_ascii_digit());
                self.buf.truncate(ID_DIGITS);
            }
        }
    }
}

/// `1-2345-67890-12-1` for as many digits as were typed (the Thai core's card grouping).
#[must_use]
pub fn format_id_as_typed(digits: &str) -> String {
    crate::core::thai::national_id::format_id(digits)
}

/// A phone number: digits (Thai digits too, `+66` as typed), grouped as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneBox {
    pub buf: String,
}

impl PhoneBox {
    pub(super) fn key(&mut self, key: &KeyEvent) -> Edit {
        if is_ctrl(key, 'u') {
            self.buf.clear();
            return Edit::Changed;
        }
        if let Some(c) = typed_char(key) {
            let ok = match ascii_digit(c) {
                Some(d) if self.buf.len() < MAX_TYPED => Some(d),
                None if c == '+' && self.buf.is_empty() => Some('+'),
                _ => None,
            };
            return match ok {
                Some(c) => {
                    self.buf.push(c);
                    Edit::Changed
                }
                None => Edit::Ignored,
            };
        }
        match key.code {
            KeyCode::Backspace => bool_edit(self.buf.pop().is_some()),
            _ => Edit::Ignored,
        }
    }

    /// `081-234-5678`, `02-123-4567`, `034-123-456` as typed.
    #[must_use]
    pub fn shown(&self) -> String {
        let b = &self.buf;
        let groups: &[usize] = if b.starts_with('+') {
            &[3, 1, 3, 0]
        } else if b.starts_with("02") {
            &[2, 3, 0]
        } else {
            &[3, 3, 0]
        };
        crate::core::thai::chars::dashed(b, groups)
    }
}
