//! Sealing many records to one public key for the price of a few: HPKE (RFC 9180) base mode sets
//! up one context to the recipient (one key encapsulation: two X25519 operations), and the
//! context's secret export (§5.3) gives a record key; each record is then sealed with that key by
//! ChaCha20-Poly1305 under a fresh random nonce and the record's associated data. The sealed
//! bytes are `enc (32) || nonce (12) || ciphertext and tag`.
//!
//! A [`Sealer`] keeps its record key in memory only, and makes a new one (a new encapsulation)
//! after [`RECORDS_PER_KEY`] records or [`KEY_LIFETIME`], whichever comes first: what a copy of a
//! running kiosk's memory could open is at most that many records, and a kiosk that restarts has
//! no key at all for what it sealed before. An [`Opener`] keeps the record keys it derived (a
//! bounded number), so a batch of one kiosk's records costs one decapsulation, not one each.
//!
//! A random 96-bit nonce under a key used at most [`RECORDS_PER_KEY`] times repeats with a
//! probability far below 2^-70; every key is new (a fresh encapsulation), never shared between
//! processes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};

use super::{Kdf, Kem, OsRng, PublicKey, SealError, SecretKey, random};

/// The HPKE `info` of every context: binds the keys to this use and version.
const INFO: &[u8] = b"ruamjai registration v2";
/// The label of the record key exported from a context.
const RECORD_KEY: &[u8] = b"ruamjai record key";
/// Bytes of the encapsulated key, the nonce and the tag.
pub const OVERHEAD: usize = 32 + 12 + 16;
/// Records sealed under one record key before a new one is made.
pub const RECORDS_PER_KEY: u32 = 1000;
/// How long one record key is used at most.
pub const KEY_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Record keys an [`Opener`] keeps (a few per kiosk and hour); when full it starts again.
const KEYS_KEPT: usize = 4096;

/// The HPKE context's AEAD. The record key is exported from the context, so this is only the
/// suite's third part; ChaCha20-Poly1305 again.
type SuiteAead = hpke::aead::ChaCha20Poly1305;

/// A record key, zeroed when dropped.
struct RecordKey([u8; 32]);

impl Drop for RecordKey {
    fn drop(&mut self) {
        self.0 = [0; 32];
    }
}

impl RecordKey {
    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(Key::from_slice(&self.0))
    }
}

/// Seals records to one public key, with a record key made anew now and then.
pub struct Sealer {
    to: PublicKey,
    enc: [u8; 32],
    key: RecordKey,
    sealed: u32,
    since: Instant,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(to {}, {} sealed)", self.to.key_id(), self.sealed)
    }
}

impl Sealer {
    /// A sealer to `to`, with its first record key.
    pub fn new(to: &PublicKey) -> Result<Self, SealError> {
        let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(&to.0).map_err(|_| SealError::BadKey)?;
        let (enc, ctx) =
            hpke::setup_sender::<SuiteAead, Kdf, Kem, _>(&OpModeS::Base, &pk, INFO, &mut OsRng)
                .map_err(|_| SealError::BadKey)?;
        let mut key = RecordKey([0; 32]);
        ctx.export(RECORD_KEY, &mut key.0)
            .map_err(|_| SealError::BadKey)?;
        Ok(Self {
            to: *to,
            enc: enc.to_bytes().into(),
            key,
            sealed: 0,
            since: Instant::now(),
        })
    }

    /// The key this sealer seals to.
    #[must_use]
    pub fn to(&self) -> &PublicKey {
        &self.to
    }

    /// Seals `plaintext`, bound to `aad`: `enc || nonce || ciphertext`.
    pub fn seal(&mut self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        if self.sealed >= RECORDS_PER_KEY || self.since.elapsed() >= KEY_LIFETIME {
            *self = Self::new(&self.to)?;
        }
        let nonce: [u8; 12] = random()?;
        let ct = self
            .key
            .cipher()
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| SealError::BadKey)?;
        self.sealed += 1;
        let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
        out.extend_from_slice(&self.enc);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }
}

/// Opens what [`Sealer`]s sealed to one secret key, keeping the record keys it derived.
pub struct Opener {
    sk: SecretKey,
    keys: Mutex<HashMap<[u8; 32], RecordKey>>,
}

impl std::fmt::Debug for Opener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opener({})", self.sk.public().key_id())
    }
}

impl Opener {
    #[must_use]
    pub fn new(sk: SecretKey) -> Self {
        Self {
            sk,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// The secret key it opens with.
    #[must_use]
    pub fn secret(&self) -> &SecretKey {
        &self.sk
    }

    /// Opens `sealed`, made for this key with the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let parts = Parts::of(sealed)?;
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !keys.contains_key(&parts.enc) {
            let key = record_key(&self.sk, &parts.enc)?;
            if keys.len() >= KEYS_KEPT {
                keys.clear();
            }
            keys.insert(parts.enc, key);
        }
        keys[&parts.enc].open(&parts, aad)
    }
}

/// Sealed bytes taken apart.
struct Parts<'a> {
    enc: [u8; 32],
    nonce: &'a [u8],
    ct: &'a [u8],
}

impl<'a> Parts<'a> {
    fn of(sealed: &'a [u8]) -> Result<Self, SealError> {
        if sealed.len() < OVERHEAD {
            return Err(SealError::TooShort);
        }
        let (enc, rest) = sealed.split_at(32);
        let (nonce, ct) = rest.split_at(12);
        Ok(Self {
            enc: enc.try_into().map_err(|_| SealError::TooShort)?,
            nonce,
            ct,
        })
    }
}

impl RecordKey {
    fn open(&self, parts: &Parts<'_>, aad: &[u8]) -> Result<Vec<u8>, SealError> {
        self.cipher()
            .decrypt(
                Nonce::from_slice(parts.nonce),
                Payload { msg: parts.ct, aad },
            )
            .map_err(|_| SealError::Open)
    }
}

/// The record key of the context `enc` sets up with `sk`.
fn record_key(sk: &SecretKey, enc: &[u8; 32]) -> Result<RecordKey, SealError> {
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc).map_err(|_| SealError::Open)?;
    let ctx = hpke::setup_receiver::<SuiteAead, Kdf, Kem>(&OpModeR::Base, &sk.hpke(), &enc, INFO)
        .map_err(|_| SealError::Open)?;
    let mut key = RecordKey([0; 32]);
    ctx.export(RECORD_KEY, &mut key.0)
        .map_err(|_| SealError::Open)?;
    Ok(key)
}

/// Seals one record to `to` (a sealer of its own: for one-off use and tests).
pub fn seal(to: &PublicKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    Sealer::new(to)?.seal(aad, plaintext)
}

/// Opens one record sealed to `with`'s public key (nothing kept).
pub fn open(with: &SecretKey, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    let parts = Parts::of(sealed)?;
    record_key(with, &parts.enc)?.open(&parts, aad)
}
