//! The district's day, through the real binaries: a hub (`hub serve` on 127.0.0.1:0, SQLite),
//! three kiosks set up as the README says (one idle, one named in lower case, one behind TLS —
//! nginx in front of the hub — with `hub_ca_file` relative to its config), a quota raised and a
//! registration cancelled; then the same numbers read back from `hub stats`, `GET /v1/campaign`,
//! `/metrics`, the dashboard and each kiosk's `status --json`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ruamjai::protocol::{CampaignStatus, HubStats};

use super::names::add_kiosk;
use crate::hub::dashboard::{browserless, cookie_of, sign_in};
use crate::nginx::{Nginx, free_port};
use crate::support::{HEADER, private_tempdir, ruamjai, thai_id};

/// A kiosk's data directory: `config.toml` (0600) with `settings`, and `people` registered
/// through `ruamjai import`, numbered from `first`.
fn kiosk(dir: &Path, settings: &str, first: u64, people: u64) {
    let key = crate::support::test_hub_public().to_b64();
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("{settings}hub_key = {key:?}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    if people == 0 {
        return;
    }
    let mut csv = format!("{HEADER}\n");
    for n in first..first + people {
        csv.push_str(&format!(
            "thai_id,{},นาง,มาลี,ศรีสุข,01/02/2480,female,,,,,,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,\n",
            thai_id(130_000_000_000 + n)
        ));
    }
    let file = dir.join("people.csv");
    std::fs::write(&file, csv).unwrap();
    let out = ruamjai(dir).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// `ruamjai flush` in `dir`, run from another folder (as the timer runs it); its line.
fn flush(dir: &Path) -> String {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = ruamjai(dir)
        .current_dir(elsewhere.path())
        .args(["flush", "--timeout", "20"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn status(dir: &Path) -> serde_json::Value {
    let out = ruamjai(dir).args(["status", "--json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn hub_command(dir: &Path, args: &[&str]) -> String {
    let out = ruamjai(dir)
        .env("RUAMJAI_HUB_DATABASE", "")
        .arg("hub")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "hub {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `<tr data-group="all">` row of the dashboard's live part, as text.
fn dashboard_all_row(html: &str) -> String {
    let start = html.find("data-group=\"all\"").expect("the campaign's row");
    let end = html[start..].find("</tr>").unwrap() + start;
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sample(text: &str, name_labels: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name_labels)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name_labels} in {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_agrees_with_itself_at_the_end_of_the_day() {
    if Command::new("openssl").arg("version").output().is_err() {
        crate::support::missing("openssl");
        return;
    }
    // The hub: room for 5, three kiosks and an admin.
    let hub_dir = private_tempdir();
    crate::hub::postgres::campaign_with_quota(hub_dir.path(), 5);
    let tokens: BTreeMap<&str, String> = ["idle-1", "k1", "SK-TLS"]
        .into_iter()
        .map(|name| {
            let (code, token, err) = add_kiosk(hub_dir.path(), name);
            assert_eq!(code, 0, "{err}");
            (name, token)
        })
        .collect();
    let admin = hub_command(hub_dir.path(), &["add-kiosk", "boss", "--admin"])
        .trim()
        .to_owned();
    let (mut hub, url) = crate::hub::binary::serve(hub_dir.path(), &[]);

    // HTTPS in front of it, signed by the province's own CA.
    let certs = tempfile::tempdir().unwrap();
    crate::tls::make_certs(certs.path(), "localhost");
    let tls_port = free_port();
    let c = certs.path().display();
    let upstream = url.trim_start_matches("http://");
    let Some(_nginx) = Nginx::start(
        tls_port,
        &format!(
            "server {{
        listen LISTEN ssl;
        server_name localhost;
        ssl_certificate {c}/hub.pem;
        ssl_certificate_key {c}/hub.key;
        location / {{
            proxy_pass http://{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}"
        ),
    ) else {
        let _ = hub.kill();
        return;
    };

    // The kiosks, as installed.
    let idle = private_tempdir();
    let lower = private_tempdir();
    let tls = private_tempdir();
    kiosk(
        idle.path(),
        &format!(
            "kiosk_id = \"idle-1\"\nhub_url = {url:?}\nhub_token = {:?}\n",
            tokens["idle-1"]
        ),
        0,
        0,
    );
    kiosk(
        lower.path(),
        &format!(
            "kiosk_id = \"k1\"\nhub_url = {url:?}\nhub_token = {:?}\n",
            tokens["k1"]
        ),
        1,
        3,
    );
    std::fs::copy(certs.path().join("ca.pem"), tls.path().join("ca.pem")).unwrap();
    kiosk(
        tls.path(),
        &format!(
            "kiosk_id = \"SK-TLS\"\nhub_url = \"https://localhost:{tls_port}\"\nhub_token = {:?}\nhub_ca_file = \"ca.pem\"\n",
            tokens["SK-TLS"]
        ),
        11,
        3,
    );
    let kiosks = [idle.path(), lower.path(), tls.path()];
    assert!(flush(idle.path()).contains("0 sent, nothing pending"));
    assert!(flush(lower.path()).contains("3 sent"), "k1");
    let said = flush(tls.path());
    assert!(
        said.contains("3 sent"),
        "through TLS with the CA beside the config: {said}"
    );

    // The operations room raises the quota by one (the one waiting moves up), then cancels one.
    hub_command(
        hub_dir.path(),
        &["set-quota", "--total", "6", "--by", "ops"],
    );
    let stats: HubStats =
        serde_json::from_str(&hub_command(hub_dir.path(), &["stats", "--json"])).unwrap();
    assert_eq!((stats.accepted, stats.waitlisted), (6, 0), "{stats:?}");
    hub_command(
        hub_dir.path(),
        &[
            "cancel",
            "RJ-0000001",
            "--reason",
            "moved away",
            "--by",
            "ops",
        ],
    );
    for dir in kiosks {
        flush(dir);
    }

    // What each reader says.
    let stats: HubStats =
        serde_json::from_str(&hub_command(hub_dir.path(), &["stats", "--json"])).unwrap();
    let campaign: CampaignStatus =
        crate::hub::get_json(&format!("{url}/v1/campaign"), &tokens["k1"]).await;
    let metrics = crate::hub::client()
        .get(format!("{url}/metrics"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let kiosk_counts: Vec<serde_json::Value> = kiosks.iter().map(|d| status(d)).collect();
    let at_kiosks = |state: &str| -> u64 {
        kiosk_counts
            .iter()
            .map(|s| s["counts"][state].as_u64().unwrap_or(0))
            .sum()
    };

    assert_eq!(
        (stats.accepted, stats.waitlisted, stats.cancellations.total),
        (5, 0, 1),
        "{stats:?}"
    );
    assert_eq!(
        (
            campaign.total_quota,
            campaign.registered,
            campaign.remaining
        ),
        (6, stats.accepted, 1),
        "{campaign:?}"
    );
    assert_eq!(
        sample(&metrics, r#"ruamjai_hub_doses_left{group="all"}"#),
        1.0
    );
    for name in ["idle-1", "k1", "SK-TLS"] {
        assert_eq!(
            sample(
                &metrics,
                &format!("ruamjai_hub_kiosk_heard{{kiosk=\"{name}\"}}")
            ),
            1.0,
            "{name} reported in"
        );
    }
    assert_eq!(at_kiosks("accepted"), stats.accepted, "{kiosk_counts:?}");
    assert_eq!(
        at_kiosks("cancelled"),
        stats.cancellations.total,
        "{kiosk_counts:?}"
    );
    assert_eq!(at_kiosks("waitlisted"), 0, "{kiosk_counts:?}");
    for s in &kiosk_counts {
        assert_eq!(s["verdict"], "OK", "{s}");
    }
    let moved: u64 = kiosk_counts
        .iter()
        .map(|s| s["moved_to_accepted"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(moved, 1, "the kiosk of the person who waited heard it");

    // The dashboard, once its snapshot is fresh: quota, accepted, waiting, cancelled, left.
    let c = browserless();
    let cookie = cookie_of(&sign_in(&c, &url, &admin).await);
    let want = format!("6 {} 0 {} 1", stats.accepted, stats.cancellations.total);
    let deadline = Instant::now() + Duration::from_secs(15);
    let row = loop {
        let html = c
            .get(format!("{url}/dashboard/live"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let row = dashboard_all_row(&html);
        if row.ends_with(&want) || Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(row.ends_with(&want), "{row} (want … {want})");
    let _ = hub.kill();
    let _ = hub.wait();
}
