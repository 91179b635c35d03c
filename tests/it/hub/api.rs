//! Outcomes: accepted, replays, conflicts, cross-kiosk duplicates, quota and waitlist, rejected
//! items among good ones, corrections, heartbeats, the campaign status.

use ruamjai::core::protocol::{CampaignStatus, Heartbeat, ItemOutcome, Outcome};
use ruamjai::hub;

use super::{TestHub, batch, client, post, submission, submit};

fn hub_reference(o: &ItemOutcome) -> &str {
    match &o.outcome {
        Outcome::Accepted { hub_reference } => hub_reference,
        other => panic!("expected accepted, got {other:?}"),
    }
}

async fn accepts_then_answers_replays_with_the_stored_outcome() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let b = batch(vec![submission(1, "SK01-0001"), submission(2, "SK01-0002")]);
    let first = submit(&hub, &token, &b).await;
    let refs: Vec<&str> = first.iter().map(hub_reference).collect();
    assert!(refs[0].starts_with("RJ-") && refs[0] != refs[1], "{refs:?}");
    // A lost answer: the kiosk sends the very same batch again, twice.
    for _ in 0..2 {
        assert_eq!(submit(&hub, &token, &b).await, first);
    }
    // And can ask for one outcome by id.
    let id = b.items[1].submission_id;
    let r = client()
        .get(format!("{}/v1/submissions/{id}", hub.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<ItemOutcome>().await.unwrap(), first[1]);
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.duplicates, s.conflicts), (2, 0, 0), "{s:?}");
}

async fn the_same_id_with_other_content_is_a_conflict_and_the_first_stays() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let original = submission(3, "SK01-0003");
    let first = submit(&hub, &token, &batch(vec![original.clone()])).await;
    let mut changed = original.clone();
    changed.registration.as_mut().unwrap().first_name = "สมหญิง".into();
    let again = submit(&hub, &token, &batch(vec![changed])).await;
    assert!(
        matches!(again[0].outcome, Outcome::Conflict { .. }),
        "{again:?}"
    );
    // Another kiosk using the same id is a conflict too, even with the same content.
    let other = hub.kiosk("SK09");
    let theirs = submit(&hub, &other, &batch(vec![original.clone()])).await;
    assert!(matches!(theirs[0].outcome, Outcome::Conflict { .. }));
    assert_eq!(submit(&hub, &token, &batch(vec![original])).await, first);
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.conflicts), (1, 2), "{s:?}");
}

async fn a_person_registered_at_another_kiosk_is_a_duplicate_naming_the_first() {
    let hub = TestHub::start().await;
    let a = hub.kiosk("SK01");
    let b = hub.kiosk("SK02");
    submit(&hub, &a, &batch(vec![submission(4, "SK01-0004")])).await;
    // Kiosk B registers the same person twice in one batch, and someone new.
    let out = submit(
        &hub,
        &b,
        &batch(vec![
            submission(4, "SK02-0001"),
            submission(5, "SK02-0002"),
            submission(5, "SK02-0003"),
        ]),
    )
    .await;
    assert_eq!(
        out[0].outcome,
        Outcome::Duplicate {
            first_reference: "SK01-0004".into(),
            first_kiosk: "SK01".into(),
            first_registration_point: "รพ.สต. SK01".into(),
        }
    );
    hub_reference(&out[1]);
    assert!(
        matches!(&out[2].outcome, Outcome::Duplicate { first_reference, first_kiosk, .. }
            if first_reference == "SK02-0002" && first_kiosk == "SK02"),
        "{out:?}"
    );
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.duplicates), (2, 2));
    let sk02 = s.kiosks.iter().find(|k| k.name == "SK02").unwrap();
    assert_eq!((sk02.counts.accepted, sk02.counts.duplicates), (1, 2));
}

async fn beyond_the_quota_registrations_are_waitlisted_in_order() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    let token = hub.kiosk("SK01");
    let items = (10..15)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    let out = submit(&hub, &token, &batch(items)).await;
    for o in &out[..3] {
        hub_reference(o);
    }
    for (o, want) in out[3..].iter().zip([1u64, 2]) {
        assert!(
            matches!(&o.outcome, Outcome::Waitlisted { position, hub_reference }
                if *position == want && hub_reference.starts_with("RJ-")),
            "{o:?}"
        );
    }
    let status: CampaignStatus = super::get_json(&format!("{}/v1/campaign", hub.url), &token).await;
    assert_eq!(
        (status.total_quota, status.registered, status.remaining),
        (3, 3, 0)
    );
    let g3 = status.groups.iter().find(|g| g.group == 3).unwrap();
    assert_eq!(g3.registered, 3);
    assert_eq!(status.definition["id"], "samut-sakhon-2564-r1");
    hub.stop().await;
}

async fn one_bad_item_is_rejected_and_the_rest_are_accepted() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let mut bad_id = submission(21, "SK01-0021");
    bad_id.registration.as_mut().unwrap().id_number = "1234567890123".into();
    let mut other_campaign = submission(22, "SK01-0022");
    other_campaign.registration.as_mut().unwrap().campaign_id = "another-campaign".into();
    let mut too_young = submission(23, "SK01-0023");
    too_young.registration.as_mut().unwrap().birth_date =
        Some(ruamjai::core::thai::date::ThaiDate {
            day: Some(1),
            month: Some(1),
            year_be: 2540,
        });
    let items = vec![
        submission(20, "SK01-0020"),
        bad_id,
        other_campaign,
        too_young,
        submission(24, "SK01-0024"),
    ];
    let out = submit(&hub, &token, &batch(items)).await;
    hub_reference(&out[0]);
    hub_reference(&out[4]);
    let field = |o: &ItemOutcome| match &o.outcome {
        Outcome::Rejected { field, reason } => {
            assert!(!reason.is_empty());
            field.clone()
        }
        other => panic!("expected rejected, got {other:?}"),
    };
    assert_eq!(field(&out[1]), "id_number");
    assert_eq!(field(&out[2]), "campaign_id");
    assert_eq!(field(&out[3]), "birth_date");
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.rejected), (2, 3));
}

async fn a_correction_supersedes_the_kiosks_own_registration() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 1).await;
    let token = hub.kiosk("SK01");
    let old = submission(30, "SK01-0030");
    submit(&hub, &token, &batch(vec![old.clone()])).await;
    let mut fixed = submission(30, "SK01-0031");
    fixed.registration.as_mut().unwrap().last_name = "ใจงาม".into();
    fixed.replaces = Some(old.submission_id);
    // Not a duplicate of itself, and the freed quota place is its own again.
    let out = submit(&hub, &token, &batch(vec![fixed])).await;
    hub_reference(&out[0]);
    // Another kiosk cannot supersede it.
    let other = hub.kiosk("SK02");
    let mut theirs = submission(30, "SK02-0001");
    theirs.replaces = Some(out[0].submission_id);
    let dup = submit(&hub, &other, &batch(vec![theirs])).await;
    assert!(
        matches!(dup[0].outcome, Outcome::Duplicate { .. }),
        "{dup:?}"
    );
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.superseded, s.duplicates), (1, 1, 1), "{s:?}");
}

async fn heartbeats_and_health_answer() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK07");
    let c = client();
    let beat = Heartbeat {
        kiosk_id: "SK07".into(),
        pending: 12,
        oldest_pending_age_secs: Some(340),
        version: "0.1.0".into(),
    };
    let r = post(&c, &format!("{}/v1/heartbeat", hub.url), &token, &beat).await;
    assert_eq!(r.status(), 200);
    let health = c
        .get(format!("{}/v1/health", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    let k = s.kiosks.iter().find(|k| k.name == "SK07").unwrap();
    let seen = k.last_heartbeat.as_ref().expect("heartbeat stored");
    assert_eq!(
        (seen.pending, seen.oldest_pending_age_secs),
        (12, Some(340))
    );
}

/// One batch holding the same person twice and the same submission twice is decided as if its
/// items came one by one (the store's lookups for a whole batch learn each decision).
async fn a_batch_that_repeats_a_person_or_a_submission_is_decided_item_by_item() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let first = submission(41, "SK01-0041");
    let again = submission(41, "SK01-0042");
    let other = submission(42, "SK01-0043");
    let b = batch(vec![first.clone(), again, first.clone(), other]);
    let out = submit(&hub, &token, &b).await;
    let reference = hub_reference(&out[0]).to_owned();
    match &out[1].outcome {
        Outcome::Duplicate {
            first_reference, ..
        } => assert_eq!(first_reference, "SK01-0041"),
        other => panic!("{other:?}"),
    }
    assert_eq!(out[2], out[0], "the same submission again is a replay");
    assert_ne!(hub_reference(&out[3]), reference);
    let dir = hub.stop().await;
    let s = hub::stats(dir.database()).unwrap();
    assert_eq!((s.accepted, s.duplicates, s.conflicts), (2, 1, 0), "{s:?}");
}

on_both_backends!(
    a_batch_that_repeats_a_person_or_a_submission_is_decided_item_by_item,
    accepts_then_answers_replays_with_the_stored_outcome,
    the_same_id_with_other_content_is_a_conflict_and_the_first_stays,
    a_person_registered_at_another_kiosk_is_a_duplicate_naming_the_first,
    beyond_the_quota_registrations_are_waitlisted_in_order,
    one_bad_item_is_rejected_and_the_rest_are_accepted,
    a_correction_supersedes_the_kiosks_own_registration,
    heartbeats_and_health_answer,
);
