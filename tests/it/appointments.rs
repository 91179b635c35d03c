//! The person hears of the appointment (issue 33, the kiosk's side): an appointment recorded in
//! a real queue as the sender records the hub's answer (no hub sends one yet: the end-to-end
//! test with the real hub comes once it does) reaches `status --json`, `export`, the receipt and
//! its slip, and, in the real binary in tmux, the queue screen and the slip Ctrl-P prints.

use std::time::Duration;

use crossterm::event::KeyCode;
use ruamjai::core::form::Campaign;
use ruamjai::core::form::campaign::DEFAULT_CAMPAIGN;
use ruamjai::core::protocol::{Appointment, ItemOutcome, Outcome, OutcomeChange};
use ruamjai::core::thai::Lang;
use ruamjai::kiosk::queue::{NewRecord, Queue, now_ms};
use ruamjai::kiosk::tui::app::{RecordRow, Screen};
use ruamjai::kiosk::tui::{Effect, Msg, update};
use uuid::Uuid;

use crate::print_support::VirtualPrinter;
use crate::support::{open_queue, registration};
use crate::tui_support::{fill, on_form, press, render, saved, screen_text};

/// The code the hub gave: no other text in these tests holds it.
const CODE: &str = "7315";

fn booked() -> Appointment {
    Appointment {
        site_id: "SK-MUANG-01".into(),
        site_name_th: "โรงพยาบาลสกลนคร".into(),
        site_name_en: "Sakon Nakhon Hospital".into(),
        date: "2021-08-02".into(),
        slot: Some("09:00-12:00".into()),
        security_code: Some(CODE.into()),
        state: "booked".into(),
        vaccinated_at: None,
    }
}

fn accepted(n: usize) -> Outcome {
    Outcome::Accepted {
        hub_reference: format!("RJ-{n:07}"),
    }
}

/// Two records in the queue of data directory `dir`, both accepted by the hub; the second (the
/// newest, first on the queue screen) with an appointment. Their ids and references.
fn appointed(dir: &std::path::Path) -> (Queue, Vec<Uuid>, Vec<String>) {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let mut q = open_queue(&dir.join("queue.sqlite3"), "SK01").unwrap();
    let new: Vec<NewRecord> = (1..=2)
        .map(|n| NewRecord::from_registration(&registration(&campaign, n), "op", None))
        .collect();
    let (ids, refs): (Vec<Uuid>, Vec<String>) =
        new.iter().map(|r| q.enqueue(r, now_ms()).unwrap()).unzip();
    q.lease("sender", 10, 1 << 20, now_ms(), 60_000).unwrap();
    let answers: Vec<ItemOutcome> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| ItemOutcome {
            appointment: (i == 1).then(booked),
            ..ItemOutcome::new(*id, accepted(i))
        })
        .collect();
    q.record_answers(&answers, now_ms()).unwrap();
    (q, ids, refs)
}

#[test]
fn status_counts_appointments_and_export_carries_them_with_the_code() {
    let dir = crate::support::private_tempdir();
    let (mut q, ids, refs) = appointed(dir.path());
    let json = |dir: &std::path::Path| -> serde_json::Value {
        let out = crate::support::ruamjai(dir)
            .args(["status", "--json"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let report = json(dir.path());
    assert_eq!(report["appointments_received"], 1, "{report}");
    assert_eq!(report["appointments"]["booked"], 1, "{report}");
    let out = crate::support::ruamjai(dir.path())
        .arg("status")
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.contains("1 appointments received"), "{line}");
    assert!(line.contains("appointments_received=1"), "{line}");

    // The dose recorded: a change in the outcome feed.
    let vaccinated = Appointment {
        state: "vaccinated".into(),
        vaccinated_at: Some(1_627_894_800_000),
        security_code: None,
        ..booked()
    };
    let change = OutcomeChange {
        seq: 7,
        submission_id: ids[1],
        outcome: accepted(1),
        appointment: Some(vaccinated),
    };
    assert_eq!(q.apply_changes(&[change], 7, now_ms()).unwrap(), 1);
    drop(q);
    assert_eq!(json(dir.path())["appointments"]["vaccinated"], 1);

    let rows = crate::support::jsonl_export(crate::support::ruamjai(dir.path()).arg("export"));
    assert_eq!(rows.len(), 2);
    let plain = &rows[0];
    assert_eq!(plain["reference"], refs[0]);
    for column in [
        "site_id",
        "appointment_date",
        "appointment_slot",
        "vaccinated_at",
        "security_code",
    ] {
        assert_eq!(plain[column], "", "{column}: a record without one has none");
    }
    let given = &rows[1];
    assert_eq!(given["reference"], refs[1]);
    assert_eq!(given["site_id"], "SK-MUANG-01");
    assert_eq!(given["appointment_date"], "2021-08-02");
    assert_eq!(given["appointment_slot"], "09:00-12:00");
    assert_eq!(given["vaccinated_at"], "2021-08-02T09:00:00Z");
    assert_eq!(
        given["security_code"], CODE,
        "this kiosk registered the person"
    );
}

#[test]
fn the_receipt_shows_the_appointment_once_the_hub_gives_it_and_p_prints_it() {
    let dir = crate::support::private_tempdir();
    let (q, ids, refs) = appointed(dir.path());
    let mut a = on_form(Lang::Th);
    a.printer.configured = true;
    fill(&mut a);
    press(&mut a, KeyCode::F(9));
    let fx = press(&mut a, KeyCode::F(9));
    update(&mut a, saved(&fx, ids[1], &refs[1]));
    a.printer.busy = false;
    assert_eq!(a.screen, Screen::Receipt);
    let before = screen_text(&render(&a, 100, 32));
    assert!(!before.contains("สถานที่ฉีด"), "nothing new before:\n{before}");
    // The sender's news, as the event loop reads the record from the queue.
    let row = RecordRow::from_record(&q.get(ids[1]).unwrap().unwrap());
    update(&mut a, Msg::RecordState(row));
    // On the smallest screen, with the keys below still there.
    let seen = screen_text(&render(&a, 80, 24));
    for said in [
        "สถานที่ฉีด",
        "โรงพยาบาลสกลนคร",
        "02/08/2564 09:00-12:00 (นัดแล้ว)",
        "รหัสยืนยัน",
        CODE,
        "Enter คนถัดไป",
        "p พิมพ์ใบรับอีกครั้ง",
    ] {
        assert!(seen.contains(said), "{said} missing:\n{seen}");
    }
    let fx = press(&mut a, KeyCode::Char('p'));
    let slip = fx
        .iter()
        .find_map(|e| match e {
            Effect::Print(slip) => Some(slip.as_ref().clone()),
            _ => None,
        })
        .expect("p prints the slip");
    assert_eq!(
        slip.appointment.as_deref(),
        Some("โรงพยาบาลสกลนคร 02/08/2564 09:00-12:00")
    );
    assert_eq!(slip.security_code.as_deref(), Some(CODE));
}

/// The real binary in tmux with a printer in text mode (Windows-874, so the slip's words can be
/// read back): the queue screen's detail shows the selected record's appointment, in Thai and
/// then in English, a record without one shows none, each screen equal to its full redraw, and
/// Ctrl-P prints it on the slip.
#[test]
fn in_a_real_terminal_the_queue_screen_shows_the_appointment_and_ctrl_p_prints_it() {
    let dir = crate::support::private_tempdir();
    let (q, _, _) = appointed(dir.path());
    drop(q);
    let vp = VirtualPrinter::start();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "kiosk_id = \"SK01\"\n[printer]\ndevice = \"{}\"\nwidth = 80\nmode = \"text\"\n",
            vp.device()
        ),
    )
    .unwrap();
    let config = dir.path().join("config.toml").display().to_string();
    let env = [
        crate::support::NO_CARD_READER,
        ("RUAMJAI_CONFIG", config.as_str()),
    ];
    let kiosk = crate::tui_tmux::kiosk_command(dir.path(), &env, &[]);
    let Some(t) = crate::tui_tmux::Tmux::start_command(dir, "appointment", &kiosk) else {
        return;
    };
    t.wait_for("F10/^Q");
    t.send("สมใจ");
    t.send("\r");
    t.keys(&["F4"]);
    t.wait_for("02/08/2564");
    // Each step's screen equals its full redraw (THAI.md §1): the detail grows and shrinks
    // with the appointment, Thai replaced by narrower text.
    let mut stale = t.stale_cells("queue screen with an appointment");
    let screen = t.lines().join("\n");
    for said in ["นัดหมาย", "โรงพยาบาลสกลนคร", "09:00-12:00", "นัดแล้ว", CODE]
    {
        assert!(screen.contains(said), "{said} missing:\n{screen}");
    }
    // The other record has none: nothing new.
    t.keys(&["Down"]);
    stale.extend(t.stale_cells("a record without one"));
    let other = t.lines().join("\n");
    assert!(!other.contains("02/08/2564"), "{other}");
    assert!(!other.contains("นัดหมาย"), "{other}");
    t.keys(&["Up", "F2"]);
    t.wait_for("Sakon Nakhon Hospital");
    stale.extend(t.stale_cells("in English"));
    assert!(stale.is_empty(), "stale cells: {stale:#?}");
    t.keys(&["C-p"]);
    let job = vp
        .job(0, Duration::from_secs(5))
        .expect("Ctrl-P printed the slip");
    let (text, _, _) = encoding_rs::WINDOWS_874.decode(&job.bytes);
    for said in ["Sakon Nakhon Hospital 02/08/2564 09:00-12:00", CODE] {
        assert!(text.contains(said), "{said} not on the slip:\n{text}");
    }
}
