//! The work the one writer takes: what each job carries, what it came to, and the answer sent
//! back on the job's oneshot.

use tokio::sync::oneshot;

use crate::core::protocol::{Cancellation, Dose, DoseResult, Heartbeat, ItemOutcome};
use crate::hub::error::HubError;
use crate::hub::intake::prepare::Prepared;
use crate::hub::places::kiosks::Caller;

/// Work for the writer.
pub enum Job {
    Batch {
        caller: Caller,
        items: Vec<Prepared>,
        reply: oneshot::Sender<Result<Vec<ItemOutcome>, HubError>>,
    },
    Heartbeat {
        caller: Caller,
        beat: Heartbeat,
        reply: oneshot::Sender<Result<(), HubError>>,
    },
    /// A kiosk's cancellations of its own submissions (each answered with its outcome after).
    Cancel {
        caller: Caller,
        items: Vec<Cancellation>,
        reply: oneshot::Sender<Result<Vec<ItemOutcome>, HubError>>,
    },
    /// The doses a site's kiosk recorded (each answered with what the hub made of it).
    Doses {
        caller: Caller,
        doses: Vec<Dose>,
        reply: oneshot::Sender<Result<Vec<DoseResult>, HubError>>,
    },
}

impl Job {
    /// The submissions it carries: what the writer's backlog counts (heartbeats,
    /// cancellations and doses are not counted).
    pub fn submissions(&self) -> u64 {
        match self {
            Job::Batch { items, .. } => items.len() as u64,
            Job::Heartbeat { .. } | Job::Cancel { .. } | Job::Doses { .. } => 0,
        }
    }

    /// Its weight in a commit: what the writer's limit per commit counts.
    pub fn weight(&self) -> usize {
        match self {
            Job::Batch { items, .. } => items.len().max(1),
            Job::Cancel { items, .. } => items.len().max(1),
            Job::Doses { doses, .. } => doses.len().max(1),
            Job::Heartbeat { .. } => 1,
        }
    }
}

/// What a job came to.
pub enum Done {
    /// A batch's or a cancellation's outcomes.
    Outcomes(Vec<ItemOutcome>),
    /// The doses' answers.
    Doses(Vec<DoseResult>),
    /// A heartbeat stored.
    Beat,
}

/// Sends `job` its result. A requester that went away (the client disconnected) simply gets no
/// answer; what was committed stays.
pub fn answer(job: Job, result: Result<Done, HubError>) {
    match job {
        Job::Batch { reply, .. } | Job::Cancel { reply, .. } => {
            let _ = reply.send(result.map(|done| match done {
                Done::Outcomes(outcomes) => outcomes,
                Done::Doses(_) | Done::Beat => Vec::new(),
            }));
        }
        Job::Doses { reply, .. } => {
            let _ = reply.send(result.map(|done| match done {
                Done::Doses(results) => results,
                Done::Outcomes(_) | Done::Beat => Vec::new(),
            }));
        }
        Job::Heartbeat { reply, .. } => {
            let _ = reply.send(result.map(|_| ()));
        }
    }
}
