//! The doors every guarded request passes, outermost first:
//!
//! 1. [`shed`]: a permit from a semaphore of `max_in_flight`, taken with `try_acquire`: when none
//!    is free the answer is `503 overloaded` with `Retry-After` at once — never a queue.
//! 2. [`authenticate`]: `Authorization: Bearer <token>` matched (constant time) against the active
//!    tokens, cached for a second so revocation takes effect within about a second; then the
//!    kiosk's token bucket (`429 rate_limited` with `Retry-After`). Admin tokens are not limited.
//!
//! `GET /v1/health` passes neither, so it answers even when everything else is shed.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::body::ApiError;
use super::kiosks::{self, ActiveToken, Caller};

/// How long the active-token list is trusted. An unknown token always re-reads it, so a kiosk
/// added while the hub runs works at once (those reads are bounded by `max_in_flight`).
const AUTH_TTL: Duration = Duration::from_secs(1);

/// The active tokens, as last read from the store.
#[derive(Default)]
pub struct AuthCache {
    current: RwLock<Option<(Instant, Arc<Vec<ActiveToken>>)>>,
}

impl AuthCache {
    fn get(&self) -> Option<(Instant, Arc<Vec<ActiveToken>>)> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    fn set(&self, list: Arc<Vec<ActiveToken>>) {
        if let Ok(mut c) = self.current.write() {
            *c = Some((Instant::now(), list));
        }
    }
}

/// Refuses at once when `max_in_flight` requests are already being served.
pub async fn shed(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    match Arc::clone(&st.in_flight).try_acquire_owned() {
        Ok(permit) => {
            let response = next.run(req).await;
            drop(permit);
            response
        }
        Err(_) => overloaded(st.retry_after_secs),
    }
}

/// The `503` of a hub that has no room for one more request.
pub fn overloaded(retry_after_secs: u64) -> Response {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "The hub is busy; the kiosk keeps the records and tries again later",
    )
    .retry_after(retry_after_secs)
    .into_response()
}

fn unauthorized(message: &str) -> Response {
    let mut response =
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

async fn lookup(st: &Arc<Shared>, token: &str) -> Result<Option<Caller>, ApiError> {
    if let Some((at, list)) = st.auth.get()
        && at.elapsed() < AUTH_TTL
        && let Some(caller) = kiosks::find(&list, token)
    {
        return Ok(Some(caller.clone()));
    }
    let reads = Arc::clone(&st.reads);
    let list = tokio::task::spawn_blocking(move || reads.with(kiosks::load_active))
        .await
        .map_err(|_| ApiError::bad_request("The request was cancelled"))?
        .map_err(|e| ApiError::storage(&e, st.retry_after_secs))?;
    let list = Arc::new(list);
    st.auth.set(Arc::clone(&list));
    Ok(kiosks::find(&list, token).cloned())
}

/// Finds the caller of the bearer token, applies its rate limit, and hands it to the handler.
pub async fn authenticate(State(st): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let Some(token) = token else {
        return unauthorized("Send Authorization: Bearer <token>");
    };
    let caller = match lookup(&st, &token).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return unauthorized("Unknown or revoked token"),
        Err(e) => return e.into_response(),
    };
    if !caller.admin
        && let Err(secs) = st.limiter.check(caller.id, Instant::now())
    {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "This kiosk is sending too often; slow down",
        )
        .retry_after(secs)
        .into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}
