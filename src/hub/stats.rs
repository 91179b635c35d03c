//! Counting what the hub decided: totals, per kiosk (with its last heartbeat), per target group
//! (with its quota, from the stored campaign definition) and per day in Thailand time. The same
//! numbers serve `GET /v1/stats` and `ruamjai hub stats` (which reads the store directly, so it
//! works with the server stopped). Also the group counts behind `GET /v1/campaign`.

use std::collections::HashMap;
use std::fmt::Write as _;

use rusqlite::{Connection, Row};

use crate::form::Campaign;
use crate::protocol::{DayStats, GroupStats, HeartbeatSeen, HubStats, KioskStats, OutcomeCounts};

/// The five counts over the submissions `s` of a query, as columns.
const COUNTS: &str = "COALESCE(SUM(s.status = 'accepted' AND s.superseded_by IS NULL), 0),
    COALESCE(SUM(s.status = 'duplicate'), 0),
    COALESCE(SUM(s.status = 'waitlisted' AND s.superseded_by IS NULL), 0),
    COALESCE(SUM(s.status = 'rejected'), 0),
    COALESCE(SUM(s.superseded_by IS NOT NULL), 0)";

fn counts_at(r: &Row<'_>, first: usize) -> rusqlite::Result<OutcomeCounts> {
    let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(first + i)?.max(0) as u64) };
    Ok(OutcomeCounts {
        accepted: n(0)?,
        duplicates: n(1)?,
        waitlisted: n(2)?,
        rejected: n(3)?,
        superseded: n(4)?,
    })
}

/// Live (accepted, waitlisted) registrations per group of `campaign_id`.
pub fn group_counts(
    conn: &Connection,
    campaign_id: &str,
) -> rusqlite::Result<HashMap<u8, (u64, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT target_group, accepted, waitlisted FROM group_counts WHERE campaign_id = ?1",
    )?;
    let rows = stmt.query_map([campaign_id], |r| {
        let n = |i| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
        Ok((r.get::<_, u8>(0)?, (n(1)?, n(2)?)))
    })?;
    rows.collect()
}

fn kiosks(conn: &Connection) -> rusqlite::Result<Vec<KioskStats>> {
    let sql = format!(
        "SELECT k.name, k.point, k.is_admin, k.revoked_at IS NOT NULL, {COUNTS},
                h.received_at, h.reported_id, h.pending, h.oldest_pending_age_secs, h.version
         FROM kiosks k
         LEFT JOIN submissions s ON s.kiosk_id = k.id
         LEFT JOIN heartbeats h ON h.kiosk_id = k.id
         GROUP BY k.id ORDER BY k.name"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        let last_heartbeat = match r.get::<_, Option<i64>>(9)? {
            Some(received_at) => Some(HeartbeatSeen {
                received_at,
                reported_id: r.get(10)?,
                pending: r.get::<_, i64>(11)?.max(0) as u64,
                oldest_pending_age_secs: r.get::<_, Option<i64>>(12)?.map(|v| v.max(0) as u64),
                version: r.get(13)?,
            }),
            None => None,
        };
        Ok(KioskStats {
            name: r.get(0)?,
            registration_point: r.get(1)?,
            admin: r.get(2)?,
            revoked: r.get(3)?,
            counts: counts_at(r, 4)?,
            last_heartbeat,
        })
    })?;
    rows.collect()
}

fn groups(conn: &Connection) -> rusqlite::Result<Vec<GroupStats>> {
    let mut stmt = conn.prepare("SELECT id, definition FROM campaigns ORDER BY id")?;
    let campaigns = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, definition) in campaigns {
        let counts = group_counts(conn, &id)?;
        let mut numbers: Vec<(u8, Option<u64>)> = serde_json::from_str::<Campaign>(&definition)
            .map(|c| c.groups.iter().map(|g| (g.number, g.quota)).collect())
            .unwrap_or_default();
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

/// Everything `hub stats` shows, counted now.
pub fn collect(conn: &Connection, now_ms: i64) -> rusqlite::Result<HubStats> {
    let totals = conn.query_row(&format!("SELECT {COUNTS} FROM submissions s"), [], |r| {
        counts_at(r, 0)
    })?;
    let conflicts: i64 = conn.query_row(
        "SELECT COALESCE((SELECT value FROM counters WHERE name = 'conflicts'), 0)",
        [],
        |r| r.get(0),
    )?;
    // Days in Thailand time (UTC+7, no daylight saving).
    let mut stmt = conn.prepare(&format!(
        "SELECT date(s.received_at / 1000 + 25200, 'unixepoch') AS day, {COUNTS}
         FROM submissions s GROUP BY day ORDER BY day"
    ))?;
    let days = stmt
        .query_map([], |r| {
            Ok(DayStats {
                day: r.get(0)?,
                counts: counts_at(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(HubStats {
        generated_at: now_ms,
        accepted: totals.accepted,
        duplicates: totals.duplicates,
        waitlisted: totals.waitlisted,
        rejected: totals.rejected,
        superseded: totals.superseded,
        conflicts: conflicts.max(0) as u64,
        kiosks: kiosks(conn)?,
        groups: groups(conn)?,
        days,
    })
}

fn line(c: &OutcomeCounts) -> String {
    format!(
        "accepted {}, duplicates {}, waitlisted {}, rejected {}, superseded {}",
        c.accepted, c.duplicates, c.waitlisted, c.rejected, c.superseded
    )
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The stats as text for a terminal.
#[must_use]
///
/// Every text that came from a kiosk or an admin (names, points, heartbeat fields) passes the
/// display sanitiser: no escape sequence reaches the admin's terminal.
pub fn render(s: &HubStats) -> String {
    let clean = crate::thai::width::sanitize_for_display;
    let mut out = String::new();
    let _ = writeln!(out, "hub stats at {}", iso(s.generated_at));
    let totals = OutcomeCounts {
        accepted: s.accepted,
        duplicates: s.duplicates,
        waitlisted: s.waitlisted,
        rejected: s.rejected,
        superseded: s.superseded,
    };
    let _ = writeln!(out, "totals: {}; conflicts {}", line(&totals), s.conflicts);
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
                iso(h.received_at),
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
    out
}
