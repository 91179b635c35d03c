//! `--dashboards N`: N dashboards open on the hub for the whole load, each as a browser would
//! have it: signed in once (from its own loopback address, 127.0.0.2 and up, as N screens are N
//! addresses), the page fetched, then `/dashboard/live` fetched again every refresh (what the
//! page's script does). Reports what they were answered and how fast.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Seen {
    latencies: Vec<Duration>,
    failures: u64,
}

/// The open dashboards.
pub struct Watchers {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    n: usize,
}

async fn watch(
    base: String,
    admin: String,
    k: u8,
    every: Duration,
    stop: Arc<AtomicBool>,
) -> Option<Seen> {
    let http = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2 + k]))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .ok()?;
    let r = http
        .post(format!("{base}/dashboard/signin"))
        .form(&[("token", admin.as_str())])
        .send()
        .await
        .ok()?;
    let cookie = r
        .headers()
        .get("set-cookie")?
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .to_owned();
    let mut seen = Seen::default();
    let mut url = format!("{base}/dashboard");
    while !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let answered = match http.get(&url).header("cookie", &cookie).send().await {
            Ok(r) if r.status() == 200 => r.bytes().await.is_ok(),
            _ => false,
        };
        if answered {
            seen.latencies.push(t.elapsed());
        } else {
            seen.failures += 1;
        }
        url = format!("{base}/dashboard/live");
        tokio::time::sleep(every).await;
    }
    Some(seen)
}

/// Opens `n` dashboards on the hub at `base` with admin token `admin`, polling every `every`.
pub fn open(
    rt: &tokio::runtime::Runtime,
    base: &str,
    admin: &str,
    n: usize,
    every: Duration,
) -> Watchers {
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let tasks = (0..n.min(200))
        .map(|k| {
            let (base, admin, stop, seen) = (
                base.to_owned(),
                admin.to_owned(),
                Arc::clone(&stop),
                Arc::clone(&seen),
            );
            rt.spawn(async move {
                let got = watch(base, admin, k as u8, every, stop).await;
                let mut all = seen.lock().unwrap();
                match got {
                    Some(s) => {
                        all.latencies.extend(s.latencies);
                        all.failures += s.failures;
                    }
                    None => all.failures += 1,
                }
            })
        })
        .collect();
    Watchers {
        stop,
        seen,
        tasks,
        n,
    }
}

impl Watchers {
    /// Closes them and says what they saw.
    pub fn close(self, rt: &tokio::runtime::Runtime) -> String {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            let _ = rt.block_on(t);
        }
        let mut seen = self.seen.lock().unwrap();
        seen.latencies.sort_unstable();
        let lat = &seen.latencies;
        let pct =
            |p: f64| lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)));
        format!(
            "dashboards open: {}, pages answered {}, failed {}, latency p50 {:?}, p99 {:?}",
            self.n,
            lat.len(),
            seen.failures,
            pct(0.5).copied().unwrap_or_default(),
            pct(0.99).copied().unwrap_or_default()
        )
    }
}
