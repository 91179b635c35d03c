//! `POST /v1/submissions` and `POST /v1/cancellations`: a kiosk's batches, opened and prepared
//! here, decided by the writer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use tokio::sync::oneshot;

use super::handoff::{answered, send};
use crate::core::form::Context;
use crate::core::protocol::{BatchResponse, CancellationBatch, Outcome, SubmissionBatch};
use crate::core::thai::date::today_be_from_unix;
use crate::hub::clock::now_ms;
use crate::hub::intake::open;
use crate::hub::intake::prepare;
use crate::hub::intake::writer::Job;
use crate::hub::places::kiosks::Caller;
use crate::hub::web::body::{ApiError, read_json};
use crate::hub::web::state::Shared;

/// Thailand is UTC+7 all year.
const THAILAND_UTC_OFFSET_SECS: i32 = 7 * 3600;

pub async fn submit(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchResponse>, ApiError> {
    let started = std::time::Instant::now();
    let batch: SubmissionBatch = read_json(&headers, body, st.door.body_limits).await?;
    if batch.items.len() > st.door.max_batch_items {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_items",
            format!("A batch has at most {} items", st.door.max_batch_items),
        ));
    }
    let ctx = Context {
        today: today_be_from_unix(now_ms() / 1000, THAILAND_UTC_OFFSET_SECS),
    };
    let versions = Arc::clone(&st.in_force.versions);
    let keys = Arc::clone(&st.credentials.keys);
    let now_ms = now_ms();
    let kiosk = caller.clone();
    let (items, refused) = tokio::task::spawn_blocking(move || {
        let mut items = Vec::with_capacity(batch.items.len());
        let mut refused = Vec::new();
        for (i, s) in batch.items.into_iter().enumerate() {
            match open::open(&keys, &kiosk.name, s) {
                open::Opened::Ready(s, reg) => {
                    items.push(prepare::prepare(&versions, ctx, now_ms, &kiosk, s, reg));
                }
                open::Opened::Refused(answer) => refused.push((i, answer)),
            }
        }
        (items, refused)
    })
    .await
    .map_err(|_| ApiError::bad_request("The batch could not be checked"))?;
    let written = if items.is_empty() {
        Vec::new()
    } else {
        let (reply, answer) = oneshot::channel();
        send(
            &st.intake,
            &st.door,
            Job::Batch {
                caller,
                items,
                reply,
            },
        )?;
        answered(&st.door, answer).await?
    };
    let outcomes = open::merge(written, refused);
    for o in &outcomes {
        st.metrics.outcome(match o.outcome {
            Outcome::Conflict { .. } => "conflict",
            ref other => other.state_name(),
        });
    }
    st.metrics.batch(started.elapsed());
    Ok(Json(BatchResponse { outcomes }))
}

/// `POST /v1/cancellations`: a kiosk cancels its own submissions; each answer is the
/// submission's outcome after it. Replaying a cancellation answers the same and changes nothing.
pub async fn cancellations(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchResponse>, ApiError> {
    let batch: CancellationBatch = read_json(&headers, body, st.door.body_limits).await?;
    if batch.items.len() > st.door.max_batch_items {
        return Err(ApiError::bad_request(
            "Too many cancellations in one request",
        ));
    }
    let (reply, answer) = oneshot::channel();
    send(
        &st.intake,
        &st.door,
        Job::Cancel {
            caller,
            items: batch.items,
            reply,
        },
    )?;
    let outcomes = answered(&st.door, answer).await?;
    Ok(Json(BatchResponse { outcomes }))
}
