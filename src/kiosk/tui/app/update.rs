//! One message applied to the [`App`]: a key goes to the screen's handler (`handle`), the
//! sender's status, the card reader's events, the queue's answers and the window's size change
//! the state directly; what follows is returned as [`Effect`]s. After each, a newer form the
//! hub published is taken if the form is untouched (`versions`).

use super::{App, Effect, Hint, Msg, Screen, card, handle, keys, queue, save};

/// Applies one message; returns the effects to run.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut fx = apply(app, msg);
    // A card read away from the form fills it once the form is shown.
    fx.extend(card::settle(app));
    // A newer form the hub published is taken the moment the form is untouched again (a save,
    // a discard), not at the sender's next status.
    super::versions::from_hub(app);
    fx
}

fn apply(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) if keys::is_release(&k) => Vec::new(),
        Msg::Key(k) => handle::key(app, &k),
        Msg::Paste(s) => handle::paste(app, &s),
        Msg::Resize { width, height } => {
            app.too_small = width < crate::kiosk::tui::ui::MIN_WIDTH
                || height < crate::kiosk::tui::ui::MIN_HEIGHT;
            Vec::new()
        }
        Msg::Sync(s) => {
            app.sync = s;
            let mut fx = vec![Effect::RefreshStats];
            match (&app.receipt, app.screen) {
                (Some(r), Screen::Receipt) => fx.push(Effect::GetRecord {
                    id: r.submission_id,
                }),
                (_, Screen::Queue) => fx.push(queue::list(app)),
                _ => {}
            }
            // The sender may have brought a new list or sent doses.
            if app.checkin.is_some() {
                fx.push(super::checkin::status());
            }
            fx
        }
        Msg::Card(crate::kiosk::card::CardEvent::Read(data)) if app.screen == Screen::Checkin => {
            super::checkin::card(app, &data.citizen_id)
        }
        Msg::Card(ev) => card::event(app, ev),
        Msg::Checkin(answer) => super::checkin::answer(app, answer),
        Msg::Stats {
            unsent,
            last_sync_ok_at,
        } => {
            app.unsent = unsent;
            app.last_sync_ok_at = last_sync_ok_at;
            Vec::new()
        }
        Msg::Tick(now) => {
            super::shift::tick(app, now);
            Vec::new()
        }
        Msg::ShiftOpened(result) => {
            super::shift::opened(app, result);
            Vec::new()
        }
        Msg::Enqueued(result) => {
            let mut fx = save::enqueued(app, result);
            fx.extend(super::print::after_save(app));
            fx
        }
        Msg::Enrolled(result) => {
            super::enrol::enrolled(app, result);
            Vec::new()
        }
        Msg::Printed(result) => {
            super::print::printed(app, result);
            Vec::new()
        }
        Msg::PersonFound { id_key, record } => {
            if app.form.looked_up.as_deref() == Some(id_key.as_str()) {
                let correcting = app.form.replaces.as_ref().map(|r| r.0);
                app.form.duplicate = record.filter(|r| Some(r.submission_id) != correcting);
                if let Some(d) = &app.form.duplicate {
                    app.hint = Some(Hint::already_queued(d));
                }
            }
            Vec::new()
        }
        Msg::Listed(Ok(rows)) => {
            app.queue.rows = rows;
            app.queue.selected = app
                .queue
                .selected
                .min(app.queue.rows.len().saturating_sub(1));
            Vec::new()
        }
        Msg::Listed(Err(e)) | Msg::Cancelled(Err(e)) => {
            app.hint = Some(Hint::QueueProblem(e));
            Vec::new()
        }
        Msg::Cancelled(Ok(reference)) => {
            app.hint = Some(Hint::Cancelled(reference));
            vec![queue::list(app), Effect::RefreshStats, Effect::WakeSync]
        }
        Msg::RecordState(row) => {
            if let Some(r) = app
                .receipt
                .as_mut()
                .filter(|r| r.submission_id == row.submission_id)
            {
                r.state = row.state;
                r.outcome = row.outcome;
                r.appointment = row.appointment;
            }
            Vec::new()
        }
    }
}
