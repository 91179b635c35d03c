//! Tests of a campaign's own questions: the flood-relief file as written, a bad file refused with
//! its line and reason, each type's answer normalised, relevance by group, unknown answers kept,
//! and the JSON of a record without answers unchanged (old hubs read it as before).

use super::tests::{ctx, good};
use super::*;

fn flood_text() -> &'static str {
    campaign::EMBEDDED
        .iter()
        .find(|(n, _)| *n == "flood-relief-2564.toml")
        .unwrap()
        .1
}

fn flood() -> Campaign {
    Campaign::load("flood-relief-2564", None).unwrap()
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// The line of the `[[fields]]` header of the entry holding `needle`.
fn entry_line(text: &str, needle: &str) -> usize {
    let at = line_of(text, needle);
    text.lines()
        .take(at)
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[fields]]")
        .last()
        .unwrap()
        .0
        + 1
}

#[test]
fn the_flood_file_declares_its_questions_in_its_own_order() {
    let c = flood();
    assert_eq!(c.version, 1);
    let keys: Vec<&str> = c.questions().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["household_size", "damage", "bank_account"]);
    let order: Vec<&str> = c.fields.iter().map(|f| f.key.as_str()).collect();
    let at = |k: &str| order.iter().position(|o| *o == k).unwrap();
    assert!(at("target_group") < at("household_size"));
    assert!(at("bank_account") < at("house_no"), "{order:?}");
    let bank = c.field(FieldKey::named("bank_account").unwrap()).unwrap();
    assert!(!bank.asked_for(Some(1)) && bank.asked_for(Some(2)) && !bank.asked_for(None));
    // The vaccine file keeps the built-in order it always had.
    let v = tests::campaign();
    let vaccine: Vec<FieldKey> = v.fields.iter().map(|f| f.key).collect();
    assert_eq!(vaccine, FieldKey::ALL);
    assert_eq!(v.questions().count(), 0);
}

#[test]
fn a_bad_question_is_refused_with_its_line_and_reason() {
    let text = flood_text();
    let cases = [
        (
            ("type = \"number\"", "type = \"numeric\""),
            line_of(text, "type = \"number\""),
            "question household_size has a type this ruamjai does not know",
        ),
        (
            ("min = 1\nmax = 30", "min = 40\nmax = 30"),
            entry_line(text, "key = \"household_size\""),
            "min 40 is more than max 30",
        ),
        (
            ("key = \"damage\"", "key = \"household_size\""),
            entry_line(text, "key = \"damage\""),
            "field household_size is listed twice",
        ),
        (
            ("key = \"bank_account\"", "key = \"Bank-Account\""),
            line_of(text, "key = \"bank_account\""),
            "is not a field key",
        ),
        (
            ("groups = [2]", "groups = [9]"),
            entry_line(text, "groups = [2]"),
            "asked of group 9, which is not in [[groups]]",
        ),
        (
            ("type = \"choice\"", "type = \"text\""),
            entry_line(text, "key = \"damage\""),
            "has choices but is a text",
        ),
        (
            (
                "type = \"text\"\nrequired = true\nmax_len = 15",
                "required = true",
            ),
            entry_line(text, "key = \"bank_account\""),
            "question bank_account needs a type",
        ),
        (
            ("key = \"note\"\nth", "key = \"note\"\nmax_len = 3\nth"),
            entry_line(text, "key = \"note\""),
            "field note is built in",
        ),
    ];
    for ((from, to), line, reason) in cases {
        assert!(text.contains(from), "{from}");
        let bad = text.replacen(from, to, 1);
        let err = Campaign::from_toml("flood.toml", &bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&format!("line {line}")), "{from}: {err}");
        assert!(err.contains(reason), "{from}: {err}");
    }
    // A question named as an export's column: every reserved name, each refused at its entry.
    for name in reserved::RESERVED_KEYS {
        let bad = text.replacen("key = \"damage\"", &format!("key = \"{name}\""), 1);
        let err = Campaign::from_toml("flood.toml", &bad)
            .unwrap_err()
            .to_string();
        let line = entry_line(text, "key = \"damage\"");
        assert!(err.contains(&format!("line {line}")), "{name}: {err}");
        assert!(
            err.contains(&format!(
                "question {name}: {name} is a column of the exports"
            )),
            "{name}: {err}"
        );
    }
    // A choice question without choices.
    let start = text.find("choices = [").unwrap();
    let end = start + text[start..].find("]\n").unwrap() + 2;
    let bad = format!("{}{}", &text[..start], &text[end..]);
    let err = Campaign::from_toml("f", &bad).unwrap_err().to_string();
    assert!(
        err.contains("question damage is a choice but has no choices"),
        "{err}"
    );
    assert!(err.contains(&format!("line {}", entry_line(text, "key = \"damage\""))));
}

fn answer(kind: QuestionType, raw: &str) -> Result<String, Problem> {
    let choices = [("rice", "ข้าว", "Rice"), ("water", "น้ำดื่ม", "Water")].map(|(value, th, en)| {
        question::ChoiceSpec {
            value: value.into(),
            th: th.into(),
            en: en.into(),
        }
    });
    question::normalise_answer(
        question::Rule {
            kind,
            min: Some(1),
            max: Some(30),
            max_len: Some(10),
            choices: &choices,
        },
        raw,
    )
}

#[test]
fn each_type_of_answer_is_normalised_one_way() {
    use QuestionType as T;
    assert_eq!(answer(T::Number, " ๐๗ ").unwrap(), "7");
    assert_eq!(
        answer(T::Number, "31"),
        Err(Problem::OutOfRange {
            min: Some(1),
            max: Some(30)
        })
    );
    assert_eq!(answer(T::Number, "2.5"), Err(Problem::NotANumber));
    assert_eq!(answer(T::Date, "๑/๒/๒๕๖๔").unwrap(), "01/02/2564");
    assert!(matches!(
        answer(T::Date, "31/02/2564"),
        Err(Problem::Date(_))
    ));
    assert_eq!(answer(T::YesNo, "ใช่").unwrap(), "yes");
    assert_eq!(answer(T::YesNo, "No").unwrap(), "no");
    assert!(answer(T::YesNo, "maybe").is_err());
    assert_eq!(answer(T::Choice, "น้ำดื่ม").unwrap(), "water");
    assert_eq!(answer(T::Choice, "RICE").unwrap(), "rice");
    assert!(matches!(
        answer(T::Choice, "tea"),
        Err(Problem::NotAChoice { .. })
    ));
    assert_eq!(
        answer(T::Choices, "water; rice;water").unwrap(),
        "rice;water"
    );
    assert_eq!(answer(T::Text, "  บ้าน  ").unwrap(), "บ้าน");
    assert_eq!(
        answer(T::Text, "12345678901"),
        Err(Problem::TooLong { max: 10 })
    );
    assert_eq!(answer(T::Text, "a\u{1b}[2J"), Err(Problem::UnsafeText));
    assert_eq!(answer(T::Text, "   ").unwrap(), "");
}

/// The good vaccine form, put to the flood campaign: group `group`, with `answers`.
fn flood_input(group: &str, answers: &[(&str, &str)]) -> FormInput {
    let mut f = good();
    f.set(FieldKey::TargetGroup, group);
    for (k, v) in answers {
        f.set_answer(k, v);
    }
    f
}

#[test]
fn answers_are_checked_for_the_persons_group_and_ride_on_the_record() {
    let c = flood();
    let all = [
        ("household_size", "๔"),
        ("damage", "เสียหายบางส่วน"),
        ("bank_account", "020-1234567"),
        ("pets", " แมว "),
    ];
    // Group 1 is not asked the bank account: that answer is dropped; an unknown one is kept.
    let v = validate(&c, &flood_input("1", &all), ctx());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    let r = v.registration.unwrap();
    assert_eq!(r.form_version, 1);
    let got: Vec<(&str, &str)> = r
        .answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("damage", "partial"),
            ("household_size", "4"),
            ("pets", "แมว")
        ]
    );
    // Group 2 is, and must answer it.
    let v = validate(&c, &flood_input("2", &all), ctx());
    assert_eq!(
        v.registration.unwrap().answer("bank_account"),
        "020-1234567"
    );
    let v = validate(&c, &flood_input("2", &all[..2]), ctx());
    let bank = FieldKey::named("bank_account").unwrap();
    assert_eq!(v.errors[0].field, bank);
    assert_eq!(v.errors[0].problem, Problem::Required);
    // Errors come in the file's order.
    let v = validate(&c, &flood_input("2", &[("household_size", "0")]), ctx());
    let fields: Vec<&str> = v.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["household_size", "damage", "bank_account"]);
}

#[test]
fn a_record_revalidates_to_itself_and_old_json_is_unchanged() {
    let c = flood();
    let input = flood_input(
        "2",
        &[
            ("household_size", "3"),
            ("damage", "total"),
            ("bank_account", "1"),
        ],
    );
    let r = validate(&c, &input, ctx()).registration.unwrap();
    let again = validate(&c, &r.to_input(), ctx()).registration.unwrap();
    assert_eq!(again, r);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        json.contains(r#""answers":{"bank_account":"1","damage":"total","household_size":"3"}"#),
        "{json}"
    );
    assert!(!json.contains("form_version"), "{json}");
    assert_eq!(serde_json::from_str::<Registration>(&json).unwrap(), r);
    // A record of a later form keeps its version when checked again by this one.
    let mut later = r.clone();
    later.form_version = 2;
    let checked = validate(&c, &later.to_input(), ctx()).registration.unwrap();
    assert_eq!(checked.form_version, 2);
    // A vaccine record has neither key: an old hub reads it as it always did.
    let v = validate(&tests::campaign(), &good(), ctx())
        .registration
        .unwrap();
    let json = serde_json::to_string(&v).unwrap();
    assert!(
        !json.contains("answers") && !json.contains("form_version"),
        "{json}"
    );
    // And the campaign's JSON (what GET /v1/campaign serves) round-trips with its questions.
    let back: Campaign = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
}
