//! The queue screen's keys: the selection, the search box (each change lists again), Enter to
//! correct a pending or rejected record, Delete or Ctrl-D to cancel one.

use crossterm::event::{KeyCode, KeyEvent};

use super::fields::{Edit, bool_edit, edit_text};
use super::keys::{is_ctrl, typed_char};
use super::save::correct;
use super::{AfterDiscard, App, Back, Confirm, Effect, Hint, KeyLayout, RecordRow};
use crate::core::thai::input_check::CheckMode;
use crate::core::thai::kedmanee;

/// The list effect for the current search.
pub fn list(app: &App) -> Effect {
    Effect::ListQueue {
        searches: super::search::queries(app.queue.search.text(), &app.campaign.titles),
    }
}

pub(super) fn queue_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let q = &mut app.queue;
    let selected = q.rows.get(q.selected).cloned();
    if matches!(
        k.code,
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown | KeyCode::Esc
    ) {
        // What was said about the row (or the screen) left behind.
        app.hint = None;
    }
    match k.code {
        KeyCode::Up => q.selected = q.selected.saturating_sub(1),
        KeyCode::Down => q.selected = (q.selected + 1).min(q.rows.len().saturating_sub(1)),
        KeyCode::PageUp => q.selected = q.selected.saturating_sub(10),
        KeyCode::PageDown => q.selected = (q.selected + 10).min(q.rows.len().saturating_sub(1)),
        KeyCode::Esc => app.screen = q.return_to,
        KeyCode::Enter => match selected {
            Some(r) if r.changeable() && app.form.has_data() => {
                app.confirm = Some(Confirm::Discard(AfterDiscard::Correct(Box::new(r))));
            }
            Some(r) if r.changeable() => {
                app.back = Some(Back::Queue);
                correct(app, &r);
            }
            Some(r) => app.hint = Some(Hint::NotChangeable(r.state)),
            None => {}
        },
        KeyCode::Delete => return ask_cancel(app, selected),
        _ if is_ctrl(k, 'p') => {
            return selected.map_or_else(Vec::new, |r| super::print::row_key(app, &r));
        }
        _ if is_ctrl(k, 'd') => return ask_cancel(app, selected),
        _ => {
            let before = q.search.text().to_owned();
            let edit = match edit_text(&mut q.search, k, app.layout == KeyLayout::Th, 60) {
                // A number typed with the system's Thai layout: the marks the number row types
                // (ุ on 6, ึ on 7) have no base to stand on; they are the digits.
                Edit::Rejected(r) => match typed_char(k).and_then(kedmanee::to_key) {
                    Some(d) if d.is_ascii_digit() => {
                        bool_edit(q.search.insert_char(d, CheckMode::Off).is_ok())
                    }
                    _ => Edit::Rejected(r),
                },
                other => other,
            };
            match edit {
                Edit::Rejected(r) => app.hint = Some(Hint::Rejected(r)),
                Edit::Changed if before != app.queue.search.text() => {
                    app.queue.selected = 0;
                    return vec![list(app)];
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

fn ask_cancel(app: &mut App, selected: Option<RecordRow>) -> Vec<Effect> {
    match selected {
        Some(r) if r.cancellable() => {
            app.hint = None;
            app.confirm = Some(Confirm::CancelRecord(Box::new(r)));
        }
        Some(r) => app.hint = Some(Hint::NotChangeable(r.state)),
        None => {}
    }
    Vec::new()
}
