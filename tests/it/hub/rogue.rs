//! What one rogue or broken kiosk could leave in the hub: un-normalised or padded values, hidden
//! characters, terminal escapes in a heartbeat, rejected submissions without end, wrong clocks.
//! The hub must store only what it checked, and bounded.

use std::time::Duration;

use super::{TestHub, batch, client, post, submission, submit};
use ruamjai::core::form::Registration;
use ruamjai::core::protocol::{ItemOutcome, Outcome};

/// The stored registration column of `id`.
fn stored_registration(hub: &TestHub, id: uuid::Uuid) -> Option<String> {
    hub.rows(
        "SELECT registration FROM submissions WHERE submission_id = ?1",
        &[&id.to_string()],
    )
    .first()
    .map(|r| r.text(0).unwrap())
}

fn rejected_rows(hub: &TestHub) -> i64 {
    hub.rows(
        "SELECT count(*) FROM submissions WHERE status = 'rejected'",
        &[],
    )[0]
    .int(0)
    .unwrap()
}

fn thai_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0x0E50 + d).unwrap())
        })
        .collect()
}

fn rejected_field(o: &ItemOutcome) -> &str {
    match &o.outcome {
        Outcome::Rejected { field, .. } => field,
        other => panic!("not rejected: {other:?}"),
    }
}

async fn the_hub_stores_the_checked_normalised_registration_not_what_was_sent() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let mut s = submission(1, "SK01-0001-A");
    let checked = s.registration.clone().unwrap();
    s.registration.as_mut().unwrap().id_number =
        thai_digits(&crate::support::dashed_id(&checked.id_number));
    s.registration.as_mut().unwrap().phone = "081-234-5678".into();
    s.registration.as_mut().unwrap().first_name =
        format!("{}{}", checked.first_name, "\u{200B}".repeat(30_000));
    s.registration.as_mut().unwrap().note = "\u{FEFF}มา\u{2028}เอง".into();
    let out = submit(&hub, &token, &batch(vec![s.clone()])).await;
    assert!(
        matches!(out[0].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    let row = stored_registration(&hub, s.submission_id).unwrap();
    let stored: Registration = serde_json::from_str(&row).unwrap();
    assert_eq!(stored.id_number, checked.id_number);
    assert_eq!(stored.phone, "0812345678");
    assert_eq!(stored.first_name, checked.first_name);
    assert_eq!(stored.note, "มา เอง");
    assert!(row.len() < 2_000, "{} bytes stored", row.len());

    // Characters the kiosk refuses are refused here too, naming the field.
    for hidden in ['\u{061C}', '\u{200F}', '\u{202E}', '\u{0007}'] {
        let mut s = submission(2, "SK01-0002-A");
        s.registration.as_mut().unwrap().first_name = format!("สม{hidden}ชาย");
        let out = submit(&hub, &token, &batch(vec![s])).await;
        assert_eq!(
            rejected_field(&out[0]),
            "first_name",
            "U+{:04X}",
            hidden as u32
        );
    }
    hub.stop().await;
}

async fn rejected_submissions_are_kept_bounded_purged_by_correction_and_capped() {
    let hub = TestHub::start_with(|o| o.max_rejected_per_kiosk = 3).await;
    let token = hub.kiosk("SK01");
    // 120 KB of note and control characters: rejected, and only a bounded copy kept.
    let mut big = submission(1, "SK01-0001-A");
    big.registration.as_mut().unwrap().note = format!("\u{1b}[2J{}", "ก".repeat(40_000));
    let out = submit(&hub, &token, &batch(vec![big.clone()])).await;
    assert_eq!(rejected_field(&out[0]), "note");
    let copy = stored_registration(&hub, big.submission_id).unwrap();
    assert!(
        copy.len() <= 2048,
        "{} bytes kept of a rejected submission",
        copy.len()
    );
    assert!(!copy.contains('\u{1b}'), "{copy:?}");
    // The kiosk's correction purges the copy; the reasons stay for replays.
    let mut fixed = submission(1, "SK01-0001-B");
    fixed.replaces = Some(big.submission_id);
    let out = submit(&hub, &token, &batch(vec![fixed])).await;
    assert!(
        matches!(out[0].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    assert_eq!(
        stored_registration(&hub, big.submission_id).as_deref(),
        Some("")
    );
    let again = submit(&hub, &token, &batch(vec![big.clone()])).await;
    assert_eq!(rejected_field(&again[0]), "note");
    // Beyond the cap, rejections are answered and not stored.
    let many: Vec<_> = (10..16)
        .map(|n| {
            let mut s = submission(n, &format!("SK01-{n:04}-A"));
            s.registration.as_mut().unwrap().note = "x".repeat(600);
            s
        })
        .collect();
    let out = submit(&hub, &token, &batch(many)).await;
    assert!(out.iter().all(|o| rejected_field(o) == "note"));
    assert_eq!(
        rejected_rows(&hub),
        3,
        "rejected rows stored past a cap of 3"
    );
    // After the retention period they are gone (checked at start).
    let dir = hub.stop().await;
    let hub = TestHub::start_in(dir.into_dir(), |o| o.rejected_retention = Duration::ZERO).await;
    let token = hub.kiosk("SK02");
    let _ = submit(&hub, &token, &batch(vec![submission(99, "SK02-0001-A")])).await;
    assert_eq!(
        rejected_rows(&hub),
        0,
        "rejected rows outlived their retention"
    );
    hub.stop().await;
}

async fn heartbeats_are_checked_and_hub_stats_prints_no_terminal_escapes() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let url = format!("{}/v1/heartbeat", hub.url);
    let beat = |version: &str, pending: u64| {
        serde_json::json!({"kiosk_id": "SK01", "pending": pending,
            "oldest_pending_age_secs": null, "version": version})
    };
    let c = client();
    assert_eq!(
        post(&c, &url, &token, &beat("0.1.0", 3)).await.status(),
        200
    );
    let bad = [
        beat("\u{1b}]0;owned\u{7}\u{1b}[2J", 1),
        beat(&"9".repeat(33), 1),
        beat("0.1.0", 1 << 40),
        serde_json::json!({"kiosk_id": "SK01", "pending": 1, "oldest_pending_age_secs": null,
            "version": "0.1.0", "extra": true}),
        serde_json::json!({"kiosk_id": "SK\u{1b}01", "pending": 1,
            "oldest_pending_age_secs": null, "version": "0.1.0"}),
    ];
    for body in bad {
        let r = post(&c, &url, &token, &body).await;
        assert_eq!(r.status(), 400, "{body}");
    }
    // An admin's registration point with an escape in it is shown harmless.
    ruamjai::hub::add_kiosk(hub.database(), "SK02", "\u{1b}[2Jจุด\u{202E}", false).unwrap();
    let text = ruamjai::hub::reports::stats::render(&ruamjai::hub::stats(hub.database()).unwrap());
    assert!(
        !text.chars().any(|c| c == '\u{1b}' || c == '\u{202E}'),
        "{text:?}"
    );
    assert!(text.contains("0.1.0") && text.contains("จุด"), "{text}");
    hub.stop().await;
}

async fn wrong_clocks_and_unknown_fields_are_refused_like_the_rest() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    for created_at in [0, 4_102_444_800_000] {
        let mut s = submission(1, "SK01-0001-A");
        s.created_at = created_at;
        let out = submit(&hub, &token, &batch(vec![s])).await;
        assert_eq!(rejected_field(&out[0]), "created_at", "{created_at}");
    }
    let mut body = serde_json::to_value(batch(vec![submission(2, "SK01-0002-A")])).unwrap();
    body["items"][0]["registration"]["birth_date"]["hour"] = 9.into();
    let r = post(
        &client(),
        &format!("{}/v1/submissions", hub.url),
        &token,
        &body,
    )
    .await;
    assert_eq!(r.status(), 400, "an unknown field in birth_date");
    // The scheme in lower case is the same scheme (RFC 9110).
    let r = client()
        .get(format!("{}/v1/campaign", hub.url))
        .header("authorization", format!("bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    hub.stop().await;
}

/// Two kiosks left at the default `kiosk_id` would both issue `KIOSK-0001-Y`: the hub takes only
/// references that carry the kiosk's own prefix, says which name to set, and keeps nothing of
/// what it refused for that (the kiosk holds the record, to send it again as it is).
async fn references_carry_the_kiosks_name_and_duplicates_always_name_a_point() {
    let hub = TestHub::start().await;
    let a = hub.kiosk("SK01");
    let out = submit(&hub, &a, &batch(vec![submission(1, "KIOSK-0001-Y")])).await;
    assert_eq!(
        rejected_field(&out[0]),
        ruamjai::core::protocol::NOT_THIS_KIOSK_NAME
    );
    let Outcome::Rejected { reason, .. } = &out[0].outcome else {
        unreachable!()
    };
    assert!(reason.contains("kiosk_id = \"SK01\""), "{reason}");
    // SK010 is not SK01.
    let out = submit(&hub, &a, &batch(vec![submission(1, "SK010-0001-Y")])).await;
    assert_eq!(
        rejected_field(&out[0]),
        ruamjai::core::protocol::NOT_THIS_KIOSK_NAME
    );
    let kept = hub.rows("SELECT COUNT(*) FROM submissions", &[]);
    assert_eq!(
        kept[0].int(0).unwrap(),
        0,
        "nothing of the refusals is stored"
    );
    let out = submit(&hub, &a, &batch(vec![submission(1, "SK01-0001-Y")])).await;
    assert!(
        matches!(out[0].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    // A kiosk added without a point: the duplicate answer names it by its name.
    let bare = ruamjai::hub::add_kiosk(hub.database(), "SK03", "", false).unwrap();
    let out = submit(&hub, &bare, &batch(vec![submission(7, "SK03-0001-Q")])).await;
    assert!(
        matches!(out[0].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    let out = submit(&hub, &a, &batch(vec![submission(7, "SK01-0002-Q")])).await;
    match &out[0].outcome {
        Outcome::Duplicate {
            first_reference,
            first_registration_point,
            ..
        } => {
            assert_eq!(first_reference, "SK03-0001-Q");
            assert_eq!(first_registration_point, "SK03");
        }
        other => panic!("not a duplicate: {other:?}"),
    }
    hub.stop().await;
}

on_both_backends!(
    the_hub_stores_the_checked_normalised_registration_not_what_was_sent,
    rejected_submissions_are_kept_bounded_purged_by_correction_and_capped,
    heartbeats_are_checked_and_hub_stats_prints_no_terminal_escapes,
    wrong_clocks_and_unknown_fields_are_refused_like_the_rest,
    references_carry_the_kiosks_name_and_duplicates_always_name_a_point,
);
