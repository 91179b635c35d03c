//! A record as the queue hands it out, typed: the registration and the hub's answer are decoded
//! here, where they are stored, by the one decoder of the queue's JSON ([`decode`]), and no
//! reader of the queue (the screen, the sender, `export`) decodes them again.
//!
//! A stored record that cannot be decoded (written by a broken or foreign program) is logged (its
//! submission id and where its JSON broke, never its content) and handed out without that part,
//! as a purged record is: the screen shows it with no name, `export` with empty cells. The
//! sender settles such a record as rejected (`Shipment::Unreadable`).
//!
//! What does not live here: the queries ([`read`](super::read)), opening a sealed copy
//! ([`sealing`](super::sealing)), what an appointment keeps ([`appointment`](super::appointment)).

use rusqlite::Row;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::write::parse_uuid;
use super::{Queue, State};
use crate::core::form::Registration;
use crate::core::protocol::{Appointment, Outcome};

/// A record as the queue screen, `status` and `export` see it. After retention only the tombstone
/// fields are set (`registration` and `id_key` are `None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    pub submission_id: Uuid,
    pub reference: String,
    pub campaign_id: String,
    pub kiosk_id: String,
    pub operator: String,
    pub created_at: i64,
    /// The keyed hash of the ID number.
    pub id_key: Option<String>,
    /// The registration as it was stored. `None` after retention purged it, while no shift is
    /// open (it comes from the on-screen copy, sealed to the shift), or when the stored copy
    /// cannot be decoded (logged).
    pub registration: Option<Registration>,
    pub state: State,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub server_reference: Option<String>,
    /// The hub's answer, once it gave one (`None` too when the stored answer cannot be decoded,
    /// logged).
    pub outcome: Option<Outcome>,
    pub acked_at: Option<i64>,
    pub replaces: Option<Uuid>,
    pub purged_at: Option<i64>,
    /// The state before the hub's latest change of this record's outcome (`waitlisted` for a
    /// person moved from the waiting list to accepted).
    pub moved_from: Option<State>,
    /// Cancelled here after the hub registered it; the hub has not heard of it yet.
    pub cancel_pending: bool,
    /// The latest appointment the hub gave it (`appointment`); its `security_code` only while a
    /// shift is open (it is kept sealed to the shift).
    pub appointment: Option<Appointment>,
    /// Its registration is stored (a copy in clear, or an on-screen copy while the shift is
    /// open) but could not be opened or decoded (logged): damaged or tampered with. A record
    /// with no copy left (purged, or a PIN reset) is not.
    #[serde(skip)]
    pub unopened: bool,
}

/// The columns [`from_row`] reads, in its order.
pub(super) const COLUMNS: &str = "submission_id, reference, campaign_id, kiosk_id, operator,
    created_at, id_key, payload, state, attempts, next_attempt_at, last_error, server_reference,
    outcome, acked_at, replaces, purged_at, seq, moved_from, cancel_pending, shift_sealed,
    search_text, appointment, appointment_code";

/// A row as read, before its registration is opened and decoded.
pub(super) struct Stored {
    record: Record,
    seq: u64,
    /// A record from before sealing: its registration, in clear.
    clear: Option<String>,
    /// The on-screen copy, sealed to the shift.
    shift_sealed: Option<Vec<u8>>,
    /// A record from before sealing: the text its search looks in, in clear.
    clear_search: Option<String>,
    /// The appointment's security code, sealed to the shift.
    appointment_code: Option<Vec<u8>>,
}

/// The row mapper for a query selecting [`COLUMNS`].
pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<Stored> {
    let id = parse_uuid(&r.get::<_, String>(0)?);
    let state: String = r.get(8)?;
    let replaces: Option<String> = r.get(15)?;
    let outcome: Option<String> = r.get(13)?;
    Ok(Stored {
        record: Record {
            submission_id: id,
            reference: r.get(1)?,
            campaign_id: r.get(2)?,
            kiosk_id: r.get(3)?,
            operator: r.get(4)?,
            created_at: r.get(5)?,
            id_key: r.get(6)?,
            registration: None,
            state: State::parse(&state).unwrap_or(State::Pending),
            attempts: r.get(9)?,
            next_attempt_at: r.get(10)?,
            last_error: r.get(11)?,
            server_reference: r.get(12)?,
            outcome: outcome.and_then(|json| decoded(id, "outcome", &json)),
            acked_at: r.get(14)?,
            replaces: replaces.as_deref().map(parse_uuid),
            purged_at: r.get(16)?,
            moved_from: r
                .get::<_, Option<String>>(18)?
                .as_deref()
                .and_then(State::parse),
            cancel_pending: r.get(19)?,
            appointment: r
                .get::<_, Option<String>>(22)?
                .and_then(|json| decoded(id, "appointment", &json)),
            unopened: false,
        },
        seq: r.get(17)?,
        clear: r.get(7)?,
        shift_sealed: r.get(20)?,
        clear_search: r.get(21)?,
        appointment_code: r.get(23)?,
    })
}

impl Queue {
    /// The record of `row` with its registration, from the on-screen copy when the shift is
    /// open (else from a record from before sealing, in clear), its sequence number, and the
    /// text its search looks in (empty when the shift is closed).
    pub(super) fn opened(&self, row: Stored) -> (Record, u64, String) {
        let Stored {
            mut record,
            seq,
            clear,
            shift_sealed,
            clear_search,
            appointment_code,
        } = row;
        if let (Some(appointment), Some(sealed), Some(shift)) = (
            record.appointment.as_mut(),
            appointment_code,
            self.keys.shift.as_ref(),
        ) {
            appointment.security_code =
                super::appointment::open_code(shift, record.submission_id, &sealed);
        }
        let copy = clear.is_some() || (shift_sealed.is_some() && self.shift_open());
        let (mut json, mut search) = (clear, clear_search.unwrap_or_default());
        if let Some(bytes) = shift_sealed
            && let Some(shown) = self.shown(record.submission_id, &record.kiosk_id, &bytes)
        {
            json = Some(shown.payload);
            search = shown.search_text;
        }
        record.registration =
            json.and_then(|json| decoded(record.submission_id, "registration", &json));
        record.unopened = copy && record.registration.is_none();
        (record, seq, search)
    }
}

/// The one decoder of the JSON the queue stores: a registration, the hub's answer.
pub(super) fn decode<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(json)
}

/// [`decode`] for a record being read: what cannot be decoded is logged and left out (`None`).
/// The log names the record and where its JSON broke, never what it holds (a serde message can
/// quote a value, and the value may be personal).
fn decoded<T: DeserializeOwned>(id: Uuid, what: &str, json: &str) -> Option<T> {
    decode(json)
        .inspect_err(|e| {
            tracing::warn!(
                submission_id = %id,
                "the stored {what} cannot be read ({:?} error at line {}, column {}); \
                 the record is shown without it",
                e.classify(),
                e.line(),
                e.column()
            );
        })
        .ok()
}
