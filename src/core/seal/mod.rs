//! Sealing personal data, shared by the kiosk and the hub: bytes in, bytes out. It knows no
//! storage, no network and no screen; the queue, the hub and the commands keep the keys.
//!
//! - [`Sealer`] / [`Opener`] (and the one-off [`seal`] / [`open`]): HPKE (RFC 9180) base mode,
//!   DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 (the `hpke` crate of rust-hpke); the context's
//!   exported secret is a record key, and each record is sealed under it with ChaCha20-Poly1305
//!   (`sealer.rs` says why and for how many records). A registration is sealed to the hub's
//!   public key with [`registration_aad`] (kiosk id and submission id) as associated data, so a
//!   sealed record opens only as that record of that kiosk; the on-screen copy is sealed the same
//!   way to the shift's public key.
//! - [`wrap`] / [`unwrap`]: a secret key kept under a PIN: argon2id (the `argon2` crate) turns
//!   the PIN and a random salt into a key, ChaCha20-Poly1305 (`chacha20poly1305`) seals the
//!   secret under it.
//! - [`keyed_hash`]: HMAC-SHA-256 (`hmac`, `sha2`), for looking up an ID number without keeping it.
//!
//! Nothing here is a primitive of our own: only the crates' constructions, put together.

use base64::Engine as _;
use hpke::{Deserializable, Kem as _, Serializable};
use sha2::{Digest as _, Sha256};

mod pin;
mod sealer;

pub use pin::{Cost, MEMORY_KIB, WRAPPED_LEN, cost_of, unwrap, wrap};
pub use sealer::{KEY_LIFETIME, OVERHEAD, Opener, RECORDS_PER_KEY, Sealer, open, seal};

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;

/// Why something could not be sealed or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("not a key")]
    BadKey,
    #[error("too short to be sealed data")]
    TooShort,
    #[error("could not be opened: it was changed, or sealed to another key or as another record")]
    Open,
    #[error("the system's random number generator failed")]
    Random,
}

/// An X25519 public key (32 bytes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey([u8; 32]);

/// An X25519 private key (32 bytes). Never printed.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0 = [0; 32];
    }
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Standard base64 with padding.
#[must_use]
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Reads [`b64`].
#[must_use]
pub fn from_b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
}

impl PublicKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let b: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        <Kem as hpke::Kem>::PublicKey::from_bytes(&b).map_err(|_| SealError::BadKey)?;
        Ok(Self(b))
    }

    /// The key from [`PublicKey::to_b64`].
    pub fn from_b64(text: &str) -> Result<Self, SealError> {
        Self::from_bytes(&from_b64(text).ok_or(SealError::BadKey)?)
    }

    #[must_use]
    pub fn to_b64(&self) -> String {
        b64(&self.0)
    }

    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A short name for the key: the first 8 bytes of its SHA-256, in hex (16 characters).
    #[must_use]
    pub fn key_id(&self) -> String {
        let digest = Sha256::digest(self.0);
        hex(&digest[..8])
    }
}

impl SecretKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let b: [u8; 32] = bytes.try_into().map_err(|_| SealError::BadKey)?;
        <Kem as hpke::Kem>::PrivateKey::from_bytes(&b).map_err(|_| SealError::BadKey)?;
        Ok(Self(b))
    }

    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Its public key.
    #[must_use]
    pub fn public(&self) -> PublicKey {
        let sk = self.hpke();
        let pk = Kem::sk_to_pk(&sk);
        PublicKey(pk.to_bytes().into())
    }

    fn hpke(&self) -> <Kem as hpke::Kem>::PrivateKey {
        // Checked in `from_bytes` and `generate`.
        <Kem as hpke::Kem>::PrivateKey::from_bytes(&self.0).expect("a checked X25519 key")
    }

    /// A new key pair from the operating system's randomness (RFC 9180 `DeriveKeyPair` over 32
    /// random bytes).
    pub fn generate() -> Result<Self, SealError> {
        let ikm: [u8; 32] = random()?;
        let (sk, _) = Kem::derive_keypair(&ikm);
        Ok(Self(sk.to_bytes().into()))
    }
}

/// `N` bytes from the operating system.
pub fn random<const N: usize>() -> Result<[u8; N], SealError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| SealError::Random)?;
    Ok(b)
}

/// The operating system's randomness as the `rand_core` generator `hpke` asks for.
struct OsRng;

impl hpke::rand_core::RngCore for OsRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // A kiosk without working OS randomness must not seal with predictable keys.
        getrandom::fill(dest).expect("the operating system's random number generator failed");
    }
}

impl hpke::rand_core::CryptoRng for OsRng {}

/// What binds a sealed registration to its record: the kiosk's name and the submission id.
#[must_use]
pub fn registration_aad(kiosk_id: &str, submission_id: &uuid::Uuid) -> Vec<u8> {
    let mut aad = Vec::with_capacity(kiosk_id.len() + 40);
    aad.extend_from_slice(b"kiosk=");
    aad.extend_from_slice(kiosk_id.as_bytes());
    aad.extend_from_slice(b";submission=");
    aad.extend_from_slice(submission_id.as_bytes());
    aad
}

/// HMAC-SHA-256 of `message` under `key`, in hex.
#[must_use]
pub fn keyed_hash(key: &[u8; 32], message: &str) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests;
