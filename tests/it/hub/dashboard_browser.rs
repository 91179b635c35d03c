//! The dashboard in a real browser (headless Chromium, `crate::browser`) from a real hub with
//! real kiosks sending to it (the kiosk's own sender, `sync::flush`, with its heartbeat): what a
//! person sees after signing in — the Thai labels, the totals, a silent kiosk marked and sorted
//! first, a kiosk holding old records marked, a registration point's name shown as text — that it
//! updates without a reload when a new registration arrives, fits a phone's width, and goes back
//! to the sign-in form when the admin token is revoked. `RUAMJAI_WRITE_SCREENSHOT=1` keeps the
//! screenshot in `docs/dashboard.png`.

use std::path::Path;
use std::time::Duration;

use ruamjai::kiosk::queue::NewRecord;
use serde_json::{Value, json};

use super::{TestHub, client, post_until_taken};
use crate::browser::Browser;
use crate::support::missing;

/// A real kiosk in `dir` named `name`: `n` registrations queued (persons from `first`), then sent
/// by the kiosk's own sender, heartbeat included.
async fn kiosk_sends(hub: &TestHub, dir: &Path, name: &str, token: &str, first: u64, n: u64) {
    std::fs::create_dir_all(dir).unwrap();
    let mut q = crate::support::open_queue(&dir.join("queue.sqlite3"), name).unwrap();
    let campaign = super::campaign();
    let records: Vec<NewRecord> = (first..first + n)
        .map(|i| {
            NewRecord::from_registration(&crate::support::registration(&campaign, i), "op", None)
        })
        .collect();
    q.enqueue_many(&records, ruamjai::kiosk::queue::now_ms())
        .unwrap();
    drop(q);
    let mut c = crate::sync::loaded(dir);
    c.kiosk_id = name.into();
    c.hub_url = Some(hub.url.as_str().into());
    c.hub_token = Some(token.into());
    let mut engine = ruamjai::kiosk::sync::engine_for(&c, "test").unwrap();
    let report = ruamjai::kiosk::sync::flush(&mut engine, Duration::from_secs(30), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.unsent, 0, "{report:?}");
    // The sender's heartbeat is best effort (a hub shedding load may answer it 503, and the
    // sender only logs that): the page is about a kiosk the hub has heard, so make sure it has.
    if last_heard(hub, name).is_none() {
        eprintln!("{name}: the sender's heartbeat did not get through; sending one again");
        let beat = json!({"kiosk_id": name, "pending": 0, "version": "0.1.0"});
        heartbeat(hub, token, &beat).await;
    }
}

/// When the hub last heard `name`'s heartbeat.
fn last_heard(hub: &TestHub, name: &str) -> Option<i64> {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = hub.database().connect(false).unwrap();
            let rows = db
                .query(
                    "SELECT received_at FROM heartbeats
                     WHERE kiosk_id = (SELECT id FROM kiosks WHERE name = ?1)",
                    &[name.into()],
                )
                .unwrap();
            rows.first().map(|r| r.int(0).unwrap())
        })
        .join()
        .unwrap()
    })
}

/// Posts a heartbeat for `token`'s kiosk until the hub takes it (a busy hub answers 503).
async fn heartbeat(hub: &TestHub, token: &str, beat: &Value) {
    let url = format!("{}/v1/heartbeat", hub.url);
    let r = post_until_taken(&client(), &url, token, beat).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
}

/// Sets `name`'s last heartbeat `minutes` into the past, as if it had gone quiet then.
fn heard_minutes_ago(hub: &TestHub, name: &str, minutes: i64) {
    let at = ruamjai::kiosk::queue::now_ms() - minutes * 60_000;
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut db = hub.database().connect(false).unwrap();
            let changed = db
                .execute(
                    "UPDATE heartbeats SET received_at = ?1
                     WHERE kiosk_id = (SELECT id FROM kiosks WHERE name = ?2)",
                    &[at.into(), name.into()],
                )
                .unwrap();
            assert_eq!(changed, 1);
        })
        .join()
        .unwrap();
    });
}

fn number(b: &mut Browser, selector: &str) -> i64 {
    let text = b.peek(&format!(
        "(document.querySelector({}) || {{innerText: ''}}).innerText",
        json!(selector)
    ));
    text.as_ref()
        .and_then(Value::as_str)
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(-1)
}

/// The hub and its kiosks as the room would see them at 10:00: two kiosks sending, one gone
/// quiet an hour ago, one never heard from, one holding a record for three hours.
async fn a_hub_with_kiosks(dirs: &tempfile::TempDir) -> (TestHub, String, String) {
    let hub = TestHub::start_with(|o| {
        o.campaign.total_quota = 5;
        o.dashboard.refresh = Duration::from_millis(500);
    })
    .await;
    let admin = hub.admin();
    let sk01 = hub.kiosk("SK01");
    let sk02 = hub.kiosk("SK02");
    let _never = hub.kiosk("SK03");
    let sk04 = hub.kiosk("SK04");
    ruamjai::hub::add_kiosk(
        hub.database(),
        "SK05",
        "<img src=x onerror=alert(1)>",
        false,
    )
    .unwrap();
    kiosk_sends(&hub, &dirs.path().join("SK01"), "SK01", &sk01, 1, 4).await;
    kiosk_sends(&hub, &dirs.path().join("SK02"), "SK02", &sk02, 100, 3).await;
    heard_minutes_ago(&hub, "SK02", 60);
    // A quota set while the hub runs is the one the page shows (the total stays full).
    let mut campaign = super::campaign();
    campaign.total_quota = 5;
    ruamjai::hub::intake::admin::set_quota(hub.database(), &campaign, Some(3), 40, "test").unwrap();
    let beat = json!({"kiosk_id": "SK04", "pending": 2, "oldest_pending_age_secs": 3 * 3600,
        "version": "0.1.0"});
    heartbeat(&hub, &sk04, &beat).await;
    (hub, admin, sk01)
}

fn signs_in(b: &mut Browser, url: &str, admin: &str) {
    // Headless Chromium asks for English (Accept-Language en-US); the room's Thai desktops ask
    // for Thai, which the page's link keeps.
    b.goto(&format!("{url}/dashboard?lang=th"));
    assert!(b.eval("location.pathname").as_str() == Some("/dashboard/signin"));
    assert!(b.text().contains("รหัสผู้ดูแล (rja_…)"), "{}", b.text());
    b.eval("document.getElementById('token').focus()");
    b.type_text(admin);
    b.click("button[type=submit]");
    b.wait_for("the dashboard after signing in", |b| {
        b.peek("location.pathname === '/dashboard' && document.readyState === 'complete'")
            == Some(json!(true))
    });
}

/// What the signed-in page shows of the hub of [`a_hub_with_kiosks`].
fn sees_the_day(b: &mut Browser) {
    let seen = b.text();
    for label in [
        "ภาพรวมการลงทะเบียน",
        "ได้รับสิทธิ์",
        "รอคิว",
        "โควตาตามกลุ่มเป้าหมาย",
        "ลงทะเบียนรายชั่วโมง วันนี้",
        "เครื่องลงทะเบียน",
        "สถานะศูนย์กลาง",
        "ติดต่อได้",
        "ไม่เคยติดต่อ",
    ] {
        assert!(seen.contains(label), "no {label:?} on the page:\n{seen}");
    }
    assert_eq!(number(b, "[data-outcome=accepted] .n"), 5);
    assert_eq!(number(b, "[data-outcome=waitlisted] .n"), 2);
    assert_eq!(number(b, "tr[data-kiosk=SK01] .today"), 4);
    assert_eq!(
        number(b, "tr[data-group='3'] .quota"),
        40,
        "the quota in force"
    );
    assert_eq!(number(b, "tr[data-kiosk=SK02] .today"), 3);
    let order =
        b.eval("[...document.querySelectorAll('tr[data-kiosk]')].map(r => r.dataset.kiosk)");
    assert_eq!(
        order,
        json!(["SK03", "SK05", "SK02", "SK04", "SK01"]),
        "worst first: never heard, quiet for an hour, holding old records, fine"
    );
    for (kiosk, class, words) in [
        ("SK03", "silent", "เงียบ"),
        ("SK02", "silent", "เงียบ"),
        ("SK04", "old", "ค้างส่งนาน"),
        ("SK01", "ok", "ปกติ"),
    ] {
        let row = b.eval(&format!(
            "(r => [r.className, r.innerText])(document.querySelector('tr[data-kiosk={kiosk}]'))"
        ));
        assert_eq!(row[0], json!(class), "{kiosk}: {row}");
        assert!(row[1].as_str().unwrap().contains(words), "{kiosk}: {row}");
    }
    assert!(
        seen.contains("60 นาทีที่แล้ว"),
        "SK02 last heard an hour ago:\n{seen}"
    );
    assert!(
        seen.contains("<img src=x onerror=alert(1)>"),
        "a point's name is text"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('main img').length"),
        json!(0)
    );
    let hours = b.eval(
        "[...document.querySelectorAll('g.hour')].reduce((s, g) => s + Number(g.dataset.value), 0)",
    );
    assert_eq!(hours, json!(7), "the day's hours hold every registration");
}

async fn the_dashboard_shows_the_day_and_updates_itself_in_a_browser() {
    let dirs = tempfile::tempdir().unwrap();
    let (hub, admin, sk01) = a_hub_with_kiosks(&dirs).await;
    let Some(mut b) = Browser::start(1280, 900) else {
        missing("chromium (Debian's package; .ci/run installs it)");
        hub.stop().await;
        return;
    };
    let url = hub.url.clone();
    let admin2 = admin;
    // The browser is driven on a blocking thread: the hub answers it on the runtime's workers.
    let mut b = tokio::task::spawn_blocking(move || {
        signs_in(&mut b, &url, &admin2);
        assert!(!b.eval("location.href").as_str().unwrap().contains("rja_"));
        assert_eq!(
            b.eval("document.cookie"),
            json!(""),
            "the session cookie is HttpOnly"
        );
        sees_the_day(&mut b);
        b
    })
    .await
    .unwrap();

    // A new registration arrives from a real kiosk: the open page shows it, without a reload.
    b.eval("window.notReloaded = true");
    kiosk_sends(&hub, &dirs.path().join("SK01"), "SK01", &sk01, 5, 1).await;
    let b = tokio::task::spawn_blocking(move || {
        let mut b = b;
        b.wait_for("the new registration on the open page", |b| {
            number(b, "tr[data-kiosk=SK01] .today") == 5
        });
        assert_eq!(number(&mut b, "[data-outcome=waitlisted] .n"), 3);
        assert_eq!(
            b.eval("window.notReloaded"),
            json!(true),
            "updated in place"
        );
        if std::env::var_os("RUAMJAI_WRITE_SCREENSHOT").is_some() {
            let png = b.screenshot();
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/dashboard.png");
            std::fs::write(docs, png).unwrap();
        }
        // The other language is one click away.
        b.click("nav a[hreflang=en]");
        b.wait_for("the page in English", |b| {
            b.text().contains("Registration overview")
        });
        let english = b.text();
        for label in ["Silent", "Old pending", "never", "Waiting list", "Hub"] {
            assert!(english.contains(label), "no {label:?}:\n{english}");
        }
        // A phone: nothing wider than the screen but inside its own section.
        b.resize(390, 844);
        b.wait_for("the phone layout", |b| {
            b.peek("document.documentElement.scrollWidth <= window.innerWidth") == Some(json!(true))
        });
        b
    })
    .await
    .unwrap();

    // The admin token is revoked: the open page goes back to the sign-in form by itself.
    ruamjai::hub::revoke_kiosk(hub.database(), "admin").unwrap();
    let b = tokio::task::spawn_blocking(move || {
        let mut b = b;
        b.wait_for("the sign-in form after revocation", |b| {
            b.peek("location.pathname") == Some(json!("/dashboard/signin"))
        });
        b
    })
    .await
    .unwrap();
    drop(b);
    hub.stop().await;
}

on_both_backends!(the_dashboard_shows_the_day_and_updates_itself_in_a_browser);
