//! The text-field editing model (THAI.md §2): a string and a cursor that always sits on a grapheme
//! cluster boundary. Arrows, Home and End move by cluster; Backspace deletes one code point (so
//! `ก` `่` Backspace leaves `ก`, as Thai typists expect); Delete removes the whole cluster after
//! the cursor. Typed characters go through the WTT input check first. No drawing here: the widget
//! asks [`TextField::cursor_col`] where to put the terminal cursor.

use unicode_segmentation::UnicodeSegmentation;

use super::input_check::{CheckMode, Rejection, check};
use super::width::display_width;

/// One editable line of text with a cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    /// Byte index into `text`, always at a grapheme cluster boundary.
    cursor: usize,
}

impl TextField {
    /// An empty field.
    pub fn new() -> Self {
        Self::default()
    }

    /// A field holding `s` (control characters left out), cursor at the end.
    pub fn with_text(s: &str) -> Self {
        let mut field = Self::new();
        field.set_text(s);
        field
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the text (control characters left out) and puts the cursor at the end.
    pub fn set_text(&mut self, s: &str) {
        self.text = s.chars().filter(|c| !c.is_control()).collect();
        self.cursor = self.text.len();
    }

    /// The cursor as a byte index into [`TextField::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The terminal column of the cursor: the width of the text before it.
    pub fn cursor_col(&self) -> usize {
        display_width(&self.text[..self.cursor])
    }

    /// Types `c` at the cursor if the input check allows it after the character before the cursor.
    pub fn insert_char(&mut self, c: char, mode: CheckMode) -> Result<(), Rejection> {
        let prev = self.text[..self.cursor].chars().next_back();
        check(prev, c, mode)?;
        self.text.insert(self.cursor, c);
        self.cursor = snap_forward(&self.text, self.cursor + c.len_utf8());
        Ok(())
    }

    /// Pastes `s` one character at a time through the input check; characters the check refuses
    /// are skipped. Returns how many were skipped.
    pub fn insert_str(&mut self, s: &str, mode: CheckMode) -> usize {
        s.chars()
            .filter(|&c| self.insert_char(c, mode).is_err())
            .count()
    }

    /// Deletes the one code point before the cursor. False when the cursor is at the start.
    pub fn backspace(&mut self) -> bool {
        let Some(c) = self.text[..self.cursor].chars().next_back() else {
            return false;
        };
        let at = self.cursor - c.len_utf8();
        self.text.replace_range(at..self.cursor, "");
        self.cursor = snap_back(&self.text, at);
        true
    }

    /// Deletes the whole cluster after the cursor. False when the cursor is at the end.
    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.text.len() {
            return false;
        }
        let end = next_boundary(&self.text, self.cursor);
        self.text.replace_range(self.cursor..end, "");
        self.cursor = snap_back(&self.text, self.cursor);
        true
    }

    /// Moves one cluster left.
    pub fn left(&mut self) {
        self.cursor = prev_boundary(&self.text, self.cursor);
    }

    /// Moves one cluster right.
    pub fn right(&mut self) {
        self.cursor = next_boundary(&self.text, self.cursor);
    }

    /// Moves to the start.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// Moves to the end.
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Whether the field holds no text.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Cluster boundaries of `s`, from 0 to `s.len()` inclusive.
fn boundaries(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.grapheme_indices(true)
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
}

/// The last boundary strictly before `i` (0 at the start).
fn prev_boundary(s: &str, i: usize) -> usize {
    boundaries(s).take_while(|&b| b < i).last().unwrap_or(0)
}

/// The first boundary strictly after `i` (`s.len()` at the end).
fn next_boundary(s: &str, i: usize) -> usize {
    boundaries(s).find(|&b| b > i).unwrap_or(s.len())
}

/// The last boundary at or before `i`.
fn snap_back(s: &str, i: usize) -> usize {
    boundaries(s).take_while(|&b| b <= i).last().unwrap_or(0)
}

/// The first boundary at or after `i`.
fn snap_forward(s: &str, i: usize) -> usize {
    boundaries(s).find(|&b| b >= i).unwrap_or(s.len())
}

#[cfg(test)]
mod tests;
