//! `ruamjai import` of a paper list as Excel saves it on a Thai Windows PC: plain "CSV" is
//! Windows-874 (TIS-620). The binary reads it, says so, and stores the Thai as typed; a file
//! that is neither UTF-8 nor Windows-874 is still refused, with what to do.

use std::fmt::Write as _;

use predicates::prelude::*;

use crate::support::{HEADER, ruamjai, thai_id};

/// Two people's rows as Excel would hold them (CRLF), their ID numbers from `first_id` on.
pub(crate) fn rows(first_id: u64) -> String {
    let mut text = format!("{HEADER}\r\n");
    for (i, (first, last)) in [("สมชาย", "น้ำใจดี"), ("จำเนียร", "หาแก้ว")].iter().enumerate()
    {
        writeln!(
            text,
            "thai_id,{},นาย,{first},{last},05/07/2490,male,,12/3,4,,,คลองมะเดื่อ,กระทุ่มแบน,\
             สมุทรสาคร,74110,3,yes,ตรวจแล้ว\r",
            thai_id(first_id + i as u64)
        )
        .unwrap();
    }
    text
}

#[test]
fn a_windows_874_csv_is_read_and_its_thai_stored_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let text = rows(110_203_457_000);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(&text);
    assert!(!unmappable);
    let file = dir.path().join("excel.csv");
    std::fs::write(&file, &bytes).unwrap();
    ruamjai(dir.path())
        .args(["--lang", "en", "import"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("read as Windows-874 (TIS-620"))
        .stdout(predicate::str::contains("2 saved"));
    let out = ruamjai(dir.path())
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    for name in ["สมชาย", "น้ำใจดี", "จำเนียร", "หาแก้ว", "คลองมะเดื่อ", "ตรวจแล้ว"]
    {
        assert!(csv.contains(name), "{name} in\n{csv}");
    }
}

#[test]
fn a_utf8_csv_says_it_was_read_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("utf8.csv");
    std::fs::write(&file, format!("\u{feff}{}", rows(110_203_457_000))).unwrap();
    ruamjai(dir.path())
        .args(["--lang", "en", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("read as UTF-8"))
        .stdout(predicate::str::contains("2 valid rows"));
}

#[test]
fn a_file_that_is_neither_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.csv");
    // Latin-1, as a European spreadsheet saves it: é is 0xE9.
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"\nthai_id,1112034563562,Mr,Ren\xe9,Dupont\n");
    std::fs::write(&file, &bytes).unwrap();
    ruamjai(dir.path())
        .args(["--lang", "en", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("neither UTF-8 nor Windows-874"))
        .stderr(predicate::str::contains("CSV UTF-8"));
}
