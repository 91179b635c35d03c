//! Sealing records (issue 18): at enqueue a registration is kept only as its hub copy (sealed to
//! the hub's key, shipped by the sender as it is) and its on-screen copy (sealed to the shift's
//! key), each by the queue's [`crate::core::seal::Sealer`] to that key; reading a record with a shift
//! open opens the on-screen copy each time it is read (no opened copy is kept in memory, only
//! the record keys: `seal::Opener`); [`Queue::seal_waiting`]
//! seals what is not sealed yet, in one transaction: a queue from before sealing (in place), and
//! records saved before the hub's key was known (their hub copy made from the on-screen copy,
//! which needs an open shift).

use rusqlite::params;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::shift::Keys;
use super::write::{begin, parse_uuid};
use super::{Queue, QueueError};
use crate::core::protocol::SealedBox;
use crate::core::seal;

/// The meta key set once no record is kept in clear (a queue from before sealing was sealed in
/// place, or never held one); enqueue writes no clear copy, so it stays true.
const NO_CLEAR_ROWS: &str = "no_clear_rows";

/// What the on-screen copy holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Shown {
    /// The registration as JSON.
    pub payload: String,
    /// The normalised names, ID and phone the queue screen searches.
    pub search_text: String,
}

/// The sealed copies of one record.
pub(super) struct Sealed {
    pub hub: Option<String>,
    pub shift: Option<Vec<u8>>,
}

/// What [`Queue::seal_waiting`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SealReport {
    /// Records from before sealing whose clear columns were replaced by sealed copies.
    pub sealed_in_place: usize,
    /// Records given the hub copy they lacked (saved before the hub's key was known).
    pub sealed_for_hub: usize,
}

/// A record not sealed yet (or lacking its hub copy), as read.
struct Unsealed {
    id: String,
    payload: Option<String>,
    search_text: Option<String>,
    id_key: Option<String>,
    shift_sealed: Option<Vec<u8>>,
    kiosk_id: String,
}

/// Seals a new record's copies with `keys`, as record `submission_id` of kiosk `kiosk_id`.
/// Without any key to seal to nothing may be saved.
pub(super) fn seal_record(
    keys: &mut Keys,
    kiosk_id: &str,
    submission_id: &Uuid,
    payload: &str,
    search_text: &str,
) -> Result<Sealed, QueueError> {
    let aad = seal::registration_aad(kiosk_id, submission_id);
    let hub = hub_copy(keys, &hub_aad(kiosk_id, submission_id), payload)?;
    let shift = match keys.shift_sealer()? {
        Some(sealer) => {
            let shown = Shown {
                payload: payload.to_owned(),
                search_text: search_text.to_owned(),
            };
            let json = serde_json::to_vec(&shown).unwrap_or_default();
            Some(sealer.seal(&aad, &json).map_err(fail)?)
        }
        None => None,
    };
    if hub.is_none() && shift.is_none() {
        return Err(QueueError::NothingToSealTo);
    }
    Ok(Sealed { hub, shift })
}

/// The associated data of a record's hub copy: its reference's prefix (what the hub checks the
/// sending kiosk against, whatever case or dashes the kiosk's name was written with) and its id.
/// The on-screen copy keeps the kiosk id the record was made under.
fn hub_aad(kiosk_id: &str, submission_id: &Uuid) -> Vec<u8> {
    seal::registration_aad(&crate::core::refcode::prefix_of(kiosk_id), submission_id)
}

/// A sealing failure as the queue says it.
pub(super) fn fail(e: seal::SealError) -> QueueError {
    QueueError::Seal(e.to_string())
}

/// The hub copy of `payload` (the [`SealedBox`] JSON the sender ships), when the hub's key is
/// known.
fn hub_copy(keys: &mut Keys, aad: &[u8], payload: &str) -> Result<Option<String>, QueueError> {
    let Some(sealer) = keys.hub_sealer()? else {
        return Ok(None);
    };
    let data = sealer.seal(aad, payload.as_bytes()).map_err(fail)?;
    let boxed = SealedBox {
        key_id: sealer.to().key_id(),
        data: seal::b64(&data),
    };
    Ok(Some(serde_json::to_string(&boxed).unwrap_or_default()))
}

impl Queue {
    /// The on-screen copy of record `id` of kiosk `kiosk_id` (the record's own, as it was
    /// sealed), when a shift is open and it opens.
    pub(super) fn shown(&self, id: Uuid, kiosk_id: &str, shift_sealed: &[u8]) -> Option<Shown> {
        let opener = self.keys.shift.as_ref()?;
        let aad = seal::registration_aad(kiosk_id, &id);
        let json = opener.open(&aad, shift_sealed).ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// Seals, in one transaction, what is not sealed yet: records from before sealing (their
    /// clear registration, search text and ID number replaced by the sealed copies and the keyed
    /// hash), and records lacking a hub copy once the hub's key is known and a shift is open.
    /// Then checkpoints the WAL (TRUNCATE), so no earlier page of the clear rows stays in it.
    pub fn seal_waiting(&mut self) -> Result<SealReport, QueueError> {
        let mut report = SealReport::default();
        if self.keys.hub.is_none() && self.keys.shift_public.is_none() {
            return Ok(report);
        }
        // Records waiting for a hub copy are read only when one can be made (the hub's key
        // known, the shift open): a kiosk that has neither would read every one of them at
        // each start for nothing. Records in clear exist only in a queue from before sealing,
        // and a pass with any key seals them all: after one, there is nothing else to look for.
        let for_hub = self.keys.hub.is_some() && self.shift_open();
        let none_in_clear = self.meta(NO_CLEAR_ROWS)?.is_some();
        if !for_hub && none_in_clear {
            return Ok(report);
        }
        let rows: Vec<Unsealed> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT submission_id, payload, search_text, id_key, shift_sealed, kiosk_id
                     FROM registrations INDEXED BY registrations_unsealed
                     WHERE (payload IS NOT NULL OR (hub_sealed IS NULL AND shift_sealed IS NOT NULL))
                       AND (payload IS NOT NULL OR ?1)",
                )
                .map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map([for_hub], |r| {
                    Ok(Unsealed {
                        id: r.get(0)?,
                        payload: r.get(1)?,
                        search_text: r.get(2)?,
                        id_key: r.get(3)?,
                        shift_sealed: r.get(4)?,
                        kiosk_id: r.get(5)?,
                    })
                })
                .map_err(|e| self.err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?
        };
        let mut updates = Vec::new();
        for row in rows {
            let Unsealed {
                id,
                payload,
                search_text,
                id_key,
                shift_sealed,
                kiosk_id,
            } = row;
            let sid = parse_uuid(&id);
            // Each record is sealed as the record of the kiosk id it was made under.
            if let Some(payload) = payload {
                let sealed = seal_record(
                    &mut self.keys,
                    &kiosk_id,
                    &sid,
                    &payload,
                    search_text.as_deref().unwrap_or(""),
                )?;
                let id_key = id_key
                    .filter(|k| !k.starts_with("h:"))
                    .map(|k| self.person_hash(&k));
                updates.push((id, sealed.hub, sealed.shift, id_key, true));
                report.sealed_in_place += 1;
            } else if let Some(bytes) = shift_sealed {
                // Selected only when a hub copy can be made (`for_hub`).
                let Some(shown) = self.shown(sid, &kiosk_id, &bytes) else {
                    continue;
                };
                let hub = hub_copy(&mut self.keys, &hub_aad(&kiosk_id, &sid), &shown.payload)?;
                updates.push((id, hub, None, None, false));
                report.sealed_for_hub += 1;
            }
        }
        if updates.is_empty() {
            if !none_in_clear {
                self.set_meta(NO_CLEAR_ROWS, "1")?;
            }
            return Ok(report);
        }
        let (tx, err) = begin(&mut self.conn, &self.path)?;
        for (id, hub, shift, id_key, in_place) in &updates {
            if *in_place {
                tx.execute(
                    "UPDATE registrations SET hub_sealed = ?2, shift_sealed = ?3,
                            id_key = COALESCE(?4, id_key), payload = NULL, search_text = NULL
                     WHERE submission_id = ?1",
                    params![id, hub, shift, id_key],
                )
                .map_err(&err)?;
            } else {
                tx.execute(
                    "UPDATE registrations SET hub_sealed = ?2 WHERE submission_id = ?1",
                    params![id, hub],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        if !none_in_clear {
            self.set_meta(NO_CLEAR_ROWS, "1")?;
        }
        self.checkpoint()?;
        Ok(report)
    }

    /// Copies the WAL into the file and truncates it (what was overwritten is gone from both:
    /// the queue runs with `secure_delete`).
    pub fn checkpoint(&self) -> Result<(), QueueError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.err(e))
    }

    /// With a shift open, gives the records that wait for the hub's key their hub copy as soon
    /// as the key is known (another connection, the sender, may just have learnt it): what a
    /// kiosk saved before it had the hub's key goes out without waiting for the next shift.
    pub fn seal_for_hub_key(&mut self) -> Result<SealReport, QueueError> {
        if !self.shift_open() {
            return Ok(SealReport::default());
        }
        self.refresh_hub_key()?;
        if self.keys.hub.is_none() || self.unsealed_counts()?.0 == 0 {
            return Ok(SealReport::default());
        }
        self.seal_waiting()
    }

    /// Records that wait for the hub's key (no hub copy yet), and records not sealed yet.
    pub fn unsealed_counts(&self) -> Result<(u64, u64), QueueError> {
        self.conn
            .query_row(
                "SELECT COALESCE(SUM(hub_sealed IS NULL AND shift_sealed IS NOT NULL
                                     AND payload IS NULL), 0),
                        COALESCE(SUM(payload IS NOT NULL), 0)
                 FROM registrations INDEXED BY registrations_unsealed
                 WHERE payload IS NOT NULL OR (hub_sealed IS NULL AND shift_sealed IS NOT NULL)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))
    }
}
