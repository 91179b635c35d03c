//! The form screen: one row per field (marker, label, value, error), one column while every field
//! fits the window's height and two in a wide, short window, scrolling to keep the focused field
//! in view, and the tambon type-ahead popup under the tambon field. The terminal cursor goes
//! where the focused field's widget says.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_segmentation::UnicodeSegmentation;

use super::Theme;
use crate::core::form::FieldKey;
use crate::core::thai::Bilingual;
use crate::core::thai::width::{display_width, display_width_with};
use crate::kiosk::tui::app::App;
use crate::kiosk::tui::app::fields::Widget;
use crate::kiosk::tui::app::form::{Popup, Slot};
use crate::kiosk::tui::words::form as words;

/// Column widths of one field row.
#[derive(Clone, Copy)]
struct Cols {
    label: usize,
    value: usize,
    error: usize,
}

/// The columns of a field row `width` wide: the label as wide as the longest label (with its
/// ` *`) up to two fifths of the row, the rest shared by value and error, the value as wide as
/// the longest value in its `‹ ›` when that leaves the error a dozen columns (a long error
/// takes a row's blank value room, and is said whole under the form when its field is focused).
fn cols(width: usize, longest_label: usize, longest_value: usize) -> Cols {
    let label = (longest_label + 2).clamp(12, width * 2 / 5);
    let rest = width.saturating_sub(2 + label + 2);
    let value = (rest * 3 / 5).max((longest_value + 5).min(rest.saturating_sub(12)));
    Cols {
        label,
        value,
        error: rest - value,
    }
}

fn pad(s: &str, cols: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// The visible part of a value and where the cursor falls in it: the tail when the cursor
/// would be past the box.
fn visible(text: &str, cursor: Option<usize>, cols: usize) -> (String, Option<usize>) {
    let Some(mut cur) = cursor else {
        return (super::style::fit(text, cols), None);
    };
    let mut rest = text;
    while cur >= cols && !rest.is_empty() {
        let Some(g) = rest.graphemes(true).next() else {
            break;
        };
        cur = cur.saturating_sub(display_width(g));
        rest = &rest[g.len()..];
    }
    (super::style::fit(rest, cols), Some(cur))
}

fn row<'a>(
    app: &App,
    slot: &Slot,
    focused: bool,
    c: Cols,
    theme: Theme,
    cursor: &mut Option<usize>,
) -> Line<'a> {
    let l = app.lang;
    // The required mark survives a label cut short to fit.
    let mark = if slot.required { " *" } else { "" };
    let fitted = theme.fit(slot.label(l), c.label.saturating_sub(mark.len()));
    let label = pad(&format!("{fitted}{mark}"), c.label);
    let shown = theme.text(&slot.widget.shown(l));
    let cursor_col = if focused {
        match &slot.widget {
            Widget::Text(t) => {
                let before = &t.field.text()[..t.field.cursor()];
                Some(display_width_with(before, theme.profile))
            }
            w => w.cursor_col(l),
        }
    } else {
        None
    };
    let (error, error_style) = match app.form.shown_error(slot.key) {
        Some(e) => (
            theme.text(&format!("! {}", e.problem.say(l))),
            theme.error(),
        ),
        // What the card filled, until the clerk edits it.
        None if app.form.from_card.contains(&slot.key) && !slot.widget.value().is_empty() => {
            (theme.text(words::FROM_CARD.say(l)), theme.dim())
        }
        None => (String::new(), theme.error()),
    };
    // A row with nothing to say beside its value lends the value that room (a long group name).
    let room = if error.is_empty() {
        c.value + c.error
    } else {
        c.value
    }
    .saturating_sub(1);
    let value = match (&slot.widget, focused) {
        (Widget::Choice(ch), true) if !ch.is_other() => {
            *cursor = None;
            // The arrows give way before the choice is cut.
            let arrows = format!("‹ {shown} ›");
            if display_width(&arrows) <= room {
                arrows
            } else {
                shown
            }
        }
        (Widget::Choices(ch), true) => {
            *cursor = None;
            theme.text(&ticks(&ch.parts(l), room))
        }
        _ => shown,
    };
    // The doses left for the chosen group, as the hub last said, where the row has room for it
    // (else the field's help line says it).
    let value = match crate::kiosk::tui::app::doses::group_note(app) {
        Some(note) if slot.key == FieldKey::TargetGroup => {
            let with = format!("{value} · {}", theme.text(&note));
            if display_width(&with) <= room {
                with
            } else {
                value
            }
        }
        _ => value,
    };
    // A long error takes the value's blank room before it is cut.
    let value_w = c
        .value
        .saturating_sub(display_width(&error).saturating_sub(c.error.saturating_sub(1)))
        .max(display_width(&value) + 2)
        .min(room + 1);
    let (value, cur) = visible(&value, cursor_col, value_w.saturating_sub(1));
    if focused {
        *cursor = cur;
    }
    let error = super::style::fit(&error, (c.value + c.error).saturating_sub(value_w + 1));
    let marker = if focused { "▶ " } else { "  " };
    let label_style = if focused {
        theme.focus()
    } else {
        theme.label()
    };
    let value_style = if focused {
        theme.input()
    } else {
        theme.label()
    };
    Line::from(vec![
        Span::styled(marker, label_style),
        Span::styled(label, label_style),
        Span::raw("  "),
        Span::styled(pad(&value, value_w), value_style),
        Span::styled(format!(" {error}"), error_style),
    ])
}

/// The options of a question taking several, each with its check box, the highlighted one in
/// `‹ ›`, in `room` columns: when they do not all fit, the ones around the highlight, with `…`
/// where some are left out.
fn ticks(parts: &[crate::kiosk::tui::app::fields::Part], room: usize) -> String {
    let shown: Vec<String> = parts
        .iter()
        .map(|p| {
            if p.highlighted {
                format!("‹{}›", p.text)
            } else {
                format!(" {} ", p.text)
            }
        })
        .collect();
    let at = parts.iter().position(|p| p.highlighted).unwrap_or(0);
    let (mut from, mut to) = (at, at + 1);
    let width = |from: usize, to: usize| {
        let marks = 2 * usize::from(from > 0) + 2 * usize::from(to < shown.len());
        shown[from..to]
            .iter()
            .map(|s| display_width(s))
            .sum::<usize>()
            + marks
    };
    loop {
        if to < shown.len() && width(from, to + 1) <= room {
            to += 1;
        } else if from > 0 && width(from - 1, to) <= room {
            from -= 1;
        } else {
            break;
        }
    }
    let mut line = shown[from..to].concat();
    if from > 0 {
        line = format!("… {line}");
    }
    if to < shown.len() {
        line.push_str(" …");
    }
    super::style::fit(&line, room)
}

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
    let rows = inner.height as usize;
    // Two columns only when one would scroll and the window is wide enough for two.
    let ncols: usize = if inner.width >= 116 && slots.len() > rows {
        2
    } else {
        1
    };
    let per = slots.len().div_ceil(ncols);
    let col_w = (inner.width as usize - (ncols - 1) * 2) / ncols;
    let longest = slots
        .iter()
        .map(|s| display_width(s.label(l)))
        .max()
        .unwrap_or(0);
    let longest_value = slots
        .iter()
        .map(|s| display_width(&s.widget.shown(l)))
        .max()
        .unwrap_or(0);
    let c = cols(col_w, longest, longest_value);
    let focus = app.form.focus_index();
    let mut tambon_at = None;
    for (ci, chunk) in slots.chunks(per.max(1)).enumerate() {
        let x = inner.x + (ci * (col_w + 2)) as u16;
        let base = ci * per;
        let local_focus = focus.checked_sub(base).filter(|f| *f < chunk.len());
        let offset = match local_focus {
            Some(f) if chunk.len() > rows => {
                (f + 1).saturating_sub(rows / 2 + 1).min(chunk.len() - rows)
            }
            _ => 0,
        };
        // Room to spare (tall windows): a blank line between fields.
        let step = if chunk.len() * 2 <= rows { 2 } else { 1 };
        for (i, slot) in chunk.iter().enumerate().skip(offset).take(rows) {
            let y = inner.y + ((i - offset) * step) as u16;
            let focused = base + i == focus;
            let mut cur = None;
            let line = row(app, slot, focused, c, theme, &mut cur);
            frame.render_widget(Paragraph::new(line), Rect::new(x, y, col_w as u16, 1));
            let value_x = x + (2 + c.label + 2) as u16;
            if let (true, Some(cc), None) = (focused, cur, app.confirm.as_ref()) {
                frame.set_cursor_position(Position::new(value_x + cc as u16, y));
            }
            if slot.key == FieldKey::Tambon {
                tambon_at = Some((value_x, y));
            }
        }
        if chunk.len() > rows {
            let more = words::more_below(l, (offset + rows).min(chunk.len()), chunk.len());
            let w = display_width(&more) as u16;
            frame.render_widget(
                Paragraph::new(more).style(theme.dim()),
                Rect::new(x + col_w as u16 - w, area.y + area.height - 1, w, 1),
            );
        }
    }
    if let (Some(p), Some(at)) = (&app.form.popup, tambon_at) {
        popup(frame, area, app, theme, p, at);
    }
}

/// The tambon type-ahead under (or above) the tambon field at `(x, y)`.
fn popup(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    theme: Theme,
    p: &Popup,
    (x, y): (u16, u16),
) {
    let l = app.lang;
    let w = 62.min(area.right().saturating_sub(x + 1));
    let h = p.matches.len() as u16 + 2;
    let top = if y + 1 + h < area.bottom() {
        y + 1
    } else {
        y.saturating_sub(h)
    };
    let r = Rect::new(x, top, w, h);
    let lines: Vec<Line<'_>> = p
        .matches
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let t = format!(
                " {} · {} · {} {}",
                e.tambon, e.amphoe, e.province, e.postcode
            );
            let t = pad(&theme.fit(&t, w as usize - 2), w as usize - 2);
            let style = if i == p.selected {
                theme.focus()
            } else {
                theme.label()
            };
            Line::styled(t, style)
        })
        .collect();
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme.warn())
                .title(theme.text(words::TAMBON_LIST.say(l))),
        ),
        r,
    );
}
