//! The help screen (F1 / Ctrl-G): every key, in the current language.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use crate::core::thai::width::{display_width, wrap};
use crate::kiosk::tui::app::App;
use crate::kiosk::tui::words::help as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let kw = 20;
    let w = inner.width as usize;
    // A site's kiosk checks people in: its own keys.
    let keys = if app.checkin.is_some() {
        crate::kiosk::tui::words::checkin::HELP_KEYS
    } else {
        words::KEYS
    };
    let mut lines: Vec<Line<'_>> = keys
        .iter()
        .map(|(k, what)| {
            let what = what.say(l);
            let pad = " ".repeat(kw - display_width(k).min(kw));
            Line::from(vec![
                Span::styled(format!(" {k}{pad}"), theme.warn()),
                Span::raw(theme.fit(what, w.saturating_sub(kw + 2))),
            ])
        })
        .collect();
    // Wrapped, not cut: at 80 columns the English takes two lines, and the blank line before
    // it gives way when the window has no row for it.
    let note = wrap(
        words::SAVED_AT_ONCE.say(l).trim_start(),
        w.saturating_sub(2),
    );
    if lines.len() + 1 + note.len() <= inner.height as usize {
        lines.push(Line::raw(""));
    }
    for part in note {
        lines.push(Line::styled(format!(" {}", theme.text(&part)), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
