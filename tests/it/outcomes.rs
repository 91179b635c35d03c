//! The counter hears of it: a record cancelled at one kiosk after the hub accepted it reaches
//! the hub as a cancellation, the hub gives the place to the first person waiting, and the kiosk
//! that registered that person learns it on its next `flush` with nothing pending (`GET
//! /v1/outcomes`): its queue says the record moved from the waiting list, `status` counts it.
//! The kiosk's running sender hears of it too, with its heartbeat, with nothing to send; and
//! retention counts from a record's latest outcome.

use ruamjai::core::protocol::Outcome;
use ruamjai::kiosk::queue::{ListFilter, State};

use crate::hub::TestHub;
use crate::sync::{config, flush, kiosk, kiosk_token};

fn only_record(dir: &std::path::Path, id: &str) -> ruamjai::kiosk::queue::Record {
    let q = crate::support::open_queue(&dir.join("queue.sqlite3"), id).unwrap();
    let mut all = q.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0).0
}

/// A hub with room for one and two kiosks that have sent theirs: SK01's person 1 accepted
/// (RJ-0000001), SK02's `waiting` people (persons 2..) after it on the waiting list.
struct Day {
    hub: TestHub,
    hub_dir: tempfile::TempDir,
    a: tempfile::TempDir,
    b: tempfile::TempDir,
    ca: ruamjai::kiosk::config::Config,
    cb: ruamjai::kiosk::config::Config,
}

async fn day(waiting: u64) -> Day {
    let hub_dir = tempfile::tempdir().unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (ta, tb) = (
        kiosk_token(hub_dir.path(), "SK01"),
        kiosk_token(hub_dir.path(), "SK02"),
    );
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.campaign.total_quota = 1).await;
    let (ca, cb) = (
        config(a.path(), "SK01", &hub.url, &ta),
        config(b.path(), "SK02", &hub.url, &tb),
    );
    kiosk(a.path(), "SK01", 1, 1);
    kiosk(b.path(), "SK02", 2, waiting);
    assert_eq!(flush(&ca, 10).await.sent, 1);
    assert_eq!(flush(&cb, 10).await.sent, waiting as usize);
    Day {
        hub,
        hub_dir,
        a,
        b,
        ca,
        cb,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_at_one_kiosk_moves_the_waiting_person_at_another() {
    let Day {
        hub,
        hub_dir,
        a,
        b,
        ca,
        cb,
    } = day(1).await;
    assert_eq!(only_record(b.path(), "SK02").state, State::Waitlisted);

    // The clerk at SK01 cancels the accepted record; the next flush tells the hub.
    let first = only_record(a.path(), "SK01");
    assert_eq!(first.state, State::Accepted);
    crate::support::open_queue(&a.path().join("queue.sqlite3"), "SK01")
        .unwrap()
        .cancel(first.submission_id, "cancelled at the kiosk")
        .unwrap();
    let status = crate::failover::status_json(a.path()).await;
    assert_eq!(status["cancellations_unsent"], 1, "{status}");
    flush(&ca, 10).await;
    let status = crate::failover::status_json(a.path()).await;
    assert_eq!(status["cancellations_unsent"], 0, "{status}");
    let cancelled = only_record(a.path(), "SK01");
    assert!(!cancelled.cancel_pending);
    assert!(matches!(cancelled.outcome, Some(Outcome::Cancelled { .. })));

    // SK02 has nothing pending; its flush still hears that its person moved up.
    let report = flush(&cb, 10).await;
    assert_eq!((report.sent, report.changed), (0, 1), "{report:?}");
    let moved = only_record(b.path(), "SK02");
    assert_eq!(moved.state, State::Accepted);
    assert_eq!(moved.moved_from, Some(State::Waitlisted));
    assert_eq!(moved.server_reference.as_deref(), Some("RJ-0000002"));
    let shown = ruamjai::kiosk::tui::app::RecordRow::from_record(&moved)
        .describe(ruamjai::core::thai::Lang::En);
    assert_eq!(
        shown,
        "moved from the waiting list to accepted (hub reference RJ-0000002)"
    );
    // `ruamjai status` counts it, in JSON and in the one line's performance data.
    let status = crate::failover::status_json(b.path()).await;
    assert_eq!(
        (
            &status["moved_to_accepted"],
            &status["cancellations_unsent"]
        ),
        (&1.into(), &0.into()),
        "{status}"
    );
    let line = crate::support::ruamjai(b.path())
        .arg("status")
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&line.stdout);
    assert!(
        line.contains(" moved_to_accepted=1 cancellations_unsent=0 "),
        "{line}"
    );
    // `ruamjai export` carries the outcome as it is now, and so does the hub's export.
    let exported = crate::support::jsonl_export;
    let row = &exported(crate::support::ruamjai(b.path()).arg("export"))[0];
    assert_eq!(
        (row["state"].as_str(), row["server_reference"].as_str()),
        ("accepted", "RJ-0000002")
    );
    let at_hub = exported(crate::support::ruamjai(hub_dir.path()).args(["hub", "export"]));
    let outcomes_at_hub: Vec<(&str, &str)> = at_hub
        .iter()
        .map(|r| (r["hub_reference"].as_str(), r["state"].as_str()))
        .collect();
    assert_eq!(
        outcomes_at_hub,
        [("RJ-0000001", "cancelled"), ("RJ-0000002", "accepted")]
    );
    // Heard once: the cursor moved on.
    assert_eq!(flush(&cb, 10).await.changed, 0);
    // A replay of the cancellation changed nothing at the hub.
    let history = hub.rows("SELECT count(*) FROM outcome_history", &[]);
    assert_eq!(history[0].int(0).unwrap(), 2);
    hub.stop().await;
}

/// An admin cancels RJ-0000001 at the hub: RJ-0000002 (SK02's first) moves up.
fn cancel_the_first(hub: &TestHub) {
    let mut campaign = crate::hub::campaign();
    campaign.total_quota = 1;
    let report =
        ruamjai::hub::intake::admin::cancel(hub.database(), &campaign, "RJ-0000001", "moved", "a")
            .unwrap();
    assert_eq!(report.promoted, ["RJ-0000002"]);
}

/// SK02's records, oldest first.
fn records(dir: &std::path::Path) -> Vec<ruamjai::kiosk::queue::Record> {
    let q = crate::support::open_queue(&dir.join("queue.sqlite3"), "SK02").unwrap();
    let all = q.list(&ListFilter::default()).unwrap();
    all.into_iter().map(|(r, _)| r).collect()
}

/// The kiosk's background sender (the one the TUI runs), with nothing to send, hears of the
/// move with its heartbeat: no `flush` is run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_running_sender_hears_of_a_move_with_its_heartbeat() {
    let d = day(1).await;
    let (hub, b, cb) = (&d.hub, &d.b, &d.cb);
    let beat = || {
        let at = hub.rows(
            "SELECT h.received_at FROM heartbeats h JOIN kiosks k ON k.id = h.kiosk_id
             WHERE k.name = 'SK02'",
            &[],
        );
        at.first().map(|r| r.int(0).unwrap())
    };
    let beat_before = beat();
    cancel_the_first(hub);
    assert_eq!(only_record(b.path(), "SK02").state, State::Waitlisted);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let sender = ruamjai::kiosk::sync::spawn(cb);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let moved = loop {
        let r = only_record(b.path(), "SK02");
        if r.state == State::Accepted {
            break r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the running sender never heard of the move"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(moved.moved_from, Some(State::Waitlisted));
    assert_eq!(moved.server_reference.as_deref(), Some("RJ-0000002"));
    assert!(
        beat() > beat_before,
        "the idle kiosk's heartbeat reached the hub"
    );
    drop(sender);
    d.hub.stop().await;
}

/// Retention counts from a record's latest outcome: of two records acknowledged a month ago,
/// the one the hub moved up today keeps its personal data through `ruamjai flush`'s retention
/// (7 days), the one still waiting since then is purged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_counts_from_the_latest_outcome() {
    let d = day(2).await;
    let (hub, b, cb) = (&d.hub, &d.b, &d.cb);
    // A month passes (the acknowledgements are put back 30 days).
    let month_ago = ruamjai::kiosk::queue::now_ms() - 30 * 86_400_000;
    let conn = rusqlite::Connection::open(b.path().join("queue.sqlite3")).unwrap();
    let aged = conn
        .execute("UPDATE registrations SET acked_at = ?1", [month_ago])
        .unwrap();
    assert_eq!(aged, 2);
    drop(conn);
    cancel_the_first(hub);
    std::fs::write(
        b.path().join("config.toml"),
        "kiosk_id = \"SK02\"\nretention_days = 7\n",
    )
    .unwrap();
    let token = cb.hub_token.clone().unwrap();
    let out = tokio::task::spawn_blocking({
        let (dir, url) = (b.path().to_path_buf(), hub.url.clone());
        move || {
            crate::support::ruamjai(&dir)
                .arg("flush")
                .env("RUAMJAI_HUB_URL", url)
                .env("RUAMJAI_HUB_TOKEN", token)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    let [moved, waiting] = <[_; 2]>::try_from(records(b.path())).unwrap();
    assert_eq!(
        (moved.state, moved.moved_from),
        (State::Accepted, Some(State::Waitlisted))
    );
    assert!(
        moved.purged_at.is_none() && moved.registration.is_some(),
        "changed today: kept"
    );
    assert_eq!(waiting.state, State::Waitlisted);
    assert!(
        waiting.purged_at.is_some() && waiting.registration.is_none(),
        "unchanged for a month: purged"
    );
    d.hub.stop().await;
}
