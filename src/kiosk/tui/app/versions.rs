//! A newer version of the campaign's form, published by the hub (`GET /v1/campaign`, fetched
//! with the heartbeat): taken between registrations only, at a form nobody has typed in (never
//! under a half-typed one, a review or a correction), with a word on the message line. A
//! version this build cannot read says it needs an upgrade, once, and the kiosk keeps taking
//! registrations with the version it has. The versions taken over are kept
//! ([`App::earlier`]), so a record made with one reads with its own labels ([`App::campaign_of`]).

use super::form::Form;
use super::{App, Hint, Screen};
use crate::core::form::Campaign;

/// Takes the hub's campaign from the sender's status when it is a newer version of this one
/// and the form is untouched.
pub(super) fn from_hub(app: &mut App) {
    let Some(published) = &app.sync.campaign else {
        return;
    };
    let definition = &published.definition;
    let version = definition
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .map_or(1, |v| u32::try_from(v).unwrap_or(u32::MAX));
    let same_campaign = definition.get("id").and_then(|i| i.as_str()) == Some(&app.campaign.id);
    if !same_campaign || version <= app.campaign.version || app.hub_form == Some(version) {
        return;
    }
    let untouched = app.back.is_none()
        && app.confirm.is_none()
        && app.screen != Screen::Review
        && app.form.replaces.is_none()
        && !app.form.has_data();
    if !untouched {
        return;
    }
    match Campaign::from_hub(definition) {
        Ok(campaign) => {
            let as_text = campaign.shown_as_text().count();
            app.form = Form::new(&campaign);
            let earlier = std::mem::replace(&mut app.campaign, campaign);
            app.earlier.push(earlier);
            app.hint = Some(Hint::FormVersion { version, as_text });
        }
        Err(e) => {
            tracing::warn!("form version {version} from the hub not taken: {e}");
            app.hub_form = Some(version);
            app.hint = Some(Hint::NeedsUpgrade {
                version,
                kept: app.campaign.version,
            });
        }
    }
}

impl App {
    /// The campaign as it was at `version` when this kiosk has it (the one in force or one it
    /// took over), else the one in force.
    #[must_use]
    pub fn campaign_of(&self, version: u32) -> &Campaign {
        self.earlier
            .iter()
            .find(|c| c.version == version)
            .unwrap_or(&self.campaign)
    }
}
