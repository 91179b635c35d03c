//! `GET /v1/health` (for a load balancer, unguarded) and `GET /v1/campaign` (the campaign with
//! the quotas in force and the hub's published key).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};

use crate::core::protocol::{CampaignStatus, GroupQuota, Health};
use crate::hub::places::kiosks::Caller;
use crate::hub::web::body::ApiError;
use crate::hub::web::read::read;
use crate::hub::web::state::Shared;

/// A commit under way for longer than this fails `/v1/health`.
const COMMIT_STALLED: std::time::Duration = std::time::Duration::from_secs(5);

/// How long a store check answers health before it is made again.
const HEALTH_CHECK_TTL: std::time::Duration = std::time::Duration::from_secs(1);

pub async fn health(State(st): State<Arc<Shared>>) -> (StatusCode, Json<Health>) {
    let fresh = st
        .door
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
        if let Ok(mut h) = st.door.health.lock() {
            *h = Some((std::time::Instant::now(), ok));
        }
        ok
    };
    // Reads may work while commits do not (a synchronous standby gone, a lock held): a commit
    // under way for longer than COMMIT_STALLED takes the hub out of rotation too.
    let stalled = st
        .intake
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
            campaign_id: st.in_force.campaign.id.clone(),
        }),
    )
}

/// `GET /v1/campaign`: the campaign with the quotas in force (the store's, which `hub set-quota`
/// changes for every hub process), what each group has taken, the hub's published key, and the
/// site a check-in kiosk is enrolled for.
pub async fn campaign(
    State(st): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<CampaignStatus>, ApiError> {
    let for_read = Arc::clone(&st.in_force.campaign);
    let (counts, quotas, epoch) = read(&st, move |c| {
        let epoch = c
            .query_opt(
                "SELECT value FROM counters WHERE name = ?1",
                &[crate::hub::store::lineage::EPOCH.into()],
            )?
            .map(|r| r.int("value"))
            .transpose()?
            .unwrap_or(0);
        Ok((
            crate::hub::intake::counts::group_counts(c, &for_read.id)?,
            crate::hub::intake::counts::Quotas::read(c, &for_read)?,
            u64::try_from(epoch).unwrap_or(0),
        ))
    })
    .await?;
    let c = &st.in_force.campaign;
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
        definition: st.in_force.json.clone(),
        seal_key: Some(st.credentials.keys.published()),
        store_epoch: epoch,
        site_id: caller.site,
    }))
}
