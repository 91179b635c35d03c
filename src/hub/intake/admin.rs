//! The admin commands that change outcomes outside a server: `hub cancel` and `hub set-quota`.
//!
//! Each runs in one transaction opened with [`Db::begin_write`](crate::hub::store::db::Db::begin_write),
//! which takes the same store-wide write lock as every hub process's writer (BEGIN IMMEDIATE on
//! SQLite, the advisory lock on PostgreSQL): what it reads and promotes is exact while hubs
//! serve. The work itself is `waitlist`'s.

use super::counts::Counts;
use super::waitlist::{self, Cancelled, Why, clean_reason};
use crate::core::form::Campaign;
use crate::hub::clock::now_ms;
use crate::hub::error::HubError;
use crate::hub::store::db::{Db, DbError};
use crate::hub::store::{self, Database};

/// What `hub cancel` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CancelReport {
    /// The hub reference cancelled.
    pub hub_reference: String,
    /// It had been cancelled before: nothing changed.
    pub already: bool,
    /// Hub references moved from the waiting list to accepted.
    pub promoted: Vec<String>,
}

/// Runs `work` in one write transaction with the write lock; commits what it did.
pub fn in_write<T>(
    database: &Database,
    work: impl FnOnce(&mut dyn Db, &mut Counts) -> Result<Result<T, HubError>, DbError> + Send,
) -> Result<T, HubError>
where
    T: Send,
{
    store::off_runtime(|| {
        let mut conn = database.connect_existing()?;
        let db = conn.as_mut();
        db.begin_write().map_err(|e| database.error(&e))?;
        let mut counts = Counts::default();
        let done = work(db, &mut counts).and_then(|r| {
            if r.is_ok() {
                counts.write(db)?;
                db.batch("COMMIT")?;
            }
            Ok(r)
        });
        if !matches!(done, Ok(Ok(_))) {
            let _ = db.batch("ROLLBACK");
        }
        done.map_err(|e| database.error(&e))?
    })
}

/// `hub cancel REFERENCE --reason …`: cancels the registration a receipt or hub reference names
/// and gives its place to the waiting list. A second identical cancel changes nothing.
pub fn cancel(
    database: &Database,
    campaign: &Campaign,
    reference: &str,
    reason: &str,
    by: &str,
) -> Result<CancelReport, HubError> {
    let reason = clean_reason(reason);
    if reason.is_empty() {
        return Err(HubError::NoReason);
    }
    let why = Why {
        actor: format!("admin:{}", clean_reason(by)),
        reason,
        now: now_ms(),
    };
    in_write(database, |db, counts| {
        let mut found = waitlist::find(db, reference)?;
        let t = match found.len() {
            0 => return replaced(db, reference).map(Err),
            1 => found.remove(0),
            _ => {
                let held = found.iter().map(|t| t.hub_seq.unwrap_or(0));
                let hub = held.map(super::decide::seen::hub_reference).collect();
                return Ok(Err(HubError::AmbiguousReference(reference.to_owned(), hub)));
            }
        };
        let hub_reference = super::decide::seen::hub_reference(t.hub_seq.unwrap_or(0));
        Ok(match waitlist::cancel(db, counts, campaign, &t, &why)? {
            Cancelled::Now { promoted } => Ok(CancelReport {
                hub_reference,
                already: false,
                promoted,
            }),
            Cancelled::Already => Ok(CancelReport {
                hub_reference,
                already: true,
                promoted: Vec::new(),
            }),
            Cancelled::NothingToCancel(status) => Err(HubError::NothingToCancel {
                reference: reference.to_owned(),
                status,
            }),
            Cancelled::Vaccinated => Err(HubError::Vaccinated {
                reference: reference.to_owned(),
            }),
        })
    })
}

/// Why `reference` names no live registration: a correction replaced it (named, so the admin
/// can cancel that one if it is the one meant; cancelling the old one would free its place a
/// second time), or it names nothing.
fn replaced(db: &mut dyn Db, reference: &str) -> Result<HubError, DbError> {
    Ok(match waitlist::replacement(db, reference)? {
        Some(now) => HubError::Replaced {
            reference: reference.trim().to_owned(),
            current: now
                .hub_seq
                .map_or(now.reference, super::decide::seen::hub_reference),
            status: now.status,
        },
        None => HubError::NoSuchReference(reference.to_owned()),
    })
}

/// `hub set-quota`: sets a group's quota (`None`: the campaign's total) and promotes whoever
/// now has room; the hub references promoted.
pub fn set_quota(
    database: &Database,
    campaign: &Campaign,
    group: Option<u8>,
    quota: u64,
    by: &str,
) -> Result<Vec<String>, HubError> {
    let what = group.map_or_else(
        || "the total quota".to_owned(),
        |g| format!("group {g}'s quota"),
    );
    let why = Why {
        actor: format!("admin:{}", clean_reason(by)),
        reason: format!("{what} set to {quota}"),
        now: now_ms(),
    };
    in_write(database, |db, counts| {
        waitlist::set_quota(db, counts, campaign, group, quota, &why).map(Ok)
    })
}
