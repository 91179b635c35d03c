//! Upgrades in any order, with the real hub binary: a submission as a newer kiosk build writes it
//! (fields this hub does not know in the registration; a higher form version; an answer to a
//! question this campaign does not ask) and as the first build wrote it
//! (no `form_version`, no `answers`) are both accepted, and what the newer one carried that the
//! hub does not know is kept in the stored record. And a record is checked against the version
//! of the form it was made with: the hub keeps every version it published, and one it never
//! published is stored and counted, not refused.

use std::time::Duration;

use ruamjai::core::form::Registration;
use ruamjai::core::form::campaign::{DEFAULT_CAMPAIGN, EMBEDDED};
use ruamjai::core::protocol::{BatchResponse, HubStats, Outcome};
use serde_json::json;

use super::binary::{add_kiosk, hub_cmd, serve, signal, wait_exit};
use super::{client, submission};

/// Stops a hub binary (SIGTERM) and waits for its exit 0.
async fn stop(mut child: std::process::Child) {
    signal(&child, "-TERM");
    let code = tokio::task::spawn_blocking(move || wait_exit(&mut child, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(code, Some(0));
}

/// Posts `body` to `/v1/submissions` of `url`; the outcomes.
async fn post(url: &str, token: &str, body: &serde_json::Value) -> Vec<Outcome> {
    let r = client()
        .post(format!("{url}/v1/submissions"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: BatchResponse = r.json().await.unwrap();
    answer.outcomes.into_iter().map(|o| o.outcome).collect()
}

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
    let reg = &mut newer["registration"];
    reg["form_version"] = json!(7);
    reg["answers"] = json!({"pets": "แมว"});
    reg["blood_type"] = json!("O");
    reg["gps"] = json!({"lat": 13.55, "lon": 100.27});
    let older = serde_json::to_value(submission(2, "SK01-0002-A")).unwrap();
    let old_reg = older["registration"].as_object().unwrap();
    assert!(!old_reg.contains_key("form_version") && !old_reg.contains_key("answers"));
    let body = json!({"items": [newer, older]});

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

/// Version 1 of the built-in campaign is served, then version 2 (from the data directory),
/// which adds a required question. A record of version 1 without its answer is taken (checked
/// against version 1), one of version 2 without it is not, and one of version 9 (never
/// published) is taken, stored with its version and counted by `hub stats`.
#[cfg(unix)]
async fn a_record_is_checked_against_its_own_version_and_an_unknown_one_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(dir.path(), "SK01", &[]);
    let (child, _) = serve(dir.path(), &[]);
    stop(child).await;
    let (_, v1) = EMBEDDED
        .iter()
        .find(|(n, _)| n.strip_suffix(".toml") == Some(DEFAULT_CAMPAIGN))
        .unwrap();
    let id_line = format!("id = \"{DEFAULT_CAMPAIGN}\"\n");
    let v2 = v1.replace(&id_line, &format!("{id_line}version = 2\n"))
        + "\n[[fields]]\nkey = \"pets\"\nth = \"สัตว์เลี้ยง\"\nen = \"Pets\"\ntype = \"text\"\nrequired = true\n";
    std::fs::create_dir_all(dir.path().join("campaigns")).unwrap();
    std::fs::write(
        dir.path()
            .join(format!("campaigns/{DEFAULT_CAMPAIGN}.toml")),
        v2,
    )
    .unwrap();
    let (child, url) = serve(dir.path(), &[]);
    let made_with = |n: u64, version: u32| {
        let mut s = serde_json::to_value(submission(n, &format!("SK01-000{n}-A"))).unwrap();
        s["registration"]["form_version"] = json!(version);
        s
    };
    let items = [made_with(1, 1), made_with(2, 2), made_with(3, 9)];
    let out = post(&url, &token, &json!({ "items": items })).await;
    assert!(matches!(out[0], Outcome::Accepted { .. }), "{out:?}");
    assert!(
        matches!(&out[1], Outcome::Rejected { field, .. } if field == "pets"),
        "{out:?}"
    );
    assert!(matches!(out[2], Outcome::Accepted { .. }), "{out:?}");
    stop(child).await;

    let stats = hub_cmd(dir.path())
        .args(["hub", "stats", "--json"])
        .output()
        .unwrap();
    assert!(stats.status.success(), "{stats:?}");
    let counted: HubStats = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!((counted.accepted, counted.unpublished_versions), (2, 1));
    let text = hub_cmd(dir.path()).args(["hub", "stats"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("never published here 1"), "{text}");
    let store = super::store_for(dir.path());
    let rows = tokio::task::spawn_blocking(move || {
        let mut db = store.connect(false).unwrap();
        db.query(
            "SELECT version FROM campaign_versions ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.int(0).unwrap())
        .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert_eq!(rows, [1, 2]);
}

#[cfg(unix)]
on_both_backends!(
    a_newer_and_an_older_kiosks_submissions_are_both_taken,
    a_record_is_checked_against_its_own_version_and_an_unknown_one_is_flagged,
);
