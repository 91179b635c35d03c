//! The hub on 127.0.0.1:0 with a temp data dir: started in-process through `hub::serve` (and once
//! through the real binary), driven with reqwest. Every loop is bounded in count and time.

mod api;
mod attack;
pub mod binary;
mod careless;
mod limits;
mod metrics;
mod overload;
mod rogue;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ruamjai::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::form::{Campaign, Registration};
use ruamjai::hub::{self, Hub, HubOptions};
use ruamjai::protocol::{BatchResponse, ItemOutcome, Submission, SubmissionBatch};
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
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// The built-in campaign.
pub fn campaign() -> Campaign {
    Campaign::load(DEFAULT_CAMPAIGN, None).expect("built-in campaign")
}

/// What a stopped hub leaves: its data directory, kept alive while this lives.
pub struct Stopped {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Stopped {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temp directory, to start the hub again over it.
    pub fn into_dir(self) -> tempfile::TempDir {
        self.dir.expect("a hub over its own temp directory")
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
        opts.kiosk_rate_per_sec = 10_000.0;
        opts.kiosk_burst = 10_000.0;
        tweak(&mut opts);
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
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn start() -> TestHub {
        Self::start_with(|_| {}).await
    }

    /// Registers kiosk `name`; returns its token.
    pub fn kiosk(&self, name: &str) -> String {
        hub::add_kiosk(&self.path, name, &format!("รพ.สต. {name}"), false).unwrap()
    }

    pub fn admin(&self) -> String {
        hub::add_kiosk(&self.path, "admin", "", true).unwrap()
    }

    pub fn path(&self) -> &Path {
        &self.path
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
            path: self.path.clone(),
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
        registration: registration(n),
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
