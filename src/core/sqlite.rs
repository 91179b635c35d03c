//! Opening a SQLite file one way everywhere: parent directory created (owner only, see
//! [`crate::core::private`]), the file `0600`, WAL, `synchronous=FULL`
//! (a commit that returned is on disk), foreign keys on, a busy timeout, and embedded numbered
//! migrations applied in one transaction each, counted in `user_version`. A file from a newer
//! version or one that is not a database is refused and left as it is.
//!
//! Plain infrastructure used by the kiosk's queue and the hub's store; each turns a [`Failure`] into
//! its own error type, with words for its own reader (a clerk, the person running the hub).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// How long a connection waits for another process before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What went wrong with a SQLite file, by what a person can do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    DiskFull,
    ReadOnly,
    Locked,
    Corrupt(String),
    NewerSchema { found: usize, supported: usize },
    CannotOpen(String),
    Other(String),
}

/// Sorts a SQLite error.
#[must_use]
pub fn classify(err: &rusqlite::Error) -> Failure {
    let code = match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::DiskFull) => Failure::DiskFull,
        Some(ErrorCode::ReadOnly) => Failure::ReadOnly,
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Failure::Locked,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            Failure::Corrupt(err.to_string())
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            Failure::CannotOpen(err.to_string())
        }
        _ => Failure::Other(err.to_string()),
    }
}

/// Sorts a file-system error.
#[must_use]
pub fn from_io(err: &std::io::Error) -> Failure {
    match err.kind() {
        std::io::ErrorKind::StorageFull => Failure::DiskFull,
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            Failure::ReadOnly
        }
        _ => Failure::CannotOpen(err.to_string()),
    }
}

/// Opens (creating if needed) the file at `path` and applies `migrations` up to `target`.
pub fn open(
    path: &Path,
    migrations: &[(&str, &str)],
    target: usize,
) -> Result<Connection, Failure> {
    open_inner(path, migrations, target).map_err(|f| refine(path, f))
}

fn open_inner(
    path: &Path,
    migrations: &[(&str, &str)],
    target: usize,
) -> Result<Connection, Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::core::private::create_dir(dir).map_err(|e| from_io(&e))?;
    }
    crate::core::private::prepare_store(path).map_err(|e| from_io(&e))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(&e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(&e))?;
    // Reading the schema first tells a non-database file apart before any write is attempted.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(&e))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;",
    )
    .map_err(|e| classify(&e))?;
    migrate(&conn, version, migrations, target)?;
    Ok(conn)
}

fn migrate(
    conn: &Connection,
    version: i64,
    migrations: &[(&str, &str)],
    target: usize,
) -> Result<(), Failure> {
    let found = usize::try_from(version)
        .map_err(|_| Failure::Corrupt(format!("schema version {version}")))?;
    if found > migrations.len() {
        return Err(Failure::NewerSchema {
            found,
            supported: migrations.len(),
        });
    }
    for (i, (_name, sql)) in migrations.iter().enumerate().take(target).skip(found) {
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
        run().map_err(|e| classify(&e))?;
    }
    Ok(())
}

/// SQLite says only "unable to open" when WAL cannot create its side files: ask the file system
/// whether the real cause is a read-only disk or folder, which a person can do something about.
fn refine(path: &Path, failure: Failure) -> Failure {
    if !matches!(failure, Failure::CannotOpen(_) | Failure::Other(_)) {
        return failure;
    }
    let probe = path.with_extension("sqlite3-probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            failure
        }
        Err(e) => match from_io(&e) {
            Failure::ReadOnly => Failure::ReadOnly,
            _ => failure,
        },
    }
}

/// Copies the SQLite database at `from` into the file `to`, consistent as of one moment, while
/// other processes read and write it: SQLite's online backup, every page in one step (one read
/// transaction, which in WAL mode holds no writer up). The copy is made in `TO.partial` beside
/// `to` (created `0600` on Unix, see [`crate::core::private`]), put on disk and renamed over `to` only
/// when complete, so `to` is the whole copy or as it was. The copy is one self-contained file
/// (rollback journal, no `-wal` beside it). Nothing in `from` is decoded: its pages are copied
/// as they are (a sealed record stays sealed).
pub fn backup(from: &Path, to: &Path) -> Result<(), Failure> {
    if !from.is_file() {
        return Err(Failure::CannotOpen(format!(
            "no file at {}",
            from.display()
        )));
    }
    let same = |a: &Path, b: &Path| {
        std::fs::canonicalize(a).is_ok_and(|a| std::fs::canonicalize(b).is_ok_and(|b| a == b))
    };
    if same(from, to) {
        return Err(Failure::Other(format!(
            "{} is the database itself: give the copy another name; nothing was changed",
            to.display()
        )));
    }
    let mut name = to.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    let partial = to.with_file_name(name);
    let copied = copy_into(from, &partial).and_then(|()| {
        std::fs::rename(&partial, to).map_err(|e| from_io(&e))?;
        sync_dir(to);
        Ok(())
    });
    if copied.is_err() {
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(sibling(&partial, "-journal"));
    }
    copied
}

/// [`backup`]'s copy into the new file `partial`, synced.
fn copy_into(from: &Path, partial: &Path) -> Result<(), Failure> {
    let _ = std::fs::remove_file(partial);
    drop(crate::core::private::create_file(partial).map_err(|e| from_io(&e))?);
    // Read-write without CREATE: a read-only connection cannot always read a WAL database whose
    // side files are not there; this one only reads.
    let source = Connection::open_with_flags(
        from,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(&e))?;
    source
        .busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| classify(&e))?;
    {
        let mut copy = Connection::open_with_flags(
            partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&e))?;
        let started = std::time::Instant::now();
        let backup = rusqlite::backup::Backup::new(&source, &mut copy).map_err(|e| classify(&e))?;
        loop {
            match backup.step(-1).map_err(|e| classify(&e))? {
                rusqlite::backup::StepResult::Done => break,
                _ if started.elapsed() > BUSY_TIMEOUT => return Err(Failure::Locked),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    drop(source);
    // The copied header says WAL when the source was; the copy is one file.
    let copy = Connection::open_with_flags(
        partial,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(&e))?;
    copy.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .map_err(|e| classify(&e))?;
    drop(copy);
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| from_io(&e))
}

fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Puts a rename in the directory holding `path` on disk (Unix; elsewhere the rename stands).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    #[cfg(not(unix))]
    let _ = path;
}
