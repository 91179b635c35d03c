//! What the hub decides for one submission, and the rows that record it.
//!
//! `prepare` runs first, in the request handler (validation is CPU work and needs no lock);
//! [`decide`] runs inside the writer's single transaction, so the replay check, the duplicate check and the
//! quota count see every earlier decision, including those of the same commit. In order:
//!
//! 1. A submission id seen before: same kiosk and same content → the stored outcome; otherwise
//!    `conflict` (not stored; the first outcome stays).
//! 2. A correction (`replaces: Some(old)`) of this kiosk's rejected `old` purges `old`'s copy of
//!    the registration; its reasons stay for replays. Then failed validation (or another
//!    campaign) → `rejected`: the row is kept with a bounded copy while the kiosk has fewer than
//!    `max_rejected_per_kiosk` rejected rows stored; beyond that only the answer is given (a
//!    rejection is decided again the same way on a replay) and `rejected_not_kept` counts it.
//! 3. `replaces: Some(old)` where `old` is this kiosk's live accepted or waitlisted submission →
//!    `old` is marked superseded: its person key and quota place are freed. Otherwise ignored.
//! 4. The person key already registered for the campaign (by any kiosk) → `duplicate`, naming
//!    the first registration's kiosk reference, kiosk and registration point.
//! 5. Room under the total quota and the group's quota → `accepted`; else `waitlisted` at the next
//!    position. A freed place is not handed to the waiting list automatically.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::counts::Counts;
use super::kiosks::Caller;
use super::prepare::Prepared;
use crate::form::Campaign;
use crate::protocol::{ItemOutcome, Outcome};

fn to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Records a conflicting replay (counted only).
fn count_conflict(conn: &Connection, counts: &mut Counts) -> rusqlite::Result<()> {
    counts.next(conn, "conflicts").map(|_| ())
}

struct Row<'a> {
    status: &'a str,
    outcome: &'a Outcome,
    hub_seq: Option<i64>,
    position: Option<i64>,
}

fn insert(
    conn: &Connection,
    kiosk: &Caller,
    p: &Prepared,
    row: &Row<'_>,
    now: i64,
) -> rusqlite::Result<()> {
    let outcome = serde_json::to_string(row.outcome)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO submissions (submission_id, kiosk_id, content_hash, reference, operator,
             campaign_id, person_key, target_group, status, outcome, hub_seq, waitlist_position,
             replaces, registration, created_at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        p.submission_id.to_string(),
        kiosk.id,
        p.content_hash.as_slice(),
        p.reference,
        p.operator,
        p.campaign_id,
        p.person_key,
        p.target_group,
        row.status,
        outcome,
        row.hub_seq,
        row.position,
        p.replaces.map(|u| u.to_string()),
        p.registration_json,
        p.created_at,
        now,
    ])
    .map(|_| ())
}

/// Marks this kiosk's live submission `old` superseded by `new`, freeing its person and place.
fn supersede(
    conn: &Connection,
    counts: &mut Counts,
    kiosk: &Caller,
    old: Uuid,
    new: Uuid,
) -> rusqlite::Result<()> {
    let found: Option<(String, Option<String>, String, String, u8)> = conn
        .prepare_cached(
            "SELECT status, superseded_by, campaign_id, person_key, target_group
             FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2",
        )?
        .query_row(params![old.to_string(), kiosk.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((status, None, campaign, person, group)) = found else {
        return Ok(());
    };
    let (accepted, waitlisted) = match status.as_str() {
        "accepted" => (-1, 0),
        "waitlisted" => (0, -1),
        _ => return Ok(()),
    };
    conn.prepare_cached("UPDATE submissions SET superseded_by = ?2 WHERE submission_id = ?1")?
        .execute(params![old.to_string(), new.to_string()])?;
    conn.prepare_cached(
        "DELETE FROM persons WHERE campaign_id = ?1 AND person_key = ?2 AND submission_id = ?3",
    )?
    .execute(params![campaign, person, old.to_string()])?;
    counts.bump(conn, &campaign, group, accepted, waitlisted)
}

fn stored(
    conn: &Connection,
    counts: &mut Counts,
    kiosk: &Caller,
    p: &Prepared,
) -> rusqlite::Result<Option<Outcome>> {
    let found: Option<(i64, Vec<u8>, String)> = conn
        .prepare_cached(
            "SELECT kiosk_id, content_hash, outcome FROM submissions WHERE submission_id = ?1",
        )?
        .query_row([p.submission_id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((kiosk_id, hash, outcome)) = found else {
        return Ok(None);
    };
    if kiosk_id == kiosk.id && super::kiosks::ct_eq(&hash, &p.content_hash) {
        let outcome = serde_json::from_str(&outcome).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
        })?;
        return Ok(Some(outcome));
    }
    count_conflict(conn, counts)?;
    let message = if kiosk_id == kiosk.id {
        "This submission id was sent before with different content; the first stays"
    } else {
        "This submission id was already used by another kiosk"
    };
    Ok(Some(Outcome::Conflict {
        message: message.to_owned(),
    }))
}

/// What bounds the decisions besides the campaign.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Rejected rows one kiosk may have stored.
    pub max_rejected_per_kiosk: u64,
}

/// The counter of kiosk `id`'s stored rejected rows.
pub fn rejected_counter(kiosk_id: i64) -> String {
    format!("rejected:{kiosk_id}")
}

/// Decides one prepared submission inside the writer's transaction and records it; counters and
/// group counts change in `counts`, which the writer writes back before it commits.
pub fn decide(
    conn: &Connection,
    counts: &mut Counts,
    campaign: &Campaign,
    bounds: Bounds,
    kiosk: &Caller,
    p: &Prepared,
    now: i64,
) -> rusqlite::Result<ItemOutcome> {
    let outcome = decide_outcome(conn, counts, campaign, bounds, kiosk, p, now)?;
    Ok(ItemOutcome {
        submission_id: p.submission_id,
        outcome,
    })
}

fn decide_outcome(
    conn: &Connection,
    counts: &mut Counts,
    campaign: &Campaign,
    bounds: Bounds,
    kiosk: &Caller,
    p: &Prepared,
    now: i64,
) -> rusqlite::Result<Outcome> {
    if let Some(outcome) = stored(conn, counts, kiosk, p)? {
        return Ok(outcome);
    }
    let plain = |status, outcome| Row {
        status,
        outcome,
        hub_seq: None,
        position: None,
    };
    if let Some(old) = p.replaces {
        conn.prepare_cached(
            "UPDATE submissions SET registration = '' WHERE submission_id = ?1 AND kiosk_id = ?2
                 AND status = 'rejected'",
        )?
        .execute(params![old.to_string(), kiosk.id])?;
    }
    if let Some((field, reason)) = &p.rejection {
        let outcome = Outcome::Rejected {
            field: field.clone(),
            reason: reason.clone(),
        };
        let counter = rejected_counter(kiosk.id);
        if counts.get(conn, &counter)? < to_db(bounds.max_rejected_per_kiosk) {
            insert(conn, kiosk, p, &plain("rejected", &outcome), now)?;
            counts.add(conn, &counter, 1)?;
        } else {
            counts.next(conn, "rejected_not_kept")?;
        }
        return Ok(outcome);
    }
    if let Some(old) = p.replaces {
        supersede(conn, counts, kiosk, old, p.submission_id)?;
    }
    let first: Option<(String, String, String)> = conn
        .prepare_cached(
            // A kiosk added without --point is named by its name: the answer always says where.
            "SELECT s.reference, k.name, CASE WHEN k.point = '' THEN k.name ELSE k.point END
             FROM persons p
             JOIN submissions s ON s.submission_id = p.submission_id
             JOIN kiosks k ON k.id = s.kiosk_id
             WHERE p.campaign_id = ?1 AND p.person_key = ?2",
        )?
        .query_row(params![p.campaign_id, p.person_key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((first_reference, first_kiosk, first_registration_point)) = first {
        let outcome = Outcome::Duplicate {
            first_reference,
            first_kiosk,
            first_registration_point,
        };
        insert(conn, kiosk, p, &plain("duplicate", &outcome), now)?;
        return Ok(outcome);
    }
    let (total, in_group) = counts.accepted(conn, &p.campaign_id, p.target_group)?;
    let group_quota = campaign.group(p.target_group).and_then(|g| g.quota);
    let room =
        total < to_db(campaign.total_quota) && group_quota.is_none_or(|q| in_group < to_db(q));
    let seq = counts.next(conn, "hub_seq")?;
    let hub_reference = format!("RJ-{seq:07}");
    let (status, outcome, position) = if room {
        counts.bump(conn, &p.campaign_id, p.target_group, 1, 0)?;
        ("accepted", Outcome::Accepted { hub_reference }, None)
    } else {
        let position = counts.next(conn, &format!("waitlist:{}", p.campaign_id))?;
        counts.bump(conn, &p.campaign_id, p.target_group, 0, 1)?;
        let outcome = Outcome::Waitlisted {
            hub_reference,
            position: u64::try_from(position).unwrap_or(0),
        };
        ("waitlisted", outcome, Some(position))
    };
    let row = Row {
        status,
        outcome: &outcome,
        hub_seq: Some(seq),
        position,
    };
    insert(conn, kiosk, p, &row, now)?;
    conn.prepare_cached(
        "INSERT INTO persons (campaign_id, person_key, submission_id) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        p.campaign_id,
        p.person_key,
        p.submission_id.to_string()
    ])?;
    Ok(outcome)
}
