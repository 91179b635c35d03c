//! What only the PostgreSQL store does: several hub processes on one database, migrations raced
//! by processes starting at once, and a district's SQLite store moved into it
//! (`hub migrate-store`), run twice.

use std::time::Duration;

use ruamjai::core::protocol::{HubStats, Outcome};
use ruamjai::hub::{self, Database};
use ruamjai::kiosk::config::Config;

use super::{TestHub, batch, client, post, submission, submit};

/// `ruamjai hub migrate-store --from … --to … --json`, its counts.
pub fn migrate_store(from: &str, to: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::support::ruamjai(dir.path())
        .args(["hub", "migrate-store", "--from", from, "--to", to, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn same_counts(a: &HubStats, b: &HubStats) {
    let totals = |s: &HubStats| {
        (
            s.accepted,
            s.duplicates,
            s.waitlisted,
            s.rejected,
            s.superseded,
        )
    };
    assert_eq!(totals(a), totals(b));
    let groups = |s: &HubStats| {
        s.groups
            .iter()
            .map(|g| (g.group, g.accepted, g.waitlisted))
            .collect::<Vec<_>>()
    };
    assert_eq!(groups(a), groups(b));
    let kiosks = |s: &HubStats| {
        s.kiosks
            .iter()
            .map(|k| {
                (
                    k.name.clone(),
                    k.counts.accepted,
                    k.last_heartbeat.is_some(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(kiosks(a), kiosks(b));
}

/// A district's store moves into PostgreSQL: every kind of row, the counts equal, a second run
/// copies nothing, and the province's hub on it goes on where the district stopped (replays get
/// their stored outcomes, the duplicate check knows the district's people, the next reference
/// follows on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_districts_store_moves_into_postgres_once_and_the_hub_goes_on_there() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let district = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    let a = district.kiosk("SK01");
    let b = district.kiosk("SK02");
    let first = batch(
        (1..=4)
            .map(|n| submission(n, &format!("SK01-000{n}")))
            .collect(),
    );
    let outcomes = submit(&district, &a, &first).await;
    assert!(matches!(outcomes[3].outcome, Outcome::Waitlisted { .. }));
    let again = submit(&district, &b, &batch(vec![submission(1, "SK02-0001")])).await;
    assert!(matches!(again[0].outcome, Outcome::Duplicate { .. }));
    let mut bad = submission(9, "SK02-0002");
    bad.registration.as_mut().unwrap().phone = "12".into();
    submit(&district, &b, &batch(vec![bad])).await;
    let beat = serde_json::json!({"kiosk_id": "SK01", "pending": 2, "version": "0.1.0"});
    let r = post(
        &client(),
        &format!("{}/v1/heartbeat", district.url),
        &a,
        &beat,
    )
    .await;
    assert_eq!(r.status(), 200);
    // Person 1 cancelled at the district: person 4 moves up from the waiting list.
    let mut campaign = super::campaign();
    campaign.total_quota = 3;
    let cancelled = hub::intake::admin::cancel(
        district.database(),
        &campaign,
        "SK01-0001",
        "moved away",
        "test",
    );
    assert_eq!(cancelled.unwrap().promoted.len(), 1);
    let from = format!("sqlite:{}", district.path().display());
    let before = hub::stats(district.database()).unwrap();

    let url = cluster.database("moved");
    let moved = migrate_store(&from, &url);
    assert_eq!(moved["kiosks"], serde_json::json!([2, 0]), "{moved}");
    assert_eq!(moved["submissions"], serde_json::json!([6, 0]), "{moved}");
    assert_eq!(
        moved["persons"],
        serde_json::json!([3, 0]),
        "the cancelled one freed {moved}"
    );
    assert_eq!(moved["heartbeats"], serde_json::json!([1, 0]), "{moved}");
    assert_eq!(moved["history"], serde_json::json!([2, 0]), "{moved}");
    let rerun = migrate_store(&from, &url);
    assert_eq!(rerun["submissions"], serde_json::json!([0, 6]), "{rerun}");
    assert_eq!(rerun["kiosks"], serde_json::json!([0, 2]), "{rerun}");
    assert_eq!(rerun["history"], serde_json::json!([0, 2]), "{rerun}");
    let province = Database::Postgres { url: url.clone() };
    same_counts(&before, &hub::stats(&province).unwrap());

    // The district's tokens work on the province's hub, which answers as the district did.
    district.stop().await;
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::start_at(dir.path(), None, |o| {
        o.database = province.clone();
        o.campaign.total_quota = 3;
    })
    .await;
    let replayed = submit(&hub, &a, &first).await;
    assert_eq!(replayed[1..3], outcomes[1..3], "replays, as stored");
    assert!(
        matches!(replayed[0].outcome, Outcome::Cancelled { .. })
            && matches!(replayed[3].outcome, Outcome::Accepted { .. }),
        "and as they stand now: {replayed:?}"
    );
    let next = submit(
        &hub,
        &b,
        &batch(vec![submission(2, "SK02-0003"), submission(7, "SK02-0004")]),
    )
    .await;
    assert!(
        matches!(next[0].outcome, Outcome::Duplicate { .. }),
        "{next:?}"
    );
    match &next[1].outcome {
        Outcome::Waitlisted {
            hub_reference,
            position,
        } => {
            assert_eq!(hub_reference, "RJ-0000005", "follows the district's four");
            assert_eq!(*position, 2);
        }
        other => panic!("{other:?}"),
    }
    hub.stop().await;
    cluster.drop_database(&url);
}

/// Hub processes started at the same instant on an empty database: one migrates, the others
/// wait for it, none fails.
#[test]
fn hub_processes_starting_at_once_on_an_empty_database_all_come_up() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("race");
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut children: Vec<_> = std::thread::scope(|s| {
        let started: Vec<_> = dirs
            .iter()
            .map(|d| {
                let url = url.clone();
                s.spawn(move || {
                    super::binary::listening(
                        std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
                            .envs(crate::support::SEALING_ENV)
                            .arg("--data-dir")
                            .arg(d.path())
                            .args([
                                "hub",
                                "serve",
                                "--listen",
                                "127.0.0.1:0",
                                "--database",
                                &url,
                            ])
                            .stderr(std::process::Stdio::null()),
                    )
                })
            })
            .collect();
        started.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let applied = cluster.psql(
        url.rsplit('/').next().unwrap(),
        "SELECT count(*) FROM ruamjai_migrations",
    );
    let files = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/hub-postgres"),
    )
    .unwrap()
    .count();
    assert_eq!(applied, files.to_string(), "each migration once");
    for (child, _) in &mut children {
        super::binary::signal(child, "-TERM");
        assert_eq!(
            super::binary::wait_exit(child, Duration::from_secs(10)),
            Some(0)
        );
    }
    cluster.drop_database(&url);
}

/// The built-in campaign with room for `quota` people, as a file the hub binary loads
/// (`campaigns/<id>.toml` in its data directory).
pub(crate) fn campaign_with_quota(dir: &std::path::Path, quota: u64) {
    let id = ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("assets/campaigns/{id}.toml")),
    )
    .unwrap();
    let line = builtin
        .lines()
        .find(|l| l.starts_with("total_quota"))
        .unwrap();
    let ours = builtin.replace(line, &format!("total_quota = {quota}"));
    std::fs::create_dir_all(dir.join("campaigns")).unwrap();
    std::fs::write(dir.join(format!("campaigns/{id}.toml")), ours).unwrap();
}

/// `n` hub processes of the real binary on `url`, each with its own data directory (kept in
/// `dirs`) holding the campaign with `quota` places.
pub(super) fn hub_processes(
    url: &str,
    dirs: &[tempfile::TempDir],
    quota: u64,
) -> Vec<(std::process::Child, String)> {
    dirs.iter()
        .map(|d| {
            campaign_with_quota(d.path(), quota);
            super::binary::listening(
                std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
                    .envs(crate::support::SEALING_ENV)
                    .arg("--data-dir")
                    .arg(d.path())
                    .args(["hub", "serve", "--listen", "127.0.0.1:0", "--database", url])
                    .args(["--kiosk-rate", "0", "--commit-delay-ms", "20"])
                    .stderr(std::process::Stdio::null()),
            )
        })
        .collect()
}

/// Kiosk `i` of the herd: its id, and its config listing every hub, starting at its own.
fn herd_kiosk(store: &Database, dir: &std::path::Path, i: usize, urls: &[String]) -> Config {
    let id = format!("H{i:02}");
    let token = hub::add_kiosk(store, &id, "รพ.สต. ฝูง", false).unwrap();
    crate::sync::kiosk(dir, &id, 10_000 + i as u64 * STRIDE, EACH);
    let mut c = crate::sync::loaded(dir);
    c.kiosk_id = id;
    c.hub_token = Some(token);
    let start = i % urls.len();
    let rotated: Vec<&String> = urls[start..].iter().chain(&urls[..start]).collect();
    c.hub_url = ruamjai::kiosk::config::HubUrls::new(rotated);
    c.sync.batch_max_records = 3;
    c
}

const KIOSKS: u64 = 30;
const EACH: u64 = 10;
const STRIDE: u64 = 7;
const QUOTA: u64 = 150;

/// Every kiosk flushes at once; once `kill_after` submissions are stored, `victim` is killed
/// with SIGKILL. Every kiosk ends with nothing unsent.
fn run_herd(
    configs: &[Config],
    stored: &dyn Fn() -> u64,
    kill_after: u64,
    victim: &mut std::process::Child,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let herd: Vec<_> = configs
            .iter()
            .cloned()
            .map(|c| {
                tokio::spawn(async move {
                    let mut engine = ruamjai::kiosk::sync::engine_for(&c, "test").unwrap();
                    ruamjai::kiosk::sync::flush(&mut engine, Duration::from_secs(60), &|_| {})
                        .await
                        .unwrap()
                })
            })
            .collect();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while stored() < kill_after {
            assert!(
                std::time::Instant::now() < deadline,
                "the herd never got going"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        super::binary::signal(victim, "-KILL");
        let _ = victim.wait();
        for report in herd {
            let report = report.await.unwrap();
            assert_eq!(report.unsent, 0, "{report:?}");
        }
    });
}

/// Three hub processes on one database, thirty kiosks spread over them (each lists all three,
/// starting at its own), neighbours registering the same people, and one process killed with
/// SIGKILL mid-herd: every registration is at the hub exactly once, every duplicate counted
/// once, the quota never exceeded, and the hub's totals are the sum of the kiosks' receipts.
#[test]
fn a_herd_over_three_hub_processes_survives_one_killed() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("herd");
    let db = url.rsplit('/').next().unwrap().to_owned();
    let store = Database::Postgres { url: url.clone() };
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut hubs = hub_processes(&url, &dirs, QUOTA);
    let urls: Vec<String> = hubs.iter().map(|(_, u)| u.clone()).collect();
    let kiosk_dirs: Vec<_> = (0..KIOSKS)
        .map(|_| crate::support::private_tempdir())
        .collect();
    let configs: Vec<_> = kiosk_dirs
        .iter()
        .enumerate()
        .map(|(i, dir)| herd_kiosk(&store, dir.path(), i, &urls))
        .collect();
    let stored = || {
        cluster
            .psql(&db, "SELECT count(*) FROM submissions")
            .parse::<u64>()
            .unwrap()
    };
    // Mid-herd: once a third has arrived, the first process dies without a word.
    run_herd(&configs, &stored, KIOSKS * EACH / 3, &mut hubs[0].0);

    // The kiosks that began on the killed process went on elsewhere.
    for (i, dir) in kiosk_dirs.iter().enumerate().step_by(urls.len()) {
        let queue =
            crate::support::open_queue(&dir.path().join("queue.sqlite3"), &format!("H{i:02}"));
        let in_use = queue.unwrap().stats().unwrap().hub_in_use;
        assert!(in_use.is_some_and(|u| u != urls[0]), "kiosk {i} moved on");
    }
    // Exactly once at the hub, and what the kiosks hold is what the hub decided.
    let rows = cluster.psql(
        &db,
        "SELECT count(*), count(DISTINCT submission_id), count(DISTINCT hub_seq) FROM submissions",
    );
    let people = KIOSKS * STRIDE + (EACH - STRIDE);
    let s = hub::stats(&store).unwrap();
    assert_eq!(
        rows,
        format!("{0}|{0}|{people}", KIOSKS * EACH),
        "once each"
    );
    assert_eq!(s.accepted, QUOTA, "the quota, not one more");
    assert_eq!(s.waitlisted, people - QUOTA);
    assert_eq!(s.duplicates, KIOSKS * EACH - people, "each duplicate once");
    let positions = cluster.psql(
        &db,
        "SELECT count(DISTINCT waitlist_position), min(waitlist_position), max(waitlist_position)
         FROM submissions WHERE status = 'waitlisted'",
    );
    assert_eq!(
        positions,
        format!("{0}|1|{0}", people - QUOTA),
        "one place each, in order (all in group 3: one list)"
    );
    let mut receipts = std::collections::BTreeMap::<String, u64>::new();
    for (i, dir) in kiosk_dirs.iter().enumerate() {
        for (state, n) in crate::sync::counts(dir.path(), &format!("H{i:02}")) {
            *receipts.entry(state).or_default() += n;
        }
    }
    let kiosks_say = |state: &str| receipts.get(state).copied().unwrap_or(0);
    assert_eq!(
        (
            kiosks_say("accepted"),
            kiosks_say("waitlisted"),
            kiosks_say("duplicate")
        ),
        (s.accepted, s.waitlisted, s.duplicates),
        "{receipts:?}"
    );
    let agreed = super::agree::exports_agree(&["--database", &url], &kiosk_dirs);
    assert_eq!(agreed, KIOSKS * EACH);
    for (child, _) in hubs.iter_mut().skip(1) {
        super::binary::signal(child, "-TERM");
        assert_eq!(
            super::binary::wait_exit(child, Duration::from_secs(10)),
            Some(0)
        );
    }
    cluster.drop_database(&url);
}

/// The management commands name the database by `--database`, `RUAMJAI_HUB_DATABASE` or
/// `database` in `hub.toml`, in that order, and a password never shows in what they print.
#[test]
fn the_commands_find_the_database_by_flag_environment_or_hub_toml() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("commands");
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = crate::support::ruamjai(dir.path());
        cmd.arg("hub").args(args);
        if let Some(v) = env {
            cmd.env("RUAMJAI_HUB_DATABASE", v);
        }
        cmd.output().unwrap()
    };
    let added = run(&["add-kiosk", "SK01", "--database", &url], None);
    assert!(added.status.success(), "{added:?}");
    let env = run(&["add-kiosk", "SK02"], Some(&url));
    assert!(env.status.success(), "{env:?}");
    std::fs::write(
        dir.path().join("hub.toml"),
        format!("database = \"{url}\"\n"),
    )
    .unwrap();
    let revoked = run(&["revoke-kiosk", "SK01"], None);
    assert!(revoked.status.success(), "{revoked:?}");
    let stats = run(&["stats", "--json"], None);
    let stats: HubStats = serde_json::from_slice(&stats.stdout).unwrap();
    let kiosks: Vec<_> = stats
        .kiosks
        .iter()
        .map(|k| (k.name.as_str(), k.revoked))
        .collect();
    assert_eq!(kiosks, [("SK01", true), ("SK02", false)]);
    assert!(
        !dir.path().join("hub.sqlite3").exists(),
        "nothing went to SQLite"
    );
    // The flag wins over the file; a wrong password is named without the password.
    let wrong = url
        .replace("ruamjai@", "ruamjai:hunter2@")
        .replace("127.0.0.1", "127.0.0.1:1#");
    let wrong = wrong.split('#').next().unwrap().to_owned() + "/x";
    let refused = run(&["stats", "--database", &wrong], None);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        said.contains("cannot reach the database") && !said.contains("hunter2"),
        "{said}"
    );
    cluster.drop_database(&url);
}

/// A hub whose database goes away answers 503 to the load balancer and to kiosks (nothing
/// crashes), and comes back by itself when the database is there again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_that_loses_its_database_says_so_and_comes_back() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("lost");
    let dir = tempfile::tempdir().unwrap();
    let hub = TestHub::start_at(dir.path(), None, |o| {
        o.database = Database::Postgres { url: url.clone() };
    })
    .await;
    let token = hub.kiosk("SK01");
    let admin = hub.admin();
    let c = client();
    let scrape = |c: reqwest::Client, at: String, admin: String| async move {
        let r = c
            .get(format!("{at}/metrics"))
            .bearer_auth(admin)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    let (code, text) = scrape(c.clone(), hub.url.clone(), admin.clone()).await;
    assert_eq!(code, 200);
    assert!(text.contains("ruamjai_hub_store_up 1"), "{text}");
    let health = |c: reqwest::Client, at: String| async move {
        c.get(format!("{at}/v1/health"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(health(c.clone(), hub.url.clone()).await, 200);
    cluster.drop_database(&url);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        health(c.clone(), hub.url.clone()).await,
        503,
        "out of rotation"
    );
    let b = batch(vec![submission(1, "SK01-0001")]);
    let r = post(&c, &format!("{}/v1/submissions", hub.url), &token, &b).await;
    assert_eq!(r.status(), 503, "kiosks keep theirs and retry");
    assert!(r.headers().contains_key("retry-after"));
    // The metrics still answer, saying the store is down, so the alert on it can fire.
    let (code, text) = scrape(c.clone(), hub.url.clone(), admin.clone()).await;
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("ruamjai_hub_store_up 0"), "{text}");
    assert!(
        !text.contains("ruamjai_hub_doses_left"),
        "nothing stale from the store: {text}"
    );
    // The database is back (empty: the DBA restored nothing), and the hub with it.
    let name = url.rsplit('/').next().unwrap().to_owned();
    cluster.psql("postgres", &format!("CREATE DATABASE {name}"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while health(c.clone(), hub.url.clone()).await != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the hub did not come back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let token = hub.kiosk("SK01");
    let answered = submit(&hub, &token, &b).await;
    assert!(
        matches!(answered[0].outcome, Outcome::Accepted { .. }),
        "{answered:?}"
    );
    hub.stop().await;
    cluster.drop_database(&url);
}
