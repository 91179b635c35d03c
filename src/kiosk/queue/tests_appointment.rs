//! Appointments on real SQLite files: given with an acceptance (as the sender records a batch's
//! answer) and replaced by each later change in the outcome feed; the place kept plain and
//! counted with no PIN, the security code sealed at rest and read only with the shift open.

use super::tests::{PIN, keyed, open, rec};
use super::*;
use crate::core::protocol::{Appointment, ItemOutcome, Outcome, OutcomeChange, appointment_state};

/// A code no other byte of the test's file is likely to hold.
const CODE: &str = "7315";

fn booked(site: &str, code: Option<&str>) -> Appointment {
    Appointment {
        site_id: site.into(),
        site_name_th: "โรงพยาบาลสกลนคร".into(),
        site_name_en: "Sakon Nakhon Hospital".into(),
        date: "2021-08-02".into(),
        slot: Some("09:00-12:00".into()),
        security_code: code.map(str::to_owned),
        state: appointment_state::BOOKED.into(),
        vaccinated_at: None,
    }
}

fn accepted(n: u32) -> Outcome {
    Outcome::Accepted {
        hub_reference: format!("RJ-{n:07}"),
    }
}

/// Enqueues `n` records, leases them and records the hub's answer: the first accepted with an
/// appointment (the code [`CODE`]), the others accepted without one.
fn answered(q: &mut Queue, n: u32) -> Vec<Uuid> {
    let ids: Vec<Uuid> = (0..n).map(|i| q.enqueue(&rec(i), 100).unwrap().0).collect();
    q.lease("a", 100, 1 << 20, 1_000, 60_000).unwrap();
    let answers: Vec<ItemOutcome> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| ItemOutcome {
            appointment: (i == 0).then(|| booked("SK-MUANG-01", Some(CODE))),
            ..ItemOutcome::new(*id, accepted(u32::try_from(i).unwrap()))
        })
        .collect();
    assert_eq!(q.record_answers(&answers, 2_000).unwrap(), ids.len());
    ids
}

fn change(seq: u64, id: Uuid, outcome: Outcome, appointment: Option<Appointment>) -> OutcomeChange {
    OutcomeChange {
        seq,
        submission_id: id,
        outcome,
        appointment,
    }
}

#[test]
fn an_acceptance_brings_its_appointment_and_the_code_needs_the_shift() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let mut q = keyed(&path, "SK01").unwrap();
    let ids = answered(&mut q, 2);
    let got = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(got.state, State::Accepted);
    assert_eq!(got.appointment, Some(booked("SK-MUANG-01", Some(CODE))));
    assert_eq!(q.get(ids[1]).unwrap().unwrap().appointment, None);
    // Counted with no PIN.
    drop(q);
    let q = Queue::open(&path, "SK01").unwrap();
    let stats = q.stats().unwrap();
    assert_eq!(stats.appointments_received, 1);
    assert_eq!(stats.appointments.get("booked"), Some(&1));
    // The place is there without the shift; the code is not.
    let closed = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(closed.appointment, Some(booked("SK-MUANG-01", None)));
    let mut q = q;
    q.open_shift(PIN, now_ms()).unwrap();
    let open = q.get(ids[0]).unwrap().unwrap().appointment.unwrap();
    assert_eq!(open.security_code.as_deref(), Some(CODE));
    // A closed shift drops the on-screen copies of acknowledged records, not the code: a
    // reprint on the next shift needs it.
    q.close_shift();
    q.open_shift(PIN, now_ms()).unwrap();
    let next = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(next.registration, None);
    assert_eq!(
        next.appointment.unwrap().security_code.as_deref(),
        Some(CODE)
    );
}

#[test]
fn the_security_code_is_sealed_at_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.sqlite3");
    let mut q = keyed(&path, "SK01").unwrap();
    answered(&mut q, 1);
    q.checkpoint().unwrap();
    drop(q);
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // The place is plain (so this search does look in the right bytes) and the code is not.
    assert!(holds(b"SK-MUANG-01"));
    assert!(
        !holds(CODE.as_bytes()),
        "the security code is in the file in clear"
    );
}

#[test]
fn later_changes_replace_the_appointment_a_change_without_one_keeps_it() {
    let (_d, mut q) = open();
    let ids = answered(&mut q, 2);
    // A change of appointment alone: the site closed and the person moved; no code given.
    let moved = Appointment {
        site_name_th: "รพ.สต.ธาตุเชิงชุม".into(),
        site_name_en: "That Choeng Chum health centre".into(),
        date: "2021-08-09".into(),
        ..booked("SK-MUANG-02", None)
    };
    let page = [change(1, ids[0], accepted(0), Some(moved.clone()))];
    assert_eq!(q.apply_changes(&page, 1, 3_000).unwrap(), 1);
    let got = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(got.state, State::Accepted);
    assert_eq!(got.acked_at, Some(3_000));
    assert_eq!(
        got.appointment,
        Some(Appointment {
            security_code: Some(CODE.into()),
            ..moved.clone()
        }),
        "the code given before stays"
    );
    // An appointment for the other record, a new code with it.
    let second = booked("SK-MUANG-01", Some("5502"));
    let page = [
        change(2, ids[1], accepted(1), Some(second.clone())),
        // The dose recorded, then a change with no appointment at all.
        change(
            3,
            ids[0],
            accepted(0),
            Some(Appointment {
                state: appointment_state::VACCINATED.into(),
                vaccinated_at: Some(1_628_000_000_000),
                ..moved.clone()
            }),
        ),
        change(4, ids[0], accepted(0), None),
    ];
    assert_eq!(q.apply_changes(&page, 4, 4_000).unwrap(), 2);
    assert_eq!(q.get(ids[1]).unwrap().unwrap().appointment, Some(second));
    let done = q.get(ids[0]).unwrap().unwrap().appointment.unwrap();
    assert_eq!(done.state, "vaccinated");
    assert_eq!(done.vaccinated_at, Some(1_628_000_000_000));
    assert_eq!(done.site_id, "SK-MUANG-02");
    assert_eq!(done.security_code.as_deref(), Some(CODE));
    let stats = q.stats().unwrap();
    assert_eq!(stats.appointments_received, 2);
    assert_eq!(stats.appointments.get("vaccinated"), Some(&1));
    assert_eq!(stats.appointments.get("booked"), Some(&1));
    assert_eq!(q.outcomes_after().unwrap(), 4);
}

#[test]
fn an_admin_cancellation_brings_the_cancelled_appointment() {
    let (_d, mut q) = open();
    let ids = answered(&mut q, 1);
    let cancelled = Outcome::Cancelled {
        hub_reference: "RJ-0000000".into(),
        reason: "moved away".into(),
    };
    let appointment = Appointment {
        state: appointment_state::CANCELLED.into(),
        ..booked("SK-MUANG-01", None)
    };
    let page = [change(1, ids[0], cancelled, Some(appointment))];
    assert_eq!(q.apply_changes(&page, 1, 3_000).unwrap(), 1);
    let got = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(got.state, State::Cancelled);
    assert_eq!(got.appointment.unwrap().state, "cancelled");
}

#[test]
fn text_from_the_hub_is_made_safe_and_a_bad_code_is_not_kept() {
    let (_d, mut q) = open();
    let id = q.enqueue(&rec(1), 100).unwrap().0;
    q.lease("a", 10, 1 << 20, 1_000, 60_000).unwrap();
    let hostile = Appointment {
        site_name_en: "Site\u{1b}[2J\u{202e}X".into(),
        ..booked("SK-MUANG-01", Some("12ab"))
    };
    let answer = ItemOutcome {
        appointment: Some(hostile),
        ..ItemOutcome::new(id, accepted(1))
    };
    q.record_answers(&[answer], 2_000).unwrap();
    let got = q.get(id).unwrap().unwrap().appointment.unwrap();
    assert!(
        !got.site_name_en.contains(['\u{1b}', '\u{202e}']),
        "{:?}",
        got.site_name_en
    );
    assert_eq!(got.security_code, None);
}

#[test]
fn retention_drops_the_code_and_a_kiosk_with_no_pin_keeps_none() {
    let (_d, mut q) = open();
    let ids = answered(&mut q, 1);
    assert_eq!(q.purge(10_000_000_000, 1).unwrap(), 1);
    let purged = q.get(ids[0]).unwrap().unwrap();
    assert_eq!(purged.appointment, Some(booked("SK-MUANG-01", None)));

    let dir = tempfile::tempdir().unwrap();
    let mut bare = Queue::open(&dir.path().join("queue.sqlite3"), "SK01").unwrap();
    bare.set_hub_key(&crate::core::seal::SecretKey::generate().unwrap().public())
        .unwrap();
    let ids = answered(&mut bare, 1);
    bare.set_pin_cost(std::time::Duration::ZERO);
    bare.set_pin(PIN).unwrap();
    let got = bare.get(ids[0]).unwrap().unwrap();
    assert_eq!(got.appointment, Some(booked("SK-MUANG-01", None)));
}

#[test]
fn a_cancellation_made_here_takes_the_cancelled_appointment_the_hub_answers() {
    let (_d, mut q) = open();
    let ids = answered(&mut q, 1);
    q.cancel(ids[0], "moved away").unwrap();
    assert_eq!(q.cancellations_due(10).unwrap().len(), 1);
    let cancelled = Appointment {
        state: appointment_state::CANCELLED.into(),
        ..booked("SK-MUANG-01", None)
    };
    let answer = ItemOutcome {
        appointment: Some(cancelled),
        ..ItemOutcome::new(
            ids[0],
            Outcome::Cancelled {
                hub_reference: "RJ-0000000".into(),
                reason: "moved away".into(),
            },
        )
    };
    q.cancellations_answered(&[answer], 3_000).unwrap();
    assert!(q.cancellations_due(10).unwrap().is_empty());
    let got = q.get(ids[0]).unwrap().unwrap().appointment.unwrap();
    assert_eq!(got.state, "cancelled");
    assert_eq!(
        got.security_code.as_deref(),
        Some(CODE),
        "the code given before stays"
    );
}
