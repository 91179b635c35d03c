//! Opening the queue file one way everywhere: parent directory created, WAL, `synchronous=FULL`,
//! foreign keys on, a busy timeout, and the embedded migrations applied in one transaction each.
//!
//! Also the translation of SQLite's failures into [`QueueError`]s a counter clerk can act on. A
//! corrupt or newer file is never replaced: the error says where it is.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::QueueError;

/// The kiosk migrations, in order; `user_version` holds how many have been applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_queue",
        include_str!("../../migrations/kiosk/0001_queue.sql"),
    ),
    (
        "0002_retention",
        include_str!("../../migrations/kiosk/0002_retention.sql"),
    ),
];

/// How long a writer waits for another process (the TUI and a cron flush) before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the SQLite file at `path` and brings it to `target` migrations.
pub fn open_at_version(path: &Path, target: usize) -> Result<Connection, QueueError> {
    open_inner(path, target).map_err(|e| refine(path, e))
}

fn open_inner(path: &Path, target: usize) -> Result<Connection, QueueError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| QueueError::from_io(dir, &e))?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(path, e))?;
    // Reading the schema first tells a non-database file apart before any write is attempted.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(|e| classify(path, e))?;
    migrate(&conn, path, version, target)?;
    Ok(conn)
}

/// SQLite says only "unable to open" when WAL cannot create its side files: ask the file system
/// whether the real cause is a read-only disk or folder, which a clerk can do something about.
fn refine(path: &Path, err: QueueError) -> QueueError {
    if !matches!(
        err,
        QueueError::CannotOpen { .. } | QueueError::Sqlite { .. }
    ) {
        return err;
    }
    let probe = path.with_extension("sqlite3-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            err
        }
        Err(e) => match QueueError::from_io(path, &e) {
            ro @ QueueError::ReadOnly { .. } => ro,
            _ => err,
        },
    }
}

fn migrate(conn: &Connection, path: &Path, version: i64, target: usize) -> Result<(), QueueError> {
    let found = usize::try_from(version).map_err(|_| QueueError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("schema version {version}"),
    })?;
    if found > MIGRATIONS.len() {
        return Err(QueueError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: MIGRATIONS.len(),
        });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().take(target).skip(found) {
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
        run().map_err(|e| classify(path, e))?;
    }
    Ok(())
}

/// Maps a SQLite failure on `path` to what a clerk can do about it.
#[allow(clippy::needless_pass_by_value)] // used as `map_err(|e| classify(path, e))`
pub fn classify(path: &Path, err: rusqlite::Error) -> QueueError {
    let path: PathBuf = path.to_path_buf();
    let code = match &err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::DiskFull) => QueueError::DiskFull { path },
        Some(ErrorCode::ReadOnly) => QueueError::ReadOnly { path },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => QueueError::Locked { path },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => QueueError::Corrupt {
            path,
            detail: err.to_string(),
        },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => QueueError::CannotOpen {
            path,
            detail: err.to_string(),
        },
        _ => QueueError::Sqlite {
            path,
            detail: err.to_string(),
        },
    }
}
