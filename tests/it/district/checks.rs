//! What the operations room sees of kiosks: an idle kiosk reports in (every `flush`, pending or
//! not), the kiosk's check says UNKNOWN for a data directory that is not there (and makes none),
//! a usage error is UNKNOWN, a recovered link leaves no old error behind, a record just saved on
//! a kiosk that is offline for a moment is no warning, and the running sender, idle from its
//! start, reports in and stops saying "online" soon after the hub is gone.

use std::path::Path;
use std::time::{Duration, Instant};

use ruamjai::kiosk::sync::Link;

use crate::hub::TestHub;
use crate::support::ruamjai;
use crate::sync::{config, kiosk, kiosk_token};

/// A kiosk data directory for the real binary: `config.toml` naming `url` and `token`.
fn kiosk_dir(dir: &Path, name: &str, url: &str, token: &str, extra: &str) {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!("kiosk_id = {name:?}\nhub_url = {url:?}\nhub_token = {token:?}\n{extra}"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

fn status_json(dir: &Path) -> (i32, serde_json::Value) {
    let out = ruamjai(dir).args(["status", "--json"]).output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

fn flush_binary(dir: &Path) -> String {
    let out = ruamjai(dir)
        .args(["flush", "--timeout", "5"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flush_with_nothing_to_send_reports_in() {
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "idle-1");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let heard = || {
        hub.rows(
            "SELECT h.pending FROM heartbeats h JOIN kiosks k ON k.id = h.kiosk_id
             WHERE k.name = 'idle-1'",
            &[],
        )
    };
    assert!(heard().is_empty());
    let dir = crate::support::private_tempdir();
    kiosk_dir(dir.path(), "idle-1", &hub.url, &token, "");
    let said = flush_binary(dir.path());
    assert!(said.contains("nothing pending"), "{said}");
    let rows = heard();
    assert_eq!(rows.len(), 1, "the hub heard the idle kiosk");
    assert_eq!(rows[0].int(0).unwrap(), 0);
    hub.stop().await;
}

#[test]
fn the_check_is_unknown_for_a_data_directory_that_is_not_there_and_makes_none() {
    let parent = tempfile::tempdir().unwrap();
    let typo = parent.path().join("ruamjia");
    let out = ruamjai(&typo).arg("status").output().unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{line}");
    assert!(
        line.starts_with("RUAMJAI UNKNOWN - no data directory"),
        "{line}"
    );
    assert!(!typo.exists(), "a check made the folder");
    let out = ruamjai(&typo).args(["status", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "UNKNOWN");
    assert!(!typo.exists());
    // A usage error is UNKNOWN too, as Nagios plugins say it.
    let out = ruamjai(parent.path())
        .args(["status", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_forgets_a_failure_once_the_hub_answers_and_waits_for_the_age_rule() {
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK05");
    let dir = crate::support::private_tempdir();
    // Nobody listens at first.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    kiosk_dir(dir.path(), "SK05", &dead_url, &token, "");
    kiosk(dir.path(), "SK05", 1, 1);
    let said = flush_binary(dir.path());
    assert!(said.contains("refused the connection"), "{said}");
    let (code, json) = status_json(dir.path());
    assert_eq!(
        code, 0,
        "a record saved a minute ago on a kiosk offline for a minute is no warning: {json}"
    );
    assert!(
        json["last_sync_error"]
            .as_str()
            .is_some_and(|e| e.contains("refused")),
        "{json}"
    );
    assert!(
        json["summary"].as_str().unwrap().contains("refused"),
        "the cause is still said: {json}"
    );
    // Past warn_pending_minutes it is one.
    kiosk_dir(
        dir.path(),
        "SK05",
        &dead_url,
        &token,
        "warn_pending_minutes = 0\n",
    );
    assert_eq!(status_json(dir.path()).0, 1);
    // The hub is back: the record goes, and the old failure is gone from the check.
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    kiosk_dir(dir.path(), "SK05", &hub.url, &token, "");
    let said = flush_binary(dir.path());
    assert!(said.contains("1 sent"), "{said}");
    let (code, json) = status_json(dir.path());
    assert_eq!(code, 0, "{json}");
    assert!(json["last_sync_error"].is_null(), "{json}");
    assert!(
        !json["summary"].as_str().unwrap().contains("failed"),
        "{json}"
    );
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_sender_stops_saying_online_soon_after_the_hub_is_gone() {
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK06");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path(), "SK06", &hub.url, &token);
    // The sender's own pace, as installed: only the timeouts are the tests' short ones.
    c.sync.interval_secs = 60.0;
    let sender = ruamjai::kiosk::sync::spawn(&c);
    let mut status = sender.status.clone();
    let online = tokio::time::timeout(Duration::from_secs(20), async {
        while status.borrow_and_update().link != Link::Online {
            status.changed().await.unwrap();
        }
    })
    .await;
    assert!(online.is_ok(), "the sender never came online");
    // Idle from its start, it has reported in all the same.
    let heard = || {
        hub.rows(
            "SELECT COUNT(*) FROM heartbeats h JOIN kiosks k ON k.id = h.kiosk_id
             WHERE k.name = 'SK06'",
            &[],
        )[0]
        .int(0)
        .unwrap()
    };
    let until = Instant::now() + Duration::from_secs(20);
    while heard() == 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(heard(), 1, "an idle running kiosk is heard without a batch");
    hub.stop().await;
    let gone = Instant::now();
    let offline = tokio::time::timeout(Duration::from_secs(30), async {
        while status.borrow_and_update().link == Link::Online {
            status.changed().await.unwrap();
        }
    })
    .await;
    assert!(
        offline.is_ok(),
        "still 'online' 30 s after the hub stopped (the idle sender looked only every interval)"
    );
    assert!(
        matches!(status.borrow().link, Link::Offline { .. }),
        "{:?}",
        status.borrow().link
    );
    eprintln!("offline after {:?}", gone.elapsed());
    drop(sender);
}
