//! A ratatui backend wrapper for terminals that count Thai columns differently from
//! unicode-width (see [`WidthProfile`]). ratatui lays out by unicode-width; after every cell the
//! terminal draws narrower or wider than that, this wrapper ends the run so the next cell is
//! drawn after an explicit cursor move, and:
//!
//! - narrower (kitty's SARA AM: `จำ` takes 1 column, not 2): writes a blank, in the cell's style,
//!   in the column the terminal left empty;
//! - wider (marks in cells of their own): skips the padding spaces the UI put after the cluster
//!   (`ui::style::adjust`), so the marks the terminal drew there stay visible.
//!
//! Either way a border drawn after Thai text lands in the column ratatui meant. With the standard
//! profile the wrapper only forwards cells.
//!
//! It also remembers whether the cursor is shown and where it stands, so a frame does not tell the
//! terminal again what it already knows: ratatui shows and places the cursor on every frame, and
//! after typing one letter the terminal's cursor is already right after it (14 bytes of the 40 a
//! keystroke cost over a slow SSH link). For the same reason it never asks the terminal where the
//! cursor is.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

use crate::thai::width::{WidthProfile, cluster_width};

/// A backend that draws for a terminal counting like `profile`.
pub struct ProfileBackend<B> {
    inner: B,
    profile: WidthProfile,
    /// `Some(shown)` once this backend has shown or hidden the cursor.
    cursor_shown: Option<bool>,
    /// Where the terminal's cursor is, when known (after the last cell drawn, or a move).
    cursor_at: Option<Position>,
}

impl<B> ProfileBackend<B> {
    /// Wraps `inner`.
    pub fn new(inner: B, profile: WidthProfile) -> Self {
        Self {
            inner,
            profile,
            cursor_shown: None,
            cursor_at: None,
        }
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Backend> Backend for ProfileBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.profile == WidthProfile::Standard {
            let mut last = None;
            self.inner
                .draw(content.inspect(|(x, y, c)| last = Some((*x, *y, c.symbol().width()))))?;
            if let Some((x, y, w)) = last {
                // Where the terminal's cursor is now, unless it sits at the right edge (where
                // terminals differ about a pending wrap).
                let next = x.saturating_add(u16::try_from(w).unwrap_or(u16::MAX));
                let width = self.inner.size()?.width;
                self.cursor_at = (w > 0 && next < width).then_some(Position { x: next, y });
            }
            return Ok(());
        }
        self.cursor_at = None;
        let mut run: Vec<(u16, u16, Cell)> = Vec::new();
        let mut skip: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            if let Some((sx, sy)) = skip {
                if y == sy && x <= sx && cell.symbol() == " " {
                    continue;
                }
                skip = None;
            }
            let sym = cell.symbol();
            let ours = sym.width();
            let theirs = cluster_width(sym, self.profile);
            run.push((x, y, cell.clone()));
            if ours == theirs {
                continue;
            }
            if theirs < ours {
                for i in theirs..ours {
                    let mut blank = cell.clone();
                    blank.set_symbol(" ");
                    run.push((x + i as u16, y, blank));
                }
            } else {
                skip = Some((x + (theirs - ours) as u16, y));
            }
            self.inner.draw(run.iter().map(|(x, y, c)| (*x, *y, c)))?;
            run.clear();
        }
        self.inner.draw(run.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown != Some(false) {
            self.inner.hide_cursor()?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown != Some(true) {
            self.inner.show_cursor()?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    /// Where this backend last put the cursor (the top left before that), without asking the
    /// terminal. The kiosk is full-screen: ratatui asks only to put the cursor back after clearing
    /// (at start and on every resize), and each frame then places or hides it anyway. Asking
    /// would cost a round trip over SSH, and on a terminal that never answers crossterm waits 2 s
    /// and fails, which would end the kiosk on the first resize.
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        Ok(self.cursor_at.unwrap_or(Position::ORIGIN))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        let position = position.into();
        if self.cursor_at != Some(position) {
            self.inner.set_cursor_position(position)?;
            self.cursor_at = Some(position);
        }
        Ok(())
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}
