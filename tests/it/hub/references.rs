//! One receipt reference, one registration, enforced by the store: a kiosk sending a reference
//! again under another submission id is refused under `reference`, naming the registration
//! that has it (alone, or twice in one batch), a correction may keep its record's reference,
//! `hub cancel REFERENCE` names one registration, and the store's unique index refuses a second
//! live row. A store that already held a reference twice migrates: the first keeps it, the
//! later one is marked and stays registered, found by its hub reference.

use ruamjai::core::protocol::Outcome;
use ruamjai::hub::{Database, HubError, intake::admin};

use super::{TestHub, batch, submission, submit};

/// The reason of a rejection under `reference`; panics on any other outcome.
fn refused(o: &Outcome) -> &str {
    match o {
        Outcome::Rejected { field, reason } if field == "reference" => reason,
        other => panic!("expected a rejection under reference, got {other:?}"),
    }
}

fn accepted(n: u64) -> Outcome {
    Outcome::Accepted {
        hub_reference: format!("RJ-{n:07}"),
    }
}

/// Runs `sql` statements on the (stopped or serving) store, off the async threads.
fn on_store(database: &Database, work: impl FnOnce(&mut dyn ruamjai::hub::store::db::Db) + Send) {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = database.connect(false).unwrap();
            work(db.as_mut());
        })
        .join()
        .unwrap();
    });
}

async fn a_reference_sent_again_is_refused_and_names_one_registration() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK02");
    let first = submission(1, "SK02-0100");
    let out = submit(&hub, &token, &batch(vec![first.clone()])).await;
    assert_eq!(out[0].outcome, accepted(1));
    // Again under another id, and a new reference twice in one batch.
    let again = submission(2, "SK02-0100");
    let items = vec![
        again.clone(),
        submission(3, "SK02-0101"),
        submission(4, "SK02-0101"),
    ];
    let out = submit(&hub, &token, &batch(items)).await;
    let reason = refused(&out[0].outcome);
    assert!(
        reason.contains("SK02-0100") && reason.contains("RJ-0000001"),
        "{reason}"
    );
    assert_eq!(out[1].outcome, accepted(2));
    assert!(refused(&out[2].outcome).contains("RJ-0000002"));
    // Its replay is told the same.
    let out = submit(&hub, &token, &batch(vec![again])).await;
    assert!(refused(&out[0].outcome).contains("RJ-0000001"));
    // A correction of the first record may keep its reference: it takes its place.
    let mut fixed = submission(1, "SK02-0100");
    fixed.registration.as_mut().unwrap().last_name = "ใจงาม".into();
    fixed.replaces = Some(first.submission_id);
    let out = submit(&hub, &token, &batch(vec![fixed])).await;
    assert_eq!(out[0].outcome, accepted(3));
    let report = admin::cancel(hub.database(), &super::campaign(), "SK02-0100", "x", "a")
        .expect("one registration");
    assert_eq!(report.hub_reference, "RJ-0000003");
    // The store itself refuses a second live row with a reference.
    on_store(hub.database(), |db| {
        let err = db.execute(
            "UPDATE submissions SET reference = 'SK02-0100' WHERE hub_seq = 2",
            &[],
        );
        assert!(err.is_err(), "the unique index holds");
    });
    hub.stop().await;
}

/// Takes a store back to before references were unique, with `SK02-0200` renamed `SK02-0100`:
/// a reference on two live rows, as a hub before the migration could leave it.
fn as_before_unique_references(store: &Database) {
    on_store(store, |db| {
        super::rewind::rewind_store(db, store, "reference_unique");
        db.batch("UPDATE submissions SET reference = 'SK02-0100' WHERE reference = 'SK02-0200'")
            .unwrap();
    });
}

async fn a_store_holding_a_reference_twice_keeps_the_first_and_marks_the_later() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK02");
    let items = vec![
        submission(1, "SK02-0100"),
        submission(2, "SK02-0200"),
        submission(3, "SK02-0300"),
    ];
    let ids: Vec<String> = items.iter().map(|s| s.submission_id.to_string()).collect();
    submit(&hub, &token, &batch(items)).await;
    let stopped = hub.stop().await;
    as_before_unique_references(stopped.database());
    let hub = TestHub::start_in(stopped.into_dir(), |_| {}).await;
    let rows = hub.rows(
        "SELECT submission_id, status, reference_kept_by FROM submissions
         WHERE reference = 'SK02-0100' ORDER BY row_seq",
        &[],
    );
    let got: Vec<(String, String, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.text(0).unwrap(),
                r.text(1).unwrap(),
                r.opt_text(2).unwrap(),
            )
        })
        .collect();
    let accepted_ = |i: usize, kept: Option<&str>| {
        (
            ids[i].clone(),
            "accepted".to_owned(),
            kept.map(str::to_owned),
        )
    };
    assert_eq!(got, [accepted_(0, None), accepted_(1, Some(&ids[0]))]);
    // The shared reference names both; each is cancelled by its hub reference.
    let campaign = super::campaign();
    let err = admin::cancel(hub.database(), &campaign, "SK02-0100", "x", "a").unwrap_err();
    assert!(
        matches!(&err, HubError::AmbiguousReference(_, h) if h.len() == 2),
        "{err}"
    );
    let said = err.to_string();
    assert!(
        said.contains("RJ-0000001") && said.contains("RJ-0000002"),
        "{said}"
    );
    admin::cancel(hub.database(), &campaign, "RJ-0000002", "x", "a").unwrap();
    // A new submission of it is refused, naming the one that kept it.
    let out = submit(&hub, &token, &batch(vec![submission(4, "SK02-0100")])).await;
    assert!(refused(&out[0].outcome).contains("RJ-0000001"));
    hub.stop().await;
}

on_both_backends!(
    a_reference_sent_again_is_refused_and_names_one_registration,
    a_store_holding_a_reference_twice_keeps_the_first_and_marks_the_later,
);
