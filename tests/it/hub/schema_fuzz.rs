//! The hub and `assets/openapi.yaml` agree: every error is the JSON `ErrorBody` the file
//! documents (a query string or a body that does not fit included), and schemathesis, a schema
//! fuzzer, finds no answer the file does not describe when it drives the real hub binary on
//! loopback, bounded (a few examples per operation, a time limit per run, a fixed seed).
//!
//! schemathesis runs every check but the two that judge the inputs rather than the answers:
//! `negative_data_rejection` (the hub answers a batch with one bad item `200`, rejecting that
//! item alone, as the file says) and `positive_data_acceptance` (JSON Schema counts `2.0` as an
//! integer; the hub's JSON reader, rightly, does not).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::binary::{add_kiosk, serve, signal, wait_exit};
use super::{TestHub, client};

/// The `ErrorBody` of a `400` answer.
async fn bad_request(r: reqwest::Response) -> serde_json::Value {
    assert_eq!(r.status(), 400);
    let kind = r.headers()[reqwest::header::CONTENT_TYPE].clone();
    assert_eq!(kind, "application/json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request", "{body}");
    assert!(body["message"].is_string(), "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_or_body_that_does_not_fit_is_an_error_body() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let c = client();
    let url = format!("{}/v1/outcomes?after=soon", hub.url);
    let r = c.get(&url).bearer_auth(&token).send().await.unwrap();
    bad_request(r).await;
    // A struct written as an array is not the object the file describes.
    let url = format!("{}/v1/cancellations", hub.url);
    let r = c
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("[[]]")
        .send()
        .await
        .unwrap();
    let body = bad_request(r).await;
    assert!(
        body["message"].as_str().unwrap().contains("object"),
        "{body}"
    );
    hub.stop().await;
}

/// Runs schemathesis against `url` with `token` on the operations tagged `tag` (and
/// `monitoring`), bounded; panics with its report when it finds a disagreement.
fn schemathesis(url: &str, token: &str, tag: &str) {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/openapi.yaml");
    // Nothing of the run is kept: no example database, no report in the work tree.
    let scratch = tempfile::tempdir().unwrap();
    let mut child = Command::new("schemathesis")
        .current_dir(scratch.path())
        .args(["run", spec, "--url", url])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--include-tag", tag, "--include-tag", "monitoring"])
        .args(["--max-examples", "10", "--max-time", "20", "--seed", "1"])
        .args(["--workers", "1", "--request-timeout", "5", "--no-color"])
        .args(["--output-truncate", "true", "--generation-database", "none"])
        .args([
            "--exclude-checks",
            "positive_data_acceptance,negative_data_rejection",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("schemathesis ran over 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    let tail: String = report
        .chars()
        .rev()
        .take(6000)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(out.status.success(), "schemathesis ({tag}) found:\n{tail}");
    assert!(report.contains("Tested:"), "{tail}");
}

#[test]
fn schemathesis_finds_the_hub_as_its_openapi_file_says() {
    let found = Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::support::missing("schemathesis (pip install schemathesis)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kiosk = add_kiosk(dir.path(), "SK01", &[]);
    let admin = add_kiosk(dir.path(), "boss", &["--admin"]);
    // A site's check-in kiosk, so its list and its doses are driven past the guard too.
    let sites = dir.path().join("sites.csv");
    std::fs::write(&sites, super::checkin::sites_from_today()).unwrap();
    let imported = super::binary::hub_cmd(dir.path())
        .args(["hub", "sites", "import"])
        .arg(&sites)
        .output()
        .unwrap();
    assert!(imported.status.success(), "{imported:?}");
    let checkin = add_kiosk(dir.path(), "KTB-CHECKIN", &["--site", "KTB-01"]);
    // No rate limit: the fuzzer's requests must reach the handlers, not the limiter.
    let (mut hub, url) = serve(dir.path(), &["--kiosk-rate", "0", "--kiosk-max-open", "64"]);
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    schemathesis(&url, &kiosk, "kiosk");
    schemathesis(&url, &checkin, "checkin");
    schemathesis(&url, &admin, "admin");
    signal(&hub, "-TERM");
    assert_eq!(wait_exit(&mut hub, Duration::from_secs(10)), Some(0));
}
