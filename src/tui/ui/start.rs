//! Start of shift: the kiosk, the place and the campaign, and the operator's name (shown on every
//! record this shift).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Theme, centered};
use crate::thai::width::{display_width, display_width_with, wrap};
use crate::tui::app::App;
use crate::tui::words::start as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let r = centered(area, 70, 14);
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let w = inner.width as usize - 2;
    let mut lines = vec![Line::styled(words::BRAND, theme.ok()), Line::raw("")];
    for t in wrap(app.campaign.name(l), w).into_iter().take(2) {
        lines.push(Line::from(format!(" {}", theme.text(&t))));
    }
    let place = if app.point_name.is_empty() {
        "—"
    } else {
        &app.point_name
    };
    lines.push(Line::from(theme.fit(
        &format!(
            " {} {}   {} {place}",
            words::KIOSK.say(l),
            app.kiosk_id,
            words::PLACE.say(l)
        ),
        w,
    )));
    lines.push(Line::raw(""));
    let label = theme.text(words::OPERATOR.say(l));
    let lw = display_width(&label);
    lines.push(Line::from(vec![
        Span::styled(label.clone(), theme.label()),
        Span::styled(
            format!(
                "{:<width$}",
                theme.fit(app.operator.text(), w.saturating_sub(lw + 1)),
                width = 1
            ),
            theme.input(),
        ),
    ]));
    let y = inner.y + lines.len() as u16 - 1;
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        theme.fit(words::RECORDED.say(l), w),
        theme.dim(),
    ));
    lines.push(Line::styled(theme.fit(words::KEYS.say(l), w), theme.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if app.confirm.is_none() {
        let before = &app.operator.text()[..app.operator.cursor()];
        let x = inner.x as usize + lw + display_width_with(before, theme.profile);
        frame.set_cursor_position(Position::new(x.min(inner.right() as usize - 1) as u16, y));
    }
}
