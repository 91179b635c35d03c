//! Personal data sealed at rest (issue 18), with the real parts: the real binary, real SQLite
//! files, the real hub on loopback. A day of registrations and a `kill -9` leave no name, ID
//! number or phone in clear anywhere in the kiosk's data directory, and the hub opens and counts
//! every record; a wrong PIN is refused and rate-limited; a tampered or swapped sealed record is
//! rejected alone; records in flight survive a key rotation; a queue from before sealing is
//! sealed in place.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ruamjai::core::protocol::{Outcome, SealedBox, Submission};
use ruamjai::kiosk::queue::{NewRecord, now_ms};

use crate::hub::{TestHub, batch, submit};
use crate::support::{HEADER, SEALING_ENV, TEST_PIN, open_queue, ruamjai, thai_id, thai_names};
use crate::sync::{hub_total, kiosk_token};

/// One person of the day: what was typed and must not be found in clear.
struct Person {
    id: String,
    first: String,
    last: String,
    phone: String,
}

impl Person {
    fn needles(&self) -> Vec<String> {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        vec![
            self.id.clone(),
            crate::support::dashed_id(&self.id),
            self.first.clone(),
            self.last.clone(),
            digits(&self.phone),
            self.phone.clone(),
        ]
    }
}

/// `n` people with real Thai names, distinct IDs and distinct phones, as a CSV for `import`.
fn day(n: usize, start: u64) -> (String, Vec<Person>) {
    let names = thai_names();
    let mut text = format!("{HEADER}\n");
    let mut people = Vec::new();
    for i in 0..n {
        let id = thai_id(120_304_500_000 + start + i as u64);
        let first = names[(2 * i + 7) % names.len()].clone();
        let last = names[(2 * i + 8) % names.len()].clone();
        let phone = format!("08{:08}", 31_415_926 + start + i as u64 * 7919);
        writeln!(
            text,
            "thai_id,{},นาง,{first},{last},05/07/2490,female,{phone},12/3,4,,,\
             คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,",
            crate::support::dashed_id(&id)
        )
        .unwrap();
        people.push(Person {
            id,
            first,
            last,
            phone,
        });
    }
    (text, people)
}

/// Every file under `dir`, with its bytes.
fn every_file(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out
}

/// The needles found in clear in `dir`, with the file holding each.
fn found_in_clear(dir: &Path, people: &[Person]) -> Vec<String> {
    let files = every_file(dir);
    let mut found = Vec::new();
    for p in people {
        for needle in p.needles() {
            for (path, bytes) in &files {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(format!("{needle:?} in {}", path.display()));
                }
            }
        }
    }
    found
}

fn kiosk_config(dir: &Path, kiosk_id: &str, url: &str, token: &str) {
    std::fs::write(
        dir.join("config.toml"),
        format!("kiosk_id = \"{kiosk_id}\"\nhub_url = \"{url}\"\nhub_token = \"{token}\"\n"),
    )
    .unwrap();
}

fn import(dir: &Path, csv: &str) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), csv).unwrap();
    ruamjai(dir)
        .arg("import")
        .arg(file.path())
        .assert()
        .success();
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_and_a_kill_leave_nothing_personal_in_clear_and_the_hub_counts_everyone() {
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SL01");
    let hub = TestHub::start_at(hub_dir.path(), None, |o| {
        o.commit_delay = Duration::from_millis(1500);
    })
    .await;
    let k = crate::support::private_tempdir();
    // No hub key pinned: the morning's records wait for it (sealed to the shift only), and the
    // sender seals them for the hub once it has asked the hub for its key.
    kiosk_config(k.path(), "SL01", &hub.url, &token);
    let (morning, mut people) = day(40, 0);
    let (afternoon, more) = day(25, 1000);
    people.extend(more);
    let dir = k.path().to_path_buf();
    blocking(move || import(&dir, &morning)).await;
    let dir = k.path().to_path_buf();
    // The sender is killed (-9) while its batch is at the hub: the WAL and shm stay behind.
    let mut sender = blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
            .envs(SEALING_ENV)
            .arg("--data-dir")
            .arg(&dir)
            .arg("flush")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let dir = k.path().to_path_buf();
    blocking(move || import(&dir, &afternoon)).await;
    sender.kill().unwrap();
    sender.wait().unwrap();
    let names: Vec<String> = every_file(k.path())
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.ends_with("-wal")),
        "the kill left the WAL: {names:?}"
    );
    let found = found_in_clear(k.path(), &people);
    assert!(found.is_empty(), "in clear after the kill: {found:#?}");

    let dir = k.path().to_path_buf();
    blocking(move || {
        ruamjai(&dir)
            .args(["flush", "--timeout", "60"])
            .assert()
            .success();
    })
    .await;
    assert_eq!(hub_total(hub_dir.path()), people.len() as u64);
    let found = found_in_clear(k.path(), &people);
    assert!(found.is_empty(), "in clear after the flush: {found:#?}");
    // The open shift still reads them: an export (which says where it went) has every name.
    let out = k.path().join("export.csv");
    let dir = k.path().to_path_buf();
    let target = out.clone();
    let said = blocking(move || {
        ruamjai(&dir)
            .args(["export", "-o"])
            .arg(&target)
            .output()
            .unwrap()
    })
    .await;
    assert!(said.status.success(), "{said:?}");
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("export.csv"),
        "{said:?}"
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    for p in &people {
        assert!(
            csv.contains(&p.first) && csv.contains(&p.id),
            "{} missing",
            p.id
        );
    }
    hub.stop().await;
}

fn rejected(o: &Outcome) -> (&str, &str) {
    match o {
        Outcome::Rejected { field, reason } => (field, reason),
        other => panic!("not rejected: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_or_swapped_sealed_record_is_rejected_alone() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SL02");
    let other = hub.kiosk("SL03");
    let k = tempfile::tempdir().unwrap();
    let mut q = open_queue(&k.path().join("queue.sqlite3"), "SL02").unwrap();
    let c = crate::hub::campaign();
    for n in 0..4 {
        let reg = crate::support::registration(&c, 500 + n);
        q.enqueue(&NewRecord::from_registration(&reg, "op", None), now_ms())
            .unwrap();
    }
    let leased = q.lease("t", 10, 1 << 20, now_ms(), 60_000).unwrap();
    let mut items: Vec<Submission> = leased
        .iter()
        .map(|l| Submission {
            submission_id: l.submission_id,
            reference: l.reference.clone(),
            created_at: l.created_at,
            operator: l.operator.clone(),
            replaces: l.replaces,
            registration: None,
            sealed: l.sealed().cloned(),
        })
        .collect();
    assert!(items.iter().all(|s| s.sealed.is_some()), "shipped sealed");
    // One byte changed; another record's sealed copy put in this one's place.
    let bent = items[1].sealed.as_mut().unwrap();
    let mut bytes = ruamjai::core::seal::from_b64(&bent.data).unwrap();
    bytes[40] ^= 1;
    bent.data = ruamjai::core::seal::b64(&bytes);
    items[2].sealed = items[3].sealed.clone();
    let out = submit(&hub, &token, &batch(items.clone())).await;
    assert!(
        matches!(out[0].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    let (field, reason) = rejected(&out[1].outcome);
    assert_eq!(field, "sealed");
    assert!(reason.contains("could not be opened"), "{reason}");
    assert_eq!(rejected(&out[2].outcome).0, "sealed");
    assert!(
        matches!(out[3].outcome, Outcome::Accepted { .. }),
        "{out:?}"
    );
    // Another kiosk replaying a sealed record under its own name opens nothing.
    let mut replay = items[0].clone();
    replay.reference = "SL03-0001-X".into();
    let out = submit(&hub, &other, &batch(vec![replay])).await;
    assert_eq!(rejected(&out[0].outcome).0, "sealed");
    // A key the hub never had, and no registration at all.
    let mut unknown = items[3].clone();
    unknown.submission_id = uuid::Uuid::now_v7();
    unknown.sealed = Some(SealedBox {
        key_id: "00000000deadbeef".into(),
        data: items[3].sealed.as_ref().unwrap().data.clone(),
    });
    let mut empty = items[3].clone();
    empty.submission_id = uuid::Uuid::now_v7();
    empty.sealed = None;
    let out = submit(&hub, &token, &batch(vec![unknown, empty])).await;
    assert!(
        rejected(&out[0].outcome).1.contains("does not have"),
        "{out:?}"
    );
    assert_eq!(rejected(&out[1].outcome).0, "registration");
    let stats = ruamjai::hub::stats(hub.database()).unwrap();
    assert_eq!(stats.accepted, 2);
    hub.stop().await;
}

#[test]
fn a_wrong_pin_is_refused_rate_limited_and_a_forgotten_one_loses_only_the_screen_copy() {
    let k = crate::support::private_tempdir();
    ruamjai(k.path())
        .args(["pin", "set"])
        .write_stdin("2468-right\n")
        .assert()
        .success();
    let (csv, people) = day(3, 2000);
    let file = k.path().join("in.csv");
    std::fs::write(&file, csv).unwrap();
    ruamjai(k.path())
        .env("RUAMJAI_PIN", "2468-right")
        .arg("import")
        .arg(&file)
        .assert()
        .success();
    std::fs::remove_file(&file).unwrap();
    let export = |pin: &str| {
        ruamjai(k.path())
            .env("RUAMJAI_PIN", pin)
            .arg("export")
            .output()
            .unwrap()
    };
    let said = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let first = export("1111");
    assert!(!first.status.success());
    assert!(
        said(&first).contains("wrong PIN; 2 more tries"),
        "{}",
        said(&first)
    );
    assert!(first.stdout.is_empty(), "nothing exported");
    assert!(said(&export("2222")).contains("wrong PIN; 1 more tries"));
    assert!(said(&export("3333")).contains("try again in 30 s"));
    // Even the right PIN waits now (and a restart does not reset the count).
    let waiting = export("2468-right");
    assert!(!waiting.status.success());
    assert!(
        said(&waiting).contains("try again in"),
        "{}",
        said(&waiting)
    );
    // Once the wait is over (here: taken off the file), the right PIN opens the shift.
    let conn = rusqlite::Connection::open(k.path().join("queue.sqlite3")).unwrap();
    conn.execute(
        "UPDATE kiosk_meta SET value = '0' WHERE key = 'pin_wait_until'",
        [],
    )
    .unwrap();
    let right = export("2468-right");
    assert!(right.status.success(), "{}", said(&right));
    let text = String::from_utf8_lossy(&right.stdout).into_owned();
    assert!(people.iter().all(|p| text.contains(&p.first)), "{text}");
    // No PIN: no export.
    let none = ruamjai(k.path())
        .env_remove("RUAMJAI_PIN")
        .arg("export")
        .output()
        .unwrap();
    assert!(!none.status.success());
    assert!(said(&none).contains("open shift"), "{}", said(&none));
    // A changed PIN: the old one is wrong.
    ruamjai(k.path())
        .args(["pin", "change"])
        .write_stdin("2468-right\n9753-new\n")
        .assert()
        .success();
    assert!(said(&export("2468-right")).contains("wrong PIN"));
    assert!(export("9753-new").status.success());
    // A forgotten PIN: a new one, and the records keep their hub copies (still to be sent).
    ruamjai(k.path())
        .args(["pin", "reset"])
        .write_stdin("1122-reset\n")
        .assert()
        .success()
        .stderr(predicates::str::contains("3 on-screen copies"));
    let after = export("1122-reset");
    assert!(after.status.success(), "{}", said(&after));
    let text = String::from_utf8_lossy(&after.stdout).into_owned();
    assert!(!people.iter().any(|p| text.contains(&p.first)), "{text}");
    let q = ruamjai::kiosk::queue::Queue::open(&k.path().join("queue.sqlite3"), "KIOSK").unwrap();
    assert_eq!(q.stats().unwrap().counts["pending"], 3);
    assert!(found_in_clear(k.path(), &people).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_in_flight_are_opened_after_the_hub_rotates_its_key() {
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SL04");
    let keygen = |rotate: bool| {
        let mut cmd = ruamjai(hub_dir.path());
        cmd.args(["hub", "keygen"]);
        if rotate {
            cmd.arg("--rotate");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let first = keygen(false);
    let hub = TestHub::start_at(hub_dir.path(), None, |o| o.keys = None).await;
    let addr = hub.addr;
    let k = tempfile::tempdir().unwrap();
    let mut c = crate::sync::config(k.path(), "SL04", &hub.url, &token);
    c.hub_key = None;
    // The kiosk learns the hub's key from GET /v1/campaign.
    crate::sync::flush(&c, 10).await;
    let mut q = c.open_queue().unwrap();
    assert_eq!(q.hub_key().unwrap().key_id(), first);
    let camp = crate::hub::campaign();
    for n in 0..5 {
        let reg = crate::support::registration(&camp, 700 + n);
        q.enqueue(&NewRecord::from_registration(&reg, "op", None), now_ms())
            .unwrap();
    }
    // The hub rotates while those five are queued, sealed to the old key.
    hub.stop().await;
    let second = keygen(true);
    assert_ne!(first, second);
    let hub = TestHub::start_at(hub_dir.path(), Some(addr), |o| o.keys = None).await;
    let report = crate::sync::flush(&c, 10).await;
    assert_eq!(report.sent, 5, "{report:?}");
    assert_eq!(hub_total(hub_dir.path()), 5);
    // The sender picked up the new key; the next records are sealed to it.
    for n in 5..8 {
        let reg = crate::support::registration(&camp, 700 + n);
        q.enqueue(&NewRecord::from_registration(&reg, "op", None), now_ms())
            .unwrap();
    }
    let leased = q.lease("peek", 10, 1 << 20, now_ms(), 1).unwrap();
    assert_eq!(leased.len(), 3);
    assert!(
        leased.iter().all(|l| l.sealed().unwrap().key_id == second),
        "{leased:?}"
    );
    drop(q);
    tokio::time::sleep(Duration::from_millis(5)).await;
    crate::sync::flush(&c, 10).await;
    assert_eq!(hub_total(hub_dir.path()), 8);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_queue_from_before_sealing_is_sealed_in_place_and_still_delivered() {
    let k = crate::support::private_tempdir();
    let path = k.path().join("queue.sqlite3");
    let camp = crate::hub::campaign();
    let names = thai_names();
    let mut people = Vec::new();
    {
        // The schema before sealing, with its records in clear as that version kept them.
        let conn = ruamjai::kiosk::queue::db::open_at_version(&path, 4).unwrap();
        for n in 0..3u64 {
            let mut reg = crate::support::registration(&camp, 900 + n);
            reg.first_name = names[100 + n as usize].clone();
            reg.last_name = names[200 + n as usize].clone();
            reg.phone = format!("08{:08}", 27_182_818 + n);
            conn.execute(
                "INSERT INTO registrations (submission_id, reference, seq, campaign_id, kiosk_id,
                     operator, created_at, id_key, search_text, payload)
                 VALUES (?1, ?2, ?3, ?4, 'SL05', 'op', ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    uuid::Uuid::now_v7().to_string(),
                    ruamjai::core::refcode::encode("SL05", n + 1).unwrap(),
                    n + 1,
                    reg.campaign_id,
                    now_ms(),
                    reg.person_key(),
                    reg.search_text(),
                    serde_json::to_string(&reg).unwrap(),
                ],
            )
            .unwrap();
            people.push(Person {
                id: reg.id_number.clone(),
                first: reg.first_name.clone(),
                last: reg.last_name.clone(),
                phone: reg.phone.clone(),
            });
        }
    }
    assert!(
        !found_in_clear(k.path(), &people).is_empty(),
        "clear before"
    );
    let status = |dir: &Path| -> serde_json::Value {
        let out = ruamjai(dir).args(["status", "--json"]).output().unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(status(k.path())["sealing"]["in_clear"], 3);
    // The first start with a PIN seals them in place, in one transaction.
    ruamjai(k.path())
        .args(["pin", "set"])
        .write_stdin(format!("{TEST_PIN}\n"))
        .assert()
        .success()
        .stderr(predicates::str::contains("3 records sealed in place"));
    let found = found_in_clear(k.path(), &people);
    assert!(found.is_empty(), "{found:#?}");
    let s = status(k.path());
    assert_eq!(s["sealing"]["in_clear"], 0, "{s}");
    assert_eq!(s["sealing"]["waiting_for_hub_key"], 3, "{s}");
    // The shift still reads them, the duplicate check still finds them (by the keyed hash).
    let out = ruamjai(k.path()).arg("export").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(people.iter().all(|p| text.contains(&p.last)), "{text}");
    let q = open_queue(&path, "SL05").unwrap();
    assert!(
        q.find_person(&camp.id, &format!("ID:{}", people[1].id))
            .unwrap()
            .is_some()
    );
    drop(q);
    // And the hub gets them, sealed for it once the sender has its key.
    let hub_dir = tempfile::tempdir().unwrap();
    let token = kiosk_token(hub_dir.path(), "SL05");
    let hub = TestHub::start_at(hub_dir.path(), None, |_| {}).await;
    kiosk_config(k.path(), "SL05", &hub.url, &token);
    let dir = k.path().to_path_buf();
    blocking(move || ruamjai(&dir).arg("flush").assert().success()).await;
    assert_eq!(hub_total(hub_dir.path()), 3);
    assert!(found_in_clear(k.path(), &people).is_empty());
    hub.stop().await;
}

/// A clerk's shift in the real kiosk on a pseudo-terminal, with the PIN set at install and not
/// given to the kiosk: the start screen refuses a wrong PIN, opens the shift with the right one,
/// the queue screen shows the person typed, and after a `kill -9` nothing typed is in clear in
/// any file of the data directory (queue, WAL, shm, log).
#[test]
fn the_pin_typed_at_the_start_screen_opens_the_shift_and_a_kill_leaves_nothing_in_clear() {
    use crate::tui_pty::{Answers, F4, F9, Kiosk, fill_person};
    let mut k = Kiosk::start_prepared(
        Answers::Xterm,
        &[crate::support::NO_CARD_READER, ("RUAMJAI_PIN", "")],
        |data| {
            ruamjai(data)
                .args(["pin", "set"])
                .env_remove("RUAMJAI_PIN")
                .write_stdin(format!("{TEST_PIN}\n"))
                .assert()
                .success();
        },
    );
    k.wait_for("รหัส PIN ของจุดบริการ");
    k.send("สมใจ\r0000\r");
    k.wait_for("PIN ไม่ถูกต้อง");
    assert!(!k.text().contains("0000"), "a PIN is never drawn");
    k.send(&format!("{TEST_PIN}\r"));
    fill_person(&k);
    k.send(F9);
    k.wait_for("ตรวจทานก่อนบันทึก");
    k.send("\r");
    k.wait_for("บันทึกแล้ว");
    k.send("\r");
    k.wait_for("ลงทะเบียนผู้รับบริการ");
    k.send(F4);
    k.wait_for("สมชาย");
    k.kill();
    let typed = Person {
        id: "1112034563562".into(),
        first: "สมชาย".into(),
        last: "หาแก้ว".into(),
        phone: "0812345678".into(),
    };
    let files = every_file(&k.data);
    assert!(
        files.iter().any(|(p, _)| p.ends_with("ruamjai.log")),
        "the log is among the files read"
    );
    let found = found_in_clear(&k.data, &[typed]);
    assert!(found.is_empty(), "in clear after the kill: {found:#?}");
}
