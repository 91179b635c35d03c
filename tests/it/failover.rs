//! Kiosks fail over (issue 13): `hub_url` is a list, read from a real config file; the sender
//! moves on at a refused connection or a 503, stays on the address that answered, comes back to
//! the first after a while, and does not move at 429 or 401. Real hubs on loopback, the fault
//! proxy in front where a hub must answer 503; time is given to the engine explicitly, so nothing
//! waits five minutes. Each record must end at the hub(s) exactly once, and `ruamjai status
//! --json` must name the address in use.

use std::path::Path;
use std::time::Duration;

use ruamjai::kiosk::config::Config;
use ruamjai::kiosk::sync::engine::{Engine, Round};
use ruamjai::kiosk::sync::failover::COME_BACK_MS;
use ruamjai::kiosk::sync::{self, Link};

use crate::hub::TestHub;
use crate::proxy::{Fault, Proxy, refused_addr};
use crate::sync::{counts, hub_total, kiosk, kiosk_token};

/// The kiosk's `config.toml` with `urls` as a TOML array, loaded as `ruamjai` loads it.
fn config(dir: &Path, urls: &[String], token: &str) -> Config {
    let list: Vec<String> = urls.iter().map(|u| format!("{u:?}")).collect();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "kiosk_id = \"FO01\"\nhub_url = [{}]\nhub_token = {token:?}\n",
            list.join(", ")
        ),
    )
    .unwrap();
    crate::sync::loaded(dir)
}

/// `ruamjai status --json` on the kiosk's data directory.
pub(crate) async fn status_json(dir: &Path) -> serde_json::Value {
    let dir = dir.to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        crate::support::ruamjai(&dir)
            .args(["status", "--json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    serde_json::from_slice(&out.stdout).expect("status --json prints JSON")
}

/// A second hub store that knows the same kiosk token: a copy of `from` before either runs.
/// (Two SQLite hubs are two stores; the addresses of one hub share one store and one token.)
fn twin_store(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

async fn sent(engine: &mut Engine, now: i64) -> usize {
    match engine.round(now).await.unwrap() {
        Round::Sent { settled, rejected } => {
            assert_eq!(rejected, 0);
            settled
        }
        other => panic!("expected a batch sent at {now}, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_address_and_a_stopped_hub_are_passed_over_and_each_record_arrives_once() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let k = crate::support::private_tempdir();
    let token = kiosk_token(dir_a.path(), "FO01");
    twin_store(dir_a.path(), dir_b.path());
    let dead = format!("http://{}", refused_addr());
    let a = TestHub::start_at(dir_a.path(), None, |o| o.max_in_flight = 64).await;
    let b = TestHub::start_at(dir_b.path(), None, |o| o.max_in_flight = 64).await;
    let (url_a, addr_a, url_b) = (a.url.clone(), a.addr, b.url.clone());
    let c = config(
        k.path(),
        &[dead.clone(), url_a.clone(), url_b.clone()],
        &token,
    );
    let before = status_json(k.path()).await;
    assert_eq!(before["hub_url"], dead.as_str(), "never sent: the first");
    assert_eq!(before["hub_urls"].as_array().unwrap().len(), 3);

    // The first refuses: the same batch goes to A at once, and A stays in use.
    kiosk(k.path(), "FO01", 1_000, 30);
    let mut engine = sync::engine_for(&c, "fo").unwrap();
    let t0 = 1_000_000_000_000i64;
    assert_eq!(sent(&mut engine, t0).await, 30);
    assert_eq!(engine.status.link, Link::Online);
    assert_eq!(engine.status.hub.as_deref(), Some(url_a.as_str()));
    assert_eq!(status_json(k.path()).await["hub_url"], url_a.as_str());

    // A stops: the next batch goes to B.
    a.stop().await;
    kiosk(k.path(), "FO01", 2_000, 20);
    assert_eq!(sent(&mut engine, t0 + 1).await, 20);
    assert_eq!(engine.status.hub.as_deref(), Some(url_b.as_str()));
    let said = status_json(k.path()).await;
    assert_eq!(said["hub_url"], url_b.as_str(), "{said}");
    assert_eq!(said["verdict"], "OK", "{said}");

    // A is back, but the kiosk stays on B for a while ...
    let a = TestHub::start_at(dir_a.path(), Some(addr_a), |o| o.max_in_flight = 64).await;
    kiosk(k.path(), "FO01", 3_000, 5);
    assert_eq!(sent(&mut engine, t0 + 2).await, 5);
    assert_eq!(engine.status.hub.as_deref(), Some(url_b.as_str()));
    // ... then tries the preferred order again: the first still refuses, A answers.
    kiosk(k.path(), "FO01", 4_000, 7);
    assert_eq!(sent(&mut engine, t0 + 1 + COME_BACK_MS).await, 7);
    assert_eq!(engine.status.hub.as_deref(), Some(url_a.as_str()));
    assert_eq!(status_json(k.path()).await["hub_url"], url_a.as_str());
    let kc = counts(k.path(), "FO01");
    assert_eq!(kc["pending"] + kc["sending"], 0, "{kc:?}");

    a.stop().await;
    b.stop().await;
    assert_eq!(
        hub_total(dir_a.path()),
        30 + 7,
        "A: the first and the last batches"
    );
    assert_eq!(
        hub_total(dir_b.path()),
        20 + 5,
        "B: what came while A was away"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_moves_on_a_429_and_a_401_do_not_and_the_first_is_used_again_later() {
    let hub = TestHub::start_with(|o| o.max_in_flight = 64).await;
    let k = crate::support::private_tempdir();
    let token = kiosk_token(hub.path(), "FO01");
    let first = Proxy::start(
        hub.addr,
        vec![
            Fault::Status(503, Some(30)),
            Fault::Pass,
            Fault::Status(401, None),
        ],
    )
    .await;
    let second = Proxy::start(hub.addr, vec![Fault::Pass, Fault::Status(429, Some(1))]).await;
    let c = config(k.path(), &[first.url(), second.url()], &token);
    let seen = |p: &Proxy| p.seen.lock().unwrap().len();
    let mut engine = sync::engine_for(&c, "fo").unwrap();
    let t0 = 1_000_000_000_000i64;

    // 503 at the first (the hub shedding): the same batch goes to the second at once, and the
    // kiosk is not told to wait.
    kiosk(k.path(), "FO01", 10_000, 10);
    assert_eq!(sent(&mut engine, t0).await, 10);
    assert_eq!((seen(&first), seen(&second)), (1, 1));
    assert_eq!(engine.status.link, Link::Online);
    assert_eq!(engine.status.hub.as_deref(), Some(second.url().as_str()));

    // 429 is this kiosk's own rate: it waits as told, on the same address.
    kiosk(k.path(), "FO01", 10_100, 3);
    let Round::Failed { retry_at } = engine.round(t0 + 1).await.unwrap() else {
        panic!("429")
    };
    assert!(matches!(engine.status.link, Link::Busy { .. }));
    assert_eq!(
        (seen(&first), seen(&second)),
        (1, 2),
        "the first was not asked"
    );
    assert_eq!(sent(&mut engine, retry_at).await, 3);
    assert_eq!(seen(&second), 3);

    // Five minutes on the second: the first is asked again, answers, and is used from then on.
    kiosk(k.path(), "FO01", 10_200, 4);
    assert_eq!(sent(&mut engine, t0 + COME_BACK_MS).await, 4);
    assert_eq!((seen(&first), seen(&second)), (2, 3));
    assert_eq!(engine.status.hub.as_deref(), Some(first.url().as_str()));
    assert_eq!(status_json(k.path()).await["hub_url"], first.url().as_str());

    // 401 is the token, the same at every address: the kiosk stops there and says so.
    kiosk(k.path(), "FO01", 10_300, 2);
    assert_eq!(
        engine.round(t0 + COME_BACK_MS + 1).await.unwrap(),
        Round::Unauthorized
    );
    assert_eq!(engine.status.link, Link::NotAuthorised);
    assert_eq!(engine.status.hub.as_deref(), Some(first.url().as_str()));
    assert_eq!(
        (seen(&first), seen(&second)),
        (3, 3),
        "the second was not asked"
    );
    assert_eq!(counts(k.path(), "FO01")["pending"], 2);

    let path = hub.path().to_path_buf();
    let _stopped = hub.stop().await;
    let s = ruamjai::hub::stats(&crate::hub::sqlite_store(&path)).unwrap();
    assert_eq!(
        s.accepted + s.waitlisted,
        10 + 3 + 4,
        "each exactly once: {s:?}"
    );
    assert_eq!(s.duplicates, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_no_address_answers_the_flush_names_each_and_keeps_every_record() {
    let k = crate::support::private_tempdir();
    let urls = [
        format!("http://{}", refused_addr()),
        format!("http://{}", refused_addr()),
    ];
    let c = config(k.path(), &urls, "rjk_unused");
    kiosk(k.path(), "FO01", 20_000, 3);
    let mut engine = sync::engine_for(&c, "fo").unwrap();
    let report = sync::flush(&mut engine, Duration::from_millis(300), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.unsent, 3);
    let why = report.reason.clone().unwrap_or_default();
    assert!(
        why.contains("no hub address answered") && urls.iter().all(|u| why.contains(u.as_str())),
        "{why}"
    );
    assert!(
        report.retries >= 2,
        "each address counts as a try: {report:?}"
    );
    // The next try starts again from the first.
    assert_eq!(engine.status.hub.as_deref(), Some(urls[0].as_str()));
}

/// From the environment, as a province's deployment script would set it: `ruamjai flush` passes
/// the dead address over, and the Nagios line of `ruamjai status` names the hub it used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_list_is_used_by_flush_and_named_by_status() {
    let hub = TestHub::start_with(|o| o.max_in_flight = 64).await;
    let k = crate::support::private_tempdir();
    let token = kiosk_token(hub.path(), "FO01");
    std::fs::write(k.path().join("config.toml"), "kiosk_id = \"FO01\"\n").unwrap();
    kiosk(k.path(), "FO01", 30_000, 4);
    let list = format!("http://{}, {}", refused_addr(), hub.url);
    let run = |args: &'static [&'static str]| {
        let (dir, list, token) = (k.path().to_path_buf(), list.clone(), token.clone());
        tokio::task::spawn_blocking(move || {
            crate::support::ruamjai(&dir)
                .args(args)
                .env("RUAMJAI_HUB_URL", list)
                .env("RUAMJAI_HUB_TOKEN", token)
                .output()
                .unwrap()
        })
    };
    let flushed = run(&["flush", "--timeout", "20"]).await.unwrap();
    assert_eq!(flushed.status.code(), Some(0), "{flushed:?}");
    let status = run(&["status"]).await.unwrap();
    let said = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.status.code(), Some(0), "{said}");
    assert!(
        said.contains("RUAMJAI OK - 0 pending, last sync "),
        "{said}"
    );
    assert!(said.contains(&format!(" ago via {} |", hub.url)), "{said}");
    let path = hub.path().to_path_buf();
    let _stopped = hub.stop().await;
    assert_eq!(hub_total(&path), 4);
}

/// An address that takes each connection and closes it at once, counting them: a hub address
/// that is dead behind a load balancer still accepting.
fn dropping_addr() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = taken.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(conn);
        }
    });
    (url, taken)
}

/// `ruamjai flush` from a timer is a new sender each run: it goes on from the address the last
/// run moved to, and tries the first again only once the running sender would (`COME_BACK_MS`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_flush_goes_on_from_the_address_in_use() {
    use std::sync::atomic::Ordering::SeqCst;
    let hub = TestHub::start_with(|o| o.max_in_flight = 64).await;
    let k = crate::support::private_tempdir();
    let token = kiosk_token(hub.path(), "FO01");
    let (dead, tried) = dropping_addr();
    let c = config(k.path(), &[dead.clone(), hub.url.clone()], &token);
    let flush = |first: u64| {
        kiosk(k.path(), "FO01", first, 2);
        let c = c.clone();
        async move {
            let mut engine = sync::engine_for(&c, "fo").unwrap();
            let report = sync::flush(&mut engine, Duration::from_secs(20), &|_| {})
                .await
                .unwrap();
            assert_eq!(report.unsent, 0, "{report:?}");
        }
    };
    flush(40_000).await;
    let after_first = tried.load(SeqCst);
    assert!(
        after_first >= 1,
        "the first run tried the dead address first"
    );
    flush(40_010).await;
    assert_eq!(
        tried.load(SeqCst),
        after_first,
        "the second run went on from the hub that answered"
    );
    // Once the move is older than COME_BACK_MS, the first address is tried again.
    let q = crate::support::open_queue(&k.path().join("queue.sqlite3"), "FO01").unwrap();
    let long_ago = ruamjai::kiosk::queue::now_ms() - COME_BACK_MS - 1000;
    q.set_meta("hub_moved_at", &long_ago.to_string()).unwrap();
    drop(q);
    flush(40_020).await;
    assert!(tried.load(SeqCst) > after_first, "tried first again");
    let path = hub.path().to_path_buf();
    let _stopped = hub.stop().await;
    assert_eq!(hub_total(&path), 6);
}
