//! The hub's router, built from the route table (`routes::ROUTES`): each route's handler, the
//! guards of the routes that take a token, the fallbacks, the audit around everything.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router};

use super::admin::metrics::{metrics, scrape};
use super::admin::registrations::registrations;
use super::admin::stats::admin_stats;
use super::body::ApiError;
use super::dashboard::page::{live, page, script, stylesheet};
use super::dashboard::throttle::Throttle;
use super::dashboard::{download, signin};
use super::guard;
use super::kiosk::campaign::{campaign, health};
use super::kiosk::checkin::{doses, site_list};
use super::kiosk::enrol::enrol;
use super::kiosk::heartbeat::heartbeat;
use super::kiosk::outcomes::{lookup, outcomes};
use super::kiosk::submit::{cancellations, submit};
use super::routes::{Handler, ROUTES, Route};
use super::state::Shared;

/// `GET /metrics` alone, without a token, for `--metrics-listen`.
pub fn metrics_router(st: Arc<Shared>) -> Router {
    Router::new()
        .route_service("/metrics", get(scrape).with_state(st))
        .fallback(|| async { ApiError::not_found("Only /metrics is served here") })
}

/// The handler of `route`, on its method.
fn answer(route: &Route) -> MethodRouter<Arc<Shared>> {
    macro_rules! by_method {
        ($h:expr) => {
            if route.method == "POST" {
                post($h)
            } else {
                get($h)
            }
        };
    }
    match route.handler {
        Handler::Health => by_method!(health),
        // Its own throttle of wrong codes, per peer and overall.
        Handler::Enrol => by_method!(enrol).layer(Extension(Arc::new(Throttle::default()))),
        Handler::Submit => by_method!(submit),
        Handler::Lookup => by_method!(lookup),
        Handler::Campaign => by_method!(campaign),
        Handler::Heartbeat => by_method!(heartbeat),
        Handler::Cancellations => by_method!(cancellations),
        Handler::Outcomes => by_method!(outcomes),
        Handler::SiteList => by_method!(site_list),
        Handler::Doses => by_method!(doses),
        Handler::Stats => by_method!(admin_stats),
        Handler::Registrations => by_method!(registrations),
        Handler::Metrics => by_method!(metrics),
        Handler::DashboardPage => by_method!(page),
        Handler::DashboardLive => by_method!(live),
        Handler::DashboardExport => by_method!(download::download),
        Handler::SigninForm => by_method!(signin::form),
        Handler::Signin => by_method!(signin::signin),
        Handler::Signout => by_method!(signin::signout),
        Handler::Stylesheet => by_method!(stylesheet),
        Handler::Script => by_method!(script),
    }
}

/// The hub's routes with their guards, from the route table.
pub fn router(st: Arc<Shared>) -> Router {
    let (mut guarded, mut open) = (Router::new(), Router::new());
    for route in ROUTES {
        if route.access.guarded() {
            guarded = guarded.route(route.path, answer(route));
        } else {
            open = open.route(route.path, answer(route));
        }
    }
    // The last layer added runs first: authenticate (and check who may call), then read the
    // body, then shed.
    let guarded = guarded
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::shed))
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::buffer_body))
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::authenticate));
    open.merge(guarded)
        .route_layer(axum::middleware::from_fn(guard::label_route))
        .fallback(|| async { ApiError::not_found("No such endpoint; see assets/openapi.yaml") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This endpoint does not take that method",
            )
        })
        // Belt and braces: any body extractor added later is bounded too.
        .layer(DefaultBodyLimit::max(st.door.body_limits.max_bytes))
        .layer(from_fn_with_state(Arc::clone(&st), guard::audit))
        .with_state(st)
}
