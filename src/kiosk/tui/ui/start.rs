//! Start of shift: the kiosk, the place and the campaign, the operator's name (shown on every
//! record this shift) and, when the counter has one, its PIN (drawn as asterisks), which opens the
//! shift (`tui::app::shift`).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Theme, centered};
use crate::core::thai::width::{display_width, display_width_with, wrap};
use crate::kiosk::tui::app::{App, StartFocus};
use crate::kiosk::tui::words::start as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    // The first start asks for the PIN twice: one line more; the enrolment code two more.
    let extra = u16::from(app.shift.choosing) + if app.enrol.is_some() { 2 } else { 0 };
    let r = centered(area, 70, 14 + extra);
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
    let code_at =
        code_lines(app, theme, w, &mut lines).map(|(row, lw, before)| (inner.y + row, lw, before));
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
    let shift = &app.shift;
    let pin_rows = pin_lines(app, theme, w, &mut lines);
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        theme.fit(words::RECORDED.say(l), w),
        theme.dim(),
    ));
    let keys = if shift.asks_pin() || shift.choosing {
        words::PIN_KEYS
    } else {
        words::KEYS
    };
    lines.push(Line::styled(theme.fit(keys.say(l), w), theme.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if app.confirm.is_none() {
        let field = |focus| match focus {
            StartFocus::Again => &shift.again,
            _ => &shift.pin,
        };
        let on_pin = pin_rows
            .iter()
            .enumerate()
            .find(|(_, (focus, _))| *focus == shift.focus);
        let (x, y) = if let Some((code_y, label_w, before)) =
            code_at.filter(|_| shift.focus == StartFocus::Code)
        {
            (inner.x as usize + label_w + before, code_y)
        } else if let Some((row, &(focus, label_w))) = on_pin {
            let f = field(focus);
            let stars = f.text()[..f.cursor()].chars().count();
            (inner.x as usize + label_w + stars, y + 1 + row as u16)
        } else {
            let before = &app.operator.text()[..app.operator.cursor()];
            (
                inner.x as usize + lw + display_width_with(before, theme.profile),
                y,
            )
        };
        frame.set_cursor_position(Position::new(x.min(inner.right() as usize - 1) as u16, y));
    }
}

/// The enrolment code's two lines, on a kiosk with no hub yet: the row of the field (from the
/// top of the box's inside), its label's width and the code's columns before the cursor.
fn code_lines(
    app: &App,
    theme: Theme,
    w: usize,
    lines: &mut Vec<Line<'static>>,
) -> Option<(u16, usize, usize)> {
    let e = app.enrol.as_ref()?;
    let label = theme.text(words::CODE.say(app.lang));
    let lw = display_width(&label);
    let row = lines.len() as u16;
    lines.push(Line::from(vec![
        Span::styled(label, theme.label()),
        Span::styled(
            theme.fit(e.code.text(), w.saturating_sub(lw + 1)),
            theme.input(),
        ),
    ]));
    lines.push(Line::styled(
        theme.fit(words::CODE_WHY.say(app.lang), w),
        theme.dim(),
    ));
    // The code is ASCII: one column a byte.
    Some((row, lw, e.code.text()[..e.code.cursor()].len()))
}

/// The PIN's lines: the two fields of the first start, the one asked for at a shift's start,
/// or what the shift is; each field drawn as its asterisks. Returns the fields drawn (after the
/// operator's row, in order) with their labels' widths, for the cursor.
fn pin_lines(
    app: &App,
    theme: Theme,
    w: usize,
    lines: &mut Vec<Line<'static>>,
) -> Vec<(StartFocus, usize)> {
    let (l, shift) = (app.lang, &app.shift);
    let fields: Vec<(StartFocus, &str, _)> = if shift.choosing {
        vec![
            (StartFocus::Pin, words::CHOOSE_PIN.say(l), &shift.pin),
            (StartFocus::Again, words::PIN_AGAIN.say(l), &shift.again),
        ]
    } else if shift.asks_pin() {
        vec![(StartFocus::Pin, words::PIN.say(l), &shift.pin)]
    } else {
        Vec::new()
    };
    let mut drawn = Vec::new();
    for (focus, label, field) in fields {
        let label = theme.text(label);
        let lw = display_width(&label);
        let stars = "*".repeat(field.text().chars().count());
        lines.push(Line::from(vec![
            Span::styled(label, theme.label()),
            Span::styled(theme.fit(&stars, w.saturating_sub(lw + 1)), theme.input()),
        ]));
        drawn.push((focus, lw));
    }
    let said = if shift.choosing {
        words::CHOOSE_WHY
    } else if shift.asks_pin() {
        words::PIN_OPENS
    } else if shift.pin_set {
        words::SHIFT_OPEN
    } else {
        words::NO_PIN
    };
    lines.push(Line::styled(theme.fit(said.say(l), w), theme.dim()));
    drawn
}
