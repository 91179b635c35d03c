//! A corrected registration: the kiosk's correction superseded the first one and took its place.
//! The first one's references and submission id cancel nothing (its place was freed once
//! already, by the correction): `hub cancel` says which registration stands now, a kiosk's
//! cancellation changes nothing, and nobody extra moves up from the waiting list.

use ruamjai::core::protocol::Outcome;
use ruamjai::hub::intake::admin;

use super::{TestHub, batch, submission, submit};

/// (status, superseded) of every row in arrival order, and the group's (accepted, waitlisted).
fn state(hub: &TestHub) -> (Vec<(String, bool)>, (i64, i64)) {
    let rows = hub.rows(
        "SELECT status, superseded_by FROM submissions ORDER BY row_seq",
        &[],
    );
    let counts = hub.rows(
        "SELECT accepted, waitlisted FROM group_counts WHERE target_group = 3",
        &[],
    );
    (
        rows.iter()
            .map(|r| (r.text(0).unwrap(), r.opt_text(1).unwrap().is_some()))
            .collect(),
        (counts[0].int(0).unwrap(), counts[0].int(1).unwrap()),
    )
}

/// Quota 2: RJ-1 and RJ-2 accepted, RJ-3 waiting; RJ-1 corrected by SK01 as RJ-4 (accepted in
/// the place the correction freed).
async fn cancelling_a_superseded_registration_frees_no_second_place() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 2).await;
    let token = hub.kiosk("SK01");
    let first: Vec<_> = (1..=3)
        .map(|n| submission(n, &format!("SK01-000{n}")))
        .collect();
    let old_id = first[0].submission_id;
    submit(&hub, &token, &batch(first)).await;
    let mut fixed = submission(1, "SK01-0004");
    fixed.registration.as_mut().unwrap().last_name = "ใจงาม".into();
    fixed.replaces = Some(old_id);
    let out = submit(&hub, &token, &batch(vec![fixed])).await;
    assert_eq!(
        out[0].outcome,
        Outcome::Accepted {
            hub_reference: "RJ-0000004".into()
        }
    );
    let s = |status: &str, superseded| (status.to_owned(), superseded);
    let before = (
        vec![
            s("accepted", true),
            s("accepted", false),
            s("waitlisted", false),
            s("accepted", false),
        ],
        (2, 1),
    );
    assert_eq!(state(&hub), before);

    // By its hub reference or its receipt's: a clear error naming the registration that stands.
    let mut campaign = super::campaign();
    campaign.total_quota = 2;
    for old in ["RJ-0000001", "SK01-0001"] {
        let err = admin::cancel(hub.database(), &campaign, old, "moved", "a").unwrap_err();
        let said = err.to_string();
        assert!(
            said.contains(&format!("{old} was replaced by a kiosk's correction"))
                && said.contains("RJ-0000004 (accepted)"),
            "{said}"
        );
    }
    // The kiosk's cancellation of the old submission id: not cancelled, nothing changes.
    let answer = super::waitlist::cancel_at_kiosk(&hub, &token, &[old_id]).await;
    assert!(
        !matches!(answer[0].outcome, Outcome::Cancelled { .. }),
        "{answer:?}"
    );
    assert_eq!(state(&hub), before, "no place counted out twice");
    let history = hub.rows("SELECT count(*) FROM outcome_history", &[]);
    assert_eq!(history[0].int(0).unwrap(), 0, "nothing recorded");

    // The registration that stands cancels, and its place goes to the one waiting: once.
    let report = admin::cancel(hub.database(), &campaign, "RJ-0000004", "moved", "a").unwrap();
    assert_eq!(report.promoted, ["RJ-0000003"]);
    let after = (
        vec![
            s("accepted", true),
            s("accepted", false),
            s("accepted", false),
            s("cancelled", false),
        ],
        (2, 0),
    );
    assert_eq!(state(&hub), after);
    hub.stop().await;
}

on_both_backends!(cancelling_a_superseded_registration_frees_no_second_place);
