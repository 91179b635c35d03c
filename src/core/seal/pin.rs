//! A secret key kept under a PIN: argon2id(PIN, salt) is the key of a ChaCha20-Poly1305 seal of
//! the secret.
//!
//! The argon2id cost is set on the machine that wraps, when the PIN is set: [`Cost::calibrate`]
//! measures this machine and takes as many passes over [`MEMORY_KIB`] as make one try last at
//! least the target (a quarter of a second for a counter), so every guess at a stolen queue
//! costs that much on that machine, and the memory makes a GPU pay for each guess in parallel.
//! The cost is stored with the wrapped key: `"P2" || memory KiB (u32 LE) || passes (u32 LE) ||
//! salt (16) || nonce (12) || ciphertext (32 + 16)`. A key wrapped before costs were stored
//! (76 bytes, no header) opens with the fixed cost it had (19 MiB, 2 passes).

use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead as _, KeyInit as _};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::{SealError, SecretKey, random};

/// Bytes of a key wrapped before costs were stored.
const OLD_LEN: usize = 16 + 12 + 32 + 16;

/// What marks a wrapped key that carries its cost.
const MARK: &[u8; 2] = b"P2";

/// Bytes of a wrapped secret.
pub const WRAPPED_LEN: usize = MARK.len() + 8 + OLD_LEN;

/// The memory of each try: 64 MiB.
pub const MEMORY_KIB: u32 = 64 * 1024;

/// The most passes calibration takes (a very slow machine stays usable).
const MAX_PASSES: u32 = 64;

const AAD: &[u8] = b"ruamjai shift key v1";

/// argon2id's cost: memory and passes (one lane).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Cost {
    /// The cost of keys wrapped before costs were stored (OWASP's first recommendation).
    pub const OLD: Cost = Cost {
        memory_kib: 19 * 1024,
        passes: 2,
    };

    /// The least cost, for tests: a try in a millisecond or so.
    pub const LEAST: Cost = Cost {
        memory_kib: 8,
        passes: 1,
    };

    /// As many passes over [`MEMORY_KIB`] as make one try take at least `target` on this
    /// machine, at least 2: measured now, a try at a time (a try's fixed part, taking the
    /// memory, does not scale with the passes), at most four tries. A target of zero:
    /// [`Cost::LEAST`].
    pub fn calibrate(target: Duration) -> Result<Cost, SealError> {
        if target.is_zero() {
            return Ok(Cost::LEAST);
        }
        let mut cost = Cost {
            memory_kib: MEMORY_KIB,
            passes: 2,
        };
        for _ in 0..4 {
            let started = Instant::now();
            pin_key(cost, "calibration", &[0; 16])?;
            let took = started.elapsed().max(Duration::from_micros(100));
            if took >= target || cost.passes >= MAX_PASSES {
                break;
            }
            // Scaled to the target, a tenth more for the part that does not scale.
            let scaled = f64::from(cost.passes) * target.as_secs_f64() / took.as_secs_f64() * 1.1;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let next = (scaled.ceil() as u32).clamp(cost.passes + 1, MAX_PASSES);
            cost.passes = next;
        }
        Ok(cost)
    }
}

fn pin_key(cost: Cost, pin: &str, salt: &[u8]) -> Result<[u8; 32], SealError> {
    let params = argon2::Params::new(cost.memory_kib, cost.passes, 1, Some(32))
        .map_err(|_| SealError::BadKey)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon
        .hash_password_into(pin.as_bytes(), salt, &mut key)
        .map_err(|_| SealError::BadKey)?;
    Ok(key)
}

/// `secret` sealed under `pin` at `cost` (a fresh salt and nonce each time).
pub fn wrap(pin: &str, secret: &SecretKey, cost: Cost) -> Result<Vec<u8>, SealError> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 12] = random()?;
    let mut key = pin_key(cost, pin, &salt)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    key = [0; 32];
    let _ = key;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            chacha20poly1305::aead::Payload {
                msg: secret.as_bytes(),
                aad: AAD,
            },
        )
        .map_err(|_| SealError::BadKey)?;
    let mut out = Vec::with_capacity(WRAPPED_LEN);
    out.extend_from_slice(MARK);
    out.extend_from_slice(&cost.memory_kib.to_le_bytes());
    out.extend_from_slice(&cost.passes.to_le_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// The cost a wrapped key was made with, and the rest of it (salt, nonce, ciphertext).
fn split(wrapped: &[u8]) -> Result<(Cost, &[u8]), SealError> {
    if wrapped.len() == OLD_LEN {
        return Ok((Cost::OLD, wrapped));
    }
    if wrapped.len() != WRAPPED_LEN || !wrapped.starts_with(MARK) {
        return Err(SealError::TooShort);
    }
    let word = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&wrapped[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let cost = Cost {
        memory_kib: word(2),
        passes: word(6),
    };
    Ok((cost, &wrapped[10..]))
}

/// The cost `wrapped` was made with (what each try at its PIN costs).
pub fn cost_of(wrapped: &[u8]) -> Result<Cost, SealError> {
    split(wrapped).map(|(cost, _)| cost)
}

/// The secret [`wrap`] sealed under `pin`; [`SealError::Open`] for a wrong PIN.
pub fn unwrap(pin: &str, wrapped: &[u8]) -> Result<SecretKey, SealError> {
    let (cost, rest) = split(wrapped)?;
    let (salt, rest) = rest.split_at(16);
    let (nonce, ct) = rest.split_at(12);
    let key = pin_key(cost, pin, salt)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let mut secret = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            chacha20poly1305::aead::Payload { msg: ct, aad: AAD },
        )
        .map_err(|_| SealError::Open)?;
    let key = SecretKey::from_bytes(&secret);
    secret.fill(0);
    key
}
