//! The load generator's fixtures: its flags, valid Thai IDs, the submission template (one JSON
//! item with placeholders, filled by string replacement: cheaper than serde per request), peak
//! RSS, and the raw SQLite durable insert rate it compares the hub with.

use std::time::Instant;

use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::protocol::Submission;

use crate::support;

#[derive(Clone, Copy)]
pub struct Args {
    pub secs: u64,
    pub kiosks: usize,
    pub batch: usize,
    pub max_in_flight: usize,
    pub overload: bool,
    /// Also run the hub as 1, 2 and 3 processes on one PostgreSQL (started here, defaults).
    pub postgres: bool,
    /// Dashboards open on the in-process hub during its load (`--dashboards N`).
    pub dashboards: usize,
    /// Every registration sealed to the hub's key, as kiosks send them (`--sealed`); sealed
    /// before the timed run, so the generator's sealing does not take the hub's CPU.
    pub sealed: bool,
}

pub fn args() -> Args {
    let mut a = Args {
        secs: 10,
        kiosks: 32,
        batch: 50,
        max_in_flight: 64,
        overload: false,
        postgres: false,
        dashboards: 0,
        sealed: false,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize| {
        v.get(i + 1)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
    };
    for (i, arg) in v.iter().enumerate() {
        match arg.as_str() {
            "--secs" => a.secs = num(i).clamp(1, 600),
            "--kiosks" => a.kiosks = (num(i) as usize).clamp(1, 1000),
            "--batch" => a.batch = (num(i) as usize).clamp(1, 500),
            "--max-in-flight" => a.max_in_flight = (num(i) as usize).max(1),
            "--overload" => a.overload = true,
            "--postgres" => a.postgres = true,
            "--dashboards" => a.dashboards = (num(i) as usize).min(200),
            "--sealed" => a.sealed = true,
            _ => {} // `cargo bench` passes --bench; numbers belong to the flags above
        }
    }
    a
}

/// A valid Thai national ID for `n` (check digit computed; first digit 1–8).
pub fn thai_id(n: u64) -> String {
    support::thai_id(110_000_000_000 + n % 800_000_000_000)
}

pub fn template() -> String {
    let c = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let mut registration = support::registration(&c, 999_999);
    registration.id_number = "@ID@".into();
    let item = Submission {
        submission_id: uuid::Uuid::nil(),
        reference: "@REF@".into(),
        created_at: 1_626_400_800_000,
        operator: "bench".into(),
        replaces: None,
        registration: Some(registration),
        sealed: None,
    };
    serde_json::to_string(&item)
        .unwrap_or_default()
        .replace(&uuid::Uuid::nil().to_string(), "@SUB@")
}

pub fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_owned())
        })
        .unwrap_or_else(|| "n/a (no /proc)".into())
}

/// Raw SQLite: rows of a registration's size, `batch` per durable transaction, for `secs`.
pub fn raw_sqlite(dir: &std::path::Path, batch: usize, secs: f64) -> f64 {
    let conn = rusqlite::Connection::open(dir.join("raw.sqlite3")).expect("raw db");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL);",
    )
    .expect("raw schema");
    let body = template();
    let (start, mut rows) = (Instant::now(), 0u64);
    while start.elapsed().as_secs_f64() < secs {
        let tx = conn.unchecked_transaction().expect("begin");
        for _ in 0..batch {
            tx.execute(
                "INSERT INTO t VALUES (?1, ?2)",
                (uuid::Uuid::now_v7().to_string(), &body),
            )
            .expect("insert");
            rows += 1;
        }
        tx.commit().expect("commit");
    }
    rows as f64 / start.elapsed().as_secs_f64()
}

/// The raw engine beside the hub on PostgreSQL: the same rows, `batch` per transaction, one
/// prepared insert on one connection, for `secs`.
pub fn raw_postgres(url: &str, batch: usize, secs: f64) -> f64 {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("raw connect");
    c.batch_execute("CREATE TABLE raw_t (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        .expect("raw schema");
    let insert = c
        .prepare("INSERT INTO raw_t VALUES ($1, $2)")
        .expect("prepare");
    let body = template();
    let (start, mut rows) = (Instant::now(), 0u64);
    while start.elapsed().as_secs_f64() < secs {
        let mut tx = c.transaction().expect("begin");
        for _ in 0..batch {
            tx.execute(&insert, &[&uuid::Uuid::now_v7().to_string(), &body])
                .expect("insert");
            rows += 1;
        }
        tx.commit().expect("commit");
    }
    rows as f64 / start.elapsed().as_secs_f64()
}

/// The registration JSON of the template, with `@ID@` to fill.
pub fn registration_template() -> String {
    let c = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let mut registration = support::registration(&c, 999_999);
    registration.id_number = "@ID@".into();
    serde_json::to_string(&registration).unwrap_or_default()
}

/// One submission of person `n` from kiosk `kiosk`, its registration sealed by the kiosk's
/// `sealer` as a kiosk seals it (the kiosk's name and the submission id as associated data).
pub fn sealed_item(
    sealer: &mut ruamjai::core::seal::Sealer,
    kiosk: &str,
    n: u64,
    registration: &str,
) -> String {
    let id = uuid::Uuid::now_v7();
    let json = registration.replace("@ID@", &thai_id(n));
    let aad = ruamjai::core::seal::registration_aad(kiosk, &id);
    let data = sealer.seal(&aad, json.as_bytes()).expect("seal");
    let to = sealer.to();
    let item = Submission {
        submission_id: id,
        reference: format!("{kiosk}-{n}"),
        created_at: 1_626_400_800_000,
        operator: "bench".into(),
        replaces: None,
        registration: None,
        sealed: Some(ruamjai::core::protocol::SealedBox {
            key_id: to.key_id(),
            data: ruamjai::core::seal::b64(&data),
        }),
    };
    serde_json::to_string(&item).unwrap_or_default()
}
