//! The hub's key pairs for opening sealed registrations (`crate::core::seal`): `hub.key` in the data
//! directory (0600 on Unix), or `RUAMJAI_HUB_KEY` in the environment, which wins.
//!
//! The file holds one key a line, `KEY_ID BASE64_PRIVATE_KEY`, oldest first; the last is the
//! current one, published at `GET /v1/campaign`. `hub keygen --rotate` adds a line and keeps the
//! others, so records sealed to an old key (queued at a kiosk that has not heard of the new one)
//! are still opened. `RUAMJAI_HUB_KEY` holds the base64 private keys the same way, separated by
//! spaces or commas, the current last. Every hub process on one PostgreSQL database must have the
//! same keys: copy `hub.key`, or give each the same variable.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::protocol::SealKey;
use crate::core::seal::{Opener, PublicKey, SealError, SecretKey};
use crate::hub::error::HubError;

/// The key file's name in the hub's data directory.
pub const KEY_FILE: &str = "hub.key";
/// The environment variable that holds the keys instead of the file.
pub const KEY_ENV: &str = "RUAMJAI_HUB_KEY";

/// The keys a hub opens with; the last is current. Each keeps the record keys it opened
/// (`seal::Opener`), shared by every clone: a kiosk's batch costs one key agreement, not one
/// per record.
#[derive(Clone)]
pub struct HubKeys {
    keys: Vec<HubKey>,
}

/// One key pair of the hub.
#[derive(Clone)]
struct HubKey {
    id: String,
    public: PublicKey,
    opener: Arc<Opener>,
}

impl HubKey {
    fn new(sk: SecretKey) -> Self {
        let public = sk.public();
        Self {
            id: public.key_id(),
            public,
            opener: Arc::new(Opener::new(sk)),
        }
    }
}

impl std::fmt::Debug for HubKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        write!(f, "HubKeys({ids:?})")
    }
}

fn key_error(path: &Path, why: impl Into<String>) -> HubError {
    HubError::Key {
        path: path.display().to_string(),
        why: why.into(),
    }
}

/// Why the text of `hub.key` or `RUAMJAI_HUB_KEY` gives no keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyTextError {
    #[error("a key is not base64")]
    NotBase64,
    #[error(transparent)]
    NotAKey(#[from] SealError),
    #[error("holds no key")]
    Empty,
}

impl HubKeys {
    /// Keys from the base64 private keys in `text` (spaces, commas or lines between them; a line
    /// may start with its key id, and `#` starts a comment).
    pub fn parse(text: &str) -> Result<Self, KeyTextError> {
        let mut keys = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            for word in line.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
                // A key id is 16 hex digits; a private key's base64 is 44 characters.
                if word.len() == 16 && word.chars().all(|c| c.is_ascii_hexdigit()) {
                    continue;
                }
                let bytes = crate::core::seal::from_b64(word).ok_or(KeyTextError::NotBase64)?;
                let sk = SecretKey::from_bytes(&bytes)?;
                keys.push(HubKey::new(sk));
            }
        }
        if keys.is_empty() {
            return Err(KeyTextError::Empty);
        }
        Ok(Self { keys })
    }

    /// The keys of the hub on `dir`: `RUAMJAI_HUB_KEY` when set, else `hub.key`, made now when
    /// there is none (the first start of a hub seals from the start).
    pub fn load_or_create(dir: &Path) -> Result<Self, HubError> {
        if let Some(v) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            return Self::parse(&v.to_string_lossy())
                .map_err(|why| key_error(Path::new(KEY_ENV), why.to_string()));
        }
        let path = dir.join(KEY_FILE);
        if !path.exists() {
            let id = keygen(dir, false)?.key_id();
            tracing::info!("made the hub's key {id} in {}", path.display());
        }
        Self::read(&path)
    }

    /// The keys in the file at `path`.
    pub fn read(path: &Path) -> Result<Self, HubError> {
        let text = std::fs::read_to_string(path).map_err(|e| key_error(path, e.to_string()))?;
        Self::parse(&text).map_err(|why| key_error(path, why.to_string()))
    }

    /// A hub with this one key (tests, the demo).
    #[must_use]
    pub fn single(sk: SecretKey) -> Self {
        Self {
            keys: vec![HubKey::new(sk)],
        }
    }

    /// The current public key.
    #[must_use]
    pub fn current(&self) -> PublicKey {
        self.keys
            .last()
            .map(|k| k.public)
            .expect("at least one key")
    }

    /// The current key as published.
    #[must_use]
    pub fn published(&self) -> SealKey {
        let pk = self.current();
        SealKey {
            key_id: pk.key_id(),
            public_key: pk.to_b64(),
        }
    }

    /// Opens `data` sealed to the key `key_id` with `aad`, or says why not in words for the kiosk.
    pub fn open(&self, key_id: &str, aad: &[u8], data: &str) -> Result<Vec<u8>, String> {
        let Some(key) = self.keys.iter().rev().find(|k| k.id == key_id) else {
            return Err(format!(
                "sealed to a key this hub does not have (key id {}); the kiosk must take the hub's key from GET /v1/campaign",
                crate::core::thai::width::sanitize_for_display(
                    &key_id.chars().take(32).collect::<String>()
                )
            ));
        };
        let bytes = crate::core::seal::from_b64(data).ok_or("the sealed data is not base64")?;
        key.opener.open(aad, &bytes).map_err(|e| match e {
            SealError::Open => "the sealed registration could not be opened: it was changed on the way or at the kiosk, or it belongs to another record or kiosk".to_owned(),
            other => format!("the sealed registration {other}"),
        })
    }
}

/// `hub keygen`: a new key in `dir`'s `hub.key`. Without `rotate` an existing file is left as
/// it is (an error: rotating is a decision); with it the new key is added after the old ones.
/// Returns the new key's public key (its id is `key_id()`).
pub fn keygen(dir: &Path, rotate: bool) -> Result<PublicKey, HubError> {
    let path = dir.join(KEY_FILE);
    crate::core::private::create_dir(dir).map_err(|e| key_error(dir, e.to_string()))?;
    let old = match std::fs::read_to_string(&path) {
        Ok(text) if !rotate => {
            let ids = HubKeys::parse(&text).map(|k| k.current().key_id());
            return Err(key_error(
                &path,
                format!(
                    "already holds a key ({}); add a new one with `ruamjai hub keygen --rotate` (the old ones stay, to open what was sealed to them)",
                    ids.unwrap_or_else(|e| e.to_string())
                ),
            ));
        }
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(key_error(&path, e.to_string())),
    };
    let sk = SecretKey::generate().map_err(|e| key_error(&path, e.to_string()))?;
    let public = sk.public();
    let id = public.key_id();
    let mut text = old;
    if text.is_empty() {
        text.push_str(
            "# ruamjai hub keys, oldest first; the last is current. Keep this file secret.\n",
        );
    } else if !text.ends_with('\n') {
        text.push('\n');
    }
    let _ = writeln!(text, "{id} {}", crate::core::seal::b64(sk.as_bytes()));
    write_private(&path, &text).map_err(|e| key_error(&path, e.to_string()))?;
    Ok(public)
}

/// Writes `text` to `path` through a 0600 temporary file renamed over it.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp: PathBuf = path.with_extension("key-new");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_old_keys_and_makes_the_new_one_current() {
        let dir = tempfile::tempdir().unwrap();
        let first = keygen(dir.path(), false).unwrap().key_id();
        assert!(
            keygen(dir.path(), false).is_err(),
            "a second keygen must be a rotation"
        );
        let second = keygen(dir.path(), true).unwrap().key_id();
        let keys = HubKeys::read(&dir.path().join(KEY_FILE)).unwrap();
        assert_eq!(keys.current().key_id(), second);
        assert_eq!(keys.keys.len(), 2);
        assert_eq!(keys.keys[0].id, first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let aad = b"x";
        let old_pk = keys.keys[0].public;
        let sealed =
            crate::core::seal::b64(&crate::core::seal::seal(&old_pk, aad, b"hello").unwrap());
        assert_eq!(keys.open(&first, aad, &sealed).unwrap(), b"hello");
        assert!(keys.open(&second, aad, &sealed).is_err());
        assert!(
            keys.open("0000000000000000", aad, &sealed)
                .unwrap_err()
                .contains("does not have")
        );
    }
}
