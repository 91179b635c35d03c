//! The counter hears of it: a record cancelled at one kiosk after the hub accepted it reaches
//! the hub as a cancellation, the hub gives the place to the first person waiting, and the kiosk
//! that registered that person learns it on its next `flush` with nothing pending (`GET
//! /v1/outcomes`): its queue says the record moved from the waiting list, `status` counts it.

use ruamjai::protocol::Outcome;
use ruamjai::queue::{ListFilter, State};

use crate::hub::TestHub;
use crate::sync::{config, flush, kiosk, kiosk_token};

fn only_record(dir: &std::path::Path, id: &str) -> ruamjai::queue::Record {
    let q = crate::support::open_queue(&dir.join("queue.sqlite3"), id).unwrap();
    let mut all = q.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0).0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_at_one_kiosk_moves_the_waiting_person_at_another() {
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
    kiosk(b.path(), "SK02", 2, 1);
    assert_eq!(flush(&ca, 10).await.sent, 1);
    assert_eq!(flush(&cb, 10).await.sent, 1);
    assert_eq!(only_record(b.path(), "SK02").state, State::Waitlisted);

    // The clerk at SK01 cancels the accepted record; the next flush tells the hub.
    let first = only_record(a.path(), "SK01");
    assert_eq!(first.state, State::Accepted);
    crate::support::open_queue(&a.path().join("queue.sqlite3"), "SK01")
        .unwrap()
        .cancel(first.submission_id, "cancelled at the kiosk")
        .unwrap();
    let pending = crate::support::open_queue(&a.path().join("queue.sqlite3"), "SK01").unwrap();
    assert_eq!(pending.stats().unwrap().cancellations_unsent, 1);
    flush(&ca, 10).await;
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
    let shown = ruamjai::tui::app::RecordRow::from_record(&moved).describe(ruamjai::thai::Lang::En);
    assert_eq!(
        shown,
        "moved from the waiting list to accepted (hub reference RJ-0000002)"
    );
    let stats = crate::support::open_queue(&b.path().join("queue.sqlite3"), "SK02")
        .unwrap()
        .stats()
        .unwrap();
    assert_eq!(stats.moved_to_accepted, 1);
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
