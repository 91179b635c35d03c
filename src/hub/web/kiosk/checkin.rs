//! Check-in at a vaccination site (issue 33, part 4), for a kiosk enrolled for a site (the route
//! table's `Access::Site`; any other kiosk is answered `404 not_a_site_kiosk` by the guard):
//! `GET /v1/site/list` (the site's coming days, read from one moment of the store, its download
//! in the access log like any read of personal data, a few made at once: `Door::site_lists`) and
//! `POST /v1/doses` (checked here, decided by the writer, each dose once).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use tokio::sync::oneshot;

use super::handoff::{answered, send};
use crate::core::protocol::{
    DEFAULT_LIST_DAYS, DoseBatch, DoseResponse, MAX_DOSES, MAX_LIST_DAYS, SiteList,
};
use crate::hub::clock::now_ms;
use crate::hub::intake::writer::Job;
use crate::hub::places::kiosks::Caller;
use crate::hub::sites::{doses as dose, site_list};
use crate::hub::web::body::{ApiError, Query, read_json};
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

/// `?days=` of `GET /v1/site/list`.
#[derive(serde::Deserialize)]
pub struct Days {
    pub days: Option<u32>,
}

/// The refusal of a kiosk that is not (or no longer) a site's.
fn not_a_site_kiosk(message: String) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_a_site_kiosk", message)
}

/// `GET /v1/site/list?days=N`: the list of the caller's site for `N` days from today
/// (default [`DEFAULT_LIST_DAYS`], at most [`MAX_LIST_DAYS`]), under a key made for it.
pub async fn site_list(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<Days>,
) -> Result<Json<SiteList>, ApiError> {
    let days = q.days.unwrap_or(DEFAULT_LIST_DAYS);
    if !(1..=MAX_LIST_DAYS).contains(&days) {
        return Err(ApiError::bad_request(format!(
            "days: 1 to {MAX_LIST_DAYS} (default {DEFAULT_LIST_DAYS})"
        )));
    }
    // Held until the list is answered; a kiosk told 503 asks again after `Retry-After`.
    let _making = Arc::clone(&st.door.site_lists)
        .try_acquire_owned()
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "The hub is making other sites' lists; try again shortly",
            )
            .retry_after(st.door.retry_after_secs)
        })?;
    let site = caller.site.clone().unwrap_or_default();
    let key: [u8; 32] = crate::core::seal::random().map_err(|e| {
        let e = crate::hub::error::HubError::Random(e.to_string());
        ApiError::storage(&e, st.door.retry_after_secs)
    })?;
    let (now, who, asked) = (now_ms(), format!("kiosk:{}", caller.name), site.clone());
    let list = read(&st, move |db| {
        let list = site_list::build(db, &asked, now, days, &key)?;
        if let Some(l) = &list {
            let filter = format!("site={} days={days}", l.site_id);
            let rows = l.people.len() as u64;
            crate::hub::access::roles::record(db, &who, "GET /v1/site/list", &filter, rows, now)?;
        }
        Ok(list)
    })
    .await?;
    list.map(Json).ok_or_else(|| {
        not_a_site_kiosk(format!(
            "This kiosk is enrolled for site {site}, which the hub does not have (removed?): \
             enrol it for another with `hub add-kiosk NAME --site ID`"
        ))
    })
}

/// `POST /v1/doses`: the doses a site's kiosk recorded, at most [`MAX_DOSES`]; one answer per
/// dose, in order, each final (a dose sent again is answered as the first time).
pub async fn doses(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<DoseResponse>, ApiError> {
    let batch: DoseBatch = read_json(&headers, body, st.door.body_limits).await?;
    if batch.doses.len() > MAX_DOSES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_items",
            format!("A batch has at most {MAX_DOSES} doses"),
        ));
    }
    for (i, d) in batch.doses.iter().enumerate() {
        dose::check(d).map_err(|why| {
            ApiError::bad_request(format!(
                "Not valid: doses[{i}]: {why}; nothing was recorded"
            ))
        })?;
    }
    if batch.doses.is_empty() {
        return Ok(Json(DoseResponse {
            results: Vec::new(),
        }));
    }
    let (reply, answer) = oneshot::channel();
    send(
        &st.intake,
        &st.door,
        Job::Doses {
            caller,
            doses: batch.doses,
            reply,
        },
    )?;
    let results = answered(&st.door, answer).await?;
    Ok(Json(DoseResponse { results }))
}
