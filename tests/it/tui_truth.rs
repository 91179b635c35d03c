//! What the terminal shows is what was drawn. A vt100 screen, which places Thai as xterm and tmux
//! do (SARA AM in a column of its own, marks on their base), is fed the bytes the kiosk's backend
//! writes, frame after frame, through a clerk's whole session on the real state machine and a
//! real queue file: after every key, every cell (text and style) equals that of a second vt100
//! that got only a full redraw of the same screen.
//!
//! Why the older tests did not see stray cells: the snapshots read ratatui's own buffer, the pty
//! and tmux tests looked for text that should be there (not for text that should not), and the
//! simulated terminal in `tui_backend.rs` wrote a two-column Thai cluster as one wide character,
//! which a real terminal clears whole. Here ratatui's crossterm backend alone, without
//! [`ProfileBackend`], leaves stray `ำ` cells in the same session, so the check can fail.

use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ruamjai::core::form::FieldKey;
use ruamjai::core::thai::Lang;
use ruamjai::core::thai::width::WidthProfile;
use ruamjai::kiosk::tui::backend::ProfileBackend;
use ruamjai::kiosk::tui::{App, Msg};

use crate::tui_support::{ID, app};

const W: u16 = 80;
const H: u16 = 24;

/// The bytes written to the terminal, kept for a vt100 screen.
#[derive(Clone, Default)]
struct Tap(Rc<RefCell<Vec<u8>>>);

impl io::Write for Tap {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// crossterm's backend writing into a [`Tap`], W×H (there is no terminal to ask).
struct Wire(CrosstermBackend<Tap>);

impl Backend for Wire {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.0.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> io::Result<()> {
        self.0.set_cursor_position(p)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.0.clear()
    }
    fn clear_region(&mut self, t: ClearType) -> io::Result<()> {
        self.0.clear_region(t)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(Size::new(W, H))
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: Size::new(W, H),
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A terminal showing frames through backend `B` (built on a [`Wire`]) and a vt100 screen fed
/// what it wrote.
struct Shown<B: Backend> {
    term: Terminal<B>,
    tap: Tap,
    vt: vt100::Parser,
}

impl<B: Backend> Shown<B>
where
    B::Error: std::fmt::Debug,
{
    fn new(wrap: fn(Wire) -> B) -> Self {
        let tap = Tap::default();
        let mut term = Terminal::new(wrap(Wire(CrosstermBackend::new(tap.clone())))).unwrap();
        term.clear().unwrap();
        Self {
            term,
            tap,
            vt: vt100::Parser::new(H, W, 0),
        }
    }

    fn draw(&mut self, app: &App) {
        self.term
            .draw(|f| ruamjai::kiosk::tui::ui::draw(f, app))
            .unwrap();
        let bytes = std::mem::take(&mut *self.tap.0.borrow_mut());
        self.vt.process(&bytes);
    }
}

/// How a vt100 cell looks: its text (a blank written or never written alike) and the style a
/// person sees.
fn look(c: &vt100::Cell) -> (String, vt100::Color, vt100::Color, bool, bool, bool) {
    let text = match c.contents() {
        "" => " ",
        t => t,
    };
    (
        text.to_owned(),
        c.fgcolor(),
        c.bgcolor(),
        c.bold(),
        c.underline(),
        c.inverse(),
    )
}

/// The cells where `shown` differs from `full`, as "step: row,col: shown vs full".
pub fn differences(step: &str, shown: &vt100::Screen, full: &vt100::Screen) -> Vec<String> {
    let mut out = Vec::new();
    for r in 0..H {
        for c in 0..W {
            let (a, b) = (shown.cell(r, c).map(look), full.cell(r, c).map(look));
            if a != b {
                out.push(format!(
                    "{step}: {r},{c}: {:?} vs {:?}",
                    a.map(|l| l.0),
                    b.map(|l| l.0)
                ));
            }
        }
    }
    out
}

/// What a clerk does, one message at a time.
enum Step {
    Key(KeyCode),
    Ctrl(char),
    Type(&'static str),
    /// Tab or Shift-Tab, one at a time, until this field has the focus.
    To(FieldKey),
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::from(code))
}

/// A morning at the counter, touching every screen and transition: the form scrolling down and
/// back up, the address list open and closed, validation errors shown and cleared, review,
/// receipt, the queue with a search, help, language and layout switches, and the dialogs.
fn session() -> Vec<(&'static str, Step)> {
    use KeyCode::{BackTab, Backspace, Delete, Down, Enter, Esc, F, Tab, Up};
    use Step::{Ctrl, Key, To, Type};
    let mut s = vec![
        ("operator", Type("สมใจ")),
        ("start", Key(Enter)),
        ("id type", Key(Tab)),
        ("id", Type(ID)),
        ("to title", Key(Tab)),
        ("errors shown", Key(F(9))),
        ("title", Type("1")),
        ("to first name", Key(Tab)),
        ("first name", Type("จำเนียร")),
        ("to last name", Key(Tab)),
        ("last name", Type("ใจดีน้ำใจ")),
        ("to birth date", Key(Tab)),
        ("birth date", Type("05072490")),
        ("to sex", Key(Tab)),
        ("sex", Type("1")),
        ("to phone", Key(Tab)),
        ("phone", Type("0812345678")),
        ("to house", Key(Tab)),
        ("house", Type("12/3")),
        ("to moo", Key(Tab)),
        ("moo", Type("4")),
        ("soi", Key(Tab)),
        ("road", Key(Tab)),
        ("to tambon", Key(Tab)),
        ("tambon", Type("มหาชัย")),
        ("list moves", Key(Down)),
        ("list moves back", Key(Up)),
        ("picked", Key(Enter)),
        ("group", Type("3")),
        ("to consent (group 3 has no detail)", Key(Tab)),
        ("consent", Type("1")),
    ];
    s.extend((0..20).map(|_| ("back up", Key(BackTab))));
    s.extend((0..20).map(|_| ("down again", Key(Tab))));
    s.push(("up to the tambon", To(FieldKey::Tambon)));
    s.extend([
        ("tambon list open", Key(Backspace)),
        ("tambon list closed", Key(Esc)),
        ("tambon as it was", Type("ย")),
    ]);
    s.push(("down to the note", To(FieldKey::Note)));
    s.extend([
        ("help", Key(F(1))),
        ("help closed", Key(Esc)),
        ("language en", Key(F(2))),
        ("layout th", Key(F(3))),
        ("layout en", Key(F(3))),
        ("language th", Ctrl('l')),
        ("quit asked", Key(F(10))),
        ("quit declined", Key(Esc)),
        ("discard asked", Key(Esc)),
        ("discard declined", Type("n")),
        ("review", Key(F(9))),
        ("review up", Key(Up)),
        ("review down", Key(Down)),
        ("saved", Key(F(9))),
        ("next person", Key(Enter)),
        ("queue", Key(F(4))),
        ("search", Type("จำเนียร")),
        ("search erased", Key(Backspace)),
        ("search shorter", Key(Backspace)),
        ("cancel asked", Key(Delete)),
        ("cancel declined", Key(Esc)),
        ("queue help", Key(F(1))),
        ("queue help closed", Key(Esc)),
        ("back to the form", Key(F(4))),
        ("language en", Key(F(2))),
        ("queue in english", Key(F(4))),
        ("form in english", Key(F(4))),
    ]);
    s
}

/// Runs the session through backend `B`; after every message, the cells where the terminal
/// differs from a full redraw, prefixed by the step.
fn stale_cells<B: Backend>(wrap: fn(Wire) -> B) -> Vec<String>
where
    B::Error: std::fmt::Debug,
{
    let dir = tempfile::tempdir().unwrap();
    let mut queue = crate::support::open_queue(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    let mut a = app(Lang::Th);
    let mut shown = Shown::new(wrap);
    let mut found = Vec::new();
    let mut check = |a: &App, shown: &mut Shown<B>, what: &str| {
        shown.draw(a);
        let mut full = Shown::new(wrap);
        full.draw(a);
        found.extend(differences(what, shown.vt.screen(), full.vt.screen()));
    };
    check(&a, &mut shown, "first frame");
    for (what, step) in session() {
        let msgs: Vec<Msg> = match step {
            Step::Key(k) => vec![key(k)],
            Step::Ctrl(c) => vec![Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::CONTROL,
            ))],
            Step::Type(s) => s.chars().map(|c| key(KeyCode::Char(c))).collect(),
            Step::To(field) => {
                let order = |f: FieldKey| FieldKey::ALL.iter().position(|&k| k == f);
                let (from, to) = (order(a.form.focus), order(field));
                let k = if from < to {
                    KeyCode::Tab
                } else {
                    KeyCode::BackTab
                };
                let n = from.unwrap().abs_diff(to.unwrap());
                (0..n).map(|_| key(k)).collect()
            }
        };
        for m in msgs {
            ruamjai::kiosk::tui::run::process(&mut a, m, &mut queue, &|| {});
            check(&a, &mut shown, what);
        }
    }
    assert!(
        queue.stats().unwrap().unsent == 1,
        "the session saved its registration"
    );
    found
}

#[test]
fn every_frame_of_a_clerks_session_equals_its_full_redraw() {
    let stale = stale_cells(|w| ProfileBackend::new(w, WidthProfile::Standard));
    assert!(
        stale.is_empty(),
        "{} stale cells:\n{}",
        stale.len(),
        stale.join("\n")
    );
}

#[test]
fn ratatuis_backend_alone_leaves_stray_sara_am_in_the_same_session() {
    let stale = stale_cells(|w| w);
    eprintln!(
        "{} stale cells, the first: {:?}",
        stale.len(),
        stale.first()
    );
    assert!(
        stale.iter().any(|d| d.contains("\"ำ\"")),
        "the check finds what a terminal keeps: {stale:?}"
    );
}
