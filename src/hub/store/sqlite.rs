//! The hub's SQLite store, opened through [`crate::core::sqlite::open`]: parent directory created, WAL,
//! `synchronous=FULL` (an answer `accepted` means the row is on disk), foreign keys on, a busy
//! timeout, and the embedded migrations under `migrations/hub/` applied in one transaction each
//! (`user_version` counts them). One process serves a data directory (`hub.lock`); a store made
//! before and now missing is refused (`hub.store-created`).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::db::{Db, DbError, Kind, Param, Row, Value};
use crate::core::sqlite;
use crate::hub::error::HubError;

/// The file name of the hub's store inside its data directory.
pub const DB_FILE: &str = "hub.sqlite3";

/// The hub migrations, in order; `user_version` holds how many have been applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_hub",
        include_str!("../../../migrations/hub/0001_hub.sql"),
    ),
    (
        "0002_drop_received_index",
        include_str!("../../../migrations/hub/0002_drop_received_index.sql"),
    ),
    (
        "0003_waitlist_moves",
        include_str!("../../../migrations/hub/0003_waitlist_moves.sql"),
    ),
    (
        "0004_row_seq",
        include_str!("../../../migrations/hub/0004_row_seq.sql"),
    ),
    (
        "0005_waitlist_per_group",
        include_str!("../../../migrations/hub/0005_waitlist_per_group.sql"),
    ),
    (
        "0006_kiosk_prefixes",
        include_str!("../../../migrations/hub/0006_kiosk_prefixes.sql"),
    ),
    (
        "0007_sessions",
        include_str!("../../../migrations/hub/0007_sessions.sql"),
    ),
    (
        "0008_reference_unique",
        include_str!("../../../migrations/hub/0008_reference_unique.sql"),
    ),
    (
        "0009_people",
        include_str!("../../../migrations/hub/0009_people.sql"),
    ),
    (
        "0010_enrolment",
        include_str!("../../../migrations/hub/0010_enrolment.sql"),
    ),
    (
        "0011_sites",
        include_str!("../../../migrations/hub/0011_sites.sql"),
    ),
    (
        "0012_campaign_versions",
        include_str!("../../../migrations/hub/0012_campaign_versions.sql"),
    ),
    (
        "0013_checkin",
        include_str!("../../../migrations/hub/0013_checkin.sql"),
    ),
];

/// The store's path in `data_dir`.
#[must_use]
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE)
}

/// Written beside the store when it is first created: a store missing or empty while this
/// exists was lost, not never made.
pub const MARKER_FILE: &str = "hub.store-created";

/// Held by the one process serving a data directory.
pub const LOCK_FILE: &str = "hub.lock";

/// Opens (creating if needed) the hub store in `data_dir`, fully migrated. A store that was made
/// here before and is now missing or empty is refused ([`HubError::StoreLost`]).
pub fn open(data_dir: &Path) -> Result<Connection, HubError> {
    open_with(data_dir, false)
}

/// [`open`]; with `init`, a lost store is started again, empty, on purpose.
pub fn open_with(data_dir: &Path, init: bool) -> Result<Connection, HubError> {
    crate::core::private::create_dir(data_dir).map_err(|e| HubError::from_io(data_dir, &e))?;
    let path = db_path(data_dir);
    let marker = data_dir.join(MARKER_FILE);
    let lost = match std::fs::metadata(&path) {
        Err(_) => Some("missing"),
        Ok(meta) if meta.len() == 0 => Some("empty (0 bytes)"),
        Ok(_) => None,
    };
    if let Some(what) = lost
        && !init
        && marker.exists()
    {
        return Err(HubError::StoreLost { path, what, marker });
    }
    let conn = sqlite::open(&path, MIGRATIONS, MIGRATIONS.len())
        .map_err(|f| HubError::from_failure(&path, f))?;
    if lost.is_some() || !marker.exists() {
        let note = format!(
            "The hub store {DB_FILE} beside this file was created at Unix time {}.\n\
             If the store goes missing or empty, the hub refuses to start an empty one in its\n\
             place unless `ruamjai hub serve --init` is given.\n",
            crate::hub::clock::now_ms() / 1000
        );
        std::fs::write(&marker, note).map_err(|e| HubError::from_io(&marker, &e))?;
    }
    Ok(conn)
}

/// Takes the serving lock of `data_dir` (released when the file is dropped, or the process ends).
pub fn lock_for_serving(data_dir: &Path) -> Result<std::fs::File, HubError> {
    use std::io::{Read as _, Seek as _, Write as _};
    crate::core::private::create_dir(data_dir).map_err(|e| HubError::from_io(data_dir, &e))?;
    let path = data_dir.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| HubError::from_io(&path, &e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let pid = holder
                .trim()
                .parse::<u32>()
                .map_or_else(|_| String::new(), |p| format!(" (process {p})"));
            return Err(HubError::AlreadyServing {
                dir: data_dir.to_path_buf(),
                pid,
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(HubError::from_io(&path, &e)),
    }
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = writeln!(file, "{}", std::process::id());
    Ok(file)
}

/// A SQLite connection as a [`Db`]; statements are prepared once and cached.
pub struct SqliteDb {
    conn: Connection,
}

impl SqliteDb {
    #[must_use]
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }
}

fn bind<'a>(params: &[Param<'a>]) -> Vec<rusqlite::types::ToSqlOutput<'a>> {
    use rusqlite::types::{ToSqlOutput, ValueRef};
    params
        .iter()
        .map(|p| match *p {
            Param::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(n)),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            // No lists in SQLite: the statements that take one are PostgreSQL's only.
            Param::Null | Param::Texts(_) => ToSqlOutput::Borrowed(ValueRef::Null),
        })
        .collect()
}

impl Db for SqliteDb {
    fn kind(&self) -> Kind {
        Kind::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let bound = bind(params);
        let n = self
            .conn
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(bound.iter()))?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        use rusqlite::types::ValueRef;
        let bound = bind(params);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let width = stmt.column_count();
        let names: super::db::Columns =
            stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(bound.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(width);
            for i in 0..width {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(f) => Value::Int(f as i64),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
                });
            }
            out.push(Row::named(row, names.clone()));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn broken(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sqlite::Failure;

    #[test]
    fn an_empty_dir_gets_the_whole_schema_and_a_newer_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(dir.path().join("nested").as_path()).unwrap();
        let version: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        // Opening again is a no-op.
        drop(open(dir.path().join("nested").as_path()).unwrap());
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            open(dir.path().join("nested").as_path()),
            Err(HubError::Store {
                failure: Failure::NewerSchema { found: 99, .. },
                ..
            })
        ));
    }

    #[test]
    fn a_first_version_store_is_upgraded_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = db_path(dir.path());
        let old = crate::core::sqlite::open(&path, MIGRATIONS, 1).unwrap();
        old.execute(
            "INSERT INTO kiosks (name, token_hash, created_at) VALUES ('K1', x'00', 0)",
            [],
        )
        .unwrap();
        let index = |c: &Connection| -> i64 {
            c.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'submissions_received'",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(index(&old), 1);
        drop(old);
        let conn = open(dir.path()).unwrap();
        assert_eq!(index(&conn), 0);
        let kiosks: i64 = conn
            .query_row("SELECT COUNT(*) FROM kiosks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kiosks, 1, "the data stays");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(db_path(dir.path()), b"not sqlite at all, just text.......").unwrap();
        assert!(matches!(
            open(dir.path()),
            Err(HubError::Store {
                failure: Failure::Corrupt(_),
                ..
            })
        ));
        let kept = std::fs::read(db_path(dir.path())).unwrap();
        assert!(kept.starts_with(b"not sqlite"));
    }
}
