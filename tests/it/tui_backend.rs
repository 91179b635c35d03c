//! The width-profile backend against a simulated terminal that counts Thai columns its own way
//! (kitty's SARA AM, old consoles' marks in cells of their own) and moves its cursor only when
//! told, like crossterm's backend: with the wrapper (and the UI's padding), the form's right
//! border lands in the last column on every row; without it, it does not.

use std::convert::Infallible;

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::widgets::Paragraph;
use ruamjai::thai::Lang;
use ruamjai::thai::width::{WidthProfile, cluster_width};
use ruamjai::tui::backend::ProfileBackend;

use crate::tui_support::{fill, on_form};

const W: u16 = 80;
const H: u16 = 24;

/// A terminal grid written the way a real terminal does: at its own cursor, advancing by its
/// own idea of a cluster's width.
struct SimTerm {
    profile: WidthProfile,
    grid: Vec<Vec<String>>,
    /// How often the cursor was shown or hidden.
    cursor_calls: usize,
    /// How often the cursor was moved.
    moves: usize,
    /// How often the terminal was asked where the cursor is (a round trip on a real one).
    queries: usize,
}

impl SimTerm {
    fn new(profile: WidthProfile) -> Self {
        Self {
            profile,
            grid: vec![vec![" ".into(); W as usize]; H as usize],
            cursor_calls: 0,
            moves: 0,
            queries: 0,
        }
    }
}

impl Backend for SimTerm {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut last: Option<(u16, u16)> = None;
        let mut cur = (0usize, 0usize);
        for (x, y, cell) in content {
            if last != Some((x.wrapping_sub(1), y)) {
                cur = (x as usize, y as usize);
            }
            last = Some((x, y));
            let sym = cell.symbol();
            let w = cluster_width(sym, self.profile).max(1);
            for i in 0..w {
                if cur.0 + i < W as usize {
                    self.grid[cur.1][cur.0 + i] = if i == 0 { sym.into() } else { String::new() };
                }
            }
            cur.0 += cluster_width(sym, self.profile);
        }
        Ok(())
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.cursor_calls += 1;
        Ok(())
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.cursor_calls += 1;
        Ok(())
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.queries += 1;
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, _: P) -> Result<(), Infallible> {
        self.moves += 1;
        Ok(())
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
    fn clear_region(&mut self, _: ClearType) -> Result<(), Infallible> {
        Ok(())
    }
    fn size(&self) -> Result<Size, Infallible> {
        Ok(Size::new(W, H))
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        Ok(WindowSize {
            columns_rows: Size::new(W, H),
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Draws a full screen of `x` first (so every cell is redrawn), then the filled form; returns
/// the rows whose right border is not in the last column, and whether stale `x`s are left.
fn misaligned<B: Backend>(
    backend: B,
    profile: WidthProfile,
    grid: impl Fn(&B) -> Vec<Vec<String>>,
) -> (Vec<u16>, bool) {
    let mut a = on_form(Lang::Th);
    fill(&mut a);
    a.view.profile = profile;
    let mut t = Terminal::new(backend).unwrap();
    let junk = vec!["x".repeat(W as usize); H as usize].join("\n");
    t.draw(|f| f.render_widget(Paragraph::new(junk.as_str()), f.area()))
        .unwrap();
    t.draw(|f| ruamjai::tui::ui::draw(f, &a)).unwrap();
    let g = grid(t.backend());
    let stale = g.iter().flatten().any(|c| c == "x");
    (
        (2..19)
            .filter(|&r| g[r as usize][W as usize - 1] != "│")
            .collect(),
        stale,
    )
}

#[test]
fn borders_line_up_on_terminals_that_count_differently() {
    for profile in [WidthProfile::SaraAmZero, WidthProfile::MarksSpacing] {
        let bad = misaligned(
            ProfileBackend::new(SimTerm::new(profile), profile),
            profile,
            |b| b.inner().grid.clone(),
        );
        assert_eq!(bad, (vec![], false), "{profile:?} with the wrapper");
        let bare = misaligned(SimTerm::new(profile), WidthProfile::Standard, |b| {
            b.grid.clone()
        });
        // Unwrapped, kitty's SARA AM leaves stale columns (ratatui itself moves the cursor after a
        // wide cell); marks in their own cells push the border out of line.
        let broken = match profile {
            WidthProfile::SaraAmZero => bare.1,
            _ => !bare.0.is_empty(),
        };
        assert!(
            broken,
            "{profile:?}: the simulation should show the problem unwrapped: {bare:?}"
        );
    }
}

#[test]
fn the_standard_profile_needs_nothing() {
    let bad = misaligned(
        SimTerm::new(WidthProfile::Standard),
        WidthProfile::Standard,
        |b| b.grid.clone(),
    );
    assert_eq!(bad, (vec![], false));
}

#[test]
fn the_cursor_is_shown_once_not_on_every_frame() {
    let mut backend =
        ProfileBackend::new(SimTerm::new(WidthProfile::Standard), WidthProfile::Standard);
    for _ in 0..5 {
        backend.show_cursor().unwrap();
    }
    assert_eq!(backend.inner().cursor_calls, 1);
    backend.hide_cursor().unwrap();
    backend.hide_cursor().unwrap();
    backend.show_cursor().unwrap();
    assert_eq!(backend.inner().cursor_calls, 3);
}

#[test]
fn the_cursor_is_not_moved_to_where_the_terminal_already_left_it() {
    let mut backend =
        ProfileBackend::new(SimTerm::new(WidthProfile::Standard), WidthProfile::Standard);
    let mut cell = Cell::default();
    cell.set_symbol("ก");
    backend.draw(std::iter::once((27u16, 5u16, &cell))).unwrap();
    backend
        .set_cursor_position(Position { x: 28, y: 5 })
        .unwrap();
    assert_eq!(
        backend.inner().moves,
        0,
        "typing left the cursor right after the letter"
    );
    backend
        .set_cursor_position(Position { x: 10, y: 5 })
        .unwrap();
    backend
        .set_cursor_position(Position { x: 10, y: 5 })
        .unwrap();
    assert_eq!(backend.inner().moves, 1);
    backend.clear().unwrap();
    backend
        .set_cursor_position(Position { x: 10, y: 5 })
        .unwrap();
    assert_eq!(
        backend.inner().moves,
        2,
        "after a clear the position is unknown"
    );
    // At the right edge terminals differ (pending wrap): always move.
    backend.draw(std::iter::once((W - 1, 5u16, &cell))).unwrap();
    backend
        .set_cursor_position(Position { x: W, y: 5 })
        .unwrap();
    assert_eq!(backend.inner().moves, 3);
}

#[test]
fn the_terminal_is_never_asked_where_the_cursor_is() {
    let backend = ProfileBackend::new(SimTerm::new(WidthProfile::Standard), WidthProfile::Standard);
    let mut terminal = Terminal::new(backend).unwrap();
    terminal.clear().unwrap();
    terminal
        .backend_mut()
        .set_cursor_position(Position { x: 7, y: 3 })
        .unwrap();
    assert_eq!(
        terminal.backend_mut().get_cursor_position().unwrap(),
        Position { x: 7, y: 3 },
        "where the backend put it"
    );
    // Clearing (at start and on every resize) is where ratatui asks.
    terminal.clear().unwrap();
    terminal.draw(|f| f.set_cursor_position((2, 2))).unwrap();
    assert_eq!(terminal.backend().inner().queries, 0);
}
