//! What the decisions share: a submission id seen before answered from its stored row, the
//! counters they keep (conflicts, each kiosk's rejected rows), the hub's reference.

use crate::core::protocol::Outcome;
use crate::hub::intake::counts::Counts;
use crate::hub::intake::known::at;
use crate::hub::intake::prepare::Prepared;
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{Db, DbError, Row};

/// The province-wide reference of hub sequence number `seq`.
#[must_use]
pub fn hub_reference(seq: i64) -> String {
    format!("RJ-{seq:07}")
}

/// Records a conflicting replay (counted only).
fn count_conflict(db: &mut dyn Db, counts: &mut Counts) -> Result<(), DbError> {
    counts.next(db, "conflicts").map(|_| ())
}

/// The answer to a submission id seen before (`found`, a [`LOOKUP`] row): the stored outcome for
/// the same kiosk and content, else a conflict.
pub fn stored(
    db: &mut dyn Db,
    counts: &mut Counts,
    kiosk: &Caller,
    p: &Prepared,
    found: &Row,
) -> Result<Outcome, DbError> {
    let kiosk_id = found.int(at::KIOSK_ID)?;
    if kiosk_id == kiosk.id
        && crate::hub::places::kiosks::ct_eq(&found.bytes(at::CONTENT_HASH)?, &p.content_hash)
    {
        return serde_json::from_str(&found.text(at::OUTCOME)?).map_err(|e| DbError::json(&e));
    }
    count_conflict(db, counts)?;
    let message = if kiosk_id == kiosk.id {
        "This submission id was sent before with different content; the first stays"
    } else {
        "This submission id was already used by another kiosk"
    };
    Ok(Outcome::Conflict {
        message: message.to_owned(),
    })
}

/// The counter of kiosk `id`'s stored rejected rows.
pub fn rejected_counter(kiosk_id: i64) -> String {
    format!("rejected:{kiosk_id}")
}
