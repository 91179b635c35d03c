//! What an attacker on loopback costs the hub's other users, measured, each beside the same
//! figure without the attack in the same run:
//!
//! 1. **Idle sockets**: `/v1/health` latency (a new connection per request) with 1,000 idle or
//!    half-sent sockets open, and how many of them the hub still holds (its cap).
//! 2. **A trickling kiosk**: one kiosk opens 70 POSTs and sends their bodies at 1 byte/s; another
//!    kiosk's p50/p99 for one-record batches, and how many of its requests were refused.
//! 3. **Rejected bytes**: bytes the store grows by per rejected 100 KB submission, beside the
//!    bytes sent.
//!
//! The hub runs in-process on a temp dir (127.0.0.1:0), as in `hub_load`. Bounded: about 40 s.
//!
//! ```text
//! cargo bench --bench hub_attack
//! ```

use std::time::{Duration, Instant};

use ruamjai::hub::{self, Hub, HubOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// Shared with hub_load, which uses the rest of it.
#[allow(dead_code)]
#[path = "hub_load/fixtures.rs"]
mod fixtures;
/// The integration tests' fixtures: valid Thai IDs and a valid registration.
#[path = "../tests/it/support.rs"]
mod support;

use fixtures::{template, thai_id};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn p50_p99(mut v: Vec<Duration>) -> String {
    v.sort();
    format!("{:.1}/{:.1} ms", percentile(&v, 0.5), percentile(&v, 0.99))
}

/// One `GET /v1/health` on a new connection; its latency, or `None` on failure or after 3 s.
async fn health(addr: &str) -> Option<Duration> {
    let t = Instant::now();
    let once = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(b"GET /v1/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).await.ok()?;
        buf.starts_with(b"HTTP/1.1 200").then_some(())
    };
    tokio::time::timeout(Duration::from_secs(3), once)
        .await
        .ok()
        .flatten()
        .map(|()| t.elapsed())
}

async fn health_series(addr: &str, n: usize) -> (Vec<Duration>, usize) {
    let mut ok = Vec::new();
    let mut failed = 0;
    for _ in 0..n {
        match health(addr).await {
            Some(d) => ok.push(d),
            None => failed += 1,
        }
    }
    (ok, failed)
}

/// Whether the hub has closed `s`.
async fn is_closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 256];
    matches!(
        tokio::time::timeout(Duration::from_millis(5), s.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    )
}

async fn idle_sockets(addr: &str, cap: usize) {
    let (base, _) = health_series(addr, 100).await;
    let mut idle = Vec::new();
    for i in 0..1000 {
        let Ok(mut s) = TcpStream::connect(addr).await else {
            break;
        };
        if i % 2 == 0 {
            let _ = s
                .write_all(b"POST /v1/submissions HTTP/1.1\r\nHost: h\r\n")
                .await;
        }
        idle.push(s);
    }
    let opened = idle.len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (held, failed) = health_series(addr, 100).await;
    let mut open = 0;
    for s in &mut idle {
        if !is_closed(s).await {
            open += 1;
        }
    }
    println!(
        "idle sockets: {opened} opened, {open} still held by the hub (cap {cap}); \
         health p50/p99 {} with them ({failed} of 100 failed), {} without",
        p50_p99(held),
        p50_p99(base)
    );
}

/// One batch of the template's person `n`, reference `reference`, note `note`.
fn body(item: &str, n: u64, reference: &str, note: &str) -> String {
    let one = item
        .replace("@ID@", &thai_id(n))
        .replace("@SUB@", &uuid::Uuid::now_v7().to_string())
        .replace("@REF@", reference)
        .replace("\"note\":\"\"", &format!("\"note\":\"{note}\""));
    format!("{{\"items\":[{one}]}}")
}

/// POSTs a batch as kiosk `token`.
async fn post(http: &reqwest::Client, url: &str, token: &str, body: String) -> Option<u16> {
    http.post(format!("{url}/v1/submissions"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// Kiosk `token`'s one-record batches, one after another; latencies and refusals.
async fn batches(url: &str, token: &str, from: u64, n: u64) -> (Vec<Duration>, u64) {
    let http = reqwest::Client::new();
    let item = template();
    let mut lat = Vec::new();
    let mut refused = 0;
    for i in from..from + n {
        let t = Instant::now();
        match post(&http, url, token, body(&item, i, &format!("SK01-{i}"), "")).await {
            Some(200) => lat.push(t.elapsed()),
            _ => refused += 1,
        }
    }
    (lat, refused)
}

async fn trickling(url: &str, addr: &str, rogue: &str, other: &str) {
    let (base, base_refused) = batches(url, other, 0, 200).await;
    let mut slow = Vec::new();
    for _ in 0..70 {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        let head = format!(
            "POST /v1/submissions HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {rogue}\r\n\
             Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
        );
        s.write_all(head.as_bytes()).await.expect("write");
        slow.push(s);
    }
    let dripping = tokio::spawn(async move {
        let mut refused = 0;
        for _ in 0..15 {
            tokio::time::sleep(Duration::from_secs(1)).await;
            for s in &mut slow {
                let _ = s.write_all(b" ").await;
            }
        }
        for s in &mut slow {
            let mut buf = [0u8; 512];
            if let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(20), s.read(&mut buf)).await
                && buf[..n].starts_with(b"HTTP/1.1 429")
            {
                refused += 1;
            }
        }
        refused
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (during, refused) = batches(url, other, 1000, 200).await;
    let rogue_refused = dripping.await.unwrap_or(0);
    println!(
        "trickling kiosk: 70 bodies at 1 byte/s from one kiosk ({rogue_refused} answered 429 at once); \
         another kiosk's batches p50/p99 {} with {refused} of 200 refused, {} without ({base_refused} refused)",
        p50_p99(during),
        p50_p99(base)
    );
}

fn store_bytes(dir: &std::path::Path) -> u64 {
    ["hub.sqlite3", "hub.sqlite3-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

/// Rejected submissions sent for the bytes figure.
const N: u64 = 100;

async fn rejected_bytes(url: &str, token: &str, dir: &std::path::Path) {
    let http = reqwest::Client::new();
    let note = "ก".repeat(33_000);
    let item = template();
    let checkpoint = || {
        let c = rusqlite::Connection::open(dir.join("hub.sqlite3")).expect("store");
        let _ = c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
    };
    checkpoint();
    let before = store_bytes(dir);
    let mut sent = 0u64;
    for i in 0..N {
        let body = body(&item, 50_000 + i, &format!("SK01-R{i}"), &note);
        sent += body.len() as u64;
        let _ = post(&http, url, token, body).await;
    }
    checkpoint();
    let grown = store_bytes(dir).saturating_sub(before);
    println!(
        "rejected bytes: {} bytes stored per rejected submission of {} bytes sent ({N} sent)",
        grown / N,
        sent / N
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let campaign =
        ruamjai::core::form::Campaign::load(ruamjai::core::form::campaign::DEFAULT_CAMPAIGN, None)
            .unwrap();
    let mut opts = HubOptions::new(dir.path().to_path_buf(), campaign);
    opts.max_connections = 256;
    opts.kiosk_rate_per_sec = 1000.0;
    opts.kiosk_burst = 1000.0;
    let cap = opts.max_connections;
    let hub = Hub::open(opts).expect("hub");
    let rogue = hub::add_kiosk(
        &hub::Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        },
        "SK66",
        "",
        false,
    )
    .expect("kiosk");
    let other = hub::add_kiosk(
        &hub::Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        },
        "SK01",
        "",
        false,
    )
    .expect("kiosk");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let url = format!("http://{addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hub::serve(listener, hub, async move {
        let _ = stopped.await;
    }));
    idle_sockets(&addr, cap).await;
    trickling(&url, &addr, &rogue, &other).await;
    rejected_bytes(&url, &other, dir.path()).await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
}
