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

mod pg;
mod sqlite;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use pg::MIGRATIONS as PG_MIGRATIONS;
pub use sqlite::{
    DB_FILE, LOCK_FILE, MARKER_FILE, MIGRATIONS, db_path, lock_for_serving, open, open_with,
};

use super::HubError;
use crate::core::sqlite::Failure;

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

/// Which dialect a [`Db`] speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A statement parameter.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// A list of texts (PostgreSQL's `text[]`, for `= ANY(…)`); SQLite has none.
    Texts(&'a [String]),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}

impl From<i64> for Param<'_> {
    fn from(n: i64) -> Self {
        Param::Int(n)
    }
}

impl From<u8> for Param<'_> {
    fn from(n: u8) -> Self {
        Param::Int(i64::from(n))
    }
}

impl From<bool> for Param<'_> {
    fn from(b: bool) -> Self {
        Param::Int(i64::from(b))
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(b: &'a [u8]) -> Self {
        Param::Bytes(b)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// A value read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// One row read back, by column position.
#[derive(Clone, Debug, Default)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, DbError> {
        self.0
            .get(i)
            .ok_or_else(|| DbError::Decode(format!("no column {i}")))
    }

    /// An integer column (NULL is an error).
    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        self.opt_int(i)?
            .ok_or_else(|| DbError::Decode(format!("column {i} is NULL")))
    }

    /// An integer column that may be NULL.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.at(i)? {
            Value::Int(n) => Ok(Some(*n)),
            Value::Null => Ok(None),
            other => Err(DbError::Decode(format!(
                "column {i}: {other:?} is not a number"
            ))),
        }
    }

    /// A count (negative values read as 0).
    pub fn count(&self, i: usize) -> Result<u64, DbError> {
        Ok(self.int(i)?.max(0) as u64)
    }

    /// A text column (NULL is an error).
    pub fn text(&self, i: usize) -> Result<String, DbError> {
        self.opt_text(i)?
            .ok_or_else(|| DbError::Decode(format!("column {i} is NULL")))
    }

    /// A text column that may be NULL.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.at(i)? {
            Value::Text(s) => Ok(Some(s.clone())),
            Value::Null => Ok(None),
            other => Err(DbError::Decode(format!(
                "column {i}: {other:?} is not text"
            ))),
        }
    }

    /// A bytes column.
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>, DbError> {
        match self.at(i)? {
            Value::Bytes(b) => Ok(b.clone()),
            other => Err(DbError::Decode(format!(
                "column {i}: {other:?} is not bytes"
            ))),
        }
    }

    /// A 0/1 (or boolean) column.
    pub fn flag(&self, i: usize) -> Result<bool, DbError> {
        Ok(self.int(i)? != 0)
    }
}

/// A failure of one store operation.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", pg::describe(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("unexpected stored value: {0}")]
    Decode(String),
}

impl DbError {
    /// What a person can do about it.
    #[must_use]
    pub fn failure(&self) -> Failure {
        match self {
            DbError::Sqlite(e) => crate::core::sqlite::classify(e),
            DbError::Postgres(e) => pg::classify(e),
            DbError::Decode(d) => Failure::Corrupt(d.clone()),
        }
    }

    /// A JSON text in the store that does not parse.
    pub fn json(err: &serde_json::Error) -> Self {
        DbError::Decode(format!("stored JSON: {err}"))
    }
}

/// One connection to the store, of either backend.
pub trait Db: Send {
    /// The dialect, for the few statements that differ.
    fn kind(&self) -> Kind;
    /// Runs one statement; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;
    /// Runs one query; its rows.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError>;
    /// Runs statements without parameters (transaction control, DDL).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    /// The connection is gone (the server went away) and must be opened again.
    fn broken(&self) -> bool;

    /// The first row of a query, if any.
    fn query_opt(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The one row of a query (none is an error).
    fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| DbError::Decode("a query that returns one row returned none".into()))
    }

    /// Starts the writer's transaction: on PostgreSQL it also waits for the store-wide write lock
    /// that orders every hub process's decisions, so what one commit reads is everything
    /// committed before it.
    fn begin_write(&mut self) -> Result<(), DbError> {
        match self.kind() {
            Kind::Sqlite => self.batch("BEGIN IMMEDIATE"),
            Kind::Postgres => {
                self.batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                self.query(
                    "SELECT pg_advisory_xact_lock(?1)",
                    &[Param::Int(WRITE_LOCK)],
                )
                .map(|_| ())
            }
        }
    }
}

/// The PostgreSQL advisory lock key of the writers' decisions ("rjwrite").
pub const WRITE_LOCK: i64 = 0x0072_6a77_7269_7465;

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
