//! Whose reference it is, and a record sent again: a reference made under another name than the
//! kiosk's (refused, not stored: the kiosk sends it again once the names agree), a provisional
//! prefix bound to the first kiosk that sends it, and a stored rejection this hub no longer makes
//! (decided again).

use super::seen::{rejected_counter, stored};
use crate::core::protocol::{NOT_THIS_KIOSK_NAME, Outcome};
use crate::hub::intake::counts::Counts;
use crate::hub::intake::known::at;
use crate::hub::intake::prepare::Prepared;
use crate::hub::places::kiosks::Caller;
use crate::hub::store::db::{Db, DbError, Param};

/// The answer to a submission id stored before (`found`): the same record still made under
/// another name is told so again; one stored as rejected that this hub takes now is decided
/// again (`None`); otherwise the stored answer, or a conflict.
pub(crate) fn replayed(
    db: &mut dyn Db,
    counts: &mut Counts,
    kiosk: &Caller,
    p: &Prepared,
    found: &crate::hub::store::db::Row,
) -> Result<Option<Outcome>, DbError> {
    if let Some(refusal) = name_refusal(p)
        && same_as(kiosk, p, found)?
    {
        return Ok(Some(refusal));
    }
    if decide_again(db, counts, kiosk, p, found)? {
        return Ok(None);
    }
    stored(db, counts, kiosk, p, found).map(Some)
}

/// `p`'s refusal for the kiosk's name, if that is what `prepare` found.
fn name_refusal(p: &Prepared) -> Option<Outcome> {
    match &p.rejection {
        Some((field, reason)) if field == NOT_THIS_KIOSK_NAME => Some(Outcome::Rejected {
            field: field.clone(),
            reason: reason.clone(),
        }),
        _ => None,
    }
}

/// Whether the stored row `found` (a `LOOKUP` row) is `p` from the same kiosk.
fn same_as(
    kiosk: &Caller,
    p: &Prepared,
    found: &crate::hub::store::db::Row,
) -> Result<bool, DbError> {
    Ok(found.int(at::KIOSK_ID)? == kiosk.id
        && crate::hub::places::kiosks::ct_eq(&found.bytes(at::CONTENT_HASH)?, &p.content_hash))
}

/// Whether a submission id stored as rejected (`found`, a [`LOOKUP`] row) is decided again:
/// the same kiosk sends the same content and this hub no longer rejects it (a hub from before
/// names were compared by prefix refused every record of a kiosk named `k1` or `SK-01`). The old
/// rejected row is removed, and the submission is decided as new.
fn decide_again(
    db: &mut dyn Db,
    counts: &mut Counts,
    kiosk: &Caller,
    p: &Prepared,
    found: &crate::hub::store::db::Row,
) -> Result<bool, DbError> {
    let same = same_as(kiosk, p, found)?;
    let was_rejected = serde_json::from_str::<Outcome>(&found.text(at::OUTCOME)?)
        .is_ok_and(|o| matches!(o, Outcome::Rejected { .. }));
    if !(same && was_rejected && p.rejection.is_none()) {
        return Ok(false);
    }
    let removed = db.execute(
        "DELETE FROM submissions WHERE submission_id = ?1 AND kiosk_id = ?2 AND status = 'rejected'",
        &[Param::Text(&p.submission_id.to_string()), kiosk.id.into()],
    )?;
    if removed > 0 {
        counts.add(db, &rejected_counter(kiosk.id), -1)?;
    }
    Ok(true)
}

/// The answer to a reference the sending kiosk did not make: its prefix is another name's (not
/// the record's fault: answered, never stored, so it is decided afresh once the kiosk's name
/// agrees with its references), or a provisional prefix another kiosk sent first.
pub(crate) fn not_this_kiosks(
    db: &mut dyn Db,
    kiosk: &Caller,
    p: &Prepared,
    now: i64,
) -> Result<Option<Outcome>, DbError> {
    if let Some(refusal) = name_refusal(p) {
        return Ok(Some(refusal));
    }
    if let Some(prefix) = &p.claim
        && let Some(owner) = claim(db, kiosk, prefix, now)?
    {
        return Ok(Some(Outcome::Rejected {
            field: "reference".into(),
            reason: format!(
                "{} was made under the provisional prefix {prefix}, which kiosk {owner} sent first: a kiosk's queue was copied to another kiosk; ask the hub's IT staff",
                p.reference
            ),
        }));
    }
    Ok(None)
}

/// Binds provisional prefix `prefix` to `kiosk` if no kiosk has it yet; the name of the kiosk
/// that has it when that is another.
fn claim(
    db: &mut dyn Db,
    kiosk: &Caller,
    prefix: &str,
    now: i64,
) -> Result<Option<String>, DbError> {
    db.execute(
        "INSERT INTO kiosk_prefixes (prefix, kiosk_id, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (prefix) DO NOTHING",
        &[prefix.into(), kiosk.id.into(), now.into()],
    )?;
    let owner = db.query_one(
        "SELECT k.id, k.name FROM kiosk_prefixes p JOIN kiosks k ON k.id = p.kiosk_id
         WHERE p.prefix = ?1",
        &[prefix.into()],
    )?;
    (owner.int("id")? != kiosk.id)
        .then(|| owner.text("name"))
        .transpose()
}
