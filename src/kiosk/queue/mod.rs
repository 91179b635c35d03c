//! The kiosk's durable outbox: one SQLite file (`queue.sqlite3`) in the data directory.
//!
//! A registration is enqueued in one durable commit (WAL + `synchronous=FULL`): when
//! [`Queue::enqueue`] returns, the record survives a power cut, and only then does the kiosk show a
//! receipt. Senders lease rows with an expiry, so the TUI and a cron `ruamjai flush` never send the
//! same row at once, and a crashed sender's lease runs out. The queue knows nothing of screens or
//! HTTP: it stores the registrations it is given and the outcomes it is told, and hands them out
//! typed ([`Record`], [`Leased`]), decoded once where they are stored.
//!
//! - [`db`]: opening, pragmas, migrations, error translation.
//! - `write`: enqueue, outcomes, cancel, retention.
//! - `lease`: leasing rows to a sender (what each ships), giving them back, retry times.
//! - `read`: duplicate check, listing and search.
//! - `record`: a stored row as a typed [`Record`], and the one decoder of the queue's JSON.
//! - `stats`: counts for `status`, small metadata.
//! - `pin`: a PIN on its way in (printed as `***`, zeroed when dropped), and what makes a
//!   chosen PIN too weak.
//! - `provisional`: the prefix a kiosk with no name yet saves under (issue 28).
//! - `appointment`: the latest appointment the hub gave each record, its security code sealed
//!   to the shift (issue 33).
//! - `site_list`, `arrival`, `doses`: check-in at a vaccination site (issue 33, part 4): the
//!   site's list as last downloaded (each own person's details sealed to the shift), a person
//!   arriving looked up in it ([`Finding`]), the doses recorded (the doses outbox) and each
//!   day's vaccine lot.
//! - `shift`, `sealing`: the keys (hub, shift under the PIN, keyed hash) and the sealed copies
//!   every record is kept as; nothing personal is written in clear (issue 18).

mod appointment;
mod arrival;
mod changes;
pub mod db;
mod doses;
mod lease;
mod pin;
mod provisional;
mod read;
mod record;
mod sealing;
mod shift;
mod site_list;
mod stats;
mod write;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use arrival::Finding;
pub use doses::{DaySetting, DoseRecorded, DoseRefusal, DoseStats, RefusedDose};
pub use lease::{Leased, Shipment};
pub use pin::{MIN_CHOSEN_PIN_CHARS, Pin, Weakness, weakness};
pub use read::ListFilter;
pub use record::Record;
pub use sealing::SealReport;
pub use shift::{FREE_TRIES, MIN_PIN_CHARS, PIN_TRY, PinError};
pub use site_list::{SiteListInfo, today_iso};
pub use stats::{QueueStats, Sealing};
pub use write::EnqueueResult;

/// The file name of the queue inside the data directory.
pub const QUEUE_FILE: &str = "queue.sqlite3";

/// Milliseconds since the Unix epoch, the unit of every time in the queue.
#[must_use]
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A queue time as `export` and `status --json` write it (the one format of [`crate::core::protocol`]).
pub use crate::core::protocol::iso_time;

/// Where a record is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Sending,
    Accepted,
    Duplicate,
    Waitlisted,
    Rejected,
    Cancelled,
}

impl State {
    /// Every state, in the order reports list them.
    pub const ALL: [State; 7] = [
        State::Pending,
        State::Sending,
        State::Accepted,
        State::Duplicate,
        State::Waitlisted,
        State::Rejected,
        State::Cancelled,
    ];

    /// The word stored in SQLite and used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Sending => "sending",
            State::Accepted => "accepted",
            State::Duplicate => "duplicate",
            State::Waitlisted => "waitlisted",
            State::Rejected => "rejected",
            State::Cancelled => "cancelled",
        }
    }

    /// Parses the stored word.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What went wrong with the queue, in words a clerk or IT staff can act on.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue file failed; [`Failure`](crate::core::sqlite::Failure) says how, for both sides.
    #[error("{}", clerk_words(.path, .failure))]
    Store {
        path: PathBuf,
        failure: crate::core::sqlite::Failure,
    },
    #[error("the reference numbers of this kiosk id are used up; give the kiosk a new kiosk id")]
    SequenceExhausted,
    #[error("no record {0} in this queue")]
    NotFound(String),
    #[error("record {reference} is {state} and cannot be changed now")]
    WrongState { reference: String, state: String },
    #[error(transparent)]
    Pin(#[from] PinError),
    #[error(
        "nothing was saved: this kiosk has neither the hub's key nor a PIN to seal the registration to; set the counter's PIN (`ruamjai pin set`) or put the hub's key in config.toml (hub_key)"
    )]
    NothingToSealTo,
    #[error("sealing failed: {0}")]
    Seal(String),
    /// What a site's list holds for the person asked about is personal: it needs the shift open.
    #[error("the shift is not open: type the counter's PIN to see the person on the site's list")]
    ShiftClosed,
    /// The hub's list for the site could not be used (the list held before stays).
    #[error("the site's list cannot be used: {0}; download it again (`ruamjai flush`)")]
    BadList(String),
    /// A day's setting that cannot be one.
    #[error("{0}")]
    BadSetting(String),
}

/// The clerk's words for a failure of the queue file at `path`.
fn clerk_words(path: &std::path::Path, failure: &crate::core::sqlite::Failure) -> String {
    use crate::core::sqlite::Failure;
    let path = path.display();
    match failure {
        Failure::DiskFull => format!(
            "the disk holding {path} is full: nothing new was saved; free some space, then try again"
        ),
        Failure::ReadOnly => format!(
            "{path} is read-only: nothing new was saved; check the disk or the file's permissions"
        ),
        Failure::Locked => format!(
            "{path} is busy in another program for too long; wait a moment and try again (is another ruamjai stuck?)"
        ),
        Failure::Corrupt(detail) => format!(
            "{path} is damaged ({detail}); it was left as it is: copy it somewhere safe and call IT support, do not delete it"
        ),
        Failure::NewerSchema { found, supported } => format!(
            "{path} was written by a newer ruamjai (schema {found}, this one knows {supported}); install the newer version, nothing was changed"
        ),
        Failure::CannotOpen(detail) => {
            format!("cannot open {path} ({detail}); check that the folder exists and is writable")
        }
        Failure::Other(detail) => format!("queue error on {path}: {detail}"),
    }
}

/// What the kiosk hands the queue for one registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecord {
    pub campaign_id: String,
    pub operator: String,
    /// The normalised ID number used for the local duplicate check.
    pub id_key: String,
    /// Normalised names, ID and phone: what the queue screen searches.
    pub search_text: String,
    /// The normalised registration as JSON.
    pub payload: String,
    /// A correction names the record it replaces.
    pub replaces: Option<Uuid>,
}

/// The outbox, open on one SQLite file.
pub struct Queue {
    conn: Connection,
    path: PathBuf,
    kiosk_id: String,
    /// The kiosk has no name yet: records are made under its provisional prefix.
    unnamed: bool,
    keys: shift::Keys,
    /// How long one try at the PIN takes on this machine, as a new PIN is wrapped (`shift`).
    pin_cost: std::time::Duration,
}

impl Queue {
    /// Opens the queue at `path` for kiosk `kiosk_id`, creating and migrating it as needed.
    pub fn open(path: &Path, kiosk_id: &str) -> Result<Self, QueueError> {
        let conn = db::open_at_version(path, db::MIGRATIONS.len())?;
        // What is deleted or overwritten is zeroed, and SQLite's temporary tables and indices
        // stay in memory: no clear copy is left behind in the file or a temporary file.
        conn.execute_batch("PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;")
            .map_err(|e| db::classify(path, e))?;
        let keys = shift::Keys::load(&conn).map_err(|e| db::classify(path, e))?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            kiosk_id: kiosk_id.to_owned(),
            unnamed: false,
            keys,
            pin_cost: shift::PIN_TRY,
        })
    }

    /// The file this queue lives in.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kiosk id new records are made under (an unnamed kiosk's provisional prefix once it
    /// took one, before that the name it was opened with).
    #[must_use]
    pub fn kiosk_id(&self) -> &str {
        &self.kiosk_id
    }

    fn err(&self, e: rusqlite::Error) -> QueueError {
        db::classify(&self.path, e)
    }
}

impl NewRecord {
    /// The record for a validated registration taken by `operator`.
    #[must_use]
    pub fn from_registration(
        reg: &crate::core::form::Registration,
        operator: &str,
        replaces: Option<Uuid>,
    ) -> Self {
        Self {
            campaign_id: reg.campaign_id.clone(),
            operator: operator.to_owned(),
            id_key: reg.person_key(),
            search_text: reg.search_text(),
            payload: serde_json::to_string(reg).unwrap_or_default(),
            replaces,
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_appointment;
#[cfg(test)]
mod tests_file;
#[cfg(test)]
mod tests_retention;
