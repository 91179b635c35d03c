//! `GET /dashboard`: the province's view of registration day in a browser, served by the hub.
//!
//! - Behind an admin token: `/dashboard/signin` takes it in a posted form (never in a URL) and
//!   opens a session (`session`, kept in the store so every hub process on it knows it) whose
//!   cookie is `HttpOnly`, `SameSite=Strict`; wrong tokens are limited per browser and overall
//!   (`throttle`), a right one never; a kiosk token is refused; the session ends at sign-out (a `POST`), at expiry,
//!   and within about a second of its admin token's revocation. Behind a reverse proxy, what it
//!   says is believed from `trusted_proxies` only, and forms come from `public_url` (`proxy`).
//! - The page is rendered on the server from askama templates in `assets/dashboard/` (checked
//!   when the hub is compiled): totals, each group's quota as bars, registration points and
//!   kiosks worst first, the hours of the day as an SVG chart (`chart`), the latest
//!   cancellations with who and why, the hub's own state (`view`), in Thai or English (`text`).
//!   One stylesheet and one small script, both served here; nothing is fetched from elsewhere.
//! - It updates itself: the script fetches `/dashboard/live` (the same part of the page) every
//!   `refresh`. Every page shares one snapshot of the store, read at most once per `refresh`
//!   (`snapshot::Cache`), so ten open dashboards cost the store what one does.
//! - No person's name, ID, phone or registration is read for it.
//!
//! These routes pass none of the API's guards (no bearer token, no shared slot): a page view is a
//! cookie check (one small read of the store a second at most) and, at most once per `refresh`,
//! one read.

mod chart;
mod download;
pub mod proxy;
mod session;
mod signin;
mod snapshot;
mod text;
pub(super) mod throttle;
mod view;

use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::kiosks::ct_eq;
use super::{Shared, guard, now_ms};
use session::{Sessions, Viewer};
use text::Text;

/// How the dashboard runs.
#[derive(Clone, Debug)]
pub struct DashboardOptions {
    /// A kiosk with no heartbeat for longer is marked silent.
    pub silent_minutes: u64,
    /// A kiosk reporting an unsent record older than this is marked.
    pub pending_minutes: u64,
    /// How often an open page asks again, and how long one store read serves every page.
    pub refresh: Duration,
    /// How long a sign-in lasts.
    pub session_lifetime: Duration,
    /// The reverse proxies trusted and the URL browsers use (`hub.toml`).
    pub proxies: proxy::Proxies,
}

impl Default for DashboardOptions {
    fn default() -> Self {
        Self {
            silent_minutes: 15,
            pending_minutes: 30,
            refresh: Duration::from_secs(3),
            session_lifetime: Duration::from_secs(12 * 3600),
            proxies: proxy::Proxies::default(),
        }
    }
}

/// The dashboard's part of the hub's shared state.
pub(crate) struct Dashboard {
    opts: DashboardOptions,
    sessions: Sessions,
    throttle: throttle::Throttle,
    cache: snapshot::Cache,
    max_in_flight: usize,
    /// Downloads of the export running (`download`).
    exports: Arc<tokio::sync::Semaphore>,
}

impl Dashboard {
    #[must_use]
    pub fn new(opts: DashboardOptions, max_in_flight: usize) -> Self {
        Self {
            sessions: Sessions::new(opts.session_lifetime),
            throttle: throttle::Throttle::default(),
            cache: snapshot::Cache::new(opts.refresh),
            max_in_flight,
            exports: Arc::new(tokio::sync::Semaphore::new(download::AT_ONCE)),
            opts,
        }
    }
}

/// A sign-in form's body is small.
const MAX_SIGNIN_BYTES: usize = 4096;
/// When the token list cannot be read (the store is down), a session whose token was in the
/// last list read stays open this long after it: the page is how the room sees the outage.
const STALE_TOKENS_GRACE: Duration = Duration::from_secs(60);

/// The dashboard's routes (merged into the hub's router, under its audit and body limit).
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/dashboard", get(page))
        .route("/dashboard/live", get(live))
        .route("/dashboard/export", get(download::download))
        .route("/dashboard/signin", get(signin::form).post(signin::signin))
        .route("/dashboard/signout", post(signin::signout))
        .route("/dashboard/dashboard.css", get(stylesheet))
        .route("/dashboard/dashboard.js", get(script))
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct LangQuery {
    pub(super) lang: Option<String>,
}

fn words(q: &LangQuery, headers: &HeaderMap) -> &'static Text {
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
fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> Response {
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

fn see_other(to: &str, cookie: Option<String>) -> Response {
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
async fn viewer(st: &Arc<Shared>, headers: &HeaderMap) -> Option<Viewer> {
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
        Err(_) => st.auth.last_within(STALE_TOKENS_GRACE)?,
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
async fn current(st: &Arc<Shared>, t: &'static Text) -> view::Live {
    let reads = Arc::clone(&st.reads);
    let campaign = Arc::clone(&st.campaign);
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
            .saturating_sub(st.in_flight.available_permits()),
        writer_queue: st.writer.max_capacity() - st.writer.capacity(),
        backend: match st.reads.database() {
            super::Database::Sqlite { .. } => "SQLite",
            super::Database::Postgres { .. } => "PostgreSQL",
        },
    };
    let marks = view::Marks {
        silent_minutes: d.opts.silent_minutes,
        pending_minutes: d.opts.pending_minutes,
    };
    view::live(&seen, &st.campaign, marks, hub, now_ms(), t)
}

async fn page(
    State(st): State<Arc<Shared>>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let t = words(&q, &headers);
    let Some(who) = viewer(&st, &headers).await else {
        return see_other(&format!("/dashboard/signin?lang={}", t.lang), None);
    };
    let live = current(&st, t).await;
    let c = &st.campaign;
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

async fn live(
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

async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../../assets/dashboard/dashboard.css"),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../assets/dashboard/dashboard.js"),
    )
}
