//! Sync against the real hub on 127.0.0.1:0: draining, replays after a lost answer, a hub that goes
//! away and comes back, every fault the proxy can inject, backoff and Retry-After timing, 401, and a
//! herd of kiosks coming online at once. The hub must end with each registration exactly once.

use std::path::Path;
use std::time::Duration;

use ruamjai::core::form::{Campaign, campaign::DEFAULT_CAMPAIGN};
use ruamjai::hub;
use ruamjai::kiosk::config::{Config, Overrides, SyncSettings};
use ruamjai::kiosk::queue::{NewRecord, State};
use ruamjai::kiosk::sync::{self, Link, engine::Round};

use crate::hub::TestHub;
use crate::proxy::{Fault, Proxy, refused_addr};

fn campaign() -> Campaign {
    Campaign::load(DEFAULT_CAMPAIGN, None).unwrap()
}

/// Registers kiosk `name` at the hub in `dir`; returns its token.
pub fn kiosk_token(dir: &Path, name: &str) -> String {
    hub::add_kiosk(&crate::hub::sqlite_store(dir), name, "รพ.สต. ทดสอบ", false).expect("add kiosk")
}

/// A valid registration for person `n`.
fn registration(n: u64) -> ruamjai::core::form::Registration {
    crate::support::registration(&campaign(), n)
}

/// A kiosk data dir with `n` queued registrations (persons `first..first+n`).
pub fn kiosk(dir: &Path, kiosk_id: &str, first: u64, n: u64) {
    let mut q = crate::support::open_queue(&dir.join("queue.sqlite3"), kiosk_id).unwrap();
    let recs: Vec<NewRecord> = (first..first + n)
        .map(|i| NewRecord::from_registration(&registration(i), "op", None))
        .collect();
    q.enqueue_many(&recs, ruamjai::kiosk::queue::now_ms())
        .unwrap();
}

/// The configuration `ruamjai` loads from the data directory `dir` (no environment), with the
/// sender's timings made short for tests.
pub fn loaded(dir: &Path) -> Config {
    let mut c = ruamjai::kiosk::config::load(
        &Overrides {
            data_dir: Some(dir.to_path_buf()),
            ..Overrides::default()
        },
        &|_| None,
    )
    .unwrap();
    c.pin = Some(ruamjai::kiosk::config::Pin::new(crate::support::TEST_PIN));
    c.pin_try = Duration::ZERO;
    c.sync = SyncSettings {
        backoff_base_secs: 0.02,
        backoff_cap_secs: 0.2,
        connect_timeout_secs: 1.0,
        request_timeout_secs: 1.5,
        ..SyncSettings::default()
    };
    c
}

pub fn config(dir: &Path, kiosk_id: &str, url: &str, token: &str) -> Config {
    let mut c = loaded(dir);
    c.kiosk_id = kiosk_id.into();
    c.hub_url = Some(url.into());
    c.hub_token = Some(token.into());
    c
}

pub fn counts(dir: &Path, kiosk_id: &str) -> std::collections::BTreeMap<String, u64> {
    crate::support::open_queue(&dir.join("queue.sqlite3"), kiosk_id)
        .unwrap()
        .stats()
        .unwrap()
        .counts
}

pub fn hub_total(hub_dir: &Path) -> u64 {
    let s = hub::stats(&crate::hub::sqlite_store(hub_dir)).unwrap();
    s.accepted + s.duplicates + s.waitlisted
}

pub async fn flush(c: &Config, secs: u64) -> sync::FlushReport {
    let mut engine = sync::engine_for(c, "test").unwrap();
    sync::flush(&mut engine, Duration::from_secs(secs), &|_| {})
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drains_ten_thousand_records_exactly_once() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK01");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "SK01", 0, 10_000);
    let c = config(k.path(), "SK01", &hub.url.clone(), &token);
    let report = flush(&c, 120).await;
    assert_eq!(
        (report.sent, report.unsent, report.rejected),
        (10_000, 0, 0),
        "{report:?}"
    );
    assert_eq!(
        counts(k.path(), "SK01")["waitlisted"] + counts(k.path(), "SK01")["accepted"],
        10_000
    );
    hub.stop().await;
    assert_eq!(hub_total(hub_dir.path()), 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_injected_fault_ends_drained_and_correct() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK02");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    let script = vec![
        Fault::Reset,
        Fault::Status(500, None),
        Fault::CutAnswer, // the hub stored the batch; the answer is lost
        Fault::Status(503, Some(1)),
        Fault::Status(429, Some(1)),
        Fault::TruncatedJson, // stored again as a replay; the answer is garbled
        Fault::Slow(Duration::from_millis(300)),
        Fault::Hang, // past the 1.5 s request timeout
        Fault::Status(502, None),
    ];
    let n_faults = script.len();
    let proxy = Proxy::start(hub.addr, script).await;
    kiosk(k.path(), "SK02", 20_000, 120);
    let mut c = config(k.path(), "SK02", &proxy.url(), &token);
    c.sync.batch_max_records = 10;
    let report = flush(&c, 60).await;
    assert_eq!(proxy.remaining(), 0, "every fault was used");
    assert!(proxy.seen.lock().unwrap().len() > n_faults);
    assert_eq!((report.unsent, report.rejected), (0, 0), "{report:?}");
    let kc = counts(k.path(), "SK02");
    assert_eq!(kc["accepted"] + kc["waitlisted"], 120, "{kc:?}");
    hub.stop().await;
    let s = hub::stats(&crate::hub::sqlite_store(hub_dir.path())).unwrap();
    assert_eq!(
        s.accepted + s.waitlisted,
        120,
        "each registration exactly once: {s:?}"
    );
    assert_eq!(s.duplicates, 0, "replays are not duplicates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_that_goes_away_and_comes_back_gets_everything_once() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK03");
    // Nothing listening: the flush reports the hub unreachable and keeps every record.
    let down = refused_addr();
    kiosk(k.path(), "SK03", 30_000, 3000);
    let c = config(k.path(), "SK03", &format!("http://{down}"), &token);
    let report = flush(&c, 1).await;
    assert_eq!(report.unsent, 3000);
    assert!(report.reason.unwrap().contains("unreachable"));

    // Now the hub comes up on that very address; stop it in the middle of a flush and bring it back.
    let hub = TestHub::start_at(hub_dir.path(), Some(down), |o| o.max_in_flight = 64).await;
    let c2 = c.clone();
    let flushing = tokio::spawn(async move { flush(&c2, 60).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    hub.stop().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hub = TestHub::start_at(hub_dir.path(), Some(down), |o| o.max_in_flight = 64).await;
    let report = flushing.await.unwrap();
    assert_eq!((report.unsent, report.rejected), (0, 0), "{report:?}");
    hub.stop().await;
    assert_eq!(hub_total(hub_dir.path()), 3000);
    assert_eq!(
        hub::stats(&crate::hub::sqlite_store(hub_dir.path()))
            .unwrap()
            .duplicates,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_stops_sending_and_says_not_authorised() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let _ = kiosk_token(hub_dir.path(), "SK04");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "SK04", 40_000, 5);
    let c = config(k.path(), "SK04", &hub.url.clone(), "rjk_wrong");
    let mut engine = sync::engine_for(&c, "t").unwrap();
    let now = ruamjai::kiosk::queue::now_ms();
    assert_eq!(engine.round(now).await.unwrap(), Round::Unauthorized);
    assert_eq!(engine.status.link, Link::NotAuthorised);
    // No spinning: later rounds send nothing at all.
    assert_eq!(engine.round(now + 1).await.unwrap(), Round::Unauthorized);
    assert_eq!(counts(k.path(), "SK04")["pending"], 5);
    let report = flush(&c, 5).await;
    assert!(report.not_authorised && report.unsent == 5);
    hub.stop().await;
    assert_eq!(hub_total(hub_dir.path()), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backoff_is_full_jitter_and_retry_after_is_obeyed_exactly() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK05");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    let mut script: Vec<Fault> = (0..8).map(|_| Fault::Status(500, None)).collect();
    script.push(Fault::Status(503, Some(30)));
    let proxy = Proxy::start(hub.addr, script).await;
    kiosk(k.path(), "SK05", 50_000, 3);
    let mut c = config(k.path(), "SK05", &proxy.url(), &token);
    c.sync.backoff_base_secs = 2.0;
    c.sync.backoff_cap_secs = 60.0;
    let mut engine = sync::engine_for(&c, "t").unwrap();
    // Time is given to the engine explicitly: no waiting, exact bounds.
    let mut now = 1_000_000_000_000i64;
    for n in 1..=8u32 {
        let Round::Failed { retry_at } = engine.round(now).await.unwrap() else {
            panic!("round {n}")
        };
        let ceiling = (2_000i64 << (n - 1)).min(60_000);
        assert!(
            (0..=ceiling).contains(&(retry_at - now)),
            "attempt {n}: {} ms",
            retry_at - now
        );
        // Before the retry time the engine does not send at all.
        if retry_at > now {
            assert_eq!(
                engine.round(retry_at - 1).await.unwrap(),
                Round::Failed { retry_at }
            );
        }
        now = retry_at;
    }
    let sent_before = proxy.seen.lock().unwrap().len();
    assert_eq!(sent_before, 8);
    let Round::Failed { retry_at } = engine.round(now).await.unwrap() else {
        panic!("503")
    };
    let wait = retry_at - now;
    assert!(
        (30_000..=33_000).contains(&wait),
        "Retry-After 30 s plus jitter: {wait} ms"
    );
    assert!(matches!(engine.status.link, Link::Busy { until } if until == retry_at));
    assert_eq!(
        engine.round(now + 29_999).await.unwrap(),
        Round::Failed { retry_at }
    );
    assert_eq!(
        proxy.seen.lock().unwrap().len(),
        9,
        "nothing sent before Retry-After ran out"
    );
    assert!(matches!(
        engine.round(retry_at).await.unwrap(),
        Round::Sent { settled: 3, .. }
    ));
    assert_eq!(engine.status.link, Link::Online);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_herd_of_kiosks_coming_online_at_once_all_arrive() {
    const KIOSKS: u64 = 200;
    const EACH: u64 = 5;
    let hub_dir = tempfile::tempdir().unwrap();
    let kiosk_dirs: Vec<_> = (0..KIOSKS).map(|_| tempfile::tempdir().unwrap()).collect();
    let tokens: Vec<String> = (0..KIOSKS)
        .map(|i| kiosk_token(hub_dir.path(), &format!("H{i:03}")))
        .collect();
    // Limited capacity: the hub sheds what it cannot take now.
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 4).await;
    let mut configs = Vec::new();
    for (i, dir) in kiosk_dirs.iter().enumerate() {
        let id = format!("H{i:03}");
        kiosk(dir.path(), &id, 60_000 + i as u64 * EACH, EACH);
        let mut c = config(dir.path(), &id, &hub.url.clone(), &tokens[i]);
        c.sync.backoff_base_secs = 0.05;
        c.sync.backoff_cap_secs = 1.0;
        configs.push(c);
    }
    // Every kiosk ready first, then all start at the same instant.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(configs.len()));
    let mut tasks = Vec::new();
    for c in configs {
        let start = std::sync::Arc::clone(&start);
        tasks.push(tokio::spawn(async move {
            let mut engine = sync::engine_for(&c, "herd").unwrap();
            start.wait().await;
            sync::flush(&mut engine, Duration::from_secs(60), &|_| {})
                .await
                .unwrap()
        }));
    }
    let mut retries = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!((r.unsent, r.rejected), (0, 0), "{r:?}");
        retries.push(r.retries);
    }
    hub.stop().await;
    let s = hub::stats(&crate::hub::sqlite_store(hub_dir.path())).unwrap();
    assert_eq!(s.accepted + s.waitlisted, KIOSKS * EACH);
    let states: u64 = kiosk_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| counts(d.path(), &format!("H{i:03}"))[State::Accepted.as_str()])
        .sum();
    retries.sort_unstable();
    let total: u64 = retries.iter().sum();
    eprintln!(
        "herd: {KIOSKS} kiosks × {EACH} records all delivered ({states} accepted, rest waitlisted); \
         retries per kiosk min/median/p90/max {}/{}/{}/{}, total {total}",
        retries[0],
        retries[retries.len() / 2],
        retries[retries.len() * 9 / 10],
        retries[retries.len() - 1]
    );
    assert!(
        total > 0,
        "a hub with 4 slots must have shed some of 200 kiosks at once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kiosk_checks_the_hub_and_shows_the_link_and_quota() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK06");
    let addr = refused_addr();
    kiosk(k.path(), "SK06", 70_000, 4);
    let mut c = config(k.path(), "SK06", &format!("http://{addr}"), &token);
    c.sync.backoff_base_secs = 600.0;
    c.sync.backoff_cap_secs = 600.0;
    let mut engine = sync::engine_for(&c, "t").unwrap();
    let now = ruamjai::kiosk::queue::now_ms();
    let Round::Failed { retry_at } = engine.round(now).await.unwrap() else {
        panic!()
    };
    assert!(matches!(engine.status.link, Link::Offline { .. }));
    // Much later (the backoff is over) the hub is still down: the check says offline.
    engine.check_link(retry_at).await.unwrap();
    assert!(matches!(engine.status.link, Link::Offline { .. }));
    let later = retry_at + 1;
    // The hub comes up on that address; the records are due again and go at once.
    let hub = TestHub::start_at(hub_dir.path(), Some(addr), |o| o.max_in_flight = 64).await;
    let _ = engine.round(later).await.unwrap(); // due again: sent now
    assert_eq!(engine.status.link, Link::Online);
    assert_eq!(counts(k.path(), "SK06")["pending"], 0);
    // A fresh engine, offline with records in backoff, learns from the check that the hub is back.
    kiosk(k.path(), "SK06", 70_100, 2);
    let hub_url = hub.url.clone();
    hub.stop().await;
    let mut engine = sync::engine_for(&c, "t2").unwrap();
    let now = ruamjai::kiosk::queue::now_ms();
    let Round::Failed { retry_at } = engine.round(now).await.unwrap() else {
        panic!()
    };
    assert!(retry_at > now, "a backoff is scheduled");
    let hub = TestHub::start_at(hub_dir.path(), Some(addr), |o| o.max_in_flight = 64).await;
    assert_eq!(hub.url.clone(), hub_url);
    engine.check_link(retry_at).await.unwrap();
    assert_eq!(engine.status.link, Link::Online);
    assert!(
        engine.status.campaign.is_some(),
        "the quota came with the check"
    );
    assert!(matches!(
        engine.round(retry_at).await.unwrap(),
        Round::Sent { settled: 2, .. }
    ));
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_applies_retention_to_acknowledged_records() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK07");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "SK07", 80_000, 3);
    // Retention 0 days: personal data goes as soon as the hub has acknowledged.
    std::fs::write(
        k.path().join("config.toml"),
        "kiosk_id = \"SK07\"\nretention_days = 0\n",
    )
    .unwrap();
    let out = tokio::task::spawn_blocking({
        let dir = k.path().to_path_buf();
        let url = hub.url.clone();
        move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
                .envs(crate::support::SEALING_ENV)
                .arg("--data-dir")
                .arg(&dir)
                .arg("flush")
                .env("RUAMJAI_HUB_URL", url)
                .env("RUAMJAI_HUB_TOKEN", token)
                .env_remove("RUAMJAI_CONFIG")
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let q = crate::support::open_queue(&k.path().join("queue.sqlite3"), "SK07").unwrap();
    let recs = q
        .list(&ruamjai::kiosk::queue::ListFilter::default())
        .unwrap();
    assert_eq!(recs.len(), 3);
    for (r, _) in &recs {
        assert_eq!(r.state, State::Accepted);
        assert!(
            r.registration.is_none() && r.id_key.is_none(),
            "purged: {}",
            r.reference
        );
        assert!(r.purged_at.is_some());
    }
    hub.stop().await;
}

/// Records saved offline wait out a long retry delay; the kiosk restarts against a working hub.
/// The first answer from the hub makes them due at once, and `ruamjai status` agrees the link is up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_first_answer_sends_what_waited_out_an_old_delay() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SK08");
    let addr = refused_addr();
    kiosk(k.path(), "SK08", 80_000, 3);
    let mut c = config(k.path(), "SK08", &format!("http://{addr}"), &token);
    c.sync.backoff_base_secs = 600.0;
    c.sync.backoff_cap_secs = 600.0;
    let mut offline = sync::engine_for(&c, "before").unwrap();
    // The delay is full jitter, uniform up to 600 s: fail again (at the time it names) until
    // it is over a minute, so the records are surely still waiting at the restart.
    let mut now = ruamjai::kiosk::queue::now_ms();
    let mut due = now;
    for _ in 0..8 {
        let Round::Failed { retry_at } = offline.round(now).await.unwrap() else {
            panic!("the hub was down")
        };
        due = retry_at;
        if retry_at > now + 60_000 {
            break;
        }
        now = retry_at;
    }
    assert!(
        due > ruamjai::kiosk::queue::now_ms() + 30_000,
        "a long delay is scheduled"
    );
    drop(offline);
    // Restart: the hub is up now. The check (nothing is due yet) brings the waiting records due.
    let hub = TestHub::start_at(hub_dir.path(), Some(addr), |o| o.max_in_flight = 64).await;
    let mut engine = sync::engine_for(&c, "after").unwrap();
    let now = ruamjai::kiosk::queue::now_ms();
    assert!(matches!(
        engine.round(now).await.unwrap(),
        Round::Idle { .. }
    ));
    engine.check_link(now).await.unwrap();
    assert_eq!(engine.status.link, Link::Online);
    assert!(matches!(
        engine.round(now).await.unwrap(),
        Round::Sent { settled: 3, .. }
    ));
    // The same after a restart when a new record goes first: the old ones follow at once.
    hub.stop().await;
    kiosk(k.path(), "SK08", 80_010, 2);
    let mut offline = sync::engine_for(&c, "again").unwrap();
    let _ = offline
        .round(ruamjai::kiosk::queue::now_ms())
        .await
        .unwrap();
    drop(offline);
    let hub = TestHub::start_at(hub_dir.path(), Some(addr), |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "SK08", 80_020, 1);
    let mut engine = sync::engine_for(&c, "after2").unwrap();
    let now = ruamjai::kiosk::queue::now_ms();
    assert!(matches!(
        engine.round(now).await.unwrap(),
        Round::Sent { settled: 1, .. }
    ));
    assert!(matches!(
        engine.round(now).await.unwrap(),
        Round::Sent { settled: 2, .. }
    ));
    hub.stop().await;
    let status = crate::support::ruamjai(k.path())
        .arg("status")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(!said.contains("unreachable"), "{said}");
}

/// A kiosk with a hub but no `kiosk_id` would send receipts named `KIOSK-…` that another kiosk
/// may have issued too: it sends nothing, once and clearly, and `status` is CRITICAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_without_a_name_sends_nothing_and_says_which_setting() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = crate::support::private_tempdir();
    let token = kiosk_token(hub_dir.path(), "SK09");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "KIOSK", 90_000, 2);
    let run = |args: &'static [&'static str]| {
        let (dir, url, token) = (k.path().to_path_buf(), hub.url.clone(), token.clone());
        tokio::task::spawn_blocking(move || {
            crate::support::ruamjai(&dir)
                .args(args)
                .env("RUAMJAI_HUB_URL", url)
                .env("RUAMJAI_HUB_TOKEN", token)
                .output()
                .unwrap()
        })
    };
    let flushed = run(&["flush", "--timeout", "5"]).await.unwrap();
    let said = String::from_utf8_lossy(&flushed.stdout);
    assert_eq!(flushed.status.code(), Some(2), "{flushed:?}");
    assert!(
        said.contains("kiosk_id is not set") && said.contains("hub add-kiosk"),
        "{said}"
    );
    let warned = String::from_utf8_lossy(&flushed.stderr);
    assert_eq!(warned.matches("kiosk_id is not set").count(), 1, "{warned}");
    let status = run(&["status"]).await.unwrap();
    assert_eq!(status.status.code(), Some(2), "{status:?}");
    assert!(String::from_utf8_lossy(&status.stdout).contains("kiosk_id not set"));
    assert_eq!(hub_total(hub_dir.path()), 0, "nothing reached the hub");
    assert_eq!(counts(k.path(), "KIOSK")["pending"], 2, "the records wait");
    hub.stop().await;
}
