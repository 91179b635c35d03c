//! The flood-relief campaign, a second campaign written only as a file, through the real binary:
//! chosen in the kiosk's `config.toml`, a paper list imported with its questions' columns named by
//! key or by either label, a wrong answer refused with its line and column, an answer to a
//! question not asked of the person's group dropped, and the answers in the kiosk's export, a
//! column per question.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::support::{dashed_id, ruamjai, thai_id};

/// A kiosk data directory whose `config.toml` runs the flood-relief campaign.
pub fn flood_kiosk() -> tempfile::TempDir {
    let dir = crate::support::private_tempdir();
    std::fs::write(
        dir.path().join("config.toml"),
        "campaign = \"flood-relief-2564\"\n",
    )
    .unwrap();
    dir
}

fn read_by_python(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let script = "import csv, json, sys\n\
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
        \x20   print(json.dumps(list(csv.DictReader(f))))";
    serde_json::from_slice(&crate::support::python(script, &[path.as_os_str()])).unwrap()
}

#[test]
fn a_flood_list_is_imported_with_its_answers_and_exported_a_column_each() {
    let dir = flood_kiosk();
    // household_size by key, damage by its Thai label, the account by its English one.
    let mut text = String::from(
        "id_type,id_number,first_name,last_name,tambon,amphoe,province,target_group,consent,\
         household_size,ความเสียหาย,BAAC account no.\n",
    );
    let rows = [
        ("2", "๕", "เสียหายทั้งหมด", "020-111"),
        // Group 1 is not asked the account: it is dropped, not refused.
        ("1", "2", "partial", "999"),
        // Group 2 without the account: refused, with its line and column.
        ("2", "3", "none", ""),
        // Out of range.
        ("1", "31", "none", ""),
    ];
    for (i, (group, size, damage, account)) in (0_u64..).zip(rows) {
        let id = dashed_id(&thai_id(110_203_458_000 + i));
        writeln!(
            text,
            "thai_id,{id},สมชาย,ใจดี,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,{group},yes,{size},{damage},{account}"
        )
        .unwrap();
    }
    let list = dir.path().join("flood.csv");
    std::fs::write(&list, text).unwrap();
    let out = ruamjai(dir.path())
        .arg("import")
        .arg(&list)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(err.contains("line 4, column bank_account:"), "{err}");
    assert!(
        err.contains("line 5, column household_size: ต้องอยู่ระหว่าง 1 ถึง 30"),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 saved"),
        "{out:?}"
    );

    let csv = dir.path().join("handover.csv");
    let out = ruamjai(dir.path())
        .args(["export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = read_by_python(&csv);
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| {
            [
                r["target_group"].as_str(),
                r["household_size"].as_str(),
                r["damage"].as_str(),
                r["bank_account"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [["2", "5", "total", "020-111"], ["1", "2", "partial", ""]]
    );

    // A column the campaign does not know is still refused, naming it.
    std::fs::write(&list, "id_type,id_number,first_name,last_name,pets\n").unwrap();
    let out = ruamjai(dir.path())
        .arg("import")
        .arg(&list)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown column \"pets\""),
        "{out:?}"
    );
}

fn check(file: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ruamjai"))
        .args(["hub", "campaign", "check"])
        .arg(file)
        .env_remove("RUAMJAI_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn hub_campaign_check_draws_a_good_file_and_refuses_a_bad_one_with_its_line() {
    let flood = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/campaigns/flood-relief-2564.toml");
    let out = check(&flood);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for said in [
        " 8. จำนวนสมาชิกในครัวเรือน *  [household_size]",
        "ตัวเลข 1–30",
        "เลือกหนึ่ง: ไม่เสียหาย (none) / เสียหายบางส่วน (partial) / เสียหายทั้งหมด (total)",
        "ถามเฉพาะกลุ่ม 2 เกษตรกรที่พืชผลเสียหาย",
        " 8. Household size *  [household_size]",
        "one of: None (none) / Partial (partial) / Total (total)",
        "asked only of group 2 Farmers with damaged crops",
        "» Farmers only",
        " 1. ID type *  [id_type]",
    ] {
        assert!(text.contains(said), "{said:?} in\n{text}");
    }
    let widest = text
        .lines()
        .map(ruamjai::core::thai::width::display_width)
        .max()
        .unwrap();
    assert!(widest <= 80, "a line {widest} columns wide:\n{text}");
    // The vaccine file checks too.
    let vaccine = flood.with_file_name("samut-sakhon-2564-r1.toml");
    assert_eq!(check(&vaccine).status.code(), Some(0));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(&flood).unwrap();
    std::fs::write(&bad, text.replace("min = 1\n", "min = 31\n")).unwrap();
    let out = check(&bad);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let line = text
        .lines()
        .take_while(|l| !l.contains("household_size"))
        .count();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "line {line}: question household_size: min 31 is more than max 30"
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn flood_answers_are_delivered_to_a_real_hub_and_in_its_export_a_column_each() {
    let hub_dir = crate::support::private_tempdir();
    let token = crate::hub::binary::add_kiosk(hub_dir.path(), "SK01", &[]);
    let (mut hub, url) =
        crate::hub::binary::serve(hub_dir.path(), &["--campaign", "flood-relief-2564"]);
    let k = flood_kiosk();
    std::fs::write(
        k.path().join("config.toml"),
        "campaign = \"flood-relief-2564\"\nkiosk_id = \"SK01\"\n",
    )
    .unwrap();
    let list = k.path().join("flood.csv");
    let id = dashed_id(&thai_id(110_203_459_001));
    std::fs::write(
        &list,
        format!(
            "id_type,id_number,first_name,last_name,tambon,amphoe,province,target_group,consent,\
             household_size,damage,bank_account\n\
             thai_id,{id},สมชาย,ใจดี,คลองมะเดื่อ,กระทุ่มแบน,สมุทรสาคร,2,yes,7,total,020-222\n"
        ),
    )
    .unwrap();
    let out = ruamjai(k.path()).arg("import").arg(&list).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = ruamjai(k.path())
        .args(["flush", "--timeout", "10"])
        .env("RUAMJAI_HUB_URL", &url)
        .env("RUAMJAI_HUB_TOKEN", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let _ = hub.kill();
    let _ = hub.wait();

    let csv = hub_dir.path().join("hub.csv");
    let out = crate::hub::binary::hub_cmd(hub_dir.path())
        .args(["hub", "export", "-o"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = read_by_python(&csv);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let r = &rows[0];
    assert_eq!(r["state"], "accepted", "{r:#?}");
    assert_eq!(
        [&r["household_size"], &r["damage"], &r["bank_account"]],
        ["7", "total", "020-222"]
    );
}

#[test]
fn no_question_may_be_named_as_a_column_either_export_writes() {
    use ruamjai::core::form::FieldKey;
    use ruamjai::core::form::reserved::is_reserved;
    let kiosk = ruamjai::kiosk::cli::export::header(&[]);
    let hub = ruamjai::hub::export::rows::header();
    for (side, header) in [("the kiosk's export", kiosk), ("hub export", hub)] {
        let theirs: Vec<&str> = header
            .into_iter()
            .filter(|c| FieldKey::parse(c).is_none())
            .collect();
        assert!(!theirs.is_empty(), "{side}");
        for c in theirs {
            assert!(
                is_reserved(c),
                "{side} writes a column {c} that a question could also be named: add it to core::form::reserved"
            );
        }
    }
    // And a campaign file that tries is refused with its line, through the real binary.
    let flood = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/campaigns/flood-relief-2564.toml");
    let text = std::fs::read_to_string(&flood).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, text.replace("key = \"damage\"", "key = \"site_id\"")).unwrap();
    let out = check(&bad);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let line = text
        .lines()
        .take_while(|l| !l.contains("key = \"damage\""))
        .filter(|l| l.trim() == "[[fields]]")
        .count();
    let entry = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[fields]]")
        .nth(line - 1)
        .unwrap()
        .0
        + 1;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "line {entry}: question site_id: site_id is a column of the exports"
        )),
        "{err}"
    );
}
