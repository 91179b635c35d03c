//! `GET /v1/stats`: the hub's counts, for an admin token.

use std::sync::Arc;

use axum::extract::State;
use axum::{Extension, Json};

use crate::core::protocol::HubStats;
use crate::hub::clock::now_ms;
use crate::hub::places::kiosks::Caller;
use crate::hub::reports::stats;
use crate::hub::web::body::ApiError;
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

pub async fn admin_stats(
    State(st): State<Arc<Shared>>,
    Extension(_caller): Extension<Caller>,
) -> Result<Json<HubStats>, ApiError> {
    let now_ms = now_ms();
    Ok(Json(read(&st, move |c| stats::collect(c, now_ms)).await?))
}
