//! The waiting list moves: cancelling a registration frees its place, raising a quota makes
//! room, and each free place goes to the first person waiting whose group has room, in order
//! of their waiting-list position, exactly once.
//!
//! Everything here runs inside a transaction that holds the store's write lock
//! ([`Db::begin_write`]): the writer's (a kiosk's cancellation) or an admin command's
//! (`hub cancel`, `hub set-quota`). So the places counted and the head of the list read are
//! what every hub process has committed, and two cancellations anywhere promote two different
//! people. Counters and group counts change in [`Counts`], written back before the commit.
//!
//! Which place frees what: a cancelled accepted record gives back one place in its group and in
//! the campaign; the next person accepted is the one who has waited longest (the lowest hub
//! sequence number, given in commit order) among those whose group is under its own quota (if
//! it has one) while the campaign is under its total. Where the group's quota is what binds,
//! that is the first person waiting in that group. Positions count per group (`decide`), so
//! they say nothing across groups: arrival does. Every change is written to the append-only
//! `outcome_history` (who, when, why, and the appointment it left: a cancellation gives its
//! seat back, a person moved up is given one, `sites::allocate`).

use super::counts::Counts;
use super::decide::seen::hub_reference;
pub use super::history::Why;
use super::history::record;
use crate::core::form::Campaign;
use crate::core::protocol::{Cancellation, ItemOutcome, Outcome};
use crate::hub::places::kiosks::Caller;
use crate::hub::sites::allocate;
use crate::hub::store::db::{Db, DbError, Param};
use crate::hub::store::submission::{self, Named};

/// A reason as stored and shown: no control characters, at most 200 characters.
#[must_use]
pub fn clean_reason(reason: &str) -> String {
    reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// One registration found to cancel.
#[derive(Clone, Debug)]
pub struct Target {
    pub submission_id: String,
    pub kiosk_id: i64,
    pub campaign_id: String,
    pub person_key: String,
    pub group: u8,
    pub status: String,
    pub hub_seq: Option<i64>,
    pub outcome: String,
    /// The kiosk's receipt reference.
    pub reference: String,
    /// The correction that replaced it: it holds no place any more.
    pub superseded_by: Option<String>,
}

/// What a cancellation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cancelled {
    /// Cancelled now; the hub references promoted from the waiting list into its place.
    Now { promoted: Vec<String> },
    /// It was cancelled before: nothing changed.
    Already,
    /// Its status (duplicate, rejected) holds no place: nothing to cancel.
    NothingToCancel(String),
    /// The person was vaccinated: the dose is given and stays counted, so the registration
    /// stays (its place is not handed to someone waiting, who would find no dose).
    Vaccinated,
}

/// The columns a [`Target`] is read from, by name.
const TARGET: &[&str] = &[
    "submission_id",
    "kiosk_id",
    "campaign_id",
    "person_key",
    "target_group",
    "status",
    "hub_seq",
    "outcome",
    "reference",
    "superseded_by",
];

static TARGET_COLUMNS: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| submission::list(TARGET));

fn target(row: &crate::hub::store::db::Row) -> Result<Target, DbError> {
    let row = Named::new(row, TARGET);
    Ok(Target {
        submission_id: row.text("submission_id")?,
        kiosk_id: row.int("kiosk_id")?,
        campaign_id: row.text("campaign_id")?,
        person_key: row.text("person_key")?,
        group: u8::try_from(row.int("target_group")?).unwrap_or(0),
        status: row.text("status")?,
        hub_seq: row.opt_int("hub_seq")?,
        outcome: row.text("outcome")?,
        reference: row.text("reference")?,
        superseded_by: row.opt_text("superseded_by")?,
    })
}

/// The rows a reference names, as a `WHERE` clause and its parameter: a hub reference
/// (`RJ-0000042`) by its sequence number, a kiosk's receipt reference as it is (rejected rows,
/// which were never registered, left out).
fn named(reference: &str) -> (&'static str, Param<'_>) {
    let reference = reference.trim();
    match reference
        .strip_prefix("RJ-")
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(seq) => ("hub_seq = ?1", Param::Int(seq)),
        None => (
            "reference = ?1 AND status <> 'rejected'",
            Param::Text(reference),
        ),
    }
}

/// The live registrations a reference names: a hub reference (`RJ-0000042`) or a kiosk's
/// receipt reference. Superseded rows are left out: a correction took their place
/// ([`replacement`] finds it).
pub fn find(db: &mut dyn Db, reference: &str) -> Result<Vec<Target>, DbError> {
    let (clause, param) = named(reference);
    db.query(
        &format!(
            "SELECT {} FROM submissions WHERE {clause} AND superseded_by IS NULL",
            *TARGET_COLUMNS
        ),
        &[param],
    )?
    .iter()
    .map(target)
    .collect()
}

/// The registration that stands now where `reference` names one a kiosk's correction
/// superseded (a correction of a correction followed to the last); `None` when it names none.
pub fn replacement(db: &mut dyn Db, reference: &str) -> Result<Option<Target>, DbError> {
    let (clause, param) = named(reference);
    let Some(first) = db.query_opt(
        &format!(
            "SELECT superseded_by FROM submissions WHERE {clause} AND superseded_by IS NOT NULL"
        ),
        &[param],
    )?
    else {
        return Ok(None);
    };
    let mut next = first.text("superseded_by")?;
    // Bounded: each correction is a row the same kiosk sent.
    for _ in 0..1000 {
        let Some(row) = db.query_opt(
            &format!(
                "SELECT {} FROM submissions WHERE submission_id = ?1",
                *TARGET_COLUMNS
            ),
            &[Param::Text(&next)],
        )?
        else {
            return Ok(None);
        };
        let t = target(&row)?;
        match &t.superseded_by {
            Some(later) => next.clone_from(later),
            None => return Ok(Some(t)),
        }
    }
    Ok(None)
}

/// Kiosk `kiosk_id`'s submission `id`, if it sent it (superseded or not: [`cancel`] knows a
/// superseded one holds no place).
pub fn find_own(db: &mut dyn Db, kiosk_id: i64, id: &str) -> Result<Option<Target>, DbError> {
    db.query_opt(
        &format!(
            "SELECT {} FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2",
            *TARGET_COLUMNS
        ),
        &[Param::Text(id), Param::Int(kiosk_id)],
    )?
    .as_ref()
    .map(target)
    .transpose()
}

/// Cancels `t` (found by [`find`] or [`find_own`]) and hands its place on. A row a correction
/// superseded holds no place (its status still says what it was): nothing to cancel.
pub fn cancel(
    db: &mut dyn Db,
    counts: &mut Counts,
    campaign: &Campaign,
    t: &Target,
    why: &Why,
) -> Result<Cancelled, DbError> {
    if t.superseded_by.is_some() {
        return Ok(Cancelled::NothingToCancel("superseded".into()));
    }
    if allocate::current(db, &t.submission_id)?
        .is_some_and(|a| a.state == crate::core::protocol::appointment_state::VACCINATED)
    {
        return Ok(Cancelled::Vaccinated);
    }
    let (accepted, waitlisted) = match t.status.as_str() {
        "accepted" => (-1, 0),
        "waitlisted" => (0, -1),
        "cancelled" => return Ok(Cancelled::Already),
        other => return Ok(Cancelled::NothingToCancel(other.to_owned())),
    };
    let outcome = Outcome::Cancelled {
        hub_reference: hub_reference(t.hub_seq.unwrap_or(0)),
        reason: why.reason.clone(),
    };
    allocate::release(
        db,
        &t.submission_id,
        crate::core::protocol::appointment_state::CANCELLED,
    )?;
    record(db, counts, &t.submission_id, t.kiosk_id, &outcome, why)?;
    db.execute(
        "DELETE FROM persons WHERE campaign_id = ?1 AND person_key = ?2 AND submission_id = ?3",
        &[
            (&t.campaign_id).into(),
            (&t.person_key).into(),
            (&t.submission_id).into(),
        ],
    )?;
    counts.bump(db, &t.campaign_id, t.group, accepted, waitlisted)?;
    let promoted = promote(
        db,
        counts,
        campaign,
        &Why {
            actor: "hub".into(),
            reason: format!(
                "a place was freed: {} cancelled",
                outcome_reference(&outcome)
            ),
            now: why.now,
        },
    )?;
    Ok(Cancelled::Now { promoted })
}

fn outcome_reference(o: &Outcome) -> &str {
    o.server_reference().unwrap_or("?")
}

/// Accepts the people who have waited longest while their group and the campaign have room;
/// their hub references, in the order accepted.
pub fn promote(
    db: &mut dyn Db,
    counts: &mut Counts,
    campaign: &Campaign,
    why: &Why,
) -> Result<Vec<String>, DbError> {
    let mut promoted = Vec::new();
    loop {
        let quotas = counts.quotas(db, campaign)?;
        let (total, _) = counts.accepted(db, &campaign.id, 0)?;
        if total >= quotas.total {
            break;
        }
        // The head of each group's list: who arrived first (hub_seq), not the lowest position.
        let heads = db.query(
            "SELECT target_group, MIN(hub_seq) AS head FROM submissions
             WHERE campaign_id = ?1 AND status = 'waitlisted' AND superseded_by IS NULL
             GROUP BY target_group",
            &[(&campaign.id).into()],
        )?;
        let mut best: Option<(i64, u8)> = None;
        for h in &heads {
            let group = u8::try_from(h.int("target_group")?).unwrap_or(0);
            let arrived = h.int("head")?;
            let (_, in_group) = counts.accepted(db, &campaign.id, group)?;
            let room = quotas.group(group).is_none_or(|q| in_group < q);
            if room && best.is_none_or(|(a, _)| arrived < a) {
                best = Some((arrived, group));
            }
        }
        let Some((arrived, group)) = best else {
            break;
        };
        let Some(row) = db.query_opt(
            &format!(
                "SELECT {} FROM submissions WHERE hub_seq = ?1",
                *TARGET_COLUMNS
            ),
            &[arrived.into()],
        )?
        else {
            break;
        };
        let t = target(&row)?;
        let reference = hub_reference(t.hub_seq.unwrap_or(0));
        let outcome = Outcome::Accepted {
            hub_reference: reference.clone(),
        };
        // The appointment first, so the history row carries it.
        allocate::allocate_stored(db, &t.submission_id, arrived, why.now)?;
        record(db, counts, &t.submission_id, t.kiosk_id, &outcome, why)?;
        counts.bump(db, &campaign.id, group, 1, -1)?;
        promoted.push(reference);
    }
    Ok(promoted)
}

/// Sets a quota (`group: None` is the campaign's total) and promotes whoever now has room; the
/// hub references promoted. A lower quota takes no place back: it only stops new acceptances.
pub fn set_quota(
    db: &mut dyn Db,
    counts: &mut Counts,
    campaign: &Campaign,
    group: Option<u8>,
    quota: u64,
    why: &Why,
) -> Result<Vec<String>, DbError> {
    db.execute(
        "INSERT INTO quotas (campaign_id, target_group, quota, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (campaign_id, target_group) DO UPDATE SET quota = excluded.quota,
             updated_at = excluded.updated_at",
        &[
            (&campaign.id).into(),
            group.map_or(-1, i64::from).into(),
            i64::try_from(quota).unwrap_or(i64::MAX).into(),
            why.now.into(),
        ],
    )?;
    counts.forget_quotas(&campaign.id);
    promote(db, counts, campaign, why)
}

/// A kiosk's cancellation of its own submission `c`, inside the writer's transaction: the
/// submission's outcome after it (`cancelled`, also when it was cancelled before; what it was
/// when there was nothing to cancel), or a conflict for an id this kiosk never sent.
pub fn cancel_for_kiosk(
    db: &mut dyn Db,
    counts: &mut Counts,
    campaign: &Campaign,
    caller: &Caller,
    c: &Cancellation,
    now: i64,
) -> Result<ItemOutcome, DbError> {
    let id = c.submission_id.to_string();
    let Some(t) = find_own(db, caller.id, &id)? else {
        let message = "This kiosk sent no submission with that id".into();
        return Ok(ItemOutcome::new(
            c.submission_id,
            Outcome::Conflict { message },
        ));
    };
    let why = Why {
        actor: format!("kiosk:{}", caller.name),
        reason: clean_reason(&c.reason),
        now,
    };
    cancel(db, counts, campaign, &t, &why)?;
    let stored = db.query_one(
        "SELECT outcome FROM submissions WHERE submission_id = ?1",
        &[Param::Text(&id)],
    )?;
    let outcome = serde_json::from_str(&stored.text("outcome")?).map_err(|e| DbError::json(&e))?;
    Ok(ItemOutcome {
        submission_id: c.submission_id,
        outcome,
        appointment: allocate::current(db, &id)?,
    })
}
