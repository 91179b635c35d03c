//! Validation tests: field rules, campaign rules, normalisation, and the round trip the hub relies
//! on (a registration re-validated from `to_input()` is unchanged).

use super::*;
use crate::core::thai::{Bilingual, Lang};

pub(crate) fn campaign() -> Campaign {
    Campaign::load(campaign::DEFAULT_CAMPAIGN, None).unwrap()
}

pub(crate) fn ctx() -> Context {
    Context {
        today: ThaiDate {
            day: Some(25),
            month: Some(11),
            year_be: 2569,
        },
    }
}

/// A complete, valid form (the hub's unit tests use it too).
pub(crate) fn good() -> FormInput {
    let mut f = FormInput::default();
    for (k, v) in [
        (FieldKey::IdType, "thai_id"),
        (FieldKey::IdNumber, "1-1120-34563-56-2"),
        (FieldKey::Title, "นาง"),
        (FieldKey::FirstName, "  มาลี  "),
        (FieldKey::LastName, "หาเเก้ว"),
        (FieldKey::BirthDate, "๑๖/๐๗/๒๔๙๔"),
        (FieldKey::Sex, "female"),
        (FieldKey::Phone, "+66 81 234 5678"),
        (FieldKey::HouseNo, "๑๒/๓"),
        (FieldKey::Moo, "04"),
        (FieldKey::Tambon, "คลองมะเดื่อ"),
        (FieldKey::Amphoe, "กระทุ่มแบน"),
        (FieldKey::Province, "สมุทรสาคร"),
        (FieldKey::Postcode, "๗๔๑๑๐"),
        (FieldKey::TargetGroup, "3"),
        (FieldKey::Consent, "yes"),
    ] {
        f.set(k, v);
    }
    f
}

fn errors_of(f: &FormInput) -> Vec<(FieldKey, Problem)> {
    validate(&campaign(), f, ctx())
        .errors
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

#[test]
fn a_good_form_becomes_one_normalised_registration() {
    let v = validate(&campaign(), &good(), ctx());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
    let r = v.registration.unwrap();
    assert_eq!(r.id_number, "1112034563562");
    assert_eq!(
        (r.first_name.as_str(), r.last_name.as_str()),
        ("มาลี", "หาแก้ว")
    );
    assert_eq!(r.phone, "0812345678");
    assert_eq!(
        (r.address.house_no.as_str(), r.address.moo.as_str()),
        ("12/3", "4")
    );
    assert_eq!(r.address.postcode, "74110");
    assert_eq!(r.birth_date.unwrap().format(), "16/07/2494");
    assert_eq!(r.person_key(), "ID:1112034563562");
    assert!(r.consent);
}

#[test]
fn group_three_needs_age_seventy_at_the_reference_date() {
    // Reference 16/07/2564: born 16/07/2494 is exactly 70, born 17/07/2494 is 69.
    assert!(errors_of(&good()).is_empty());
    let mut f = good();
    f.set(FieldKey::BirthDate, "17/07/2494");
    assert_eq!(
        errors_of(&f),
        vec![(FieldKey::BirthDate, Problem::AgeBelow { min: 70, age: 69 })]
    );
    let msg = Problem::AgeBelow { min: 70, age: 69 }.say(Lang::Th);
    assert!(msg.contains("70") && msg.contains("69"), "{msg}");
    f.set(FieldKey::BirthDate, "");
    assert_eq!(
        errors_of(&f),
        vec![(FieldKey::BirthDate, Problem::Required)]
    );
    // Unknown day and month: counted from the latest possible birthday, so 2494 is not yet 70.
    f.set(FieldKey::BirthDate, "-/-/2494");
    assert!(matches!(
        errors_of(&f)[..],
        [(FieldKey::BirthDate, Problem::AgeBelow { .. })]
    ));
    f.set(FieldKey::BirthDate, "--/--/2490");
    assert!(errors_of(&f).is_empty());
}

#[test]
fn group_rules_details_and_title_warnings() {
    let mut f = good();
    f.set(FieldKey::TargetGroup, "4");
    let v = validate(&campaign(), &f, ctx());
    assert_eq!(
        v.errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        vec![FieldKey::GroupDetail]
    );
    f.set(FieldKey::GroupDetail, "วัดป้อมวิเชียรโชติการาม");
    let v = validate(&campaign(), &f, ctx());
    assert!(
        v.registration.is_some(),
        "a warning does not stop the record"
    );
    assert!(matches!(v.warnings[..], [Warning::TitleUnexpected { .. }]));
    f.set(FieldKey::Title, "พระภิกษุ");
    // The fixture's person is female: a monk's title says otherwise.
    assert!(matches!(
        validate(&campaign(), &f, ctx()).warnings[..],
        [Warning::SexNotTitle { .. }]
    ));
    f.set(FieldKey::Sex, "male");
    assert!(validate(&campaign(), &f, ctx()).warnings.is_empty());
    f.set(FieldKey::TargetGroup, "8");
    assert!(matches!(
        errors_of(&f)[..],
        [(FieldKey::TargetGroup, Problem::NotAChoice { .. })]
    ));
}

#[test]
fn bad_input_gets_a_reason_per_field_and_nothing_is_stored() {
    let mut f = good();
    f.set(FieldKey::IdNumber, "1112034563561");
    f.set(FieldKey::BirthDate, "16/07/1951");
    f.set(FieldKey::Phone, "12345");
    f.set(FieldKey::FirstName, "มาลี\u{1b}[2J");
    f.set(FieldKey::LastName, &"ก".repeat(10_000));
    f.set(FieldKey::Postcode, "7411");
    f.set(FieldKey::Consent, "no");
    f.set(FieldKey::Note, "ok\u{202e}evil");
    let v = validate(&campaign(), &f, ctx());
    assert!(v.registration.is_none());
    let fields: Vec<FieldKey> = v.errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![
            FieldKey::IdNumber,
            FieldKey::FirstName,
            FieldKey::LastName,
            FieldKey::BirthDate,
            FieldKey::Phone,
            FieldKey::Postcode,
            FieldKey::Consent,
            FieldKey::Note
        ]
    );
    let by = |k| {
        v.errors
            .iter()
            .find(|e| e.field == k)
            .unwrap()
            .problem
            .clone()
    };
    assert!(matches!(by(FieldKey::IdNumber), Problem::Id(_)));
    assert!(matches!(by(FieldKey::BirthDate), Problem::Date(_)));
    assert!(
        by(FieldKey::BirthDate).say(Lang::En).contains("2494"),
        "suggests the BE year"
    );
    assert_eq!(by(FieldKey::FirstName), Problem::UnsafeText);
    assert_eq!(
        by(FieldKey::LastName),
        Problem::TooLong {
            max: crate::core::form::rules::MAX_NAME
        }
    );
    assert_eq!(by(FieldKey::Note), Problem::UnsafeText);
    for e in &v.errors {
        assert!(!e.problem.say(Lang::Th).is_empty() && !e.problem.say(Lang::En).is_empty());
    }
}

#[test]
fn passports_and_unknown_addresses() {
    let mut f = good();
    f.set(FieldKey::IdType, "passport");
    f.set(FieldKey::IdNumber, "aa 123-4567");
    f.set(FieldKey::Tambon, "ไม่มีจริง");
    let v = validate(&campaign(), &f, ctx());
    let r = v.registration.unwrap();
    assert_eq!(r.id_number, "AA1234567");
    assert_eq!(r.person_key(), "P:AA1234567");
    assert_eq!(v.warnings, vec![Warning::AddressUnknown]);
}

#[test]
fn a_registration_revalidates_to_itself() {
    let names: Vec<&str> = include_str!("../../../tests/fixtures/thai-names-sample.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    for (i, pair) in names.chunks(2).enumerate().take(1500) {
        let mut f = good();
        f.set(FieldKey::FirstName, pair[0]);
        f.set(FieldKey::LastName, pair.get(1).copied().unwrap_or("ใจดี"));
        if i % 3 == 0 {
            f.set(FieldKey::TargetGroup, "2");
            f.set(FieldKey::BirthDate, "-/05/2530");
        }
        let first = validate(&campaign(), &f, ctx()).registration.unwrap();
        let again = validate(&campaign(), &first.to_input(), ctx())
            .registration
            .unwrap();
        assert_eq!(first, again, "{pair:?}");
    }
}

#[test]
fn thai_that_typing_refuses_is_refused_from_any_source() {
    use crate::core::thai::input_check::Rejection;
    let mut f = good();
    f.set(FieldKey::TargetGroup, "4");
    f.set(FieldKey::GroupDetail, "แ");
    assert_eq!(
        errors_of(&f),
        vec![(
            FieldKey::GroupDetail,
            Problem::ThaiSequence(Rejection::NoConsonantAfterLeadingVowel)
        )]
    );
    let mut f = good();
    f.set(FieldKey::FirstName, "ทิำ");
    assert_eq!(
        errors_of(&f),
        vec![(
            FieldKey::FirstName,
            Problem::ThaiSequence(Rejection::VowelAfterVowel)
        )]
    );
}

#[test]
fn every_real_name_of_the_fixture_passes_the_sequence_check() {
    for name in crate::core::thai::fixtures::NAMES.lines().map(str::trim) {
        let n = crate::core::thai::normalize::normalize_text(name);
        assert_eq!(
            crate::core::thai::input_check::first_fault(&n),
            None,
            "{name}"
        );
    }
}

#[test]
fn the_limits_and_choices_problems_name_are_the_rules_the_form_uses() {
    use crate::core::form::rules::{self, MAX_TITLE, max_chars};
    assert_eq!(max_chars(FieldKey::Title), MAX_TITLE);
    let mut f = good();
    f.set(FieldKey::Title, &"ก".repeat(MAX_TITLE));
    assert!(!errors_of(&f).iter().any(|(k, _)| *k == FieldKey::Title));
    f.set(FieldKey::Title, &"ก".repeat(MAX_TITLE + 1));
    assert!(errors_of(&f).contains(&(FieldKey::Title, Problem::TooLong { max: MAX_TITLE })));
    for (key, choices, listed) in [
        (
            FieldKey::IdType,
            &rules::ID_TYPES[..],
            "thai_id, non_thai_id, passport",
        ),
        (FieldKey::Sex, &rules::SEXES[..], "male, female"),
        (FieldKey::Consent, &rules::CONSENT[..], "yes, no"),
    ] {
        assert_eq!(rules::listed(choices), listed);
        let mut f = good();
        f.set(key, "maybe");
        let problems = errors_of(&f);
        assert!(
            problems.contains(&(
                key,
                Problem::NotAChoice {
                    choices: listed.into()
                }
            )),
            "{key:?}: {problems:?}"
        );
    }
}

#[test]
fn a_name_takes_letters_the_marks_space_dot_and_dash_only() {
    for (key, junk) in [
        (FieldKey::FirstName, "สมชาย[0m 😀 123"),
        (FieldKey::FirstName, "สมชาย2"),
        (FieldKey::LastName, "ใจดี๑"),
        (FieldKey::LastName, "Jaidee_"),
    ] {
        let mut f = good();
        f.set(key, junk);
        assert!(
            errors_of(&f).contains(&(key, Problem::NameChars)),
            "{junk}: {:?}",
            errors_of(&f)
        );
    }
    let mut f = good();
    f.set(FieldKey::FirstName, "Jean-Luc");
    f.set(FieldKey::LastName, "ณ อยุธยา จ.");
    assert!(errors_of(&f).is_empty(), "{:?}", errors_of(&f));
    assert!(Problem::NameChars.say(Lang::Th).contains("ตัวอักษร"));
}

#[test]
fn younger_than_the_campaign_is_a_warning_not_a_stop() {
    let c = campaign();
    assert_eq!(c.min_age, Some(18));
    let mut f = good();
    f.set(FieldKey::TargetGroup, "1");
    f.set(FieldKey::GroupDetail, "1234567890123");
    // 14 at the reference date (16/07/2564).
    f.set(FieldKey::BirthDate, "01/01/2550");
    let v = validate(&c, &f, ctx());
    assert!(v.errors.is_empty(), "{:?}", v.errors);
    assert!(v.registration.is_some());
    assert_eq!(
        v.warnings,
        [Warning::YoungerThanCampaign { min: 18, age: 14 }]
    );
    assert!(v.warnings[0].say(Lang::En).contains("18+"));
    // A campaign without a minimum says nothing.
    let mut open = c.clone();
    open.min_age = None;
    assert!(validate(&open, &f, ctx()).warnings.is_empty());
}
