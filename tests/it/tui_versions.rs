//! A newer version of the campaign's form from the hub, through the state machine: taken at an
//! untouched form with a word on the message line (a question of a type this build does not know
//! asked as text), never under a half-typed form (taken after that registration is saved), and a
//! version this build cannot read said once while registrations go on with the version it has.

use crossterm::event::KeyCode;
use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::protocol::CampaignStatus;
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::sync::SyncStatus;
use ruamjai::kiosk::tui::app::Screen;
use ruamjai::kiosk::tui::{App, Msg, update};
use serde_json::json;

use crate::tui_support::{ID, fill, on_form, press, render, saved, screen_text, typ};

/// The built-in campaign as a newer hub publishes it: version 2, with a question of a type this
/// build does not know.
fn version_2() -> serde_json::Value {
    let c = Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let mut d = serde_json::to_value(&c).unwrap();
    d["version"] = json!(2);
    d["fields"].as_array_mut().unwrap().push(json!({
        "key": "pets", "th": "สัตว์เลี้ยง", "en": "Pets", "type": "pet_list"
    }));
    d
}

fn published(definition: serde_json::Value) -> Msg {
    Msg::Sync(SyncStatus {
        campaign: Some(CampaignStatus {
            campaign_id: DEFAULT_CAMPAIGN.into(),
            total_quota: 66_000,
            registered: 0,
            remaining: 66_000,
            groups: Vec::new(),
            definition,
            seal_key: None,
            store_epoch: 0,
            site_id: None,
        }),
        ..SyncStatus::default()
    })
}

fn message_line(a: &App) -> String {
    screen_text(&render(a, 100, 30))
}

#[test]
fn an_untouched_form_takes_the_hubs_newer_version_with_a_word() {
    let mut a = on_form(Lang::En);
    update(&mut a, published(version_2()));
    assert_eq!(a.campaign.version, 2);
    assert_eq!(
        a.campaign
            .shown_as_text()
            .map(|f| f.key.as_str())
            .collect::<Vec<_>>(),
        ["pets"]
    );
    let text = message_line(&a);
    assert!(
        text.contains("form version 2 from the hub (1 asked as text)"),
        "{text}"
    );
}

#[test]
fn a_half_typed_form_keeps_its_version_until_it_is_saved() {
    let mut a = on_form(Lang::En);
    press(&mut a, KeyCode::Tab);
    typ(&mut a, &ID[..5]);
    update(&mut a, published(version_2()));
    assert_eq!(a.campaign.version, 1, "switched under a half-typed form");
    // The clerk finishes and saves with version 1; the next form is version 2.
    let mut a = on_form(Lang::En);
    fill(&mut a);
    update(&mut a, published(version_2()));
    assert_eq!(a.campaign.version, 1);
    press(&mut a, KeyCode::F(9));
    assert_eq!(a.screen, Screen::Review, "{:?}", a.form.errors);
    let fx = press(&mut a, KeyCode::Enter);
    update(&mut a, saved(&fx, uuid::Uuid::now_v7(), "SK01-0001-7Q"));
    let mut tries = 0;
    while a.campaign.version == 1 && tries < 3 {
        press(&mut a, KeyCode::Enter);
        update(&mut a, published(version_2()));
        tries += 1;
    }
    assert_eq!(a.campaign.version, 2, "on {:?}", a.screen);
}

#[test]
fn a_version_this_build_cannot_read_is_said_once_and_the_form_goes_on() {
    let mut a = on_form(Lang::En);
    let mut d = version_2();
    d["fields"][0]["mask"] = json!("x-xxxx-xxxxx-xx-x");
    update(&mut a, published(d.clone()));
    assert_eq!(a.campaign.version, 1);
    let text = message_line(&a);
    assert!(
        text.contains("form version 2 from the hub needs a newer"),
        "{text}"
    );
    a.hint = None;
    update(&mut a, published(d));
    assert!(a.hint.is_none(), "said again");
    assert_eq!(a.screen, Screen::Form);
}

/// The sender keeps the campaign a real hub publishes when it is a later version, and a kiosk
/// starting after that with no hub starts with it; a kiosk that never reached one starts with
/// its shipped file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hubs_newer_form_is_kept_for_a_start_with_no_hub() {
    let hub_dir = tempfile::tempdir().unwrap();
    let k = tempfile::tempdir().unwrap();
    let token = crate::sync::kiosk_token(hub_dir.path(), "SK01");
    let v2: Campaign = serde_json::from_value(version_2()).unwrap();
    let hub = crate::hub::TestHub::start_at(hub_dir.path(), None, |o| o.campaign = v2).await;
    let c = crate::sync::config(k.path(), "SK01", &hub.url, &token);
    let start = |c: &ruamjai::kiosk::config::Config| {
        let queue = c.open_queue().unwrap();
        ruamjai::kiosk::cli::kiosk::newer_from_hub(c.campaign().unwrap(), &queue)
    };
    assert_eq!(
        start(&c).version,
        1,
        "nothing kept before the hub was reached"
    );
    let mut engine = ruamjai::kiosk::sync::engine_for(&c, "t").unwrap();
    engine
        .check_link(ruamjai::kiosk::queue::now_ms())
        .await
        .unwrap();
    assert!(engine.status.campaign.is_some());
    drop(engine);
    hub.stop().await;
    let started = start(&c);
    assert_eq!(started.version, 2);
    assert_eq!(started.shown_as_text().count(), 1);
}
