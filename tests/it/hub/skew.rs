//! Upgrades in any order, with the real hub binary: a submission as a newer kiosk build writes it
//! (fields this hub does not know, on the batch, the item and the registration; a higher form
//! version; an answer to a question this campaign does not ask) and as the first build wrote it
//! (no `form_version`, no `answers`) are both accepted, and what the newer one carried that the
//! hub does not know is kept in the stored record.

use std::time::Duration;

use ruamjai::core::form::Registration;
use ruamjai::core::protocol::{BatchResponse, Outcome};
use serde_json::json;

use super::binary::{add_kiosk, serve, signal, wait_exit};
use super::{client, submission};

/// The stored registration of submission `id`, read with the server stopped.
fn stored(store: &ruamjai::hub::Database, id: &str) -> String {
    let mut db = store.connect(false).expect("store opens");
    db.query(
        "SELECT registration FROM submissions WHERE submission_id = ?1",
        &[id.into()],
    )
    .expect("query")[0]
        .text(0)
        .unwrap()
}

#[cfg(unix)]
async fn a_newer_and_an_older_kiosks_submissions_are_both_taken() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(dir.path(), "SK01", &[]);
    let (mut child, url) = serve(dir.path(), &[]);

    let mut newer = serde_json::to_value(submission(1, "SK01-0001-A")).unwrap();
    newer["signed_with"] = json!("v9");
    let reg = &mut newer["registration"];
    reg["form_version"] = json!(7);
    reg["answers"] = json!({"pets": "แมว"});
    reg["blood_type"] = json!("O");
    reg["gps"] = json!({"lat": 13.55, "lon": 100.27});
    let older = serde_json::to_value(submission(2, "SK01-0002-A")).unwrap();
    let old_reg = older["registration"].as_object().unwrap();
    assert!(!old_reg.contains_key("form_version") && !old_reg.contains_key("answers"));
    let body = json!({"items": [newer, older], "sent_by": "ruamjai 9.0"});

    let r = client()
        .post(format!("{url}/v1/submissions"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: BatchResponse = r.json().await.unwrap();
    for o in &answer.outcomes {
        assert!(matches!(o.outcome, Outcome::Accepted { .. }), "{o:?}");
    }
    signal(&child, "-TERM");
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(code, Some(0));

    let id = |v: &serde_json::Value| v["submission_id"].as_str().unwrap().to_owned();
    let ids = [id(&newer), id(&older)];
    // Off the async threads (the PostgreSQL client blocks), on this thread's backend.
    let store = super::store_for(dir.path());
    let [new_row, old_row] = tokio::task::spawn_blocking(move || ids.map(|i| stored(&store, &i)))
        .await
        .unwrap();
    let kept: Registration = serde_json::from_str(&new_row).unwrap();
    assert_eq!(kept.form_version, 7);
    assert_eq!(kept.answer("pets"), "แมว");
    assert_eq!(kept.extra["blood_type"], json!("O"));
    assert_eq!(kept.extra["gps"], json!({"lat": 13.55, "lon": 100.27}));
    let old: Registration = serde_json::from_str(&old_row).unwrap();
    assert_eq!(
        (old.form_version, old.answers.len(), old.extra.len()),
        (1, 0, 0)
    );
}

#[cfg(unix)]
on_both_backends!(a_newer_and_an_older_kiosks_submissions_are_both_taken);
