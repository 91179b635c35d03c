//! `POST /v1/heartbeat`: a kiosk says it is alive and how much it still holds.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::{Extension, Json};
use tokio::sync::oneshot;

use super::handoff::{answered, send};
use crate::core::protocol::Heartbeat;
use crate::hub::intake::writer::Job;
use crate::hub::places::kiosks::Caller;
use crate::hub::web::body::{ApiError, BodyLimits, read_json};
use crate::hub::web::state::Shared;

/// A heartbeat body is small.
const MAX_HEARTBEAT_BYTES: usize = 16 * 1024;

pub async fn heartbeat(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    let limits = BodyLimits {
        max_bytes: MAX_HEARTBEAT_BYTES,
        ..st.door.body_limits
    };
    let beat: Heartbeat = read_json(&headers, body, limits).await?;
    check_heartbeat(&beat).map_err(ApiError::bad_request)?;
    let (reply, answer) = oneshot::channel();
    send(
        &st.intake,
        &st.door,
        Job::Heartbeat {
            caller,
            beat,
            reply,
        },
    )?;
    answered(&st.door, answer).await?;
    Ok(Json(serde_json::json!({ "status": "ok" })))
}

/// A kiosk reports at most this many pending records (far above any real counter).
const MAX_PENDING: u64 = 10_000_000;
/// …and records at most this old (ten years).
const MAX_PENDING_AGE_SECS: u64 = 10 * 366 * 86_400;

/// What a heartbeat may hold: its texts reach `hub stats` on an admin's terminal.
fn check_heartbeat(beat: &Heartbeat) -> Result<(), String> {
    let word = |s: &str, max: usize, extra: &str| {
        !s.is_empty()
            && s.len() <= max
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    if !word(&beat.kiosk_id, 64, "-_.") {
        return Err("kiosk_id: 1 to 64 letters, digits, '-', '_' or '.'".into());
    }
    if !word(&beat.version, 32, ".-+") {
        return Err("version: 1 to 32 letters, digits, '.', '-' or '+'".into());
    }
    if beat.pending > MAX_PENDING {
        return Err(format!("pending: at most {MAX_PENDING}"));
    }
    if beat
        .oldest_pending_age_secs
        .is_some_and(|a| a > MAX_PENDING_AGE_SECS)
    {
        return Err(format!(
            "oldest_pending_age_secs: at most {MAX_PENDING_AGE_SECS}"
        ));
    }
    Ok(())
}
