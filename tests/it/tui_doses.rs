//! The doses left, as the hub last said (issue: fetched and never shown): beside the group
//! choice, on the status line with its age when offline, and on the review when the person at the
//! counter will go to the waiting list. The real state machine and drawing on a test terminal.

use ruamjai::core::protocol::{CampaignStatus, GroupQuota};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::sync::{Link, SyncStatus};
use ruamjai::kiosk::tui::app::{Msg, update};

use crate::tui_support::{fill, on_form, render, screen_text};

/// What the hub said: group 3 has `left_in_3` doses left of 10, the campaign 500.
fn told(link: Link, left_in_3: u64, at: i64) -> SyncStatus {
    SyncStatus {
        link,
        campaign: Some(CampaignStatus {
            campaign_id: "samut-sakhon-2564-r1".into(),
            total_quota: 66_000,
            registered: 65_500,
            remaining: 500,
            groups: vec![GroupQuota {
                group: 3,
                quota: Some(10),
                registered: 10 - left_in_3,
                remaining: Some(left_in_3),
            }],
            definition: serde_json::Value::Null,
            seal_key: None,
            store_epoch: 0,
            site_id: None,
        }),
        campaign_at: Some(at),
        ..SyncStatus::default()
    }
}

#[test]
fn doses_left_show_beside_the_group_and_on_the_status_line() {
    let mut app = on_form(Lang::Th);
    fill(&mut app);
    let _ = update(&mut app, Msg::Sync(told(Link::Online, 4, 0)));
    let shown = screen_text(&render(&app, 120, 40));
    assert!(shown.contains("เหลือ 4"), "{shown}");
    assert!(shown.contains("โดสเหลือ 500"), "{shown}");
    assert!(
        !shown.contains("(ข้อมูล"),
        "a fresh figure has no age: {shown}"
    );
    // Offline: the same figures, with the time the hub said them.
    let at = 3 * 3_600_000 + 25 * 60_000; // 03:25 UTC
    app.view.utc_offset_secs = 7 * 3600;
    let _ = update(
        &mut app,
        Msg::Sync(told(
            Link::Offline {
                error: "x".into(),
                retry_at: 0,
            },
            4,
            at,
        )),
    );
    let shown = screen_text(&render(&app, 120, 40));
    assert!(shown.contains("เหลือ 4 (ข้อมูล 10:25)"), "{shown}");
}

#[test]
fn the_review_says_when_this_person_will_go_to_the_waiting_list() {
    let mut app = on_form(Lang::En);
    fill(&mut app);
    let _ = update(&mut app, Msg::Sync(told(Link::Online, 0, 0)));
    let shown = screen_text(&render(&app, 120, 40));
    assert!(shown.contains("full: waiting list"), "{shown}");
    crate::tui_support::press(&mut app, crossterm::event::KeyCode::F(9));
    let review = screen_text(&render(&app, 120, 40));
    assert!(
        review.contains("this person will go on the waiting list"),
        "{review}"
    );
    // With doses left there is no such warning.
    let _ = update(&mut app, Msg::Sync(told(Link::Online, 2, 0)));
    let review = screen_text(&render(&app, 120, 40));
    assert!(!review.contains("waiting list"), "{review}");
}
