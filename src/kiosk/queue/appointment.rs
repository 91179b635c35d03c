//! Appointments (issue 33): the latest one the hub gave each record, kept with the record.
//!
//! The hub gives one with an acceptance (the answer to `POST /v1/submissions`) and again in
//! its outcome feed whenever it changes (a moved site, `vaccinated`, `no_show`, `cancelled`);
//! each replaces the one before ([`store`]). What is kept, and how:
//!
//! - the site (id and both names), the date, the slot, the state and when the dose was
//!   recorded are kept plain (`registrations.appointment`, JSON): they say where and when, not
//!   who, and `ruamjai status` counts them with no PIN;
//! - the security code, which the person shows at check-in, is kept as the person's data is:
//!   sealed to the shift's public key (`appointment_code`), read only with a shift open (the
//!   PIN typed), bound to its record's submission id. A kiosk with no PIN set keeps no code (the
//!   hub still has it). A change that carries no code keeps the code before.
//!
//! Everything from the hub is data: its text is made safe and bounded before it is stored, and
//! a security code that is not 4 to 8 digits is not kept. Retention drops the code with the
//! record's personal data; the end of a shift does not (a reprint on a later shift needs it).

use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::QueueError;
use super::shift::Keys;
use crate::core::protocol::Appointment;
use crate::core::seal::{self, Opener};
use crate::core::thai::width::sanitize_for_display;

/// The longest site name or id kept, in characters.
const MAX_TEXT: usize = 200;

/// The associated data the security code of record `id` is sealed with.
fn code_aad(id: Uuid) -> Vec<u8> {
    let mut aad = seal::registration_aad("", &id);
    aad.extend_from_slice(b";appointment=security_code");
    aad
}

/// `s` made safe to show and print, at most `max` characters.
pub(super) fn clean(s: &str, max: usize) -> String {
    sanitize_for_display(s).chars().take(max).collect()
}

/// The security code when it is one: 4 to 8 ASCII digits.
pub(super) fn valid_code(code: &str) -> Option<&str> {
    let code = code.trim();
    ((4..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The appointment as it is kept in clear: made safe, without its security code.
pub(super) fn plain(a: &Appointment) -> Appointment {
    Appointment {
        site_id: clean(&a.site_id, MAX_TEXT),
        site_name_th: clean(&a.site_name_th, MAX_TEXT),
        site_name_en: clean(&a.site_name_en, MAX_TEXT),
        date: clean(&a.date, 10),
        slot: a.slot.as_deref().map(|s| clean(s, 40)),
        security_code: None,
        state: clean(&a.state, 20),
        vaccinated_at: a.vaccinated_at,
    }
}

/// Keeps `appointment` as record `id`'s latest, in `tx`; whether the record took it (it exists
/// and, with `only_live`, is not cancelled here waiting to tell the hub). The code is sealed to
/// the shift's public key when a PIN is set.
pub(super) fn store(
    tx: &Transaction<'_>,
    keys: &mut Keys,
    id: Uuid,
    appointment: &Appointment,
    only_live: bool,
) -> Result<bool, StoreError> {
    let json = serde_json::to_string(&plain(appointment)).unwrap_or_default();
    let code = match appointment.security_code.as_deref() {
        Some(code) => match (valid_code(code), keys.shift_sealer()?) {
            (Some(code), Some(sealer)) => Some(
                sealer
                    .seal(&code_aad(id), code.as_bytes())
                    .map_err(super::sealing::fail)?,
            ),
            (None, _) => {
                tracing::warn!(submission_id = %id, "the hub's security code is not 4 to 8 digits; not kept");
                None
            }
            (Some(_), None) => {
                tracing::warn!(submission_id = %id, "no PIN is set: the security code cannot be sealed and is not kept");
                None
            }
        },
        None => None,
    };
    let n = tx.execute(
        "UPDATE registrations SET appointment = ?2,
                appointment_code = CASE WHEN purged_at IS NULL
                                        THEN COALESCE(?3, appointment_code) END
         WHERE submission_id = ?1 AND (NOT ?4 OR cancel_pending = 0)",
        params![id.to_string(), json, code, only_live],
    )?;
    Ok(n > 0)
}

/// Why an appointment could not be stored: the file, or sealing its code.
pub(super) enum StoreError {
    Sql(rusqlite::Error),
    Queue(QueueError),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

impl From<QueueError> for StoreError {
    fn from(e: QueueError) -> Self {
        Self::Queue(e)
    }
}

impl StoreError {
    /// As the queue says it, with `err` for the file's errors.
    pub(super) fn said(self, err: impl Fn(rusqlite::Error) -> QueueError) -> QueueError {
        match self {
            Self::Sql(e) => err(e),
            Self::Queue(e) => e,
        }
    }
}

/// The security code of record `id`, opened with the shift's key.
pub(super) fn open_code(shift: &Opener, id: Uuid, sealed: &[u8]) -> Option<String> {
    let bytes = shift.open(&code_aad(id), sealed).ok()?;
    std::str::from_utf8(&bytes).ok().map(str::to_owned)
}
