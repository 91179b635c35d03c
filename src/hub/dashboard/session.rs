//! The dashboard's sign-in sessions: an admin signs in with a token once and gets a cookie
//! holding a random 32-byte secret (hex). The hub keeps only the secret's SHA-256, next to the
//! hash of the admin token that made it, and
//!
//! - finds a presented secret by comparing hashes in constant time against every session;
//! - ends a session at its expiry, at sign-out, and as soon as its admin token is no longer
//!   active (the caller checks that against the token list, which is at most a second old);
//! - keeps at most [`MAX_SESSIONS`], dropping the oldest to make room.
//!
//! Sessions live in this process's memory: behind several hub processes, send `/dashboard` to one
//! of them (README). The cookie is `HttpOnly`, `SameSite=Strict` and scoped to `/dashboard`.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::super::kiosks::{ct_eq, hash_token};

/// The cookie's name.
pub const COOKIE: &str = "ruamjai_dashboard";
/// Sessions kept at once.
pub const MAX_SESSIONS: usize = 256;

struct Entry {
    key: [u8; 32],
    /// The SHA-256 of the admin token that signed in.
    admin: [u8; 32],
    name: String,
    until: Instant,
}

/// Who is looking at the dashboard.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub name: String,
    pub admin: [u8; 32],
}

/// The open sessions.
pub struct Sessions {
    lifetime: Duration,
    open: Mutex<Vec<Entry>>,
}

impl Sessions {
    #[must_use]
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            open: Mutex::new(Vec::new()),
        }
    }

    /// The session's lifetime (the cookie's `Max-Age`).
    #[must_use]
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A new session for the admin whose token hashes to `admin`; its cookie value.
    pub fn create(&self, admin: [u8; 32], name: &str) -> Option<String> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).ok()?;
        let mut value = String::with_capacity(64);
        for b in secret {
            let _ = write!(value, "{b:02x}");
        }
        let now = Instant::now();
        let mut open = self.open.lock().ok()?;
        open.retain(|e| e.until > now);
        if open.len() >= MAX_SESSIONS {
            open.remove(0);
        }
        open.push(Entry {
            key: hash_token(&value),
            admin,
            name: name.to_owned(),
            until: now + self.lifetime,
        });
        Some(value)
    }

    /// The viewer of the session `value` names, if it is open and not expired.
    pub fn find(&self, value: &str) -> Option<Viewer> {
        let presented = hash_token(value);
        let now = Instant::now();
        let mut open = self.open.lock().ok()?;
        open.retain(|e| e.until > now);
        let mut found = None;
        for e in open.iter() {
            if ct_eq(&e.key, &presented) {
                found = Some(Viewer {
                    name: e.name.clone(),
                    admin: e.admin,
                });
            }
        }
        found
    }

    /// Ends the session `value` names (sign-out).
    pub fn end(&self, value: &str) {
        let presented = hash_token(value);
        if let Ok(mut open) = self.open.lock() {
            open.retain(|e| !ct_eq(&e.key, &presented));
        }
    }

    /// Ends every session the admin token hashing to `admin` opened (it was revoked).
    pub fn end_for(&self, admin: &[u8; 32]) {
        if let Ok(mut open) = self.open.lock() {
            open.retain(|e| !ct_eq(&e.admin, admin));
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

/// The `Set-Cookie` of a new session (`Secure` when the page came over HTTPS).
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

    #[test]
    fn a_session_is_found_by_its_secret_only_until_it_ends() {
        let s = Sessions::new(Duration::from_secs(60));
        let admin = hash_token("rja_x");
        let v = s.create(admin, "boss").unwrap();
        assert_eq!(v.len(), 64);
        assert_eq!(s.find(&v).unwrap().name, "boss");
        let other = format!("{}{}", &v[..63], if v.ends_with('0') { '1' } else { '0' });
        assert!(s.find(&other).is_none());
        assert!(s.find("nope").is_none());
        s.end(&v);
        assert!(s.find(&v).is_none());
        let w = s.create(admin, "boss").unwrap();
        s.end_for(&admin);
        assert!(s.find(&w).is_none());
        let gone = Sessions::new(Duration::ZERO);
        let x = gone.create(admin, "boss").unwrap();
        assert!(gone.find(&x).is_none(), "expired at once");
    }

    #[test]
    fn sessions_are_bounded_and_the_oldest_goes_first() {
        let s = Sessions::new(Duration::from_secs(60));
        let first = s.create([1; 32], "a").unwrap();
        let rest: Vec<_> = (0..MAX_SESSIONS)
            .map(|_| s.create([1; 32], "a").unwrap())
            .collect();
        assert!(s.find(&first).is_none());
        assert!(rest.iter().all(|v| s.find(v).is_some()));
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
