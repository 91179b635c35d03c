//! Doses recorded at a site's kiosk (issue 33, part 4) and each day's setting (vaccine lot,
//! dose number). [`Queue::record_dose`] finds the person again (today, here), checks the
//! security code, takes today's lot, then writes the dose into the doses outbox and marks the
//! person vaccinated on the list in ONE transaction, on disk when it returns
//! (`synchronous=FULL`). The sender sends the outbox (`POST /v1/doses`) and settles each answer
//! ([`Queue::settle_doses`]): every answer is final, a refusal kept to show. Two senders sending
//! the same doses at once is harmless: the hub records a `dose_id` once and answers a replay as
//! the first time.

use rusqlite::params;
use serde::Serialize;

use super::appointment::clean;
use super::arrival::Finding;
use super::write::begin;
use super::{Queue, QueueError};
use crate::core::protocol::{Dose, DoseResult, dose_status};
use crate::core::seal;

/// The vaccine lot and dose number the clerk set for a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaySetting {
    pub lot: String,
    pub dose_number: u8,
}

/// A dose recorded ([`Queue::record_dose`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DoseRecorded {
    pub dose_id: String,
    pub reference: String,
    pub given_at: i64,
    pub lot: String,
    pub dose_number: u8,
}

/// Why a dose was not recorded (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum DoseRefusal {
    #[error(
        "the security code does not match the appointment's: ask for the four digits on the person's slip; nothing was recorded"
    )]
    WrongCode,
    #[error("no vaccine lot is set for today: set today's lot first; nothing was recorded")]
    NoLot,
    #[error("{}; nothing was recorded", .0.describe())]
    NotHere(Finding),
    #[error("the shift is not open: type the counter's PIN first; nothing was recorded")]
    Shift,
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// A dose the hub did not record, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedDose {
    pub reference: String,
    pub given_at: i64,
    /// One of `dose_status`.
    pub status: String,
    pub message: Option<String>,
}

/// The doses outbox counted, for `status`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DoseStats {
    /// Not answered by the hub yet.
    pub pending: u64,
    /// Recorded by the hub.
    pub sent: u64,
    /// Answered with anything else (final).
    pub refused_count: u64,
    /// The latest of those (at most 20), the latest first.
    pub refused: Vec<RefusedDose>,
    pub oldest_pending_at: Option<i64>,
}

/// The most refused doses `status` lists.
const REFUSED_SHOWN: usize = 20;

/// A new dose id: a UUID v4 from the system's random source.
fn new_dose_id() -> Result<String, QueueError> {
    let bytes: [u8; 16] = seal::random().map_err(super::sealing::fail)?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string())
}

impl Queue {
    /// The setting the clerk made for `day_iso`, if any.
    pub fn day_setting(&self, day_iso: &str) -> Result<Option<DaySetting>, QueueError> {
        use rusqlite::OptionalExtension as _;
        self.conn
            .query_row(
                "SELECT lot, dose_number FROM day_settings WHERE day = ?1",
                params![day_iso],
                |r| {
                    Ok(DaySetting {
                        lot: r.get("lot")?,
                        dose_number: r.get("dose_number")?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets the lot and dose number of `day_iso` (a lot of 1 to 40 characters, a dose number
    /// from 1).
    pub fn set_day_setting(
        &mut self,
        day_iso: &str,
        setting: &DaySetting,
    ) -> Result<(), QueueError> {
        let lot = clean(setting.lot.trim(), 41);
        if lot.is_empty() || lot.chars().count() > 40 {
            return Err(QueueError::BadSetting(
                "a vaccine lot has 1 to 40 characters".into(),
            ));
        }
        if setting.dose_number == 0 {
            return Err(QueueError::BadSetting(
                "the dose number starts at 1 (a first dose)".into(),
            ));
        }
        self.conn
            .execute(
                "INSERT INTO day_settings (day, lot, dose_number) VALUES (?1, ?2, ?3)
                 ON CONFLICT (day) DO UPDATE SET lot = excluded.lot,
                                                 dose_number = excluded.dose_number",
                params![day_iso, lot, setting.dose_number],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Records the dose of the person `reference` (or ID number) who gave `code`, today
    /// (`today_iso`), by `operator` at `now_ms`: the person must be on today's list here
    /// ([`Finding::Here`]), the code the appointment's, today's lot set. The dose goes into the
    /// outbox and the person is marked vaccinated on the list in one transaction.
    // The refusal carries the finding as it is (the screen's contract, `NotHere(Finding)`):
    // returned once per dose a clerk records, its size costs nothing worth a box.
    #[allow(clippy::result_large_err)]
    pub fn record_dose(
        &mut self,
        reference: &str,
        code: &str,
        today_iso: &str,
        operator: &str,
        now_ms: i64,
    ) -> Result<DoseRecorded, DoseRefusal> {
        if !self.shift_open() {
            return Err(DoseRefusal::Shift);
        }
        let person = match self.find_arrival(reference, today_iso) {
            Ok(Finding::Here(person)) => person,
            Ok(other) => return Err(DoseRefusal::NotHere(other)),
            Err(QueueError::ShiftClosed) => return Err(DoseRefusal::Shift),
            Err(e) => return Err(e.into()),
        };
        let code = code.trim();
        if person.appointment.security_code.as_deref() != Some(code) {
            return Err(DoseRefusal::WrongCode);
        }
        let setting = self.day_setting(today_iso)?.ok_or(DoseRefusal::NoLot)?;
        let site_id = self
            .site_id()?
            .unwrap_or_else(|| person.appointment.site_id.clone());
        let dose = Dose {
            dose_id: new_dose_id()?,
            reference: person.reference.clone(),
            site_id,
            security_code: code.to_owned(),
            lot: setting.lot.clone(),
            dose_number: setting.dose_number,
            given_at: now_ms,
            operator: clean(operator, 100),
        };
        let json = serde_json::to_string(&dose).unwrap_or_default();
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        tx.execute(
            "INSERT INTO doses (dose_id, reference, day, dose, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![dose.dose_id, dose.reference, today_iso, json, now_ms],
        )
        .map_err(&err)?;
        tx.execute(
            "UPDATE site_list SET state = 'vaccinated', vaccinated_at = ?2 WHERE reference = ?1",
            params![dose.reference, now_ms],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(DoseRecorded {
            dose_id: dose.dose_id,
            reference: dose.reference,
            given_at: now_ms,
            lot: dose.lot,
            dose_number: dose.dose_number,
        })
    }

    /// When a dose was recorded here for `reference` (the first), if one was.
    pub(super) fn dose_given_at(&self, reference: &str) -> Result<Option<i64>, QueueError> {
        self.conn
            .query_row(
                "SELECT MIN(json_extract(dose, '$.given_at')) FROM doses WHERE reference = ?1",
                params![reference],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Up to `limit` doses the hub has not answered, the oldest first.
    pub fn unsent_doses(&self, limit: usize) -> Result<Vec<Dose>, QueueError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT dose_id, dose FROM doses INDEXED BY doses_unsent
                 WHERE sent_at IS NULL ORDER BY created_at LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut doses = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(|e| self.err(e))?;
            match serde_json::from_str(&json) {
                Ok(dose) => doses.push(dose),
                Err(e) => tracing::error!(dose_id = %id, "a stored dose cannot be read: {e}"),
            }
        }
        Ok(doses)
    }

    /// Keeps the hub's answers (each final) at `now_ms`, in one transaction; the security code
    /// leaves the stored dose. Returns how many doses were settled.
    pub fn settle_doses(
        &mut self,
        results: &[DoseResult],
        now_ms: i64,
    ) -> Result<usize, QueueError> {
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let mut settled = 0;
        for r in results {
            settled += tx
                .execute(
                    "UPDATE doses SET sent_at = ?2, status = ?3, message = ?4,
                            dose = json_set(dose, '$.security_code', '')
                     WHERE dose_id = ?1 AND sent_at IS NULL",
                    params![
                        r.dose_id,
                        now_ms,
                        clean(&r.status, 40),
                        r.message.as_deref().map(|m| clean(m, 300)),
                    ],
                )
                .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(settled)
    }

    /// The doses outbox counted, with the refused ones.
    pub fn dose_stats(&self) -> Result<DoseStats, QueueError> {
        let (pending, sent, refused_count, oldest_pending_at): (u64, u64, u64, Option<i64>) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(sent_at IS NULL), 0), COALESCE(SUM(status = ?1), 0),
                        COALESCE(SUM(sent_at IS NOT NULL AND status <> ?1), 0),
                        MIN(CASE WHEN sent_at IS NULL THEN created_at END)
                 FROM doses",
                params![dose_status::RECORDED],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT reference, json_extract(dose, '$.given_at') AS given_at, status, message
                 FROM doses WHERE sent_at IS NOT NULL AND status <> ?1
                 ORDER BY created_at DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![dose_status::RECORDED, REFUSED_SHOWN as i64], |r| {
                Ok(RefusedDose {
                    reference: r.get("reference")?,
                    given_at: r.get::<_, Option<i64>>("given_at")?.unwrap_or(0),
                    status: r.get("status")?,
                    message: r.get("message")?,
                })
            })
            .map_err(|e| self.err(e))?;
        let refused = rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        Ok(DoseStats {
            pending,
            sent,
            refused_count,
            refused,
            oldest_pending_at,
        })
    }
}
