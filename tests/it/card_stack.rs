//! The real PC/SC stack: Debian's pcscd with vsmartcard's vpcd driver (a virtual reader,
//! "Virtual PCD 00 00" on TCP 35963), and the emulated cards of `card_emu` inserted into it.
//! `ruamjai card read` reads each kind of card (both generations, a long name and address, an
//! expired card) and says clearly, in bounded time, why not for the rest (an error, garbage, not
//! a Thai ID card, pulled out mid-read, no card, no pcscd). The kiosk in a pty fills its form
//! from an inserted card and queues the registration after F9 and save; a card pulled mid-read
//! leaves the form as it was. The tests start pcscd when it is not running (as root); without
//! pcscd or vpcd they say so loudly, and under `CI=true` fail. Only in builds that read cards.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ruamjai::core::form::Registration;
use ruamjai::kiosk::queue::{ListFilter, QUEUE_FILE};

use crate::card_emu::{Inserted, Person, Quirk, VirtualCard};
use crate::tui_pty::Kiosk;

/// vpcd's first reader and its port.
pub const READER: &str = "Virtual PCD 00 00";
const PORT: u16 = crate::card_emu::VPCD_PORT;
const F9: &str = "\x1b[20~";
const F10: &str = "\x1b[21~";

/// One card at a time in the one virtual reader.
static READER_LOCK: Mutex<()> = Mutex::new(());

/// pcscd running with vpcd's reader (started when it is not); the reader for this test.
pub fn stack() -> Option<MutexGuard<'static, ()>> {
    let guard = READER_LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match crate::card_emu::start_stack() {
        Ok(()) => Some(guard),
        Err(why) => {
            crate::support::missing(&why);
            None
        }
    }
}

/// `ruamjai card read` on the virtual reader: exit code, stdout, stderr, seconds taken.
fn card_read(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String, f64) {
    let dir = crate::support::private_tempdir();
    let mut cmd = crate::support::ruamjai(dir.path());
    cmd.args(["card", "read", "--reader", READER])
        .args(args)
        .timeout(Duration::from_secs(30));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let start = Instant::now();
    let out = cmd.output().unwrap();
    let took = start.elapsed().as_secs_f64();
    let log = std::fs::read_to_string(dir.path().join("ruamjai.log")).unwrap_or_default();
    assert!(
        !log.contains("สมชาย") && !log.contains("1112034563562"),
        "logged: {log}"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        took,
    )
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Inserts `card`, runs `card read` with `args`, takes the card out.
fn read_inserted(card: VirtualCard, args: &[&str]) -> (i32, String, String, Inserted) {
    let inserted = card.insert(PORT);
    let (code, out, err, took) = card_read(args, &[]);
    assert!(took < 15.0, "card read took {took:.1} s");
    (code, out, err, inserted)
}

#[test]
fn card_read_reads_every_kind_of_card_through_pcscd() {
    let Some(_reader) = stack() else { return };
    let (code, out, err, card) = read_inserted(
        VirtualCard::current(&Person::somchai()),
        &["--json", "--show"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["reader"], READER);
    assert_eq!(v["citizen_id"], "1-1120-34563-56-2");
    assert_eq!(v["name_th"], "นาย สมชาย ใจดี");
    assert_eq!(v["birth_date"], "05/07/2490");
    assert_eq!(v["postcode"], "74110 (national list)");
    assert_eq!(v["expires"], "lifelong");
    assert!(v["generation"].as_str().unwrap().starts_with("current"));
    drop(card);

    // Masked without --show.
    let (code, out, _, card) = read_inserted(VirtualCard::current(&Person::somchai()), &[]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("สมชาย") && !out.contains("1120-34563"),
        "{out}"
    );
    assert!(
        out.contains("1-****-*****-**-2") && out.contains("**/**/2490"),
        "{out}"
    );
    drop(card);

    let (code, out, err, card) = read_inserted(
        VirtualCard::older(&Person::somchai()),
        &["--json", "--show"],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        json(&out)["generation"]
            .as_str()
            .unwrap()
            .starts_with("older")
    );
    assert_eq!(json(&out)["name_en"], "Mr. Somchai Jaidee");
    drop(card);

    let (code, out, err, card) =
        read_inserted(VirtualCard::older(&Person::long()), &["--json", "--show"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        json(&out)["name_th"],
        "ว่าที่ร้อยตรีหญิง เจ้าพระยาสุรศักดิ์มนตรีวงศ์ ประภาพรรณ ณ อยุธยาศรีสุวรรณภูมิพิทักษ์กุล"
    );
    assert_eq!(json(&out)["postcode"], "74130 (national list)");
    drop(card);

    let (code, out, _, card) = read_inserted(VirtualCard::current(&Person::expired()), &["--json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["expires"], "14/02/2566 (expired)");
    drop(card);

    // One field that makes no sense: the rest is shown, the bad one named.
    let (code, out, err, _card) = read_inserted(
        VirtualCard::current(&Person::bad_birth_date()),
        &["--json", "--show"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    assert_eq!(v["name_th"], "นาย สมชาย ใจดี");
    assert_eq!(v["unreadable"], "birth date");
    assert!(v["birth_date"].as_str().unwrap().starts_with("unreadable"));
}

#[test]
fn card_read_says_why_not_and_never_hangs() {
    let Some(_reader) = stack() else { return };
    let p = Person::somchai();
    for (quirk, said) in [
        (
            Quirk::Error(0x6F00),
            "refused to give the citizen ID (status 6F00)",
        ),
        (Quirk::Garbage, "answer for the citizen ID makes no sense"),
        (Quirk::NotThaiId, "not a Thai ID card"),
        (Quirk::PulledAt(6), "taken out or lost contact"),
    ] {
        let (code, out, err, inserted) = read_inserted(VirtualCard::current(&p).with(quirk), &[]);
        assert_eq!(code, 2, "{quirk:?}: {out}{err}");
        assert!(err.contains(said), "{quirk:?}: {err}");
        if let Quirk::PulledAt(_) = quirk {
            assert!(inserted.was_pulled());
        }
    }
    let (code, _, err, took) = card_read(&["--timeout", "2"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no card was put in the reader"), "{err}");
    assert!(took < 10.0, "{took}");
    let (code, out, _, took) = card_read(
        &["--json"],
        &[("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")],
    );
    assert_eq!(code, 1);
    assert_eq!(
        json(&out)["error"],
        "the smart card service is not running (pcscd on Linux)"
    );
    assert!(took < 10.0, "{took}");
}

/// The kiosk in a pty watching the virtual reader, on the form (operator สมใจ).
fn kiosk_on_form(env: &[(&str, &str)]) -> Kiosk {
    let mut all = vec![("RUAMJAI_CARD_READER", READER)];
    all.extend_from_slice(env);
    let k = Kiosk::start_with(&all);
    k.wait_for("F10/^Q");
    k.send("สมใจ\r");
    k.wait_for("ลงทะเบียนผู้รับบริการ");
    k
}

#[test]
fn the_kiosk_fills_its_form_from_the_card_and_queues_the_registration() {
    let Some(_reader) = stack() else { return };
    let mut k = kiosk_on_form(&[]);
    k.wait_for("บัตร พร้อม");
    let card = VirtualCard::current(&Person::somchai()).insert(PORT);
    k.wait_for("◆ จากบัตร");
    // The state "read" follows the card's data in a message of its own.
    for shown in [
        "1-1120-34563-56-2",
        "สมชาย",
        "ใจดี",
        "05/07/2490",
        "บัตร อ่านแล้ว",
    ] {
        k.wait_for(shown);
    }
    drop(card);
    // The focus is on the phone; Enter goes past what the card filled.
    k.send("0812345678\r3\r1");
    k.send(F9);
    k.wait_for("ตรวจทานก่อนบันทึก");
    assert!(k.text().contains("74110"), "{}", k.text());
    k.send("\r");
    k.wait_for("บันทึกแล้ว");
    k.send("\r");
    k.wait_for("ลงทะเบียนผู้รับบริการ");
    k.send(F10);
    k.send("y");
    k.wait_exit();
    let log = k.log();
    assert!(
        !log.contains("สมชาย") && !log.contains("1112034563562"),
        "{log}"
    );

    let q = crate::support::open_queue(&k.data.join(QUEUE_FILE), "KIOSK").unwrap();
    let rows = q.list(&ListFilter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    let reg: &Registration = rows[0].0.registration.as_ref().unwrap();
    assert_eq!(reg.id_number, "1112034563562");
    assert_eq!(
        (reg.title.as_str(), reg.first_name.as_str()),
        ("นาย", "สมชาย")
    );
    assert_eq!(reg.last_name, "ใจดี");
    assert_eq!(reg.birth_date.unwrap().format(), "05/07/2490");
    assert_eq!(reg.address.house_no, "12/3");
    assert_eq!(reg.address.moo, "4");
    assert_eq!(reg.address.tambon, "คลองมะเดื่อ");
    assert_eq!(reg.address.postcode, "74110");
    assert_eq!(reg.phone, "0812345678");
    assert_eq!(reg.target_group, 3);
}

#[test]
fn a_card_pulled_mid_read_leaves_the_kiosk_form_as_it_was() {
    let Some(_reader) = stack() else { return };
    let mut k = kiosk_on_form(&[]);
    k.wait_for("บัตร พร้อม");
    let pulled = VirtualCard::current(&Person::somchai())
        .with(Quirk::PulledAt(8))
        .insert(PORT);
    k.wait_for("บัตรถูกดึงออกระหว่างอ่าน");
    assert!(pulled.was_pulled());
    assert!(!k.text().contains("สมชาย"), "{}", k.text());
    drop(pulled);
    k.wait_for("บัตร พร้อม");
    // Garbage: said, nothing filled.
    let garbage = VirtualCard::current(&Person::somchai())
        .with(Quirk::Garbage)
        .insert(PORT);
    k.wait_for("บัตร อ่านไม่ได้");
    assert!(!k.text().contains("◆ จากบัตร"), "{}", k.text());
    drop(garbage);
    k.wait_for("บัตร พร้อม");
    // The next card fills the form.
    let _good = VirtualCard::older(&Person::expired()).insert(PORT);
    k.wait_for("◆ จากบัตร");
    assert!(k.text().contains("มาลี"), "{}", k.text());
    k.send(F10);
    k.wait_for("Esc");
    k.send("y");
    k.wait_exit();
}

#[test]
fn a_kiosk_without_pcscd_says_so_and_works() {
    let mut k = kiosk_on_form(&[("PCSCLITE_CSOCK_NAME", "/nonexistent/pcscd.comm")]);
    k.wait_for("บัตร ไม่มี pcscd");
    k.send("\t1112034563562\t1\tสมชาย");
    k.wait_for("สมชาย");
    k.send(F10);
    k.wait_for("Esc");
    k.send("y");
    k.wait_exit();
}
