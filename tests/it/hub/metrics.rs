//! `GET /metrics` read by the Prometheus project's own `OpenMetrics` parser (Python
//! `prometheus_client`, installed by `.ci/run`): admin only, the values match what happened, and
//! every metric the sample alert rules name is served.

use std::path::Path;
use std::process::Command;

use super::{TestHub, batch, client, post, submission, submit};
use crate::support::missing;

/// The families `text` parses into, as `name{labels} value` lines, by the real parser.
fn parse(text: &str) -> Option<Vec<String>> {
    let script = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        print(f"{s.name}{{{labels}}} {s.value}")
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(&mut child.stdin.take()?, text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("No module named") {
        return None;
    }
    assert!(
        out.status.success(),
        "the parser refused the metrics: {err}\n{text}"
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

/// Prometheus's own linter (`promtool check metrics`, Debian's `prometheus`, installed by
/// `.ci/run`) has nothing to say of `text`.
fn promtool_finds_no_problem(text: &str) {
    let Ok(mut child) = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        missing("promtool (Debian's prometheus)");
        return;
    };
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && said.trim().is_empty(),
        "promtool: {said}\n{text}"
    );
}

/// What `curl … | promtool check metrics` reads (no `Accept` for `OpenMetrics`): the
/// Prometheus text format, clean.
async fn the_plain_text_format_is_clean(c: &reqwest::Client, url: &str, admin: &str) {
    let r = c.get(url).bearer_auth(admin).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let kind = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    promtool_finds_no_problem(&r.text().await.unwrap());
}

/// The store's gauge, and a series for every kiosk added: SK01 heard from, SK02 never.
fn the_store_and_every_kiosk_have_series(samples: &[String]) {
    assert_eq!(value(samples, "ruamjai_hub_store_up{}"), 1);
    assert_eq!(
        value(samples, r#"ruamjai_hub_kiosk_heard{kiosk="SK01"}"#),
        1
    );
    assert_eq!(
        value(samples, r#"ruamjai_hub_kiosk_heard{kiosk="SK02"}"#),
        0,
        "a kiosk never heard from has a series too"
    );
}

/// The sample's value (all of ours are whole numbers).
fn value(samples: &[String], name_labels: &str) -> i64 {
    samples
        .iter()
        .find_map(|s| s.strip_prefix(name_labels)?.trim().parse::<f64>().ok())
        .map_or_else(
            || panic!("no {name_labels} in {samples:#?}"),
            |v| v.round() as i64,
        )
}

async fn metrics_parse_and_say_what_happened() {
    let hub = TestHub::start_with(|o| {
        o.campaign.total_quota = 2;
    })
    .await;
    let kiosk = hub.kiosk("SK01");
    hub.kiosk("SK02"); // added, never heard from
    let admin = hub.admin();
    let items = (0..3)
        .map(|n| submission(n, &format!("SK01-{n:04}-A")))
        .collect();
    let _ = submit(&hub, &kiosk, &batch(items)).await;
    let beat = serde_json::json!({"kiosk_id": "SK01", "pending": 7,
        "oldest_pending_age_secs": 120, "version": "0.1.0"});
    let c = client();
    assert_eq!(
        post(&c, &format!("{}/v1/heartbeat", hub.url), &kiosk, &beat)
            .await
            .status(),
        200
    );
    let url = format!("{}/metrics", hub.url);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(
        c.get(&url)
            .bearer_auth(&kiosk)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    the_plain_text_format_is_clean(&c, &url, &admin).await;
    // What Prometheus asks for: OpenMetrics.
    let r = c
        .get(&url)
        .bearer_auth(&admin)
        .header(
            "accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("มาลี") && !text.contains("ศรีสุข"),
        "personal data in metrics"
    );
    let Some(samples) = parse(&text) else {
        missing("python3 with prometheus_client");
        return;
    };
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_outcomes_total{outcome="accepted"}"#
        ),
        2
    );
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_outcomes_total{outcome="waitlisted"}"#
        ),
        1
    );
    assert_eq!(value(&samples, r#"ruamjai_hub_doses_left{group="all"}"#), 0);
    assert_eq!(
        value(&samples, r#"ruamjai_hub_kiosk_pending{kiosk="SK01"}"#),
        7
    );
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_kiosk_oldest_pending_seconds{kiosk="SK01"}"#
        ),
        120
    );
    assert_eq!(value(&samples, "ruamjai_hub_batch_seconds_count{}"), 1);
    the_store_and_every_kiosk_have_series(&samples);
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_requests_total{route="/metrics",status="403"}"#
        ),
        1
    );
    every_metric_the_alert_rules_use_is_served(&samples);
    hub.stop().await;
}

/// Every metric the sample alert rules use is one the hub serves.
fn every_metric_the_alert_rules_use_is_served(samples: &[String]) {
    let rules = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/prometheus/ruamjai-alerts.yml"),
    )
    .unwrap();
    let named: Vec<&str> = rules
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("ruamjai_hub_"))
        .collect();
    assert!(named.len() >= 5, "{named:?}");
    for name in named {
        assert!(
            samples.iter().any(|s| s.starts_with(name)),
            "the alert rules use {name}, not served"
        );
    }
}

/// Each route counts under the label the router matched: no route is `other` but what no
/// route served, and ids are never labels.
async fn requests_count_under_the_route_that_answered() {
    let hub = TestHub::start().await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    let c = client();
    // Each route counts under its own label, as the router matched it.
    for path in [
        "/v1/registrations",
        "/v1/outcomes?after=0",
        "/v1/submissions/0190d9a4-0000-7000-8000-000000000001",
        "/v1/submissions/0190d9a4-0000-7000-8000-000000000002",
    ] {
        let who = if path.starts_with("/v1/registrations") {
            &admin
        } else {
            &kiosk
        };
        c.get(format!("{}{path}", hub.url))
            .bearer_auth(who)
            .send()
            .await
            .unwrap();
    }
    let cancel = serde_json::json!({"items": []});
    post(
        &c,
        &format!("{}/v1/cancellations", hub.url),
        &kiosk,
        &cancel,
    )
    .await;
    c.get(format!("{}/no/such/page", hub.url))
        .send()
        .await
        .unwrap();
    let r = c
        .get(format!("{}/metrics", hub.url))
        .bearer_auth(&admin)
        .header("accept", "application/openmetrics-text;version=1.0.0")
        .send()
        .await
        .unwrap();
    let Some(samples) = parse(&r.text().await.unwrap()) else {
        missing("python3 with prometheus_client");
        return;
    };
    for route in ["/v1/registrations", "/v1/outcomes", "/v1/cancellations"] {
        assert!(
            samples
                .iter()
                .any(|s| s.starts_with(&format!("ruamjai_hub_requests_total{{route=\"{route}\","))),
            "{route} has a label of its own: {samples:#?}"
        );
    }
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_requests_total{route="/v1/submissions/{id}",status="404"}"#
        ),
        2,
        "ids are never labels"
    );
    assert_eq!(
        value(
            &samples,
            r#"ruamjai_hub_requests_total{route="other",status="404"}"#
        ),
        1
    );
    assert_eq!(
        value(
            &samples,
            &format!(
                r#"ruamjai_build_info{{version="{}"}}"#,
                env!("CARGO_PKG_VERSION")
            )
        ),
        1
    );
    hub.stop().await;
}

/// `ruamjai hub status` (the real binary) against a running hub's store: CRITICAL without a store
/// or with half the kiosks silent, WARNING for one silent kiosk or an old unsent record, else OK.
async fn hub_status_follows_the_nagios_convention() {
    let status = |dir: &Path, store: &[String], args: &[&str]| {
        let out = crate::support::ruamjai(dir)
            .args(["hub", "status"])
            .args(store)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let empty = tempfile::tempdir().unwrap();
    // No store: no file on SQLite, nothing listening on PostgreSQL.
    let nowhere = match super::backend() {
        super::Backend::Sqlite => Vec::new(),
        super::Backend::Postgres => vec![
            "--database".to_owned(),
            "postgres://ruamjai@127.0.0.1:1/nowhere".to_owned(),
        ],
    };
    let (code, line) = status(empty.path(), &nowhere, &[]);
    assert_eq!(code, 2, "{line}");
    assert!(
        line.starts_with("RUAMJAI HUB CRITICAL - store unreadable"),
        "{line}"
    );

    let hub = TestHub::start().await;
    let a = hub.kiosk("SK01");
    let b = hub.kiosk("SK02");
    let url = format!("{}/v1/heartbeat", hub.url);
    let beat = |id: &str, oldest: Option<u64>| {
        serde_json::json!({"kiosk_id": id, "pending": 1,
            "oldest_pending_age_secs": oldest, "version": "0.1.0"})
    };
    let c = client();
    assert_eq!(
        post(&c, &url, &a, &beat("SK01", Some(3600))).await.status(),
        200
    );
    let store = super::database_args(hub.database());
    let (code, line) = status(hub.path(), &store, &[]);
    assert_eq!(code, 2, "SK02 never heard from is half the kiosks: {line}");
    assert!(line.contains("never heard from: SK02"), "{line}");
    assert!(
        line.contains("'silent'=1;1;1;0") && line.contains("'never_heard'=1;;;0"),
        "performance data with thresholds: {line}"
    );
    let (code, line) = status(hub.path(), &store, &["--silent-share", "0.9"]);
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("unsent for over 30 min: SK01"), "{line}");
    assert_eq!(post(&c, &url, &b, &beat("SK02", None)).await.status(), 200);
    let (code, line) = status(hub.path(), &store, &["--pending-minutes", "120", "--json"]);
    assert_eq!(code, 0, "{line}");
    let json: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(json["verdict"], "OK");
    assert_eq!(json["kiosks"], 2);
    hub.stop().await;
    // A usage error is UNKNOWN (3), as Nagios plugins say it.
    let (code, _) = status(empty.path(), &[], &["--no-such-flag"]);
    assert_eq!(code, 3);
}

/// `ruamjai hub status -t 1` against a database address that takes the connection and never
/// answers: UNKNOWN within about the timeout, not a hang.
#[test]
fn hub_status_gives_up_on_a_store_that_never_answers() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        // Take one connection and keep it open, saying nothing, until the test is done.
        let (conn, _) = silent.accept().unwrap();
        std::thread::sleep(std::time::Duration::from_secs(8));
        drop(conn);
    });
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let out = crate::support::ruamjai(dir.path())
        .args(["hub", "status", "-t", "1", "--database"])
        .arg(format!("postgres://ruamjai@127.0.0.1:{port}/hub"))
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{line}");
    assert!(line.starts_with("RUAMJAI HUB UNKNOWN"), "{line}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(6),
        "gave up after the timeout, not the store's: {:?}",
        started.elapsed()
    );
    drop(held);
}

/// `--metrics-listen`: `/metrics` without a token on its own address (a scraper on the hub's
/// host), and nothing else there; the main address still wants an admin token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metrics_address_serves_metrics_only_and_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ruamjai::hub::HubOptions::new(dir.path().to_path_buf(), super::campaign());
    let hub = ruamjai::hub::Hub::open(opts).unwrap();
    let main = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let side = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (main_url, side_url) = (
        format!("http://{}", main.local_addr().unwrap()),
        format!("http://{}", side.local_addr().unwrap()),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(ruamjai::hub::serve_with_metrics(
        main,
        Some(side),
        hub,
        async {
            let _ = stopped.await;
        },
    ));
    let c = client();
    let r = c
        .get(format!("{side_url}/metrics"))
        .header("accept", "application/openmetrics-text;version=1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    if let Some(samples) = parse(&text) {
        assert!(
            samples
                .iter()
                .any(|s| s.starts_with("ruamjai_hub_doses_left")),
            "{samples:?}"
        );
    } else {
        missing("python3 with prometheus_client");
    }
    assert_eq!(
        c.get(format!("{side_url}/v1/health"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(format!("{main_url}/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        c.get(format!("{main_url}/v1/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let _ = stop.send(());
    let done = tokio::time::timeout(std::time::Duration::from_secs(10), served).await;
    done.expect("both addresses stop").unwrap().unwrap();
}

on_both_backends!(
    metrics_parse_and_say_what_happened,
    requests_count_under_the_route_that_answered,
    hub_status_follows_the_nagios_convention,
);
