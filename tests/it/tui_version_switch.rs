//! The switch to the hub's newer form at the moment the form is untouched again: through the
//! state machine, a version that arrived under a half-typed form is taken as soon as that
//! registration is saved, or the form is thrown away, with no further word from the sender;
//! and with the real binary in tmux and a real hub that publishes version 2 of the flood-relief
//! form (a new question) while the clerk types under version 1: the half-typed form is left as
//! it is, the form after the save asks the new question, and the hub holds the first record
//! made with version 1 and the next with version 2.

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ruamjai::core::form::Campaign;
use ruamjai::core::protocol::CampaignStatus;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::sync::SyncStatus;
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::{App, Msg, update};

use crate::tui_answers::{FLOOD, NEEDS, household_in_tmux};
use crate::tui_support::{ID, fill, on_form, press, render, saved, screen_text, typ};
use crate::tui_tmux::kiosk_in_tmux;

/// The hub's status carrying `campaign` as its definition.
fn published(campaign: &Campaign) -> Msg {
    Msg::Sync(SyncStatus {
        campaign: Some(CampaignStatus {
            campaign_id: campaign.id.clone(),
            total_quota: 66_000,
            registered: 0,
            remaining: 66_000,
            groups: Vec::new(),
            definition: serde_json::to_value(campaign).unwrap(),
            seal_key: None,
            store_epoch: 0,
            site_id: None,
        }),
        ..SyncStatus::default()
    })
}

/// `a`'s campaign as version 2, asking one question more.
fn version_2(a: &App) -> Campaign {
    let mut d = serde_json::to_value(&a.campaign).unwrap();
    d["version"] = 2.into();
    d["fields"].as_array_mut().unwrap().push(serde_json::json!({
        "key": "pets", "th": "สัตว์เลี้ยง", "en": "Pets", "type": "text"
    }));
    Campaign::from_hub(&d).unwrap()
}

#[test]
fn the_newer_form_is_taken_at_the_save_itself_with_a_word() {
    let mut a = on_form(Lang::En);
    fill(&mut a);
    let v2 = published(&version_2(&a));
    update(&mut a, v2);
    assert_eq!(a.campaign.version, 1, "switched under a filled form");
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::Enter);
    let msg = saved(&fx, uuid::Uuid::now_v7(), "SK01-0001-7Q");
    let Msg::Enqueued(Ok(s)) = &msg else {
        panic!("saved")
    };
    assert_eq!(
        s.registration.form_version, 1,
        "saved with the form it was typed on"
    );
    update(&mut a, msg);
    assert_eq!(a.screen, Screen::Receipt);
    assert_eq!(
        a.campaign.version, 2,
        "taken at the save, not at the next status"
    );
    assert!(a.form.slots.iter().any(|s| s.key.as_str() == "pets"));
    let text = screen_text(&render(&a, 80, 24));
    assert!(text.contains("form version 2 from the hub"), "{text}");
}

#[test]
fn the_newer_form_is_taken_when_the_typed_form_is_thrown_away() {
    let mut a = on_form(Lang::Th);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, &ID[..5]);
    let v2 = published(&version_2(&a));
    update(&mut a, v2);
    assert_eq!(a.campaign.version, 1);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('y'));
    assert_eq!(a.campaign.version, 2, "on {:?}", a.screen);
    let text = screen_text(&render(&a, 80, 24));
    assert!(text.contains("แบบฟอร์มรุ่น 2 จากศูนย์"), "{text}");
}

/// Polls `what` for up to 40 s (the kiosk asks the hub every 10 s).
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(40), "{what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The version each record the hub holds was made with, in the hub's order, and its answers.
fn at_hub(hub: &crate::hub::TestHub) -> Vec<(u64, serde_json::Value)> {
    hub.rows("SELECT registration FROM submissions ORDER BY hub_seq", &[])
        .iter()
        .map(|r| {
            let reg: serde_json::Value = serde_json::from_str(&r.text(0).unwrap()).unwrap();
            let version = reg["form_version"].as_u64().unwrap_or(1);
            (version, reg["answers"].clone())
        })
        .collect()
}

#[test]
fn in_tmux_the_hubs_version_2_waits_for_the_half_typed_form_and_the_records_carry_their_versions() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hub_dir = tempfile::tempdir().unwrap();
    let token = crate::sync::kiosk_token(hub_dir.path(), "SK01");
    let v1 = Campaign::from_toml("flood-relief-2564.toml", FLOOD).unwrap();
    let mut v2_file = format!("{FLOOD}\n{NEEDS}");
    v2_file = v2_file.replacen("version = 1", "version = 2", 1);
    let v2 = Campaign::from_toml("flood-relief-2564.toml", &v2_file).unwrap();
    assert_eq!(v2.version, 2);
    let hub = rt.block_on(crate::hub::TestHub::start_at(hub_dir.path(), None, |o| {
        o.campaign = v1;
    }));
    let config = format!(
        "kiosk_id = \"SK01\"\ncampaign = \"flood-relief-2564\"\nhub_url = \"{}\"\nhub_token = \"{token}\"\n",
        hub.url
    );
    let Some(t) = kiosk_in_tmux("switch", &config, &[]) else {
        return;
    };
    t.wait_for("F10/^Q");
    t.send("สมใจ\r");
    t.wait_for("F9/^R");
    household_in_tmux(&t);
    // The form's box: the status and message lines below it may change meanwhile.
    let form_box = || t.lines()[1..20].join("\n");
    let half_typed = form_box();
    assert!(
        half_typed.contains("▶ หมายเหตุ") && !half_typed.contains('↓'),
        "the last of version 1's 17 fields:\n{half_typed}"
    );

    // The hub restarts on the same store and address with version 2.
    let addr = hub.addr;
    rt.block_on(hub.stop());
    let hub = rt.block_on(crate::hub::TestHub::start_at(
        hub_dir.path(),
        Some(addr),
        |o| o.campaign = v2,
    ));
    let queue = t.data_dir().join("queue.sqlite3");
    eventually("the kiosk holds version 2", || {
        rusqlite::Connection::open(&queue)
            .and_then(|c| {
                c.query_row(
                    "SELECT value FROM kiosk_meta WHERE key = 'hub_campaign'",
                    [],
                    |r| r.get::<_, String>(0),
                )
            })
            .is_ok_and(|d| d.contains("\"version\":2"))
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(form_box(), half_typed, "the half-typed form changed");

    t.keys(&["F9"]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    t.keys(&["Enter"]);
    t.wait_for("บันทึกแล้ว");
    t.wait_for("แบบฟอร์มรุ่น 2 จากศูนย์");
    t.keys(&["Enter"]);
    // Eighteen fields now, the new question below the window's edge.
    t.wait_for("17/18");
    let stale = t.stale_cells("the form of version 2");
    assert!(stale.is_empty(), "{}", stale.join("\n"));

    // The next household, under version 2, answers the new question.
    t.send("\t3101700180014\t2\tสมหญิง\tใจงาม\t0898765432\t1\t2\t2\t7\t1\t");
    t.send("คลองมะเ");
    t.wait_for("กระทุ่มแบน");
    t.send("\r1\t\t");
    t.wait_for("‹[ ] อาหาร›");
    t.keys(&["Right", "Space"]);
    t.keys(&["F9"]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    t.keys(&["Enter"]);
    t.wait_for("บันทึกแล้ว");
    t.wait_for("น้ำดื่ม");

    let mut held = Vec::new();
    eventually("the hub holds both records", || {
        held = at_hub(&hub);
        held.len() == 2
    });
    assert_eq!(
        held[0].0, 1,
        "the first record was made with version 1: {held:?}"
    );
    assert!(held[0].1.get("needs").is_none(), "{held:?}");
    assert_eq!(held[1].0, 2, "{held:?}");
    assert_eq!(held[1].1["needs"], "water", "{held:?}");
    assert_eq!(held[1].1["damage"], "partial", "{held:?}");
    drop(t);
    rt.block_on(hub.stop());
}
