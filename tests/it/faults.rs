//! Disks that fill up or turn read-only under the real binary, on a small tmpfs mounted for the test
//! (needs root, as in CI; elsewhere the tests say they were skipped). Earlier records must survive,
//! and the clerk gets one clear line.

#![cfg(target_os = "linux")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;

use crate::support::{ruamjai, thai_id};

/// A tmpfs of `size` mounted on a fresh directory; unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            Some(Tmpfs { dir })
        } else {
            crate::support::missing("mounting a tmpfs needs root");
            None
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn remount(&self, opts: &str) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(self.dir.path())
            .status();
        assert!(st.unwrap().success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn csv(dir: &Path, name: &str, rows: usize, start: u64) -> PathBuf {
    let mut text = String::from(
        "id_type,id_number,title,first_name,last_name,birth_date,sex,tambon,amphoe,province,target_group,consent,note\n",
    );
    let note = "ฝากข้อมูลไว้ก่อน ".repeat(20);
    for i in 0..rows {
        writeln!(
            text,
            "thai_id,{},นาง,มาลี,ศรีสุข,01/01/2490,female,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,3,yes,{note}",
            thai_id(130_000_000_000 + start + i as u64)
        )
        .unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn pending(data: &Path) -> u64 {
    crate::support::open_queue(&data.join("queue.sqlite3"), "KIOSK")
        .unwrap()
        .stats()
        .unwrap()
        .counts["pending"]
}

#[test]
fn a_full_disk_refuses_the_new_import_and_keeps_the_old_records() {
    let Some(fs) = Tmpfs::mount("1m") else { return };
    let work = tempfile::tempdir().unwrap();
    let small = csv(work.path(), "small.csv", 50, 0);
    ruamjai(&fs.path())
        .arg("import")
        .arg(&small)
        .assert()
        .success();
    let big = csv(work.path(), "big.csv", 5000, 1000);
    ruamjai(&fs.path())
        .arg("import")
        .arg(&big)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("full"))
        .stderr(predicate::str::contains("nothing new was saved"));
    assert_eq!(
        pending(&fs.path()),
        50,
        "the earlier records are intact, the new file all or none"
    );
}

#[test]
fn a_read_only_disk_is_one_clear_line_and_nothing_is_lost() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    let work = tempfile::tempdir().unwrap();
    ruamjai(&fs.path())
        .arg("import")
        .arg(csv(work.path(), "a.csv", 20, 0))
        .assert()
        .success();
    fs.remount("ro");
    let out = ruamjai(&fs.path())
        .arg("import")
        .arg(csv(work.path(), "b.csv", 5, 500))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("read-only") || err.contains("cannot open"),
        "{err}"
    );
    fs.remount("rw");
    assert_eq!(pending(&fs.path()), 20);
}
