//! `GET /metrics`: Prometheus text, for an admin token or on the `--metrics-listen` address.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;

use crate::hub::clock::now_ms;
use crate::hub::places::kiosks::Caller;
use crate::hub::web::body::ApiError;
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

/// `GET /metrics`: Prometheus text, for an admin token.
pub async fn metrics(
    State(st): State<Arc<Shared>>,
    Extension(_caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    scrape(State(st), headers).await
}

/// The metrics text, for the admin route above and for the `--metrics-listen` address (a scraper
/// on the hub's own host, no token).
/// `OpenMetrics` for a scraper that asks for it, else the Prometheus text format.
pub async fn scrape(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let openmetrics = crate::hub::reports::metrics::wants_openmetrics(accept);
    let queued = st.intake.queued_jobs();
    let now_ms = now_ms();
    let (metrics, campaign) = (Arc::clone(&st.metrics), Arc::clone(&st.in_force.campaign));
    // A store out of reach is said in the metrics (store_up 0), not by failing the scrape.
    let read_store = move |c: &mut dyn crate::hub::store::db::Db| {
        metrics.scrape(c, &campaign, queued, now_ms, openmetrics)
    };
    let text = match read(&st, read_store).await {
        Ok(text) => text,
        Err(_) => st.metrics.scrape_store_down(queued, openmetrics),
    };
    let content_type = if openmetrics {
        crate::hub::reports::metrics::CONTENT_TYPE
    } else {
        crate::hub::reports::metrics::TEXT_CONTENT_TYPE
    };
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], text).into_response())
}
