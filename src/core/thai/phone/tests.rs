//! Tests of `thai::phone`: THAI.md §8 by table, and parse/format round trips.

use proptest::prelude::*;

use super::*;

#[test]
fn accepted_forms() {
    let mobile = Ok(("0812345678".to_owned(), PhoneKind::Mobile));
    for s in [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "๐๘๑๒๓๔๕๖๗๘",
        "+66812345678",
        "+66 81 234 5678",
        "+66-81-234-5678",
        "66812345678",
        "+66 081 234 5678",
        "(081) 234-5678",
    ] {
        assert_eq!(parse_phone(s), mobile, "{s:?}");
    }
    let bangkok = Ok(("021234567".to_owned(), PhoneKind::Landline));
    for s in ["021234567", "02-123-4567", "+66 2 123 4567", "๐๒ ๑๒๓ ๔๕๖๗"] {
        assert_eq!(parse_phone(s), bangkok, "{s:?}");
    }
    for (s, kind) in [
        ("0612345678", PhoneKind::Mobile),
        ("0912345678", PhoneKind::Mobile),
        ("053123456", PhoneKind::Landline),
        ("032123456", PhoneKind::Landline),
        ("042123456", PhoneKind::Landline),
        ("073123456", PhoneKind::Landline),
    ] {
        assert_eq!(parse_phone(s), Ok((s.to_owned(), kind)), "{s:?}");
    }
}

#[test]
fn refused_forms() {
    use PhoneError::*;
    let cases = [
        ("", Empty),
        (" - ", Empty),
        ("08l2345678", NotDigits),
        ("081234567x", NotDigits),
        ("+", NotDigits),
        ("081234567", WrongLength { got: 9 }),
        ("08123456789", WrongLength { got: 11 }),
        ("0212345678", WrongLength { got: 10 }),
        ("02123456", WrongLength { got: 8 }),
        ("061234567", WrongLength { got: 9 }), // 06 is mobile only
        ("0", WrongLength { got: 1 }),
        ("0112345678", BadPrefix),
        ("012345678", BadPrefix),
        ("812345678", BadPrefix),
        ("1669", BadPrefix),
        ("+1 415 555 0100", BadPrefix),
    ];
    for (s, want) in cases {
        assert_eq!(parse_phone(s), Err(want), "{s:?}");
    }
}

#[test]
fn formatting() {
    assert_eq!(format_phone("0812345678"), "081-234-5678");
    assert_eq!(format_phone("021234567"), "02-123-4567");
    assert_eq!(format_phone("053123456"), "053-123-456");
    assert_eq!(format_phone("08123"), "08123");
    assert_eq!(format_phone("081-234-5678"), "081-234-5678");
    assert_eq!(format_phone(""), "");
}

#[test]
fn messages_in_both_languages() {
    use PhoneError::*;
    let mut seen = std::collections::HashSet::new();
    for e in [Empty, NotDigits, WrongLength { got: 9 }, BadPrefix] {
        assert_eq!(e.say(Lang::En), e.to_string());
        assert!(
            e.say(Lang::Th).contains(|c: char| ('ก'..='ฮ').contains(&c)),
            "{e:?}"
        );
        assert!(
            seen.insert(e.say(Lang::Th)) && seen.insert(e.say(Lang::En)),
            "{e:?}"
        );
    }
}

fn valid_number() -> impl Strategy<Value = (String, PhoneKind)> {
    let mobile = (prop_oneof![Just('6'), Just('8'), Just('9')], "[0-9]{8}")
        .prop_map(|(p, rest)| (format!("0{p}{rest}"), PhoneKind::Mobile));
    let landline = (
        prop_oneof![Just('2'), Just('3'), Just('4'), Just('5'), Just('7')],
        "[0-9]{7}",
    )
        .prop_map(|(p, rest)| (format!("0{p}{rest}"), PhoneKind::Landline));
    prop_oneof![mobile, landline]
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn formatted_and_international_forms_parse_back((digits, kind) in valid_number()) {
        let want = Ok((digits.clone(), kind));
        prop_assert_eq!(parse_phone(&digits), want.clone());
        prop_assert_eq!(parse_phone(&format_phone(&digits)), want.clone());
        prop_assert_eq!(parse_phone(&format!("+66 {}", &digits[1..])), want.clone());
        let thai: String = digits.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0x0E50).unwrap()).collect();
        prop_assert_eq!(parse_phone(&thai), want);
    }
}
