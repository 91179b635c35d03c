//! A dose recorded at a site's kiosk (`POST /v1/doses`, issue 33 part 4), decided in the
//! writer's transaction, under the store's write lock: two kiosks that dosed one person while
//! both were offline are told apart by commit order, the second answered `already_vaccinated`.
//!
//! Each `dose_id` is decided once and a replay answered from its stored row. The registration is
//! found by its receipt reference; its appointment must be booked, at the kiosk's site, with the
//! security code given, and the person must have no dose of that number recorded under another
//! registration (a record corrected, or registered again, after the dose: the store's unique
//! index `doses_person` holds it too). Then the appointment is set `vaccinated` at the dose's
//! time and the change appended to the history, so the kiosk that registered the person hears it
//! in its outcome feed. Every dose is kept with its answer in `doses`, recorded or not: one refused (its
//! day closed as a no-show before the kiosk could send it) stays on record with its lot and time.

use super::allocate::current;
use crate::core::protocol::{
    Appointment, Dose, DoseResult, Outcome, appointment_state as state, dose_status as status,
};
use crate::hub::intake::counts::Counts;
use crate::hub::intake::history::{self, Why};
use crate::hub::places::kiosks::{Caller, ct_eq};
use crate::hub::store::db::{Db, DbError};

/// A dose's text fields at most (characters): its reference, site id, code, lot, operator.
const MAX_REFERENCE: usize = 64;
const MAX_SITE_ID: usize = 32;
const MAX_CODE: usize = 16;
const MAX_LOT: usize = 64;
const MAX_OPERATOR: usize = 100;
/// The highest dose of a course a dose may say it is.
const MAX_DOSE_NUMBER: u8 = 20;

/// What in `dose` a kiosk cannot have made (a bug at the kiosk, never the clerk's doing), in
/// words naming the field; the handler refuses the whole batch for it (`400`), nothing
/// recorded.
pub fn check(dose: &Dose) -> Result<(), String> {
    let printable =
        |s: &str, max: usize| s.chars().count() <= max && !s.chars().any(char::is_control);
    let present = |s: &str, max: usize| !s.trim().is_empty() && printable(s, max);
    if uuid::Uuid::parse_str(&dose.dose_id).is_err() {
        return Err("dose_id: a UUID, made by the kiosk when it records the dose".into());
    }
    if !present(&dose.reference, MAX_REFERENCE) {
        return Err(format!(
            "reference: 1 to {MAX_REFERENCE} printable characters"
        ));
    }
    if !present(&dose.site_id, MAX_SITE_ID) {
        return Err(format!("site_id: 1 to {MAX_SITE_ID} printable characters"));
    }
    if !printable(&dose.security_code, MAX_CODE) {
        return Err(format!(
            "security_code: at most {MAX_CODE} printable characters"
        ));
    }
    if !present(&dose.lot, MAX_LOT) {
        return Err(format!(
            "lot: the day's vaccine lot, 1 to {MAX_LOT} printable characters"
        ));
    }
    if !(1..=MAX_DOSE_NUMBER).contains(&dose.dose_number) {
        return Err(format!("dose_number: 1 to {MAX_DOSE_NUMBER}"));
    }
    if dose.given_at <= 0 {
        return Err("given_at: when it was given, Unix milliseconds".into());
    }
    if !printable(&dose.operator, MAX_OPERATOR) {
        return Err(format!(
            "operator: at most {MAX_OPERATOR} printable characters"
        ));
    }
    Ok(())
}

/// The registration a dose names, with its appointment.
struct Found {
    submission_id: String,
    /// The kiosk that registered the person: the one whose feed hears the dose.
    kiosk_id: i64,
    outcome: String,
    campaign_id: String,
    person_key: String,
    site_id: String,
    state: String,
    security_code: String,
}

/// The live registration with an appointment that `reference` (as sent, or as its canonical
/// form when it decodes) names: a vaccinated one first, then a booked one, then one at `site`.
fn find(db: &mut dyn Db, reference: &str, site: &str) -> Result<Option<Found>, DbError> {
    let sent = reference.trim();
    let canonical = crate::core::refcode::decode(sent).map_or_else(|| sent.to_owned(), |c| c.0);
    let Some(row) = db.query_opt(
        "SELECT s.submission_id AS submission_id, s.kiosk_id AS kiosk_id, s.outcome AS outcome,
             s.campaign_id AS campaign_id, s.person_key AS person_key, a.site_id AS site_id,
             a.state AS state, a.security_code AS security_code
         FROM submissions s JOIN appointments a ON a.submission_id = s.submission_id
         WHERE s.reference IN (?1, ?2) AND s.status <> 'rejected' AND s.superseded_by IS NULL
         ORDER BY CASE a.state WHEN 'vaccinated' THEN 0 WHEN 'booked' THEN 1 ELSE 2 END,
             CASE WHEN a.site_id = ?3 THEN 0 ELSE 1 END, s.row_seq
         LIMIT 1",
        &[sent.into(), (&canonical).into(), site.into()],
    )?
    else {
        return Ok(None);
    };
    let r = &row;
    Ok(Some(Found {
        submission_id: r.text("submission_id")?,
        kiosk_id: r.int("kiosk_id")?,
        outcome: r.text("outcome")?,
        campaign_id: r.text("campaign_id")?,
        person_key: r.text("person_key")?,
        site_id: r.text("site_id")?,
        state: r.text("state")?,
        security_code: r.text("security_code")?,
    }))
}

/// `submission_id`'s appointment now, without its code (the answer goes to a kiosk that did not
/// register the person).
fn shown(db: &mut dyn Db, submission_id: &str) -> Result<Option<Appointment>, DbError> {
    Ok(current(db, submission_id)?.map(|a| Appointment {
        security_code: None,
        ..a
    }))
}

fn result(dose: &Dose, status: &str, message: String, a: Option<Appointment>) -> DoseResult {
    DoseResult {
        dose_id: dose.dose_id.clone(),
        status: status.to_owned(),
        message: Some(message),
        appointment: a,
    }
}

/// Decides `dose` from `caller` (a site's kiosk) and records it; its answer. A dose id decided
/// before is answered as then (one another kiosk sent is `unknown`, and not stored again).
pub fn record(
    db: &mut dyn Db,
    counts: &mut Counts,
    caller: &Caller,
    dose: &Dose,
    now: i64,
) -> Result<DoseResult, DbError> {
    let key = uuid::Uuid::parse_str(&dose.dose_id)
        .map_or_else(|_| dose.dose_id.clone(), |u| u.to_string());
    if let Some(row) = db.query_opt(
        "SELECT kiosk_id, answer FROM doses WHERE dose_id = ?1",
        &[(&key).into()],
    )? {
        if row.int("kiosk_id")? != caller.id {
            let why = "another kiosk sent a dose with this dose_id; nothing was recorded".into();
            return Ok(result(dose, status::UNKNOWN, why, None));
        }
        return serde_json::from_str(&row.text("answer")?).map_err(|e| DbError::json(&e));
    }
    let site = caller.site.as_deref().unwrap_or_default();
    let found = find(db, &dose.reference, site)?;
    let answer = decide(db, counts, caller, dose, found.as_ref(), now)?;
    let json = serde_json::to_string(&answer).map_err(|e| DbError::json(&e))?;
    db.execute(
        "INSERT INTO doses (dose_id, kiosk_id, reference, submission_id, campaign_id,
             person_key, site_id, lot, dose_number, given_at, operator, received_at, status,
             answer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        &[
            (&key).into(),
            caller.id.into(),
            dose.reference.trim().into(),
            found.as_ref().map(|f| f.submission_id.as_str()).into(),
            found.as_ref().map(|f| f.campaign_id.as_str()).into(),
            found.as_ref().map(|f| f.person_key.as_str()).into(),
            dose.site_id.trim().into(),
            dose.lot.trim().into(),
            dose.dose_number.into(),
            dose.given_at.into(),
            dose.operator.trim().into(),
            now.into(),
            answer.status.as_str().into(),
            (&json).into(),
        ],
    )?;
    Ok(answer)
}

/// What the hub makes of a new dose, given the registration it names; a recorded one is
/// written (the appointment vaccinated, the history told).
fn decide(
    db: &mut dyn Db,
    counts: &mut Counts,
    caller: &Caller,
    dose: &Dose,
    found: Option<&Found>,
    now: i64,
) -> Result<DoseResult, DbError> {
    let site = caller.site.as_deref().unwrap_or_default();
    let Some(f) = found else {
        let why = format!(
            "no registration with an appointment has reference {}; nothing was recorded",
            dose.reference.trim()
        );
        return Ok(result(dose, status::UNKNOWN, why, None));
    };
    let appointment = shown(db, &f.submission_id)?;
    let code_given = ct_eq(
        dose.security_code.trim().as_bytes(),
        f.security_code.as_bytes(),
    );
    let (status, why) = match f.state.as_str() {
        state::VACCINATED => (
            status::ALREADY_VACCINATED,
            "already vaccinated: another dose was recorded first (when and where: its appointment)"
                .to_owned(),
        ),
        state::NO_SHOW => (
            status::UNKNOWN,
            "the appointment's day was closed as a no-show (hub close-day) before this dose \
             arrived, and the registration cancelled: the dose is kept at the hub, not recorded"
                .to_owned(),
        ),
        state::BOOKED if f.site_id != site || dose.site_id.trim() != site => (
            status::OTHER_SITE,
            format!(
                "the appointment is at site {}; this kiosk checks people in at site {site}",
                f.site_id
            ),
        ),
        state::BOOKED if !code_given => (
            status::WRONG_CODE,
            "the security code does not match the appointment's; nothing was recorded".to_owned(),
        ),
        state::BOOKED => (status::RECORDED, String::new()),
        _ => (
            status::UNKNOWN,
            "the appointment was cancelled; nothing was recorded".to_owned(),
        ),
    };
    if status != status::RECORDED {
        return Ok(result(dose, status, why, appointment));
    }
    // The same person's dose recorded against another registration (a corrected record, one
    // registered again): that one stands. The status is written out, so the partial index
    // `doses_person` answers.
    if let Some(first) = db.query_opt(
        "SELECT submission_id, reference FROM doses WHERE campaign_id = ?1 AND person_key = ?2
             AND dose_number = ?3 AND status = 'recorded'",
        &[
            f.campaign_id.as_str().into(),
            f.person_key.as_str().into(),
            dose.dose_number.into(),
        ],
    )? {
        let why = format!(
            "already vaccinated: this person's dose {} was recorded under reference {}",
            dose.dose_number,
            first.text("reference")?
        );
        let at = shown(db, &first.text("submission_id")?)?;
        return Ok(result(dose, status::ALREADY_VACCINATED, why, at));
    }
    db.execute(
        "UPDATE appointments SET state = ?2, vaccinated_at = ?3
         WHERE submission_id = ?1 AND state = ?4",
        &[
            f.submission_id.as_str().into(),
            state::VACCINATED.into(),
            dose.given_at.into(),
            state::BOOKED.into(),
        ],
    )?;
    let outcome: Outcome = serde_json::from_str(&f.outcome).map_err(|e| DbError::json(&e))?;
    let why = Why {
        actor: format!("kiosk:{}", caller.name),
        reason: format!(
            "dose {} given at {site}, lot {}",
            dose.dose_number,
            dose.lot.trim()
        ),
        now,
    };
    history::append(db, counts, &f.submission_id, f.kiosk_id, &outcome, &why)?;
    let recorded = format!("recorded: {}", why.reason);
    Ok(result(dose, status, recorded, shown(db, &f.submission_id)?))
}
