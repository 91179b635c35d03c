//! The doses left, as the hub last told the kiosk (`GET /v1/campaign`, fetched by the sender):
//! per group on the group choice, in total on the status line, and on the review when the person
//! at the counter will go to the waiting list. Words only; the figures come with the sync status.

use crate::form::FieldKey;

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
        fresh: app.sync.link == crate::sync::Link::Online,
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
        format!(
            " ({} {})",
            app.lang.pick("ข้อมูล", "as of"),
            crate::tui::ui::clock(d.at, app.view.utc_offset_secs)
        )
    }
}

/// Beside the group choice: "12 left", or that the group is full.
#[must_use]
pub fn group_note(app: &App) -> Option<String> {
    let d = left(app, Some(chosen_group(app)?))?;
    let l = app.lang;
    let said = if d.left == 0 {
        l.pick("เต็ม: รายชื่อสำรอง", "full: waiting list").to_owned()
    } else {
        format!("{} {}", l.pick("เหลือ", "left"), d.left)
    };
    Some(format!("{said}{}", age(app, d)))
}

/// On the status line: the campaign's doses left.
#[must_use]
pub fn status_part(app: &App) -> Option<String> {
    let d = left(app, None)?;
    Some(format!(
        "{} {}{}",
        app.lang.pick("โดสเหลือ", "doses left"),
        d.left,
        age(app, d)
    ))
}

/// On the review, before saving: this person will go to the waiting list.
#[must_use]
pub fn waitlist_warning(app: &App) -> Option<String> {
    let d = left(app, Some(chosen_group(app)?))?;
    (d.left == 0).then(|| {
        let said = app.lang.pick(
            "ตามข้อมูลจากศูนย์ โดสของกลุ่มนี้เต็มแล้ว: ผู้รับบริการรายนี้จะอยู่ในรายชื่อสำรอง แจ้งให้ทราบก่อนบันทึก",
            "By the hub's figures this group is full: this person will go on the waiting list; tell them before saving",
        );
        format!("{said}{}", age(app, d))
    })
}
