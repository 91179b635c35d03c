//! `hub set-quota` changes what every reader shows, not only the decisions: `GET /v1/campaign`
//! (what kiosks show as doses left and their "will be waitlisted" warning), `hub stats`, the
//! dashboard's bars and the metrics' doses left read the quota in force from the store, on every
//! hub process of a PostgreSQL store.

use ruamjai::core::protocol::CampaignStatus;
use ruamjai::hub::intake::admin;

use crate::hub::{TestHub, batch, campaign, get_json, submission, submit};

/// A sample's value in a `/metrics` text.
fn sample(text: &str, name_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name_labels)?.trim().parse().ok())
}

async fn a_changed_quota_shows_everywhere() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    let kiosk = hub.kiosk("sk01");
    let admin_token = hub.admin();
    let people = (1..=4)
        .map(|n| submission(n, &format!("SK01-000{n}")))
        .collect();
    submit(&hub, &kiosk, &batch(people)).await;
    // Group 3 gets a quota of its own, the campaign 10 in all: the waiting person moves up.
    admin::set_quota(hub.database(), &campaign(), Some(3), 5, "test").unwrap();
    admin::set_quota(hub.database(), &campaign(), None, 10, "test").unwrap();

    // Every hub process reads the same store (on PostgreSQL, a second one on the same database).
    let second = match crate::hub::backend() {
        crate::hub::Backend::Postgres => Some(TestHub::start_at(hub.path(), None, |_| {}).await),
        crate::hub::Backend::Sqlite => None,
    };
    for url in std::iter::once(&hub.url).chain(second.as_ref().map(|h| &h.url)) {
        let c: CampaignStatus = get_json(&format!("{url}/v1/campaign"), &kiosk).await;
        assert_eq!(
            (c.total_quota, c.registered, c.remaining),
            (10, 4, 6),
            "{url}"
        );
        let g3 = c.groups.iter().find(|g| g.group == 3).unwrap();
        assert_eq!(
            (g3.quota, g3.remaining),
            (Some(5), Some(1)),
            "{url}: {g3:?}"
        );
    }

    let stats = ruamjai::hub::stats(hub.database()).unwrap();
    let g3 = stats.groups.iter().find(|g| g.group == 3).unwrap();
    assert_eq!(
        (g3.quota, g3.accepted, g3.waitlisted),
        (Some(5), 4, 0),
        "{g3:?}"
    );

    let metrics = crate::hub::client()
        .get(format!("{}/metrics", hub.url))
        .bearer_auth(&admin_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        sample(&metrics, r#"ruamjai_hub_doses_left{group="all"}"#),
        Some(6.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, r#"ruamjai_hub_doses_left{group="3"}"#),
        Some(1.0)
    );

    let html = super::dashboard_live_once(&hub.url, &admin_token, "3", " 5 4 0 0 1").await;
    let row = (
        super::dashboard_row(&html, "3"),
        super::dashboard_row(&html, "all"),
    );
    assert!(
        row.0.ends_with(" 5 4 0 0 1"),
        "quota, accepted, waiting, cancelled, left: {}",
        row.0
    );
    assert!(row.1.ends_with(" 10 4 0 0 6"), "the campaign: {}", row.1);
    if let Some(second) = second {
        second.stop().await;
    }
    hub.stop().await;
}

#[test]
fn a_changed_quota_shows_everywhere_on_sqlite() {
    crate::hub::on(
        crate::hub::Backend::Sqlite,
        a_changed_quota_shows_everywhere(),
    );
}

#[test]
fn a_changed_quota_shows_everywhere_on_postgres() {
    crate::hub::on(
        crate::hub::Backend::Postgres,
        a_changed_quota_shows_everywhere(),
    );
}
