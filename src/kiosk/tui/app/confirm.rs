//! Answers to the yes/no dialogs. Discarding a typed form, replacing it with a card's data and
//! quitting want a deliberate `y`: Enter and Esc keep the work in each. Leaving the form goes where [`App::esc_goes`] says: back to where a correction came
//! from, or the start of shift.

use crossterm::event::{KeyCode, KeyEvent};

use super::queue::list;
use super::save::{correct, submit};
use super::{AfterDiscard, App, Back, Confirm, Effect, Form, Hint, Screen};

pub(super) fn confirm_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    let discard = matches!(
        app.confirm,
        Some(Confirm::Discard(_) | Confirm::ReplaceWithCard(_) | Confirm::Quit)
    );
    // y, or from a Thai keyboard ใ (ใช่) or ั (the y key in Kedmanee); n, ไ (ไม่) or ื likewise.
    let yes_key = matches!(k.code, KeyCode::Char('y' | 'Y' | 'ใ' | 'ั'));
    let no_key = matches!(k.code, KeyCode::Esc | KeyCode::Char('n' | 'N' | 'ไ' | 'ื'));
    // Discarding and quitting want a deliberate yes key; Enter keeps the work.
    let yes = yes_key || (!discard && k.code == KeyCode::Enter);
    let no = no_key || (discard && k.code == KeyCode::Enter);
    if no {
        app.confirm = None;
    }
    if !yes {
        return Vec::new();
    }
    match app.confirm.take() {
        Some(Confirm::Discard(after)) => return discard_then(app, after),
        Some(Confirm::Quit) => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Some(Confirm::CancelRecord(row)) => {
            return vec![Effect::Cancel {
                id: row.submission_id,
            }];
        }
        Some(Confirm::SaveWithWarnings) => return submit(app, true),
        Some(Confirm::ReplaceWithCard(data)) => return super::card::replace(app, &data),
        None => {}
    }
    Vec::new()
}

/// Leaves the form (its typing thrown away) for `after`.
pub(super) fn discard_then(app: &mut App, after: AfterDiscard) -> Vec<Effect> {
    app.hint = None;
    match (after, app.back.take()) {
        (AfterDiscard::Correct(row), _) => {
            app.back = Some(Back::Queue);
            correct(app, &row);
        }
        (AfterDiscard::Back, Some(Back::Form(form))) => {
            app.form = *form;
            app.screen = Screen::Form;
            // The form as it was, with what was said about the person on it.
            app.hint = app.form.duplicate.as_ref().map(Hint::already_queued);
        }
        (AfterDiscard::Back, Some(Back::Queue)) => {
            app.form = Form::new(&app.campaign);
            app.screen = Screen::Queue;
            return vec![list(app)];
        }
        (AfterDiscard::ToStart | AfterDiscard::Back, _) => {
            app.form = Form::new(&app.campaign);
            app.screen = Screen::Start;
            return super::shift::close(app);
        }
    }
    Vec::new()
}
