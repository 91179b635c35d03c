//! Bad input, generated: property tests that throw arbitrary and near-valid input at every parser a
//! stranger's text reaches (national ID, date, phone, the editing model and input check, the CSV
//! importer, the campaign loader). None may panic; each must give a value or a reason.
//!
//! The case count comes from `RUAMJAI_FUZZ_CASES` (CI uses the default, a short run; the long run
//! and its figures are in BENCHMARKS.md, made by `benches/reliability`). Each target prints how many
//! cases it ran, for those figures.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ruamjai::core::form::{Campaign, Context, campaign::DEFAULT_CAMPAIGN};
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::core::thai::edit::TextField;
use ruamjai::core::thai::input_check::CheckMode;
use ruamjai::core::thai::national_id::{IdType, parse_id};
use ruamjai::core::thai::phone::parse_phone;

fn cases() -> u32 {
    std::env::var("RUAMJAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Text a stranger might type or paste: Thai, digits, separators, controls, escapes, marks.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[ก-๛]{0,6}",
        "[0-9๐-๙ /.+-]{0,14}",
        Just("\u{1b}[2J".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("\u{0e48}\u{0e48}".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\r\n".to_owned()),
        ".{0,4}",
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn report(name: &str, n: u32) {
    eprintln!("fuzz {name}: {n} cases, 0 panics");
}

#[test]
fn national_id_parser() {
    let ok = std::cell::Cell::new(0u32);
    runner()
        .run(&hostile_text(), |s| {
            for t in [IdType::ThaiId, IdType::NonThaiId, IdType::Passport] {
                if let Ok(id) = parse_id(&s, t) {
                    // What parses is normalised: parsing it again gives itself.
                    prop_assert_eq!(parse_id(&id, t), Ok(id.clone()));
                    ok.set(ok.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    report("national_id", cases());
    eprintln!("  ({} parsed)", ok.get());
}

#[test]
fn date_parser() {
    let reference = ThaiDate {
        day: Some(16),
        month: Some(7),
        year_be: 2564,
    };
    runner()
        .run(&hostile_text(), |s| {
            if let Ok(d) = ThaiDate::parse(&s) {
                prop_assert_eq!(ThaiDate::parse(&d.format()), Ok(d));
                let _ = d.age_at(reference);
            }
            Ok(())
        })
        .unwrap();
    report("date", cases());
}

#[test]
fn phone_parser() {
    runner()
        .run(&hostile_text(), |s| {
            if let Ok((digits, kind)) = parse_phone(&s) {
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(parse_phone(&digits), Ok((digits.clone(), kind)));
            }
            Ok(())
        })
        .unwrap();
    report("phone", cases());
}

#[test]
fn editing_model_and_input_check() {
    let ops = proptest::collection::vec((0u8..7, any::<char>()), 0..60);
    runner()
        .run(&ops, |ops| {
            let mut f = TextField::new();
            for (op, c) in ops {
                match op {
                    0 | 1 => {
                        let _ = f.insert_char(c, CheckMode::Basic);
                    }
                    2 => {
                        f.backspace();
                    }
                    3 => {
                        f.delete();
                    }
                    4 => f.left(),
                    5 => f.right(),
                    _ => {
                        let _ = f.insert_str(&c.to_string(), CheckMode::Strict);
                    }
                }
                prop_assert!(f.text().is_char_boundary(f.cursor()));
                prop_assert!(
                    !f.text().chars().any(char::is_control),
                    "no control char stored"
                );
            }
            Ok(())
        })
        .unwrap();
    report("edit+input_check", cases());
}

#[test]
fn csv_importer() {
    let campaign = Campaign::load(DEFAULT_CAMPAIGN, None).unwrap();
    let ctx = Context {
        today: ThaiDate {
            day: Some(25),
            month: Some(11),
            year_be: 2569,
        },
    };
    let header = "id_type,id_number,title,first_name,last_name,birth_date,sex,phone,tambon,amphoe,province,postcode,target_group,consent\n";
    let row = proptest::collection::vec(hostile_text(), 14).prop_map(|cells| {
        cells
            .iter()
            .map(|c| c.replace([',', '"'], ""))
            .collect::<Vec<_>>()
            .join(",")
    });
    let file = (
        any::<bool>(),
        proptest::collection::vec(row, 0..6),
        ".{0,40}",
    );
    let bar = indicatif::ProgressBar::hidden();
    runner()
        .run(&file, |(with_header, rows, junk)| {
            let mut text = if with_header { header.to_owned() } else { junk };
            for r in rows {
                text.push_str(&r);
                text.push('\n');
            }
            if let Ok(out) = ruamjai::kiosk::cli::import::check(
                &text,
                &campaign,
                ctx,
                "fuzz",
                ruamjai::core::thai::Lang::Th,
                &bar,
            ) {
                for (_, rec) in &out.valid {
                    prop_assert!(
                        !rec.payload.chars().any(|c| c == '\u{1b}'),
                        "no escape stored"
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    report("csv_import", cases());
}

#[test]
fn campaign_loader() {
    let text = ruamjai::core::form::campaign::EMBEDDED[0].1;
    let lines: Vec<&str> = text.lines().collect();
    let mutation = (0..lines.len(), hostile_text(), 0u8..3);
    runner()
        .run(&mutation, |(at, junk, how)| {
            let mut l: Vec<String> = lines.iter().map(|s| (*s).to_owned()).collect();
            match how {
                0 => l[at] = junk,
                1 => l.insert(at, junk),
                _ => {
                    l.remove(at);
                }
            }
            match Campaign::from_toml("fuzz.toml", &l.join("\n")) {
                Ok(c) => prop_assert!(!c.groups.is_empty()),
                Err(e) => prop_assert!(e.to_string().starts_with("campaign file fuzz.toml")),
            }
            Ok(())
        })
        .unwrap();
    report("campaign_loader", cases());
}

/// Mutations of a valid batch: cut short, bytes flipped, nested, fields swapped for hostile text.
fn hostile_body(valid: &str) -> impl Strategy<Value = Vec<u8>> {
    let valid = valid.to_owned();
    let len = valid.len();
    prop_oneof![
        (0..len).prop_map({
            let v = valid.clone();
            move |n| v.as_bytes()[..n].to_vec()
        }),
        (0..len, any::<u8>()).prop_map({
            let v = valid.clone();
            move |(i, b)| {
                let mut x = v.clone().into_bytes();
                x[i] = b;
                x
            }
        }),
        (1usize..200).prop_map(|d| format!("{}{}", "[".repeat(d), "]".repeat(d)).into_bytes()),
        hostile_text().prop_map({
            let v = valid.clone();
            move |t| v.replace("มาลี", &t.replace(['"', '\\'], "")).into_bytes()
        }),
        proptest::collection::vec(any::<u8>(), 0..300),
    ]
}

#[test]
fn hub_request_bodies() {
    use ruamjai::hub;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let hub = rt.block_on(crate::hub::TestHub::start_with(|o| {
        o.kiosk_rate_per_sec = 1e6;
        o.kiosk_burst = 1e6;
    }));
    let token = hub::add_kiosk(hub.database(), "FZ01", "fuzz", false).unwrap();
    let base = hub.url.clone();
    let reg = crate::support::registration(&Campaign::load(DEFAULT_CAMPAIGN, None).unwrap(), 9);
    let batch = ruamjai::core::protocol::SubmissionBatch {
        items: vec![ruamjai::core::protocol::Submission {
            submission_id: uuid::Uuid::now_v7(),
            reference: "FZ01-0001-2".into(),
            created_at: 1,
            operator: "op".into(),
            replaces: None,
            registration: Some(reg),
            sealed: None,
        }],
    };
    let valid = serde_json::to_string(&batch).unwrap();
    let http = reqwest::Client::new();
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    runner()
        .run(&hostile_body(&valid), |body| {
            let status = rt
                .block_on(
                    http.post(format!("{base}/v1/submissions"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send(),
                )
                .unwrap()
                .status()
                .as_u16();
            *statuses.borrow_mut().entry(status).or_default() += 1;
            prop_assert!(matches!(status, 200 | 400 | 413 | 422), "status {status}");
            Ok(())
        })
        .unwrap();
    let health = rt
        .block_on(http.get(format!("{base}/v1/health")).send())
        .unwrap();
    assert!(health.status().is_success(), "the hub is still up");
    rt.block_on(hub.stop());
    report("hub_request_body", cases());
    eprintln!("  statuses: {:?}", statuses.borrow());
}
