//! A kiosk's correction (`replaces`) of its own live accepted or waitlisted record: the old row
//! is marked superseded, and its person and quota place are freed for the correction.

use uuid::Uuid;

use crate::hub::intake::counts::Counts;
use crate::hub::intake::known::Known;
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{Db, DbError};

/// Marks this kiosk's live submission `old` superseded by `new`, freeing its person and place.
pub(crate) fn supersede(
    db: &mut dyn Db,
    counts: &mut Counts,
    known: &mut Known,
    kiosk: &Caller,
    old: Uuid,
    new: Uuid,
) -> Result<(), DbError> {
    let (old, new) = (old.to_string(), new.to_string());
    let Some(found) = db.query_opt(
        "SELECT status, superseded_by, campaign_id, person_key, target_group, reference
         FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2",
        &[(&old).into(), kiosk.id.into()],
    )?
    else {
        return Ok(());
    };
    if found.opt_text("superseded_by")?.is_some() {
        return Ok(());
    }
    let (status, campaign, person) = (
        found.text("status")?,
        found.text("campaign_id")?,
        found.text("person_key")?,
    );
    let group = u8::try_from(found.int("target_group")?).unwrap_or(0);
    let (accepted, waitlisted) = match status.as_str() {
        "accepted" => (-1, 0),
        "waitlisted" => (0, -1),
        _ => return Ok(()),
    };
    db.execute(
        "UPDATE submissions SET superseded_by = ?2 WHERE submission_id = ?1",
        &[(&old).into(), (&new).into()],
    )?;
    db.execute(
        "DELETE FROM persons WHERE campaign_id = ?1 AND person_key = ?2 AND submission_id = ?3",
        &[(&campaign).into(), (&person).into(), (&old).into()],
    )?;
    known.freed(&campaign, &person);
    known.released(&found.text("reference")?);
    counts.bump(db, &campaign, group, accepted, waitlisted)
}
