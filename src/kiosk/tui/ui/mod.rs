//! Drawing the [`App`]: a header, the screen's body, the message area (two to four lines), the
//! keys footer and the status line, at 80×24 and up. Smaller windows get a "make the window
//! larger" message in both languages and nothing is lost: drawing never changes the app.
//!
//! - `style`: colours, `NO_COLOR`, safe and width-adjusted text.
//! - `form`, `review`, `receipt` (+ `bigtext`, `qr`), `queue`, `start`, `help`: the screens;
//!   `checkin`: a site's kiosk's check-in screen.
//! - `chrome`: header, message line, footer, dialogs; `status_line`: the status line.
//!
//! No words here: each screen area's are in `tui::words`.

mod bigtext;
mod checkin;
mod chrome;
mod form;
mod help;
mod qr;
mod queue;
mod receipt;
mod review;
mod start;
mod status_line;
pub mod style;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, Screen};
pub use style::Theme;

/// The smallest window the kiosk draws in.
pub const MIN_WIDTH: u16 = 80;
/// The smallest window height.
pub const MIN_HEIGHT: u16 = 24;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let theme = Theme::new(app.view);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return;
    }
    let message_h = chrome::message_lines(app, area.width as usize, theme)
        .len()
        .clamp(2, chrome::MESSAGE_MAX) as u16;
    let [header, body, message, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(message_h),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(frame, header, app, theme);
    if app.help {
        help::draw(frame, body, app, theme);
    } else {
        match app.screen {
            Screen::Start => start::draw(frame, body, app, theme),
            Screen::Form => form::draw(frame, body, app, theme),
            Screen::Review => review::draw(frame, body, app, theme),
            Screen::Receipt => receipt::draw(frame, body, app, theme),
            Screen::Queue => queue::draw(frame, body, app, theme),
            Screen::Checkin => checkin::draw(frame, body, app, theme),
        }
    }
    chrome::message(frame, message, app, theme);
    chrome::footer(frame, footer, app, theme);
    status_line::draw(frame, status, app, theme);
    if app.confirm.is_some() {
        chrome::confirm(frame, body, app, theme);
    }
}

fn too_small(frame: &mut Frame<'_>, area: Rect, theme: Theme) {
    let text =
        crate::kiosk::tui::words::chrome::too_small(MIN_WIDTH, MIN_HEIGHT, area.width, area.height);
    let lines: Vec<Line<'_>> = text.lines().map(|l| Line::from(theme.text(l))).collect();
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let r = Rect::new(area.x, y, area.width, h);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .style(theme.warn())
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}

/// The area of `w`×`h` centred in `r` (clipped to it).
#[must_use]
pub fn centered(r: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(r.width);
    let h = h.min(r.height);
    Rect::new(r.x + (r.width - w) / 2, r.y + (r.height - h) / 2, w, h)
}

/// "10:42" for a Unix-ms time in the kiosk's time zone.
#[must_use]
pub fn clock(ms: i64, utc_offset_secs: i32) -> String {
    let secs = ms.div_euclid(1000) + i64::from(utc_offset_secs);
    let day = secs.rem_euclid(86_400);
    format!("{:02}:{:02}", day / 3600, (day % 3600) / 60)
}
