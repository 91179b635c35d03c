//! The dashboard's sign-in sessions: an admin signs in with a token once and gets a cookie
//! holding a random 32-byte secret (hex). Sessions are kept in the store (`dashboard_sessions`),
//! so that every hub process on it serves a page signed in at another: only the secret's SHA-256,
//! next to the hash of the admin token that made it, the admin's name and when it ends. Then
//!
//! - a presented secret is found by its hash (a 256-bit random secret: what a lookup's timing
//!   could tell about a hash helps nobody find one);
//! - a session ends at its expiry, at sign-out (on every process within about a second), and as
//!   soon as its admin token is no longer active (the caller checks that against the token list,
//!   which is at most a second old);
//! - the store keeps at most [`MAX_SESSIONS`], dropping the oldest to make room, and loses the
//!   expired ones as new ones are made.
//!
//! Each process remembers the sessions it checked for a second ([`RECHECK`]), so a page's
//! refreshes cost the store one small read a second at most; while the store cannot be read, a
//! session checked within the caller's grace stays open (the page is how the room sees the
//! outage). The cookie is `HttpOnly`, `SameSite=Strict` and scoped to `/dashboard`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::hub::clock::now_ms;
use crate::hub::error::HubError;
use crate::hub::places::kiosks::hash_token;
use crate::hub::store::ReadPool;
use crate::hub::store::db::{Db, DbError, Param};

/// The cookie's name.
pub const COOKIE: &str = "ruamjai_dashboard";
/// Sessions kept at once.
pub const MAX_SESSIONS: usize = 256;
/// How long a session checked against the store is believed without asking it again.
pub const RECHECK: Duration = Duration::from_secs(1);

/// Who is looking at the dashboard.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub name: String,
    pub admin: [u8; 32],
}

#[derive(Clone)]
struct Known {
    viewer: Viewer,
    /// Unix ms.
    expires_at: i64,
    at: Instant,
}

/// The sessions, through the store.
pub struct Sessions {
    lifetime: Duration,
    seen: Mutex<HashMap<[u8; 32], Known>>,
}

fn fixed(bytes: &[u8]) -> Result<[u8; 32], DbError> {
    bytes
        .try_into()
        .map_err(|_| DbError::Decode("a session hash is not 32 bytes".into()))
}

/// Stores a new session (dropping expired ones, and the oldest beyond [`MAX_SESSIONS`]).
fn insert(
    db: &mut dyn Db,
    key: &[u8; 32],
    viewer: &Viewer,
    now: i64,
    until: i64,
) -> Result<(), DbError> {
    db.execute(
        "DELETE FROM dashboard_sessions WHERE expires_at <= ?1",
        &[now.into()],
    )?;
    db.execute(
        "INSERT INTO dashboard_sessions (key_hash, admin_hash, name, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        &[
            Param::Bytes(key),
            Param::Bytes(&viewer.admin),
            (&viewer.name).into(),
            now.into(),
            until.into(),
        ],
    )?;
    db.execute(
        "DELETE FROM dashboard_sessions WHERE key_hash IN (
             SELECT key_hash FROM dashboard_sessions
             ORDER BY created_at DESC, key_hash LIMIT 100000 OFFSET ?1)",
        &[Param::Int(MAX_SESSIONS as i64)],
    )?;
    Ok(())
}

/// The open session whose secret hashes to `key`: who, and when it ends.
fn read(db: &mut dyn Db, key: &[u8; 32], now: i64) -> Result<Option<(Viewer, i64)>, DbError> {
    db.query_opt(
        "SELECT admin_hash, name, expires_at FROM dashboard_sessions
         WHERE key_hash = ?1 AND expires_at > ?2",
        &[Param::Bytes(key), now.into()],
    )?
    .map(|r| {
        Ok((
            Viewer {
                admin: fixed(&r.bytes("admin_hash")?)?,
                name: r.text("name")?,
            },
            r.int("expires_at")?,
        ))
    })
    .transpose()
}

/// Runs `f` on a store connection, off the async threads.
async fn on_store<T: Send + 'static>(
    reads: &Arc<ReadPool>,
    f: impl Fn(&mut dyn Db) -> Result<T, DbError> + Send + 'static,
) -> Result<T, HubError> {
    let reads = Arc::clone(reads);
    tokio::task::spawn_blocking(move || reads.with(f))
        .await
        .map_err(|e| HubError::system("the store's thread ended", std::io::Error::other(e)))?
}

impl Sessions {
    #[must_use]
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The session's lifetime (the cookie's `Max-Age`).
    #[must_use]
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    fn remember(&self, key: [u8; 32], viewer: Viewer, expires_at: i64) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= MAX_SESSIONS && !seen.contains_key(&key) {
                let now = now_ms();
                seen.retain(|_, c| c.expires_at > now && c.at.elapsed() < RECHECK);
            }
            if seen.len() < MAX_SESSIONS || seen.contains_key(&key) {
                seen.insert(
                    key,
                    Known {
                        viewer,
                        expires_at,
                        at: Instant::now(),
                    },
                );
            }
        }
    }

    fn forget(&self, keep: impl Fn(&[u8; 32], &Known) -> bool) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.retain(|k, c| keep(k, c));
        }
    }

    /// A new session for the admin whose token hashes to `admin`, stored; its cookie value.
    pub async fn create(
        &self,
        reads: &Arc<ReadPool>,
        admin: [u8; 32],
        name: &str,
    ) -> Result<String, HubError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| HubError::system("no random numbers", std::io::Error::other(e)))?;
        let mut value = String::with_capacity(64);
        for b in secret {
            let _ = write!(value, "{b:02x}");
        }
        let key = hash_token(&value);
        let now = now_ms();
        let until =
            now.saturating_add(i64::try_from(self.lifetime.as_millis()).unwrap_or(i64::MAX));
        let viewer = Viewer {
            name: name.to_owned(),
            admin,
        };
        let stored = viewer.clone();
        on_store(reads, move |db| insert(db, &key, &stored, now, until)).await?;
        self.remember(key, viewer, until);
        Ok(value)
    }

    /// The viewer of the session `value` names, if it is open and not expired. When the store
    /// cannot be read, a session this process checked within `grace` stays open.
    pub async fn find(
        &self,
        reads: &Arc<ReadPool>,
        value: &str,
        grace: Duration,
    ) -> Option<Viewer> {
        let key = hash_token(value);
        let now = now_ms();
        let known = self.seen.lock().ok()?.get(&key).cloned();
        if let Some(c) = &known
            && c.at.elapsed() < RECHECK
        {
            return (c.expires_at > now).then(|| c.viewer.clone());
        }
        match on_store(reads, move |db| read(db, &key, now)).await {
            Ok(Some((viewer, until))) => {
                self.remember(key, viewer.clone(), until);
                Some(viewer)
            }
            Ok(None) => {
                self.forget(|k, _| *k != key);
                None
            }
            Err(e) => {
                tracing::warn!("dashboard: a session could not be checked: {e}");
                known
                    .filter(|c| c.at.elapsed() < grace && c.expires_at > now)
                    .map(|c| c.viewer)
            }
        }
    }

    /// Ends the session `value` names (sign-out), on every process.
    pub async fn end(&self, reads: &Arc<ReadPool>, value: &str) {
        let key = hash_token(value);
        self.forget(|k, _| *k != key);
        let gone = on_store(reads, move |db| {
            db.execute(
                "DELETE FROM dashboard_sessions WHERE key_hash = ?1",
                &[Param::Bytes(&key)],
            )
        });
        if let Err(e) = gone.await {
            tracing::warn!("dashboard: a signed-out session could not be deleted: {e}");
        }
    }

    /// Ends every session the admin token hashing to `admin` opened (it was revoked).
    pub async fn end_for(&self, reads: &Arc<ReadPool>, admin: [u8; 32]) {
        self.forget(|_, c| c.viewer.admin != admin);
        let gone = on_store(reads, move |db| {
            db.execute(
                "DELETE FROM dashboard_sessions WHERE admin_hash = ?1",
                &[Param::Bytes(&admin)],
            )
        });
        if let Err(e) = gone.await {
            tracing::warn!("dashboard: a revoked admin's sessions could not be deleted: {e}");
        }
    }
}

/// The values of every `ruamjai_dashboard` cookie in `Cookie` headers that look like one of
/// ours (64 hex digits); at most four are looked at.
pub fn cookie_values(headers: &axum::http::HeaderMap) -> Vec<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE && value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| value.to_owned())
        })
        .take(4)
        .collect()
}

/// The `Set-Cookie` of a new session (`Secure` when the browser speaks HTTPS to the hub's
/// public address).
#[must_use]
pub fn set_cookie(value: &str, max_age: Duration, secure: bool) -> String {
    format!(
        "{COOKIE}={value}; Path=/dashboard; Max-Age={}; HttpOnly; SameSite=Strict{}",
        max_age.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` that removes it.
#[must_use]
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::store::Database;

    fn pool(dir: &std::path::Path) -> Arc<ReadPool> {
        let database = Database::Sqlite {
            data_dir: dir.to_path_buf(),
        };
        drop(database.connect(true).unwrap());
        Arc::new(ReadPool::new(database))
    }

    #[tokio::test]
    async fn a_session_is_found_by_its_secret_by_any_process_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let reads = pool(dir.path());
        let (one, two) = (
            Sessions::new(Duration::from_secs(60)),
            Sessions::new(Duration::from_secs(60)),
        );
        let admin = hash_token("rja_x");
        let grace = Duration::from_secs(60);
        let v = one.create(&reads, admin, "boss").await.unwrap();
        assert_eq!(v.len(), 64);
        assert_eq!(
            two.find(&reads, &v, grace).await.unwrap().name,
            "boss",
            "another process"
        );
        let other = format!("{}{}", &v[..63], if v.ends_with('0') { '1' } else { '0' });
        assert!(two.find(&reads, &other, grace).await.is_none());
        one.end(&reads, &v).await;
        tokio::time::sleep(RECHECK).await;
        assert!(
            two.find(&reads, &v, grace).await.is_none(),
            "signed out everywhere"
        );
        let w = one.create(&reads, admin, "boss").await.unwrap();
        two.end_for(&reads, admin).await;
        tokio::time::sleep(RECHECK).await;
        assert!(one.find(&reads, &w, grace).await.is_none());
        let gone = Sessions::new(Duration::ZERO);
        let x = gone.create(&reads, admin, "boss").await.unwrap();
        assert!(
            gone.find(&reads, &x, grace).await.is_none(),
            "expired at once"
        );
    }

    #[tokio::test]
    async fn sessions_are_bounded_in_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let reads = pool(dir.path());
        let s = Sessions::new(Duration::from_secs(60));
        for _ in 0..MAX_SESSIONS + 10 {
            s.create(&reads, [1; 32], "a").await.unwrap();
        }
        let n = reads
            .with(|db| {
                db.query_one("SELECT COUNT(*) FROM dashboard_sessions", &[])?
                    .count(0)
            })
            .unwrap();
        assert_eq!(n, MAX_SESSIONS as u64);
    }

    #[test]
    fn only_well_formed_cookies_of_ours_are_read() {
        let mut h = axum::http::HeaderMap::new();
        let good = "a".repeat(64);
        h.append(
            "cookie",
            format!("other=1; {COOKIE}={good}; {COOKIE}=short")
                .parse()
                .unwrap(),
        );
        assert_eq!(cookie_values(&h), vec![good]);
        assert!(
            set_cookie("v", Duration::from_secs(5), false).contains("HttpOnly; SameSite=Strict")
        );
    }
}
