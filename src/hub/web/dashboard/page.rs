//! The dashboard's page and its live part, the helpers its other routes share (the words, the
//! HTML answer, who is looking), its stylesheet and script.

use std::sync::Arc;
use std::time::Duration;

use askama::Template;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::text::{self, Text};
use crate::hub::access::sessions::{self as session, Viewer};
use crate::hub::clock::now_ms;
use crate::hub::places::kiosks::ct_eq;
use crate::hub::web::dashboard::{snapshot, view};
use crate::hub::web::guard;
use crate::hub::web::state::Shared;

/// A sign-in form's body is small.
pub const MAX_SIGNIN_BYTES: usize = 4096;
/// When the token list cannot be read (the store is down), a session whose token was in the
/// last list read stays open this long after it: the page is how the room sees the outage.
pub const STALE_TOKENS_GRACE: Duration = Duration::from_secs(60);

#[derive(Debug, serde::Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

pub fn words(q: &LangQuery, headers: &HeaderMap) -> &'static Text {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    text::choose(q.lang.as_deref(), accept)
}

#[derive(Template)]
#[template(path = "page.html")]
struct PageHtml<'a> {
    t: &'static Text,
    live: &'a view::Live,
    campaign: &'a str,
    viewer: &'a str,
    every_ms: u128,
    every_secs: u64,
    version: &'static str,
}

#[derive(Template)]
#[template(path = "live.html")]
struct LiveHtml<'a> {
    t: &'static Text,
    live: &'a view::Live,
    version: &'static str,
}

/// An HTML answer that no cache keeps, no frame shows and no other origin's script runs in.
pub fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> Response {
    let Ok(body) = rendered else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be drawn",
        )
            .into_response();
    };
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Not `no-referrer`: with it a browser posts the sign-in form with `Origin: null`, which
        // the origin check refuses. `same-origin` sends nothing to any other site.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    r
}

pub fn see_other(to: &str, cookie: Option<String>) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(to) {
        h.insert(header::LOCATION, v);
    }
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The signed-in viewer of this request: an open session whose admin token is still active.
pub async fn viewer(st: &Arc<Shared>, headers: &HeaderMap) -> Option<Viewer> {
    let mut found = None;
    for value in session::cookie_values(headers) {
        found = st
            .dashboard
            .sessions
            .find(&st.reads, &value, STALE_TOKENS_GRACE)
            .await;
        if found.is_some() {
            break;
        }
    }
    let found = found?;
    let tokens = match guard::active_tokens(st).await {
        Ok(list) => list,
        Err(_) => st.credentials.auth.last_within(STALE_TOKENS_GRACE)?,
    };
    let active = tokens.iter().fold(false, |seen, t| {
        seen | (t.caller.admin & ct_eq(&t.hash, &found.admin))
    });
    if active {
        Some(found)
    } else {
        st.dashboard.sessions.end_for(&st.reads, found.admin).await;
        None
    }
}

/// The live part, from the shared snapshot.
pub async fn current(st: &Arc<Shared>, t: &'static Text) -> view::Live {
    let reads = Arc::clone(&st.reads);
    let campaign = Arc::clone(&st.in_force.campaign);
    let seen = st
        .dashboard
        .cache
        .get(async move {
            tokio::task::spawn_blocking(move || {
                reads.with(|db| snapshot::read(db, &campaign, now_ms()))
            })
            .await
            .map_err(|_| ())?
            .map_err(|e| tracing::warn!("dashboard: the store could not be read: {e}"))
        })
        .await;
    let d = &st.dashboard;
    let hub = view::HubState {
        shed_last_minute: st.metrics.shed_recent.now(),
        limited_last_minute: st.metrics.limited_recent.now(),
        in_flight: d
            .max_in_flight
            .saturating_sub(st.door.in_flight.available_permits()),
        writer_queue: st.intake.queued_jobs(),
        backend: match st.reads.database() {
            crate::hub::store::Database::Sqlite { .. } => "SQLite",
            crate::hub::store::Database::Postgres { .. } => "PostgreSQL",
        },
    };
    let marks = view::Marks {
        silent_minutes: d.opts.silent_minutes,
        pending_minutes: d.opts.pending_minutes,
    };
    view::live(&seen, &st.in_force.campaign, marks, hub, now_ms(), t)
}

pub async fn page(
    State(st): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let t = words(&q, &headers);
    let Some(who) = viewer(&st, &headers).await else {
        return see_other(&format!("/dashboard/signin?lang={}", t.lang), None);
    };
    let live = current(&st, t).await;
    let c = &st.in_force.campaign;
    let refresh = st.dashboard.opts.refresh;
    html(
        StatusCode::OK,
        PageHtml {
            t,
            live: &live,
            campaign: if t.lang == "th" {
                &c.name_th
            } else {
                &c.name_en
            },
            viewer: &who.name,
            every_ms: refresh.as_millis(),
            every_secs: refresh.as_secs().max(5),
            version: env!("CARGO_PKG_VERSION"),
        }
        .render(),
    )
}

pub async fn live(
    State(st): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let t = words(&q, &headers);
    if viewer(&st, &headers).await.is_none() {
        return html(StatusCode::UNAUTHORIZED, Ok(String::new()));
    }
    let live = current(&st, t).await;
    html(
        StatusCode::OK,
        LiveHtml {
            t,
            live: &live,
            version: env!("CARGO_PKG_VERSION"),
        }
        .render(),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

pub async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../../../assets/dashboard/dashboard.css"),
    )
}

pub async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../../assets/dashboard/dashboard.js"),
    )
}
