//! The hub on 127.0.0.1:0 with a temp data dir: started in-process through `hub::serve` (and once
//! through the real binary), driven with reqwest. Every loop is bounded in count and time.
//!
//! The suite runs on both store backends: a test listed in `on_both_backends!` runs once on
//! SQLite and once on a real PostgreSQL (`crate::pg`), with the same body; its `TestHub`s use the
//! backend of the run. Tests of one backend's own behaviour (a lost SQLite file, its locks) are
//! plain tests.

use std::cell::Cell;
use std::future::Future;

/// Which store the test hubs of this thread use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
}

/// The backend of this thread's test hubs.
pub fn backend() -> Backend {
    BACKEND.with(Cell::get)
}

/// Runs `test` on a two-worker runtime with its test hubs on `backend` (a PostgreSQL run without
/// PostgreSQL says so, and fails under `CI=true`).
pub fn on(backend: Backend, test: impl Future<Output = ()>) {
    if backend == Backend::Postgres && crate::pg::cluster().is_none() {
        return;
    }
    BACKEND.with(|b| b.set(backend));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(test);
}

/// Registers each named `async fn` of the module as two tests, `on_sqlite::NAME` and
/// `on_postgres::NAME`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[test]
            fn $name() {
                $crate::hub::on($crate::hub::Backend::Sqlite, super::$name());
            })*
        }
        mod on_postgres {
            $(#[test]
            fn $name() {
                $crate::hub::on($crate::hub::Backend::Postgres, super::$name());
            })*
        }
    };
}

mod access;
mod agree;
mod api;
mod attack;
pub mod binary;
mod careless;
pub mod checkin;
mod corrected;
pub mod dashboard;
mod dashboard_browser;
pub mod dashboard_cancellations;
mod dashboard_export;
mod dashboard_nginx;
mod export;
mod failover_pg;
mod form_answers;
mod limits;
mod metrics;
mod openapi;
mod overload;
pub mod postgres;
mod references;
mod rewind;
mod rogue;
mod schema_fuzz;
mod schema_version;
pub mod sites;
mod skew;
mod stall;
mod store_url;
mod waitlist;
mod waitlist_groups;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::form::{Campaign, Registration};
use ruamjai::core::protocol::{BatchResponse, ItemOutcome, Submission, SubmissionBatch};
use ruamjai::hub::{self, Database, Hub, HubOptions};
use serde::Serialize;
use tokio::sync::oneshot;
use uuid::Uuid;

/// A hub running in this test's process: the one test hub of the suite (the hub tests, the
/// sync tests, the fuzz target). Over its own temp directory, or over a directory the test keeps
/// (to restart a hub on the same data and address).
pub struct TestHub {
    pub url: String,
    pub addr: SocketAddr,
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
    database: Database,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// The built-in campaign.
pub fn campaign() -> Campaign {
    Campaign::load(DEFAULT_CAMPAIGN, None).expect("built-in campaign")
}

/// What a stopped hub leaves: its data directory and store, kept while this lives (a
/// PostgreSQL database is dropped with it, unless the directory is taken for a restart).
pub struct Stopped {
    dir: Option<tempfile::TempDir>,
    database: Database,
}

impl Stopped {
    /// The store, to read it with the server stopped.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// The temp directory, to start the hub again over it (on the same store).
    pub fn into_dir(mut self) -> tempfile::TempDir {
        self.dir.take().expect("a hub over its own temp directory")
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if self.dir.is_some()
            && let Database::Postgres { url } = &self.database
            && let Some(cluster) = crate::pg::cluster()
        {
            cluster.drop_database(url);
        }
    }
}

/// The file in a test hub's data directory naming its PostgreSQL database, so a restart over
/// the same directory finds the same store.
const PG_URL_FILE: &str = "test-database-url";

/// The store a test hub over `path` uses on this thread's backend.
pub fn store_for(path: &Path) -> Database {
    match backend() {
        Backend::Sqlite => Database::Sqlite {
            data_dir: path.to_path_buf(),
        },
        Backend::Postgres => {
            let file = path.join(PG_URL_FILE);
            let url = std::fs::read_to_string(&file).unwrap_or_else(|_| {
                let cluster = crate::pg::cluster().expect("PostgreSQL");
                let url = cluster.database("hub");
                std::fs::create_dir_all(path).unwrap();
                std::fs::write(&file, &url).unwrap();
                url
            });
            Database::Postgres { url }
        }
    }
}

impl TestHub {
    /// A hub with the default options except a generous rate limit, after `tweak`.
    pub async fn start_with(tweak: impl FnOnce(&mut HubOptions)) -> TestHub {
        Self::start_in(tempfile::tempdir().unwrap(), tweak).await
    }

    /// [`TestHub::start_with`] over an existing temp directory (a restart).
    pub async fn start_in(dir: tempfile::TempDir, tweak: impl FnOnce(&mut HubOptions)) -> TestHub {
        let path = dir.path().to_path_buf();
        let mut hub = Self::start_at(&path, None, tweak).await;
        hub.dir = Some(dir);
        hub
    }

    /// A hub over `path` (which the test keeps) on `addr`, or a free loopback port.
    pub async fn start_at(
        path: &Path,
        addr: Option<SocketAddr>,
        tweak: impl FnOnce(&mut HubOptions),
    ) -> TestHub {
        let mut opts = HubOptions::new(path.to_path_buf(), campaign());
        opts.database = store_for(path);
        opts.kiosk_rate_per_sec = 10_000.0;
        opts.kiosk_burst = 10_000.0;
        opts.keys = Some(crate::support::test_hub_keys());
        tweak(&mut opts);
        let database = opts.database.clone();
        let hub = Hub::open(opts).expect("hub opens");
        let listener = tokio::net::TcpListener::bind(addr.unwrap_or(([127, 0, 0, 1], 0).into()))
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(hub::serve(listener, hub, async move {
            let _ = stopped.await;
        }));
        TestHub {
            url: format!("http://{addr}"),
            addr,
            dir: None,
            path: path.to_path_buf(),
            database,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn start() -> TestHub {
        Self::start_with(|_| {}).await
    }

    /// Registers kiosk `name`; returns its token.
    pub fn kiosk(&self, name: &str) -> String {
        hub::add_kiosk(&self.database, name, &format!("รพ.สต. {name}"), false).unwrap()
    }

    pub fn admin(&self) -> String {
        hub::add_kiosk(&self.database, "admin", "", true).unwrap()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The hub's store.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Reads the store with `sql` (text parameters), whichever backend it is on; off the async
    /// threads, as the PostgreSQL client blocks.
    pub fn rows(&self, sql: &str, params: &[&str]) -> Vec<ruamjai::hub::store::db::Row> {
        std::thread::scope(|s| {
            s.spawn(|| {
                let mut db = self.database.connect(false).expect("store opens");
                let params: Vec<_> = params.iter().map(|p| (*p).into()).collect();
                db.query(sql, &params).expect("query")
            })
            .join()
            .expect("reader")
        })
    }

    /// Graceful shutdown, waited for (bounded).
    pub async fn stop(mut self) -> Stopped {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let done = tokio::time::timeout(Duration::from_secs(10), t).await;
            done.expect("hub stops in time").unwrap().unwrap();
        }
        Stopped {
            dir: self.dir.take(),
            database: self.database.clone(),
        }
    }
}

/// A valid registration for person `n`.
pub fn registration(n: u64) -> Registration {
    crate::support::registration(&campaign(), n)
}

/// A new submission of person `n` with kiosk reference `reference`.
pub fn submission(n: u64, reference: &str) -> Submission {
    Submission {
        submission_id: Uuid::now_v7(),
        reference: reference.to_owned(),
        created_at: 1_626_400_800_000,
        operator: "clerk".into(),
        replaces: None,
        registration: Some(registration(n)),
        sealed: None,
    }
}

pub fn batch(items: Vec<Submission>) -> SubmissionBatch {
    SubmissionBatch { items }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// GETs `url` with `token`; its JSON body.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str, token: &str) -> T {
    client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// POSTs `body` as JSON with `token`.
pub async fn post(
    c: &reqwest::Client,
    url: &str,
    token: &str,
    body: &impl Serialize,
) -> reqwest::Response {
    c.post(url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// [`post`] again while a busy hub sheds it (503; the machine's other tests load it), for at
/// most 30 s, as a kiosk sends again: the first answer that is not a 503.
pub async fn post_until_taken(
    c: &reqwest::Client,
    url: &str,
    token: &str,
    body: &impl Serialize,
) -> reqwest::Response {
    let until = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let r = post(c, url, token, body).await;
        if r.status() != 503 || std::time::Instant::now() >= until {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends `b` and returns its outcomes (asserting 200).
pub async fn submit(hub: &TestHub, token: &str, b: &SubmissionBatch) -> Vec<ItemOutcome> {
    let r = post(&client(), &format!("{}/v1/submissions", hub.url), token, b).await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let body: BatchResponse = r.json().await.unwrap();
    assert_eq!(body.outcomes.len(), b.items.len());
    for (o, i) in body.outcomes.iter().zip(&b.items) {
        assert_eq!(o.submission_id, i.submission_id, "outcomes are in order");
    }
    body.outcomes
}

/// The flags that name `database` to the real binary (none for SQLite in its data directory).
pub fn database_args(database: &Database) -> Vec<String> {
    match database {
        Database::Sqlite { .. } => Vec::new(),
        Database::Postgres { url } => vec!["--database".into(), url.clone()],
    }
}

/// The SQLite store in data directory `path` (for the kiosk-side tests, which keep to SQLite).
pub fn sqlite_store(path: &Path) -> Database {
    Database::Sqlite {
        data_dir: path.to_path_buf(),
    }
}
