//! What the operations room sees of cancellations, on a real hub: a kiosk cancels one of its
//! registrations (`POST /v1/cancellations`), an admin cancels another with the real binary
//! (`hub cancel --by`), and both show on the dashboard (a count per group, a tile, the latest
//! with who cancelled and why, a reason shown as text) and in the real binary's `hub stats`,
//! as text and as `--json`.

use std::time::Duration;

use reqwest::StatusCode;
use ruamjai::core::protocol::{HubStats, Outcome};

use super::dashboard::{browserless, cookie_of, sign_in};
use super::waitlist::cancel_at_kiosk;
use super::{TestHub, batch, database_args, submission, submit};
use crate::support::ruamjai;

/// An admin's reason with markup in it: the page must show it as text.
const ADMIN_REASON: &str = "<b>moved</b> to Chonburi";

/// `ruamjai hub ARGS…` on `hub`'s store, as an admin at the hub's machine would run it.
fn hub_command(hub: &TestHub, args: &[&str]) -> String {
    let out = ruamjai(hub.path())
        .arg("hub")
        .args(args)
        .args(database_args(hub.database()))
        .output()
        .unwrap();
    assert!(out.status.success(), "hub {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The signed-in dashboard page in `lang`.
pub async fn page(hub: &TestHub, cookie: &str, lang: &str) -> String {
    let r = browserless()
        .get(format!("{}/dashboard?lang={lang}", hub.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// The `<tr …>` of `page` whose opening tag contains `marker`, up to its end.
fn row<'a>(page: &'a str, marker: &str) -> &'a str {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} on the page:\n{page}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

async fn cancellations_show_on_the_dashboard_and_in_hub_stats() {
    let hub = TestHub::start_with(|o| o.dashboard.refresh = Duration::from_millis(200)).await;
    let kiosk = hub.kiosk("SK01");
    let admin = hub.admin();
    let items = (1..=3)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    let out = submit(&hub, &kiosk, &batch(items)).await;
    let cancelled = cancel_at_kiosk(&hub, &kiosk, &[out[0].submission_id]).await;
    assert!(
        matches!(cancelled[0].outcome, Outcome::Cancelled { .. }),
        "{cancelled:?}"
    );
    let said = hub_command(
        &hub,
        &[
            "cancel",
            "RJ-0000002",
            "--reason",
            ADMIN_REASON,
            "--by",
            "somchai",
        ],
    );
    assert!(said.contains("cancelled RJ-0000002"), "{said}");

    // `hub stats --json`: the total, per group, and the latest newest first with who and why.
    let json = hub_command(&hub, &["stats", "--json"]);
    let stats: HubStats = serde_json::from_str(&json).unwrap();
    let c = &stats.cancellations;
    assert_eq!(c.total, 2, "{json}");
    assert_eq!(c.groups.len(), 1, "{json}");
    assert_eq!(c.groups[0].cancelled, 2);
    let group = c.groups[0].group;
    let latest: Vec<_> = c
        .latest
        .iter()
        .map(|x| (x.hub_reference.as_str(), x.by.as_str(), x.reason.as_str()))
        .collect();
    assert_eq!(
        latest,
        [
            ("RJ-0000002", "admin:somchai", ADMIN_REASON),
            ("RJ-0000001", "kiosk:SK01", "cancelled at the kiosk"),
        ]
    );
    // `hub stats` as text says the same.
    let text = hub_command(&hub, &["stats"]);
    for line in [
        "cancelled: 2".to_owned(),
        format!("group {group}: cancelled 2"),
        format!("RJ-0000002 (group {group}) by admin:somchai: {ADMIN_REASON}"),
        format!("RJ-0000001 (group {group}) by kiosk:SK01: cancelled at the kiosk"),
    ] {
        assert!(text.contains(&line), "no {line:?} in:\n{text}");
    }

    // The dashboard, in English and in Thai.
    let cookie = cookie_of(&sign_in(&browserless(), &hub.url, &admin).await);
    let en = page(&hub, &cookie, "en").await;
    assert!(en.contains("Latest cancellations"), "{en}");
    let tile = row(&en, "data-outcome=\"cancelled\"");
    assert!(tile.contains(">2<") && tile.contains("Cancelled"), "{tile}");
    for key in [group.to_string(), "all".to_owned()] {
        let r = row(&en, &format!("data-group=\"{key}\""));
        assert!(r.contains("cancelled\">2<"), "group {key}: {r}");
    }
    let by_admin = row(&en, "data-cancelled=\"RJ-0000002\"");
    assert!(by_admin.contains("Admin somchai"), "{by_admin}");
    assert!(
        by_admin.contains("&#60;b&#62;moved&#60;/b&#62; to Chonburi") && !by_admin.contains("<b>"),
        "the reason is text: {by_admin}"
    );
    let by_kiosk = row(&en, "data-cancelled=\"RJ-0000001\"");
    assert!(
        by_kiosk.contains("Kiosk SK01") && by_kiosk.contains("cancelled at the kiosk"),
        "{by_kiosk}"
    );
    assert!(
        en.find("RJ-0000002") < en.find("data-cancelled=\"RJ-0000001\""),
        "newest first"
    );
    let th = page(&hub, &cookie, "th").await;
    for words in ["การยกเลิกล่าสุด", "ยกเลิกแล้ว", "ผู้ดูแล somchai", "เครื่อง SK01"]
    {
        assert!(th.contains(words), "no {words:?}:\n{th}");
    }
    hub.stop().await;
}

on_both_backends!(cancellations_show_on_the_dashboard_and_in_hub_stats);
