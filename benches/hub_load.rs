//! Load generator for `ruamjai hub`: starts the hub in-process on a temp dir (127.0.0.1:0) and
//! drives simulated kiosks over loopback with reqwest for a bounded time, then prints sustained
//! records/s, the status mix, p50/p99 latency of answered batches, peak RSS (this process: hub and
//! kiosks together) and, for comparison, a raw SQLite batched durable insert rate on the same disk.
//!
//! ```text
//! cargo bench --profile dev --bench hub_load -- [--secs 10] [--kiosks 32] [--batch 50]
//!     [--max-in-flight 64] [--overload] [--postgres] [--dashboards N]
//! ```
//! `--dashboards N` keeps N dashboards open on the in-process hub during its load (each signed
//! in, fetching `/dashboard/live` every refresh as the page does; `hub_load/dashboards.rs`).
//! `--postgres` then starts a PostgreSQL cluster of its own (Debian's package, its defaults:
//! `fsync=on`), measures a raw batched insert of the same rows on it, and runs the real `ruamjai`
//! binary as 1, 2 and 3 hub processes on one database, the kiosks spread over them (with
//! `--overload`, the two-process run also gets the 10× phase).
//! `--overload` first measures the sustainable batch rate (closed loop, half the time), then sends
//! open-loop at 10× that rate for the other half: the hub must shed (503/429) and keep the latency
//! of what it accepts and its memory bounded. Outstanding requests are capped at 1,024.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::protocol::BatchResponse;
use ruamjai::hub::{self, Hub, HubOptions};

#[path = "hub_load/dashboards.rs"]
mod dashboards;
#[path = "hub_load/fixtures.rs"]
mod fixtures;
/// The integration tests' PostgreSQL cluster.
#[path = "../tests/it/pg.rs"]
mod pg;
/// The integration tests' fixtures: valid Thai IDs and a valid registration.
#[path = "../tests/it/support.rs"]
mod support;

use fixtures::{Args, args, peak_rss, raw_postgres, raw_sqlite, template, thai_id};

#[derive(Default)]
struct Tally {
    statuses: BTreeMap<u16, u64>,
    records: u64,
    latencies: Vec<Duration>,
    errors: u64,
    /// What the answered submissions got (all should be accepted or waitlisted).
    outcomes: BTreeMap<&'static str, u64>,
}

/// The name of load kiosk `k`.
fn kiosk_name(k: usize) -> String {
    format!("B{k:04}")
}

struct Load {
    /// The hub processes' submission URLs; kiosk `k` sends to `urls[k % len]`.
    urls: Vec<String>,
    tokens: Vec<String>,
    /// One submission's JSON with `@ID@`, `@SUB@` and `@REF@` to fill (cheaper than serde).
    item: String,
    next_person: AtomicU64,
    tally: Mutex<Tally>,
    http: reqwest::Client,
    batch: usize,
    /// `--sealed`: each kiosk's sealer to the hub's key, and its submissions sealed before the
    /// run.
    sealers: Vec<Mutex<ruamjai::core::seal::Sealer>>,
    presealed: Vec<Mutex<Vec<String>>>,
    registration: String,
}

impl Load {
    /// A batch from kiosk `k`: new people, references under the kiosk's name (the hub rejects
    /// any other).
    fn make_body(&self, k: usize) -> String {
        let items: Vec<String> = (0..self.batch)
            .map(|_| {
                if let Some(sealer) = self.sealers.get(k) {
                    if let Some(item) = self.presealed[k].lock().unwrap().pop() {
                        return item;
                    }
                    let n = self.next_person.fetch_add(1, Ordering::Relaxed);
                    let mut sealer = sealer.lock().unwrap();
                    return fixtures::sealed_item(
                        &mut sealer,
                        &kiosk_name(k),
                        n,
                        &self.registration,
                    );
                }
                let n = self.next_person.fetch_add(1, Ordering::Relaxed);
                self.item
                    .replace("@ID@", &thai_id(n))
                    .replace("@SUB@", &uuid::Uuid::now_v7().to_string())
                    .replace("@REF@", &format!("{}-{n}", kiosk_name(k)))
            })
            .collect();
        format!("{{\"items\":[{}]}}", items.join(","))
    }

    /// One batch from kiosk `k`; the Retry-After asked for, if any.
    async fn send(&self, k: usize) -> Option<u64> {
        let body = self.make_body(k);
        let t = Instant::now();
        let sent = self
            .http
            .post(&self.urls[k % self.urls.len()])
            .bearer_auth(&self.tokens[k])
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        let Ok(r) = sent else {
            self.tally.lock().unwrap().errors += 1;
            return Some(1);
        };
        let status = r.status().as_u16();
        let retry = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.parse().ok());
        let answered = if status == 200 {
            r.json::<BatchResponse>().await.ok()
        } else {
            None
        };
        let mut tally = self.tally.lock().unwrap();
        *tally.statuses.entry(status).or_default() += 1;
        if let Some(a) = answered {
            tally.records += a.outcomes.len() as u64;
            for o in &a.outcomes {
                *tally.outcomes.entry(o.outcome.state_name()).or_default() += 1;
            }
            tally.latencies.push(t.elapsed());
        }
        retry
    }
}

/// Closed loop: each kiosk sends, waits for the answer (and any Retry-After), sends again.
async fn closed_loop(load: &Arc<Load>, kiosks: usize, until: Instant) {
    let tasks: Vec<_> = (0..kiosks)
        .map(|k| {
            let load = Arc::clone(load);
            tokio::spawn(async move {
                while Instant::now() < until {
                    if let Some(secs) = load.send(k).await {
                        let left = until.saturating_duration_since(Instant::now());
                        tokio::time::sleep(Duration::from_secs(secs).min(left)).await;
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
}

/// Open loop at `per_sec` batches/s whatever the answers, at most 1,024 outstanding.
async fn open_loop(load: &Arc<Load>, per_sec: f64, until: Instant) -> u64 {
    let outstanding = Arc::new(tokio::sync::Semaphore::new(1024));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / per_sec.max(1.0)));
    let (mut k, mut skipped) = (0usize, 0u64);
    while Instant::now() < until {
        tick.tick().await;
        let Ok(permit) = Arc::clone(&outstanding).try_acquire_owned() else {
            skipped += 1;
            continue;
        };
        let load = Arc::clone(load);
        k = (k + 1) % load.tokens.len();
        tokio::spawn(async move {
            let _ = load.send(k).await;
            drop(permit);
        });
    }
    let _ = outstanding.acquire_many(1024).await;
    skipped
}

fn report(title: &str, tally: &Tally, secs: f64) {
    let mut lat = tally.latencies.clone();
    lat.sort_unstable();
    let pct = |p: f64| lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)));
    println!("== {title} ({secs:.1} s)");
    println!("records/s answered: {:.0}", tally.records as f64 / secs);
    println!(
        "status mix: {:?} (client errors {})",
        tally.statuses, tally.errors
    );
    println!("outcome mix: {:?}", tally.outcomes);
    if let (Some(p50), Some(p99)) = (pct(0.50), pct(0.99)) {
        println!("latency of answered batches: p50 {p50:?}, p99 {p99:?}");
    }
}

/// The load itself, on the client's runtime; returns when every phase is done.
async fn drive(load: Arc<Load>, a: Args) {
    let phase = a.secs as f64 / if a.overload { 2.0 } else { 1.0 };
    let start = Instant::now();
    closed_loop(&load, a.kiosks, start + Duration::from_secs_f64(phase)).await;
    let sustained = std::mem::take(&mut *load.tally.lock().unwrap());
    report(
        "closed loop (sustainable)",
        &sustained,
        start.elapsed().as_secs_f64(),
    );
    if a.overload {
        let target = (sustained.latencies.len() as f64 / phase * 10.0).max(10.0);
        println!("overload: open loop at {target:.0} batches/s (10x sustainable)");
        let start = Instant::now();
        let skipped = open_loop(&load, target, start + Duration::from_secs_f64(phase)).await;
        let over = std::mem::take(&mut *load.tally.lock().unwrap());
        report("open loop at 10x", &over, start.elapsed().as_secs_f64());
        println!("not sent (outstanding cap reached): {skipped}");
    }
}

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The load of `a` against `urls` with these kiosk `tokens`.
fn load(urls: Vec<String>, tokens: Vec<String>, a: Args) -> Arc<Load> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    Arc::new(Load {
        urls,
        tokens,
        item: template(),
        next_person: AtomicU64::new(1_000_000),
        tally: Mutex::new(Tally::default()),
        http,
        batch: a.batch,
        sealers: Vec::new(),
        presealed: Vec::new(),
        registration: fixtures::registration_template(),
    })
}

/// [`load`] with every registration sealed to `to`, `per_kiosk` submissions made beforehand.
fn sealed_load(
    urls: Vec<String>,
    tokens: Vec<String>,
    a: Args,
    to: ruamjai::core::seal::PublicKey,
) -> Arc<Load> {
    let per_kiosk = 4000;
    let registration = fixtures::registration_template();
    let started = Instant::now();
    // Each kiosk seals with its own sealer, as a kiosk's queue does (a new record key every
    // `seal::RECORDS_PER_KEY` records).
    let mut sealers: Vec<ruamjai::core::seal::Sealer> = (0..tokens.len())
        .map(|_| ruamjai::core::seal::Sealer::new(&to).expect("sealer"))
        .collect();
    let presealed = (0..tokens.len())
        .map(|k| {
            let base = 5_000_000 + (k as u64) * per_kiosk as u64;
            Mutex::new(
                (0..per_kiosk as u64)
                    .map(|i| {
                        fixtures::sealed_item(
                            &mut sealers[k],
                            &kiosk_name(k),
                            base + i,
                            &registration,
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    println!(
        "sealed {} submissions beforehand in {:.1} s",
        tokens.len() * per_kiosk,
        started.elapsed().as_secs_f64()
    );
    let mut load = Arc::try_unwrap(load(urls, tokens, a))
        .ok()
        .expect("fresh load");
    load.sealers = sealers.into_iter().map(Mutex::new).collect();
    load.presealed = presealed;
    load.next_person = AtomicU64::new(50_000_000);
    Arc::new(load)
}

fn kiosks(database: &hub::Database, a: Args) -> Vec<String> {
    (0..a.kiosks)
        .map(|i| hub::add_kiosk(database, &kiosk_name(i), "", false).expect("kiosk"))
        .collect()
}

/// The hub in this process on SQLite, and the raw SQLite insert rate on the same disk.
fn sqlite(a: Args) {
    let dir = tempfile::tempdir().expect("temp dir");
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let mut opts = HubOptions::new(dir.path().join("hub"), campaign);
    opts.max_in_flight = a.max_in_flight;
    opts.campaign.total_quota = 10_000_000;
    // Shedding under test is the hub's capacity (semaphore, writer queue), not the kiosk rate.
    opts.kiosk_rate_per_sec = 1000.0;
    opts.kiosk_burst = 1000.0;
    let tokens = kiosks(&opts.database, a);
    let admin = hub::add_kiosk(&opts.database, "dashboards", "", true).expect("admin");
    let key = ruamjai::core::seal::SecretKey::generate().expect("key");
    let public = key.public();
    opts.keys = Some(hub::keys::HubKeys::single(key));
    let refresh = opts.dashboard.refresh;
    // The hub gets its own runtime so the generator's tasks do not queue in front of its own.
    let hub_rt = runtime("hub");
    let hub = Hub::open(opts).expect("hub");
    let listener = hub_rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let url = format!(
        "http://{}/v1/submissions",
        listener.local_addr().expect("addr")
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = hub_rt.spawn(hub::serve(listener, hub, async move {
        let _ = stopped.await;
    }));
    println!(
        "hub_load: SQLite, 1 process (in this one), {} kiosks, batches of {}, max_in_flight {}, \
         {} dashboards open, registrations {}",
        a.kiosks,
        a.batch,
        a.max_in_flight,
        a.dashboards,
        if a.sealed { "sealed" } else { "in clear" }
    );
    let load = if a.sealed {
        sealed_load(vec![url.clone()], tokens, a, public)
    } else {
        load(vec![url.clone()], tokens, a)
    };
    let kiosks_rt = runtime("kiosks");
    let base = url.trim_end_matches("/v1/submissions").to_owned();
    let watchers = dashboards::open(&kiosks_rt, &base, &admin, a.dashboards, refresh);
    kiosks_rt.block_on(drive(load, a));
    if a.dashboards > 0 {
        println!("{}", watchers.close(&kiosks_rt));
    }
    let _ = stop.send(());
    let _ = hub_rt.block_on(server);
    println!("peak RSS (hub + kiosks, this process): {}", peak_rss());
    let raw = raw_sqlite(dir.path(), a.batch, 2.0);
    println!(
        "raw SQLite (WAL, synchronous=FULL, {} rows/commit): {raw:.0} rows/s",
        a.batch
    );
}

/// A hub process of the real binary: the child, its submission URL and its metrics URL.
struct HubProcess {
    child: std::process::Child,
    submissions: String,
    metrics: String,
}

/// `ruamjai hub serve` on `url`, once it listens.
fn spawn_hub(dir: &std::path::Path, url: &str, a: Args) -> HubProcess {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
        .arg("--data-dir")
        .arg(dir)
        .args(["hub", "serve", "--listen", "127.0.0.1:0", "--database", url])
        .args(["--max-in-flight", &a.max_in_flight.to_string()])
        .args(["--kiosk-rate", "1000", "--kiosk-burst", "1000"])
        .args(["--metrics-listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("hub binary");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = |prefix: &str| {
        let mut l = String::new();
        out.read_line(&mut l).expect("a line");
        l.trim().strip_prefix(prefix).expect(prefix).to_owned()
    };
    let addr = line("listening on ");
    let metrics = line("metrics on ");
    HubProcess {
        child,
        submissions: format!("{addr}/v1/submissions"),
        metrics,
    }
}

/// Jobs per group commit, from a hub process's `/metrics` at `url`: their mean.
async fn jobs_per_commit(url: &str) -> String {
    let text = match reqwest::get(url).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => return format!("unknown ({e})"),
    };
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (sum, count) = (
        value("ruamjai_hub_commit_jobs_sum"),
        value("ruamjai_hub_commit_jobs_count"),
    );
    format!(
        "{:.1} jobs in each of {count} commits",
        sum / count.max(1.0)
    )
}

/// Peak RSS of process `pid`.
fn peak_rss_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The raw engine, then 1, 2 and 3 hub processes on one database each.
fn postgres(a: Args) {
    let cluster = match pg::start(true) {
        Ok(c) => c,
        Err(why) => {
            println!("PostgreSQL runs skipped: {why}");
            return;
        }
    };
    let raw = raw_postgres(&cluster.database("raw"), a.batch, 2.0);
    println!(
        "raw PostgreSQL (fsync=on, synchronous_commit=on, {} rows/commit, 1 connection): {raw:.0} rows/s",
        a.batch
    );
    for processes in 1..=3 {
        let url = cluster.database(&format!("p{processes}"));
        let database = hub::Database::Postgres { url: url.clone() };
        let dirs: Vec<_> = (0..processes)
            .map(|_| tempfile::tempdir().expect("dir"))
            .collect();
        let hubs: Vec<_> = dirs.iter().map(|d| spawn_hub(d.path(), &url, a)).collect();
        let tokens = kiosks(&database, a);
        let urls = hubs.iter().map(|h| h.submissions.clone()).collect();
        let mut phase = a;
        phase.overload = a.overload && processes == 2;
        println!(
            "hub_load: PostgreSQL, {processes} hub process(es), {} kiosks, batches of {}, max_in_flight {} each",
            a.kiosks, a.batch, a.max_in_flight
        );
        runtime("kiosks").block_on(drive(load(urls, tokens, phase), phase));
        for mut hub in hubs {
            let commits = runtime("metrics").block_on(jobs_per_commit(&hub.metrics));
            let pid = hub.child.id();
            println!(
                "hub process {pid}: {commits}, peak RSS {}",
                peak_rss_of(pid)
            );
            let _ = hub.child.kill();
            let _ = hub.child.wait();
        }
        cluster.drop_database(&url);
    }
}

fn main() {
    let a = args();
    sqlite(a);
    if a.postgres {
        postgres(a);
    }
}
