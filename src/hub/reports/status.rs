//! `ruamjai hub status [--json]`: the hub's check for IT staff, in the Nagios convention the
//! kiosk's `ruamjai status` follows: one line, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
//!
//! - CRITICAL: the store cannot be read, or at least `silent_share` of the active kiosks have
//!   not sent a heartbeat for `silent_minutes` (a kiosk never heard from counts as silent, and
//!   is named as never heard).
//! - WARNING: some kiosk is silent, or reported an unsent record older than `pending_minutes`.
//! - UNKNOWN: the store did not answer within `-t` seconds, or the check could not be set up.
//!
//! The performance data carries each figure's thresholds, as Nagios reads them
//! (`'silent'=1;1;5;0`: value; warn; crit; min).
//!
//! It reads the store directly (the server may be stopped), with the light queries of
//! `/metrics`: kiosks, heartbeats, group counts.

use std::fmt::Write as _;

use serde::Serialize;

use crate::hub::store::Database;

use crate::hub::store::db::{Db, DbError};

/// The thresholds of the check.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    pub silent_minutes: u64,
    pub silent_share: f64,
    pub pending_minutes: u64,
}

/// What the check found.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HubCheck {
    /// OK, WARNING, CRITICAL or UNKNOWN.
    pub verdict: &'static str,
    pub summary: String,
    pub kiosks: usize,
    pub silent: Vec<String>,
    /// The silent kiosks the hub has never heard from since they were added.
    pub never_heard: Vec<String>,
    pub old_pending: Vec<String>,
    pub accepted: u64,
    pub waitlisted: u64,
    /// How many silent kiosks make the check CRITICAL (the `silent_share` of the kiosks).
    pub silent_critical: usize,
}

impl HubCheck {
    /// The exit code of the verdict.
    #[must_use]
    pub fn code(&self) -> i32 {
        match self.verdict {
            "OK" => 0,
            "WARNING" => 1,
            "CRITICAL" => 2,
            _ => 3,
        }
    }

    /// The check that could not run: UNKNOWN, with why.
    #[must_use]
    pub fn unknown(why: String) -> HubCheck {
        HubCheck {
            verdict: "UNKNOWN",
            summary: why,
            kiosks: 0,
            silent: Vec::new(),
            never_heard: Vec::new(),
            old_pending: Vec::new(),
            accepted: 0,
            waitlisted: 0,
            silent_critical: 1,
        }
    }

    /// The one line, with performance data after `|` (value;warn;crit;min).
    #[must_use]
    pub fn line(&self) -> String {
        format!(
            "RUAMJAI HUB {} - {} | 'kiosks'={};;;0 'silent'={};1;{};0 'never_heard'={};;;0 'old_pending'={};1;;0 'accepted'={};;;0 'waitlisted'={};;;0",
            self.verdict,
            self.summary.replace('|', "/"),
            self.kiosks,
            self.silent.len(),
            self.silent_critical,
            self.never_heard.len(),
            self.old_pending.len(),
            self.accepted,
            self.waitlisted
        )
    }
}

/// [`check`] in a thread of its own, for at most `limit`: a store that takes the connection and
/// never answers makes the check UNKNOWN, not a hang.
#[must_use]
pub fn check_within(
    database: Database,
    t: Thresholds,
    now_ms: i64,
    limit: std::time::Duration,
) -> HubCheck {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(check(&database, t, now_ms));
    });
    rx.recv_timeout(limit).unwrap_or_else(|_| {
        HubCheck::unknown(format!(
            "the store did not answer within {} s (-t)",
            limit.as_secs()
        ))
    })
}

struct Kiosk {
    name: String,
    heard_at: Option<i64>,
    oldest_pending_secs: Option<i64>,
}

fn read(db: &mut dyn Db) -> Result<(Vec<Kiosk>, u64, u64), DbError> {
    let kiosks = db
        .query(
            "SELECT k.name, h.received_at, h.oldest_pending_age_secs
             FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id
             WHERE k.revoked_at IS NULL AND k.is_admin = 0 ORDER BY k.name",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(Kiosk {
                name: r.text("name")?,
                heard_at: r.opt_int("received_at")?,
                oldest_pending_secs: r.opt_int("oldest_pending_age_secs")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let totals = db.query_one(
        "SELECT CAST(COALESCE(SUM(accepted), 0) AS BIGINT) AS accepted,
                CAST(COALESCE(SUM(waitlisted), 0) AS BIGINT) AS waitlisted FROM group_counts",
        &[],
    )?;
    Ok((
        kiosks,
        totals.count("accepted")?,
        totals.count("waitlisted")?,
    ))
}

/// Runs the check on `database` at `now_ms`.
#[must_use]
pub fn check(database: &Database, t: Thresholds, now_ms: i64) -> HubCheck {
    let found = database
        .connect_existing()
        .and_then(|mut db| read(db.as_mut()).map_err(|e| database.error(&e)));
    let (kiosks, accepted, waitlisted) = match found {
        Ok(found) => found,
        Err(e) => {
            return HubCheck {
                verdict: "CRITICAL",
                ..HubCheck::unknown(format!("store unreadable: {e}"))
            };
        }
    };
    let silent_ms = i64::try_from(t.silent_minutes.saturating_mul(60_000)).unwrap_or(i64::MAX);
    let pending_secs = i64::try_from(t.pending_minutes.saturating_mul(60)).unwrap_or(i64::MAX);
    let silent: Vec<String> = kiosks
        .iter()
        .filter(|k| k.heard_at.is_none_or(|at| now_ms - at > silent_ms))
        .map(|k| k.name.clone())
        .collect();
    let old_pending: Vec<String> = kiosks
        .iter()
        .filter(|k| k.oldest_pending_secs.is_some_and(|s| s > pending_secs))
        .map(|k| k.name.clone())
        .collect();
    let never_heard: Vec<String> = kiosks
        .iter()
        .filter(|k| k.heard_at.is_none())
        .map(|k| k.name.clone())
        .collect();
    // CRITICAL from this many silent kiosks on (at least one).
    let silent_critical = ((kiosks.len() as f64 * t.silent_share).ceil() as usize).max(1);
    let verdict = if !kiosks.is_empty() && silent.len() >= silent_critical {
        "CRITICAL"
    } else if !silent.is_empty() || !old_pending.is_empty() {
        "WARNING"
    } else {
        "OK"
    };
    let mut summary = format!(
        "{} kiosks, {} silent for {} min, {accepted} accepted, {waitlisted} waitlisted",
        kiosks.len(),
        silent.len(),
        t.silent_minutes
    );
    let heard_silent: Vec<&String> = silent.iter().filter(|k| !never_heard.contains(k)).collect();
    if !heard_silent.is_empty() {
        let names: Vec<&str> = heard_silent.iter().map(|k| k.as_str()).collect();
        let _ = write!(summary, "; silent: {}", names.join(", "));
    }
    if !never_heard.is_empty() {
        let _ = write!(summary, "; never heard from: {}", never_heard.join(", "));
    }
    if !old_pending.is_empty() {
        let _ = write!(
            summary,
            "; unsent for over {} min: {}",
            t.pending_minutes,
            old_pending.join(", ")
        );
    }
    HubCheck {
        verdict,
        summary,
        kiosks: kiosks.len(),
        silent,
        never_heard,
        old_pending,
        accepted,
        waitlisted,
        silent_critical,
    }
}
