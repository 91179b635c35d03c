//! The two drivers of the engine. [`spawn`]: the TUI's background task, woken by a new record, by
//! its timer, or when a wait runs out; it publishes its status on a watch channel. [`flush`]: sends
//! everything pending now, for `ruamjai flush` from a terminal, cron or a systemd timer.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::client::{ClientError, HubClient};
use super::clock::Clock;
use super::engine::{Engine, Round};
use super::failover::Hubs;
use super::{Link, SyncHandle, SyncStatus};
use crate::kiosk::config::Config;
use crate::kiosk::queue::QueueError;

/// Why an unnamed kiosk sends nothing, for `flush` and `status`.
pub const UNNAMED: &str = "kiosk_id is not set, so nothing is sent: set kiosk_id in config.toml to this kiosk's name at the hub (the NAME of `ruamjai hub add-kiosk NAME`), then restart the kiosk; or run `ruamjai enrol CODE` with the code `ruamjai hub enrol NAME` prints";

/// Why the sender could not be set up, as the queue or the hub's client says.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// A hub address or the CA file.
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Builds the engine for `config` (its own queue connection; `owner` names its leases).
pub fn engine_for(config: &Config, owner: &str) -> Result<Engine, SetupError> {
    let mut queue = config.open_queue()?;
    if !config.kiosk_id_unset() {
        let back = queue.requeue_refused_for_name()?;
        if back > 0 {
            tracing::info!(
                "{back} records refused before for this kiosk's name go to the hub again"
            );
        }
    }
    let hubs = hubs_for(config)?;
    let engine = Engine::new(queue, hubs, config.sync.clone(), owner);
    Ok(if config.kiosk_id_unset() {
        engine.unnamed()
    } else {
        engine
    })
}

/// One client per hub address, the same token and TLS settings for each.
fn hubs_for(config: &Config) -> Result<Option<Hubs>, ClientError> {
    let Some(urls) = &config.hub_url else {
        return Ok(None);
    };
    let token = config.hub_token.clone().unwrap_or_default();
    let clients = urls
        .as_slice()
        .iter()
        .map(|url| {
            HubClient::new(
                url,
                &token,
                &config.sync,
                config.hub_ca_file.as_deref(),
                config.hub_cert_sha256,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Hubs::new(clients))
}

/// The TUI's sender for `config`: started when there is a hub, else a status that says "no hub
/// configured" and never changes. Must be called inside a tokio runtime.
#[must_use]
pub fn handle_for(config: &Config) -> SyncHandle {
    if config.hub_url.is_none() {
        return SyncHandle::idle(SyncStatus {
            link: Link::NoHub,
            ..SyncStatus::default()
        })
        .0;
    }
    spawn(config)
}

/// Starts the background sender for the TUI. Must be called inside a tokio runtime.
#[must_use]
pub fn spawn(config: &Config) -> SyncHandle {
    let initial = SyncStatus {
        link: if config.hub_url.is_some() {
            Link::Unknown
        } else {
            Link::NoHub
        },
        hub: config.hub_url.as_ref().map(|u| u.first().to_owned()),
        ..SyncStatus::default()
    };
    let (mut handle, tx) = SyncHandle::idle(initial);
    let wake = Arc::clone(&handle.wake);
    let config = config.clone();
    handle.task = Some(tokio::spawn(async move {
        run_background(config, tx, wake).await;
    }));
    handle
}

async fn run_background(config: Config, tx: watch::Sender<SyncStatus>, wake: Arc<Notify>) {
    let owner = format!("tui-{}", std::process::id());
    let interval = Duration::from_secs_f64(config.sync.interval_secs.max(1.0));
    let mut engine = match engine_for(&config, &owner) {
        Ok(e) => e,
        Err(why) => {
            tracing::error!("sync cannot start: {why}");
            tx.send_replace(SyncStatus {
                link: Link::Offline {
                    error: why.to_string(),
                    retry_at: 0,
                },
                ..SyncStatus::default()
            });
            return;
        }
    };
    let clock = Clock::start();
    // A wall clock that jumped forward earlier must not strand records far in the future.
    let cap_ms = (config.sync.backoff_cap_secs * 1000.0) as i64;
    if let Err(e) = engine.queue().clamp_schedule(clock.now_ms(), cap_ms) {
        tracing::warn!("cannot tidy the retry schedule: {e}");
    }
    let _ = engine.refresh_counts();
    tx.send_replace(engine.status.clone());
    loop {
        let now = clock.now_ms();
        let round = engine.round(now).await;
        let _ = engine.refresh_counts();
        tx.send_replace(engine.status.clone());
        let wait = match round {
            Ok(Round::Sent { .. }) => continue,
            Ok(Round::Idle { next_due }) => {
                if let Err(e) = engine.check_link(now).await {
                    tracing::warn!("sync: {e}");
                }
                // Nothing to send: the heartbeat still goes (at most every 30 s), and with it
                // the cancellations made here and the hub's changes to this kiosk's records,
                // heard before retention counts from the latest outcome.
                if engine.status.link == Link::Online {
                    engine.chatter(now).await;
                    // A site's kiosk: its doses sent, its list kept fresh.
                    if let Err(e) = engine.check_in(now, false).await {
                        tracing::warn!("check-in: {e}");
                    }
                }
                apply_retention(&mut engine, now, config.retention_days);
                apply_shown_retention(&mut engine, now, config.retain_hours);
                tx.send_replace(engine.status.clone());
                // Looked at again within LINK_CHECK, so the status line stops saying "online"
                // soon after the hub is gone, not a whole interval later.
                next_due
                    .map_or(interval, |t| until(t, now).min(interval))
                    .min(LINK_CHECK)
            }
            Ok(Round::Failed { retry_at }) => until(retry_at, now),
            Ok(Round::Unauthorized) => {
                // Nothing is sent until the configuration changes: look at it now and then.
                tokio::select! {
                    () = wake.notified() => {}
                    () = tokio::time::sleep(interval) => {}
                }
                reload_if_changed(&mut engine, &config);
                continue;
            }
            Ok(Round::NoHub | Round::Unnamed) => Duration::from_secs(3600),
            Err(e) => {
                tracing::error!("sync: {e}");
                interval
            }
        };
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Deletes the on-screen copies of records acknowledged more than `hours` ago (the counter needs
/// only what is waiting; a stolen laptop holds no more than that).
pub fn apply_shown_retention(engine: &mut Engine, now: i64, hours: u32) {
    match engine
        .queue()
        .drop_shown_acknowledged(now - i64::from(hours) * 3_600_000)
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            records = n,
            hours,
            "on-screen copies of acknowledged records deleted"
        ),
        Err(e) => tracing::warn!("retention of on-screen copies: {e}"),
    }
}

/// Purges the personal data of records acknowledged more than `days` ago (a tombstone stays).
pub fn apply_retention(engine: &mut Engine, now: i64, days: u32) {
    match engine.queue().purge(now, days) {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            purged = n,
            days,
            "retention: personal data of acknowledged records removed"
        ),
        Err(e) => tracing::warn!("retention: {e}"),
    }
}

fn until(t: i64, now: i64) -> Duration {
    Duration::from_millis(u64::try_from(t - now).unwrap_or(0))
}

fn reload_if_changed(engine: &mut Engine, config: &Config) {
    let flags = crate::kiosk::config::Overrides {
        data_dir: Some(config.data_dir.clone()),
        config: Some(config.config_path.clone()),
        lang: None,
    };
    let Ok(fresh) = crate::kiosk::config::load(&flags, &|k| std::env::var(k).ok()) else {
        return;
    };
    if fresh.hub_token != config.hub_token || fresh.hub_url != config.hub_url {
        match hubs_for(&fresh) {
            Ok(hubs) => {
                tracing::info!("hub configuration changed; sending again");
                engine.set_hubs(hubs);
            }
            Err(e) => tracing::warn!("new hub configuration unusable: {e}"),
        }
    }
}

/// How often an idle running sender asks the hub whether it is there (`GET /v1/campaign`, which
/// also brings the doses left): the status line's "online" is at most this old, plus the
/// connect timeout.
const LINK_CHECK: Duration = Duration::from_secs(10);

/// The least time a flush gives its heartbeat and its outcome-change exchange after its own
/// time ran out.
const AFTER_TIME: Duration = Duration::from_secs(2);

/// How a flush ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlushReport {
    pub sent: usize,
    pub unsent: u64,
    pub rejected: u64,
    /// Batches that had to be sent again (refused, 5xx, 503/429, timeouts, ...).
    pub retries: u64,
    /// Why records remain unsent, when they do.
    pub reason: Option<String>,
    pub not_authorised: bool,
    /// Records whose outcome the hub changed since the last fetch.
    pub changed: usize,
    /// A site's kiosk: its list downloaded and its doses sent.
    pub check_in: Option<super::CheckInReport>,
}

/// Sends everything pending now (ignoring earlier backoff schedules), retrying transient failures
/// with backoff until `timeout`. `progress` is told how many records were settled.
pub async fn flush(
    engine: &mut Engine,
    timeout: Duration,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<FlushReport, QueueError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let clock = Clock::start();
    engine.queue().reschedule_pending_now()?;
    let mut report = FlushReport {
        sent: 0,
        unsent: 0,
        rejected: 0,
        retries: 0,
        reason: None,
        not_authorised: false,
        changed: 0,
        check_in: None,
    };
    let failed_before = engine.failed_sends();
    // First the hub's store epoch: what its store may have lost goes again in this run.
    if engine.status.link != Link::Unnamed && engine.status.link != Link::NotAuthorised {
        let _ = tokio::time::timeout(timeout, engine.look_at_campaign(clock.now_ms())).await;
    }
    loop {
        let now = clock.now_ms();
        match engine.round(now).await? {
            Round::Sent { settled, .. } => {
                report.sent += settled;
                progress(settled);
            }
            Round::Idle { next_due: None } => break,
            Round::Idle { next_due: Some(t) } | Round::Failed { retry_at: t } => {
                let wait = until(t, now).max(Duration::from_millis(10));
                if tokio::time::Instant::now() + wait > deadline {
                    report.reason = Some(match (&engine.status.link, &engine.status.problem) {
                        (Link::Busy { .. }, _) => "hub busy; records left for the next run".into(),
                        (Link::Offline { error, .. }, _) => format!("hub unreachable: {error}"),
                        // Why the records did not go (the name, the hub's key, …).
                        (_, Some(problem)) => problem.clone(),
                        _ => "time ran out".into(),
                    });
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            Round::Unauthorized => {
                report.not_authorised = true;
                report.reason = Some("kiosk not authorised by the hub: check hub_token".into());
                break;
            }
            Round::NoHub => {
                report.reason = Some("no hub configured (hub_url)".into());
                break;
            }
            Round::Unnamed => {
                report.not_authorised = true;
                report.reason = Some(UNNAMED.into());
                break;
            }
        }
    }
    // Even with nothing pending: the kiosk reports in, cancellations made here go out, and the
    // hub's changes come in.
    // Bounded by what is left of the flush's time (at least a moment, for a flush that spent
    // it all waiting), so `--timeout` holds for the whole run.
    let left = || {
        deadline
            .saturating_duration_since(tokio::time::Instant::now())
            .max(AFTER_TIME)
    };
    if !report.not_authorised {
        if let Ok(done) = tokio::time::timeout(left(), engine.check_in(clock.now_ms(), true)).await
        {
            report.check_in = done?;
        } else {
            tracing::warn!("check-in: no answer in time");
        }
        let _ = tokio::time::timeout(left(), engine.report_in(clock.now_ms())).await;
        match tokio::time::timeout(left(), engine.sync_changes(clock.now_ms())).await {
            Ok(Ok(n)) => report.changed = n,
            Ok(Err(super::changes::SyncChangesError::Queue(e))) => return Err(e),
            Ok(Err(e)) => tracing::warn!("outcome changes not exchanged: {e}"),
            Err(_) => tracing::warn!("outcome changes not exchanged: no answer in time"),
        }
    }
    engine.refresh_counts()?;
    report.unsent = engine.status.unsent;
    report.rejected = engine.status.rejected;
    report.retries = engine.failed_sends() - failed_before;
    Ok(report)
}
