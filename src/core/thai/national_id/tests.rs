//! Tests of `thai::national_id`: THAI.md §6 by table, and the checksum by property.

use proptest::prelude::*;

use super::*;

/// The check digit as THAI.md §6 states it, written independently of the code under test.
fn thai_md_check_digit(d: &[u8]) -> u8 {
    let s: u32 = (0..12).map(|i| u32::from(d[i]) * (13 - i as u32)).sum();
    ((11 - s % 11) % 10) as u8
}

#[test]
fn valid_numbers_from_thai_md() {
    for id in ["1112034563562", "1234567890121"] {
        assert_eq!(parse_id(id, IdType::ThaiId).as_deref(), Ok(id));
    }
    assert_eq!(check_digit(&[1, 1, 1, 2, 0, 3, 4, 5, 6, 3, 5, 6]), 2);
    assert_eq!(check_digit(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]), 1);
    assert_eq!(format_id("1112034563562"), "1-1120-34563-56-2");
}

#[test]
fn typed_forms_are_accepted() {
    let want = Ok("1112034563562".to_owned());
    assert_eq!(parse_id("1-1120-34563-56-2", IdType::ThaiId), want);
    assert_eq!(parse_id(" 1 1120 34563 56 2 ", IdType::ThaiId), want);
    assert_eq!(parse_id("๑๑๑๒๐๓๔๕๖๓๕๖๒", IdType::ThaiId), want);
    assert_eq!(parse_id("1–1120–34563–56–2", IdType::ThaiId), want);
}

#[test]
fn errors() {
    use IdError::*;
    assert_eq!(parse_id("", IdType::ThaiId), Err(Empty));
    assert_eq!(parse_id(" - ", IdType::NonThaiId), Err(Empty));
    assert_eq!(
        parse_id("111203456356", IdType::ThaiId),
        Err(WrongLength { got: 12 })
    );
    assert_eq!(
        parse_id("11120345635621", IdType::ThaiId),
        Err(WrongLength { got: 14 })
    );
    assert_eq!(parse_id("11120345635a2", IdType::ThaiId), Err(NotDigits));
    assert_eq!(parse_id("1112034563561", IdType::ThaiId), Err(BadChecksum));
    assert_eq!(parse_id("", IdType::Passport), Err(Empty));
}

/// A valid number with the given first 12 digits.
fn with_check(first12: &str) -> String {
    let d: Vec<u8> = first12.bytes().map(|b| b - b'0').collect();
    format!("{first12}{}", thai_md_check_digit(&d))
}

#[test]
fn first_digit_rules() {
    for first in 0..=9u8 {
        let id = with_check(&format!("{first}12345678901"));
        let thai_ok = (1..=8).contains(&first);
        let non_thai_ok = matches!(first, 0 | 6 | 7 | 8);
        for (id_type, ok) in [(IdType::ThaiId, thai_ok), (IdType::NonThaiId, non_thai_ok)] {
            let got = parse_id(&id, id_type);
            if ok {
                assert_eq!(got.as_deref(), Ok(id.as_str()), "{id} as {id_type:?}");
            } else {
                assert_eq!(
                    got,
                    Err(IdError::WrongFirstDigit { first, id_type }),
                    "{id}"
                );
            }
        }
    }
}

#[test]
fn passports() {
    assert_eq!(
        parse_id("aa 123-4567", IdType::Passport).as_deref(),
        Ok("AA1234567")
    );
    assert_eq!(
        parse_id("AB12345", IdType::Passport).as_deref(),
        Ok("AB12345")
    );
    assert_eq!(
        parse_id("A1234", IdType::Passport),
        Err(IdError::BadPassport)
    );
    assert_eq!(
        parse_id("A".repeat(21).as_str(), IdType::Passport),
        Err(IdError::BadPassport)
    );
    assert_eq!(
        parse_id("AB12345É", IdType::Passport),
        Err(IdError::BadPassport)
    );
    assert_eq!(
        parse_id("AB/12345", IdType::Passport),
        Err(IdError::BadPassport)
    );
}

#[test]
fn formatting_as_typed() {
    let cases = [
        ("", ""),
        ("1", "1"),
        ("11", "1-1"),
        ("11120", "1-1120"),
        ("111203", "1-1120-3"),
        ("1112034563", "1-1120-34563"),
        ("111203456356", "1-1120-34563-56"),
        ("1-1120-345", "1-1120-345"),
        ("๑๑๑๒๐", "1-1120"),
        ("AA1234567", "AA1234567"),
        ("11120345635621", "11120345635621"),
    ];
    for (input, want) in cases {
        assert_eq!(format_id(input), want, "{input:?}");
    }
}

/// Two blind spots of the formula (it is the official one; the tests must not pretend otherwise):
/// the third digit has weight 11 ≡ 0 (mod 11), so changing it is never caught; and residues 0
/// and 10 both give check digit 1, so 1100000000041 and 1100000000091 (differing in the 12th
/// digit) both pass.
#[test]
fn the_checksum_does_not_catch_every_single_digit_change() {
    for third in 0..=9 {
        let id = format!("11{third}2034563562");
        assert!(parse_id(&id, IdType::ThaiId).is_ok(), "{id}");
    }
    assert!(parse_id("1100000000041", IdType::ThaiId).is_ok());
    assert!(parse_id("1100000000091", IdType::ThaiId).is_ok());
}

#[test]
fn messages_in_both_languages() {
    let errors = [
        IdError::Empty,
        IdError::WrongLength { got: 12 },
        IdError::NotDigits,
        IdError::BadChecksum,
        IdError::WrongFirstDigit {
            first: 9,
            id_type: IdType::ThaiId,
        },
        IdError::WrongFirstDigit {
            first: 0,
            id_type: IdType::ThaiId,
        },
        IdError::WrongFirstDigit {
            first: 3,
            id_type: IdType::NonThaiId,
        },
        IdError::BadPassport,
    ];
    let mut seen = std::collections::HashSet::new();
    for e in errors {
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
    assert!(IdError::WrongLength { got: 12 }.to_string().contains("12"));
    assert_eq!(IdType::Passport.say(Lang::Th), "หนังสือเดินทาง");
}

#[test]
fn id_type_serde_names() {
    assert_eq!(
        serde_json::to_string(&IdType::NonThaiId).unwrap(),
        "\"non_thai_id\""
    );
    let back: IdType = serde_json::from_str("\"thai_id\"").unwrap();
    assert_eq!(back, IdType::ThaiId);
}

fn valid_id() -> impl Strategy<Value = (IdType, [u8; 13])> {
    let thai = (1u8..=8).prop_map(|f| (IdType::ThaiId, f));
    let non_thai =
        proptest::sample::select(vec![0u8, 6, 7, 8]).prop_map(|f| (IdType::NonThaiId, f));
    (
        prop_oneof![thai, non_thai],
        proptest::array::uniform11(0u8..=9),
    )
        .prop_map(|((t, f), rest)| {
            let mut d = [0u8; 13];
            d[0] = f;
            d[1..12].copy_from_slice(&rest);
            d[12] = thai_md_check_digit(&d);
            (t, d)
        })
}

fn to_text(d: &[u8]) -> String {
    d.iter().map(|&x| char::from(b'0' + x)).collect()
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn generated_ids_parse_and_format((id_type, d) in valid_id()) {
        let id = to_text(&d);
        prop_assert_eq!(parse_id(&id, id_type), Ok(id.clone()));
        prop_assert_eq!(parse_id(&format_id(&id), id_type), Ok(id.clone()));
        prop_assert_eq!(format_id(&id).len(), 17);
    }

    /// Changing one digit breaks the checksum, except in the two cases the formula cannot see:
    /// the third digit (weight 11), and check digit 1 with the sum moved between residues 0 and
    /// 10 mod 11.
    #[test]
    fn single_digit_changes((id_type, d) in valid_id(), pos in 0usize..13, delta in 1u8..=9) {
        let mut changed = d;
        changed[pos] = (d[pos] + delta) % 10;
        let still_sums = thai_md_check_digit(&changed) == changed[12];
        let first_ok = match id_type {
            IdType::ThaiId => (1..=8).contains(&changed[0]),
            _ => matches!(changed[0], 0 | 6 | 7 | 8),
        };
        let result = parse_id(&to_text(&changed), id_type);
        prop_assert_eq!(result.is_ok(), still_sums && first_ok);
        if still_sums {
            let blind_spot = pos == 2 || (pos < 12 && d[12] == 1);
            prop_assert!(blind_spot, "undetected change at {pos} of {d:?}");
        } else if first_ok {
            prop_assert_eq!(result, Err(IdError::BadChecksum));
        }
    }
}
