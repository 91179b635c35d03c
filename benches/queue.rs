//! Queue benchmarks (not tests; CI times nothing). Run with `cargo bench --bench queue`, or through
//! `benches/run`, which writes BENCHMARKS.md.
//!
//! - Durable enqueue latency p50/p99 beside a raw SQLite single-row WAL + `synchronous=FULL` commit
//!   on the same disk, alternating rounds; the figure is the ratio (target: p99 ≤ 2× raw).
//! - Import of 100k CSV rows through the form's validation and one transaction (target ≥ 20k rows/s).
//! - With `-- --campaigns` (only that): the durable enqueue of real registrations, the vaccine
//!   campaign's and the flood-relief campaign's (its answers in the record), in alternating
//!   rounds beside the raw commit.
//!
//! Prints Markdown table rows on stdout.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ruamjai::core::form::{Campaign, Context, campaign::DEFAULT_CAMPAIGN};
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::queue::{NewRecord, Queue, now_ms};

const ROUNDS: usize = 5;
const PER_ROUND: usize = 400;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn bench_dir() -> tempfile::TempDir {
    // On the same disk as the project (not a tmpfs /tmp), like a kiosk's data directory.
    let base = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    std::fs::create_dir_all(&base).ok();
    tempfile::tempdir_in(base).expect("temp dir")
}

/// A queue as a kiosk runs it: sealing to a hub key and to the shift's (PIN set).
fn sealing_queue(dir: &std::path::Path) -> Queue {
    let mut q = Queue::open(&dir.join("queue.sqlite3"), "BENCH").expect("queue");
    let hub = ruamjai::core::seal::SecretKey::generate()
        .expect("key")
        .public();
    q.set_hub_key(&hub).expect("hub key");
    q.set_pin("bench-pin").expect("pin");
    q
}

fn enqueue_round(n: usize, offset: usize) -> Vec<Duration> {
    let dir = bench_dir();
    let mut q = sealing_queue(dir.path());
    let payload = "x".repeat(700); // about the size of a real registration's JSON
    (0..n)
        .map(|i| {
            let rec = NewRecord {
                campaign_id: "c".into(),
                operator: "bench".into(),
                id_key: format!("ID:{}", offset + i),
                search_text: "สมชาย ใจดี".into(),
                payload: payload.clone(),
                replaces: None,
            };
            let t = Instant::now();
            q.enqueue(&rec, now_ms()).expect("enqueue");
            t.elapsed()
        })
        .collect()
}

fn raw_round(n: usize) -> Vec<Duration> {
    let dir = bench_dir();
    let conn = rusqlite::Connection::open(dir.path().join("raw.sqlite3")).expect("raw");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
    )
    .expect("schema");
    let payload = "x".repeat(700);
    (0..n)
        .map(|_| {
            let t = Instant::now();
            conn.execute("INSERT INTO t (body) VALUES (?1)", [&payload])
                .expect("insert");
            t.elapsed()
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn import_rate(rows: usize) -> f64 {
    let names: Vec<&str> = include_str!("../tests/fixtures/thai-names-sample.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut csv = String::from(
        "id_type,id_number,title,first_name,last_name,birth_date,sex,phone,tambon,amphoe,province,postcode,target_group,consent\n",
    );
    for i in 0..rows {
        let stem = format!("{:012}", 110_000_000_000u64 + i as u64);
        let d: Vec<u32> = stem.chars().filter_map(|c| c.to_digit(10)).collect();
        let s: u32 = d.iter().enumerate().map(|(k, v)| v * (13 - k as u32)).sum();
        let _ = writeln!(
            csv,
            "thai_id,{stem}{},นาย,{},{},05/07/2490,male,0812345678,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes",
            (11 - s % 11) % 10,
            names[i % names.len()],
            names[(i * 7 + 1) % names.len()]
        );
    }
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).expect("campaign");
    let ctx = Context {
        today: ThaiDate {
            day: Some(25),
            month: Some(11),
            year_be: 2569,
        },
    };
    let dir = bench_dir();
    let mut q = sealing_queue(dir.path());
    let bar = indicatif::ProgressBar::hidden();
    let t = Instant::now();
    let checked = ruamjai::kiosk::cli::import::check(
        &csv,
        &campaign,
        ctx,
        "bench",
        ruamjai::core::thai::Lang::En,
        &bar,
    )
    .expect("check");
    assert!(checked.errors.is_empty(), "{:?}", &checked.errors[..1]);
    let recs: Vec<NewRecord> = checked.valid.into_iter().map(|(_, r)| r).collect();
    q.enqueue_many(&recs, now_ms()).expect("enqueue");
    rows as f64 / t.elapsed().as_secs_f64()
}

/// `n` registrations of campaign `id` as the queue gets them, read from a CSV with `header`
/// and each row from `row(id_number)`.
fn records(id: &str, header: &str, n: usize, row: impl Fn(&str) -> String) -> Vec<NewRecord> {
    let mut csv = format!("{header}\n");
    for i in 0..n {
        let stem = format!("{:012}", 120_000_000_000u64 + i as u64);
        let d: Vec<u32> = stem.chars().filter_map(|c| c.to_digit(10)).collect();
        let s: u32 = d.iter().enumerate().map(|(k, v)| v * (13 - k as u32)).sum();
        let _ = writeln!(csv, "{}", row(&format!("{stem}{}", (11 - s % 11) % 10)));
    }
    let campaign = Campaign::load(id, None).expect("campaign");
    let ctx = Context {
        today: ThaiDate {
            day: Some(25),
            month: Some(11),
            year_be: 2569,
        },
    };
    let bar = indicatif::ProgressBar::hidden();
    let lang = ruamjai::core::thai::Lang::En;
    let checked = ruamjai::kiosk::cli::import::check(&csv, &campaign, ctx, "bench", lang, &bar)
        .expect("check");
    assert!(checked.errors.is_empty(), "{:?}", &checked.errors[..1]);
    checked.valid.into_iter().map(|(_, r)| r).collect()
}

/// Each of `recs` enqueued alone into a fresh sealing queue, timed.
fn enqueue_each(recs: &[NewRecord]) -> Vec<Duration> {
    let dir = bench_dir();
    let mut q = sealing_queue(dir.path());
    recs.iter()
        .map(|rec| {
            let t = Instant::now();
            q.enqueue(rec, now_ms()).expect("enqueue");
            t.elapsed()
        })
        .collect()
}

/// The enqueue of a vaccine and a flood-relief registration beside the raw commit.
fn campaigns() {
    let vaccine = records(
        DEFAULT_CAMPAIGN,
        "id_type,id_number,title,first_name,last_name,birth_date,sex,phone,tambon,amphoe,province,postcode,target_group,consent",
        ROUNDS * PER_ROUND,
        |id| {
            format!(
                "thai_id,{id},นาย,สมชาย,ใจดี,05/07/2490,male,0812345678,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes"
            )
        },
    );
    let flood = records(
        "flood-relief-2564",
        "id_type,id_number,title,first_name,last_name,phone,target_group,household_size,damage,bank_account,house_no,moo,tambon,amphoe,province,consent",
        ROUNDS * PER_ROUND,
        |id| {
            format!(
                "thai_id,{id},นาย,สมชาย,ใจดี,0812345678,2,4,total,020123456,12/3,4,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,yes"
            )
        },
    );
    let (mut v, mut f, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let part = round * PER_ROUND..(round + 1) * PER_ROUND;
        v.extend(enqueue_each(&vaccine[part.clone()]));
        f.extend(enqueue_each(&flood[part]));
        r.extend(raw_round(PER_ROUND));
    }
    for (name, d, bytes) in [
        ("vaccine", &mut v, vaccine[0].payload.len()),
        ("flood relief", &mut f, flood[0].payload.len()),
        ("raw commit", &mut r, 700),
    ] {
        d.sort();
        println!(
            "| durable enqueue, {name} ({bytes} bytes) | p50 {:.3} ms | p99 {:.3} ms |",
            ms(percentile(d, 0.5)),
            ms(percentile(d, 0.99))
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("queue: benchmark");
        return;
    }
    if std::env::args().any(|a| a == "--campaigns") {
        campaigns();
        return;
    }
    let mut ratios50 = Vec::new();
    let mut ratios99 = Vec::new();
    let mut ours = Vec::new();
    let mut raws = Vec::new();
    for round in 0..ROUNDS {
        let mut a = enqueue_round(PER_ROUND, round * PER_ROUND);
        let mut b = raw_round(PER_ROUND);
        a.sort();
        b.sort();
        ratios50.push(ms(percentile(&a, 0.5)) / ms(percentile(&b, 0.5)));
        ratios99.push(ms(percentile(&a, 0.99)) / ms(percentile(&b, 0.99)));
        ours.push((percentile(&a, 0.5), percentile(&a, 0.99)));
        raws.push((percentile(&b, 0.5), percentile(&b, 0.99)));
    }
    let stat = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[0], v[v.len() / 2], v[v.len() - 1])
    };
    let (r50min, r50med, r50max) = stat(&mut ratios50);
    let (r99min, r99med, r99max) = stat(&mut ratios99);
    let mut o50: Vec<f64> = ours.iter().map(|x| ms(x.0)).collect();
    let mut o99: Vec<f64> = ours.iter().map(|x| ms(x.1)).collect();
    let mut w50: Vec<f64> = raws.iter().map(|x| ms(x.0)).collect();
    let mut w99: Vec<f64> = raws.iter().map(|x| ms(x.1)).collect();
    println!(
        "| durable enqueue p50 (ms) | {:.3} | raw commit {:.3}; ratio min/median/max {r50min:.2} / {r50med:.2} / {r50max:.2} | — |",
        stat(&mut o50).1,
        stat(&mut w50).1
    );
    println!(
        "| durable enqueue p99 (ms) | {:.3} | raw commit {:.3}; ratio min/median/max {r99min:.2} / {r99med:.2} / {r99max:.2} | ≤ 2× raw: {} |",
        stat(&mut o99).1,
        stat(&mut w99).1,
        if r99med <= 2.0 { "met" } else { "MISSED" }
    );
    let mut rates: Vec<f64> = (0..3).map(|_| import_rate(100_000)).collect();
    let (lo, med, hi) = stat(&mut rates);
    println!(
        "| import of 100k CSV rows (rows/s) | {lo:.0} / {med:.0} / {hi:.0} | — | ≥ 20k: {} |",
        if med >= 20_000.0 { "met" } else { "MISSED" }
    );
}
