//! The HTTP API under `/v1` (documented in `assets/openapi.yaml`): routes, the guards they pass
//! (`guard`), and the handlers. Handlers never write SQLite themselves: writes go to the one
//! writer (`writer`), reads use the read pool.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::body::{ApiError, BodyLimits, read_json};
use super::kiosks::Caller;
use super::store::{Db, DbError, Param};
use super::writer::Job;
use super::{Shared, guard, now_ms, open, prepare, stats};
use crate::core::form::Context;
use crate::core::protocol::{
    BatchResponse, CampaignStatus, CancellationBatch, GroupQuota, Health, Heartbeat, HubStats,
    ItemOutcome, MAX_OUTCOME_CHANGES, Outcome, OutcomeChange, OutcomeChanges, SubmissionBatch,
};
use crate::core::thai::date::today_be_from_unix;

/// Thailand is UTC+7 all year.
const THAILAND_UTC_OFFSET_SECS: i32 = 7 * 3600;
/// A heartbeat body is small.
const MAX_HEARTBEAT_BYTES: usize = 16 * 1024;

/// `GET /metrics` alone, without a token, for `--metrics-listen`.
pub fn metrics_router(st: Arc<Shared>) -> Router {
    Router::new()
        .route_service("/metrics", get(scrape).with_state(st))
        .fallback(|| async { ApiError::not_found("Only /metrics is served here") })
}

/// The hub's routes with their guards.
pub fn router(st: Arc<Shared>) -> Router {
    let guarded = Router::new()
        .route("/v1/submissions", post(submit))
        .route("/v1/submissions/{id}", get(lookup))
        .route("/v1/campaign", get(campaign))
        .route("/v1/heartbeat", post(heartbeat))
        .route("/v1/cancellations", post(cancellations))
        .route("/v1/outcomes", get(outcomes))
        .route("/v1/stats", get(admin_stats))
        .route("/v1/registrations", get(super::export::api::registrations))
        .route("/metrics", get(metrics))
        // The last layer added runs first: authenticate, then read the body, then shed.
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::shed))
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::buffer_body))
        .route_layer(from_fn_with_state(Arc::clone(&st), guard::authenticate));
    Router::new()
        .route("/v1/health", get(health))
        .merge(guarded)
        .merge(super::dashboard::routes())
        .merge(super::enrol::routes())
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
        .layer(DefaultBodyLimit::max(st.body_limits.max_bytes))
        .layer(from_fn_with_state(Arc::clone(&st), guard::audit))
        .with_state(st)
}

fn kiosk_only(caller: &Caller) -> Result<(), ApiError> {
    if caller.admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Admin tokens cannot act as a kiosk",
        ));
    }
    Ok(())
}

/// Hands `job` to the writer without waiting for room: a full queue is a `503`.
fn send(st: &Shared, job: Job) -> Result<(), ApiError> {
    let submissions = job.submissions();
    if submissions > 0 && !st.backlog.admit(submissions, st.max_queue_wait) {
        tracing::warn!(
            "writer backlog of {} would take over {:?}; shedding",
            st.backlog.queued(),
            st.max_queue_wait
        );
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "The hub's writer is busy; try again later",
        )
        .retry_after(st.retry_after_secs));
    }
    st.writer.try_send(job).map_err(|e| {
        st.backlog.done(submissions, std::time::Duration::ZERO);
        match e {
            mpsc::error::TrySendError::Full(_) => {
                tracing::warn!("writer queue full; shedding");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded",
                    "The hub's writer is busy; try again later",
                )
                .retry_after(st.retry_after_secs)
            }
            mpsc::error::TrySendError::Closed(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "shutting_down",
                "The hub is stopping; try again later",
            )
            .retry_after(st.retry_after_secs),
        }
    })
}

/// The writer's answer to a job: its result, a storage failure as `503`, or `503` when the
/// writer went away without answering.
async fn answered<T>(
    st: &Shared,
    answer: oneshot::Receiver<Result<T, super::HubError>>,
) -> Result<T, ApiError> {
    match answer.await {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(ApiError::storage(&e, st.retry_after_secs)),
        Err(_) => Err(ApiError::storage(
            &super::HubError::WriterStopped,
            st.retry_after_secs,
        )),
    }
}

/// A commit under way for longer than this fails `/v1/health`.
const COMMIT_STALLED: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a store check answers health before it is made again.
const HEALTH_CHECK_TTL: std::time::Duration = std::time::Duration::from_secs(1);

async fn health(State(st): State<Arc<Shared>>) -> (StatusCode, Json<Health>) {
    let fresh = st
        .health
        .lock()
        .ok()
        .and_then(|h| *h)
        .filter(|(at, _)| at.elapsed() < HEALTH_CHECK_TTL)
        .map(|(_, ok)| ok);
    let ok = if let Some(ok) = fresh {
        ok
    } else {
        // One cheap read through the pool (off the async threads); its answer serves every
        // health check for a second, so a flood of checks costs one read a second.
        let ok = read(&st, |db| {
            db.query_one("SELECT count(*) FROM kiosks", &[]).map(|_| ())
        })
        .await
        .is_ok();
        if let Ok(mut h) = st.health.lock() {
            *h = Some((std::time::Instant::now(), ok));
        }
        ok
    };
    // Reads may work while commits do not (a synchronous standby gone, a lock held): a commit
    // under way for longer than COMMIT_STALLED takes the hub out of rotation too.
    let stalled = st
        .backlog
        .commit_age()
        .is_some_and(|age| age > COMMIT_STALLED);
    let (code, status) = if !ok {
        (StatusCode::SERVICE_UNAVAILABLE, "store_unreachable")
    } else if stalled {
        (StatusCode::SERVICE_UNAVAILABLE, "commits_stalled")
    } else {
        (StatusCode::OK, "ok")
    };
    (
        code,
        Json(Health {
            status: status.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            campaign_id: st.campaign.id.clone(),
        }),
    )
}

async fn submit(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchResponse>, ApiError> {
    kiosk_only(&caller)?;
    let started = std::time::Instant::now();
    let batch: SubmissionBatch = read_json(&headers, body, st.body_limits).await?;
    if batch.items.len() > st.max_batch_items {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_items",
            format!("A batch has at most {} items", st.max_batch_items),
        ));
    }
    let ctx = Context {
        today: today_be_from_unix(now_ms() / 1000, THAILAND_UTC_OFFSET_SECS),
    };
    let campaign = Arc::clone(&st.campaign);
    let keys = Arc::clone(&st.keys);
    let now_ms = now_ms();
    let kiosk = caller.clone();
    let (items, refused) = tokio::task::spawn_blocking(move || {
        let mut items = Vec::with_capacity(batch.items.len());
        let mut refused = Vec::new();
        for (i, s) in batch.items.into_iter().enumerate() {
            match open::open(&keys, &kiosk.name, s) {
                open::Opened::Ready(s, reg) => {
                    items.push(prepare::prepare(&campaign, ctx, now_ms, &kiosk, s, reg));
                }
                open::Opened::Refused(answer) => refused.push((i, answer)),
            }
        }
        (items, refused)
    })
    .await
    .map_err(|_| ApiError::bad_request("The batch could not be checked"))?;
    let written = if items.is_empty() {
        Vec::new()
    } else {
        let (reply, answer) = oneshot::channel();
        send(
            &st,
            Job::Batch {
                caller,
                items,
                reply,
            },
        )?;
        answered(&st, answer).await?
    };
    let outcomes = open::merge(written, refused);
    for o in &outcomes {
        st.metrics.outcome(match o.outcome {
            Outcome::Conflict { .. } => "conflict",
            ref other => other.state_name(),
        });
    }
    st.metrics.batch(started.elapsed());
    Ok(Json(BatchResponse { outcomes }))
}

/// `POST /v1/cancellations`: a kiosk cancels its own submissions; each answer is the
/// submission's outcome after it. Replaying a cancellation answers the same and changes nothing.
async fn cancellations(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchResponse>, ApiError> {
    kiosk_only(&caller)?;
    let batch: CancellationBatch = read_json(&headers, body, st.body_limits).await?;
    if batch.items.len() > st.max_batch_items {
        return Err(ApiError::bad_request(
            "Too many cancellations in one request",
        ));
    }
    let (reply, answer) = oneshot::channel();
    send(
        &st,
        Job::Cancel {
            caller,
            items: batch.items,
            reply,
        },
    )?;
    let outcomes = answered(&st, answer).await?;
    Ok(Json(BatchResponse { outcomes }))
}

/// `?after=` of `GET /v1/outcomes`.
#[derive(serde::Deserialize)]
struct After {
    #[serde(default)]
    after: u64,
}

/// `GET /v1/outcomes?after=CURSOR`: the changes of this kiosk's records after `CURSOR`, in the
/// order they were committed (history `seq`s are taken under the write lock, so a page never
/// skips a change committed later with a lower number).
async fn outcomes(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    super::body::Query(q): super::body::Query<After>,
) -> Result<Json<OutcomeChanges>, ApiError> {
    kiosk_only(&caller)?;
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
        .map(|r| Ok((r.int(0)?, r.text(1)?, r.text(2)?)))
        .collect::<Result<Vec<_>, DbError>>()
    })
    .await?;
    let more = rows.len() > MAX_OUTCOME_CHANGES;
    let mut changes = Vec::with_capacity(rows.len());
    for (seq, id, outcome) in rows.into_iter().take(MAX_OUTCOME_CHANGES) {
        let garbled = || ApiError::storage(&super::HubError::WriterStopped, st.retry_after_secs);
        changes.push(OutcomeChange {
            seq: u64::try_from(seq).unwrap_or(0),
            submission_id: Uuid::parse_str(&id).map_err(|_| garbled())?,
            outcome: serde_json::from_str(&outcome).map_err(|_| garbled())?,
        });
    }
    let next = changes.last().map_or(q.after, |c| c.seq);
    Ok(Json(OutcomeChanges {
        changes,
        next,
        more,
    }))
}

async fn heartbeat(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiError> {
    kiosk_only(&caller)?;
    let limits = BodyLimits {
        max_bytes: MAX_HEARTBEAT_BYTES,
        ..st.body_limits
    };
    let beat: Heartbeat = read_json(&headers, body, limits).await?;
    check_heartbeat(&beat).map_err(ApiError::bad_request)?;
    let (reply, answer) = oneshot::channel();
    send(
        &st,
        Job::Heartbeat {
            caller,
            beat,
            reply,
        },
    )?;
    answered(&st, answer).await?;
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

/// Runs a read on the pool, off the async threads.
pub(super) async fn read<T: Send + 'static>(
    st: &Arc<Shared>,
    f: impl Fn(&mut dyn Db) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ApiError> {
    let reads = Arc::clone(&st.reads);
    tokio::task::spawn_blocking(move || reads.with(f))
        .await
        .map_err(|_| ApiError::bad_request("The request was cancelled"))?
        .map_err(|e| ApiError::storage(&e, st.retry_after_secs))
}

async fn lookup(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<ItemOutcome>, ApiError> {
    kiosk_only(&caller)?;
    let submission_id =
        Uuid::parse_str(&id).map_err(|_| ApiError::bad_request("Not a submission id"))?;
    let kiosk = caller.id;
    let stored: Option<String> = read(&st, move |db| {
        db.query_opt(
            "SELECT outcome FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2",
            &[Param::Text(&submission_id.to_string()), kiosk.into()],
        )?
        .map(|r| r.text(0))
        .transpose()
    })
    .await?;
    let not_found = || ApiError::not_found("This kiosk sent no submission with that id");
    let outcome = serde_json::from_str(&stored.ok_or_else(not_found)?).map_err(|_| not_found())?;
    Ok(Json(ItemOutcome {
        submission_id,
        outcome,
    }))
}

/// `GET /v1/campaign`: the campaign with the quotas in force (the store's, which `hub set-quota`
/// changes for every hub process), what each group has taken and the hub's published key.
async fn campaign(State(st): State<Arc<Shared>>) -> Result<Json<CampaignStatus>, ApiError> {
    let for_read = Arc::clone(&st.campaign);
    let (counts, quotas, epoch) = read(&st, move |c| {
        let epoch = c
            .query_opt(
                "SELECT value FROM counters WHERE name = ?1",
                &[super::lineage::EPOCH.into()],
            )?
            .map(|r| r.int(0))
            .transpose()?
            .unwrap_or(0);
        Ok((
            stats::group_counts(c, &for_read.id)?,
            super::counts::Quotas::read(c, &for_read)?,
            u64::try_from(epoch).unwrap_or(0),
        ))
    })
    .await?;
    let c = &st.campaign;
    let groups: Vec<GroupQuota> = c
        .groups
        .iter()
        .map(|g| {
            let registered = counts.get(&g.number).map_or(0, |(a, _)| *a);
            let quota = quotas.group_doses(g.number);
            GroupQuota {
                group: g.number,
                quota,
                registered,
                remaining: quota.map(|q| q.saturating_sub(registered)),
            }
        })
        .collect();
    let registered = counts.values().map(|(a, _)| a).sum::<u64>();
    Ok(Json(CampaignStatus {
        campaign_id: c.id.clone(),
        total_quota: quotas.total_doses(),
        registered,
        remaining: quotas.total_doses().saturating_sub(registered),
        groups,
        definition: st.campaign_json.clone(),
        seal_key: Some(st.keys.published()),
        store_epoch: epoch,
    }))
}

async fn admin_stats(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<HubStats>, ApiError> {
    if !caller.admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Statistics need an admin token",
        ));
    }
    let now_ms = now_ms();
    Ok(Json(read(&st, move |c| stats::collect(c, now_ms)).await?))
}

/// `GET /metrics`: Prometheus text, for an admin token.
async fn metrics(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<axum::response::Response, ApiError> {
    if !caller.admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Metrics need an admin token",
        ));
    }
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
    let openmetrics = super::metrics::wants_openmetrics(accept);
    let queued = st.writer.max_capacity() - st.writer.capacity();
    let now_ms = now_ms();
    let (metrics, campaign) = (Arc::clone(&st.metrics), Arc::clone(&st.campaign));
    // A store out of reach is said in the metrics (store_up 0), not by failing the scrape.
    let read_store = move |c: &mut dyn super::store::Db| {
        metrics.scrape(c, &campaign, queued, now_ms, openmetrics)
    };
    let text = match read(&st, read_store).await {
        Ok(text) => text,
        Err(_) => st.metrics.scrape_store_down(queued, openmetrics),
    };
    let content_type = if openmetrics {
        super::metrics::CONTENT_TYPE
    } else {
        super::metrics::TEXT_CONTENT_TYPE
    };
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], text).into_response())
}

#[cfg(test)]
mod tests {
    /// Every route the router serves is documented in the OpenAPI file, and nothing more.
    #[test]
    fn openapi_documents_every_route() {
        let spec = include_str!("../../assets/openapi.yaml");
        let src = [
            include_str!("api.rs"),
            include_str!("dashboard/mod.rs"),
            include_str!("enrol/exchange.rs"),
        ]
        .concat();
        let routes: Vec<&str> = src
            .lines()
            .filter_map(|l| l.trim().strip_prefix(".route(\""))
            .filter_map(|l| l.split('"').next())
            .collect();
        assert_eq!(routes.len(), 18, "{routes:?}");
        for r in &routes {
            assert!(
                spec.contains(&format!("\n  {r}:\n")),
                "{r} is not in openapi.yaml"
            );
        }
        let documented = spec
            .lines()
            .filter(|l| {
                l.starts_with("  /v1/")
                    || l.starts_with("  /metrics:")
                    || l.starts_with("  /dashboard")
            })
            .count();
        assert_eq!(documented, routes.len());
        assert!(spec.starts_with("openapi: 3.1"));
    }
}
