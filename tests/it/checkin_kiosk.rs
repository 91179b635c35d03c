//! Check-in at a vaccination site, the kiosk's side (issue 33, part 4): a site's list kept in a
//! real queue file (its people's details sealed to the shift), each thing a person arriving can
//! turn out to be, doses recorded durably and once, and `ruamjai checkin REFERENCE --code …`
//! run as a script would, one exit code per outcome, on a data directory seeded through the
//! library.

use std::fmt::Write as _;
use std::path::Path;

use ruamjai::core::protocol::{
    Appointment, ListedElsewhere, ListedPerson, SiteList, appointment_state, person_hash,
};
use ruamjai::core::refcode;
use ruamjai::kiosk::queue::{
    DaySetting, DoseRefusal, Finding, Queue, QueueError, now_ms, today_iso,
};

use crate::support::{TEST_PIN, open_queue, private_tempdir, ruamjai, thai_id};

/// The key of the test list's person hashes.
const KEY: [u8; 32] = [7; 32];
const SITE: &str = "KTB-01";

/// The ISO day `days` after `day`.
fn day_after(day: &str, days: i64) -> String {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    (d + chrono::Duration::days(days)).to_string()
}

fn reference(seq: u64) -> String {
    refcode::encode("SK01", seq).unwrap()
}

fn appointment(site: &str, day: &str, state: &str, code: Option<&str>) -> Appointment {
    let (th, en) = if site == SITE {
        ("รพ.สต.คลองมะเดื่อ", "Khlong Maduea health centre")
    } else {
        ("โรงพยาบาลบ้านแพ้ว", "Ban Phaeo hospital")
    };
    Appointment {
        site_id: site.into(),
        site_name_th: th.into(),
        site_name_en: en.into(),
        date: day.into(),
        slot: Some("09:00-12:00".into()),
        security_code: code.map(str::to_owned),
        state: state.into(),
        vaccinated_at: (state == appointment_state::VACCINATED).then_some(1_700_000_000_000),
    }
}

fn person(seq: u64, id: &str, day: &str, code: &str) -> ListedPerson {
    ListedPerson {
        reference: reference(seq),
        person_hash: person_hash(&KEY, &format!("ID:{id}")),
        title: "นาง".into(),
        first_name: "มาลี".into(),
        last_name: format!("ใจงาม{seq}"),
        id_tail: id[9..].into(),
        birth_date: Some("05/07/2490".into()),
        target_group: 3,
        appointment: appointment(SITE, day, appointment_state::BOOKED, Some(code)),
    }
}

fn elsewhere(seq: u64, person_key: &str, appointment: Appointment) -> ListedElsewhere {
    ListedElsewhere {
        reference: reference(seq),
        person_hash: person_hash(&KEY, person_key),
        appointment,
    }
}

/// Today's list at the site: two booked today (1, 6), one tomorrow (2); elsewhere one booked
/// at another site today (3), one vaccinated here before (4), one here beyond the list's days
/// (5), one passport holder at another site (7).
fn site_list(today: &str) -> SiteList {
    let tomorrow = day_after(today, 1);
    let later = day_after(today, 9);
    SiteList {
        site_id: SITE.into(),
        site_name_th: "รพ.สต.คลองมะเดื่อ".into(),
        site_name_en: "Khlong Maduea health centre".into(),
        generated_at: now_ms(),
        first_day: today.into(),
        last_day: day_after(today, 2),
        person_hash_key: ruamjai::core::seal::b64(&KEY),
        people: vec![
            person(1, &thai_id(330_100_000_001), today, "4821"),
            person(2, &thai_id(330_100_000_002), &tomorrow, "1357"),
            person(6, &thai_id(330_100_000_006), today, "2468"),
        ],
        elsewhere: vec![
            elsewhere(
                3,
                &format!("ID:{}", thai_id(330_100_000_003)),
                appointment("BPH-02", today, appointment_state::BOOKED, None),
            ),
            elsewhere(
                4,
                &format!("ID:{}", thai_id(330_100_000_004)),
                appointment(SITE, today, appointment_state::VACCINATED, None),
            ),
            elsewhere(
                5,
                &format!("ID:{}", thai_id(330_100_000_005)),
                appointment(SITE, &later, appointment_state::BOOKED, None),
            ),
            elsewhere(
                7,
                "P:AA1234567",
                appointment("BPH-02", &tomorrow, appointment_state::BOOKED, None),
            ),
        ],
    }
}

fn today() -> String {
    today_iso(now_ms())
}

/// A queue with the test PIN set and the shift open, holding today's list.
fn seeded(path: &Path) -> Queue {
    let mut q = open_queue(path, "sk-09").unwrap();
    q.set_site_id(Some(SITE)).unwrap();
    q.store_site_list(&site_list(&today()), now_ms()).unwrap();
    q
}

fn lot() -> DaySetting {
    DaySetting {
        lot: "LOT-A1".into(),
        dose_number: 1,
    }
}

#[test]
fn a_list_stored_with_no_shift_open_is_unreadable_until_the_pin_opens_it() {
    let dir = private_tempdir();
    let path = dir.path().join("queue.sqlite3");
    drop(open_queue(&path, "sk-09").unwrap());
    let mut q = Queue::open(&path, "sk-09").unwrap();
    assert!(!q.shift_open());
    let info = q.store_site_list(&site_list(&today()), now_ms()).unwrap();
    assert_eq!((info.people, info.elsewhere), (3, 4), "{info:?}");
    assert!(
        matches!(
            q.find_arrival(&reference(1), &today()),
            Err(QueueError::ShiftClosed)
        ),
        "the details need the PIN"
    );
    // Where and when needs none.
    assert!(matches!(
        q.find_arrival(&reference(3), &today()),
        Ok(Finding::OtherSite(_))
    ));
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes
            .windows("ใจงาม1".len())
            .any(|w| w == "ใจงาม1".as_bytes()),
        "a name is in the file in clear"
    );
    q.set_pin_cost(std::time::Duration::ZERO);
    q.open_shift(TEST_PIN, now_ms()).unwrap();
    match q.find_arrival(&reference(1), &today()).unwrap() {
        Finding::Here(p) => {
            assert_eq!(p.last_name, "ใจงาม1");
            assert_eq!(p.appointment.security_code.as_deref(), Some("4821"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_finding_by_reference_id_number_or_passport() {
    let dir = private_tempdir();
    let path = dir.path().join("queue.sqlite3");
    let mut q = open_queue(&path, "sk-09").unwrap();
    assert_eq!(
        q.find_arrival("SK01-0001", &today()).unwrap(),
        Finding::NoList
    );
    drop(q);
    let mut q = seeded(&path);
    let today = today();
    let sloppy = reference(1).to_lowercase().replace('-', "");
    assert!(
        matches!(q.find_arrival(&format!("  {sloppy} "), &today).unwrap(), Finding::Here(p) if p.reference == reference(1))
    );
    let dashed = crate::support::dashed_id(&thai_id(330_100_000_006));
    assert!(
        matches!(q.find_arrival(&dashed, &today).unwrap(), Finding::Here(p) if p.reference == reference(6))
    );
    assert!(
        matches!(q.find_arrival(&reference(2), &today).unwrap(), Finding::OtherDay(a) if a.date == day_after(&today, 1))
    );
    assert!(
        matches!(q.find_arrival(&reference(5), &today).unwrap(), Finding::OtherDay(a) if a.site_id == SITE)
    );
    assert!(
        matches!(q.find_arrival(&thai_id(330_100_000_003), &today).unwrap(), Finding::OtherSite(a) if a.site_id == "BPH-02")
    );
    assert!(
        matches!(q.find_arrival("aa 1234567", &today).unwrap(), Finding::OtherSite(a) if a.date == day_after(&today, 1))
    );
    assert!(
        matches!(q.find_arrival(&reference(4), &today).unwrap(), Finding::Vaccinated(a) if a.vaccinated_at.is_some())
    );
    assert_eq!(
        q.find_arrival(&reference(99), &today).unwrap(),
        Finding::NotFound
    );
    assert_eq!(
        q.find_arrival(&thai_id(330_100_000_099), &today).unwrap(),
        Finding::NotFound
    );
    assert_eq!(q.find_arrival("   ", &today).unwrap(), Finding::NotFound);
    // Tomorrow the one booked for tomorrow is here, and today's are not.
    let tomorrow = day_after(&today, 1);
    assert!(matches!(
        q.find_arrival(&reference(2), &tomorrow).unwrap(),
        Finding::Here(_)
    ));
    assert!(matches!(
        q.find_arrival(&reference(1), &tomorrow).unwrap(),
        Finding::OtherDay(_)
    ));
}

#[test]
fn a_wrong_code_or_no_lot_is_refused_and_nothing_is_written() {
    let dir = private_tempdir();
    let mut q = seeded(&dir.path().join("queue.sqlite3"));
    let today = today();
    assert!(matches!(
        q.record_dose(&reference(1), "4821", &today, "nurse", now_ms()),
        Err(DoseRefusal::NoLot)
    ));
    q.set_day_setting(&today, &lot()).unwrap();
    let refused = q.record_dose(&reference(1), "0000", &today, "nurse", now_ms());
    assert!(
        matches!(refused, Err(DoseRefusal::WrongCode)),
        "{refused:?}"
    );
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("nothing was recorded")
    );
    assert_eq!(q.dose_stats().unwrap().pending, 0);
    assert!(q.unsent_doses(10).unwrap().is_empty());
    assert!(matches!(
        q.find_arrival(&reference(1), &today).unwrap(),
        Finding::Here(_)
    ));
    assert!(matches!(
        q.record_dose(&reference(3), "0000", &today, "nurse", now_ms()),
        Err(DoseRefusal::NotHere(Finding::OtherSite(_)))
    ));
    q.close_shift();
    assert!(matches!(
        q.record_dose(&reference(1), "4821", &today, "nurse", now_ms()),
        Err(DoseRefusal::Shift)
    ));
    assert!(
        q.set_day_setting(
            &today,
            &DaySetting {
                lot: " ".into(),
                dose_number: 1
            }
        )
        .is_err()
    );
}

#[test]
fn a_dose_recorded_survives_reopening_the_file_and_a_second_is_refused_as_vaccinated() {
    let dir = private_tempdir();
    let path = dir.path().join("queue.sqlite3");
    let mut q = seeded(&path);
    let today = today();
    q.set_day_setting(&today, &lot()).unwrap();
    let at = now_ms();
    let dose = q
        .record_dose(&reference(1), " 4821 ", &today, "nurse", at)
        .unwrap();
    assert_eq!(
        (dose.lot.as_str(), dose.dose_number, dose.given_at),
        ("LOT-A1", 1, at)
    );
    drop(q);

    let mut q = open_queue(&path, "sk-09").unwrap();
    match q.find_arrival(&reference(1), &today).unwrap() {
        Finding::Vaccinated(a) => {
            assert_eq!(a.vaccinated_at, Some(at));
            assert_eq!(a.site_id, SITE);
        }
        other => panic!("{other:?}"),
    }
    let again = q.record_dose(&reference(1), "4821", &today, "nurse", now_ms());
    assert!(
        matches!(again, Err(DoseRefusal::NotHere(Finding::Vaccinated(_)))),
        "{again:?}"
    );
    let unsent = q.unsent_doses(10).unwrap();
    assert_eq!(unsent.len(), 1);
    assert_eq!(unsent[0].dose_id, dose.dose_id);
    assert_eq!(unsent[0].site_id, SITE);
    assert_eq!(unsent[0].security_code, "4821");
    assert_eq!(q.site_list_info().unwrap().unwrap().doses_pending, 1);
}

#[test]
fn a_new_list_replaces_the_old_one_but_keeps_the_doses_recorded() {
    let dir = private_tempdir();
    let mut q = seeded(&dir.path().join("queue.sqlite3"));
    let today = today();
    q.set_day_setting(&today, &lot()).unwrap();
    q.record_dose(&reference(1), "4821", &today, "nurse", now_ms())
        .unwrap();
    // The hub has not heard of the dose yet: person 1 still booked; person 3 is gone.
    let mut newer = site_list(&today);
    newer.person_hash_key = ruamjai::core::seal::b64(&[9; 32]);
    newer.elsewhere.retain(|e| e.reference != reference(3));
    for p in &mut newer.people {
        p.person_hash = person_hash(&[9; 32], &format!("ID:{}", p.last_name));
    }
    let info = q.store_site_list(&newer, now_ms()).unwrap();
    assert_eq!((info.people, info.elsewhere, info.doses_pending), (3, 3, 1));
    assert!(matches!(
        q.find_arrival(&reference(1), &today).unwrap(),
        Finding::Vaccinated(_)
    ));
    assert_eq!(
        q.find_arrival(&reference(3), &today).unwrap(),
        Finding::NotFound
    );
    // The old list's key finds nobody any more.
    assert_eq!(
        q.find_arrival(&thai_id(330_100_000_006), &today).unwrap(),
        Finding::NotFound
    );
    assert_eq!(q.unsent_doses(10).unwrap().len(), 1);
}

/// A kiosk's data directory whose queue holds today's list (the test PIN set, as `ruamjai`'s
/// test environment gives it).
fn site_kiosk() -> tempfile::TempDir {
    let dir = private_tempdir();
    std::fs::write(dir.path().join("config.toml"), "kiosk_id = \"sk-09\"\n").unwrap();
    drop(seeded(&dir.path().join("queue.sqlite3")));
    dir
}

/// `ruamjai checkin ARGS…` on `dir`: its exit code and what it said.
fn checkin(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = ruamjai(dir).arg("checkin").args(args).output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), said)
}

#[test]
fn the_checkin_command_says_each_outcome_with_its_exit_code() {
    let dir = site_kiosk();
    let d = dir.path();
    let be = |iso: &str| ruamjai::core::thai::date::iso_to_be(iso).unwrap();
    let today = today();

    let (code, said) = checkin(d, &[&reference(1), "--code", "4821"]);
    assert_eq!(code, 1, "no lot yet: {said}");
    assert!(said.contains("--lot"), "{said}");

    let (code, said) = checkin(d, &[&reference(1), "--code", "4821", "--lot", "LOT-A1"]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("recorded") && said.contains(&be(&today)),
        "{said}"
    );
    assert!(said.contains("LOT-A1") && said.contains("ใจงาม1"), "{said}");

    let (code, said) = checkin(d, &[&reference(1), "--code", "4821"]);
    assert_eq!(code, 3, "{said}");
    assert!(
        said.contains("already vaccinated") && said.contains(&be(&today)),
        "{said}"
    );

    let (code, said) = checkin(d, &[&reference(6), "--code", "9999"]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("security code"), "{said}");

    let (code, said) = checkin(d, &[&thai_id(330_100_000_003), "--code", "1111"]);
    assert_eq!(code, 4, "{said}");
    assert!(
        said.contains("Ban Phaeo") && said.contains(&be(&today)),
        "{said}"
    );
    let (code, said) = checkin(d, &[&reference(2), "--code", "1357"]);
    assert_eq!(code, 4, "{said}");
    assert!(said.contains(&be(&day_after(&today, 1))), "{said}");

    let (code, said) = checkin(d, &[&reference(99), "--code", "1111"]);
    assert_eq!(code, 5, "{said}");

    // The one dose recorded, on disk for the sender.
    let q = open_queue(&d.join("queue.sqlite3"), "sk-09").unwrap();
    assert_eq!(q.dose_stats().unwrap().pending, 1);
    assert_eq!(q.day_setting(&today).unwrap(), Some(lot()));
    drop(q);
    // `status` tells of the site, its list and the dose waiting, with no PIN.
    let out = ruamjai(d)
        .env_remove("RUAMJAI_PIN")
        .args(["status", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let part = &report["check_in"];
    assert_eq!(part["site_id"], SITE, "{report}");
    assert_eq!(part["list_first_day"], today.as_str(), "{report}");
    assert_eq!(part["doses_pending"], 1, "{report}");
    assert_eq!(part["list_people"], 3, "{report}");
    let summary = report["summary"].as_str().unwrap();
    assert!(
        summary.contains("check-in at KTB-01") && summary.contains("1 doses pending"),
        "{summary}"
    );

    let out = ruamjai(d)
        .env_remove("RUAMJAI_PIN")
        .args(["checkin", &reference(6), "--code", "2468"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "no PIN: {out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("RUAMJAI_PIN"));

    // With no reference, the check-in screen, which needs a terminal.
    let (code, said) = checkin(d, &[]);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("needs a terminal"), "{said}");
}

#[test]
fn the_checkin_command_on_a_kiosk_with_no_list_could_not_run() {
    let dir = private_tempdir();
    std::fs::write(dir.path().join("config.toml"), "kiosk_id = \"sk-09\"\n").unwrap();
    let (code, said) = checkin(dir.path(), &[&reference(1), "--code", "4821"]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("not a vaccination site"), "{said}");
}

/// `ruamjai flush` on `dir`: its exit code and what it printed.
fn flush(dir: &Path) -> (i32, String) {
    let out = ruamjai(dir)
        .args(["flush", "--timeout", "20"])
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), said)
}

/// Three people of Krathum Baen (group 3) imported at the registering kiosk `dir`.
fn import_three(dir: &Path) {
    let mut csv = format!("{}\n", crate::support::HEADER);
    for stem in 1..=3 {
        let _ = writeln!(
            csv,
            "thai_id,{},นาง,มาลี,ใจงาม,05/07/2490,female,0812345678,,,,,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,",
            thai_id(330_200_000_000 + stem)
        );
    }
    let file = dir.join("list.csv");
    std::fs::write(&file, csv).unwrap();
    let out = ruamjai(dir).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn a_site_kiosk_downloads_its_list_and_sends_a_dose_recorded_offline_once() {
    crate::hub::on(crate::hub::Backend::Sqlite, async { with_the_hub() });
}

fn with_the_hub() {
    use crate::hub::binary::{add_kiosk, hub_cmd, serve};
    let be = |iso: &str| ruamjai::core::thai::date::iso_to_be(iso).unwrap();
    let today = today();
    let hub_dir = tempfile::tempdir().unwrap();
    let sites = hub_dir.path().join("sites.csv");
    std::fs::write(&sites, crate::hub::checkin::sites_from_today()).unwrap();
    let registering = add_kiosk(hub_dir.path(), "sk-01", &[]);
    let out = hub_cmd(hub_dir.path())
        .args(["hub", "sites", "import"])
        .arg(&sites)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let checking = add_kiosk(hub_dir.path(), "site-1", &["--site", "KTB-01"]);
    let (mut child, url) = serve(hub_dir.path(), &[]);

    // Three people of Krathum Baen registered at SK01: two today, one tomorrow.
    let reg = crate::appointments_loop::kiosk("sk-01", &url, &registering);
    import_three(reg.path());
    assert_eq!(flush(reg.path()).0, 0);
    let rows = crate::support::jsonl_export(ruamjai(reg.path()).arg("export"));
    let first = rows
        .iter()
        .find(|r| r["appointment_date"] == today)
        .expect("someone booked today");

    // The site's kiosk hears it is KTB-01's and downloads the list.
    let site = crate::appointments_loop::kiosk("site-1", &url, &checking);
    let (code, said) = flush(site.path());
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("list for Krathum Baen Hospital (KTB-01): 3 people on")
            && said.contains(&be(&today))
            && said.contains("0 doses sent"),
        "{said}"
    );

    // Offline from here: a wrong code refused, then the dose recorded on the list.
    let wrong = if first["security_code"] == "0000" {
        "1111"
    } else {
        "0000"
    };
    let (code, said) = checkin(
        site.path(),
        &[&first["reference"], "--code", wrong, "--lot", "AB1234"],
    );
    assert_eq!(code, 2, "a wrong code: {said}");
    // Tomorrow's person is told to come back then.
    let tomorrow = rows
        .iter()
        .find(|r| r["appointment_date"] == day_after(&today, 1))
        .expect("someone booked tomorrow");
    let (code, said) = checkin(
        site.path(),
        &[&tomorrow["reference"], "--code", &tomorrow["security_code"]],
    );
    assert_eq!(code, 4, "{said}");
    assert!(said.contains(&be(&day_after(&today, 1))), "{said}");
    let (code, said) = checkin(
        site.path(),
        &[
            &first["reference"],
            "--code",
            &first["security_code"],
            "--lot",
            "AB1234",
        ],
    );
    assert_eq!(code, 0, "{said}");
    let (code, said) = flush(site.path());
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("; 1 dose sent"), "{said}");
    let (code, said) = flush(site.path());
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("; 0 doses sent"),
        "the dose went twice: {said}"
    );
    let out = ruamjai(site.path())
        .args(["status", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["check_in"]["doses_sent"], 1, "{report}");
    assert_eq!(report["check_in"]["doses_pending"], 0, "{report}");
    // The list downloaded again says so too, and the person cannot be dosed twice.
    let (code, said) = checkin(
        site.path(),
        &[&first["reference"], "--code", &first["security_code"]],
    );
    assert_eq!(code, 3, "{said}");

    // The registering kiosk hears of the dose.
    assert_eq!(flush(reg.path()).0, 0);
    let rows = crate::support::jsonl_export(ruamjai(reg.path()).arg("export"));
    let _ = child.kill();
    let _ = child.wait();
    let dosed = rows
        .iter()
        .find(|r| r["reference"] == first["reference"])
        .unwrap();
    assert!(!dosed["vaccinated_at"].is_empty(), "{dosed:?}");
}

#[test]
fn the_manual_and_the_completions_have_the_checkin_command() {
    let dir = private_tempdir();
    let man = dir.path().join("man1");
    let out = ruamjai(dir.path())
        .args(["man", "--dir"])
        .arg(&man)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(man.join("ruamjai-checkin.1")).unwrap();
    assert!(
        page.contains("\\-\\-code") && page.contains("\\-\\-lot"),
        "{page}"
    );
    let out = ruamjai(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(
        script.contains("ruamjai,checkin)"),
        "no checkin in the completions"
    );
}

#[test]
fn a_pin_reset_forgets_the_list_sealed_to_the_old_key_but_keeps_the_doses() {
    let dir = private_tempdir();
    let mut q = seeded(&dir.path().join("queue.sqlite3"));
    let today = today();
    q.set_day_setting(&today, &lot()).unwrap();
    q.record_dose(&reference(6), "2468", &today, "nurse", now_ms())
        .unwrap();
    q.reset_pin("1357-new-pin").unwrap();
    assert_eq!(q.site_list_info().unwrap(), None);
    assert_eq!(
        q.find_arrival(&reference(1), &today).unwrap(),
        Finding::NoList
    );
    assert_eq!(q.unsent_doses(10).unwrap().len(), 1);
}

#[test]
fn a_kiosk_the_hub_has_at_no_site_forgets_its_site_at_flush() {
    crate::hub::on(crate::hub::Backend::Sqlite, async { not_a_site_kiosk() });
}

fn not_a_site_kiosk() {
    use crate::hub::binary::{add_kiosk, serve};
    let hub_dir = tempfile::tempdir().unwrap();
    let token = add_kiosk(hub_dir.path(), "sk-01", &[]);
    let (mut child, url) = serve(hub_dir.path(), &[]);
    let kiosk = crate::appointments_loop::kiosk("sk-01", &url, &token);
    // It once was a site's kiosk (its queue says so); the hub no longer has it at one.
    drop(seeded(&kiosk.path().join("queue.sqlite3")));
    let (code, said) = flush(kiosk.path());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{said}");
    assert!(!said.contains("list for"), "{said}");
    let q = open_queue(&kiosk.path().join("queue.sqlite3"), "sk-01").unwrap();
    assert_eq!(q.site_id().unwrap(), None, "{said}");
}
