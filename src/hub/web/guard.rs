//! The doors every guarded request passes, outermost first:
//!
//! 1. [`authenticate`]: `Authorization: Bearer <token>` (the scheme in any case, RFC 9110)
//!    matched in constant time against the active tokens, cached for a second so revocation takes
//!    effect within about a second; then the kiosk's token bucket and its cap on requests open at
//!    once (`429 rate_limited` / `429 too_many_open`, with `Retry-After`). Admin tokens are not
//!    limited. Nothing of the body has been read yet, so an outsider costs only a header.
//! 2. [`buffer_body`]: the body is read (size limit, time limit, `408`) while the request holds
//!    only its kiosk's slot, so a kiosk trickling its bodies slows only itself.
//! 3. [`shed`]: a permit from a semaphore of `max_in_flight`, taken with `try_acquire`: when none
//!    is free the answer is `503 overloaded` with `Retry-After` at once — never a queue.
//!
//! `GET /v1/health` passes none of them, so it answers even when everything else is shed.
//! [`audit`] wraps every route and logs the refusals (401, 403, 408, 413, 429, 503) by kiosk
//! name and peer, never the token, at a bounded rate ([`RefusalLog`]).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::body::{ApiError, read_bytes};
use super::routes::{self, Access, Route};
use super::server::Peer;
use super::state::Shared;
use crate::hub::access::tokens::{AUTH_TTL, AuthCache};
use crate::hub::places::kiosks::{self, ActiveToken, Caller};

/// Whom a response answered, for the refusal log.
#[derive(Clone, Debug)]
struct Answered(String);

/// The route that answered, as the route table labels it: the label of its requests in
/// `/metrics`.
#[derive(Clone, Debug)]
struct RouteLabel(&'static str);

/// The route of the table the router matched for `req`.
fn matched(req: &Request) -> Option<&'static Route> {
    let path = req.extensions().get::<axum::extract::MatchedPath>()?;
    routes::find(req.method().as_str(), path.as_str())
}

/// Labels a routed request's answer with its route's label (a route layer: it runs after
/// routing, on every route, whatever the guards answer).
pub async fn label_route(req: Request, next: Next) -> Response {
    let label = matched(&req).map(|r| r.label);
    let mut response = next.run(req).await;
    if let Some(label) = label {
        response.extensions_mut().insert(RouteLabel(label));
    }
    response
}

/// Whether `caller` may call a route open to `access`; the refusal when not.
pub fn allowed(access: Access, caller: &Caller) -> Result<(), ApiError> {
    let refused = |message: &str| Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", message));
    match access {
        Access::Kiosk | Access::Site if caller.admin => {
            refused("Admin tokens cannot act as a kiosk")
        }
        Access::Site if caller.site.is_none() => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_a_site_kiosk",
            "This kiosk is not enrolled for a vaccination site: `hub add-kiosk NAME --site ID` \
             (or `hub enrol NAME --site ID`) makes a site's check-in kiosk",
        )),
        Access::Admin if !caller.admin => refused("This endpoint needs an admin token"),
        Access::Reader if !caller.reads_personal_data() => refused(
            "Registrations need a reader's or an admin's token (hub add-user NAME --role reader)",
        ),
        _ => Ok(()),
    }
}

/// Counts every answer for `/metrics`, and logs every refused request: status, path, the kiosk's name when the token was known, the peer.
pub async fn audit(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<Peer>().map(|p| p.0.ip().to_string());
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    // What no route matched (the fallbacks) is `other`: a bounded label whatever was asked.
    let route = response
        .extensions()
        .get::<RouteLabel>()
        .map_or("other", |r| r.0);
    st.metrics.request(route, status.as_u16());
    let refused = matches!(
        status,
        StatusCode::UNAUTHORIZED
            | StatusCode::FORBIDDEN
            | StatusCode::REQUEST_TIMEOUT
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::TOO_MANY_REQUESTS
            | StatusCode::SERVICE_UNAVAILABLE
    );
    if refused && let Some(unlogged) = st.door.refusals.admit(Instant::now()) {
        let kiosk = response
            .extensions()
            .get::<Answered>()
            .map_or("-", |a| a.0.as_str());
        // Path only, never the query or headers: a token must not reach the log.
        tracing::warn!(
            status = status.as_u16(),
            %method,
            path = %path.chars().take(80).collect::<String>(),
            kiosk = %kiosk,
            peer = %peer.as_deref().unwrap_or("-"),
            unlogged_before = unlogged,
            "request refused"
        );
    }
    response
}

/// Refuses at once when `max_in_flight` requests are already being served.
pub async fn shed(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    match Arc::clone(&st.door.in_flight).try_acquire_owned() {
        Ok(permit) => {
            let response = next.run(req).await;
            drop(permit);
            response
        }
        Err(_) => overloaded(st.door.retry_after_secs),
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

/// The active tokens, at most [`AUTH_TTL`] old (re-read, one read at a time, when older): what
/// the dashboard checks a session's admin token against, so a revocation ends it within about a
/// second.
pub async fn active_tokens(st: &Arc<Shared>) -> Result<Arc<Vec<ActiveToken>>, ApiError> {
    if let Some((at, list)) = st.credentials.auth.get()
        && at.elapsed() < AUTH_TTL
    {
        return Ok(list);
    }
    let asked = Instant::now();
    let _one_at_a_time = st.credentials.auth.refresh.lock().await;
    if let Some((at, list)) = st.credentials.auth.get()
        && at >= asked
    {
        return Ok(list);
    }
    reread(st).await
}

async fn reread(st: &Arc<Shared>) -> Result<Arc<Vec<ActiveToken>>, ApiError> {
    let reads = Arc::clone(&st.reads);
    let list = tokio::task::spawn_blocking(move || reads.with(kiosks::load_active))
        .await
        .map_err(|_| ApiError::bad_request("The request was cancelled"))?
        .map_err(|e| ApiError::storage(&e, st.door.retry_after_secs))?;
    let list = Arc::new(list);
    st.credentials.auth.set(Arc::clone(&list));
    Ok(list)
}

/// The owner of `token` among the active tokens (the list re-read when `token` is not in it).
pub async fn lookup(st: &Arc<Shared>, token: &str) -> Result<Option<Caller>, ApiError> {
    let asked = Instant::now();
    let fresh = |at: Instant, list: &Arc<Vec<ActiveToken>>| {
        (at.elapsed() < AUTH_TTL).then(|| kiosks::find(list, token).cloned())
    };
    if let Some((at, list)) = st.credentials.auth.get()
        && let Some(Some(caller)) = fresh(at, &list)
    {
        return Ok(Some(caller));
    }
    let _one_at_a_time = st.credentials.auth.refresh.lock().await;
    // Someone else re-read the list while this request waited: use theirs.
    if let Some((at, list)) = st.credentials.auth.get()
        && at >= asked
    {
        return Ok(kiosks::find(&list, token).cloned());
    }
    let list = reread(st).await?;
    Ok(kiosks::find(&list, token).cloned())
}

/// The admin owning `token` in the last token list read, however old.
fn known_admin(auth: &AuthCache, token: &str) -> Option<Caller> {
    let (_, list) = auth.get()?;
    kiosks::find(&list, token).filter(|c| c.admin).cloned()
}

/// The token of `Authorization: Bearer <token>`: the scheme in any case, one or more spaces
/// after it. A token is one word (no spaces inside); HTTP already drops spaces around the value.
fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    bearer_token(value).map(str::to_owned)
}

fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim_start_matches(' ');
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// Finds the caller of the bearer token, applies its limits, and hands it to the handler.
pub async fn authenticate(State(st): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let Some(token) = bearer(&req) else {
        return unauthorized("Send Authorization: Bearer <token>");
    };
    let caller = match lookup(&st, &token).await {
        Ok(Some(caller)) => caller,
        Ok(None) => return unauthorized("Unknown or revoked token"),
        // The store is out of reach: `/metrics` still answers an admin token it knew, so the
        // scrape that says the store is down gets through.
        Err(e) => {
            match known_admin(&st.credentials.auth, &token)
                .filter(|_| req.uri().path() == "/metrics")
            {
                Some(caller) => caller,
                None => return e.into_response(),
            }
        }
    };
    let answered = Answered(caller.name.clone());
    let slot = if caller.admin {
        None
    } else {
        if let Err(secs) = st.door.limiter.check(caller.id, Instant::now()) {
            return too_many(
                "rate_limited",
                "This kiosk is sending too often; slow down",
                secs,
            )
            .with(answered);
        }
        let Some(slot) = st.door.open_per_kiosk.try_enter(caller.id) else {
            let message = format!(
                "This kiosk already has {} requests open; wait for their answers",
                st.door.open_per_kiosk.max()
            );
            return too_many("too_many_open", &message, 1).with(answered);
        };
        Some(slot)
    };
    // Who may call this route, as the route table says (a route not in it: nobody).
    let access = matched(&req).map_or(Access::Admin, |r| r.access);
    if let Err(refused) = allowed(access, &caller) {
        drop(slot);
        return refused.into_response().with(answered);
    }
    req.extensions_mut().insert(caller);
    let response = next.run(req).await;
    drop(slot);
    response.with(answered)
}

fn too_many(error: &'static str, message: &str, secs: u64) -> Response {
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, error, message)
        .retry_after(secs)
        .into_response()
}

trait WithAnswered {
    fn with(self, answered: Answered) -> Response;
}

impl WithAnswered for Response {
    fn with(mut self, answered: Answered) -> Response {
        self.extensions_mut().insert(answered);
        self
    }
}

/// Reads the whole body (within the size and time limits) before the request may take one of the
/// hub's shared slots; the handler then parses it from memory.
pub async fn buffer_body(State(st): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    match read_bytes(&parts.headers, body, st.door.body_limits).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_any_case_and_the_token_one_word() {
        for ok in [
            "Bearer rjk_a",
            "bearer rjk_a",
            "BEARER   rjk_a",
            " Bearer rjk_a ",
        ] {
            assert_eq!(bearer_token(ok), Some("rjk_a"), "{ok:?}");
        }
        for bad in [
            "Bearer",
            "Bearer ",
            "Basic rjk_a",
            "Bearerrjk_a",
            "Bearer rjk_a extra",
        ] {
            assert_eq!(bearer_token(bad), None, "{bad:?}");
        }
    }
}
