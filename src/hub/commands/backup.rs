//! `ruamjai hub backup FILE` and `ruamjai hub restore FILE`: a SQLite hub's store copied while it
//! serves (SQLite's online backup, through [`crate::core::sqlite::backup`]: one consistent moment, the
//! file `0600`), and put back into a data directory that holds no store yet. On PostgreSQL the
//! database is the DBA's: both print the `pg_dump`/`pg_restore` command to run, with the
//! password left out, and copy nothing.
//!
//! The hub's keys (`hub.key`) are not in the store: a restored hub needs the same keys to open
//! what kiosks sealed, so both commands say where they are.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::settings::{StoreArg, database};
use crate::core::sqlite::{BUSY_TIMEOUT, Failure, classify};
use crate::hub::error::HubError;
use crate::hub::keys::{KEY_ENV, KEY_FILE};
use crate::hub::store::{self, Database, MIGRATIONS, db_path};

/// `hub backup FILE`
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The copy to write (created 0600; replaced only once the new copy is complete).
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// `hub restore FILE`
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    store: StoreArg,
    /// A copy made by `ruamjai hub backup`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

/// Exit code when the store is PostgreSQL: nothing was copied, the command to run is printed.
const USE_PG_TOOLS: i32 = 2;

/// `hub backup FILE`: the copy, or the `pg_dump` command; the exit code.
pub fn backup(args: &BackupArgs, dir: &Path) -> Result<i32, HubError> {
    let data_dir = match database(&args.store, dir)? {
        Database::Sqlite { data_dir } => data_dir,
        pg @ Database::Postgres { .. } => {
            eprintln!(
                "ruamjai: the store is PostgreSQL ({}): back it up with pg_dump (the password from \
                 ~/.pgpass or PGPASSWORD); nothing was copied",
                pg.describe()
            );
            println!(
                "pg_dump --format=custom --file={} {}",
                quoted(&args.file.display().to_string()),
                quoted(&without_password(&pg))
            );
            return Ok(USE_PG_TOOLS);
        }
    };
    let from = db_path(&data_dir);
    if !from.is_file() {
        return Err(HubError::NoStore { path: from });
    }
    crate::core::sqlite::backup(&from, &args.file).map_err(|f| copy_error(&from, &args.file, f))?;
    let count = submissions(&args.file).map_err(|f| HubError::from_failure(&args.file, f))?;
    println!(
        "backed up {} into {}: {count} submissions",
        from.display(),
        args.file.display()
    );
    eprintln!("ruamjai: {}", keys_note(&data_dir));
    Ok(0)
}

/// `hub restore FILE`: the store put back into an empty data directory, or the `pg_restore`
/// command; the exit code.
pub fn restore(args: &RestoreArgs, dir: &Path) -> Result<i32, HubError> {
    let data_dir = match database(&args.store, dir)? {
        Database::Sqlite { data_dir } => data_dir,
        pg @ Database::Postgres { .. } => {
            eprintln!(
                "ruamjai: the store is PostgreSQL ({}): restore a pg_dump copy with pg_restore into \
                 an empty database (createdb first); nothing was changed",
                pg.describe()
            );
            println!(
                "pg_restore --no-owner --dbname={} {}",
                quoted(&without_password(&pg)),
                quoted(&args.file.display().to_string())
            );
            return Ok(USE_PG_TOOLS);
        }
    };
    let file = &args.file;
    check_copy(file)?;
    refuse_a_store_in(&data_dir)?;
    crate::core::private::create_dir(&data_dir).map_err(|e| HubError::from_io(&data_dir, &e))?;
    // No hub may start on this directory meanwhile (and none serves it: it had no store).
    let _lock = store::lock_for_serving(&data_dir)?;
    refuse_a_store_in(&data_dir)?;
    let to = db_path(&data_dir);
    for leftover in [to.clone(), side(&to, "-wal"), side(&to, "-shm")] {
        let _ = std::fs::remove_file(leftover);
    }
    crate::core::sqlite::backup(file, &to).map_err(|f| copy_error(file, &to, f))?;
    // Opened once as the hub opens it: a copy from an older version is brought up to date, and
    // the marker that guards a store from going missing is written.
    drop(store::open(&data_dir)?);
    // The copy is older than what the hub handed out and acknowledged since: the numbers move
    // on (no RJ reference is given twice) and the store's epoch rises, so kiosks send again
    // what the hub acknowledged in the last day and the restored hub takes what it lacks.
    let database = Database::Sqlite {
        data_dir: data_dir.clone(),
    };
    let mut db = database.connect(false)?;
    db.begin_write().map_err(|e| database.error(&e))?;
    crate::hub::store::lineage::move_on(db.as_mut())
        .and_then(|()| db.batch("COMMIT"))
        .map_err(|e| database.error(&e))?;
    drop(db);
    let count = submissions(&to).map_err(|f| HubError::from_failure(&to, f))?;
    println!(
        "restored {} into {}: {count} submissions; start the hub with `ruamjai hub serve`",
        file.display(),
        to.display()
    );
    eprintln!("ruamjai: {}", keys_note(&data_dir));
    Ok(0)
}

/// Refuses a data directory that already holds a store (or a store's write-ahead log), changing
/// nothing: a restore over it would throw away what it holds.
fn refuse_a_store_in(data_dir: &Path) -> Result<(), HubError> {
    let to = db_path(data_dir);
    let held = [to.clone(), side(&to, "-wal")]
        .into_iter()
        .find(|f| std::fs::metadata(f).is_ok_and(|m| m.len() > 0));
    match held {
        Some(found) => Err(HubError::RestoreRefused {
            dir: data_dir.to_path_buf(),
            found,
        }),
        None => Ok(()),
    }
}

/// Refuses a file that is not a whole hub store this version can open.
fn check_copy(file: &Path) -> Result<(), HubError> {
    let not_a_copy = |why: String| HubError::NotABackup {
        path: file.to_path_buf(),
        why,
    };
    if !file.is_file() {
        return Err(not_a_copy("no such file".into()));
    }
    let at = |f: Failure| HubError::from_failure(file, f);
    let conn = open_copy(file).map_err(at)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| at(classify(&e)))?;
    if check != "ok" {
        return Err(not_a_copy(format!("it is damaged ({check})")));
    }
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| at(classify(&e)))?;
    if version > MIGRATIONS.len() {
        return Err(at(Failure::NewerSchema {
            found: version,
            supported: MIGRATIONS.len(),
        }));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('kiosks', 'submissions', 'counters')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| at(classify(&e)))?;
    if tables != 3 {
        return Err(not_a_copy(
            "it holds no hub store (a kiosk's queue is restored by copying it, not here)".into(),
        ));
    }
    Ok(())
}

/// Opens a copy to read it (read-write without create: a read-only connection cannot always
/// read a WAL file whose side files are missing; nothing is written).
fn open_copy(file: &Path) -> Result<Connection, Failure> {
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(&e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(&e))?;
    Ok(conn)
}

/// How many submissions the store file at `file` holds.
fn submissions(file: &Path) -> Result<i64, Failure> {
    open_copy(file)?
        .query_row("SELECT COUNT(*) FROM submissions", [], |r| r.get(0))
        .map_err(|e| classify(&e))
}

/// Where the hub's keys are, which the copy does not hold.
fn keys_note(data_dir: &Path) -> String {
    let key = data_dir.join(KEY_FILE);
    if std::env::var_os(KEY_ENV).is_some_and(|v| !v.is_empty()) {
        format!(
            "the hub's keys are in {KEY_ENV}, not in the store: a restored hub needs the same value to open what kiosks sealed"
        )
    } else if key.is_file() {
        format!(
            "the hub's keys are in {}, not in the store: keep a copy of it (0600) with the backup; a restored hub needs it to open what kiosks sealed",
            key.display()
        )
    } else {
        format!(
            "no {KEY_FILE} in {}: put the one kept with the backup there (0600) before `hub serve`, or the hub makes a new key and cannot open what kiosks sealed to the old one",
            data_dir.display()
        )
    }
}

fn copy_error(from: &Path, to: &Path, failure: Failure) -> HubError {
    HubError::at_store(
        &format!("{} (copying it into {})", from.display(), to.display()),
        failure,
    )
}

/// The store's address for a command line, without any password (`pg_dump` reads it from
/// `~/.pgpass` or `PGPASSWORD`).
fn without_password(pg: &Database) -> String {
    pg.describe().replacen(":***@", "@", 1)
}

/// `s` quoted for a POSIX shell when it needs it.
fn quoted(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pg_commands_carry_no_password_and_are_quoted() {
        let pg = Database::Postgres {
            url: "postgres://ruamjai:s3cret@db.local:5432/ruamjai".into(),
        };
        assert_eq!(
            without_password(&pg),
            "postgres://ruamjai@db.local:5432/ruamjai"
        );
        let kv = Database::Postgres {
            url: "host=db user=r password=s3cret dbname=r".into(),
        };
        assert_eq!(quoted(&without_password(&kv)), "'host=db user=r dbname=r'");
        assert_eq!(quoted("it's"), r"'it'\''s'");
    }
}
