//! A queue record as the kiosk screen shows it: the queue's [`Record`] (its registration and
//! outcome typed as the queue decoded them), with the words for its state (`tui::words::queue`).

use uuid::Uuid;

use crate::core::form::Registration;
use crate::core::protocol::{Appointment, Outcome};
use crate::core::thai::Lang;
use crate::kiosk::queue::{Record, State};
use crate::kiosk::tui::words::queue::{
    cancel_reason, cancelled_by_hub, first_registered, moved_up, state_name, waiting, will_retry,
};

/// One queued record, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRow {
    pub submission_id: Uuid,
    pub reference: String,
    pub state: State,
    pub created_at: i64,
    pub operator: String,
    /// `None` after retention purged the personal data, or with no shift open.
    pub registration: Option<Registration>,
    pub outcome: Option<Outcome>,
    pub last_error: Option<String>,
    /// The state the hub moved it from (`waitlisted` for a person moved up to accepted).
    pub moved_from: Option<State>,
    /// The latest appointment the hub gave (its security code while a shift is open).
    pub appointment: Option<Appointment>,
}

impl RecordRow {
    /// A queue record (one whose stored registration cannot be read shows as purged).
    #[must_use]
    pub fn from_record(r: &Record) -> Self {
        Self {
            submission_id: r.submission_id,
            reference: r.reference.clone(),
            state: r.state,
            created_at: r.created_at,
            operator: r.operator.clone(),
            registration: r.registration.clone(),
            outcome: r.outcome.clone(),
            last_error: r.last_error.clone(),
            moved_from: r.moved_from,
            appointment: r.appointment.clone(),
        }
    }

    /// Title, first and last name (unsanitised: draw through the width module).
    #[must_use]
    pub fn name(&self) -> String {
        self.registration.as_ref().map_or_else(String::new, |r| {
            format!("{}{} {}", r.title, r.first_name, r.last_name)
        })
    }

    /// True when the clerk may still correct or cancel it.
    #[must_use]
    pub fn changeable(&self) -> bool {
        matches!(self.state, State::Pending | State::Rejected) && self.registration.is_some()
    }

    /// True when the clerk may cancel it: as [`RecordRow::changeable`], or registered at the hub
    /// (the hub hears of it and gives the place to the waiting list).
    #[must_use]
    pub fn cancellable(&self) -> bool {
        self.changeable() || matches!(self.state, State::Accepted | State::Waitlisted)
    }

    /// The state with what the hub said: references, waiting-list place, the reason of a rejection.
    #[must_use]
    pub fn describe(&self, lang: Lang) -> String {
        let state = state_name(self.state, lang);
        match &self.outcome {
            Some(Outcome::Accepted { hub_reference })
                if self.moved_from == Some(State::Waitlisted) =>
            {
                moved_up(hub_reference, lang)
            }
            Some(Outcome::Accepted { hub_reference }) => format!("{state} {hub_reference}"),
            Some(Outcome::Duplicate {
                first_reference,
                first_registration_point,
                ..
            }) => first_registered(state, first_reference, first_registration_point, lang),
            Some(Outcome::Waitlisted {
                hub_reference,
                position,
            }) => waiting(
                state,
                *position,
                self.registration.as_ref().map(|r| r.target_group),
                hub_reference,
                lang,
            ),
            Some(Outcome::Rejected { field, reason }) if self.state == State::Rejected => {
                format!("{state}: {field}: {reason}")
            }
            Some(Outcome::Conflict { message }) if self.state == State::Rejected => {
                format!("{state}: {message}")
            }
            _ => match (&self.last_error, self.state, &self.outcome) {
                (Some(e), State::Cancelled, _) => {
                    format!("{state} ({})", cancel_reason(e, lang))
                }
                // Cancelled at the hub, not here: the reason the hub gave.
                (None, State::Cancelled, Some(Outcome::Cancelled { reason, .. })) => {
                    cancelled_by_hub(state, reason, lang)
                }
                (Some(e), State::Pending, _) => will_retry(state, e, lang),
                _ => state.to_owned(),
            },
        }
    }
}
