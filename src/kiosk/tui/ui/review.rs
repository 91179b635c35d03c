//! The review page: every field on one page in two columns (label: value), the row picked with
//! ↑↓ opens that field for editing, warnings the clerk may pass, the queue's error if the last
//! save failed, and the save button.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use crate::core::thai::width::{display_width, wrap};
use crate::core::thai::{Bilingual, Lang};
use crate::kiosk::tui::app::App;
use crate::kiosk::tui::app::form::Slot;
use crate::kiosk::tui::words::review as words;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let l = app.lang;
    let title = match &app.form.replaces {
        Some((_, r)) => words::title_correcting(r, l),
        None => words::TITLE.say(l).to_owned(),
    };
    let block = Block::bordered()
        .border_style(theme.border())
        .title(theme.text(&title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let slots = &app.form.slots;
    let half = slots.len().div_ceil(2);
    let col_w = (inner.width as usize - 1) / 2;
    let (shown_label, label_ws) = label_widths(slots, l, col_w, half);
    // The left column (ID, names, dates: short values) gives the right its spare room.
    let left_values = slots[..half.min(slots.len())]
        .iter()
        .map(|s| display_width(&s.widget.shown(l)))
        .max()
        .unwrap_or(0);
    let left_w = (label_ws[0] + left_values + 4).clamp(inner.width as usize / 3, col_w);
    let widths = [left_w, inner.width as usize - 1 - left_w];
    // Values too long for their column (a long group name): said whole under the fields.
    let mut cut: Vec<String> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let (ci, ri) = (i / half, i % half);
        if ri as u16 >= inner.height {
            continue;
        }
        let label_w = label_ws[ci.min(1)];
        let col_w = widths[ci.min(1)];
        let selected = app.review.selected == i;
        let label = theme.fit(shown_label(slot.label(l)), label_w);
        let label = format!("{label}{}", " ".repeat(label_w - display_width(&label)));
        let shown = slot.widget.shown(l);
        let room = col_w.saturating_sub(label_w + 3);
        if display_width(&theme.text(&shown)) > room {
            cut.push(format!("{}: {shown}", short_label(slot.label(l))));
        }
        let value = theme.fit(&shown, room);
        let style = if selected {
            theme.focus()
        } else {
            theme.label()
        };
        let line = Line::from(vec![
            Span::styled(
                format!(" {label}"),
                if selected { style } else { theme.dim() },
            ),
            Span::styled(format!(" {value}"), style),
        ]);
        let x = inner.x + if ci == 0 { 0 } else { left_w as u16 + 1 };
        frame.render_widget(
            Paragraph::new(line),
            Rect::new(x, inner.y + ri as u16, col_w as u16, 1),
        );
    }
    let w = inner.width as usize - 2;
    let mut lines: Vec<Line<'_>> = cut
        .iter()
        .flat_map(|c| wrap(c, w))
        .map(|t| Line::styled(format!(" {}", theme.text(&t)), theme.label()))
        .collect();
    lines.extend(notes(app, theme, w));
    let button = if app.review.saving {
        words::SAVING.say(l)
    } else {
        words::SAVE.say(l)
    };
    let bstyle = if app.review.selected >= slots.len() {
        theme.focus()
    } else {
        theme.label()
    };
    let hint = words::KEYS.say(l);
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled(theme.text(button), bstyle),
        Span::styled(
            format!("   {}", theme.fit(hint, w.saturating_sub(20))),
            theme.dim(),
        ),
    ]));
    let h = (lines.len() as u16).min(inner.height.saturating_sub(half as u16));
    let y = inner.y + inner.height - h;
    frame.render_widget(Paragraph::new(lines), Rect::new(inner.x, y, inner.width, h));
}

/// A label without its note in brackets.
fn short_label(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label)
}

/// How the review shows labels in columns `col_w` wide, `half` fields each: whole when they
/// leave a value 16 columns, else without their format note in brackets ("วันเกิด", not
/// "วันเกิด (วว/ดด/ปปปป พ.ศ.)": the value shows the format); each column as wide as its own
/// widest label.
fn label_widths(
    slots: &[Slot],
    l: Lang,
    col_w: usize,
    half: usize,
) -> (fn(&str) -> &str, [usize; 2]) {
    let widest = |ci: usize, f: fn(&str) -> &str| {
        slots
            .iter()
            .skip(ci * half)
            .take(half)
            .map(|s| display_width(f(s.label(l))))
            .max()
            .unwrap_or(0)
    };
    let cap = col_w.saturating_sub(16);
    let whole = widest(0, |s| s).max(widest(1, |s| s)) <= cap;
    let shown: fn(&str) -> &str = if whole { |s| s } else { short_label };
    (
        shown,
        [widest(0, shown).min(cap), widest(1, shown).min(cap)],
    )
}

/// The warnings (the form's, and the waiting list when the group is full) and a save error, as
/// lines of `w` columns.
fn notes<'a>(app: &App, theme: Theme, w: usize) -> Vec<Line<'a>> {
    let l = app.lang;
    let mut lines = Vec::new();
    let waitlist = crate::kiosk::tui::app::doses::waitlist_warning(app);
    let warnings = app.form.warnings.iter().map(|w| w.say(l)).chain(waitlist);
    for warning in warnings {
        for t in wrap(&format!("⚠ {warning}"), w) {
            lines.push(Line::styled(format!(" {}", theme.text(&t)), theme.warn()));
        }
    }
    if let Some(e) = &app.review.error {
        let msg = words::not_saved(e, l);
        for t in wrap(&msg, w) {
            lines.push(Line::styled(format!(" {}", theme.text(&t)), theme.error()));
        }
    }
    lines
}
