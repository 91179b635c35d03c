//! A secret key kept under a PIN: argon2id(PIN, salt) is the key of a ChaCha20-Poly1305 seal of
//! the secret. The stored form is `salt (16) || nonce (12) || ciphertext (32 + 16)`.
//!
//! The argon2id cost is OWASP's first recommendation (19 MiB, 2 passes, 1 lane): a PIN typed at
//! the start of a shift takes a fraction of a second, and every guess at a stolen queue costs as
//! much (the kiosk also limits guesses: `queue::shift`).

use chacha20poly1305::aead::{Aead as _, KeyInit as _};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::{SealError, SecretKey, random};

/// Bytes of a wrapped secret.
pub const WRAPPED_LEN: usize = 16 + 12 + 32 + 16;

const AAD: &[u8] = b"ruamjai shift key v1";

fn pin_key(pin: &str, salt: &[u8]) -> Result<[u8; 32], SealError> {
    let params = argon2::Params::new(19 * 1024, 2, 1, Some(32)).map_err(|_| SealError::BadKey)?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    argon
        .hash_password_into(pin.as_bytes(), salt, &mut key)
        .map_err(|_| SealError::BadKey)?;
    Ok(key)
}

/// `secret` sealed under `pin` (a fresh salt and nonce each time).
pub fn wrap(pin: &str, secret: &SecretKey) -> Result<Vec<u8>, SealError> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 12] = random()?;
    let mut key = pin_key(pin, &salt)?;
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
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// The secret [`wrap`] sealed under `pin`; [`SealError::Open`] for a wrong PIN.
pub fn unwrap(pin: &str, wrapped: &[u8]) -> Result<SecretKey, SealError> {
    if wrapped.len() != WRAPPED_LEN {
        return Err(SealError::TooShort);
    }
    let (salt, rest) = wrapped.split_at(16);
    let (nonce, ct) = rest.split_at(12);
    let key = pin_key(pin, salt)?;
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
