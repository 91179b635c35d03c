//! People's accounts with roles and the access log, on a real hub with the real binary's
//! `hub add-user` and `hub audit`: a viewer sees counts but no personal data, a reader limited to
//! an amphoe gets only the registrations there, an admin all; every read of personal data
//! (`GET /v1/registrations`, `hub export`) is one append-only row that `hub audit` shows.

use reqwest::StatusCode;

use super::{TestHub, batch, client, submission, submit};
use crate::support::ruamjai;

/// The real binary over `hub`'s data directory (its store named by the caller's flags).
fn hub_cmd(hub: &TestHub) -> assert_cmd::Command {
    let mut cmd = ruamjai(hub.path());
    cmd.env("RUAMJAI_HUB_DATABASE", "");
    cmd
}

/// `hub ARGS… [--database URL]` through the real binary; its standard output (asserting exit 0).
fn hub_run(hub: &TestHub, args: &[&str]) -> String {
    let out = hub_cmd(hub)
        .arg("hub")
        .args(args)
        .args(super::database_args(hub.database()))
        .output()
        .unwrap();
    assert!(out.status.success(), "hub {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `hub add-user NAME --role ROLE [--amphoe A]`: the token, the last line of standard output.
fn add_user(hub: &TestHub, name: &str, role: &str, amphoe: Option<&str>) -> String {
    let mut args = vec!["add-user", name, "--role", role];
    if let Some(a) = amphoe {
        args.extend(["--amphoe", a]);
    }
    let out = hub_run(hub, &args);
    out.lines().last().unwrap().trim().to_owned()
}

/// A registration of person `n` living in tambon ท่าจีน, amphoe เมืองสมุทรสาคร.
fn in_mueang(n: u64, reference: &str) -> ruamjai::core::protocol::Submission {
    let mut s = submission(n, reference);
    let a = &mut s.registration.as_mut().unwrap().address;
    a.tambon = "ท่าจีน".into();
    a.amphoe = "เมืองสมุทรสาคร".into();
    a.postcode = "74000".into();
    s
}

async fn registrations(hub: &TestHub, token: &str) -> (StatusCode, Vec<String>) {
    let r = client()
        .get(format!("{}/v1/registrations", hub.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    let references = body["registrations"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| r["reference"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (status, references)
}

/// The dashboard's download is personal data: a viewer is refused, an admin's is kept.
async fn downloads_need_a_reader(hub: &TestHub, viewer: &str, admin: &str) {
    let c = super::dashboard::browserless();
    for (token, code) in [(viewer, 403), (admin, 200)] {
        let cookie =
            super::dashboard::cookie_of(&super::dashboard::sign_in(&c, &hub.url, token).await);
        let r = c
            .get(format!("{}/dashboard/export?format=csv", hub.url))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), code);
        let _ = r.bytes().await;
    }
}

async fn roles_limit_what_is_read_and_every_read_is_kept() {
    let hub = TestHub::start().await;
    let kiosk = hub.kiosk("SK01");
    let people = vec![
        submission(1, "SK01-0001-A"),
        in_mueang(2, "SK01-0002-B"),
        submission(3, "SK01-0003-C"),
    ];
    submit(&hub, &kiosk, &batch(people)).await;

    let viewer = add_user(&hub, "viewer.one", "viewer", None);
    let reader = add_user(&hub, "reader.kb", "reader", Some("กระทุ่มแบน"));
    let admin = add_user(&hub, "admin.one", "admin", None);
    for token in [&viewer, &reader, &admin] {
        assert!(token.starts_with("rja_"), "{token}");
    }
    // A viewer: counts, never personal data.
    let (status, _) = registrations(&hub, &viewer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let counts = client()
        .get(format!("{}/v1/stats", hub.url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(counts.status(), StatusCode::OK);
    // A reader of one amphoe: its people only.
    let (status, refs) = registrations(&hub, &reader).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(refs, ["SK01-0001-A", "SK01-0003-C"]);
    // An admin: everyone.
    let (_, refs) = registrations(&hub, &admin).await;
    assert_eq!(refs.len(), 3);
    // An amphoe not on the national list is refused, with the reason.
    let out = hub_cmd(&hub)
        .args([
            "hub", "add-user", "reader.x", "--role", "reader", "--amphoe", "Atlantis",
        ])
        .args(super::database_args(hub.database()))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("national list"));

    downloads_need_a_reader(&hub, &viewer, &admin).await;
    // An export on the hub's host is a read too.
    let file = hub.path().join("out.csv");
    hub_run(
        &hub,
        &[
            "export",
            "--state",
            "accepted",
            "--by",
            "somchai",
            "-o",
            file.to_str().unwrap(),
        ],
    );

    let audit = hub_run(&hub, &["audit", "--json"]);
    let reads: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(String, String, u64)> = reads
        .iter()
        .map(|r| {
            (
                r["who"].as_str().unwrap().to_owned(),
                r["what"].as_str().unwrap().to_owned(),
                r["rows"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("reader.kb".into(), "GET /v1/registrations".into(), 2),
            ("admin.one".into(), "GET /v1/registrations".into(), 3),
            ("admin.one".into(), "GET /dashboard/export".into(), 3),
            ("somchai".into(), "hub export".into(), 3),
        ],
        "the viewer's refusal read nothing: {audit}"
    );
    assert!(
        reads[3]["filter"]
            .as_str()
            .unwrap()
            .contains("state=accepted")
    );
    let text = hub_run(&hub, &["audit", "--since", "2020-01-01"]);
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("somchai  hub export"), "{text}");
    // The log takes no change.
    let changed = std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = hub.database().connect(false).unwrap();
            db.execute("DELETE FROM access_log", &[]).is_err()
                && db.execute("UPDATE access_log SET rows = 0", &[]).is_err()
        })
        .join()
        .unwrap()
    });
    assert!(changed, "access_log must be append-only");
    hub.stop().await;
}

on_both_backends!(roles_limit_what_is_read_and_every_read_is_kept);
