//! `ruamjai export` through the real binary: a CSV cell a spreadsheet would run as a formula
//! gets a `'` first, as the hub's export does (read back by Python's own `csv` module), and a
//! record whose on-screen copy cannot be opened is named on standard error and left out, with a
//! failing exit code, never written as a blank row.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::support::{HEADER, ruamjai, thai_id};

/// A paper list of one row per note, person `start + i` with note `notes[i]` (CSV-quoted).
fn list(dir: &std::path::Path, start: u64, notes: &[&str]) -> std::path::PathBuf {
    let mut text = format!("{HEADER}\n");
    for (i, note) in (0_u64..).zip(notes) {
        let id = crate::support::dashed_id(&thai_id(110_203_457_000 + start + i));
        let quoted = note.replace('"', "\"\"");
        writeln!(
            text,
            "thai_id,{id},นาย,สมชาย,ใจดี,05/07/2490,male,0812345678,12/3,4,,,\
             คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,74110,3,yes,\"{quoted}\""
        )
        .unwrap();
    }
    let path = dir.join("list.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The rows of the CSV file at `path` as Python's `csv.DictReader` reads them.
fn read_by_python(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let script = "import csv, json, sys\n\
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
        \x20   print(json.dumps(list(csv.DictReader(f))))";
    let out = crate::support::python(script, &[path.as_os_str()]);
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn a_kiosk_csv_cell_never_starts_a_formula_and_reads_back_whole() {
    let dir = crate::support::private_tempdir();
    let notes = [
        r#"=HYPERLINK("http://x.example","click")"#,
        "@SUM(1+1)",
        "+66 81, \"two\"",
        "-1",
        "ปกติ = ดี",
    ];
    let file = list(dir.path(), 0, &notes);
    let out = ruamjai(dir.path())
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let csv = dir.path().join("handover.csv");
    let out = ruamjai(dir.path())
        .args(["export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = read_by_python(&csv);
    let got: Vec<&str> = rows.iter().map(|r| r["note"].as_str()).collect();
    assert_eq!(
        got,
        [
            r#"'=HYPERLINK("http://x.example","click")"#,
            "'@SUM(1+1)",
            "'+66 81, \"two\"",
            "'-1",
            "ปกติ = ดี",
        ]
    );
    assert!(rows.iter().all(|r| r["first_name"] == "สมชาย"), "{rows:#?}");
}

#[test]
fn a_record_that_cannot_be_opened_is_named_and_left_out() {
    let dir = crate::support::private_tempdir();
    let pin = "735194";
    ruamjai(dir.path())
        .args(["pin", "set"])
        .write_stdin(format!("{pin}\n"))
        .assert()
        .success();
    let file = list(dir.path(), 100, &["one", "two", "three"]);
    let out = ruamjai(dir.path())
        .env("RUAMJAI_PIN", pin)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // One byte of the second record's on-screen copy changed.
    let conn = rusqlite::Connection::open(dir.path().join("queue.sqlite3")).unwrap();
    let (reference, mut sealed): (String, Vec<u8>) = conn
        .query_row(
            "SELECT reference, shift_sealed FROM registrations ORDER BY seq LIMIT 1 OFFSET 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let last = sealed.len() - 1;
    sealed[last] ^= 1;
    conn.execute(
        "UPDATE registrations SET shift_sealed = ?1 WHERE reference = ?2",
        rusqlite::params![sealed, reference],
    )
    .unwrap();
    drop(conn);
    let csv = dir.path().join("handover.csv");
    let out = ruamjai(dir.path())
        .env("RUAMJAI_PIN", pin)
        .args(["export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a record left out fails: {said}");
    assert!(
        said.contains("could not be opened") && said.contains(&reference),
        "{said}"
    );
    let rows = read_by_python(&csv);
    let notes: Vec<&str> = rows.iter().map(|r| r["note"].as_str()).collect();
    assert_eq!(notes, ["one", "three"], "no blank row: {rows:#?}");
    assert!(rows.iter().all(|r| r["reference"] != reference));
}
