//! Kiosks and admins: issuing bearer tokens (`rjk_…` for a kiosk, `rja_…` for an admin, 32 bytes
//! from the operating system in hex), storing only their SHA-256, revoking them, and recognising a
//! presented token by comparing hashes in constant time.
//!
//! Kiosk names are case-insensitive (`k1` and `K1` are one kiosk) and each kiosk's receipt
//! prefix, the one its kiosk makes from the name (`refcode::prefix_of`), is its own: a name that
//! makes no prefix, a provisional one, or another kiosk's is refused when the kiosk is added.
//!
//! The HTTP side caches the active list briefly (`guard`); nothing here knows about HTTP.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::hub::access::roles::{Reach, Role};
use crate::hub::clock::now_ms;
use crate::hub::error::HubError;
use crate::hub::store::Database;
use crate::hub::store::db::{Db, DbError, Param};

/// The prefix of a kiosk token.
pub const KIOSK_PREFIX: &str = "rjk_";
/// The prefix of an admin token.
pub const ADMIN_PREFIX: &str = "rja_";

/// Who a valid token belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub id: i64,
    pub name: String,
    /// The receipt prefix the kiosk makes from its name (`refcode::prefix_of`).
    pub prefix: String,
    pub point: String,
    /// A person's account (the dashboard, the counts and, by `role`, personal data), not a
    /// kiosk's.
    pub admin: bool,
    /// A person's role (`None` for a kiosk).
    pub role: Option<Role>,
    /// What a person's account may read of personal data.
    pub reach: Reach,
    /// The vaccination site a check-in kiosk is enrolled for (`hub add-kiosk NAME --site ID`);
    /// `None` for a registration kiosk and a person's account.
    pub site: Option<String>,
}

impl Caller {
    /// Whether this account may read personal data (a reader's within its reach).
    #[must_use]
    pub fn reads_personal_data(&self) -> bool {
        self.role.is_some_and(|r| r >= Role::Reader)
    }
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
pub fn load_active(db: &mut dyn Db) -> Result<Vec<ActiveToken>, DbError> {
    db.query(
        "SELECT id, name, point, is_admin, token_hash, role, amphoes, site_id FROM kiosks
         WHERE revoked_at IS NULL",
        &[],
    )?
    .into_iter()
    .map(|r| {
        let admin = r.flag("is_admin")?;
        Ok(ActiveToken {
            caller: Caller {
                id: r.int("id")?,
                prefix: crate::core::refcode::prefix_of(&r.text("name")?),
                name: r.text("name")?,
                point: r.text("point")?,
                admin,
                role: admin
                    .then(|| r.text("role").map(|s| Role::parse(&s)))
                    .transpose()?,
                reach: Reach::parse(&r.text("amphoes")?),
                site: r.opt_text("site_id")?,
            },
            hash: r.bytes("token_hash")?.try_into().unwrap_or([0; 32]),
        })
    })
    .collect()
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

pub(crate) fn new_token(admin: bool) -> Result<String, HubError> {
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
/// A revoked name can be added again, in any case: it gets a new token and keeps its history
/// and its stored spelling. An active name is an error (revoke it first), so a token is never
/// replaced by accident. A kiosk's name must make a receipt prefix of its own.
pub fn add(database: &Database, name: &str, point: &str, admin: bool) -> Result<String, HubError> {
    add_for_site(database, name, point, admin, None)
}

/// [`add`], the kiosk enrolled for vaccination site `site` (a check-in kiosk), which the store
/// must have; a kiosk taken back is enrolled for `site` or, without one, for none.
pub fn add_for_site(
    database: &Database,
    name: &str,
    point: &str,
    admin: bool,
    site: Option<&str>,
) -> Result<String, HubError> {
    check_name(name)?;
    if !admin && let Some(why) = crate::core::refcode::name_problem(name) {
        return Err(HubError::KioskNameRefused(why));
    }
    if admin && site.is_some() {
        return Err(HubError::BadArgument(
            "--site enrols a kiosk for a vaccination site, not a person's account".into(),
        ));
    }
    let mut db = database.connect(false)?;
    let site = site
        .map(|asked| known_site(database, db.as_mut(), asked))
        .transpose()?;
    let site = site.as_deref();
    let token = new_token(admin)?;
    let hash = hash_token(&token);
    let mut written = || -> Result<Result<String, HubError>, DbError> {
        // A second `add-kiosk` of the same name at the same instant: the unique name decides.
        let existing = db.query_opt(
            "SELECT id, name, revoked_at FROM kiosks WHERE upper(name) = upper(?1)",
            &[name.into()],
        )?;
        let Some(existing) = existing else {
            if !admin && let Some(err) = prefix_taken(db.as_mut(), name)? {
                return Ok(Err(err));
            }
            db.execute(
                "INSERT INTO kiosks (name, point, is_admin, token_hash, created_at, role, site_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO NOTHING",
                &[
                    name.into(),
                    point.into(),
                    admin.into(),
                    hash.as_slice().into(),
                    now_ms().into(),
                    (if admin { "admin" } else { "" }).into(),
                    site.into(),
                ],
            )?;
            return Ok(Ok(name.to_owned()));
        };
        let stored = existing.text("name")?;
        if existing.opt_int("revoked_at")?.is_none() {
            return Ok(Err(HubError::KioskExists(stored)));
        }
        db.execute(
            "UPDATE kiosks SET point = ?2, is_admin = ?3, token_hash = ?4, revoked_at = NULL,
                 role = ?5, amphoes = '[]', site_id = ?6
             WHERE id = ?1 AND revoked_at IS NOT NULL",
            &[
                existing.int("id")?.into(),
                point.into(),
                admin.into(),
                hash.as_slice().into(),
                (if admin { "admin" } else { "" }).into(),
                site.into(),
            ],
        )?;
        Ok(Ok(stored))
    };
    let stored_name = match written() {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => return Err(e),
        Err(e) => return Err(database.error(&e)),
    };
    // Whoever won a race, the token stored is this one or the name was taken.
    let stored = db
        .query_opt(
            "SELECT token_hash FROM kiosks WHERE name = ?1 AND revoked_at IS NULL",
            &[Param::Text(&stored_name)],
        )
        .and_then(|r| r.map(|r| r.bytes("token_hash")).transpose())
        .map_err(|e| database.error(&e))?;
    if stored.is_some_and(|h| ct_eq(&h, &hash)) {
        Ok(token)
    } else {
        Err(HubError::KioskExists(stored_name))
    }
}

/// The id of site `asked` as the store spells it (ids are matched in any case); a site the
/// store does not have is an error.
pub fn known_site(database: &Database, db: &mut dyn Db, asked: &str) -> Result<String, HubError> {
    let asked = asked.trim();
    db.query_opt(
        "SELECT site_id FROM sites WHERE upper(site_id) = upper(?1)",
        &[asked.into()],
    )
    .and_then(|r| r.map(|r| r.text("site_id")).transpose())
    .map_err(|e| database.error(&e))?
    .ok_or_else(|| HubError::NoSuchSite(asked.to_owned()))
}

/// `hub add-user NAME --role R [--amphoe A…]`: a person's account; its new token. An amphoe
/// must be one of the national list's.
pub fn add_user(
    database: &Database,
    name: &str,
    role: Role,
    amphoes: &[String],
) -> Result<String, HubError> {
    let listed = crate::core::form::address::index();
    if let Some(unknown) = amphoes.iter().find(|a| !listed.has_amphoe(a)) {
        return Err(HubError::BadArgument(format!(
            "--amphoe {unknown:?} is not an amphoe of the national list (write it in Thai, as on the list: กระทุ่มแบน)"
        )));
    }
    let token = add(database, name, "", true)?;
    let reach = Reach {
        amphoes: amphoes.to_vec(),
    };
    let mut db = database.connect(false)?;
    db.execute(
        "UPDATE kiosks SET role = ?2, amphoes = ?3 WHERE upper(name) = upper(?1)",
        &[
            name.into(),
            role.as_str().into(),
            reach.to_stored().as_str().into(),
        ],
    )
    .map_err(|e| database.error(&e))?;
    Ok(token)
}

/// The refusal of a new kiosk `name` whose receipt prefix another kiosk (active or revoked:
/// its references stay in the store) already makes.
fn prefix_taken(db: &mut dyn Db, name: &str) -> Result<Option<HubError>, DbError> {
    let prefix = crate::core::refcode::prefix_of(name);
    for row in db.query("SELECT name FROM kiosks WHERE is_admin = 0", &[])? {
        let other = row.text("name")?;
        if crate::core::refcode::prefix_of(&other) == prefix {
            return Ok(Some(HubError::PrefixTaken {
                name: name.to_owned(),
                other,
                prefix,
            }));
        }
    }
    Ok(None)
}

/// Revokes kiosk `name`'s token; its past submissions stay.
pub fn revoke(database: &Database, name: &str) -> Result<(), HubError> {
    let mut db = database.connect_existing()?;
    let changed = db
        .execute(
            "UPDATE kiosks SET revoked_at = ?2 WHERE upper(name) = upper(?1) AND revoked_at IS NULL",
            &[Param::Text(name), now_ms().into()],
        )
        .map_err(|e| database.error(&e))?;
    if changed == 0 {
        return Err(HubError::NoSuchKiosk(name.to_owned()));
    }
    Ok(())
}

/// Registers kiosk (or, with `admin`, an admin) `name` at `point`; returns its bearer token,
/// which is shown once and stored only as a hash.
pub fn add_kiosk(
    database: &Database,
    name: &str,
    point: &str,
    admin: bool,
) -> Result<String, HubError> {
    crate::hub::store::off_runtime(|| add(database, name, point, admin))
}

/// Registers check-in kiosk `name` at `point` for vaccination site `site` (which the store must
/// have); returns its bearer token, shown once.
pub fn add_site_kiosk(
    database: &Database,
    name: &str,
    point: &str,
    site: &str,
) -> Result<String, HubError> {
    crate::hub::store::off_runtime(|| add_for_site(database, name, point, false, Some(site)))
}

/// Revokes `name`'s token (within about a second on a running hub).
pub fn revoke_kiosk(database: &Database, name: &str) -> Result<(), HubError> {
    crate::hub::store::off_runtime(|| revoke(database, name))
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
        let dir = &Database::Sqlite {
            data_dir: dir.path().to_path_buf(),
        };
        let t = add(dir, "SK01", "รพ.สต. คลองมะเดื่อ", false).unwrap();
        assert!(t.starts_with(KIOSK_PREFIX) && t.len() == 4 + 64, "{t}");
        let a = add(dir, "boss", "", true).unwrap();
        assert!(a.starts_with(ADMIN_PREFIX));
        assert!(matches!(
            add(dir, "SK01", "", false),
            Err(HubError::KioskExists(_))
        ));
        assert!(matches!(
            add(dir, "bad name", "", false),
            Err(HubError::BadKioskName(_))
        ));
        let mut conn = dir.connect(false).unwrap();
        let conn = conn.as_mut();
        let active = load_active(conn).unwrap();
        assert_eq!(find(&active, &t).unwrap().name, "SK01");
        assert!(find(&active, &a).unwrap().admin);
        assert!(find(&active, "rjk_nope").is_none());
        revoke(dir, "SK01").unwrap();
        assert!(find(&load_active(conn).unwrap(), &t).is_none());
        assert!(matches!(revoke(dir, "SK01"), Err(HubError::NoSuchKiosk(_))));
        let again = add(dir, "SK01", "x", false).unwrap();
        assert_ne!(again, t);
        assert!(find(&load_active(conn).unwrap(), &again).is_some());
    }
}
