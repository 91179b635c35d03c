//! A store that answers reads but takes no commit (a synchronous standby gone, a lock held)
//! takes the hub out of rotation: `/v1/health` says `commits_stalled` (503) while a commit has
//! been under way for more than five seconds, and `ok` again once commits go through. Shown on
//! the real PostgreSQL with another session holding a lock the writer's commit needs.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use ruamjai::hub::Database;

use super::{TestHub, batch, client, post, submission};

async fn health(url: &str) -> (u16, String) {
    let r = client()
        .get(format!("{url}/v1/health"))
        .send()
        .await
        .unwrap();
    let code = r.status().as_u16();
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    (code, body["status"].as_str().unwrap_or_default().to_owned())
}

/// Polls health until it answers `code`, for at most `limit`; what it said last.
async fn health_until(url: &str, code: u16, limit: Duration) -> (u16, String) {
    let until = Instant::now() + limit;
    loop {
        let said = health(url).await;
        if said.0 == code || Instant::now() > until {
            return said;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_commits_fail_the_health_check_until_they_go_through() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("stall");
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::start_at(dir.path(), None, |o| {
        o.database = Database::Postgres { url: url.clone() };
    })
    .await;
    let token = hub.kiosk("SK01");
    assert_eq!(health(&hub.url).await, (200, "ok".to_owned()));

    // Another session holds the counters' lock: the writer's next commit waits on it.
    let (release, released) = mpsc::channel::<()>();
    let (locked, is_locked) = mpsc::channel::<()>();
    let lock_url = url.clone();
    let holder = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&lock_url, postgres::NoTls).unwrap();
        let mut tx = c.transaction().unwrap();
        tx.batch_execute("LOCK TABLE counters IN ACCESS EXCLUSIVE MODE")
            .unwrap();
        locked.send(()).unwrap();
        let _ = released.recv_timeout(Duration::from_secs(60));
        tx.rollback().unwrap();
    });
    is_locked.recv_timeout(Duration::from_secs(10)).unwrap();
    let (url_for_batch, token_for_batch) = (hub.url.clone(), token.clone());
    let sent = tokio::spawn(async move {
        let b = batch(vec![submission(1, "SK01-0001-A")]);
        let c = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        post(
            &c,
            &format!("{url_for_batch}/v1/submissions"),
            &token_for_batch,
            &b,
        )
        .await
        .status()
        .as_u16()
    });
    let said = health_until(&hub.url, 503, Duration::from_secs(20)).await;
    assert_eq!(
        said,
        (503, "commits_stalled".to_owned()),
        "reads still work, commits do not"
    );

    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(
        sent.await.unwrap(),
        200,
        "the batch went through once the lock was gone"
    );
    let said = health_until(&hub.url, 200, Duration::from_secs(10)).await;
    assert_eq!(said, (200, "ok".to_owned()));
    hub.stop().await;
    cluster.drop_database(&url);
}
