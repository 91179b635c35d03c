//! A fresh kiosk's first minutes (issue 28, item 1): installed with no PIN, no hub key and no
//! `kiosk_id`, it asks the clerk to choose the counter's PIN (twice, refusing one too easy to
//! guess and keeping what was typed), then saves: the record is sealed to the shift's key and
//! its reference carries the kiosk's provisional prefix (`00…`), not `KIOSK-`. Once the kiosk is
//! enrolled (`kiosk_id` and the hub's key set) the record gets its hub copy, which the hub's key
//! opens with the provisional prefix the receipt shows, and the sender ships it unchanged.

use crossterm::event::KeyCode;
use ruamjai::core::thai::{Bilingual, Lang};
use ruamjai::kiosk::queue::{PinError, Shipment, Weakness};
use ruamjai::kiosk::tui::app::{Hint, Screen, StartFocus};
use ruamjai::kiosk::tui::{Effect, Msg, ShiftView, update};

use crate::tui_support::{app, press, render, screen_text, typ};
use crate::tui_tmux::Tmux;

#[test]
fn the_first_start_asks_to_choose_the_pin_twice_and_keeps_a_refused_one() {
    let mut a = app(Lang::En);
    a.shift = ShiftView::new(false, false);
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains("Choose the counter's PIN:"), "{seen}");
    assert!(seen.contains("Type it again:"), "{seen}");
    typ(&mut a, "Somjai");
    press(&mut a, KeyCode::Enter);
    assert_eq!(
        a.shift.focus,
        StartFocus::Pin,
        "Enter on the name goes to the PIN"
    );
    // No way round it: the PIN must be chosen before anything is saved.
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.hint, Some(Hint::ChoosePin));
    assert_eq!(a.screen, Screen::Start);

    typ(&mut a, "987654");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.shift.focus, StartFocus::Again);
    typ(&mut a, "987645");
    assert!(press(&mut a, KeyCode::Enter).is_empty());
    assert_eq!(a.hint, Some(Hint::PinsDiffer));
    assert_eq!(a.shift.again.text(), "", "the second one is typed again");
    typ(&mut a, "987654");
    let fx = press(&mut a, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::ChoosePin(ruamjai::kiosk::queue::Pin::new("987654"))]
    );
    // The queue refuses it as too easy: the reason is said, what was typed stays.
    update(&mut a, Msg::ShiftOpened(Err(PinError::Weak(Weakness::Run))));
    assert_eq!(a.screen, Screen::Start);
    assert_eq!(a.shift.pin.text(), "987654");
    assert_eq!(a.shift.again.text(), "987654");
    assert_eq!(a.operator_name(), "Somjai");
    let said = a.hint.as_ref().unwrap().say(Lang::En);
    assert!(said.contains("counting up or down"), "{said}");
    assert!(a.hint.as_ref().unwrap().say(Lang::Th).contains("เดาง่าย"));
    let seen = screen_text(&render(&a, 80, 24));
    assert!(seen.contains("PIN: ******"), "{seen}");
    assert!(!seen.contains("987654"), "the PIN is never drawn:\n{seen}");

    // Chosen: the shift is open, the form follows, and the next start asks for it.
    update(&mut a, Msg::ShiftOpened(Ok(())));
    assert_eq!(a.screen, Screen::Form);
    assert!(a.shift.open && a.shift.pin_set && !a.shift.choosing);
    assert_eq!(a.shift.pin.text(), "");
    assert_eq!(press(&mut a, KeyCode::Esc), vec![Effect::CloseShift]);
    assert!(a.shift.asks_pin());
}

/// Fills the form (the Thai screen) for สมชาย ใจดี and saves it; waits for the receipt.
pub(crate) fn register(t: &Tmux) {
    t.wait_for("F9/^R");
    t.send("\t1112034563562\t1\t");
    t.send("สมชาย\tใจดี\t");
    t.send("05072490\t1\t0812345678\t12/3\t4\t\t\t");
    t.send("คลองมะเ");
    t.wait_for("กระทุ่มแบน");
    t.send("\r3\t1\t");
    t.keys(&["F9"]);
    t.wait_for("ตรวจทานก่อนบันทึก");
    t.keys(&["Enter"]);
    t.wait_for("บันทึกแล้ว");
}

#[test]
fn a_fresh_kiosk_chooses_its_pin_saves_under_a_provisional_prefix_and_sends_it_once_enrolled() {
    // No PIN given, no hub key pinned, no kiosk_id: a kiosk as installed.
    let Some(t) = Tmux::start_env(None, &[crate::support::NO_CARD_READER, ("RUAMJAI_PIN", "")])
    else {
        return;
    };
    t.wait_for("F10/^Q");
    t.wait_for("ตั้ง PIN ของจุดบริการ");
    t.send("สมใจ\r");
    t.send("000000\r000000\r");
    t.wait_for("เดาง่าย");
    t.wait_for("ตั้ง PIN ของจุดบริการ: ******");
    // Typed over: Ctrl-U clears the field.
    t.keys(&["C-u"]);
    t.send("240913\r");
    t.keys(&["C-u"]);
    t.send("240913\r");
    register(&t);
    let screen = t.screen();
    assert!(!screen.contains("KIOSK-"), "{screen}");
    t.keys(&["Enter"]);
    t.wait_for("ลงทะเบียนผู้รับบริการ");
    t.keys(&["F10"]);
    t.send("y");
    let reference = t.saved_reference();
    let prefix = ruamjai::core::refcode::prefix_in(&reference)
        .unwrap()
        .to_owned();
    assert!(
        ruamjai::core::refcode::is_provisional(&prefix),
        "{reference}"
    );
    assert!(
        screen.contains(&reference),
        "the receipt shows it:\n{screen}"
    );
    let log = t.log();
    assert!(!log.contains("not saved"), "{log}");

    // Enrolled: a name at the hub and its key. The record made before is sent unchanged, its
    // hub copy (made now, from the shift's copy) opening with the prefix on the receipt.
    let dir = t.data_dir().to_path_buf();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "kiosk_id = \"SK05\"\nhub_key = \"{}\"\n",
            crate::support::test_hub_public().to_b64()
        ),
    )
    .unwrap();
    let flags = ruamjai::kiosk::config::Overrides {
        data_dir: Some(dir.clone()),
        ..Default::default()
    };
    let config = ruamjai::kiosk::config::load(&flags, &|k| {
        (k == "RUAMJAI_PIN").then(|| "240913".to_owned())
    })
    .unwrap();
    let mut queue = config.open_queue().unwrap();
    assert_eq!(queue.kiosk_id(), "SK05");
    let leased = queue
        .lease("test", 10, 1 << 20, ruamjai::kiosk::queue::now_ms(), 60_000)
        .unwrap();
    assert_eq!(leased.len(), 1);
    assert_eq!(leased[0].reference, reference, "sent as printed");
    let Shipment::Sealed(sealed) = &leased[0].shipment else {
        panic!("the hub copy: {:?}", leased[0].shipment);
    };
    let aad = ruamjai::core::seal::registration_aad(&prefix, &leased[0].submission_id);
    let json = crate::support::test_hub_keys()
        .open(&sealed.key_id, &aad, &sealed.data)
        .expect("the hub opens it with the receipt's prefix");
    let reg: ruamjai::core::form::Registration = serde_json::from_slice(&json).unwrap();
    assert_eq!(reg.first_name, "สมชาย");
}

/// A kiosk that saved before it had the hub's key: when the sender learns the key (on its own
/// connection to the queue), the screen's next status refresh gives the waiting records their
/// hub copy, with the shift open, without waiting for the next shift.
#[test]
fn records_saved_before_the_hub_key_get_their_hub_copy_when_the_sender_learns_it() {
    let dir = crate::support::private_tempdir();
    let path = dir.path().join("queue.sqlite3");
    let mut queue = ruamjai::kiosk::queue::Queue::open(&path, "SK05").unwrap();
    queue.choose_pin("240913").unwrap();
    let campaign = crate::hub::campaign();
    let person = crate::support::registration(&campaign, 3);
    queue
        .enqueue(
            &ruamjai::kiosk::queue::NewRecord::from_registration(&person, "op", None),
            ruamjai::kiosk::queue::now_ms(),
        )
        .unwrap();
    let waiting = |q: &ruamjai::kiosk::queue::Queue| q.stats().unwrap().sealing.waiting_for_hub_key;
    assert_eq!(
        waiting(&queue),
        1,
        "sealed to the shift only, never refused"
    );
    // The sender's connection learns the hub's key.
    let mut sender = ruamjai::kiosk::queue::Queue::open(&path, "SK05").unwrap();
    sender
        .set_hub_key(&crate::support::test_hub_public())
        .unwrap();
    let mut a = app(Lang::En);
    a.shift = ShiftView::new(true, true);
    let woken = std::cell::Cell::new(0);
    ruamjai::kiosk::tui::run::process(
        &mut a,
        Msg::Sync(ruamjai::kiosk::sync::SyncStatus::default()),
        &mut queue,
        &|| woken.set(woken.get() + 1),
    );
    assert_eq!(waiting(&queue), 0);
    assert_eq!(woken.get(), 1, "the sender is told they can go");
    let leased = sender
        .lease("test", 10, 1 << 20, ruamjai::kiosk::queue::now_ms(), 60_000)
        .unwrap();
    assert!(matches!(leased[0].shipment, Shipment::Sealed(_)));
}
