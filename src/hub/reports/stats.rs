//! Counting what the hub decided: totals, per kiosk (with its last heartbeat), per target group
//! (with its quota, from the stored campaign definition), per day in Thailand time, and the
//! cancellations (per group, the latest with who and why; the dashboard reads them too). The same
//! numbers serve `GET /v1/stats` and `ruamjai hub stats` (which reads the store directly, so it
//! works with the server stopped). Also the group counts behind `GET /v1/campaign`.

use std::fmt::Write as _;

use crate::core::form::Campaign;
use crate::core::protocol::{
    CancellationSeen, CancellationStats, DayStats, GroupCancellations, GroupStats, HeartbeatSeen,
    HubStats, KioskStats, OutcomeCounts, iso_time,
};
use crate::hub::intake::counts::group_counts;
use crate::hub::store::db::{Db, DbError, Row};

/// The five counts over the submissions `s` of a query, as columns named as [`counts_of`] reads
/// them (portable SQL: no sums of booleans, and a BIGINT where PostgreSQL would sum into
/// NUMERIC).
pub(crate) const COUNTS: &str = "
    CAST(COALESCE(SUM(CASE WHEN s.status = 'accepted' AND s.superseded_by IS NULL
        THEN 1 ELSE 0 END), 0) AS BIGINT) AS accepted,
    CAST(COALESCE(SUM(CASE WHEN s.status = 'duplicate' THEN 1 ELSE 0 END), 0) AS BIGINT)
        AS duplicates,
    CAST(COALESCE(SUM(CASE WHEN s.status = 'waitlisted' AND s.superseded_by IS NULL
        THEN 1 ELSE 0 END), 0) AS BIGINT) AS waitlisted,
    CAST(COALESCE(SUM(CASE WHEN s.status = 'rejected' THEN 1 ELSE 0 END), 0) AS BIGINT)
        AS rejected,
    CAST(COALESCE(SUM(CASE WHEN s.superseded_by IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
        AS superseded";

/// The five counts of a row whose query selected [`COUNTS`].
pub(crate) fn counts_of(r: &Row) -> Result<OutcomeCounts, DbError> {
    Ok(OutcomeCounts {
        accepted: r.count("accepted")?,
        duplicates: r.count("duplicates")?,
        waitlisted: r.count("waitlisted")?,
        rejected: r.count("rejected")?,
        superseded: r.count("superseded")?,
    })
}

fn kiosks(db: &mut dyn Db) -> Result<Vec<KioskStats>, DbError> {
    let sql = format!(
        "SELECT k.name, k.point, k.is_admin,
                CASE WHEN k.revoked_at IS NULL THEN 0 ELSE 1 END AS revoked, {COUNTS},
                h.received_at, h.reported_id, h.pending, h.oldest_pending_age_secs, h.version
         FROM kiosks k
         LEFT JOIN submissions s ON s.kiosk_id = k.id
         LEFT JOIN heartbeats h ON h.kiosk_id = k.id
         GROUP BY k.id, h.kiosk_id ORDER BY k.name"
    );
    db.query(&sql, &[])?
        .iter()
        .map(|r| {
            let last_heartbeat = match r.opt_int("received_at")? {
                Some(received_at) => Some(HeartbeatSeen {
                    received_at,
                    reported_id: r.text("reported_id")?,
                    pending: r.count("pending")?,
                    oldest_pending_age_secs: r
                        .opt_int("oldest_pending_age_secs")?
                        .map(|v| v.max(0) as u64),
                    version: r.text("version")?,
                }),
                None => None,
            };
            Ok(KioskStats {
                name: r.text("name")?,
                registration_point: r.text("point")?,
                admin: r.flag("is_admin")?,
                revoked: r.flag("revoked")?,
                counts: counts_of(r)?,
                last_heartbeat,
            })
        })
        .collect()
}

fn groups(db: &mut dyn Db) -> Result<Vec<GroupStats>, DbError> {
    let campaigns = db
        .query("SELECT id, definition FROM campaigns ORDER BY id", &[])?
        .iter()
        .map(|r| Ok((r.text("id")?, r.text("definition")?)))
        .collect::<Result<Vec<_>, DbError>>()?;
    let mut out = Vec::new();
    for (id, definition) in campaigns {
        let counts = group_counts(db, &id)?;
        // The quotas in force: the definition's, or what `hub set-quota` set since.
        let mut numbers: Vec<(u8, Option<u64>)> =
            match serde_json::from_str::<Campaign>(&definition) {
                Ok(c) => {
                    let quotas = crate::hub::intake::counts::Quotas::read(db, &c)?;
                    c.groups
                        .iter()
                        .map(|g| (g.number, quotas.group_doses(g.number)))
                        .collect()
                }
                Err(_) => Vec::new(),
            };
        for n in counts.keys() {
            if !numbers.iter().any(|(g, _)| g == n) {
                numbers.push((*n, None));
            }
        }
        numbers.sort_unstable();
        for (group, quota) in numbers {
            let (accepted, waitlisted) = counts.get(&group).copied().unwrap_or_default();
            out.push(GroupStats {
                campaign_id: id.clone(),
                group,
                quota,
                accepted,
                waitlisted,
            });
        }
    }
    Ok(out)
}

/// How many of the latest cancellations `hub stats` and the dashboard show.
pub const LATEST_CANCELLATIONS: usize = 5;

/// The registrations cancelled after their answer (of `campaign_id` only, when given): how many
/// per group, and the `latest` newest with who cancelled them and why (from the append-only
/// `outcome_history`).
pub fn cancellations(
    db: &mut dyn Db,
    campaign_id: Option<&str>,
    latest: usize,
) -> Result<CancellationStats, DbError> {
    let (only, params) = match campaign_id {
        Some(id) => ("AND s.campaign_id = ?1", vec![id.into()]),
        None => ("", Vec::new()),
    };
    let groups = db
        .query(
            &format!(
                "SELECT s.campaign_id, s.target_group, COUNT(*) AS cancelled FROM submissions s
                 WHERE s.status = 'cancelled' {only}
                 GROUP BY s.campaign_id, s.target_group ORDER BY s.campaign_id, s.target_group"
            ),
            &params,
        )?
        .iter()
        .map(|r| {
            Ok(GroupCancellations {
                campaign_id: r.text("campaign_id")?,
                group: u8::try_from(r.int("target_group")?).unwrap_or(0),
                cancelled: r.count("cancelled")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let latest = db
        .query(
            &format!(
                "SELECT h.at, s.hub_seq, s.campaign_id, s.target_group, h.actor, h.reason
                 FROM outcome_history h JOIN submissions s ON s.submission_id = h.submission_id
                 WHERE h.status = 'cancelled' {only}
                 ORDER BY h.seq DESC LIMIT {latest}"
            ),
            &params,
        )?
        .iter()
        .map(|r| {
            Ok(CancellationSeen {
                at: r.int("at")?,
                hub_reference: crate::hub::intake::decide::seen::hub_reference(
                    r.opt_int("hub_seq")?.unwrap_or(0),
                ),
                campaign_id: r.text("campaign_id")?,
                group: u8::try_from(r.int("target_group")?).unwrap_or(0),
                by: r.text("actor")?,
                reason: r.text("reason")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(CancellationStats {
        total: groups.iter().map(|g| g.cancelled).sum(),
        groups,
        latest,
    })
}

/// Thailand is UTC+7 all year (no daylight saving).
pub const THAILAND_OFFSET_SECS: i64 = 7 * 3600;

/// Day number `n` since 1970-01-01 as `YYYY-MM-DD`.
fn day_name(n: i64) -> String {
    chrono::DateTime::from_timestamp(n.saturating_mul(86_400), 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Everything `hub stats` shows, counted now.
pub fn collect(db: &mut dyn Db, now_ms: i64) -> Result<HubStats, DbError> {
    let totals = counts_of(&db.query_one(&format!("SELECT {COUNTS} FROM submissions s"), &[])?)?;
    let conflicts = db
        .query_one(
            "SELECT COALESCE((SELECT value FROM counters WHERE name = 'conflicts'), 0)
                 AS conflicts",
            &[],
        )?
        .count("conflicts")?;
    let unpublished_versions = db
        .query_one(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM submissions
                 WHERE unpublished_version IS NOT NULL",
            &[],
        )?
        .count("n")?;
    // Days in Thailand time, numbered from 1970-01-01 (the same integer arithmetic in both
    // dialects), named in Rust.
    let days = db
        .query(
            &format!(
                "SELECT (s.received_at / 1000 + {THAILAND_OFFSET_SECS}) / 86400 AS day, {COUNTS}
                 FROM submissions s GROUP BY day ORDER BY day"
            ),
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(DayStats {
                day: day_name(r.int("day")?),
                counts: counts_of(r)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(HubStats {
        generated_at: now_ms,
        accepted: totals.accepted,
        duplicates: totals.duplicates,
        waitlisted: totals.waitlisted,
        rejected: totals.rejected,
        superseded: totals.superseded,
        conflicts,
        unpublished_versions,
        kiosks: kiosks(db)?,
        groups: groups(db)?,
        days,
        cancellations: cancellations(db, None, LATEST_CANCELLATIONS)?,
    })
}

fn line(c: &OutcomeCounts) -> String {
    format!(
        "accepted {}, duplicates {}, waitlisted {}, rejected {}, superseded {}",
        c.accepted, c.duplicates, c.waitlisted, c.rejected, c.superseded
    )
}

/// The stats as text for a terminal.
#[must_use]
///
/// Every text that came from a kiosk or an admin (names, points, heartbeat fields) passes the
/// display sanitiser: no escape sequence reaches the admin's terminal.
pub fn render(s: &HubStats) -> String {
    let clean = crate::core::thai::width::sanitize_for_display;
    let mut out = String::new();
    let _ = writeln!(out, "hub stats at {}", iso_time(s.generated_at));
    let totals = OutcomeCounts {
        accepted: s.accepted,
        duplicates: s.duplicates,
        waitlisted: s.waitlisted,
        rejected: s.rejected,
        superseded: s.superseded,
    };
    let _ = write!(out, "totals: {}; conflicts {}", line(&totals), s.conflicts);
    if s.unpublished_versions > 0 {
        let n = s.unpublished_versions;
        let _ = write!(out, "; of a form version never published here {n}");
    }
    out.push('\n');
    let _ = writeln!(out, "kiosks:");
    for k in &s.kiosks {
        let role = match (k.admin, k.revoked) {
            (_, true) => " (revoked)",
            (true, false) => " (admin)",
            (false, false) => "",
        };
        let _ = writeln!(
            out,
            "  {}{role} [{}]: {}",
            clean(&k.name),
            clean(&k.registration_point),
            line(&k.counts)
        );
        if let Some(h) = &k.last_heartbeat {
            let oldest = h
                .oldest_pending_age_secs
                .map_or(String::new(), |a| format!(", oldest {a} s"));
            let _ = writeln!(
                out,
                "    last heartbeat {}: {} pending{oldest}, version {}",
                iso_time(h.received_at),
                h.pending,
                clean(&h.version)
            );
        }
    }
    let _ = writeln!(out, "target groups:");
    for g in &s.groups {
        let quota = g.quota.map_or("-".to_owned(), |q| q.to_string());
        let _ = writeln!(
            out,
            "  {} group {}: accepted {} (quota {quota}), waitlisted {}",
            clean(&g.campaign_id),
            g.group,
            g.accepted,
            g.waitlisted
        );
    }
    let _ = writeln!(out, "days (Thailand time):");
    for d in &s.days {
        let _ = writeln!(out, "  {}: {}", d.day, line(&d.counts));
    }
    render_cancellations(&s.cancellations, &mut out);
    out
}

/// The cancellations' part of [`render`]: per group, then the latest with who and why.
fn render_cancellations(c: &CancellationStats, out: &mut String) {
    let clean = crate::core::thai::width::sanitize_for_display;
    let _ = writeln!(out, "cancelled: {}", c.total);
    for g in &c.groups {
        let _ = writeln!(
            out,
            "  {} group {}: cancelled {}",
            clean(&g.campaign_id),
            g.group,
            g.cancelled
        );
    }
    if !c.latest.is_empty() {
        let _ = writeln!(out, "latest cancellations:");
    }
    for x in &c.latest {
        let _ = writeln!(
            out,
            "  {} {} (group {}) by {}: {}",
            iso_time(x.at),
            x.hub_reference,
            x.group,
            clean(&x.by),
            clean(&x.reason)
        );
    }
}

/// The hub's counts, read from the store directly (the server may be stopped).
pub fn from_store(
    database: &crate::hub::store::Database,
) -> Result<HubStats, crate::hub::error::HubError> {
    crate::hub::store::off_runtime(|| {
        let mut db = database.connect_existing()?;
        collect(db.as_mut(), crate::hub::clock::now_ms()).map_err(|e| database.error(&e))
    })
}
