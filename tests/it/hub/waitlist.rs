//! The waiting list moves: a cancellation (an admin's `hub cancel`, a kiosk's
//! `POST /v1/cancellations`) or a raised quota (`hub set-quota`) accepts the first person waiting
//! with room, exactly once; replays change nothing; every change is in the history; and two
//! cancellations at two hub processes at once promote two different people.

use ruamjai::core::protocol::{
    BatchResponse, Cancellation, CancellationBatch, ItemOutcome, Outcome,
};
use ruamjai::hub::intake::admin::{self, CancelReport};
use uuid::Uuid;

use super::{TestHub, batch, client, post, submission, submit};

/// Quota 3; five people of SK01: RJ-1..3 accepted, RJ-4 and RJ-5 waiting at 1 and 2.
async fn full_hub() -> (TestHub, String, Vec<ItemOutcome>) {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    let token = hub.kiosk("SK01");
    let items = (10..15)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    let out = submit(&hub, &token, &batch(items)).await;
    assert!(matches!(
        out[3].outcome,
        Outcome::Waitlisted { position: 1, .. }
    ));
    (hub, token, out)
}

fn admin_cancel(hub: &TestHub, reference: &str) -> CancelReport {
    let mut campaign = super::campaign();
    campaign.total_quota = 3;
    admin::cancel(
        hub.database(),
        &campaign,
        reference,
        "moved away",
        "somchai",
    )
    .unwrap()
}

/// (status, accepted, waitlisted) of the store: each submission's status, and the group counts.
fn statuses(hub: &TestHub) -> (Vec<String>, i64, i64) {
    let rows = hub.rows("SELECT status FROM submissions ORDER BY hub_seq", &[]);
    let counts = hub.rows(
        "SELECT accepted, waitlisted FROM group_counts WHERE target_group = 3",
        &[],
    );
    (
        rows.iter().map(|r| r.text(0).unwrap()).collect(),
        counts[0].int(0).unwrap(),
        counts[0].int(1).unwrap(),
    )
}

fn history(hub: &TestHub) -> Vec<(String, String, String)> {
    hub.rows(
        "SELECT status, actor, reason FROM outcome_history ORDER BY seq",
        &[],
    )
    .iter()
    .map(|r| (r.text(0).unwrap(), r.text(1).unwrap(), r.text(2).unwrap()))
    .collect()
}

/// `POST /v1/cancellations` of `ids` by the kiosk of `token` (a reason with a control
/// character in it); the answers.
pub(super) async fn cancel_at_kiosk(hub: &TestHub, token: &str, ids: &[Uuid]) -> Vec<ItemOutcome> {
    let body = CancellationBatch {
        items: ids
            .iter()
            .map(|&submission_id| Cancellation {
                submission_id,
                reason: "cancelled at the kiosk\u{7}".into(),
            })
            .collect(),
    };
    let r = post(
        &client(),
        &format!("{}/v1/cancellations", hub.url),
        token,
        &body,
    )
    .await;
    assert_eq!(r.status(), 200);
    r.json::<BatchResponse>().await.unwrap().outcomes
}

async fn an_admin_cancel_promotes_the_first_waiting_once() {
    let (hub, token, out) = full_hub().await;
    let report = admin_cancel(&hub, "RJ-0000002");
    assert_eq!(report.promoted, ["RJ-0000004"]);
    assert!(!report.already);
    let want: Vec<String> = [
        "accepted",
        "cancelled",
        "accepted",
        "accepted",
        "waitlisted",
    ]
    .map(String::from)
    .into();
    assert_eq!(statuses(&hub), (want.clone(), 3, 1));
    // The same cancel again, by the receipt's reference this time: nothing changes.
    let again = admin_cancel(&hub, "SK01-0011");
    assert!(again.already && again.promoted.is_empty(), "{again:?}");
    assert_eq!(statuses(&hub), (want, 3, 1));
    let h = history(&hub);
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!(h[0].0, "cancelled");
    assert_eq!(
        (h[0].1.as_str(), h[0].2.as_str()),
        ("admin:somchai", "moved away")
    );
    assert_eq!((h[1].0.as_str(), h[1].1.as_str()), ("accepted", "hub"));
    assert!(h[1].2.contains("RJ-0000002"), "{h:?}");
    // The promoted person's replay is told the truth: accepted now.
    let url = format!("{}/v1/submissions/{}", hub.url, out[3].submission_id);
    let r: ItemOutcome = super::get_json(&url, &token).await;
    assert_eq!(
        r.outcome,
        Outcome::Accepted {
            hub_reference: "RJ-0000004".into()
        }
    );
    // The history is append-only.
    let tampered = std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = hub.database().connect(false).unwrap();
            db.execute("DELETE FROM outcome_history", &[])
        })
        .join()
        .unwrap()
    });
    assert!(tampered.is_err());
    hub.stop().await;
}

async fn an_unknown_or_placeless_reference_is_a_clear_error() {
    let (hub, _token, _) = full_hub().await;
    let campaign = super::campaign();
    let err = admin::cancel(hub.database(), &campaign, "SK99-0001", "x", "a").unwrap_err();
    assert!(
        err.to_string()
            .contains("no registration with the reference"),
        "{err}"
    );
    let err = admin::cancel(hub.database(), &campaign, "RJ-0000001", "  ", "a").unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    assert_eq!(history(&hub).len(), 0);
    hub.stop().await;
}

async fn a_kiosk_cancellation_promotes_once_and_its_replay_changes_nothing() {
    let (hub, token, out) = full_hub().await;
    let first = cancel_at_kiosk(&hub, &token, &[out[0].submission_id]).await;
    let cancelled = Outcome::Cancelled {
        hub_reference: "RJ-0000001".into(),
        reason: "cancelled at the kiosk".into(),
    };
    assert_eq!(first[0].outcome, cancelled);
    let again = cancel_at_kiosk(&hub, &token, &[out[0].submission_id]).await;
    assert_eq!(again[0].outcome, cancelled);
    let want: Vec<String> = [
        "cancelled",
        "accepted",
        "accepted",
        "accepted",
        "waitlisted",
    ]
    .map(String::from)
    .into();
    assert_eq!(statuses(&hub), (want, 3, 1));
    assert_eq!(history(&hub).len(), 2);
    assert_eq!(history(&hub)[0].1, "kiosk:SK01");
    // Another kiosk cannot cancel SK01's record; an unknown id is a conflict too.
    let other = hub.kiosk("SK02");
    let foreign = cancel_at_kiosk(&hub, &other, &[out[1].submission_id, Uuid::now_v7()]).await;
    assert!(
        foreign
            .iter()
            .all(|o| matches!(o.outcome, Outcome::Conflict { .. }))
    );
    assert_eq!(history(&hub).len(), 2);
    hub.stop().await;
}

async fn two_cancellations_at_once_promote_two_different_people() {
    let (hub, token, out) = full_hub().await;
    let (first, second) = ([out[0].submission_id], [out[1].submission_id]);
    let (a, b) = tokio::join!(
        cancel_at_kiosk(&hub, &token, &first),
        cancel_at_kiosk(&hub, &token, &second),
    );
    assert!(matches!(a[0].outcome, Outcome::Cancelled { .. }));
    assert!(matches!(b[0].outcome, Outcome::Cancelled { .. }));
    let want: Vec<String> = ["cancelled", "cancelled", "accepted", "accepted", "accepted"]
        .map(String::from)
        .into();
    assert_eq!(statuses(&hub), (want, 3, 0));
    hub.stop().await;
}

async fn raising_a_quota_accepts_the_waiting_in_order() {
    let (hub, _token, _) = full_hub().await;
    let mut campaign = super::campaign();
    campaign.total_quota = 3;
    let promoted = admin::set_quota(hub.database(), &campaign, None, 4, "a").unwrap();
    assert_eq!(promoted, ["RJ-0000004"]);
    // A group's own quota binds below the total.
    let promoted = admin::set_quota(hub.database(), &campaign, Some(3), 4, "a").unwrap();
    assert!(promoted.is_empty());
    let promoted = admin::set_quota(hub.database(), &campaign, None, 10, "a").unwrap();
    assert!(promoted.is_empty(), "group 3 is full at 4: {promoted:?}");
    let promoted = admin::set_quota(hub.database(), &campaign, Some(3), 9, "a").unwrap();
    assert_eq!(promoted, ["RJ-0000005"]);
    let h = history(&hub);
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].2, "group 3's quota set to 9");
    hub.stop().await;
}

on_both_backends!(
    an_admin_cancel_promotes_the_first_waiting_once,
    an_unknown_or_placeless_reference_is_a_clear_error,
    a_kiosk_cancellation_promotes_once_and_its_replay_changes_nothing,
    two_cancellations_at_once_promote_two_different_people,
    raising_a_quota_accepts_the_waiting_in_order,
);

/// `ruamjai hub cancel` from outside: an unknown reference exits 2 (as every failed command) with the words; a known one
/// says who moved up; again, it says nothing changed.
#[test]
fn the_cancel_command_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    super::postgres::campaign_with_quota(dir.path(), 1);
    let (mut child, url) = super::binary::serve(dir.path(), &[]);
    let token = super::binary::add_kiosk(dir.path(), "SK01", &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let b = batch(vec![submission(1, "SK01-0001"), submission(2, "SK01-0002")]);
        let r = post(&client(), &format!("{url}/v1/submissions"), &token, &b).await;
        assert_eq!(r.status(), 200);
    });
    let run = |reference: &str| {
        crate::support::ruamjai(dir.path())
            .args([
                "hub",
                "cancel",
                reference,
                "--reason",
                "ย้ายบ้าน",
                "--by",
                "it",
            ])
            .output()
            .unwrap()
    };
    let unknown = run("SK01-9999");
    assert_eq!(unknown.status.code(), Some(2), "{unknown:?}");
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("no registration with the reference \"SK01-9999\""),
        "{said}"
    );
    let done = run("SK01-0001");
    assert!(done.status.success(), "{done:?}");
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(said.contains("cancelled RJ-0000001"), "{said}");
    assert!(
        said.contains("moved from the waiting list to accepted: RJ-0000002"),
        "{said}"
    );
    let again = run("RJ-0000001");
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"));
    super::binary::signal(&child, "-TERM");
    super::binary::wait_exit(&mut child, std::time::Duration::from_secs(10));
}

/// Two hub processes on one PostgreSQL database, two kiosk cancellations at the same instant,
/// one at each: two different people move up, the counts stay exact.
#[test]
fn two_cancellations_at_two_hub_processes_promote_two_different_people() {
    let Some(cluster) = crate::pg::cluster() else {
        return;
    };
    let url = cluster.database("cancel");
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut hubs = super::postgres::hub_processes(&url, &dirs, 2);
    let store = ruamjai::hub::Database::Postgres { url: url.clone() };
    let token = ruamjai::hub::add_kiosk(&store, "SK01", "", false).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let outcomes = runtime.block_on(async {
        let items: Vec<_> = (1..=4)
            .map(|n| submission(n, &format!("SK01-{n:04}")))
            .collect();
        let ids: Vec<Uuid> = items.iter().map(|s| s.submission_id).collect();
        let r = post(
            &client(),
            &format!("{}/v1/submissions", hubs[0].1),
            &token,
            &batch(items),
        )
        .await;
        assert_eq!(r.status(), 200);
        let cancel = |hub: String, id: Uuid| {
            let token = token.clone();
            async move {
                let body = CancellationBatch {
                    items: vec![Cancellation {
                        submission_id: id,
                        reason: "gone".into(),
                    }],
                };
                let r = post(&client(), &format!("{hub}/v1/cancellations"), &token, &body).await;
                r.json::<BatchResponse>().await.unwrap().outcomes
            }
        };
        let (a, b) = tokio::join!(
            cancel(hubs[0].1.clone(), ids[0]),
            cancel(hubs[1].1.clone(), ids[1])
        );
        vec![a, b]
    });
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o[0].outcome, Outcome::Cancelled { .. }))
    );
    let db = url.rsplit('/').next().unwrap();
    let statuses = cluster.psql(
        db,
        "SELECT string_agg(status, ',' ORDER BY hub_seq) FROM submissions",
    );
    assert_eq!(statuses, "cancelled,cancelled,accepted,accepted");
    let counts = cluster.psql(db, "SELECT accepted || '/' || waitlisted FROM group_counts");
    assert_eq!(counts, "2/0");
    let promoted = cluster.psql(
        db,
        "SELECT count(DISTINCT submission_id) FROM outcome_history WHERE status = 'accepted'",
    );
    assert_eq!(promoted, "2");
    for (child, _) in &mut hubs {
        super::binary::signal(child, "-TERM");
        super::binary::wait_exit(child, std::time::Duration::from_secs(10));
    }
    cluster.drop_database(&url);
}
