//! Data out: `ruamjai hub export` (the real binary, on the test's store) and
//! `GET /v1/registrations`. An export round trips (what kiosks sent comes out normalised, with
//! each registration's state, references, position and kiosk, in CSV, JSON Lines and xlsx, and
//! never a control character raw); the API pages through the same entries without skipping or
//! repeating one while kiosks keep sending.

use std::collections::{BTreeMap, HashSet};

use ruamjai::core::protocol::Outcome;
use ruamjai::hub::export::rows::header;
use ruamjai::hub::intake::admin;

use super::{TestHub, batch, client, database_args, submission, submit};

/// Runs `hub export ARGS` on `hub`'s store; (exit code, stdout, stderr).
fn export(hub: &TestHub, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = crate::support::ruamjai(hub.path())
        .args(["hub", "export"])
        .args(database_args(hub.database()))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The rows of a JSON Lines export, by receipt reference.
fn by_reference(jsonl: &[u8]) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::str::from_utf8(jsonl).unwrap();
    text.lines()
        .map(|l| {
            let row: BTreeMap<String, String> = serde_json::from_str(l).unwrap();
            (row["reference"].clone(), row)
        })
        .collect()
}

/// Quota 3. SK01 registers people 10..=14 (three accepted, two waiting); SK02 registers
/// person 10 again (a duplicate) and one with an escape sequence in the name (rejected); the
/// admin cancels RJ-0000002, which moves RJ-0000004 up.
async fn a_day(hub: &TestHub) {
    let (sk01, sk02) = (hub.kiosk("SK01"), hub.kiosk("SK02"));
    let items = (10..15)
        .map(|n| submission(n, &format!("SK01-{n:04}")))
        .collect();
    submit(hub, &sk01, &batch(items)).await;
    let mut bad = submission(20, "SK02-0002");
    bad.registration.as_mut().unwrap().first_name = "\u{1b}[31mมาลี\u{202e}".into();
    let out = submit(hub, &sk02, &batch(vec![submission(10, "SK02-0001"), bad])).await;
    assert!(matches!(out[0].outcome, Outcome::Duplicate { .. }));
    assert!(matches!(out[1].outcome, Outcome::Rejected { .. }));
    let mut campaign = super::campaign();
    campaign.total_quota = 3;
    let report = admin::cancel(
        hub.database(),
        &campaign,
        "RJ-0000002",
        "moved away",
        "somchai",
    )
    .unwrap();
    assert_eq!(report.promoted, ["RJ-0000004"]);
}

async fn an_export_round_trips_in_every_format() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    a_day(&hub).await;

    let (code, jsonl, err) = export(&hub, &["--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    let rows = by_reference(&jsonl);
    assert_eq!(rows.len(), 7, "{rows:#?}");
    let cols: Vec<&str> = rows["SK01-0010"].keys().map(String::as_str).collect();
    let mut want: Vec<&str> = header();
    want.sort_unstable();
    assert_eq!(cols, want);
    let said = |r: &str, c: &str| rows[r][c].as_str();
    for (r, state, hub_ref) in [
        ("SK01-0010", "accepted", "RJ-0000001"),
        ("SK01-0011", "cancelled", "RJ-0000002"),
        ("SK01-0013", "accepted", "RJ-0000004"),
        ("SK01-0014", "waitlisted", "RJ-0000005"),
        ("SK02-0001", "duplicate", ""),
        ("SK02-0002", "rejected", ""),
    ] {
        assert_eq!(
            (said(r, "state"), said(r, "hub_reference")),
            (state, hub_ref),
            "{r}"
        );
    }
    // What each kiosk sent comes out normalised, field by field, with where and when.
    for n in 10..15 {
        let row = &rows[&format!("SK01-{n:04}")];
        let fields: Vec<&str> = header()
            .into_iter()
            .take(ruamjai::core::form::FieldKey::ALL.len())
            .map(|c| row[c].as_str())
            .collect();
        assert_eq!(fields, super::registration(n).cells(), "person {n}");
        assert_eq!(row["kiosk"], "SK01");
        assert_eq!(row["registration_point"], "รพ.สต. SK01");
        assert_eq!(row["created_at"], "2021-07-16T02:00:00Z");
    }
    assert_eq!(said("SK01-0014", "waitlist_position"), "2");
    assert_eq!(
        said("SK01-0013", "waitlist_position"),
        "",
        "promoted: no longer waiting"
    );
    assert!(!said("SK01-0013", "changed_at").is_empty());
    assert_eq!(said("SK01-0010", "changed_at"), "");
    assert_eq!(said("SK01-0011", "detail"), "moved away");
    assert!(
        said("SK02-0001", "detail").contains("SK01-0010"),
        "{rows:#?}"
    );
    assert!(
        said("SK02-0002", "detail").starts_with("first_name"),
        "{rows:#?}"
    );
    // Nothing raw: the escape sequence and the bidi override sent are made visible.
    for out in [&jsonl, &export(&hub, &[]).1] {
        let text = std::str::from_utf8(out).unwrap();
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\r') || c == '\u{202e}'),
            "{text}"
        );
    }

    // CSV: a byte-order mark, the header, CRLF rows; Thai text as UTF-8, quoting as RFC 4180.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    let (code, _, err) = export(&hub, &["-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("7 registrations exported to"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "personal data for its owner only: {mode:o}"
        );
    }
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with("\u{feff}id_type,".as_bytes()));
    let mut csv = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(csv.headers().unwrap().iter().collect::<Vec<_>>(), header());
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 7);
    assert!(records.iter().any(|r| r.iter().any(|c| c == "มาลี")));
    assert_eq!(bytes.windows(2).filter(|w| w == b"\r\n").count(), 8);

    hub.stop().await;
}

async fn an_export_filters_and_writes_a_workbook() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 3).await;
    a_day(&hub).await;
    // Filters, alone and together; a date the hub cannot read is a clear error.
    let count = |args: &[&str]| {
        let (code, out, err) = export(&hub, &[&["--format", "jsonl"], args].concat());
        assert_eq!(code, 0, "{args:?}: {err}");
        by_reference(&out).len()
    };
    assert_eq!(count(&["--state", "accepted"]), 3);
    assert_eq!(count(&["--state", "waitlisted"]), 1);
    assert_eq!(count(&["--state", "cancelled", "--kiosk", "SK01"]), 1);
    assert_eq!(count(&["--kiosk", "SK02"]), 2);
    assert_eq!((count(&["--group", "3"]), count(&["--group", "1"])), (7, 0));
    assert_eq!(
        (
            count(&["--since", "2020-01-01"]),
            count(&["--since", "2600-01-01"])
        ),
        (7, 0)
    );
    let (code, _, err) = export(&hub, &["--since", "yesterday"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("--since") && err.contains("YYYY-MM-DD"),
        "{err}"
    );

    // xlsx: every cell is text, so a 13-digit ID keeps its digits.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("list.xlsx");
    let (code, _, err) = export(&hub, &["--format", "xlsx", "-o", book.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let sheet = crate::support::unzip(&book, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), 8, "{sheet}");
    let id = &super::registration(10).id_number;
    assert!(sheet.contains(&format!("<t>{id}</t>")), "{sheet}");
    assert!(sheet.contains("<t>มาลี</t>"), "{sheet}");
    let (code, _, err) = export(&hub, &["--format", "xlsx"]);
    assert_ne!(code, 0);
    assert!(err.contains("-o"), "{err}");
    hub.stop().await;
}

/// The rows of the CSV file at `path` as Python's `csv` module reads them (a reader that is not
/// ours), by receipt reference.
fn read_by_python(path: &std::path::Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let script = "import csv, json, sys\n\
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
        \x20   print(json.dumps(list(csv.DictReader(f))))";
    let out = crate::support::python(script, &[path.as_os_str()]);
    let rows: Vec<BTreeMap<String, String>> = serde_json::from_slice(&out).unwrap();
    rows.into_iter()
        .map(|r| (r["reference"].clone(), r))
        .collect()
}

/// What a spreadsheet would run as a formula (a cell starting with `=`, `+`, `-` or `@`) gets a
/// leading `'`; commas and double quotes are quoted so a CSV reader gets the text back. A line
/// break cannot reach a cell: the form refuses control characters (the row is rejected), a
/// cancellation's reason turns them into spaces, and every cell is sanitised before it is
/// written, so the rows are one line each.
async fn a_csv_cell_never_starts_a_formula_and_reads_back_whole() {
    let hub = TestHub::start().await;
    let token = hub.kiosk("SK01");
    let mut first = submission(1, "SK01-0001");
    first.operator = r#"=HYPERLINK("http://x.example","click")"#.into();
    first.registration.as_mut().unwrap().note = r#"+1, "two", three"#.into();
    let mut second = submission(2, "SK01-0002");
    second.operator = "@clerk".into();
    let r = second.registration.as_mut().unwrap();
    r.target_group = 2;
    r.group_detail = r#"-ชุมชน "ริมคลอง", ซอย 5"#.into();
    let mut third = submission(3, "SK01-0003");
    third.registration.as_mut().unwrap().note = "line one\r\nline two".into();
    let out = submit(&hub, &token, &batch(vec![first, second, third])).await;
    assert!(
        matches!(out[2].outcome, Outcome::Rejected { .. }),
        "{out:?}"
    );
    let reason = "=1+2, \"why\"\nnext";
    admin::cancel(
        hub.database(),
        &super::campaign(),
        "RJ-0000001",
        reason,
        "a",
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    let (code, _, err) = export(&hub, &["-o", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let rows = read_by_python(&file);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    let cell = |r: &str, c: &str| rows[r][c].as_str();
    assert_eq!(
        cell("SK01-0001", "operator"),
        r#"'=HYPERLINK("http://x.example","click")"#
    );
    assert_eq!(cell("SK01-0001", "note"), r#"'+1, "two", three"#);
    assert_eq!(cell("SK01-0001", "detail"), r#"'=1+2, "why" next"#);
    assert_eq!(cell("SK01-0002", "operator"), "'@clerk");
    assert_eq!(
        cell("SK01-0002", "group_detail"),
        r#"'-ชุมชน "ริมคลอง", ซอย 5"#
    );
    assert_eq!(
        cell("SK01-0002", "target_group"),
        "2",
        "a number is left as it is"
    );
    assert_eq!(cell("SK01-0003", "state"), "rejected");
    assert!(
        rows.values()
            .flat_map(|r| r.values())
            .all(|c| !c.contains(['\r', '\n'])),
        "{rows:#?}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 4, "a header and a line a row: {text}");
    hub.stop().await;
}

/// `GET /v1/registrations` with `query`: (status, body).
async fn registrations(hub: &TestHub, token: &str, query: &str) -> (u16, serde_json::Value) {
    let r = client()
        .get(format!("{}/v1/registrations?{query}", hub.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn the_api_pages_without_skipping_or_repeating_while_kiosks_send() {
    let hub = TestHub::start_with(|o| o.campaign.total_quota = 40).await;
    let admin = hub.admin();
    let kiosks: Vec<String> = (1..=3).map(|k| hub.kiosk(&format!("SK0{k}"))).collect();
    // Three kiosks send 20 batches of 3 each, while the admin pages 7 at a time.
    let senders: Vec<_> = kiosks
        .iter()
        .enumerate()
        .map(|(k, token)| {
            let (hub_url, token) = (hub.url.clone(), token.clone());
            tokio::spawn(async move {
                let c = client();
                for b in 0..20u64 {
                    let items = (0..3)
                        .map(|i| {
                            let n = 1000 * (k as u64 + 1) + b * 3 + i;
                            submission(n, &format!("SK0{}-{n:05}", k + 1))
                        })
                        .collect();
                    let r = super::post(
                        &c,
                        &format!("{hub_url}/v1/submissions"),
                        &token,
                        &batch(items),
                    )
                    .await;
                    assert_eq!(r.status(), 200);
                }
            })
        })
        .collect();
    let mut seen = Vec::new();
    let (mut after, mut pages) = (0_u64, 0);
    loop {
        let sending = senders.iter().any(|s| !s.is_finished());
        let (status, page) = registrations(&hub, &admin, &format!("after={after}&limit=7")).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        assert!(pages < 1000, "paging never ended");
        let items = page["registrations"].as_array().unwrap();
        assert!(items.len() <= 7);
        seen.extend(
            items
                .iter()
                .map(|e| e["submission_id"].as_str().unwrap().to_owned()),
        );
        let next = page["next"].as_u64().unwrap();
        assert!(next >= after, "the cursor never goes back");
        after = next;
        if !sending && !page["more"].as_bool().unwrap() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    for s in senders {
        s.await.unwrap();
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a row came twice");
    let stored: HashSet<String> = hub
        .rows("SELECT submission_id FROM submissions", &[])
        .iter()
        .map(|r| r.text(0).unwrap())
        .collect();
    assert_eq!(stored.len(), 180);
    assert_eq!(
        unique.into_iter().cloned().collect::<HashSet<_>>(),
        stored,
        "a row was skipped"
    );
    assert!(pages > 180 / 7, "{pages} pages");

    // Filtered the same way as the export; only for an admin; a bad query says what is wrong.
    let (_, waiting) = registrations(&hub, &admin, "state=waitlisted&kiosk=SK02&limit=1000").await;
    let waiting = waiting["registrations"].as_array().unwrap().clone();
    assert!(!waiting.is_empty());
    assert!(
        waiting
            .iter()
            .all(|e| e["state"] == "waitlisted" && e["kiosk"] == "SK02")
    );
    let (status, body) = registrations(&hub, &kiosks[0], "").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("forbidden")),
        "{body}"
    );
    let (status, body) = registrations(&hub, &admin, "state=paid").await;
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("waitlisted"), "{body}");
    hub.stop().await;
}

/// An export that fails (here: no store in the data directory) says why and leaves no file
/// that could pass for an empty list.
#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    let out = crate::support::ruamjai(dir.path())
        .args(["hub", "export", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no hub store"), "{err}");
    assert!(!file.exists(), "a partial export was left behind");
}

on_both_backends!(
    an_export_round_trips_in_every_format,
    an_export_filters_and_writes_a_workbook,
    a_csv_cell_never_starts_a_formula_and_reads_back_whole,
    the_api_pages_without_skipping_or_repeating_while_kiosks_send,
);
