//! Waiting-list positions count per target group ("3rd waiting in group 2"), and the list moves
//! by arrival: a place in one group goes to that group's first; a place anywhere goes to whoever
//! has waited longest among the groups with room, whatever their positions. A hub from before
//! positions per group keeps the places it told people, and each group counts on above them.

use ruamjai::core::protocol::{ItemOutcome, Outcome, Submission};
use ruamjai::hub::intake::admin;
use ruamjai::hub::{Database, store::db::Param};

use super::{TestHub, batch, database_args, submission, submit};

/// Person `n` in target group `group` (2 asks no age nor detail; 3 is 70 and over, as all are).
fn in_group(n: u64, group: u8) -> Submission {
    let mut s = submission(n, &format!("SK01-{n:04}"));
    s.registration.as_mut().unwrap().target_group = group;
    s
}

/// One submission each of people 1.. in `groups`, in that order, in one batch: RJ-1, RJ-2, …
async fn register(hub: &TestHub, token: &str, first: u64, groups: &[u8]) -> Vec<ItemOutcome> {
    let items = (first..)
        .zip(groups)
        .map(|(n, &g)| in_group(n, g))
        .collect();
    submit(hub, token, &batch(items)).await
}

/// Each outcome's waiting-list position (`None`: not waiting).
fn positions(out: &[ItemOutcome]) -> Vec<Option<u64>> {
    out.iter()
        .map(|o| match o.outcome {
            Outcome::Waitlisted { position, .. } => Some(position),
            _ => None,
        })
        .collect()
}

/// (hub reference number, status, position) of every registered row, in arrival order.
fn rows(hub: &TestHub) -> Vec<(i64, String, Option<i64>)> {
    hub.rows(
        "SELECT hub_seq, status, waitlist_position FROM submissions ORDER BY hub_seq",
        &[],
    )
    .iter()
    .map(|r| {
        let position = r.opt_int(2).unwrap();
        (r.int(0).unwrap(), r.text(1).unwrap(), position)
    })
    .collect()
}

fn campaign(total_quota: u64) -> ruamjai::core::form::Campaign {
    let mut c = super::campaign();
    c.total_quota = total_quota;
    c
}

/// Quota 2, taken by RJ-1 and RJ-2 (group 3). Then RJ-3, RJ-4 wait in group 2, RJ-5 in group 3,
/// RJ-6 in group 2, RJ-7 in group 3.
async fn two_groups_count_their_own_places_and_move_by_arrival() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 2).await;
    let token = hub.kiosk("SK01");
    let out = register(&hub, &token, 1, &[3, 3, 2, 2, 3, 2, 3]).await;
    assert_eq!(
        positions(&out),
        [None, None, Some(1), Some(2), Some(1), Some(3), Some(2)]
    );
    let campaign = campaign(2);
    // Group 2 has no room for now; RJ-1 (group 3) is cancelled: group 3's first moves up
    // (RJ-5), though RJ-3 of group 2 has waited longer.
    let none = admin::set_quota(hub.database(), &campaign, Some(2), 0, "a").unwrap();
    assert!(none.is_empty(), "{none:?}");
    let report = admin::cancel(hub.database(), &campaign, "RJ-0000001", "moved", "a").unwrap();
    assert_eq!(report.promoted, ["RJ-0000005"]);
    // Room in group 2 again, none in the campaign: nobody moves.
    let none = admin::set_quota(hub.database(), &campaign, Some(2), 10, "a").unwrap();
    assert!(none.is_empty(), "{none:?}");
    // Three more places: the three who waited longest, across groups. By position RJ-7
    // (2nd in group 3) would come before RJ-6 (3rd in group 2), who arrived first.
    let promoted = admin::set_quota(hub.database(), &campaign, None, 5, "a").unwrap();
    assert_eq!(promoted, ["RJ-0000003", "RJ-0000004", "RJ-0000006"]);
    let status = |s: &str| s.to_owned();
    assert_eq!(
        rows(&hub),
        [
            (1, status("cancelled"), None),
            (2, status("accepted"), None),
            (3, status("accepted"), Some(1)),
            (4, status("accepted"), Some(2)),
            (5, status("accepted"), Some(1)),
            (6, status("accepted"), Some(3)),
            (7, status("waitlisted"), Some(2)),
        ]
    );
    let counts = hub.rows(
        "SELECT target_group, accepted, waitlisted FROM group_counts ORDER BY target_group",
        &[],
    );
    let counts: Vec<(i64, i64, i64)> = counts
        .iter()
        .map(|r| (r.int(0).unwrap(), r.int(1).unwrap(), r.int(2).unwrap()))
        .collect();
    assert_eq!(counts, [(2, 3, 0), (3, 2, 1)]);
    // The province's list says the same: RJ-7 waits 2nd in group 3.
    let export = crate::support::jsonl_export(
        crate::support::ruamjai(hub.path())
            .args(["hub", "export", "--state", "waitlisted"])
            .args(database_args(hub.database())),
    );
    let said: Vec<(&str, &str, &str)> = export
        .iter()
        .map(|r| {
            let (reference, group) = (r["hub_reference"].as_str(), r["target_group"].as_str());
            (reference, group, r["waitlist_position"].as_str())
        })
        .collect();
    assert_eq!(said, [("RJ-0000007", "3", "2")]);
    hub.stop().await;
}

/// Undoes what the migration to positions per group did, as a hub before it left its store:
/// the waiting people numbered across the campaign in arrival order (outcomes too, as they
/// were told), one campaign-wide counter, no counter per group, the old index, and the schema
/// one migration back. The next start applies the migration to it.
fn as_before_positions_per_group(store: &Database, campaign_id: &str) {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = store.connect(false).unwrap();
            let waiting = db
                .query(
                    "SELECT submission_id, hub_seq FROM submissions
                     WHERE waitlist_position IS NOT NULL ORDER BY hub_seq",
                    &[],
                )
                .unwrap();
            for (place, row) in (1_i64..).zip(&waiting) {
                let hub_reference = format!("RJ-{:07}", row.int(1).unwrap());
                let told = serde_json::to_string(&Outcome::Waitlisted {
                    hub_reference,
                    position: u64::try_from(place).unwrap(),
                })
                .unwrap();
                let id = row.text(0).unwrap();
                db.execute(
                    "UPDATE submissions SET waitlist_position = ?1, outcome = ?2
                     WHERE submission_id = ?3",
                    &[Param::Int(place), Param::Text(&told), Param::Text(&id)],
                )
                .unwrap();
            }
            db.execute("DELETE FROM counters WHERE name LIKE 'waitlist:%'", &[])
                .unwrap();
            let last = i64::try_from(waiting.len()).unwrap();
            let name = format!("waitlist:{campaign_id}");
            db.execute(
                "INSERT INTO counters (name, value) VALUES (?1, ?2)",
                &[Param::Text(&name), Param::Int(last)],
            )
            .unwrap();
            db.batch(
                "DROP INDEX submissions_waiting;
                 CREATE INDEX submissions_waiting
                     ON submissions (campaign_id, status, target_group, waitlist_position)",
            )
            .unwrap();
            // Back to before the per-group migration (later ones run again).
            super::rewind::rewind_store(db.as_mut(), store, "waitlist_per_group");
        })
        .join()
        .unwrap();
    });
}

/// A hub from before positions per group: the places people were told stay, each group's next
/// place comes after the largest its group holds, and the list still moves by arrival.
async fn a_hub_with_campaign_wide_positions_keeps_them_and_counts_on_per_group() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 1).await;
    let token = hub.kiosk("SK01");
    // RJ-1 accepted; RJ-2, RJ-4 wait in group 2, RJ-3, RJ-5 in group 3.
    let out = register(&hub, &token, 1, &[3, 2, 3, 2, 3]).await;
    let told = out[3].submission_id;
    let stopped = hub.stop().await;
    as_before_positions_per_group(stopped.database(), &campaign(1).id);
    let hub = TestHub::start_in(stopped.into_dir(), |o| o.campaign.total_quota = 1).await;
    let before: Vec<Option<i64>> = rows(&hub).into_iter().map(|r| r.2).collect();
    assert_eq!(before, [None, Some(1), Some(2), Some(3), Some(4)], "kept");
    // RJ-4's replay is told what it was told: 3rd.
    let url = format!("{}/v1/submissions/{told}", hub.url);
    let replay: ItemOutcome = super::get_json(&url, &token).await;
    assert!(
        matches!(replay.outcome, Outcome::Waitlisted { position: 3, .. }),
        "{replay:?}"
    );
    // New people: group 2 goes on after its 3, group 3 after its 4, each by one.
    let out = register(&hub, &token, 6, &[2, 3, 2]).await;
    assert_eq!(positions(&out), [Some(4), Some(5), Some(5)]);
    // Two places: the two who waited longest (RJ-2 of group 2, RJ-3 of group 3).
    let promoted = admin::set_quota(hub.database(), &campaign(1), None, 3, "a").unwrap();
    assert_eq!(promoted, ["RJ-0000002", "RJ-0000003"]);
    hub.stop().await;
}

on_both_backends!(
    two_groups_count_their_own_places_and_move_by_arrival,
    a_hub_with_campaign_wide_positions_keeps_them_and_counts_on_per_group,
);
