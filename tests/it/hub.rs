//! The hub on 127.0.0.1:0 with a temp data dir: started in-process through `hub::serve` (and once
//! through the real binary), driven with reqwest. Every loop is bounded in count and time.

mod api;
mod attack;
mod binary;
mod careless;
mod limits;
mod metrics;
mod overload;
mod rogue;

use std::path::Path;
use std::time::Duration;

use ruamjai::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::form::{Campaign, Registration};
use ruamjai::hub::{self, Hub, HubOptions};
use ruamjai::protocol::{BatchResponse, ItemOutcome, Submission, SubmissionBatch};
use serde::Serialize;
use tokio::sync::oneshot;
use uuid::Uuid;

/// A hub running in this test's process, over its own temp directory.
pub struct TestHub {
    pub url: String,
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// The built-in campaign.
pub fn campaign() -> Campaign {
    Campaign::load(DEFAULT_CAMPAIGN, None).expect("built-in campaign")
}

impl TestHub {
    /// A hub with the default options except a generous rate limit, after `tweak`.
    pub async fn start_with(tweak: impl FnOnce(&mut HubOptions)) -> TestHub {
        Self::start_in(tempfile::tempdir().unwrap(), tweak).await
    }

    /// [`TestHub::start_with`] over an existing data directory (a restart).
    pub async fn start_in(dir: tempfile::TempDir, tweak: impl FnOnce(&mut HubOptions)) -> TestHub {
        let mut opts = HubOptions::new(dir.path().to_path_buf(), campaign());
        opts.kiosk_rate_per_sec = 1000.0;
        opts.kiosk_burst = 1000.0;
        tweak(&mut opts);
        let hub = Hub::open(opts).expect("hub opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(hub::serve(listener, hub, async move {
            let _ = stopped.await;
        }));
        TestHub {
            url,
            dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub async fn start() -> TestHub {
        Self::start_with(|_| {}).await
    }

    /// Registers kiosk `name`; returns its token.
    pub fn kiosk(&self, name: &str) -> String {
        hub::add_kiosk(self.dir.path(), name, &format!("รพ.สต. {name}"), false).unwrap()
    }

    pub fn admin(&self) -> String {
        hub::add_kiosk(self.dir.path(), "admin", "", true).unwrap()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Graceful shutdown, waited for (bounded).
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let done = tokio::time::timeout(Duration::from_secs(10), t).await;
            done.expect("hub stops in time").unwrap().unwrap();
        }
        self.dir
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
