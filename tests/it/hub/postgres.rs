//! What only the PostgreSQL store does: several hub processes on one database, migrations raced
//! by processes starting at once, and a district's SQLite store moved into it
//! (`hub migrate-store`), run twice.

use std::time::Duration;

use ruamjai::hub::{self, Database};
use ruamjai::protocol::{HubStats, Outcome};

use super::{TestHub, batch, client, post, submission, submit};

/// `ruamjai hub migrate-store --from … --to … --json`, its counts.
fn migrate_store(from: &str, to: &str) -> serde_json::Value {
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
    bad.registration.phone = "12".into();
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
    let from = format!("sqlite:{}", district.path().display());
    let before = hub::stats(district.database()).unwrap();

    let url = cluster.database("moved");
    let moved = migrate_store(&from, &url);
    assert_eq!(moved["kiosks"], serde_json::json!([2, 0]), "{moved}");
    assert_eq!(moved["submissions"], serde_json::json!([6, 0]), "{moved}");
    assert_eq!(moved["persons"], serde_json::json!([4, 0]), "{moved}");
    assert_eq!(moved["heartbeats"], serde_json::json!([1, 0]), "{moved}");
    let rerun = migrate_store(&from, &url);
    assert_eq!(rerun["submissions"], serde_json::json!([0, 6]), "{rerun}");
    assert_eq!(rerun["kiosks"], serde_json::json!([0, 2]), "{rerun}");
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
    assert_eq!(
        submit(&hub, &a, &first).await,
        outcomes,
        "replays, as stored"
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
    assert_eq!(applied, "1", "each migration once");
    for (child, _) in &mut children {
        super::binary::signal(child, "-TERM");
        assert_eq!(
            super::binary::wait_exit(child, Duration::from_secs(10)),
            Some(0)
        );
    }
    cluster.drop_database(&url);
}
