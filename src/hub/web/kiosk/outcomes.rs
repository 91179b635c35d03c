//! `GET /v1/outcomes` (the changes of a kiosk's records after its cursor) and
//! `GET /v1/submissions/{id}` (one submission's outcome).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::{Extension, Json};
use uuid::Uuid;

use crate::core::protocol::{ItemOutcome, MAX_OUTCOME_CHANGES, OutcomeChange, OutcomeChanges};
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{DbError, Param};
use crate::hub::web::body::ApiError;
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

/// `?after=` of `GET /v1/outcomes`.
#[derive(serde::Deserialize)]
pub struct After {
    #[serde(default)]
    pub after: u64,
}

/// `GET /v1/outcomes?after=CURSOR`: the changes of this kiosk's records after `CURSOR`, in the
/// order they were committed (history `seq`s are taken under the write lock, so a page never
/// skips a change committed later with a lower number).
pub async fn outcomes(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    crate::hub::web::body::Query(q): crate::hub::web::body::Query<After>,
) -> Result<Json<OutcomeChanges>, ApiError> {
    let kiosk = caller.id;
    let after = i64::try_from(q.after).unwrap_or(i64::MAX);
    let limit = i64::try_from(MAX_OUTCOME_CHANGES).unwrap_or(500) + 1;
    let rows = read(&st, move |db| {
        db.query(
            "SELECT seq, submission_id, outcome FROM outcome_history
             WHERE kiosk_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            &[kiosk.into(), after.into(), limit.into()],
        )?
        .iter()
        .map(|r| Ok((r.int("seq")?, r.text("submission_id")?, r.text("outcome")?)))
        .collect::<Result<Vec<_>, DbError>>()
    })
    .await?;
    let more = rows.len() > MAX_OUTCOME_CHANGES;
    let mut changes = Vec::with_capacity(rows.len());
    for (seq, id, outcome) in rows.into_iter().take(MAX_OUTCOME_CHANGES) {
        let garbled = || {
            ApiError::storage(
                &crate::hub::error::HubError::WriterStopped,
                st.door.retry_after_secs,
            )
        };
        changes.push(OutcomeChange {
            seq: u64::try_from(seq).unwrap_or(0),
            submission_id: Uuid::parse_str(&id).map_err(|_| garbled())?,
            outcome: serde_json::from_str(&outcome).map_err(|_| garbled())?,
            appointment: None,
        });
    }
    let next = changes.last().map_or(q.after, |c| c.seq);
    Ok(Json(OutcomeChanges {
        changes,
        next,
        more,
    }))
}

pub async fn lookup(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<ItemOutcome>, ApiError> {
    let submission_id =
        Uuid::parse_str(&id).map_err(|_| ApiError::bad_request("Not a submission id"))?;
    let kiosk = caller.id;
    let stored: Option<String> = read(&st, move |db| {
        db.query_opt(
            "SELECT outcome FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2",
            &[Param::Text(&submission_id.to_string()), kiosk.into()],
        )?
        .map(|r| r.text("outcome"))
        .transpose()
    })
    .await?;
    let not_found = || ApiError::not_found("This kiosk sent no submission with that id");
    let outcome = serde_json::from_str(&stored.ok_or_else(not_found)?).map_err(|_| not_found())?;
    Ok(Json(ItemOutcome {
        submission_id,
        outcome,
        appointment: None,
    }))
}
