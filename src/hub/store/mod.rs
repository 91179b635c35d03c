//! The hub's store behind one small interface, [`Db`], with two real backends:
//!
//! - `sqlite`: the file `hub.sqlite3` in the data directory (the default; what `ruamjai demo` and a
//!   small district use). WAL, `synchronous=FULL`, one process per data directory (`hub.lock`).
//! - `postgres`: a PostgreSQL database named by `--database postgres://…`, shared by as many hub
//!   processes as the province runs. Commits are durable (`synchronous_commit` on), the writer's
//!   decisions are serialised across processes by a transaction-level advisory lock, and the
//!   unique indexes back every decision up.
//!
//! Both speak the same SQL, written once with `?1` placeholders (rewritten to `$1` for
//! PostgreSQL) and portable types: every integer is a 64-bit integer, text is text, hashes are
//! bytes. Where the dialects differ, the caller asks [`Db::kind`]. Rows come back as [`Value`]s.
//!
//! What is stored and decided lives in `decide` (writes) and `stats` (reads), not here.

pub mod db;
pub mod lineage;
mod pg;
pub mod pg_error;
mod sqlite;
pub mod submission;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use pg::MIGRATIONS as PG_MIGRATIONS;
pub use sqlite::{
    DB_FILE, LOCK_FILE, MARKER_FILE, MIGRATIONS, db_path, lock_for_serving, open, open_with,
};

use crate::hub::error::HubError;
use crate::hub::store::db::{Db, DbError};

/// Where the hub keeps its data.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// `hub.sqlite3` in this data directory.
    Sqlite { data_dir: PathBuf },
    /// A PostgreSQL connection string (`postgres://user:password@host:port/dbname` or the
    /// `key=value` form).
    Postgres { url: String },
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.describe())
    }
}

impl Database {
    /// The store `--database` names, or the SQLite file in `data_dir` when it names none.
    /// `sqlite:PATH` names a data directory; `postgres://…`/`postgresql://…` a database.
    pub fn from_arg(arg: Option<&str>, data_dir: &Path) -> Result<Database, HubError> {
        let Some(arg) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
            return Ok(Database::Sqlite {
                data_dir: data_dir.to_path_buf(),
            });
        };
        if let Some(path) = arg.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            let path = Path::new(path);
            // A path to the file itself names its directory.
            let dir = if path.file_name().is_some_and(|n| n == DB_FILE) {
                path.parent().unwrap_or(Path::new(".")).to_path_buf()
            } else {
                path.to_path_buf()
            };
            return Ok(Database::Sqlite { data_dir: dir });
        }
        if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
            return Ok(Database::Postgres {
                url: arg.to_owned(),
            });
        }
        Err(HubError::BadDatabase(redact(arg)))
    }

    /// The store in words for a person, with any password left out.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite { data_dir } => db_path(data_dir).display().to_string(),
            Database::Postgres { url } => redact(url),
        }
    }

    /// Opens a connection, creating and migrating the store where needed (a lost SQLite store
    /// only with `init`).
    pub fn connect(&self, init: bool) -> Result<Box<dyn Db>, HubError> {
        match self {
            Database::Sqlite { data_dir } => {
                let conn = open_with(data_dir, init)?;
                Ok(Box::new(sqlite::SqliteDb::new(conn)))
            }
            Database::Postgres { url } => off_runtime(|| pg::connect(url))
                .map(|db| Box::new(db) as Box<dyn Db>)
                .map_err(|f| HubError::at_store(&self.describe(), f)),
        }
    }

    /// [`Database::connect`] for a command that only reads or manages an existing store: a
    /// SQLite store that is not there yet is [`HubError::NoStore`].
    pub fn connect_existing(&self) -> Result<Box<dyn Db>, HubError> {
        if let Database::Sqlite { data_dir } = self {
            let path = db_path(data_dir);
            if !path.exists() {
                return Err(HubError::NoStore { path });
            }
        }
        self.connect(false)
    }

    /// `err` in the words of the person running the hub.
    pub fn error(&self, err: &DbError) -> HubError {
        HubError::at_store(&self.describe(), err.failure())
    }
}

/// A connection string without its password (`postgres://user:***@host/db`).
fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.rsplit_once('@')
    {
        let user = userinfo.split(':').next().unwrap_or("");
        return format!(
            "{scheme}://{user}{}@{host}",
            if userinfo.contains(':') { ":***" } else { "" }
        );
    }
    // The key=value form: drop password=….
    url.split_whitespace()
        .filter(|kv| !kv.starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `f` where a blocking client may start its own runtime: on a scoped thread when called
/// from inside an async runtime (the PostgreSQL client blocks on a runtime of its own).
pub(crate) fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| s.spawn(f).join().expect("store thread"))
}

/// Read connections for the HTTP handlers. A handler takes one, uses it on a blocking thread and
/// gives it back; at most a few idle ones are kept, and a broken one is dropped.
pub struct ReadPool {
    database: Database,
    idle: Mutex<Vec<Box<dyn Db>>>,
}

/// How many idle read connections the pool keeps.
const READ_POOL_KEEP: usize = 4;

impl ReadPool {
    /// A pool over the (already migrated) store.
    #[must_use]
    pub fn new(database: Database) -> Self {
        Self {
            database,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The store this pool reads.
    pub fn database(&self) -> &Database {
        &self.database
    }

    /// Runs `f` on a read connection (call it from a blocking thread). An idle connection that
    /// turns out to be over (the database restarted while it waited) is replaced, and `f` runs
    /// once more on a new one.
    pub fn with<T>(&self, f: impl Fn(&mut dyn Db) -> Result<T, DbError>) -> Result<T, HubError> {
        let taken = self.idle.lock().ok().and_then(|mut v| v.pop());
        let (mut conn, fresh) = match taken {
            Some(c) => (c, false),
            None => (self.database.connect(false)?, true),
        };
        let mut result = f(conn.as_mut());
        if result.is_err() && conn.broken() && !fresh {
            conn = self.database.connect(false)?;
            result = f(conn.as_mut());
        }
        let result = result.map_err(|e| self.database.error(&e));
        if !conn.broken()
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < READ_POOL_KEEP
        {
            idle.push(conn);
        }
        result
    }
}

impl Drop for ReadPool {
    /// Idle connections are closed on a thread of their own: a PostgreSQL client says goodbye
    /// synchronously, which must not happen on an async worker.
    fn drop(&mut self) {
        let idle = self.idle.get_mut().map(std::mem::take).unwrap_or_default();
        if !idle.is_empty() {
            let _ = std::thread::Builder::new()
                .name("hub-reads-close".into())
                .spawn(move || drop(idle));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_arguments_name_a_backend_and_hide_passwords() {
        let dir = Path::new("/var/lib/ruamjai/hub");
        assert_eq!(
            Database::from_arg(None, dir).unwrap(),
            Database::Sqlite {
                data_dir: dir.to_path_buf()
            }
        );
        assert_eq!(
            Database::from_arg(Some("sqlite:/srv/district/hub.sqlite3"), dir).unwrap(),
            Database::Sqlite {
                data_dir: "/srv/district".into()
            }
        );
        assert_eq!(
            Database::from_arg(Some("sqlite:/srv/district"), dir).unwrap(),
            Database::Sqlite {
                data_dir: "/srv/district".into()
            }
        );
        let pg =
            Database::from_arg(Some("postgres://hub:s3cret@db.local:5432/ruamjai"), dir).unwrap();
        assert_eq!(pg.describe(), "postgres://hub:***@db.local:5432/ruamjai");
        assert!(!format!("{pg:?}").contains("s3cret"));
        assert!(matches!(
            Database::from_arg(Some("mysql://x:pw@y/z"), dir),
            Err(HubError::BadDatabase(d)) if !d.contains("pw")
        ));
        assert_eq!(
            redact("host=/tmp user=hub password=pw dbname=r"),
            "host=/tmp user=hub dbname=r"
        );
    }
}
