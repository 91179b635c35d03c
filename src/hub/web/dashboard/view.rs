//! From a [`Snapshot`] to what the page shows: totals as tiles, each target group's bar, the
//! registration points and kiosks sorted worst first (silent, then holding old records, then by
//! what they hold), the hourly chart and the hub's own state. Every text is plain here; the
//! templates escape it.

use super::chart::{self, Chart};
use super::snapshot::{Kiosk, Seen, day_start_ms};
use super::text::Text;
use crate::core::form::Campaign;

/// The thresholds that mark a kiosk.
#[derive(Clone, Copy, Debug)]
pub struct Marks {
    pub silent_minutes: u64,
    pub pending_minutes: u64,
}

/// The hub's own state at the moment of the page.
#[derive(Debug)]
pub struct HubState {
    pub shed_last_minute: u64,
    pub limited_last_minute: u64,
    pub in_flight: usize,
    pub writer_queue: usize,
    pub backend: &'static str,
}

#[derive(Debug)]
pub struct Tile {
    pub label: &'static str,
    pub value: u64,
    pub class: &'static str,
}

#[derive(Debug)]
pub struct GroupRow {
    /// The group's number, or `all` for the whole campaign.
    pub key: String,
    pub name: String,
    pub quota: Option<u64>,
    pub accepted: u64,
    pub waiting: u64,
    /// Registrations of the group cancelled after their answer.
    pub cancelled: u64,
    pub left: Option<u64>,
    /// The bar: accepted as a share of the quota (or of the largest group), 0–100.
    pub pct: u64,
    pub full: bool,
}

#[derive(Debug)]
pub struct PointRow {
    pub name: String,
    pub kiosks: usize,
    pub silent: usize,
    pub old: usize,
    pub today: u64,
}

#[derive(Debug)]
pub struct KioskRow {
    pub point: String,
    pub name: String,
    pub today: u64,
    pub heard: String,
    pub pending: u64,
    pub oldest: String,
    pub version: String,
    /// `silent`, `old` or `ok`: the row's class and its words.
    pub state: &'static str,
    pub state_label: &'static str,
}

/// One of the latest cancellations: when, which, who, why.
#[derive(Debug)]
pub struct CancelRow {
    pub at: String,
    pub reference: String,
    pub group: String,
    pub by: String,
    pub reason: String,
}

/// The live part of the page.
#[derive(Debug)]
pub struct Live {
    pub updated: String,
    pub store_ok: bool,
    pub tiles: Vec<Tile>,
    pub groups: Vec<GroupRow>,
    pub points: Vec<PointRow>,
    pub kiosks: Vec<KioskRow>,
    /// The latest cancellations, newest first.
    pub cancellations: Vec<CancelRow>,
    /// The vaccination sites per day, and the people given the default site.
    pub sites: Vec<super::sites::SiteRow>,
    pub by_default: u64,
    /// How many chose each answer of the form's choice questions.
    pub choices: Vec<super::choices::QuestionRows>,
    pub silent: usize,
    pub old: usize,
    pub marks: Marks,
    pub chart: Chart,
    pub hub: HubState,
}

fn clock(ms: i64) -> String {
    let local = ms / 1000 + 7 * 3600;
    let s = local.rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn minutes(secs: u64, t: &Text) -> String {
    format!("{} {}", secs / 60, t.minutes_ago)
}

/// 2 silent, 1 old pending, 0 fine; then how bad within its kind.
fn severity(k: &Kiosk, now_ms: i64, m: Marks) -> (u8, i64) {
    let silent_ms = m.silent_minutes.saturating_mul(60_000) as i64;
    match k.heard_at {
        None => return (2, i64::MAX),
        Some(at) if now_ms - at > silent_ms => return (2, now_ms - at),
        _ => {}
    }
    let oldest = k.oldest_pending_secs.unwrap_or(0);
    if oldest > m.pending_minutes.saturating_mul(60) {
        (1, oldest as i64)
    } else {
        (0, k.pending as i64)
    }
}

fn kiosk_rows(kiosks: &[Kiosk], now_ms: i64, m: Marks, t: &'static Text) -> Vec<KioskRow> {
    let mut ranked: Vec<_> = kiosks.iter().map(|k| (severity(k, now_ms, m), k)).collect();
    ranked.sort_by(|(a, ka), (b, kb)| b.cmp(a).then_with(|| ka.name.cmp(&kb.name)));
    ranked
        .into_iter()
        .map(|((level, _), k)| {
            let (state, state_label) = match level {
                2 => ("silent", t.silent),
                1 => ("old", t.old_pending),
                _ => ("ok", t.fine),
            };
            KioskRow {
                point: k.point.clone(),
                name: k.name.clone(),
                today: k.today,
                heard: k.heard_at.map_or_else(
                    || t.never.to_owned(),
                    |at| {
                        format!(
                            "{} ({})",
                            clock(at),
                            minutes(((now_ms - at).max(0) / 1000) as u64, t)
                        )
                    },
                ),
                pending: k.pending,
                oldest: k
                    .oldest_pending_secs
                    .map_or_else(|| "–".to_owned(), |s| format!("{} {}", s / 60, t.minutes)),
                version: k.version.clone().unwrap_or_else(|| "–".to_owned()),
                state,
                state_label,
            }
        })
        .collect()
}

fn point_rows(rows: &[KioskRow]) -> Vec<PointRow> {
    let mut points: Vec<PointRow> = Vec::new();
    for r in rows {
        let i = points
            .iter()
            .position(|p| p.name == r.point)
            .unwrap_or_else(|| {
                points.push(PointRow {
                    name: r.point.clone(),
                    kiosks: 0,
                    silent: 0,
                    old: 0,
                    today: 0,
                });
                points.len() - 1
            });
        let p = &mut points[i];
        p.kiosks += 1;
        p.silent += usize::from(r.state == "silent");
        p.old += usize::from(r.state == "old");
        p.today += r.today;
    }
    points.sort_by(|a, b| {
        (b.silent, b.old)
            .cmp(&(a.silent, a.old))
            .then_with(|| a.name.cmp(&b.name))
    });
    points
}

fn group_rows(seen: &Seen, campaign: &Campaign, t: &Text) -> Vec<GroupRow> {
    let counts = &seen.snapshot.groups;
    let quotas = &seen.snapshot.quotas;
    let largest = counts.values().map(|(a, _)| *a).max().unwrap_or(0).max(1);
    let cancelled = |group: Option<u8>| {
        seen.snapshot
            .cancellations
            .groups
            .iter()
            .filter(|g| group.is_none_or(|n| g.group == n))
            .map(|g| g.cancelled)
            .sum::<u64>()
    };
    let row = |key: String, name: String, quota: Option<u64>, accepted: u64, waiting: u64| {
        let pct = match quota {
            Some(0) => 100,
            Some(q) => (accepted.saturating_mul(100) / q).min(100),
            None => (accepted.saturating_mul(100) / largest).min(100),
        };
        GroupRow {
            cancelled: key
                .parse()
                .map_or_else(|_| cancelled(None), |n| cancelled(Some(n))),
            key,
            name,
            quota,
            accepted,
            waiting,
            left: quota.map(|q| q.saturating_sub(accepted)),
            pct,
            full: quota.is_some_and(|q| accepted >= q),
        }
    };
    let mut rows: Vec<GroupRow> = campaign
        .groups
        .iter()
        .map(|g| {
            let (a, w) = counts.get(&g.number).copied().unwrap_or_default();
            let label = if t.lang == "th" { &g.th } else { &g.en };
            let quota = quotas.group(g.number).map(|q| q.max(0) as u64);
            let name = format!("{} {}: {label}", t.group, g.number);
            row(g.number.to_string(), name, quota, a, w)
        })
        .collect();
    let (a, w) = counts
        .values()
        .fold((0, 0), |(a, w), (x, y)| (a + x, w + y));
    // Before the first read there are no quotas read: the definition's total, then.
    let total = if seen.snapshot.at_ms == 0 {
        campaign.total_quota
    } else {
        quotas.total.max(0) as u64
    };
    rows.push(row(
        "all".into(),
        t.whole_campaign.to_owned(),
        Some(total),
        a,
        w,
    ));
    rows
}

/// Who cancelled, in words: a kiosk by its name, an admin by theirs.
fn who(actor: &str, t: &Text) -> String {
    match actor.split_once(':') {
        Some(("kiosk", name)) => format!("{} {name}", t.kiosk),
        Some(("admin", name)) => format!("{} {name}", t.admin),
        _ => actor.to_owned(),
    }
}

fn cancel_rows(seen: &Seen, campaign: &Campaign, t: &Text) -> Vec<CancelRow> {
    seen.snapshot
        .cancellations
        .latest
        .iter()
        .map(|c| {
            let label = campaign
                .groups
                .iter()
                .find(|g| g.number == c.group)
                .map_or("", |g| if t.lang == "th" { &g.th } else { &g.en });
            CancelRow {
                at: clock(c.at),
                reference: c.hub_reference.clone(),
                group: format!("{} {}: {label}", t.group, c.group),
                by: who(&c.by, t),
                reason: c.reason.clone(),
            }
        })
        .collect()
}

/// The live part for `seen`, in the words of `t`, at `now_ms`.
#[must_use]
pub fn live(
    seen: &Seen,
    campaign: &Campaign,
    marks: Marks,
    hub: HubState,
    now_ms: i64,
    t: &'static Text,
) -> Live {
    let s = &seen.snapshot;
    let kiosks = kiosk_rows(&s.kiosks, now_ms, marks, t);
    let tile = |label, value, class| Tile {
        label,
        value,
        class,
    };
    let totals = &s.totals;
    let now_hour = ((now_ms - day_start_ms(now_ms)) / 3_600_000).clamp(0, 23) as usize;
    Live {
        updated: clock(s.at_ms),
        store_ok: seen.store_ok,
        tiles: vec![
            tile(t.accepted, totals.accepted, "accepted"),
            tile(t.waitlisted, totals.waitlisted, "waitlisted"),
            tile(t.duplicates, totals.duplicates, "duplicates"),
            tile(t.rejected, totals.rejected, "rejected"),
            tile(t.superseded, totals.superseded, "superseded"),
            tile(t.cancelled, s.cancellations.total, "cancelled"),
            tile(t.conflicts, s.conflicts, "conflicts"),
        ],
        groups: group_rows(seen, campaign, t),
        cancellations: cancel_rows(seen, campaign, t),
        sites: super::sites::rows(&s.sites, t.lang),
        by_default: s.sites.by_default,
        choices: super::choices::rows(&s.choices, campaign, t.lang),
        points: point_rows(&kiosks),
        silent: kiosks.iter().filter(|k| k.state == "silent").count(),
        old: kiosks.iter().filter(|k| k.state == "old").count(),
        kiosks,
        marks,
        chart: chart::draw(&s.hours, now_hour),
        hub,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kiosk(name: &str, heard_min_ago: Option<i64>, oldest_min: Option<u64>) -> Kiosk {
        Kiosk {
            name: name.into(),
            point: format!("P-{}", &name[..1]),
            heard_at: heard_min_ago.map(|m| 100_000_000 - m * 60_000),
            oldest_pending_secs: oldest_min.map(|m| m * 60),
            ..Kiosk::default()
        }
    }

    #[test]
    fn silent_kiosks_come_first_then_old_pending_then_the_rest() {
        let marks = Marks {
            silent_minutes: 15,
            pending_minutes: 30,
        };
        let ks = [
            kiosk("A-fine", Some(1), None),
            kiosk("B-old", Some(2), Some(45)),
            kiosk("C-silent20", Some(20), None),
            kiosk("D-never", None, None),
            kiosk("E-older", Some(1), Some(90)),
        ];
        let rows = kiosk_rows(&ks, 100_000_000, marks, &super::super::text::EN);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["D-never", "C-silent20", "E-older", "B-old", "A-fine"]
        );
        assert_eq!(rows[0].heard, "never");
        assert_eq!(rows[1].state_label, "Silent");
        assert_eq!(rows[2].state, "old");
        let points = point_rows(&rows);
        assert_eq!(points[0].name, "P-C");
        assert_eq!(points.iter().map(|p| p.kiosks).sum::<usize>(), 5);
    }
}
