//! The queue's file itself, on real SQLite files: opened durably (its directory made), migrated
//! from the previous schema, and the failures a clerk must hear of in words: a newer or foreign
//! file, a read-only one, a full disk, a damaged one (each left as it is).

use super::tests::{keyed, open, person, rec};
use super::*;
use crate::core::sqlite::Failure;

fn corrupt(e: &QueueError) -> bool {
    matches!(
        e,
        QueueError::Store {
            failure: Failure::Corrupt(_),
            ..
        }
    )
}

#[test]
fn opens_durably_and_creates_the_parent_directory() {
    let (dir, q) = open();
    assert!(dir.path().join("sub/queue.sqlite3").exists());
    let mode: String = q
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let sync: i64 = q
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = q
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (mode.as_str(), sync, fk),
        ("wal", 2, 1),
        "WAL, synchronous=FULL, foreign keys"
    );
}

#[test]
fn migrates_a_queue_from_the_previous_schema_keeping_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let conn = db::open_at_version(&path, 1).unwrap();
    conn.execute(
        "INSERT INTO registrations (submission_id, reference, seq, campaign_id, kiosk_id, operator,
             created_at, id_key, payload) VALUES ('0190a0a0-0000-7000-8000-000000000001',
             'SK01-0001-X', 1, 'camp', 'SK01', 'op', 5, 'ID:9', '{}')",
        [],
    )
    .unwrap();
    drop(conn);
    let q = keyed(&path, "SK01").unwrap();
    let v: usize = q
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::MIGRATIONS.len());
    let found = q.find_person("camp", "ID:9").unwrap().unwrap();
    assert_eq!(found.reference, "SK01-0001-X");
    assert_eq!(found.purged_at, None);
}

#[test]
fn a_newer_or_foreign_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    drop(Queue::open(&path, "SK01").unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    match Queue::open(&path, "SK01") {
        Err(QueueError::Store {
            failure: Failure::NewerSchema { found: 99, .. },
            ..
        }) => {}
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![b'x'; 8192]).unwrap();
    let err = Queue::open(&junk, "SK01").err().unwrap();
    assert!(corrupt(&err), "{err}");
    assert!(err.to_string().contains("junk.sqlite3"));
    assert_eq!(std::fs::read(&junk).unwrap(), vec![b'x'; 8192]);
}

#[cfg(unix)]
#[test]
fn a_read_only_queue_says_so() {
    use std::os::unix::fs::PermissionsExt;
    if rustix_is_root() {
        return; // root writes through permissions; the CI's crash suite covers read-only mounts.
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    drop(Queue::open(&path, "SK01").unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = keyed(&path, "SK01").and_then(|mut q| q.enqueue(&rec(1), 1));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = result.err().unwrap();
    assert!(
        matches!(
            err,
            QueueError::Store {
                failure: Failure::ReadOnly | Failure::CannotOpen(_),
                ..
            }
        ),
        "{err}"
    );
}

#[cfg(unix)]
fn rustix_is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
}

#[test]
fn a_full_disk_is_a_clear_error_and_earlier_records_survive() {
    let (_d, mut q) = open();
    let kept = q.enqueue(&rec(1), 1).unwrap().0;
    let pages: i64 = q
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    // SQLite's own page limit stands in for a full disk.
    q.conn
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let mut big = rec(2);
    let mut err = None;
    for n in 2..200 {
        big.id_key = format!("ID:{n}");
        big.payload = "x".repeat(20_000);
        if let Err(e) = q.enqueue(&big, 2) {
            err = Some(e);
            break;
        }
    }
    let err = err.expect("the page limit is reached");
    assert!(
        matches!(
            err,
            QueueError::Store {
                failure: Failure::DiskFull,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("full"), "{err}");
    assert_eq!(q.get(kept).unwrap().unwrap().registration, Some(person(1)));
}

#[test]
fn a_truncated_queue_file_is_reported_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let mut q = keyed(&path, "SK01").unwrap();
    for n in 0..300 {
        let mut r = rec(n);
        r.payload = "y".repeat(2000);
        q.enqueue(&r, 1).unwrap();
    }
    drop(q); // checkpoints the WAL into the main file
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let truncated = std::fs::read(&path).unwrap();
    let outcome = keyed(&path, "SK01").and_then(|q| {
        q.stats()
            .map(|_| ())
            .and_then(|()| q.list(&ListFilter::default()).map(|_| ()))
    });
    let err = outcome.expect_err("a truncated file cannot be read whole");
    assert!(corrupt(&err), "{err}");
    assert!(err.to_string().contains("do not delete"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), truncated, "left as it was");
}
