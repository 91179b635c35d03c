//! Handing a job to the one writer and waiting for its answer: a full queue or a backlog
//! beyond its budget is a `503` at once, never a wait.

use axum::http::StatusCode;
use tokio::sync::{mpsc, oneshot};

use crate::hub::intake::writer::Job;
use crate::hub::web::body::ApiError;
use crate::hub::web::state::{Door, Intake};

/// Hands `job` to the writer without waiting for room: a full queue is a `503`.
pub fn send(intake: &Intake, door: &Door, job: Job) -> Result<(), ApiError> {
    let submissions = job.submissions();
    if submissions > 0 && !intake.backlog.admit(submissions, door.max_queue_wait) {
        tracing::warn!(
            "writer backlog of {} would take over {:?}; shedding",
            intake.backlog.queued(),
            door.max_queue_wait
        );
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "The hub's writer is busy; try again later",
        )
        .retry_after(door.retry_after_secs));
    }
    intake.writer.try_send(job).map_err(|e| {
        intake.backlog.done(submissions, std::time::Duration::ZERO);
        match e {
            mpsc::error::TrySendError::Full(_) => {
                tracing::warn!("writer queue full; shedding");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded",
                    "The hub's writer is busy; try again later",
                )
                .retry_after(door.retry_after_secs)
            }
            mpsc::error::TrySendError::Closed(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting_down",
                "The hub is stopping; try again later",
            )
            .retry_after(door.retry_after_secs),
        }
    })
}

/// The writer's answer to a job: its result, a storage failure as `503`, or `503` when the
/// writer went away without answering.
pub async fn answered<T>(
    door: &Door,
    answer: oneshot::Receiver<Result<T, crate::hub::error::HubError>>,
) -> Result<T, ApiError> {
    match answer.await {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(ApiError::storage(&e, door.retry_after_secs)),
        Err(_) => Err(ApiError::storage(
            &crate::hub::error::HubError::WriterStopped,
            door.retry_after_secs,
        )),
    }
}
