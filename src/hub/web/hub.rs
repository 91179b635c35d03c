//! The serving hub assembled: its options, [`Hub::open`] (store, keys, writer, shared state) and
//! [`serve`] (the accept loop until shutdown, then the writer's last commit).

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};

use super::state::{Credentials, Door, InForce, Intake, Shared};
use crate::core::form::Campaign;
use crate::core::protocol::{MAX_BATCH_BYTES, MAX_BATCH_ITEMS};
use crate::hub::intake::versions;

/// How a hub runs. [`HubOptions::new`] gives the defaults.
#[derive(Clone, Debug)]
pub struct HubOptions {
    /// The hub's own directory: its log, campaign files, and (by default) `hub.sqlite3`.
    pub data_dir: PathBuf,
    /// Where the registrations are kept: `hub.sqlite3` in `data_dir` unless a PostgreSQL
    /// database is named.
    pub database: crate::hub::store::Database,
    /// The one campaign this hub registers for.
    pub campaign: Campaign,
    /// Requests served at once; more are answered `503` immediately (health is exempt: it reads
    /// the store at most once a second).
    pub max_in_flight: usize,
    /// Requests per second each kiosk may send on average; 0 turns the limit off.
    pub kiosk_rate_per_sec: f64,
    /// Requests a kiosk may send at once after a quiet spell.
    pub kiosk_burst: f64,
    /// Requests one kiosk may have open at once (a slow body counts until it has arrived); `429`.
    pub kiosk_max_open: usize,
    /// Connections open at once; at the cap the oldest idle one is closed to make room.
    pub max_connections: usize,
    /// How long a request head may take to arrive, and a kept-alive connection may stay idle.
    pub header_timeout: Duration,
    pub max_batch_items: usize,
    pub max_batch_bytes: usize,
    /// JSON bodies nested deeper than this are refused before parsing.
    pub max_json_depth: usize,
    /// How long a request body may take to arrive (slow senders must not hold a slot); `408`.
    pub body_timeout: Duration,
    /// Jobs waiting for the writer at most; beyond it `503`.
    pub writer_queue: usize,
    /// How long the submissions waiting for the writer may take at its recent pace; a batch
    /// beyond it is answered `503` (what bounds latency when commits are slow).
    pub max_queue_wait: Duration,
    /// The `Retry-After` of a `503`.
    pub retry_after_secs: u64,
    /// After the shutdown signal, how long open requests may take before the server stops anyway.
    pub shutdown_grace: Duration,
    /// Test aid: the writer holds each commit this long.
    pub commit_delay: Duration,
    /// Start a new empty store where one was lost (missing or 0 bytes), on purpose.
    pub init: bool,
    /// Rejected submissions one kiosk may have stored; beyond it they are answered, not kept.
    pub max_rejected_per_kiosk: u64,
    /// How long a rejected submission (its reasons and bounded copy) is kept.
    pub rejected_retention: Duration,
    /// The dashboard's marks (silent, old pending), refresh and sign-in lifetime.
    pub dashboard: super::dashboard::state::DashboardOptions,
    /// The keys sealed registrations are opened with; `None`: `RUAMJAI_HUB_KEY`, else
    /// `hub.key` in `data_dir` (made on the first start).
    pub keys: Option<crate::hub::keys::HubKeys>,
    /// HTTPS served by the hub itself (`hub serve --tls-cert --tls-key`); `None`: plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl HubOptions {
    /// The defaults for a hub on `data_dir` running `campaign`.
    #[must_use]
    pub fn new(data_dir: PathBuf, campaign: Campaign) -> Self {
        Self {
            database: crate::hub::store::Database::Sqlite {
                data_dir: data_dir.clone(),
            },
            data_dir,
            campaign,
            max_in_flight: 64,
            kiosk_rate_per_sec: 10.0,
            kiosk_burst: 20.0,
            kiosk_max_open: 4,
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
            max_batch_items: MAX_BATCH_ITEMS,
            max_batch_bytes: MAX_BATCH_BYTES,
            max_json_depth: 32,
            body_timeout: Duration::from_secs(30),
            writer_queue: 64,
            max_queue_wait: Duration::from_millis(500),
            retry_after_secs: 2,
            shutdown_grace: Duration::from_secs(30),
            commit_delay: Duration::ZERO,
            init: false,
            max_rejected_per_kiosk: 10_000,
            rejected_retention: Duration::from_secs(30 * 86_400),
            dashboard: super::dashboard::state::DashboardOptions::default(),
            keys: None,
            tls: None,
        }
    }
}

/// An open hub: its store migrated, its writer running. Serve it with [`serve`].
pub struct Hub {
    shared: Arc<Shared>,
    writer: Option<std::thread::JoinHandle<()>>,
    grace: Duration,
    limits: super::server::ConnLimits,
    /// This process's hold on a SQLite data directory, for as long as the hub is open
    /// (PostgreSQL is shared by design).
    lock: Option<std::fs::File>,
}

impl Hub {
    /// Opens the store (creating and migrating it; a lost SQLite store only with `init`),
    /// records the campaign definition and starts the writer. A SQLite data directory is taken
    /// for this process (a second hub on it is refused); a PostgreSQL database is shared with
    /// every other hub process on it.
    pub fn open(opts: HubOptions) -> Result<Hub, crate::hub::error::HubError> {
        let database = opts.database.clone();
        let lock = match &database {
            crate::hub::store::Database::Sqlite { data_dir } => {
                Some(crate::hub::store::lock_for_serving(data_dir)?)
            }
            crate::hub::store::Database::Postgres { .. } => None,
        };
        let keys = match opts.keys.clone() {
            Some(k) => k,
            None => crate::hub::keys::HubKeys::load_or_create(&opts.data_dir)?,
        };
        let campaign_json = serde_json::to_value(&opts.campaign).unwrap_or_default();
        let definition = campaign_json.to_string();
        let init = opts.init;
        let data_dir = opts.data_dir.clone();
        let campaign = Arc::new(opts.campaign);
        let in_force = Arc::clone(&campaign);
        let (conn, versions) = crate::hub::store::off_runtime(move || {
            let mut conn = database.connect(init)?;
            crate::hub::intake::writer::lineage_checked(conn.as_mut(), &database, &data_dir)?;
            let now = crate::hub::clock::now_ms();
            versions::publish(conn.as_mut(), &in_force, &definition, now)
                .and_then(|()| versions::Versions::load(conn.as_mut(), in_force))
                .map(|v| (conn, Arc::new(v)))
                .map_err(|e| database.error(&e))
        })?;
        let (tx, rx) = mpsc::channel(opts.writer_queue.max(1));
        let metrics = Arc::new(crate::hub::reports::metrics::Metrics::default());
        let backlog = Arc::new(crate::hub::intake::backlog::Backlog::default());
        let config = crate::hub::intake::writer::WriterConfig {
            backlog: Arc::clone(&backlog),
            campaign: Arc::clone(&campaign),
            database: opts.database.clone(),
            commit_delay: opts.commit_delay,
            bounds: crate::hub::intake::decide::Bounds {
                max_rejected_per_kiosk: opts.max_rejected_per_kiosk,
            },
            rejected_retention: opts.rejected_retention,
            metrics: Arc::clone(&metrics),
            data_dir: opts.data_dir.clone(),
        };
        let handle = crate::hub::intake::writer::spawn(conn, rx, config)
            .map_err(|e| crate::hub::error::HubError::from_io(&opts.data_dir, &e))?;
        let shared = Shared {
            in_force: InForce {
                campaign,
                json: campaign_json,
                versions,
            },
            door: Door {
                max_batch_items: opts.max_batch_items,
                body_limits: super::body::BodyLimits {
                    max_bytes: opts.max_batch_bytes,
                    max_depth: opts.max_json_depth,
                    timeout: opts.body_timeout,
                },
                retry_after_secs: opts.retry_after_secs.max(1),
                in_flight: Arc::new(Semaphore::new(opts.max_in_flight.max(1))),
                limiter: super::ratelimit::RateLimiter::new(
                    opts.kiosk_rate_per_sec,
                    opts.kiosk_burst,
                ),
                open_per_kiosk: super::ratelimit::OpenLimiter::new(opts.kiosk_max_open),
                refusals: super::refusals::RefusalLog::default(),
                max_queue_wait: opts.max_queue_wait,
                health: std::sync::Mutex::new(None),
                site_lists: Arc::new(Semaphore::new(super::state::SITE_LISTS_AT_ONCE)),
            },
            intake: Intake {
                writer: tx,
                backlog,
            },
            reads: Arc::new(crate::hub::store::ReadPool::new(opts.database.clone())),
            credentials: Credentials {
                auth: crate::hub::access::tokens::AuthCache::default(),
                keys: Arc::new(keys),
            },
            metrics,
            dashboard: super::dashboard::state::Dashboard::new(
                opts.dashboard,
                opts.max_in_flight.max(1),
            ),
        };
        Ok(Hub {
            shared: Arc::new(shared),
            writer: Some(handle),
            grace: opts.shutdown_grace,
            limits: super::server::ConnLimits {
                max_connections: opts.max_connections,
                header_timeout: opts.header_timeout,
                tls: opts.tls.map(super::tls::acceptor),
            },
            lock,
        })
    }

    /// The `/v1` API as an axum router.
    pub fn router(&self) -> axum::Router {
        super::router::router(Arc::clone(&self.shared))
    }
}

/// Serves `hub` on `listener` until `shutdown` completes; then stops accepting, lets requests in
/// flight finish (their batches committed and answered, for up to the shutdown grace), and waits
/// for the writer to finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: Hub,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_metrics(listener, None, hub, shutdown).await
}

/// [`serve`], and with `metrics` also `GET /metrics` without a token on that listener (for a
/// Prometheus on the hub's own host; bind it to loopback).
pub async fn serve_with_metrics(
    listener: tokio::net::TcpListener,
    metrics: Option<tokio::net::TcpListener>,
    hub: Hub,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = hub.router();
    let metrics_router = super::router::metrics_router(Arc::clone(&hub.shared));
    let Hub {
        shared,
        writer,
        grace,
        limits,
        lock,
    } = hub;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let side = metrics.map(|l| {
        let plain = super::server::ConnLimits {
            tls: None,
            ..limits.clone()
        };
        tokio::spawn(super::server::run(
            l,
            metrics_router,
            plain,
            until_stopped(stopped.clone()),
            grace,
        ))
    });
    super::server::run(listener, router, limits, until_stopped(stopped), grace).await?;
    if let Some(side) = side {
        let _ = side.await;
    }
    // The last owner of the shared state closes the writer's channel; wait for its last commit.
    // Dropped on a blocking thread: a PostgreSQL read connection says goodbye synchronously.
    if let Some(last) = Arc::into_inner(shared) {
        let joined = tokio::task::spawn_blocking(move || {
            drop(last);
            writer.map(std::thread::JoinHandle::join)
        });
        let _ = tokio::time::timeout(grace, joined).await;
    }
    tracing::info!("hub stopped");
    drop(lock);
    Ok(())
}
