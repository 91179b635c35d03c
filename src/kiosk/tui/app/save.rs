//! From a filled form to a saved record: the review (errors send the clerk back to the first
//! bad field, a duplicate stops the entry), saving with warnings confirmed, the queue's answer
//! (the receipt only after Ok; an error keeps everything typed), the next person, and loading a
//! queued record to correct it.

use crossterm::event::{KeyCode, KeyEvent};
use uuid::Uuid;

use super::fields::format_id_as_typed;
use super::{App, Confirm, Effect, Form, Hint, Receipt, RecordRow, Review, Screen};
use crate::core::form::{FieldKey, Registration};
use crate::core::thai::national_id::ID_DIGITS;
use crate::kiosk::queue::{NewRecord, State};

/// A registration to save ([`Effect::Enqueue`]), with what its receipt shows once saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Save {
    /// As it was validated for saving.
    pub registration: Registration,
    pub operator: String,
    /// The record it corrects (and cancels), if any.
    pub replaces: Option<Uuid>,
    /// That record's reference, for the receipt.
    pub corrects: Option<String>,
}

impl Save {
    /// What the queue stores.
    #[must_use]
    pub fn record(&self) -> NewRecord {
        NewRecord::from_registration(&self.registration, &self.operator, self.replaces)
    }

    /// The answer once the queue saved it as `submission_id`, `reference`.
    #[must_use]
    pub fn saved(self, submission_id: Uuid, reference: String) -> Saved {
        Saved {
            submission_id,
            reference,
            registration: self.registration,
            corrects: self.corrects,
        }
    }
}

/// What the queue saved ([`Msg::Enqueued`](super::Msg::Enqueued)): all the receipt shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub submission_id: Uuid,
    pub reference: String,
    pub registration: Registration,
    /// The reference of the record it corrects.
    pub corrects: Option<String>,
}

pub(super) fn try_review(app: &mut App) -> Vec<Effect> {
    app.form.show_all = true;
    app.form.popup = None;
    let v = app.form.revalidate(&app.campaign, app.today);
    if let Some(d) = &app.form.duplicate {
        app.hint = Some(Hint::already_queued(d));
        app.form.focus_on(FieldKey::IdNumber);
        return Vec::new();
    }
    if let Some(first) = v.errors.first() {
        app.form.focus_on(first.field);
        app.hint = Some(Hint::FixErrors(v.errors.len()));
        return Vec::new();
    }
    app.hint = None;
    app.review = Review {
        selected: app.form.slots.len(),
        saving: false,
        error: None,
    };
    app.screen = Screen::Review;
    Vec::new()
}

pub(super) fn review_key(app: &mut App, k: &KeyEvent) -> Vec<Effect> {
    if app.review.saving {
        return Vec::new();
    }
    let n = app.form.slots.len();
    // Rows 0..n are the fields (two columns), n the save button; ↑↓ go round through both.
    let stops = n + 1;
    let half = n.div_ceil(2);
    let sel = app.review.selected;
    match k.code {
        KeyCode::Up | KeyCode::BackTab => app.review.selected = (sel + stops - 1) % stops,
        KeyCode::Down | KeyCode::Tab => app.review.selected = (sel + 1) % stops,
        KeyCode::Left if sel < n => app.review.selected = sel % half,
        KeyCode::Right if sel < n => app.review.selected = (sel % half + half).min(n - 1),
        KeyCode::Enter if app.review.selected >= n => return submit(app, false),
        KeyCode::Enter => {
            let key = app.form.slots[app.review.selected].key;
            app.form.focus_on(key);
            app.screen = Screen::Form;
        }
        KeyCode::Esc => app.screen = Screen::Form,
        _ => {}
    }
    Vec::new()
}

pub(super) fn submit(app: &mut App, warnings_passed: bool) -> Vec<Effect> {
    let v = app.form.revalidate(&app.campaign, app.today);
    let Some(reg) = v.registration else {
        app.screen = Screen::Form;
        return try_review(app);
    };
    if !v.warnings.is_empty() && !warnings_passed {
        app.confirm = Some(Confirm::SaveWithWarnings);
        return Vec::new();
    }
    app.review.error = None;
    app.review.saving = true;
    vec![Effect::Enqueue(Box::new(Save {
        registration: reg,
        operator: app.operator_name(),
        replaces: app.form.replaces.as_ref().map(|r| r.0),
        corrects: app.form.replaces.as_ref().map(|r| r.1.clone()),
    }))]
}

/// The queue's answer to a save: the receipt, made of what was saved, or why not.
pub fn enqueued(app: &mut App, result: Result<Saved, String>) -> Vec<Effect> {
    app.review.saving = false;
    match result {
        Err(e) => {
            app.review.error = Some(e);
            Vec::new()
        }
        Ok(saved) => {
            let r = &saved.registration;
            let id_shown = if r.id_number.len() == ID_DIGITS {
                format_id_as_typed(&r.id_number)
            } else {
                r.id_number.clone()
            };
            let group = app
                .campaign
                .group(r.target_group)
                .map(|g| format!("{} {}", g.number, g.name(app.lang)))
                .unwrap_or_default();
            app.receipt = Some(Receipt {
                name: format!("{}{} {}", r.title, r.first_name, r.last_name),
                id_shown,
                group,
                submission_id: saved.submission_id,
                reference: saved.reference,
                state: State::Pending,
                outcome: None,
                corrects: saved.corrects,
                appointment: None,
                form_version: r.form_version,
                answers: r.answers.clone(),
            });
            app.form = Form::new(&app.campaign);
            app.back = None;
            app.screen = Screen::Receipt;
            app.hint = None;
            vec![Effect::WakeSync, Effect::RefreshStats]
        }
    }
}

pub(super) fn next_person(app: &mut App) {
    app.form = Form::new(&app.campaign);
    app.receipt = None;
    app.screen = Screen::Form;
}

/// Loads a queued record into the form to correct it.
pub(super) fn correct(app: &mut App, row: &RecordRow) {
    let Some(reg) = &row.registration else {
        return;
    };
    let mut form = Form::correcting(
        &app.campaign,
        &reg.to_input(),
        row.submission_id,
        &row.reference,
    );
    form.revalidate(&app.campaign, app.today);
    if let Some(crate::core::protocol::Outcome::Rejected { field, .. }) = &row.outcome
        && let Some(k) = FieldKey::parse(field).or_else(|| app.campaign.key(field))
    {
        form.focus_on(k);
    }
    form.looked_up = form.person_key(true);
    app.form = form;
    app.screen = Screen::Form;
    app.hint = None;
}
