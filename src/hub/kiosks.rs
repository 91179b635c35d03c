//! Kiosks and admins: issuing bearer tokens (`rjk_…` for a kiosk, `rja_…` for an admin, 32 bytes
//! from the operating system in hex), storing only their SHA-256, revoking them, and recognising a
//! presented token by comparing hashes in constant time.
//!
//! The HTTP side caches the active list briefly (`guard`); nothing here knows about HTTP.

use std::fmt::Write as _;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{HubError, now_ms, store};

/// The prefix of a kiosk token.
pub const KIOSK_PREFIX: &str = "rjk_";
/// The prefix of an admin token.
pub const ADMIN_PREFIX: &str = "rja_";

/// Who a valid token belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub id: i64,
    pub name: String,
    pub point: String,
    pub admin: bool,
}

/// An active token's owner and hash, as kept in the cache.
#[derive(Clone, Debug)]
pub struct ActiveToken {
    pub caller: Caller,
    pub hash: [u8; 32],
}

/// SHA-256 of a token's text.
#[must_use]
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Equality whose time does not depend on where the inputs differ.
#[must_use]
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The owner of `token` among `active`, looking at every entry whatever matches.
#[must_use]
pub fn find<'a>(active: &'a [ActiveToken], token: &str) -> Option<&'a Caller> {
    let presented = hash_token(token);
    let mut found = None;
    for entry in active {
        if ct_eq(&entry.hash, &presented) {
            found = Some(&entry.caller);
        }
    }
    found
}

/// Every token that is not revoked.
pub fn load_active(conn: &Connection) -> rusqlite::Result<Vec<ActiveToken>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, point, is_admin, token_hash FROM kiosks WHERE revoked_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let hash: Vec<u8> = r.get(4)?;
        Ok(ActiveToken {
            caller: Caller {
                id: r.get(0)?,
                name: r.get(1)?,
                point: r.get(2)?,
                admin: r.get(3)?,
            },
            hash: hash.try_into().unwrap_or([0; 32]),
        })
    })?;
    rows.collect()
}

fn check_name(name: &str) -> Result<(), HubError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(HubError::BadKioskName(name.to_owned()))
    }
}

fn new_token(admin: bool) -> Result<String, HubError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HubError::Random(e.to_string()))?;
    let mut token = String::from(if admin { ADMIN_PREFIX } else { KIOSK_PREFIX });
    for b in bytes {
        let _ = write!(token, "{b:02x}");
    }
    Ok(token)
}

/// Registers kiosk (or admin) `name` at registration point `point` and returns its new token.
///
/// A revoked name can be added again: it gets a new token and keeps its history. An active name
/// is an error (revoke it first), so a token is never replaced by accident.
pub fn add(data_dir: &Path, name: &str, point: &str, admin: bool) -> Result<String, HubError> {
    check_name(name)?;
    let path = store::db_path(data_dir);
    let mut conn = store::open(data_dir)?;
    let token = new_token(admin)?;
    let hash = hash_token(&token);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(|e| store::classify(&path, &e))?;
    let existing: Option<Option<i64>> = tx
        .query_row(
            "SELECT revoked_at FROM kiosks WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| store::classify(&path, &e))?;
    let written = match existing {
        Some(None) => return Err(HubError::KioskExists(name.to_owned())),
        Some(Some(_)) => tx.execute(
            "UPDATE kiosks SET point = ?2, is_admin = ?3, token_hash = ?4, revoked_at = NULL
             WHERE name = ?1",
            params![name, point, admin, hash.as_slice()],
        ),
        None => tx.execute(
            "INSERT INTO kiosks (name, point, is_admin, token_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, point, admin, hash.as_slice(), now_ms()],
        ),
    };
    written
        .and_then(|_| tx.commit())
        .map_err(|e| store::classify(&path, &e))?;
    Ok(token)
}

/// Revokes kiosk `name`'s token; its past submissions stay.
pub fn revoke(data_dir: &Path, name: &str) -> Result<(), HubError> {
    let path = store::db_path(data_dir);
    let conn = store::open(data_dir)?;
    let changed = conn
        .execute(
            "UPDATE kiosks SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
            params![name, now_ms()],
        )
        .map_err(|e| store::classify(&path, &e))?;
    if changed == 0 {
        return Err(HubError::NoSuchKiosk(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
        assert!(ct_eq(b"", b""));
    }

    #[test]
    fn tokens_are_prefixed_hex_and_stored_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let t = add(dir.path(), "SK01", "รพ.สต. คลองมะเดื่อ", false).unwrap();
        assert!(t.starts_with(KIOSK_PREFIX) && t.len() == 4 + 64, "{t}");
        let a = add(dir.path(), "boss", "", true).unwrap();
        assert!(a.starts_with(ADMIN_PREFIX));
        assert!(matches!(
            add(dir.path(), "SK01", "", false),
            Err(HubError::KioskExists(_))
        ));
        assert!(matches!(
            add(dir.path(), "bad name", "", false),
            Err(HubError::BadKioskName(_))
        ));
        let conn = store::open(dir.path()).unwrap();
        let active = load_active(&conn).unwrap();
        assert_eq!(find(&active, &t).unwrap().name, "SK01");
        assert!(find(&active, &a).unwrap().admin);
        assert!(find(&active, "rjk_nope").is_none());
        revoke(dir.path(), "SK01").unwrap();
        assert!(find(&load_active(&conn).unwrap(), &t).is_none());
        assert!(matches!(
            revoke(dir.path(), "SK01"),
            Err(HubError::NoSuchKiosk(_))
        ));
        let again = add(dir.path(), "SK01", "x", false).unwrap();
        assert_ne!(again, t);
        assert!(find(&load_active(&conn).unwrap(), &again).is_some());
    }
}
