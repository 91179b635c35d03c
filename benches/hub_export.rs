//! Data out, measured (not a test): `ruamjai hub export` (the release binary) over SQLite stores
//! of 100,000 and 1,000,000 registrations, in each format, with its rows/s and peak RSS (read by
//! Python's `resource` as the child's maximum resident set), beside the raw engine in the same
//! run: rusqlite reading the same rows and writing their columns as CSV, no decoding. Then what
//! a kiosk's `GET /v1/outcomes` costs when it has 10,000 records at the hub: an empty answer
//! (the heartbeat's usual case) and a full page of 500 changes, beside the same query on the
//! raw engine.
//!
//! The stores are filled by SQL straight from one registration the hub validated (the rows are
//! what `decide` writes; filling a million through the API would measure the writer instead).
//! `cargo bench --bench hub_export -- [--rows 100000,1000000] [--write]`

#[path = "common/section.rs"]
mod section;
#[path = "../tests/it/support.rs"]
mod support;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use rusqlite::Connection;

const MARK_BEGIN: &str = "<!-- hub_export: begin -->";
const MARK_END: &str = "<!-- hub_export: end -->";
const BIN: &str = env!("CARGO_BIN_EXE_ruamjai");

fn ruamjai(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir").arg(dir);
    c
}

/// A store in `dir` with kiosk SK01 and `rows` accepted registrations cloned from one the hub
/// validated (each with its own ID number, reference and hub reference).
fn fill(dir: &Path, rows: u64) {
    let added = ruamjai(dir)
        .args(["hub", "add-kiosk", "SK01", "--point", "รพ.สต. คลองมะเดื่อ"])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let campaign =
        ruamjai::core::form::Campaign::load(ruamjai::core::form::campaign::DEFAULT_CAMPAIGN, None)
            .unwrap();
    // The tests' registration (validated as the hub validates it), with a phone.
    let mut reg = support::registration(&campaign, 0);
    reg.phone = "0812345678".into();
    let template_id = reg.id_number.clone();
    let json = serde_json::to_string(&reg).unwrap();
    let db = Connection::open(dir.join("hub.sqlite3")).unwrap();
    db.execute_batch("PRAGMA synchronous=OFF; BEGIN").unwrap();
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO submissions (submission_id, kiosk_id, content_hash, reference, operator,
             campaign_id, person_key, target_group, status, outcome, hub_seq, waitlist_position,
             registration, created_at, received_at, row_seq)
         SELECT printf('0190f000-0000-7000-8000-%012d', i), 1, zeroblob(32),
             printf('SK01-%07d', i), 'clerk', ?2, printf('ID:%013d', i), 3, 'accepted',
             printf('{\"status\":\"accepted\",\"hub_reference\":\"RJ-%07d\"}', i), i, NULL,
             replace(?3, ?4, printf('%013d', 1100000000000 + i)),
             1626400800000 + i, 1626400800000 + i, i
         FROM n",
        rusqlite::params![rows as i64, campaign.id, json, template_id],
    )
    .unwrap();
    db.execute_batch(
        "INSERT INTO counters (name, value) VALUES ('row_seq', (SELECT MAX(row_seq) FROM submissions))
             ON CONFLICT (name) DO UPDATE SET value = excluded.value;
         COMMIT; PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
}

/// Runs `cmd`; (seconds, peak RSS in MiB) of the child, through Python's `resource`.
fn measured(cmd: &Command) -> (f64, f64) {
    let mut args = vec![cmd.get_program().to_owned()];
    args.extend(cmd.get_args().map(ToOwned::to_owned));
    let started = Instant::now();
    let out = Command::new("python3")
        .args([
            "-c",
            "import resource, subprocess, sys\n\
             r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n\
             assert r.returncode == 0, r.stderr\n\
             print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
        ])
        .args(&args)
        .output()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kib: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    (secs, kib / 1024.0)
}

/// The raw engine: every row's columns read by rusqlite and written as CSV, nothing decoded.
fn raw(dir: &Path, file: &Path) -> f64 {
    let started = Instant::now();
    let db = Connection::open(dir.join("hub.sqlite3")).unwrap();
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(
        std::fs::File::create(file).unwrap(),
    ));
    let mut stmt = db
        .prepare("SELECT submission_id, reference, status, outcome, registration, created_at FROM submissions ORDER BY row_seq")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let cells: Vec<String> = (0..5).map(|i| r.get::<_, String>(i).unwrap()).collect();
        out.write_record(&cells).unwrap();
    }
    out.flush().unwrap();
    started.elapsed().as_secs_f64()
}

/// Median of `n` timings of `f`, in milliseconds.
fn median_ms(n: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[n / 2]
}

/// A kiosk with 10,000 records at the hub and 1,000 changes: `GET /v1/outcomes` empty and with
/// a page of 500, through the real hub, beside the query on the raw engine.
fn outcomes(section: &mut String) {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path(), 10_000);
    let token = String::from_utf8(
        ruamjai(dir.path())
            .args(["hub", "add-kiosk", "SK02"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    let db = Connection::open(dir.path().join("hub.sqlite3")).unwrap();
    db.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
         INSERT INTO outcome_history (seq, submission_id, kiosk_id, status, outcome, actor, reason, at)
         SELECT i, printf('0190f000-0000-7000-8000-%012d', i * 10), 2, 'accepted',
             printf('{\"status\":\"accepted\",\"hub_reference\":\"RJ-%07d\"}', i * 10), 'hub', 'bench', i
         FROM n;
         UPDATE submissions SET kiosk_id = 2;",
    )
    .unwrap();
    let mut hub = ruamjai(dir.path())
        .args([
            "hub",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--kiosk-rate",
            "0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(hub.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line.trim().trim_start_matches("listening on ").to_owned();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let fetch = |path: String| {
        runtime.block_on(async {
            let r = client
                .get(format!("{url}{path}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            r.bytes().await.unwrap().len()
        })
    };
    let get = |after: u64| fetch(format!("/v1/outcomes?after={after}"));
    let _ = get(0);
    let empty = median_ms(101, || assert!(get(1000) < 100));
    let full = median_ms(101, || assert!(get(0) > 10_000));
    let raw_query = |after: i64| {
        let mut stmt = db
            .prepare_cached("SELECT seq, submission_id, outcome FROM outcome_history WHERE kiosk_id = ?1 AND seq > ?2 ORDER BY seq LIMIT 501")
            .unwrap();
        let n = stmt
            .query_map(rusqlite::params![2, after], |r| r.get::<_, String>(2))
            .unwrap()
            .count();
        assert!(n <= 501);
    };
    let raw_empty = median_ms(101, || raw_query(1000));
    let raw_full = median_ms(101, || raw_query(0));
    let health = median_ms(101, || assert!(fetch("/v1/health".into()) > 0));
    let _ = hub.kill();
    let _ = hub.wait();
    let _ = write!(
        section,
        "\n`GET /v1/outcomes` for a kiosk with 10,000 records at the hub and 1,000 changes, median of 101 \
         over one kept-alive connection (`/v1/health` on it: {health:.2} ms): nothing new \
         {empty:.2} ms (raw engine, the same query: {raw_empty:.3} ms); a page of 500 changes {full:.2} ms \
         (raw engine: {raw_full:.3} ms).\n"
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write = args.iter().any(|a| a == "--write");
    let sizes: Vec<u64> = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || vec![100_000, 1_000_000],
            |s| s.split(',').map(|n| n.parse().unwrap()).collect(),
        );
    let mut section = format!(
        "{MARK_BEGIN}\n## Data out: `hub export` and `GET /v1/outcomes`\n\n\
         `cargo bench --bench hub_export -- --write` (SQLite store, release binary, output to a file \
         in the same temporary directory). Peak RSS is the child's maximum resident set.\n\n\
         | rows | format | seconds | rows/s | peak RSS | raw engine (rusqlite → CSV) |\n|---|---|---|---|---|---|\n"
    );
    for &rows in &sizes {
        let dir = tempfile::tempdir().unwrap();
        let filled = Instant::now();
        fill(dir.path(), rows);
        eprintln!(
            "{rows} rows stored in {:.1} s",
            filled.elapsed().as_secs_f64()
        );
        let raw_secs = raw(dir.path(), &dir.path().join("raw.csv"));
        for format in ["csv", "jsonl", "xlsx"] {
            let file = dir.path().join(format!("out.{format}"));
            let mut cmd = ruamjai(dir.path());
            cmd.args(["hub", "export", "--format", format, "-o"])
                .arg(&file);
            let (secs, rss) = measured(&cmd);
            let _ = std::fs::remove_file(&file);
            let _ = writeln!(
                section,
                "| {rows} | {format} | {secs:.1} | {:.0} | {rss:.1} MiB | {raw_secs:.1} s, {:.0} rows/s |",
                rows as f64 / secs,
                rows as f64 / raw_secs
            );
            eprintln!("{rows} {format}: {secs:.1} s, {rss:.1} MiB");
        }
    }
    outcomes(&mut section);
    let _ = write!(section, "\n{MARK_END}\n");
    println!("{section}");
    if write {
        section::write(MARK_BEGIN, MARK_END, &section);
    }
    let _ = std::io::stdout().flush();
}
