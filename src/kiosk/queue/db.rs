//! The queue file's schema (the kiosk migrations) and the translation of SQLite's failures into
//! [`QueueError`]s a counter clerk can act on. Opening itself is [`crate::core::sqlite::open`]: WAL,
//! `synchronous=FULL`, foreign keys, busy timeout; a corrupt or newer file is never replaced.

use std::path::Path;

use rusqlite::Connection;

use super::QueueError;
use crate::core::sqlite::{self, Failure};

/// The kiosk migrations, in order; `user_version` holds how many have been applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_queue",
        include_str!("../../../migrations/kiosk/0001_queue.sql"),
    ),
    (
        "0002_retention",
        include_str!("../../../migrations/kiosk/0002_retention.sql"),
    ),
    (
        "0003_unsent_index",
        include_str!("../../../migrations/kiosk/0003_unsent_index.sql"),
    ),
    (
        "0004_hub_changes",
        include_str!("../../../migrations/kiosk/0004_hub_changes.sql"),
    ),
    (
        "0005_sealed",
        include_str!("../../../migrations/kiosk/0005_sealed.sql"),
    ),
    (
        "0006_appointments",
        include_str!("../../../migrations/kiosk/0006_appointments.sql"),
    ),
    (
        "0007_checkin",
        include_str!("../../../migrations/kiosk/0007_checkin.sql"),
    ),
];

/// Opens (creating if needed) the SQLite file at `path` and brings it to `target` migrations.
pub fn open_at_version(path: &Path, target: usize) -> Result<Connection, QueueError> {
    sqlite::open(path, MIGRATIONS, target).map_err(|f| QueueError::from_failure(path, f))
}

/// Maps a SQLite failure on `path` to what a clerk can do about it.
#[allow(clippy::needless_pass_by_value)] // used as `map_err(|e| classify(path, e))`
pub fn classify(path: &Path, err: rusqlite::Error) -> QueueError {
    QueueError::from_failure(path, sqlite::classify(&err))
}

impl QueueError {
    /// A [`Failure`] of the queue file at `path` (the clerk's words are in its `Display`).
    pub(crate) fn from_failure(path: &Path, failure: Failure) -> Self {
        QueueError::Store {
            path: path.to_path_buf(),
            failure,
        }
    }
}
