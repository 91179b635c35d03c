//! The store a hub writes to is the one it wrote to, or its promoted standby: never another
//! cluster, never an old primary that came back, and after a failover nothing it gave out is
//! given again.
//!
//! On PostgreSQL each writer connection first reads the cluster's system identifier and its
//! timeline, under the store-wide write lock:
//! - the hub's data directory keeps, in `store-lineage`, the system identifier and the highest
//!   timeline this hub has written to. Another system identifier is refused (another cluster);
//!   a lower timeline is refused (an old primary that came back: two stores that diverged);
//! - the store keeps the timeline it was last written on (counter `lineage:timeline`). A live
//!   timeline above it means a failover: with asynchronous replication the new primary may lack
//!   the last commits the old one acknowledged. The hub then moves every number it hands out
//!   (`hub_seq` for RJ references, the outcome-history and export cursors) [`MARGIN`] beyond the
//!   store's, so no reference lost with the old primary is given to another person, and raises
//!   the store's epoch (`store_epoch`), which `GET /v1/campaign` publishes: kiosks that see it
//!   change send again what the hub acknowledged in the last hours, and the hub takes what it
//!   no longer has as new and answers the rest as replays.
//!
//! Synchronous replication loses nothing and is the setting for a province (README); this is
//! the net under asynchronous replication, exact as long as a failover loses fewer than
//! [`MARGIN`] numbers.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::db::{Db, DbError, Kind};
use crate::hub::error::LineageError;
use crate::hub::intake::counts::Counts;

/// How far the numbers the hub hands out move on after a failover.
pub const MARGIN: i64 = 100_000;

/// The counters that number what the hub has handed out.
const NUMBERS: [&str; 3] = ["hub_seq", "history", "row_seq"];

/// The counter holding the timeline the store was last written on.
const TIMELINE: &str = "lineage:timeline";

/// The counter kiosks watch: it moves when the store may have lost acknowledged records.
pub const EPOCH: &str = "store_epoch";

/// The file in the hub's data directory.
pub const FILE: &str = "store-lineage";

/// What a hub has seen of its store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    system_identifier: String,
    timeline: i64,
}

/// What a check did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// Not PostgreSQL, or the same store on the same timeline.
    Same,
    /// The first time this hub or this store met the other: recorded.
    Recorded,
    /// A failover: the numbers moved on, the epoch rose.
    Reconciled,
}

fn read_file(path: &Path) -> Result<Option<Seen>, LineageError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(serde_json::from_str(&text).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(LineageError::File {
            path: path.to_owned(),
            err,
        }),
    }
}

fn write_file(path: &Path, seen: &Seen) -> Result<(), LineageError> {
    let file_err = |err| LineageError::File {
        path: path.to_owned(),
        err,
    };
    let tmp = path.with_extension("tmp");
    let text = serde_json::to_string(seen).unwrap_or_default();
    let mut f = crate::core::private::create_file(&tmp).map_err(file_err)?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(file_err)?;
    f.sync_all().map_err(file_err)?;
    std::fs::rename(&tmp, path).map_err(file_err)
}

/// The live system identifier and timeline of a PostgreSQL store. The identifier needs a role
/// that may read the control file (a superuser, or `pg_monitor` where granted): without it the
/// identifier is not compared (empty) and the timeline still is.
fn live(db: &mut dyn Db) -> Result<Seen, DbError> {
    let timeline = db
        .query_one(
            "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::BIT(32)::BIGINT
                 AS timeline",
            &[],
        )?
        .int("timeline")?;
    db.batch("SAVEPOINT lineage")?;
    let found = db.query_one(
        "SELECT system_identifier::TEXT AS system_identifier FROM pg_control_system()",
        &[],
    );
    let system_identifier = if let Ok(row) = found {
        db.batch("RELEASE SAVEPOINT lineage")?;
        row.text("system_identifier")?
    } else {
        db.batch("ROLLBACK TO SAVEPOINT lineage")?;
        String::new()
    };
    Ok(Seen {
        system_identifier,
        timeline,
    })
}

/// Moves the numbers the hub hands out on by [`MARGIN`] and raises the store's epoch (inside a
/// write transaction): for a store that went back in time, a failover's promoted standby or a
/// store restored from a backup, so nothing handed out since is handed out again and kiosks send
/// again what the hub acknowledged lately.
pub fn move_on(db: &mut dyn Db) -> Result<(), DbError> {
    let mut counts = Counts::default();
    for name in NUMBERS {
        counts.add(db, name, MARGIN)?;
    }
    counts.next(db, EPOCH)?;
    counts.write(db)
}

/// Checks the store `db` (inside a write transaction, after `begin_write`) against what the
/// hub with data directory `dir` has seen, and reconciles after a failover. SQLite: nothing to
/// check.
pub fn check(db: &mut dyn Db, dir: &Path) -> Result<Checked, LineageError> {
    if db.kind() != Kind::Postgres {
        return Ok(Checked::Same);
    }
    let path = dir.join(FILE);
    let now = live(db)?;
    let known = read_file(&path)?;
    if let Some(known) = &known {
        if !known.system_identifier.is_empty()
            && !now.system_identifier.is_empty()
            && known.system_identifier != now.system_identifier
        {
            return Err(LineageError::AnotherCluster {
                found: now.system_identifier,
                known: known.system_identifier.clone(),
                file: FILE.into(),
            });
        }
        if now.timeline < known.timeline {
            return Err(LineageError::OldPrimary {
                found: now.timeline,
                known: known.timeline,
            });
        }
    }
    let mut counts = Counts::default();
    let recorded = counts.get(db, TIMELINE)?;
    let checked = if recorded == 0 {
        counts.add(db, TIMELINE, now.timeline)?;
        Checked::Recorded
    } else if recorded < now.timeline {
        move_on(db)?;
        counts.add(db, TIMELINE, now.timeline - recorded)?;
        tracing::warn!(
            "the store is on timeline {} (it was written on {recorded}): a failover; the hub's numbers move on by {MARGIN} and kiosks will send again what was acknowledged lately",
            now.timeline
        );
        Checked::Reconciled
    } else {
        Checked::Same
    };
    counts.write(db)?;
    if known.as_ref() != Some(&now) {
        write_file(&path, &now)?;
        if checked == Checked::Same {
            return Ok(Checked::Recorded);
        }
    }
    Ok(checked)
}
