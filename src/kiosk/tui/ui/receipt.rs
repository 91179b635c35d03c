//! The receipt: "saved", the reference code in big letters, the person's name, ID and group, the
//! record's queue state (it follows the sender), the appointment once the hub gives one (site,
//! day in BE, slot, security code), and a QR code of the reference to photograph.

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
    let mut lines: Vec<Line<'_>> = vec![
        Line::styled(theme.fit(words::SAVED.say(l), w), theme.ok()),
        Line::raw(""),
        Line::styled(theme.fit(words::REFERENCE.say(l), w), theme.dim()),
    ];
    if bigtext::width(&r.reference) <= w {
        for row in bigtext::render(&r.reference) {
            lines.push(Line::styled(row, theme.ok()));
        }
        lines.push(Line::styled(r.reference.clone(), theme.ok()));
    } else {
        lines.push(Line::styled(r.reference.clone(), theme.ok()));
    }
    lines.push(Line::raw(""));
    let state = state_line(app, r);
    let label_w = 14;
    // A value longer than its room (a long group, the state's note beside the QR code) goes on
    // under its label, wrapped, not cut.
    let mut fact = |label: &str, value: &str| {
        let label = theme.fit(label, label_w);
        let pad = " ".repeat(label_w - display_width(&label));
        let room = w.saturating_sub(label_w + 1).max(1);
        for (i, part) in wrap(value, room).iter().enumerate() {
            let head = if i == 0 {
                format!("{label}{pad}")
            } else {
                " ".repeat(label_w)
            };
            let text = format!("{head} {}", theme.text(part));
            lines.push(Line::from(super::style::fit(&text, w)));
        }
    };
    fact(words::NAME.say(l), &r.name);
    fact(words::ID_NUMBER.say(l), &r.id_shown);
    fact(words::GROUP.say(l), &r.group);
    fact(words::STATE.say(l), &state);
    if let Some(c) = &r.corrects {
        fact(words::REPLACES.say(l), c);
    }
    if let Some(a) = &r.appointment {
        fact(appointment::SITE.say(l), &appointment::site(a, l));
        fact(appointment::WHEN.say(l), &appointment::when(a, l));
        if let Some(code) = &a.security_code {
            fact(appointment::CODE.say(l), code);
        }
    }
    // The keys below stay on a small screen: the blank line before them goes first.
    let keys = 1 + usize::from(app.printer.configured);
    if lines.len() + keys < usize::from(inner.height) {
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
