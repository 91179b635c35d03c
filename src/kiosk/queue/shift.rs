//! The queue's keys (issue 18): what it seals each record to, and the shift that may read them.
//!
//! Kept in `kiosk_meta`, none of them secret on its own:
//! - `hub_key`: the hub's current public key (pinned from `config.toml`, then learned from
//!   `GET /v1/campaign` after a rotation). Every record is sealed to it at enqueue.
//! - `shift_public`, `shift_wrapped`: the shift's X25519 key pair, its private key wrapped under
//!   argon2id of the counter's PIN. Every record's on-screen copy is sealed to the public key at
//!   enqueue (no PIN needed); only an open shift (the PIN typed) reads them.
//! - `hash_key`: the key of the keyed hash of ID numbers (duplicate check, search by ID). It must
//!   work with no shift open (an unattended import, the local duplicate check), so it is kept
//!   here, beside the queue it serves; a finder of the laptop can test an ID number they already
//!   know, but reads none from the file.
//! - `pin_failures`, `pin_wait_until`: wrong PINs in a row and when the next try is allowed, kept
//!   in the file so a restart does not reset them.

use rusqlite::{OptionalExtension, params};

use super::{Queue, QueueError};
use crate::core::seal::{self, Opener, PublicKey, Sealer, SecretKey};

/// Wrong PINs allowed in a row before each further try waits.
pub const FREE_TRIES: u32 = 3;
/// The wait after the first wrong PIN beyond [`FREE_TRIES`]; it doubles with each one more.
const FIRST_WAIT_MS: i64 = 30_000;
/// The longest wait between tries.
const MAX_WAIT_MS: i64 = 15 * 60_000;
/// Shortest PIN accepted.
pub const MIN_PIN_CHARS: usize = 4;

/// How long one try at the PIN takes on the kiosk that set it, at the least (the argon2id cost
/// is measured for it when the PIN is set): every PIN tried against a stolen queue costs that
/// much on a machine like the kiosk.
pub const PIN_TRY: std::time::Duration = std::time::Duration::from_millis(250);

/// The keys of one open queue, and the sealers that use them (in memory only: a new queue
/// connection seals under new record keys).
#[derive(Default)]
pub(super) struct Keys {
    pub hash_key: [u8; 32],
    pub hub: Option<PublicKey>,
    pub shift_public: Option<PublicKey>,
    /// The shift's private key, while a shift is open.
    pub shift: Option<Opener>,
    hub_sealer: Option<Sealer>,
    shift_sealer: Option<Sealer>,
}

/// The sealer in `slot` to `to`: the one there when it seals to `to`, else a new one.
fn sealer_to<'a>(
    slot: &'a mut Option<Sealer>,
    to: &PublicKey,
) -> Result<&'a mut Sealer, QueueError> {
    if slot.as_ref().is_none_or(|s| s.to() != to) {
        *slot = Some(Sealer::new(to).map_err(super::sealing::fail)?);
    }
    Ok(slot.as_mut().expect("just set"))
}

/// Why a PIN was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("wrong PIN; {tries_left} more tries before each try has to wait")]
    Wrong { tries_left: u32 },
    #[error("wrong PIN; too many wrong PINs in a row: try again in {secs} s")]
    Wait { secs: u64 },
    #[error("no PIN is set on this kiosk yet: set one first (`ruamjai pin set`)")]
    NotSet,
    #[error(
        "a PIN is already set on this kiosk: change it with the old one (`ruamjai pin change`)"
    )]
    AlreadySet,
    #[error("a PIN has at least {MIN_PIN_CHARS} characters")]
    TooShort,
    /// A PIN chosen at the kiosk's first start that is too easy to guess.
    #[error("{0}")]
    Weak(super::pin::Weakness),
    #[error("the shift's key could not be read: {0}")]
    Broken(String),
}

fn meta(conn: &rusqlite::Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM kiosk_meta WHERE key = ?1",
        params![key],
        |r| r.get(0),
    )
    .optional()
}

fn set_meta(conn: &rusqlite::Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO kiosk_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

impl Keys {
    /// The keys stored in the queue on `conn`; a new hash key is made on the first open.
    pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let stored = meta(conn, "hash_key")?
            .and_then(|v| seal::from_b64(&v))
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok());
        let hash_key = if let Some(k) = stored {
            k
        } else {
            let k: [u8; 32] = seal::random().map_err(|e| {
                rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(e)))
            })?;
            set_meta(conn, "hash_key", &seal::b64(&k))?;
            k
        };
        let key = |name: &str| -> rusqlite::Result<Option<PublicKey>> {
            Ok(meta(conn, name)?.and_then(|v| PublicKey::from_b64(&v).ok()))
        };
        Ok(Self {
            hash_key,
            hub: key("hub_key")?,
            shift_public: key("shift_public")?,
            ..Self::default()
        })
    }

    /// The sealer to the hub's current key, if one is known.
    pub fn hub_sealer(&mut self) -> Result<Option<&mut Sealer>, QueueError> {
        match self.hub {
            Some(to) => sealer_to(&mut self.hub_sealer, &to).map(Some),
            None => Ok(None),
        }
    }

    /// The sealer to the shift's public key, if a PIN is set.
    pub fn shift_sealer(&mut self) -> Result<Option<&mut Sealer>, QueueError> {
        match self.shift_public {
            Some(to) => sealer_to(&mut self.shift_sealer, &to).map(Some),
            None => Ok(None),
        }
    }
}

impl Keys {
    /// The keyed hash kept in place of a person key (`ID:…`, `P:…`).
    pub fn person_hash(&self, person_key: &str) -> String {
        format!("h:{}", seal::keyed_hash(&self.hash_key, person_key))
    }
}

impl Queue {
    /// The keyed hash the queue keeps in place of a person key (`ID:…`, `P:…`).
    #[must_use]
    pub fn person_hash(&self, person_key: &str) -> String {
        self.keys.person_hash(person_key)
    }

    /// The hub key records are sealed to now.
    #[must_use]
    pub fn hub_key(&self) -> Option<PublicKey> {
        self.keys.hub
    }

    /// Makes `key` the hub key new records are sealed to (a pinned key, or one the hub published
    /// after a rotation). Returns whether it changed.
    pub fn set_hub_key(&mut self, key: &PublicKey) -> Result<bool, QueueError> {
        if self.keys.hub.as_ref() == Some(key) {
            return Ok(false);
        }
        set_meta(&self.conn, "hub_key", &key.to_b64()).map_err(|e| self.err(e))?;
        self.keys.hub = Some(*key);
        Ok(true)
    }

    /// Reads the hub key again (another connection may have learnt a new one).
    pub(super) fn refresh_hub_key(&mut self) -> Result<(), QueueError> {
        let stored = meta(&self.conn, "hub_key")
            .map_err(|e| self.err(e))?
            .and_then(|v| PublicKey::from_b64(&v).ok());
        if stored.is_some() {
            self.keys.hub = stored;
        }
        Ok(())
    }

    /// Whether the counter's PIN has been set (a shift key exists).
    #[must_use]
    pub fn pin_set(&self) -> bool {
        self.keys.shift_public.is_some()
    }

    /// Whether a shift is open here (its PIN was typed): the on-screen copies can be read.
    #[must_use]
    pub fn shift_open(&self) -> bool {
        self.keys.shift.is_some()
    }

    /// Closes the shift: the on-screen copies are unreadable again (the shift's key and the
    /// record keys opened with it are dropped, and zeroed), and those of records the hub has
    /// acknowledged are deleted: the next shift needs only what is still waiting.
    pub fn close_shift(&mut self) {
        self.keys.shift = None;
        if let Err(e) = self.drop_shown_acknowledged(i64::MAX) {
            tracing::warn!("the on-screen copies of acknowledged records stay: {e}");
        }
    }

    /// Sets the counter's first PIN: a new shift key pair, its private key wrapped under the PIN.
    /// The shift is open afterwards.
    pub fn set_pin(&mut self, pin: &str) -> Result<(), QueueError> {
        if self.pin_set() {
            return Err(PinError::AlreadySet.into());
        }
        self.new_shift_key(pin)
    }

    /// A forgotten PIN: a new shift key under `pin`. The on-screen copies, security codes and
    /// site's list sealed to the old key are dropped (nobody can read them any more); every record's hub copy stays and is sent.
    pub fn reset_pin(&mut self, pin: &str) -> Result<usize, QueueError> {
        let dropped = self
            .conn
            .execute(
                "UPDATE registrations SET shift_sealed = NULL WHERE shift_sealed IS NOT NULL",
                [],
            )
            .map_err(|e| self.err(e))?;
        self.conn
            .execute(
                "UPDATE registrations SET appointment_code = NULL
                 WHERE appointment_code IS NOT NULL",
                [],
            )
            .map_err(|e| self.err(e))?;
        // The site's list sealed to the old key too: the next download brings it back.
        self.drop_site_list()?;
        self.new_shift_key(pin)?;
        Ok(dropped)
    }

    /// The PIN the clerk chose at the kiosk's first start ([`Queue::set_pin`]), refused when it
    /// is too easy to guess ([`super::pin::weakness`]).
    pub fn choose_pin(&mut self, pin: &str) -> Result<(), QueueError> {
        if let Some(why) = super::pin::weakness(pin) {
            return Err(PinError::Weak(why).into());
        }
        self.set_pin(pin)
    }

    /// How long one try at a PIN set from now on takes here (default [`PIN_TRY`]; the tests'
    /// queues take next to nothing).
    pub fn set_pin_cost(&mut self, target: std::time::Duration) {
        self.pin_cost = target;
    }

    /// `sk` wrapped under a new `pin`: refused when the PIN is easy to guess, at the cost of
    /// [`Queue::set_pin_cost`] measured on this machine now.
    fn wrap_new(&self, pin: &str, sk: &SecretKey) -> Result<Vec<u8>, QueueError> {
        if let Some(why) = super::pin::weakness(pin) {
            return Err(PinError::Weak(why).into());
        }
        let broken = |e: seal::SealError| QueueError::Pin(PinError::Broken(e.to_string()));
        let cost = seal::Cost::calibrate(self.pin_cost).map_err(broken)?;
        seal::wrap(pin, sk, cost).map_err(broken)
    }

    fn new_shift_key(&mut self, pin: &str) -> Result<(), QueueError> {
        if let Some(why) = super::pin::weakness(pin) {
            return Err(PinError::Weak(why).into());
        }
        let broken = |e: seal::SealError| QueueError::Pin(PinError::Broken(e.to_string()));
        let sk = SecretKey::generate().map_err(broken)?;
        let wrapped = self.wrap_new(pin, &sk)?;
        let public = sk.public();
        set_meta(&self.conn, "shift_wrapped", &seal::b64(&wrapped)).map_err(|e| self.err(e))?;
        set_meta(&self.conn, "shift_public", &public.to_b64()).map_err(|e| self.err(e))?;
        set_meta(&self.conn, "pin_failures", "0").map_err(|e| self.err(e))?;
        self.keys.shift_public = Some(public);
        self.keys.shift = Some(Opener::new(sk));
        Ok(())
    }

    /// Opens the shift with `pin`. A wrong PIN is counted; after [`FREE_TRIES`] in a row each
    /// try waits (30 s, doubling, at most 15 min), also across restarts.
    pub fn open_shift(&mut self, pin: &str, now: i64) -> Result<(), QueueError> {
        let wrapped = meta(&self.conn, "shift_wrapped")
            .map_err(|e| self.err(e))?
            .and_then(|v| seal::from_b64(&v))
            .ok_or(PinError::NotSet)?;
        let failures: u32 = meta(&self.conn, "pin_failures")
            .map_err(|e| self.err(e))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let wait_until: i64 = meta(&self.conn, "pin_wait_until")
            .map_err(|e| self.err(e))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if now < wait_until {
            let secs = ((wait_until - now) as u64).div_ceil(1000);
            return Err(PinError::Wait { secs }.into());
        }
        match seal::unwrap(pin, &wrapped) {
            Ok(sk) if Some(sk.public()) == self.keys.shift_public => {
                set_meta(&self.conn, "pin_failures", "0").map_err(|e| self.err(e))?;
                self.keys.shift = Some(Opener::new(sk));
                Ok(())
            }
            Ok(_) => Err(PinError::Broken("the stored shift keys do not match".into()).into()),
            Err(seal::SealError::Open) => {
                let failures = failures + 1;
                set_meta(&self.conn, "pin_failures", &failures.to_string())
                    .map_err(|e| self.err(e))?;
                if failures < FREE_TRIES {
                    return Err(PinError::Wrong {
                        tries_left: FREE_TRIES - failures,
                    }
                    .into());
                }
                let wait = (FIRST_WAIT_MS << (failures - FREE_TRIES).min(10)).min(MAX_WAIT_MS);
                set_meta(&self.conn, "pin_wait_until", &(now + wait).to_string())
                    .map_err(|e| self.err(e))?;
                Err(PinError::Wait {
                    secs: (wait as u64).div_ceil(1000),
                }
                .into())
            }
            Err(e) => Err(PinError::Broken(e.to_string()).into()),
        }
    }

    /// Changes the PIN: the same shift key, wrapped under `new` (the old one must be right).
    pub fn change_pin(&mut self, old: &str, new: &str, now: i64) -> Result<(), QueueError> {
        if let Some(why) = super::pin::weakness(new) {
            return Err(PinError::Weak(why).into());
        }
        self.open_shift(old, now)?;
        let sk = self
            .keys
            .shift
            .as_ref()
            .ok_or(PinError::NotSet)?
            .secret()
            .clone();
        let wrapped = self.wrap_new(new, &sk)?;
        set_meta(&self.conn, "shift_wrapped", &seal::b64(&wrapped)).map_err(|e| self.err(e))
    }
}
