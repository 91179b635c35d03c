//! Queue tests on real SQLite files in temp directories.

// Senders are named a, b, c, d as in the scenarios they play.
#![allow(clippy::many_single_char_names)]

use super::*;
use crate::core::form::Registration;
use crate::core::protocol::Outcome;
use crate::core::refcode;

/// Person `n`'s registration (only its names tell people apart).
pub(super) fn person(n: u32) -> Registration {
    Registration {
        campaign_id: "camp".into(),
        id_type: crate::core::thai::national_id::IdType::Passport,
        id_number: format!("AA{n:06}"),
        title: "นาย".into(),
        first_name: format!("สมชาย{n}"),
        last_name: "ใจดี".into(),
        birth_date: None,
        sex: None,
        phone: String::new(),
        address: crate::core::form::Address::default(),
        target_group: 1,
        group_detail: String::new(),
        consent: true,
        note: String::new(),
        form_version: 1,
        answers: std::collections::BTreeMap::new(),
        extra: std::collections::BTreeMap::new(),
    }
}

pub(super) fn rec(n: u32) -> NewRecord {
    NewRecord {
        campaign_id: "camp".into(),
        operator: "op".into(),
        id_key: format!("ID:{n}"),
        search_text: format!("สมชาย{n} ใจดี"),
        payload: serde_json::to_string(&person(n)).unwrap(),
        replaces: None,
    }
}

/// The PIN of the test queues.
pub(super) const PIN: &str = "1357-test";

/// The queue at `path` with a hub key and the shift open (the PIN set on the first open), and
/// whatever waited sealed, as `Config::open_queue` leaves it.
pub(super) fn keyed(path: &std::path::Path, kiosk: &str) -> Result<Queue, QueueError> {
    let mut q = Queue::open(path, kiosk)?;
    q.set_pin_cost(std::time::Duration::ZERO);
    if q.hub_key().is_none() {
        q.set_hub_key(&crate::core::seal::SecretKey::generate().unwrap().public())?;
    }
    if q.pin_set() {
        q.open_shift(PIN, now_ms())?;
    } else {
        q.set_pin(PIN)?;
    }
    q.seal_waiting()?;
    Ok(q)
}

pub(super) fn open() -> (tempfile::TempDir, Queue) {
    let dir = tempfile::tempdir().unwrap();
    let q = keyed(&dir.path().join("sub/queue.sqlite3"), "SK01").unwrap();
    (dir, q)
}

#[test]
fn enqueue_gives_sequential_checked_references_and_finds_the_person() {
    let (_d, mut q) = open();
    let (id1, r1) = q.enqueue(&rec(1), 10).unwrap();
    let (_, r2) = q.enqueue(&rec(2), 11).unwrap();
    assert_eq!(refcode::decode(&r1).unwrap().1, 1);
    assert_eq!(refcode::decode(&r2).unwrap().1, 2);
    assert!(r1.starts_with("SK01-"));
    assert_eq!(id1.get_version_num(), 7, "UUIDv7");
    let found = q.find_person("camp", "ID:1").unwrap().unwrap();
    assert_eq!((found.submission_id, found.state), (id1, State::Pending));
    assert!(q.find_person("other", "ID:1").unwrap().is_none());

    let again = q.enqueue_many(&[rec(1), rec(3), rec(3)], 12).unwrap();
    assert_eq!(
        again[0],
        EnqueueResult::AlreadyQueued {
            reference: r1.clone()
        }
    );
    assert!(matches!(again[1], EnqueueResult::Saved { .. }));
    assert!(
        matches!(again[2], EnqueueResult::AlreadyQueued { .. }),
        "same person twice in one batch"
    );
}

#[test]
fn leases_expire_and_outcomes_settle_rows() {
    let (_d, mut q) = open();
    let ids: Vec<_> = (0..5).map(|n| q.enqueue(&rec(n), 100).unwrap().0).collect();
    let a = q.lease("a", 3, 1 << 20, 1000, 500).unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0].submission_id, ids[0]);
    let b = q.lease("b", 10, 1 << 20, 1001, 500).unwrap();
    assert_eq!(b.len(), 2, "b gets only what a does not hold");
    assert!(q.lease("c", 10, 1 << 20, 1002, 500).unwrap().is_empty());
    // a crashes; its lease runs out at 1500.
    let c = q.lease("c", 10, 1 << 20, 1500, 500).unwrap();
    assert_eq!(
        c.iter().map(|l| l.submission_id).collect::<Vec<_>>(),
        ids[..3].to_vec()
    );
    assert_eq!(c[0].attempts, 1, "attempts counts earlier leases");

    let accepted = Outcome::Accepted {
        hub_reference: "H-1".into(),
    };
    assert_eq!(
        q.record_outcomes(&[(ids[0], accepted.clone())], 2000)
            .unwrap(),
        1
    );
    assert_eq!(
        q.record_outcomes(&[(ids[0], accepted)], 2001).unwrap(),
        0,
        "a replayed answer changes nothing"
    );
    let r = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(
        (r.state, r.server_reference.as_deref(), r.acked_at),
        (State::Accepted, Some("H-1"), Some(2000))
    );

    q.release(&[ids[1]], "connection refused", 9000).unwrap();
    let r = q.get(ids[1]).unwrap().unwrap();
    assert_eq!((r.state, r.next_attempt_at), (State::Pending, 9000));
    assert_eq!(
        q.next_due_at().unwrap(),
        Some(1501),
        "b's lease runs out first"
    );
    assert!(
        q.lease("d", 10, 1 << 20, 2000, 500)
            .unwrap()
            .iter()
            .all(|l| l.submission_id != ids[1])
    );
}

#[test]
fn a_lease_respects_the_byte_budget_but_always_takes_one() {
    let (_d, mut q) = open();
    for n in 0..4 {
        let mut r = rec(n);
        r.payload = "x".repeat(1000);
        q.enqueue(&r, 1).unwrap();
    }
    // The budget counts what is shipped: the sealed copy, in base64 (about 1,450 bytes each).
    assert_eq!(q.lease("a", 10, 3000, 5, 100).unwrap().len(), 2);
    assert_eq!(q.lease("b", 10, 10, 5, 100).unwrap().len(), 1);
}

#[test]
fn corrections_cancel_what_they_replace_and_cancel_needs_an_open_record() {
    let (_d, mut q) = open();
    let (old, _) = q.enqueue(&rec(1), 1).unwrap();
    let mut fix = rec(1);
    fix.replaces = Some(old);
    let (new, new_ref) = q.enqueue(&fix, 2).unwrap();
    let o = q.get(old).unwrap().unwrap();
    assert_eq!(o.state, State::Cancelled);
    assert!(o.last_error.unwrap().contains(&new_ref));
    assert_eq!(
        q.find_person("camp", "ID:1")
            .unwrap()
            .unwrap()
            .submission_id,
        new
    );
    assert_eq!(q.get(new).unwrap().unwrap().replaces, Some(old));

    assert!(matches!(
        q.cancel(old, "x"),
        Err(QueueError::WrongState { .. })
    ));
    q.cancel(new, "left the queue").unwrap();
    assert!(q.find_person("camp", "ID:1").unwrap().is_none());
}

#[test]
fn retention_purges_acknowledged_personal_data_only() {
    let (_d, mut q) = open();
    let day = 86_400_000;
    let ids: Vec<_> = (0..4).map(|n| q.enqueue(&rec(n), 0).unwrap().0).collect();
    q.lease("a", 10, 1 << 20, 0, 1000).unwrap();
    let acc = Outcome::Accepted {
        hub_reference: "H".into(),
    };
    let rej = Outcome::Rejected {
        field: "phone".into(),
        reason: "bad".into(),
    };
    q.record_outcomes(&[(ids[0], acc.clone()), (ids[1], rej)], day)
        .unwrap();
    q.release(&[ids[2]], "offline", 0).unwrap();
    assert_eq!(
        q.purge(7 * day, 7).unwrap(),
        0,
        "acknowledged 6 days ago: kept"
    );
    assert_eq!(q.purge(8 * day + 1, 7).unwrap(), 1);
    let t = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(
        (t.registration, t.id_key, t.state),
        (None, None, State::Accepted)
    );
    assert_eq!(
        t.reference.len(),
        "SK01-0001-X".len(),
        "the tombstone keeps its reference"
    );
    for id in &ids[1..] {
        assert!(
            q.get(*id).unwrap().unwrap().registration.is_some(),
            "rejected/pending/sending kept"
        );
    }
    // A clock jumping back does not purge anything early.
    assert_eq!(q.purge(0, 7).unwrap(), 0);
}

#[test]
fn list_searches_references_and_names_and_stats_count_states() {
    let (_d, mut q) = open();
    let (_, r1) = q.enqueue(&rec(1), 1).unwrap();
    q.enqueue(&rec(2), 500).unwrap();
    let by_name = q
        .list(&ListFilter {
            search: Some("สมชาย2".into()),
            ..ListFilter::default()
        })
        .unwrap();
    assert_eq!(by_name.len(), 1);
    let by_ref = q
        .list(&ListFilter {
            search: Some(r1.clone()),
            ..ListFilter::default()
        })
        .unwrap();
    assert_eq!(by_ref[0].0.reference, r1);
    // The kiosk prefix is as typed; in the code itself o stands for 0, and case and dashes go.
    let (prefix, code) = r1.split_at("SK01-".len());
    let sloppy = format!(
        "{} {}",
        prefix.trim_end_matches('-'),
        code.replace('0', "o")
    )
    .to_lowercase()
    .replace('-', " ");
    let by_sloppy = q
        .list(&ListFilter {
            search: Some(sloppy),
            ..ListFilter::default()
        })
        .unwrap();
    assert_eq!(by_sloppy.len(), 1);
    assert_eq!(by_sloppy[0].0.reference, r1);
    let newest = q
        .list(&ListFilter {
            newest_first: true,
            limit: Some(1),
            ..ListFilter::default()
        })
        .unwrap();
    assert_ne!(newest[0].0.reference, r1);
    let s = q.stats().unwrap();
    assert_eq!(
        (s.unsent, s.counts["pending"], s.counts["accepted"]),
        (2, 2, 0)
    );
    assert_eq!(s.oldest_unsent_created_at, Some(1));
    q.set_meta("last_sync_ok_at", "77").unwrap();
    q.set_meta("last_sync_ok_at", "78").unwrap();
    assert_eq!(q.stats().unwrap().last_sync_ok_at, Some(78));
}

#[test]
fn stored_records_are_handed_out_typed_and_an_unreadable_one_without_its_registration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    // Two records from before sealing, in clear: one good, one written by something broken.
    let conn = db::open_at_version(&path, 1).unwrap();
    let good = serde_json::to_string(&person(1)).unwrap();
    for (n, payload, outcome) in [
        (
            1,
            good.as_str(),
            r#"{"status":"accepted","hub_reference":"H-1"}"#,
        ),
        (2, r#"{"first_name": 5}"#, "not json"),
    ] {
        conn.execute(
            "INSERT INTO registrations (submission_id, reference, seq, campaign_id, kiosk_id,
                 operator, created_at, id_key, payload, outcome)
             VALUES (?1, ?2, ?3, 'camp', 'SK01', 'op', 5, ?4, ?5, ?6)",
            rusqlite::params![
                format!("0190a0a0-0000-7000-8000-00000000000{n}"),
                format!("SK01-000{n}-X"),
                n,
                format!("ID:{n}"),
                payload,
                outcome
            ],
        )
        .unwrap();
    }
    drop(conn);
    // No key to seal to: they stay in clear, and are read and leased as they are.
    let mut q = Queue::open(&path, "SK01").unwrap();
    let rows = q.list(&ListFilter::default()).unwrap();
    let (first, second) = (&rows[0].0, &rows[1].0);
    assert_eq!(first.registration, Some(person(1)));
    assert_eq!(
        first.outcome,
        Some(Outcome::Accepted {
            hub_reference: "H-1".into()
        })
    );
    assert_eq!(
        (second.registration.as_ref(), second.outcome.as_ref()),
        (None, None)
    );
    assert_eq!(second.reference, "SK01-0002-X", "the rest of it is there");

    let leased = q.lease("a", 10, 1 << 20, now_ms(), 1000).unwrap();
    assert_eq!(leased[0].shipment, Shipment::Clear(Box::new(person(1))));
    assert!(
        matches!(&leased[1].shipment, Shipment::Unreadable(why) if why.starts_with("stored record unreadable")),
        "{:?}",
        leased[1].shipment
    );
    assert!(leased.iter().all(|l| l.sealed().is_none()));
}
