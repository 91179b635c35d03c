//! The widget of a question that takes several choices (`choices`): the options with check
//! boxes, one of them under the highlight. ←/→ move the highlight, Space ticks or clears it, a
//! digit ticks or clears that option, Backspace clears them all; ↑/↓ stay the form's (the next
//! field). Its value is the ticked values joined by `;` in the file's order, as the campaign
//! file's rule reads it. No drawing here: the form row asks for [`ChoicesBox::parts`].

use crossterm::event::{KeyCode, KeyEvent};

use super::{Edit, Opt};
use crate::core::thai::Lang;

/// Several choices among fixed options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoicesBox {
    pub options: Vec<Opt>,
    /// Which options are ticked, one flag per option.
    pub ticked: Vec<bool>,
    /// The option under the highlight.
    pub at: usize,
}

/// One option as drawn: its check box and words, and whether the highlight is on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub highlighted: bool,
}

impl ChoicesBox {
    /// Nothing ticked, the highlight on the first option.
    #[must_use]
    pub fn new(options: Vec<Opt>) -> Self {
        let ticked = vec![false; options.len()];
        Self {
            options,
            ticked,
            at: 0,
        }
    }

    pub(super) fn key(&mut self, key: &KeyEvent) -> Edit {
        let n = self.options.len();
        if n == 0 {
            return Edit::Ignored;
        }
        match key.code {
            KeyCode::Left => self.at = (self.at + n - 1) % n,
            KeyCode::Right => self.at = (self.at + 1) % n,
            KeyCode::Home => self.at = 0,
            KeyCode::End => self.at = n - 1,
            KeyCode::Char(' ') => return self.toggle(self.at),
            KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                let i = (c as usize) - ('1' as usize);
                if i >= n {
                    return Edit::Ignored;
                }
                self.at = i;
                return self.toggle(i);
            }
            KeyCode::Backspace | KeyCode::Delete if self.ticked.iter().any(|t| *t) => {
                self.ticked.fill(false);
                return Edit::Changed;
            }
            _ => return Edit::Ignored,
        }
        Edit::Moved
    }

    fn toggle(&mut self, i: usize) -> Edit {
        match self.ticked.get_mut(i) {
            Some(t) => {
                *t = !*t;
                Edit::Changed
            }
            None => Edit::Ignored,
        }
    }

    fn picked(&self) -> impl Iterator<Item = &Opt> {
        self.options
            .iter()
            .zip(&self.ticked)
            .filter(|(_, t)| **t)
            .map(|(o, _)| o)
    }

    /// The ticked values, in the file's order, joined by `;`.
    pub(super) fn value(&self) -> String {
        self.picked()
            .map(|o| o.value.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Ticks the options `v` names (values or words, separated by `;`), and only those; words
    /// naming no option are left out.
    pub(super) fn set_value(&mut self, v: &str) {
        let named: Vec<&str> = v.split(';').map(str::trim).collect();
        for (o, t) in self.options.iter().zip(self.ticked.iter_mut()) {
            *t = named
                .iter()
                .any(|n| o.value == *n || o.th == *n || o.en.eq_ignore_ascii_case(n));
        }
    }

    /// Pasted text naming options (values or words, `;` between) ticks those and only those;
    /// text naming none changes nothing. Says whether the value changed.
    pub(super) fn paste(&mut self, s: &str) -> bool {
        let before = self.ticked.clone();
        self.set_value(s);
        if self.ticked.iter().all(|t| !t) {
            self.ticked.clone_from(&before);
        }
        self.ticked != before
    }

    /// The words of the ticked options, joined by commas.
    #[must_use]
    pub fn shown(&self, lang: Lang) -> String {
        self.picked()
            .map(|o| o.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Each option with its check box (`[x]` ticked, `[ ]` not), for the focused row.
    #[must_use]
    pub fn parts(&self, lang: Lang) -> Vec<Part> {
        self.options
            .iter()
            .zip(&self.ticked)
            .enumerate()
            .map(|(i, (o, t))| Part {
                text: format!("[{}] {}", if *t { 'x' } else { ' ' }, o.label(lang)),
                highlighted: i == self.at,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs() -> ChoicesBox {
        ChoicesBox::new(vec![
            Opt::new("food", "อาหาร", "Food"),
            Opt::new("water", "น้ำดื่ม", "Drinking water"),
            Opt::new("medicine", "ยารักษาโรค", "Medicine"),
        ])
    }

    fn press(b: &mut ChoicesBox, code: KeyCode) -> Edit {
        b.key(&KeyEvent::from(code))
    }

    #[test]
    fn arrows_move_space_ticks_and_the_value_keeps_the_files_order() {
        let mut b = needs();
        assert_eq!(press(&mut b, KeyCode::Left), Edit::Moved);
        assert_eq!(b.at, 2, "← from the first goes round to the last");
        assert_eq!(press(&mut b, KeyCode::Char(' ')), Edit::Changed);
        press(&mut b, KeyCode::Right);
        press(&mut b, KeyCode::Char(' '));
        assert_eq!(b.value(), "food;medicine");
        assert_eq!(b.shown(Lang::Th), "อาหาร, ยารักษาโรค");
        press(&mut b, KeyCode::Char(' '));
        assert_eq!(b.value(), "medicine", "Space again clears it");
        assert_eq!(press(&mut b, KeyCode::Char('2')), Edit::Changed);
        assert_eq!(b.value(), "water;medicine");
        assert_eq!(press(&mut b, KeyCode::Char('4')), Edit::Ignored);
        assert_eq!(press(&mut b, KeyCode::Char('ก')), Edit::Ignored);
        let parts = b.parts(Lang::Th);
        assert_eq!(parts[1].text, "[x] น้ำดื่ม");
        assert!(parts[1].highlighted && !parts[0].highlighted);
        assert_eq!(press(&mut b, KeyCode::Backspace), Edit::Changed);
        assert_eq!(b.value(), "");
        assert_eq!(press(&mut b, KeyCode::Backspace), Edit::Ignored);
    }

    #[test]
    fn a_stored_value_ticks_its_options() {
        let mut b = needs();
        b.set_value("medicine;food;nothing");
        assert_eq!(b.value(), "food;medicine");
        b.set_value("น้ำดื่ม");
        assert_eq!(b.value(), "water");
        b.set_value("");
        assert_eq!(b.value(), "");
        assert!(b.paste("Food; ยารักษาโรค"));
        assert_eq!(b.value(), "food;medicine");
        assert!(!b.paste("rice"), "naming no option changes nothing");
        assert_eq!(b.value(), "food;medicine");
    }
}
