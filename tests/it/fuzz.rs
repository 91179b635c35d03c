//! Bad input, generated: property tests that throw arbitrary and near-valid input at every parser a
//! stranger's text reaches (national ID, date, phone, the editing model and input check, the CSV
//! importer, the campaign loader). None may panic; each must give a value or a reason.
//!
//! The case count comes from `RUAMJAI_FUZZ_CASES` (CI uses the default, a short run; the long run
//! and its figures are in BENCHMARKS.md, made by `benches/reliability`). Each target prints how many
//! cases it ran, for those figures.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ruamjai::form::{Campaign, Context, campaign::DEFAULT_CAMPAIGN};
use ruamjai::thai::date::ThaiDate;
use ruamjai::thai::edit::TextField;
use ruamjai::thai::input_check::CheckMode;
use ruamjai::thai::national_id::{IdType, parse_id};
use ruamjai::thai::phone::parse_phone;

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
            if let Ok(out) = ruamjai::cli::import::check(
                &text,
                &campaign,
                ctx,
                "fuzz",
                ruamjai::thai::Lang::Th,
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
    let text = ruamjai::form::campaign::EMBEDDED[0].1;
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
