//! The queue screen: a search box (ID, name or reference), the records newest first with their
//! state and the hub's answer, and the selected record's details (with its appointment once the
//! hub gave one: site, day in BE, slot, state, security code, and its answers to the campaign's
//! questions in the words of the version it was made with); Enter corrects, Delete cancels.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Theme, clock};
use crate::core::thai::width::{display_width, display_width_with, wrap};
use crate::kiosk::tui::app::{App, Screen};
use crate::kiosk::tui::words::appointment;
use crate::kiosk::tui::words::queue as words;

fn cell(theme: Theme, s: &str, w: usize) -> String {
    let t = theme.fit(s, w);
    let pad = w.saturating_sub(display_width(&t));
    format!("{t}{}", " ".repeat(pad))
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let q = &app.queue;
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let label = theme.text(words::SEARCH.say(l));
    let lw = display_width(&label);
    let search = theme.fit(q.search.text(), w.saturating_sub(lw + 2));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {label}"), theme.label()),
            Span::styled(search, theme.input()),
        ])),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    if app.confirm.is_none() {
        let before = &q.search.text()[..q.search.cursor()];
        let cx = 1 + lw + display_width_with(before, theme.profile);
        frame.set_cursor_position(Position::new(inner.x + cx.min(w - 1) as u16, inner.y));
    }
    let (rw, tw) = (15, 6);
    let sw = (w.saturating_sub(rw + tw + 4)) * 2 / 5;
    let nw = w.saturating_sub(rw + tw + sw + 4);
    let header = format!(
        " {}{}{}{}",
        cell(theme, words::REFERENCE.say(l), rw),
        cell(theme, words::TIME.say(l), tw),
        cell(theme, words::NAME.say(l), nw + 1),
        cell(theme, words::STATE.say(l), sw),
    );
    frame.render_widget(
        Paragraph::new(Line::styled(header, theme.dim())),
        Rect::new(inner.x, inner.y + 2, inner.width, 1),
    );
    // The selected record's appointment, when the hub gave one, on up to two lines more.
    let appointment: Vec<String> = q
        .rows
        .get(q.selected)
        .and_then(|r| r.appointment.as_ref())
        .map(|a| {
            wrap(&appointment::line(a, l), w.saturating_sub(2))
                .into_iter()
                .take(2)
                .collect()
        })
        .unwrap_or_default();
    let answers = answer_lines(app, w.saturating_sub(2));
    let detail_h = 4 + appointment.len() + answers.len();
    let list_h = inner.height.saturating_sub(3 + detail_h as u16) as usize;
    let offset = (q.selected + 1).saturating_sub(list_h);
    let mut lines = Vec::new();
    if q.rows.is_empty() {
        // Names are sealed to the shift: without it a name is never found, and "not found"
        // would be a wrong answer.
        let said =
            if !app.shift.open && crate::kiosk::tui::app::search::is_name_search(q.search.text()) {
                words::NAMES_NEED_SHIFT
            } else {
                words::NO_RECORDS
            };
        for part in wrap(said.say(l), inner.width.saturating_sub(2) as usize) {
            lines.push(Line::styled(format!(" {}", theme.text(&part)), theme.dim()));
        }
    }
    for (i, r) in q.rows.iter().enumerate().skip(offset).take(list_h) {
        let text = format!(
            " {}{}{} {}",
            cell(theme, &r.reference, rw),
            cell(theme, &clock(r.created_at, app.view.utc_offset_secs), tw),
            cell(theme, &r.name(), nw),
            cell(theme, &r.describe(l), sw),
        );
        let style = if i == q.selected {
            theme.focus()
        } else {
            theme.label()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y + 3, inner.width, list_h as u16),
    );
    let area = Rect::new(
        inner.x,
        inner.bottom().saturating_sub(detail_h as u16),
        inner.width,
        detail_h as u16,
    );
    let extra: Vec<String> = appointment.into_iter().chain(answers).collect();
    draw_detail(frame, area, app, theme, &extra);
}

/// The selected record's answers to the campaign's questions, `label value · label value`, on
/// up to two lines `w` wide; what does not fit is cut with `…`.
fn answer_lines(app: &App, w: usize) -> Vec<String> {
    let q = &app.queue;
    let Some(reg) = q.rows.get(q.selected).and_then(|r| r.registration.as_ref()) else {
        return Vec::new();
    };
    let said: Vec<String> = app
        .answers_shown(reg.form_version, &reg.answers)
        .iter()
        .map(|a| format!("{}: {}", a.label, a.value))
        .collect();
    let mut lines = wrap(&said.join(" · "), w);
    if lines.len() > 2 {
        lines.truncate(2);
        lines[1] = if display_width(&lines[1]) + 2 <= w {
            format!("{} …", lines[1])
        } else {
            super::style::fit(&format!("{}…", lines[1]), w)
        };
    }
    lines
}

/// The selected record's details at the foot: who and when, what the hub said, its
/// appointment's and its answers' `extra` lines, then the keys line.
fn draw_detail(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme, extra: &[String]) {
    let (l, q, w) = (app.lang, &app.queue, area.width as usize);
    let mut detail: Vec<Line<'_>> = Vec::new();
    if let Some(r) = q.rows.get(q.selected) {
        let who = format!(
            "{} {}  {} {}",
            r.reference,
            r.name(),
            words::BY.say(l),
            r.operator
        );
        detail.push(Line::from(theme.fit(&format!(" {who}"), w)));
        for t in wrap(&r.describe(l), w - 2).into_iter().take(2) {
            detail.push(Line::from(format!(" {}", theme.text(&t))));
        }
    }
    detail.resize(3, Line::raw(""));
    for t in extra {
        detail.push(Line::from(format!(" {}", theme.text(t))));
    }
    detail.push(Line::styled(theme.fit(&keys(app), w), theme.dim()));
    frame.render_widget(Paragraph::new(detail), area);
}

/// The keys line, with where Esc goes back to.
fn keys(app: &App) -> String {
    let l = app.lang;
    let back = match app.queue.return_to {
        Screen::Start => words::BACK_TO_START,
        Screen::Review => words::BACK_TO_REVIEW,
        Screen::Receipt => words::BACK_TO_RECEIPT,
        Screen::Form | Screen::Queue | Screen::Checkin => words::BACK_TO_FORM,
    };
    format!("{}{}", words::KEYS.say(l), back.say(l))
}
