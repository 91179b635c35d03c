//! `hub close-day SITE DATE` and `hub close-day --all-before DATE`: a day is over. Each
//! appointment still booked on it becomes a no-show (`no_show`): the registration is cancelled
//! (its dose goes back to the quota, the person may register again) and the waiting list moves,
//! by the same code as any cancellation (`intake::waitlist`); the people moved up are given
//! appointments there. The day takes no new appointment after.

use crate::core::form::Campaign;
use crate::core::protocol::appointment_state as state;
use crate::hub::intake::counts::Counts;
use crate::hub::intake::waitlist::{self, Cancelled, Why};
use crate::hub::sites::allocate;
use crate::hub::store::db::{Db, DbError, Param};

/// Which days are closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Days {
    /// One site's one day (ISO).
    One { site: String, day: String },
    /// Every site's days before this one (ISO).
    Before(String),
}

/// What closing the days did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayClosed {
    /// Days (and slots) closed.
    pub days: u64,
    /// Appointments marked no-show.
    pub no_shows: u64,
    /// Hub references moved up from the waiting list.
    pub promoted: Vec<String>,
}

/// Closes `days` for `campaign`; see the module doc.
pub fn close_day(
    db: &mut dyn Db,
    counts: &mut Counts,
    campaign: &Campaign,
    days: &Days,
    why: &Why,
) -> Result<DayClosed, DbError> {
    let (clause, params): (&str, Vec<Param<'_>>) = match days {
        Days::One { site, day } => ("site_id = ?1 AND day = ?2", vec![site.into(), day.into()]),
        Days::Before(day) => ("day < ?1", vec![day.into()]),
    };
    // Closed first, so nobody moved up below is given a seat on them.
    let mut done = DayClosed {
        days: db.execute(
            &format!("UPDATE site_days SET closed = 1 WHERE {clause} AND closed = 0"),
            &params,
        )?,
        ..DayClosed::default()
    };
    let booked = db.query(
        &format!(
            "SELECT submission_id FROM appointments WHERE {clause} AND state = '{}'
             ORDER BY hub_seq",
            state::BOOKED
        ),
        &params,
    )?;
    for row in &booked {
        let id = row.text("submission_id")?;
        allocate::release(db, &id, state::NO_SHOW)?;
        done.no_shows += 1;
        let Some(kiosk) = db.query_opt(
            "SELECT kiosk_id FROM submissions WHERE submission_id = ?1",
            &[(&id).into()],
        )?
        else {
            continue;
        };
        let Some(t) = waitlist::find_own(db, kiosk.int("kiosk_id")?, &id)? else {
            continue;
        };
        if let Cancelled::Now { promoted } = waitlist::cancel(db, counts, campaign, &t, why)? {
            done.promoted.extend(promoted);
        }
    }
    Ok(done)
}
