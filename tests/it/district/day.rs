//! The district's day, through the real binaries: a hub (`hub serve` on 127.0.0.1:0, SQLite),
//! three kiosks set up as the README says (one idle, one named in lower case, one behind TLS —
//! nginx in front of the hub — with `hub_ca_file` relative to its config), a quota raised and a
//! registration cancelled; then the same numbers read back from `hub stats`, `GET /v1/campaign`,
//! `/metrics`, the dashboard and each kiosk's `status --json`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use ruamjai::core::protocol::{CampaignStatus, HubStats};

use super::names::add_kiosk;
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
        let _ = writeln!(
            csv,
            "thai_id,{},นาง,มาลี,ศรีสุข,01/02/2480,female,,,,,,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,",
            thai_id(130_000_000_000 + n)
        );
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

/// A sample's value (whole numbers, all of ours).
fn sample(text: &str, name_labels: &str) -> i64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name_labels)?.trim().parse::<f64>().ok())
        .map_or_else(
            || panic!("no {name_labels} in {text}"),
            |v| v.round() as i64,
        )
}

/// The hub binary with room for 5, its kiosks' tokens and an admin's, and nginx serving it over
/// HTTPS with a certificate the province's own CA signed.
struct District {
    hub: std::process::Child,
    url: String,
    dir: tempfile::TempDir,
    tokens: BTreeMap<&'static str, String>,
    admin: String,
    certs: tempfile::TempDir,
    tls_port: u16,
    _nginx: Nginx,
}

impl Drop for District {
    fn drop(&mut self) {
        let _ = self.hub.kill();
        let _ = self.hub.wait();
    }
}

fn district() -> Option<District> {
    if Command::new("openssl").arg("version").output().is_err() {
        crate::support::missing("openssl");
        return None;
    }
    let dir = private_tempdir();
    crate::hub::postgres::campaign_with_quota(dir.path(), 5);
    let tokens: BTreeMap<&str, String> = ["idle-1", "k1", "SK-TLS"]
        .into_iter()
        .map(|name| {
            let (code, token, err) = add_kiosk(dir.path(), name);
            assert_eq!(code, 0, "{err}");
            (name, token)
        })
        .collect();
    let admin = hub_command(dir.path(), &["add-kiosk", "boss", "--admin"])
        .trim()
        .to_owned();
    let (mut hub, url) = crate::hub::binary::serve(dir.path(), &[]);
    let certs = tempfile::tempdir().unwrap();
    crate::tls::make_certs(certs.path(), "localhost");
    let tls_port = free_port();
    let c = certs.path().display();
    let upstream = url.trim_start_matches("http://");
    let Some(nginx) = Nginx::start(
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
        return None;
    };
    Some(District {
        hub,
        url,
        dir,
        tokens,
        admin,
        certs,
        tls_port,
        _nginx: nginx,
    })
}

/// The three kiosks as installed: idle, `k1` with 3 people, `SK-TLS` with 3 behind TLS and
/// its CA file beside its config.
fn kiosks(d: &District) -> [tempfile::TempDir; 3] {
    let (idle, lower, tls) = (private_tempdir(), private_tempdir(), private_tempdir());
    let at = |name: &str, url: &str| {
        format!(
            "kiosk_id = {name:?}\nhub_url = {url:?}\nhub_token = {:?}\n",
            d.tokens[name]
        )
    };
    kiosk(idle.path(), &at("idle-1", &d.url), 0, 0);
    kiosk(lower.path(), &at("k1", &d.url), 1, 3);
    std::fs::copy(d.certs.path().join("ca.pem"), tls.path().join("ca.pem")).unwrap();
    let https = format!("https://localhost:{}", d.tls_port);
    let settings = at("SK-TLS", &https) + "hub_ca_file = \"ca.pem\"\n";
    kiosk(tls.path(), &settings, 11, 3);
    [idle, lower, tls]
}

/// What the readers say: `hub stats`, `/v1/campaign`, `/metrics`, each kiosk's check.
struct Readings {
    stats: HubStats,
    campaign: CampaignStatus,
    metrics: String,
    kiosks: Vec<serde_json::Value>,
}

async fn read_back(d: &District, kiosks: &[&Path]) -> Readings {
    let stats = serde_json::from_str(&hub_command(d.dir.path(), &["stats", "--json"])).unwrap();
    let campaign = crate::hub::get_json(&format!("{}/v1/campaign", d.url), &d.tokens["k1"]).await;
    let metrics = crate::hub::client()
        .get(format!("{}/metrics", d.url))
        .bearer_auth(&d.admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    Readings {
        stats,
        campaign,
        metrics,
        kiosks: kiosks.iter().map(|k| status(k)).collect(),
    }
}

impl Readings {
    /// Records in `state` at the kiosks, all together.
    fn at_kiosks(&self, key: &str, state: Option<&str>) -> u64 {
        self.kiosks
            .iter()
            .map(|s| {
                let v = match state {
                    Some(state) => &s[key][state],
                    None => &s[key],
                };
                v.as_u64().unwrap_or(0)
            })
            .sum()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_district_agrees_with_itself_at_the_end_of_the_day() {
    let Some(d) = district() else {
        return;
    };
    let dirs = kiosks(&d);
    let [idle, lower, tls] = [dirs[0].path(), dirs[1].path(), dirs[2].path()];
    assert!(flush(idle).contains("0 sent, nothing pending"));
    assert!(flush(lower).contains("3 sent"), "k1");
    let said = flush(tls);
    assert!(
        said.contains("3 sent"),
        "through TLS, the CA beside the config: {said}"
    );

    // The operations room raises the quota by one (the one waiting moves up), then cancels one.
    hub_command(d.dir.path(), &["set-quota", "--total", "6", "--by", "ops"]);
    let stats: HubStats =
        serde_json::from_str(&hub_command(d.dir.path(), &["stats", "--json"])).unwrap();
    assert_eq!((stats.accepted, stats.waitlisted), (6, 0), "{stats:?}");
    let cancel = [
        "cancel",
        "RJ-0000001",
        "--reason",
        "moved away",
        "--by",
        "ops",
    ];
    hub_command(d.dir.path(), &cancel);
    for dir in [idle, lower, tls] {
        flush(dir);
    }

    let r = read_back(&d, &[idle, lower, tls]).await;
    let s = &r.stats;
    assert_eq!(
        (s.accepted, s.waitlisted, s.cancellations.total),
        (5, 0, 1),
        "{s:?}"
    );
    let c = &r.campaign;
    assert_eq!(
        (c.total_quota, c.registered, c.remaining),
        (6, s.accepted, 1),
        "{c:?}"
    );
    assert_eq!(
        sample(&r.metrics, r#"ruamjai_hub_doses_left{group="all"}"#),
        1
    );
    for name in ["idle-1", "k1", "SK-TLS"] {
        let heard = format!("ruamjai_hub_kiosk_heard{{kiosk=\"{name}\"}}");
        assert_eq!(sample(&r.metrics, &heard), 1, "{name} reported in");
    }
    assert_eq!(
        r.at_kiosks("counts", Some("accepted")),
        s.accepted,
        "{:?}",
        r.kiosks
    );
    assert_eq!(
        r.at_kiosks("counts", Some("cancelled")),
        s.cancellations.total
    );
    assert_eq!(r.at_kiosks("counts", Some("waitlisted")), 0);
    assert_eq!(
        r.at_kiosks("moved_to_accepted", None),
        1,
        "the waiting person's kiosk heard"
    );
    for k in &r.kiosks {
        assert_eq!(k["verdict"], "OK", "{k}");
    }
    // The dashboard: quota, accepted, waiting, cancelled, left.
    let want = format!("6 {} 0 {} 1", s.accepted, s.cancellations.total);
    let html = super::dashboard_live_once(&d.url, &d.admin, "all", &want).await;
    let row = super::dashboard_row(&html, "all");
    assert!(row.ends_with(&want), "{row} (want … {want})");
}
