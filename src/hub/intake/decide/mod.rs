//! What the hub decides for one submission, and the rows that record it.
//!
//! `prepare` runs first, in the request handler (validation is CPU work and needs no lock);
//! [`decide`] runs inside the writer's single transaction, so the replay check, the duplicate check and the
//! quota count see every earlier decision, including those of the same commit. In order:
//!
//! 0. A reference the sending kiosk did not make (its prefix is not the one the kiosk makes from
//!    its name, nor a provisional prefix) → `rejected` under `kiosk_id`, not stored: the kiosk
//!    keeps the record and sends it again once its name agrees. A provisional prefix (a kiosk
//!    saving before it had a name) is bound to the first kiosk that sends it (`kiosk_prefixes`);
//!    from another kiosk it is rejected.
//! 1. A submission id seen before: same kiosk and same content → the stored outcome (but a
//!    stored rejection that this hub no longer makes is removed and decided again); otherwise
//!    `conflict` (not stored; the first outcome stays).
//! 2. A correction (`replaces: Some(old)`) of this kiosk's rejected `old` purges `old`'s copy of
//!    the registration; its reasons stay for replays. Then failed validation (or another
//!    campaign) → `rejected`: the row is kept with a bounded copy while the kiosk has fewer than
//!    `max_rejected_per_kiosk` rejected rows stored; beyond that only the answer is given (a
//!    rejection is decided again the same way on a replay) and `rejected_not_kept` counts it.
//! 3. `replaces: Some(old)` where `old` is this kiosk's live accepted or waitlisted submission →
//!    `old` is marked superseded: its person key and quota place are freed. Otherwise ignored.
//! 4. The reference already held by a live registration (one reference, one registration; the
//!    store's unique index holds it too) → `rejected` under `reference`, naming that
//!    registration (`reference`); a correction of the kiosk's own duplicate-answered record may
//!    carry its reference and supersedes it.
//! 5. The person key already registered for the campaign (by any kiosk) → `duplicate`, naming
//!    the first registration's kiosk reference, kiosk and registration point.
//! 6. Room under the total quota and the group's quota (as `hub set-quota` last set them) →
//!    `accepted`; else `waitlisted` at the next position in its target group (each group's
//!    waiting list counts on its own: "3rd waiting in group 2"). A place freed by a correction is not
//!    handed to the waiting list (the correction itself normally takes it back); a cancellation
//!    hands its place on (`waitlist`).
//!
//! An acceptance is given its appointment in the same transaction (`sites::allocate`: the
//! earliest seat at a site serving the person's address; none on a hub without sites), and the
//! answer carries it; a replay of one is answered with the appointment it has now.

mod names;
mod reference;
pub mod seen;
mod supersede;

use names::{not_this_kiosks, replayed};
pub use seen::{hub_reference, rejected_counter};
use supersede::supersede;

use crate::core::form::Campaign;
use crate::core::protocol::{ItemOutcome, Outcome};
use crate::hub::intake::counts::Counts;
use crate::hub::intake::known::{Found, Known, at};
use crate::hub::intake::prepare::Prepared;
use crate::hub::places::kiosks::Caller;
use crate::hub::sites::allocate::{Person, allocate, current};
use crate::hub::store::db::{Db, DbError, Param};
use crate::hub::store::submission::{self, SubmissionRow};

fn to_db(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// One submission row's insert, written as it is decided (where rows are not held).
static INSERT_SUBMISSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO submissions ({}) VALUES ({})",
        submission::list(submission::WRITTEN),
        submission::placeholders(submission::WRITTEN.len())
    )
});

struct Row<'a> {
    status: &'a str,
    outcome: &'a Outcome,
    hub_seq: Option<i64>,
    position: Option<i64>,
}

fn insert(
    db: &mut dyn Db,
    counts: &mut Counts,
    known: &mut Known,
    kiosk: &Caller,
    p: &Prepared,
    row: &Row<'_>,
    now: i64,
) -> Result<(), DbError> {
    let outcome = serde_json::to_string(row.outcome).map_err(|e| DbError::json(&e))?;
    let id = p.submission_id.to_string();
    // The order of data out (`export`): taken under the write lock, so it grows in commit order.
    let row_seq = counts.next(db, "row_seq")?;
    let registered = row.hub_seq.is_some();
    let columns = SubmissionRow {
        submission_id: id.clone(),
        kiosk_id: kiosk.id,
        content_hash: p.content_hash.to_vec(),
        reference: p.reference.clone(),
        operator: p.operator.clone(),
        campaign_id: p.campaign_id.clone(),
        person_key: p.person_key.clone(),
        target_group: p.target_group.into(),
        status: row.status.to_owned(),
        outcome: outcome.clone(),
        hub_seq: row.hub_seq,
        waitlist_position: row.position,
        replaces: p.replaces.map(|u| u.to_string()),
        registration: p.registration_json.clone(),
        created_at: p.created_at,
        received_at: now,
        row_seq,
        unpublished_version: p.unpublished_version.map(i64::from),
    }
    .values();
    // A registered person (a hub reference) is also the campaign's entry for that person.
    let person = registered.then(|| [p.campaign_id.clone(), p.person_key.clone(), id.clone()]);
    known.stored(p, kiosk, &outcome);
    if row.status != "rejected" {
        known.holding(p, kiosk, &id, row.status, row.hub_seq);
    }
    if registered {
        known.registered(p, kiosk);
    }
    if known.holds_rows() {
        known.hold(columns, person);
        return Ok(());
    }
    let params: Vec<Param<'_>> = columns
        .iter()
        .map(crate::hub::intake::known::param)
        .collect();
    db.execute(&INSERT_SUBMISSION, &params)?;
    if let Some([campaign, person, id]) = &person {
        db.execute(
            "INSERT INTO persons (campaign_id, person_key, submission_id) VALUES (?1, ?2, ?3)",
            &[campaign.into(), person.into(), id.into()],
        )?;
    }
    Ok(())
}

/// One statement for what a new submission needs to know: whether its id was stored before
/// (tag 0: kiosk, content hash, outcome), who registered its person first (tag 1: kiosk
/// reference, kiosk, registration point; a kiosk added without --point is named by its name,
/// so the answer always says where) and which live row holds its reference (tag 2,
/// [`reference::HOLDER`]). One round trip where PostgreSQL is across the network.
static LOOKUP: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{PARTS} UNION ALL {}", reference::HOLDER));

const PARTS: &str = "
    SELECT 0, kiosk_id, content_hash, outcome, NULL, NULL
    FROM submissions WHERE submission_id = ?1
    UNION ALL
    SELECT 1, NULL, NULL, s.reference, k.name,
           CASE WHEN k.point = '' THEN k.name ELSE k.point END
    FROM persons p
    JOIN submissions s ON s.submission_id = p.submission_id
    JOIN kiosks k ON k.id = s.kiosk_id
    WHERE p.campaign_id = ?2 AND p.person_key = ?3";

/// The rows of [`LOOKUP`] for `p`: its id stored before, its person's first registration, the
/// live row holding its reference.
fn lookup(db: &mut dyn Db, p: &Prepared) -> Result<Found, DbError> {
    let mut found = Found::default();
    for row in db.query(
        &LOOKUP,
        &[
            Param::Text(&p.submission_id.to_string()),
            (&p.campaign_id).into(),
            (&p.person_key).into(),
            (&p.reference).into(),
        ],
    )? {
        match row.int(at::TAG)? {
            0 => found.seen = Some(row),
            1 => found.first = Some(row),
            _ => found.holder = Some(row),
        }
    }
    Ok(found)
}

/// What bounds the decisions besides the campaign.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Rejected rows one kiosk may have stored.
    pub max_rejected_per_kiosk: u64,
}

/// The counter of the waiting-list positions of `campaign`'s target group `group`. (Hubs before
/// positions per group counted one `waitlist:{campaign}` for the whole campaign; the migration
/// `0005_waitlist_per_group` starts each group's counter above the positions already given.)
#[must_use]
pub fn waitlist_counter(campaign: &str, group: u8) -> String {
    format!("waitlist:{campaign}:{group}")
}

/// What every decision of one commit shares.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub campaign: &'a Campaign,
    pub bounds: Bounds,
    /// The commit's time, in Unix milliseconds.
    pub now: i64,
}

/// Decides one prepared submission inside the writer's transaction and records it; counters and
/// group counts change in `counts`, which the writer writes back before it commits. What its
/// batch's lookups found ahead is in `known`, which learns this decision.
pub fn decide(
    db: &mut dyn Db,
    counts: &mut Counts,
    known: &mut Known,
    scope: &Scope<'_>,
    kiosk: &Caller,
    p: &Prepared,
) -> Result<ItemOutcome, DbError> {
    let mut accepted_now = None;
    let outcome = decide_outcome(db, counts, known, scope, kiosk, p, &mut accepted_now)?;
    let id = p.submission_id.to_string();
    // An acceptance is given its appointment in the same transaction; a replay its stored one.
    let appointment = match (&outcome, accepted_now) {
        (Outcome::Accepted { .. }, Some(hub_seq)) => {
            let who = Person {
                submission_id: &id,
                hub_seq,
                amphoe: &p.amphoe,
                tambon: &p.tambon,
            };
            allocate(db, &who, scope.now)?
        }
        (Outcome::Accepted { .. }, None) => current(db, &id)?,
        _ => None,
    };
    Ok(ItemOutcome {
        submission_id: p.submission_id,
        outcome,
        appointment,
    })
}

/// Answers `p` with the rejection `outcome`, keeping its row while the kiosk has fewer than
/// `max_rejected_per_kiosk` rejected rows stored (else counted in `rejected_not_kept`).
fn reject(
    db: &mut dyn Db,
    counts: &mut Counts,
    known: &mut Known,
    scope: &Scope<'_>,
    kiosk: &Caller,
    p: &Prepared,
    outcome: Outcome,
) -> Result<Outcome, DbError> {
    let counter = rejected_counter(kiosk.id);
    if counts.get(db, &counter)? < to_db(scope.bounds.max_rejected_per_kiosk) {
        let row = Row {
            status: "rejected",
            outcome: &outcome,
            hub_seq: None,
            position: None,
        };
        insert(db, counts, known, kiosk, p, &row, scope.now)?;
        counts.add(db, &counter, 1)?;
    } else {
        counts.next(db, "rejected_not_kept")?;
    }
    Ok(outcome)
}

/// Decides `p`; `accepted_now` is set to its hub sequence number when it is accepted now.
fn decide_outcome(
    db: &mut dyn Db,
    counts: &mut Counts,
    known: &mut Known,
    scope: &Scope<'_>,
    kiosk: &Caller,
    p: &Prepared,
    accepted_now: &mut Option<i64>,
) -> Result<Outcome, DbError> {
    let (campaign, now) = (scope.campaign, scope.now);
    // Whatever must read or change stored rows sees those held for this batch first.
    let Found {
        seen,
        mut first,
        mut holder,
    } = match known.of(p) {
        Some(found) if p.replaces.is_none() => found,
        _ => {
            known.flush(db)?;
            lookup(db, p)?
        }
    };
    if let Some(found) = seen
        && let Some(answer) = replayed(db, counts, kiosk, p, &found)?
    {
        return Ok(answer);
    }
    if let Some(refused) = not_this_kiosks(db, kiosk, p, now)? {
        return Ok(refused);
    }
    let plain = |status, outcome| Row {
        status,
        outcome,
        hub_seq: None,
        position: None,
    };
    if let Some(old) = p.replaces {
        db.execute(
            "UPDATE submissions SET registration = '' WHERE submission_id = ?1 AND kiosk_id = ?2
                 AND status = 'rejected'",
            &[Param::Text(&old.to_string()), kiosk.id.into()],
        )?;
    }
    if let Some((field, reason)) = &p.rejection {
        let outcome = Outcome::Rejected {
            field: field.clone(),
            reason: reason.clone(),
        };
        return reject(db, counts, known, scope, kiosk, p, outcome);
    }
    if let Some(old) = p.replaces {
        supersede(db, counts, known, kiosk, old, p.submission_id)?;
        // The correction may have freed this very person and reference: look again.
        Found { first, holder, .. } = lookup(db, p)?;
    }
    if let Some(held) = &holder
        && let Some(outcome) = reference::taken(db, kiosk, p, held)?
    {
        return reject(db, counts, known, scope, kiosk, p, outcome);
    }
    if let Some(first) = first {
        let outcome = Outcome::Duplicate {
            first_reference: first.text(at::FIRST_REFERENCE)?,
            first_kiosk: first.text(at::FIRST_KIOSK)?,
            first_registration_point: first.text(at::FIRST_POINT)?,
        };
        insert(
            db,
            counts,
            known,
            kiosk,
            p,
            &plain("duplicate", &outcome),
            now,
        )?;
        return Ok(outcome);
    }
    let (total, in_group) = counts.accepted(db, &p.campaign_id, p.target_group)?;
    let quotas = counts.quotas(db, campaign)?;
    let room = total < quotas.total && quotas.group(p.target_group).is_none_or(|q| in_group < q);
    let seq = counts.next(db, "hub_seq")?;
    let hub_reference = hub_reference(seq);
    let (status, outcome, position) = if room {
        counts.bump(db, &p.campaign_id, p.target_group, 1, 0)?;
        *accepted_now = Some(seq);
        ("accepted", Outcome::Accepted { hub_reference }, None)
    } else {
        let position = counts.next(db, &waitlist_counter(&p.campaign_id, p.target_group))?;
        counts.bump(db, &p.campaign_id, p.target_group, 0, 1)?;
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
    insert(db, counts, known, kiosk, p, &row, now)?;
    Ok(outcome)
}
