//! A kiosk with no name at a hub yet (issue 28): its `kiosk_id` is not set, so it saves under one
//! provisional prefix (`refcode::provisional_from`, `00` and six random characters), taken the
//! first time it saves and kept in the meta table (`provisional_prefix`), so it never changes for
//! this queue and two kiosks that save before enrolment do not print the same references. Each
//! record keeps the prefix it was made under in its `kiosk_id` column; the hub copy is sealed
//! with it as associated data (`sealing`), so the hub opens it after enrolment, when the kiosk
//! sends it unchanged under its real name.

use rusqlite::{OptionalExtension, params};

use super::write::begin;
use super::{Queue, QueueError};
use crate::core::{refcode, seal};

/// The meta key of the provisional prefix.
const PROVISIONAL_KEY: &str = "provisional_prefix";

impl Queue {
    /// This queue belongs to a kiosk with no name yet: new records are made under its
    /// provisional prefix (the one it already took, else one taken at the first save).
    pub fn unnamed(mut self) -> Result<Self, QueueError> {
        self.unnamed = true;
        if let Some(prefix) = self.provisional_prefix()? {
            self.kiosk_id = prefix;
        }
        Ok(self)
    }

    /// The kiosk was enrolled while this queue was open (from its start screen): records made
    /// from now on carry the name it has at the hub; those made before keep their prefix.
    pub fn named(&mut self, kiosk_id: &str) {
        kiosk_id.clone_into(&mut self.kiosk_id);
        self.unnamed = false;
    }

    /// The provisional prefix this queue's kiosk saved under before it had a name, if any.
    pub fn provisional_prefix(&self) -> Result<Option<String>, QueueError> {
        Ok(self
            .meta(PROVISIONAL_KEY)?
            .filter(|p| refcode::is_provisional(p)))
    }

    /// Before a save on an unnamed queue: the provisional prefix, taken now if there is none
    /// yet (in one transaction, so an import beside the screen takes the same one).
    pub(super) fn take_provisional(&mut self) -> Result<(), QueueError> {
        if !self.unnamed || refcode::is_provisional(&self.kiosk_id) {
            return Ok(());
        }
        let random: [u8; 6] = seal::random().map_err(super::sealing::fail)?;
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        let stored: Option<String> = tx
            .query_row(
                "SELECT value FROM kiosk_meta WHERE key = ?1",
                params![PROVISIONAL_KEY],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        let prefix = if let Some(p) = stored.filter(|p| refcode::is_provisional(p)) {
            p
        } else {
            let p = refcode::provisional_from(random);
            tx.execute(
                "INSERT INTO kiosk_meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![PROVISIONAL_KEY, p],
            )
            .map_err(&err)?;
            p
        };
        tx.commit().map_err(&err)?;
        tracing::info!(%prefix, "no kiosk_id yet: records are saved under a provisional prefix");
        self.kiosk_id = prefix;
        Ok(())
    }
}
