//! The help screen (F1 / Ctrl-G): every key, in the current language.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use crate::thai::width::display_width;
use crate::tui::app::App;
use crate::tui::words::help as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let kw = 20;
    let w = inner.width as usize;
    let mut lines: Vec<Line<'_>> = words::KEYS
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
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        theme.fit(words::SAVED_AT_ONCE.say(l), w),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
