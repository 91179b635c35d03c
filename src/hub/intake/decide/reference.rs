//! One receipt reference, one registration: the live row that holds a reference already (not
//! rejected, not superseded; the store's unique index `submissions_live_reference` enforces
//! it, this answers before it would). A second submission id with a reference held is rejected
//! under `reference`, naming the registration that has it; a kiosk's correction of its own
//! duplicate-answered record may carry that record's reference, and supersedes it.

use super::seen::hub_reference;
use crate::core::protocol::Outcome;
use crate::hub::intake::known::at;
use crate::hub::intake::prepare::Prepared;
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{Db, DbError};

/// The `LOOKUP` part (tag 2) that finds the live row holding reference `?4`: kiosk id, the row's
/// submission id, status and hub sequence number (as text: one column type for both stores).
pub(crate) const HOLDER: &str = "
    SELECT 2, kiosk_id, NULL, submission_id, status, CAST(hub_seq AS TEXT)
    FROM submissions
    WHERE reference = ?4 AND status <> 'rejected' AND superseded_by IS NULL
      AND reference_kept_by IS NULL";

/// The answer to `p` when its reference is held by the live row `holder` (a [`HOLDER`] row):
/// `None` when `p` may have it (it corrects that very record, which is marked superseded now);
/// otherwise the rejection naming the registration that has it.
pub(crate) fn taken(
    db: &mut dyn Db,
    kiosk: &Caller,
    p: &Prepared,
    holder: &crate::hub::store::db::Row,
) -> Result<Option<Outcome>, DbError> {
    let (owner, id, status) = (
        holder.int(at::KIOSK_ID)?,
        holder.text(at::HOLDER_ID)?,
        holder.text(at::HOLDER_STATUS)?,
    );
    let corrected = p.replaces.is_some_and(|old| old.to_string() == id);
    if corrected && owner == kiosk.id && status == "duplicate" {
        // A duplicate holds no place nor person: superseding it frees nothing.
        let new = p.submission_id.to_string();
        db.execute(
            "UPDATE submissions SET superseded_by = ?2 WHERE submission_id = ?1",
            &[(&id).into(), (&new).into()],
        )?;
        return Ok(None);
    }
    let registration = match holder.opt_text(at::HOLDER_SEQ)? {
        Some(seq) => hub_reference(seq.parse().unwrap_or(0)),
        None => format!("submission {id} ({status})"),
    };
    let whose = if owner == kiosk.id {
        "this kiosk sent it before under another submission id"
    } else {
        "another kiosk sent it first"
    };
    Ok(Some(Outcome::Rejected {
        field: "reference".into(),
        reason: format!(
            "{} already names registration {registration}: {whose}, and one reference names one registration; not registered — ask the hub's IT staff",
            p.reference
        ),
    }))
}
