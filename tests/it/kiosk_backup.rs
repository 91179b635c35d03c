//! The kiosk's side of backups, through the real binary. `ruamjai backup`: a kiosk's queue copied
//! while an import commits and while its WAL holds the last import, 0600, one file, no name in
//! clear, the copy working as a queue; no queue, no copy. A hub restored from a backup: a real
//! kiosk delivers to it what it took after the backup, once, sealed records opened.

use std::fmt::Write as _;
use std::path::Path;

use predicates::prelude::*;
use rusqlite::Connection;

#[cfg(unix)]
use crate::backup::assert_owner_only;
use crate::backup::{hub, stop};
use crate::hub::binary::{add_kiosk, serve};
use crate::hub::{Backend, on};
use crate::support::ruamjai;

/// A CSV of `n` people from number `start`, as a paper list typed into a spreadsheet.
fn people(dir: &Path, n: u64, start: u64) -> std::path::PathBuf {
    let mut text = format!("{}\n", crate::support::HEADER);
    for i in start..start + n {
        let id = crate::support::thai_id(110_203_458_000 + i);
        writeln!(
            text,
            "thai_id,{id},นาย,สมชาย,ใจดี,05/07/2490,male,0812345678,12/3,4,,,\
             คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,row {i}"
        )
        .unwrap();
    }
    let path = dir.join(format!("people-{start}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A district's day for the restore tests: a hub binary serving `hub/` under `day` (its process
/// returned beside), and a kiosk (SK01) set up for it.
struct Counter {
    day: tempfile::TempDir,
    kiosk: tempfile::TempDir,
    url: String,
}

fn a_day() -> (Counter, std::process::Child) {
    let day = tempfile::tempdir().unwrap();
    let dir = day.path().join("hub");
    let token = add_kiosk(&dir, "SK01", &[]);
    let (child, url) = serve(&dir, &[]);
    let kiosk = crate::support::private_tempdir();
    std::fs::write(
        kiosk.path().join("config.toml"),
        format!("kiosk_id = \"SK01\"\nhub_url = {url:?}\nhub_token = {token:?}\n"),
    )
    .unwrap();
    (Counter { day, kiosk, url }, child)
}

impl Counter {
    fn hub_dir(&self) -> std::path::PathBuf {
        self.day.path().join("hub")
    }

    /// `n` people from `start` imported at the kiosk.
    fn import(&self, n: u64, start: u64) {
        ruamjai(self.kiosk.path())
            .arg("import")
            .arg(people(self.day.path(), n, start))
            .assert()
            .success();
    }

    /// `ruamjai flush` at the kiosk to `url`, everything sent.
    fn flush(&self, url: &str) {
        ruamjai(self.kiosk.path())
            .env("RUAMJAI_HUB_URL", url)
            .arg("flush")
            .assert()
            .code(0);
    }

    /// The hub lost: a new one restored from `copy`, serving; its URL and process.
    fn restored_from(&self, copy: &Path) -> (std::path::PathBuf, std::process::Child, String) {
        let new = self.day.path().join("restored");
        hub(&new)
            .args(["hub", "restore"])
            .arg(copy)
            .assert()
            .success();
        let (child, url) = serve(&new, &[]);
        (new, child, url)
    }
}

/// The rows of `hub export` over `dir`, and where each named column is.
fn exported(dir: &Path, columns: &[&str]) -> (Vec<usize>, Vec<csv::StringRecord>) {
    let out = hub(dir).args(["hub", "export"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut rows = csv::Reader::from_reader(&out.stdout[3..]);
    let headers = rows.headers().unwrap().clone();
    let at = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c).unwrap())
        .collect();
    (at, rows.records().map(Result::unwrap).collect())
}

#[test]
fn a_kiosk_delivers_to_a_restored_hub_what_it_took_after_the_backup_once() {
    on(Backend::Sqlite, async {
        let (d, serving) = a_day();
        d.import(3, 0);
        d.flush(&d.url);
        let copy = d.day.path().join("noon.sqlite3");
        hub(&d.hub_dir())
            .args(["hub", "backup"])
            .arg(&copy)
            .assert()
            .success();
        stop(serving);

        // The hub is lost; the counter goes on, offline.
        d.import(2, 3);
        let (new, child, url) = d.restored_from(&copy);
        for _ in 0..2 {
            d.flush(&url);
        }
        let (at, rows) = exported(&new, &["state", "submission_id"]);
        let (state, id) = (at[0], at[1]);
        assert_eq!(
            rows.len(),
            5,
            "the morning's three and the afternoon's two, once each"
        );
        assert!(rows.iter().all(|r| &r[state] == "accepted"), "{rows:?}");
        let ids: std::collections::HashSet<&str> = rows.iter().map(|r| &r[id]).collect();
        assert_eq!(ids.len(), 5);
        stop(child);
    });
}

/// A kiosk's queue: three records imported, then a copy while an import of 200 more commits.
#[test]
fn a_kiosk_backup_is_a_consistent_copy_with_its_records_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let kiosk = dir.path().join("kiosk");
    std::fs::create_dir_all(&kiosk).unwrap();
    let list = |n: u64, start: u64| {
        let mut text = format!("{}\n", crate::support::HEADER);
        for i in start..start + n {
            let id = crate::support::thai_id(110_203_457_000 + i);
            writeln!(
                text,
                "thai_id,{id},นาง,บุษบาสำรอง,ใจดีมาก,05/07/2490,female,0812345678,12/3,4,,,\
                 คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,row {i}"
            )
            .unwrap();
        }
        let path = dir.path().join(format!("list-{start}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    };
    ruamjai(&kiosk)
        .arg("import")
        .arg(list(3, 0))
        .assert()
        .success();
    // A connection held open, as a running kiosk's is: what is committed stays in the WAL.
    let held = Connection::open(kiosk.join("queue.sqlite3")).unwrap();
    held.query_row("SELECT COUNT(*) FROM registrations", [], |r| {
        r.get::<_, i64>(0)
    })
    .unwrap();
    let big = list(200, 3);
    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
        .envs(crate::support::SEALING_ENV)
        .arg("--data-dir")
        .arg(&kiosk)
        .arg("import")
        .arg(&big)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let copy = dir.path().join("queue-copy.sqlite3");
    ruamjai(&kiosk)
        .arg("backup")
        .arg(&copy)
        .assert()
        .success()
        .stdout(predicate::str::contains("sealed"));
    assert!(import.wait().unwrap().success());
    #[cfg(unix)]
    assert_owner_only(&copy);
    let queued = |copy: &Path| -> i64 {
        assert_eq!(
            std::fs::read(copy).unwrap()[18],
            1,
            "one file, no WAL to go with it"
        );
        let conn = Connection::open(copy).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        conn.query_row("SELECT COUNT(*) FROM registrations", [], |r| r.get(0))
            .unwrap()
    };
    let rows = queued(&copy);
    assert!(
        rows == 3 || rows == 203,
        "one import is one transaction: {rows}"
    );
    // Once the import is committed, a copy holds it (it is in the WAL, not yet in the file).
    ruamjai(&kiosk).arg("backup").arg(&copy).assert().success();
    let rows = queued(&copy);
    assert_eq!(rows, 203);
    drop(held);
    let bytes = std::fs::read(&copy).unwrap();
    let name = "บุษบาสำรอง".as_bytes();
    assert!(
        !bytes.windows(name.len()).any(|w| w == name),
        "a name in clear in the copy"
    );
    // The copy is a queue: in place of a kiosk's, it holds the records to send.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(&copy, other.join("queue.sqlite3")).unwrap();
    ruamjai(&other)
        .arg("status")
        .assert()
        .stdout(predicate::str::contains(format!("{rows} pending")));
    // No queue, no copy.
    ruamjai(&dir.path().join("empty"))
        .arg("backup")
        .arg(dir.path().join("x.sqlite3"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no queue"));
}

/// What the lost hub acknowledged after its backup exists only at the kiosks: the restore
/// raises the store's epoch, so the kiosk sends those records again and the restored hub takes
/// them; the numbers it hands out moved on, so none of the references the lost hub gave is
/// given again.
#[test]
fn what_the_lost_hub_acknowledged_after_its_backup_comes_back_from_the_kiosk() {
    on(Backend::Sqlite, async {
        let (d, serving) = a_day();
        d.import(2, 10);
        d.flush(&d.url);
        let copy = d.day.path().join("noon.sqlite3");
        hub(&d.hub_dir())
            .args(["hub", "backup"])
            .arg(&copy)
            .assert()
            .success();
        // Two more, acknowledged by the hub that is then lost.
        d.import(2, 12);
        d.flush(&d.url);
        assert_eq!(crate::sync::hub_total(&d.hub_dir()), 4);
        stop(serving);

        let (new, child, url) = d.restored_from(&copy);
        d.flush(&url);
        let (at, rows) = exported(&new, &["hub_reference"]);
        let refs: Vec<&str> = rows.iter().map(|r| &r[at[0]]).collect();
        assert_eq!(refs.len(), 4, "everyone is back: {refs:?}");
        for given in ["RJ-0000003", "RJ-0000004"] {
            assert!(!refs.contains(&given), "{given} given again: {refs:?}");
        }
        stop(child);
    });
}
