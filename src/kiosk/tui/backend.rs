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
//! Either way a border drawn after Thai text lands in the column ratatui meant.
//!
//! With every profile, including the standard one, it keeps a copy of what the terminal shows
//! ([`screen`]) and rewrites the columns of a cluster that a narrower cell leaves behind: to a
//! terminal `จำ` is two one-column characters, and ratatui relies on the terminal to clear the
//! second column as it would for a CJK character, so a stray `ำ` would stay on screen.
//!
//! It also remembers whether the cursor is shown and where it stands, so a frame does not tell the
//! terminal again what it already knows: ratatui shows and places the cursor on every frame, and
//! after typing one letter the terminal's cursor is already right after it (14 bytes of the 40 a
//! keystroke cost over a slow SSH link). For the same reason it never asks the terminal where the
//! cursor is.

mod screen;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use self::screen::Screen;
use crate::core::thai::width::WidthProfile;

/// A backend that draws for a terminal counting like `profile`.
pub struct ProfileBackend<B> {
    inner: B,
    profile: WidthProfile,
    /// `Some(shown)` once this backend has shown or hidden the cursor.
    cursor_shown: Option<bool>,
    /// Where the terminal's cursor is, when known (after the last cell drawn, or a move).
    cursor_at: Option<Position>,
    /// What the terminal shows, so a narrower cell does not leave part of a cluster behind.
    screen: Screen,
}

impl<B> ProfileBackend<B> {
    /// Wraps `inner`.
    pub fn new(inner: B, profile: WidthProfile) -> Self {
        Self {
            inner,
            profile,
            cursor_shown: None,
            cursor_at: None,
            screen: Screen::default(),
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
        let size = self.inner.size()?;
        let writes = self.screen.plan(content, size, self.profile);
        // crossterm's backend moves the cursor only to a cell that is not right after the
        // previous one, as if every cell took one column: end the run after a cell the terminal
        // advanced by more or less than that, so the next one gets its own move.
        let mut start = 0;
        for (k, w) in writes.iter().enumerate() {
            let next_adjacent = writes
                .get(k + 1)
                .is_some_and(|n| n.y == w.y && n.x == w.x.saturating_add(1));
            if w.span != 1 && next_adjacent {
                self.inner
                    .draw(writes[start..=k].iter().map(|w| (w.x, w.y, &w.cell)))?;
                start = k + 1;
            }
        }
        self.inner
            .draw(writes[start..].iter().map(|w| (w.x, w.y, &w.cell)))?;
        if self.profile != WidthProfile::Standard {
            self.cursor_at = None;
        } else if let Some(last) = writes.last() {
            // Where the terminal's cursor is now, unless it sits at the right edge (where
            // terminals differ about a pending wrap).
            let next = last.x.saturating_add(last.span);
            self.cursor_at =
                (last.span > 0 && next < size.width).then_some(Position { x: next, y: last.y });
        }
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.screen.reset(self.inner.size()?);
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
        self.screen.reset(self.inner.size()?);
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.cursor_at = None;
        // In a full-screen kiosk ratatui clears only the whole screen (ClearType::All).
        self.screen.reset(self.inner.size()?);
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
