//! Opening the hub's SQLite file one way everywhere: parent directory created, WAL,
//! `synchronous=FULL` (an answer `accepted` means the row is on disk), foreign keys on, a busy
//! timeout, and the embedded migrations under `migrations/hub/` applied in one transaction each
//! (`user_version` counts them). Also a small pool of read connections for the HTTP handlers.
//!
//! What is stored and decided lives in `decide` (writes) and `stats` (reads), not here.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::HubError;

/// The file name of the hub's store inside its data directory.
pub const DB_FILE: &str = "hub.sqlite3";

/// The hub migrations, in order; `user_version` holds how many have been applied.
pub const MIGRATIONS: &[(&str, &str)] = &[(
    "0001_hub",
    include_str!("../../migrations/hub/0001_hub.sql"),
)];

/// How long a connection waits for another (the server and a `hub add-kiosk`) before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many idle read connections the pool keeps.
const READ_POOL_KEEP: usize = 4;

/// The store's path in `data_dir`.
#[must_use]
pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE)
}

/// Opens (creating if needed) the hub store in `data_dir`, fully migrated.
pub fn open(data_dir: &Path) -> Result<Connection, HubError> {
    std::fs::create_dir_all(data_dir).map_err(|e| HubError::from_io(data_dir, &e))?;
    let path = db_path(data_dir);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(&path, &e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(&path, &e))?;
    // Reading the schema first tells a non-database file apart before any write is attempted.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(&path, &e))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(|e| classify(&path, &e))?;
    migrate(&conn, &path, version)?;
    Ok(conn)
}

fn migrate(conn: &Connection, path: &Path, version: i64) -> Result<(), HubError> {
    let found = usize::try_from(version).map_err(|_| HubError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("schema version {version}"),
    })?;
    if found > MIGRATIONS.len() {
        return Err(HubError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: MIGRATIONS.len(),
        });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(found) {
        let run = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let applied = conn
                .execute_batch(sql)
                .and_then(|()| conn.pragma_update(None, "user_version", i + 1));
            match applied {
                Ok(()) => conn.execute_batch("COMMIT"),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        };
        run().map_err(|e| classify(path, &e))?;
    }
    Ok(())
}

/// Maps a SQLite failure on `path` to what the person running the hub can do about it.
pub fn classify(path: &Path, err: &rusqlite::Error) -> HubError {
    let path: PathBuf = path.to_path_buf();
    let code = match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::DiskFull) => HubError::DiskFull { path },
        Some(ErrorCode::ReadOnly) => HubError::ReadOnly { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => HubError::Locked { path },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => HubError::Corrupt {
            path,
            detail: err.to_string(),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => HubError::CannotOpen {
            path,
            detail: err.to_string(),
        },
        _ => HubError::Sqlite {
            path,
            detail: err.to_string(),
        },
    }
}

/// Read connections for the HTTP handlers (WAL readers never block the writer). A handler takes
/// one, uses it on a blocking thread and gives it back; at most a few idle ones are kept.
pub struct ReadPool {
    data_dir: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReadPool {
    /// A pool over the (already migrated) store in `data_dir`.
    #[must_use]
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on a read connection (call it from a blocking thread).
    pub fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, HubError> {
        let taken = self.idle.lock().ok().and_then(|mut v| v.pop());
        let conn = match taken {
            Some(c) => c,
            None => open(&self.data_dir)?,
        };
        let result = f(&conn).map_err(|e| classify(&db_path(&self.data_dir), &e));
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < READ_POOL_KEEP
        {
            idle.push(conn);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Err(HubError::NewerSchema { found: 99, .. })
        ));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(db_path(dir.path()), b"not sqlite at all, just text.......").unwrap();
        assert!(matches!(open(dir.path()), Err(HubError::Corrupt { .. })));
        let kept = std::fs::read(db_path(dir.path())).unwrap();
        assert!(kept.starts_with(b"not sqlite"));
    }
}
