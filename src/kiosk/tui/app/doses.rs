//! The doses left, as the hub last told the kiosk (`GET /v1/campaign`, fetched by the sender):
//! per group on the group choice, in total on the status line, and on the review when the person
//! at the counter will go to the waiting list. The figures come with the sync status, the words
//! from `tui::words::doses`.

use crate::core::form::FieldKey;
use crate::kiosk::tui::words::doses;

use super::App;

/// The doses left for a group (or the campaign), and how old the figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Doses {
    pub left: u64,
    /// When the hub said so (Unix ms).
    pub at: i64,
    /// The link is up: the figure is as new as the sender's last check.
    pub fresh: bool,
}

/// Doses left for `group` (the campaign's total when `None`): the smaller of the group's and the
/// campaign's, as the hub counts them.
#[must_use]
pub fn left(app: &App, group: Option<u8>) -> Option<Doses> {
    let c = app.sync.campaign.as_ref()?;
    let at = app.sync.campaign_at?;
    let group_left = group.and_then(|g| c.groups.iter().find(|q| q.group == g)?.remaining);
    let left = group_left.map_or(c.remaining, |g| g.min(c.remaining));
    Some(Doses {
        left,
        at,
        fresh: app.sync.link == crate::kiosk::sync::Link::Online,
    })
}

/// The group chosen on the form, if any.
#[must_use]
pub fn chosen_group(app: &App) -> Option<u8> {
    app.form
        .slot(FieldKey::TargetGroup)?
        .widget
        .value()
        .parse()
        .ok()
}

/// "as of 10:42" when the figure is not fresh (offline, busy), else nothing.
fn age(app: &App, d: Doses) -> String {
    if d.fresh {
        String::new()
    } else {
        doses::as_of(
            &crate::kiosk::tui::ui::clock(d.at, app.view.utc_offset_secs),
            app.lang,
        )
    }
}

/// Beside the group choice: "12 left", or that the group is full.
#[must_use]
pub fn group_note(app: &App) -> Option<String> {
    let d = left(app, Some(chosen_group(app)?))?;
    let l = app.lang;
    let said = if d.left == 0 {
        doses::GROUP_FULL.say(l).to_owned()
    } else {
        doses::group_left(d.left, l)
    };
    Some(format!("{said}{}", age(app, d)))
}

/// On the status line: the campaign's doses left.
#[must_use]
pub fn status_part(app: &App) -> Option<String> {
    let d = left(app, None)?;
    Some(format!(
        "{}{}",
        doses::campaign_left(d.left, app.lang),
        age(app, d)
    ))
}

/// On the review, before saving: this person will go to the waiting list.
#[must_use]
pub fn waitlist_warning(app: &App) -> Option<String> {
    let d = left(app, Some(chosen_group(app)?))?;
    (d.left == 0).then(|| format!("{}{}", doses::WAITLIST_WARNING.say(app.lang), age(app, d)))
}
