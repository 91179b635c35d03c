//! `ruamjai hub`: the central API the kiosks deliver their queues to, built to shed load rather
//! than fall over at the 09:00 rush (Samut Sakhon's registration site died on 16 July 2564 BE).
//!
//! The hub shares only [`crate::core::protocol`], [`crate::core::form`] and [`crate::core::thai`] with the kiosk.
//!
//! - `store`: one interface over two backends — the SQLite file `hub.sqlite3` (WAL,
//!   `synchronous=FULL`, the default) or a PostgreSQL database shared by several hub processes —
//!   with their migrations and a read pool.
//! - `kiosks`: bearer tokens (only their SHA-256 is stored), add/revoke, constant-time match.
//! - `keys`, `open`: the hub's key pairs (`hub.key` or `RUAMJAI_HUB_KEY`, kept across
//!   rotations) and the opening of each sealed registration before it is checked.
//! - `prepare`: the handler's checks of one submission (content hash, validation, person key).
//! - `decide`: what one submission gets — replay, conflict, rejected, duplicate, accepted or
//!   waitlisted — decided inside the single writer's transaction.
//! - `known`: one lookup for a whole batch on PostgreSQL (ids seen, persons registered).
//! - `waitlist`: cancellations free a place and the first person waiting with room is accepted,
//!   each change written to the append-only `outcome_history`; `admin`: `hub cancel`,
//!   `hub set-quota` in one write-locked transaction.
//! - `counts`: the counters and group counts a commit keeps in memory and writes back once.
//! - `writer`: the one writer thread, fed by a bounded channel, committing groups of batches.
//! - `server`: the accept loop: a cap on open connections (the oldest idle one makes room), a
//!   header timeout that also ends idle keep-alives, graceful shutdown.
//! - `guard`, `ratelimit`: who is calling, `429` per kiosk token bucket and per kiosk requests
//!   open at once, the body read under the kiosk's own slot, then `503` beyond `max_in_flight`.
//! - `backlog`: how long the writer's backlog would take at its pace; beyond a budget, `503`.
//! - `api`, `body`: the `/v1` routes, error bodies, careful JSON body reading.
//! - `stats`: counts for `hub stats` and `GET /v1/stats`.
//! - `metrics`: `GET /metrics` for Prometheus; `status`: `hub status`, the Nagios check.
//! - `dashboard`: `GET /dashboard`, the province's live view in a browser (admin sign-in).
//! - `migrate`: `hub migrate-store`, a district's store copied into another (PostgreSQL).
//! - `enrol`: `hub enrol`, the one enrolment code, and `POST /v1/enrol` that trades it once.
//! - `tls`: the hub's own HTTPS and the fingerprint of the certificate kiosks pin.
//! - `cli`: the `ruamjai hub …` commands.

pub mod access;
pub mod admin;
mod api;
mod backlog;
mod backup;
mod body;
pub mod cli;
mod cli_admin;
mod cli_people;
mod cli_serve;
mod cli_settings;
mod counts;
pub mod dashboard;
mod decide;
mod enrol;
mod error;
pub mod export;
mod guard;
pub mod keys;
pub mod kiosks;
mod known;
pub(crate) mod lineage;
mod metrics;
pub mod migrate;
mod open;
mod prepare;
mod ratelimit;
mod server;
pub mod stats;
pub mod status;
pub mod store;
pub mod tls;
pub mod waitlist;
mod writer;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc};

use crate::core::form::Campaign;
pub use crate::core::protocol::HubStats;
use crate::core::protocol::{MAX_BATCH_BYTES, MAX_BATCH_ITEMS};
pub use error::HubError;
pub use kiosks::{ADMIN_PREFIX, KIOSK_PREFIX};
pub use store::Database;

/// The wall clock in Unix milliseconds (0 before 1970), the hub's one reading of it.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// How a hub runs. [`HubOptions::new`] gives the defaults.
#[derive(Clone, Debug)]
pub struct HubOptions {
    /// The hub's own directory: its log, campaign files, and (by default) `hub.sqlite3`.
    pub data_dir: PathBuf,
    /// Where the registrations are kept: `hub.sqlite3` in `data_dir` unless a PostgreSQL
    /// database is named.
    pub database: Database,
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
    pub dashboard: dashboard::DashboardOptions,
    /// The keys sealed registrations are opened with; `None`: `RUAMJAI_HUB_KEY`, else
    /// `hub.key` in `data_dir` (made on the first start).
    pub keys: Option<keys::HubKeys>,
    /// HTTPS served by the hub itself (`hub serve --tls-cert --tls-key`); `None`: plain HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl HubOptions {
    /// The defaults for a hub on `data_dir` running `campaign`.
    #[must_use]
    pub fn new(data_dir: PathBuf, campaign: Campaign) -> Self {
        Self {
            database: Database::Sqlite {
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
            dashboard: dashboard::DashboardOptions::default(),
            keys: None,
            tls: None,
        }
    }
}

/// What every request handler shares.
pub(crate) struct Shared {
    campaign: Arc<Campaign>,
    campaign_json: serde_json::Value,
    max_batch_items: usize,
    body_limits: body::BodyLimits,
    retry_after_secs: u64,
    in_flight: Arc<Semaphore>,
    limiter: ratelimit::RateLimiter,
    open_per_kiosk: ratelimit::OpenLimiter,
    refusals: guard::RefusalLog,
    metrics: Arc<metrics::Metrics>,
    /// The last store check of `/v1/health`: when, and whether the store could be read.
    health: std::sync::Mutex<Option<(std::time::Instant, bool)>>,
    writer: mpsc::Sender<writer::Job>,
    backlog: Arc<backlog::Backlog>,
    max_queue_wait: Duration,
    reads: Arc<store::ReadPool>,
    auth: guard::AuthCache,
    dashboard: dashboard::Dashboard,
    keys: Arc<keys::HubKeys>,
}

/// An open hub: its store migrated, its writer running. Serve it with [`serve`].
pub struct Hub {
    shared: Arc<Shared>,
    writer: Option<std::thread::JoinHandle<()>>,
    grace: Duration,
    limits: server::ConnLimits,
    /// This process's hold on a SQLite data directory, for as long as the hub is open
    /// (PostgreSQL is shared by design).
    lock: Option<std::fs::File>,
}

impl Hub {
    /// Opens the store (creating and migrating it; a lost SQLite store only with `init`),
    /// records the campaign definition and starts the writer. A SQLite data directory is taken
    /// for this process (a second hub on it is refused); a PostgreSQL database is shared with
    /// every other hub process on it.
    pub fn open(opts: HubOptions) -> Result<Hub, HubError> {
        let database = opts.database.clone();
        let lock = match &database {
            Database::Sqlite { data_dir } => Some(store::lock_for_serving(data_dir)?),
            Database::Postgres { .. } => None,
        };
        let keys = match opts.keys.clone() {
            Some(k) => k,
            None => keys::HubKeys::load_or_create(&opts.data_dir)?,
        };
        let campaign_json = serde_json::to_value(&opts.campaign).unwrap_or_default();
        let definition = campaign_json.to_string();
        let init = opts.init;
        let id = opts.campaign.id.clone();
        let data_dir = opts.data_dir.clone();
        let conn = store::off_runtime(move || {
            let mut conn = database.connect(init)?;
            writer::lineage_checked(conn.as_mut(), &database, &data_dir)?;
            conn.execute(
                "INSERT INTO campaigns (id, definition, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,
                     updated_at = excluded.updated_at",
                &[(&id).into(), (&definition).into(), now_ms().into()],
            )
            .map_err(|e| database.error(&e))?;
            Ok::<_, HubError>(conn)
        })?;
        let campaign = Arc::new(opts.campaign);
        let (tx, rx) = mpsc::channel(opts.writer_queue.max(1));
        let metrics = Arc::new(metrics::Metrics::default());
        let backlog = Arc::new(backlog::Backlog::default());
        let config = writer::WriterConfig {
            backlog: Arc::clone(&backlog),
            campaign: Arc::clone(&campaign),
            database: opts.database.clone(),
            commit_delay: opts.commit_delay,
            bounds: decide::Bounds {
                max_rejected_per_kiosk: opts.max_rejected_per_kiosk,
            },
            rejected_retention: opts.rejected_retention,
            metrics: Arc::clone(&metrics),
            data_dir: opts.data_dir.clone(),
        };
        let handle =
            writer::spawn(conn, rx, config).map_err(|e| HubError::from_io(&opts.data_dir, &e))?;
        let shared = Shared {
            campaign,
            campaign_json,
            max_batch_items: opts.max_batch_items,
            body_limits: body::BodyLimits {
                max_bytes: opts.max_batch_bytes,
                max_depth: opts.max_json_depth,
                timeout: opts.body_timeout,
            },
            retry_after_secs: opts.retry_after_secs.max(1),
            in_flight: Arc::new(Semaphore::new(opts.max_in_flight.max(1))),
            limiter: ratelimit::RateLimiter::new(opts.kiosk_rate_per_sec, opts.kiosk_burst),
            open_per_kiosk: ratelimit::OpenLimiter::new(opts.kiosk_max_open),
            refusals: guard::RefusalLog::default(),
            metrics,
            health: std::sync::Mutex::new(None),
            writer: tx,
            backlog,
            max_queue_wait: opts.max_queue_wait,
            reads: Arc::new(store::ReadPool::new(opts.database.clone())),
            auth: guard::AuthCache::default(),
            dashboard: dashboard::Dashboard::new(opts.dashboard, opts.max_in_flight.max(1)),
            keys: Arc::new(keys),
        };
        Ok(Hub {
            shared: Arc::new(shared),
            writer: Some(handle),
            grace: opts.shutdown_grace,
            limits: server::ConnLimits {
                max_connections: opts.max_connections,
                header_timeout: opts.header_timeout,
                tls: opts.tls.map(tls::acceptor),
            },
            lock,
        })
    }

    /// The `/v1` API as an axum router.
    pub fn router(&self) -> axum::Router {
        api::router(Arc::clone(&self.shared))
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
    let metrics_router = api::metrics_router(Arc::clone(&hub.shared));
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
        let plain = server::ConnLimits {
            tls: None,
            ..limits.clone()
        };
        tokio::spawn(server::run(
            l,
            metrics_router,
            plain,
            until_stopped(stopped.clone()),
            grace,
        ))
    });
    server::run(listener, router, limits, until_stopped(stopped), grace).await?;
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

/// Registers kiosk (or, with `admin`, an admin) `name` at `point`; returns its bearer token,
/// which is shown once and stored only as a hash.
pub fn add_kiosk(
    database: &Database,
    name: &str,
    point: &str,
    admin: bool,
) -> Result<String, HubError> {
    store::off_runtime(|| kiosks::add(database, name, point, admin))
}

/// Revokes `name`'s token (within about a second on a running hub).
pub fn revoke_kiosk(database: &Database, name: &str) -> Result<(), HubError> {
    store::off_runtime(|| kiosks::revoke(database, name))
}

/// The hub's counts, read from the store directly (the server may be stopped).
pub fn stats(database: &Database) -> Result<HubStats, HubError> {
    store::off_runtime(|| {
        let mut db = database.connect_existing()?;
        stats::collect(db.as_mut(), now_ms()).map_err(|e| database.error(&e))
    })
}
