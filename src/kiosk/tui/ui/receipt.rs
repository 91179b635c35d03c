//! The receipt: "saved", the reference code in big letters, the person's name, ID and group, the
//! record's queue state (it follows the sender), the appointment once the hub gives one (site,
//! day in BE, slot, security code), the answers to the campaign's questions (in the words of the
//! version the record was made with), and a QR code of the reference to photograph. Short of
//! room, the big letters go first, then the last answers, with a line saying how many.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{Theme, bigtext, qr};
use crate::core::thai::width::{display_width, wrap};
use crate::kiosk::queue::State;
use crate::kiosk::sync::Link;
use crate::kiosk::tui::app::App;
use crate::kiosk::tui::words::appointment;
use crate::kiosk::tui::words::queue::state_name;
use crate::kiosk::tui::words::receipt as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let block = Block::bordered()
        .border_style(theme.ok())
        .title(theme.text(words::TITLE.say(l)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = &app.receipt else { return };
    // Dark modules are the blocks, with colour or without (`qr`).
    let code = qr::render(&r.reference).unwrap_or_default();
    let qr_w = code.first().map_or(0, |s| s.chars().count()) as u16;
    let show_qr = qr_w > 0 && inner.width > qr_w + 40 && inner.height >= code.len() as u16;
    let left_w = if show_qr {
        inner.width - qr_w - 2
    } else {
        inner.width
    };
    if show_qr {
        let qr_area = Rect::new(inner.right() - qr_w - 1, inner.y, qr_w, code.len() as u16);
        let style = if theme.no_color {
            Style::default()
        } else {
            Style::default().fg(Color::Black).bg(Color::White)
        };
        let lines: Vec<Line<'_>> = code.into_iter().map(|s| Line::styled(s, style)).collect();
        frame.render_widget(Paragraph::new(lines), qr_area);
    }
    let w = left_w as usize - 2;
    let answers = app.answers_shown(r.form_version, &r.answers);
    // Labels as wide as the longest (an answer's question), up to two fifths of the room.
    let label_w = answers
        .iter()
        .map(|a| display_width(&theme.text(&a.label)))
        .max()
        .unwrap_or(0)
        .clamp(14, (w * 2 / 5).max(14));
    let fact = |label: &str, value: &str| fact_lines(theme, label, value, label_w, w);
    let state = state_line(app, r);
    let mut facts: Vec<Line<'_>> = [
        fact(words::NAME.say(l), &r.name),
        fact(words::ID_NUMBER.say(l), &r.id_shown),
        fact(words::GROUP.say(l), &r.group),
    ]
    .concat();
    let mut after = fact(words::STATE.say(l), &state);
    if let Some(c) = &r.corrects {
        after.extend(fact(words::REPLACES.say(l), c));
    }
    if let Some(a) = &r.appointment {
        after.extend(fact(appointment::SITE.say(l), &appointment::site(a, l)));
        after.extend(fact(appointment::WHEN.say(l), &appointment::when(a, l)));
        if let Some(code) = &a.security_code {
            after.extend(fact(appointment::CODE.say(l), code));
        }
    }
    let answer_lines: Vec<Vec<Line<'_>>> =
        answers.iter().map(|a| fact(&a.label, &a.value)).collect();
    let keys = 1 + usize::from(app.printer.configured);
    let height = usize::from(inner.height);
    let rest = facts.len() + after.len() + keys + answer_lines.iter().map(Vec::len).sum::<usize>();
    // Short of room, the reference in big letters goes first, then the last answers (with a
    // line saying how many are left out).
    let big = bigtext::width(&r.reference) <= w && 8 + rest <= height;
    let mut lines: Vec<Line<'_>> = vec![
        Line::styled(theme.fit(words::SAVED.say(l), w), theme.ok()),
        Line::raw(""),
        Line::styled(theme.fit(words::REFERENCE.say(l), w), theme.dim()),
    ];
    if big {
        for row in bigtext::render(&r.reference) {
            lines.push(Line::styled(row, theme.ok()));
        }
    }
    lines.push(Line::styled(r.reference.clone(), theme.ok()));
    lines.push(Line::raw(""));
    let room = height.saturating_sub(lines.len() + facts.len() + after.len() + keys);
    let all: usize = answer_lines.iter().map(Vec::len).sum();
    let mut used = 0;
    for (i, a) in answer_lines.iter().enumerate() {
        if all > room && used + a.len() + 1 > room {
            let more = words::more_answers(answer_lines.len() - i, l);
            facts.push(Line::styled(theme.fit(&more, w), theme.dim()));
            break;
        }
        facts.extend(a.iter().cloned());
        used += a.len();
    }
    lines.extend(facts);
    lines.extend(after);
    // The keys below stay on a small screen: the blank line before them goes first.
    if lines.len() + keys < height {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(theme.fit(words::NEXT.say(l), w), theme.dim()));
    if app.printer.configured {
        let again = crate::kiosk::tui::words::print::PRINT_AGAIN.say(l);
        lines.push(Line::styled(theme.fit(again, w), theme.dim()));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x + 1, inner.y, left_w - 1, inner.height),
    );
}

/// One fact as lines `w` wide: its label in `label_w` columns, its value beside it; a value
/// longer than its room (a long group, the state's note beside the QR code) goes on under its
/// label, wrapped, not cut.
fn fact_lines<'a>(
    theme: Theme,
    label: &str,
    value: &str,
    label_w: usize,
    w: usize,
) -> Vec<Line<'a>> {
    let label = theme.fit(label, label_w);
    let pad = " ".repeat(label_w.saturating_sub(display_width(&label)));
    let room = w.saturating_sub(label_w + 1).max(1);
    wrap(value, room)
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                format!("{label}{pad}")
            } else {
                " ".repeat(label_w)
            };
            let text = format!("{head} {}", theme.text(part));
            Line::from(super::style::fit(&text, w))
        })
        .collect()
}

/// The record's state as the receipt says it: where a record not sent yet is, or what the hub
/// said.
fn state_line(app: &App, r: &crate::kiosk::tui::app::Receipt) -> String {
    let l = app.lang;
    if matches!(r.state, State::Pending | State::Sending) {
        format!(
            "{} — {}",
            state_name(r.state, l),
            if app.sync.link == Link::NoHub {
                words::KEPT_NO_HUB
            } else {
                words::SENT_WHEN_UP
            }
            .say(l)
        )
    } else {
        let row = crate::kiosk::tui::app::RecordRow {
            submission_id: r.submission_id,
            reference: r.reference.clone(),
            state: r.state,
            created_at: 0,
            operator: String::new(),
            registration: None,
            outcome: r.outcome.clone(),
            last_error: None,
            moved_from: None,
            appointment: None,
        };
        row.describe(l)
    }
}
