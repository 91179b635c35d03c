//! Tests of `thai::input_check`: every rule of THAI.md §3, rejects and accepts, by mode.

use super::*;
use crate::core::thai::chars::is_thai_consonant;
use crate::core::thai::fixtures;

use CheckMode::{Basic, Off, Strict};
use Rejection::*;

/// Types `s` one character at a time; the index and reason of the first rejection.
fn type_all(s: &str, mode: CheckMode) -> Result<(), (usize, Rejection)> {
    let mut prev = None;
    for (i, c) in s.chars().enumerate() {
        check(prev, c, mode).map_err(|r| (i, r))?;
        prev = Some(c);
    }
    Ok(())
}

#[test]
fn basic_rejects() {
    let cases: &[(Option<char>, char, Rejection)] = &[
        (Some('่'), '่', ToneAfterTone), // ก่่
        (Some('้'), '๋', ToneAfterTone),
        (Some('์'), '่', ToneAfterTone),
        (Some('ำ'), '่', ToneAfterSaraAm), // tone after SARA AM
        (Some('ำ'), '์', ToneAfterSaraAm),
        (Some('า'), '่', ToneAfterVowel),
        (Some('่'), 'ี', VowelAfterTone), // ท ่ ี
        (Some('้'), 'ุ', VowelAfterTone),
        (None, '่', NoBase), // at the start
        (None, 'ิ', NoBase),
        (None, 'ุ', NoBase),
        (None, '์', NoBase),
        (Some(' '), '้', NoBase), // after a space
        (Some(' '), 'ี', NoBase),
        (Some('a'), '่', NoBase),
        (Some('5'), 'ุ', NoBase),
        (Some('เ'), '่', NoBase),
        (Some('า'), 'ิ', NoBase),
        (Some('ฤ'), '่', NoBase),
        (Some('ิ'), 'ี', VowelAfterVowel), // another vowel of its kind
        (Some('ั'), 'ั', VowelAfterVowel), // หลัักคำ
        (Some('ู'), 'ู', VowelAfterVowel), // อยูู่
        (Some('ุ'), 'ิ', VowelAfterVowel),
        (Some('ั'), '์', MarkAfterMark),
        (None, '\u{0301}', NoBase),
        (Some(' '), '\u{0301}', NoBase),
    ];
    for &(prev, c, want) in cases {
        assert_eq!(
            check(prev, c, Basic),
            Err(want),
            "{prev:?} then {c:?} (basic)"
        );
        assert_eq!(
            check(prev, c, Strict),
            Err(want),
            "{prev:?} then {c:?} (strict)"
        );
        assert_eq!(check(prev, c, Off), Ok(()), "{prev:?} then {c:?} (off)");
    }
}

#[test]
fn basic_accepts() {
    let cases: &[(Option<char>, char)] = &[
        (Some('ก'), '่'), // tone on a consonant
        (Some('ก'), '๋'),
        (Some('ก'), '์'), // THANTHAKHAT on a consonant
        (Some('ก'), 'ี'), // upper vowel on a consonant
        (Some('ก'), 'ุ'),
        (Some('ก'), 'ำ'),
        (Some('ี'), '่'), // a tone after ี ั ุ
        (Some('ั'), '้'),
        (Some('ุ'), '่'),
        (Some('ิ'), '์'),  // สิทธิ์
        (Some('ุ'), '์'),  // จักรพันธุ์
        (Some('่'), 'ำ'), // น้ำ
        (Some('่'), 'า'),
        (None, 'ก'),
        (None, 'เ'),
        (Some(' '), 'ก'),
        (Some('e'), '\u{0301}'),
    ];
    for &(prev, c) in cases {
        assert_eq!(check(prev, c, Basic), Ok(()), "{prev:?} then {c:?}");
    }
}

#[test]
fn typed_words() {
    for word in [
        "สิทธิ์",
        "ที่",
        "น้ำ",
        "แม่น้ำ",
        "จักรพันธุ์",
        "ฤๅษี",
        "ก็",
        "ณ อยุธยา",
        "ok ที่",
    ] {
        assert_eq!(type_all(word, Basic), Ok(()), "{word}");
        assert_eq!(type_all(word, Strict), Ok(()), "{word}");
    }
    assert_eq!(type_all("ท่ี", Basic), Err((2, VowelAfterTone)));
    assert_eq!(type_all("ก่่", Basic), Err((2, ToneAfterTone)));
    assert_eq!(type_all("กำ่", Basic), Err((2, ToneAfterSaraAm)));
    assert_eq!(type_all("หลัักคำ", Basic), Err((3, VowelAfterVowel)));
    assert_eq!(type_all("่ก", Basic), Err((0, NoBase)));
}

#[test]
fn strict_only_rejects() {
    let cases: &[(Option<char>, char, Rejection)] = &[
        (Some('เ'), 'เ', RepeatedSaraE), // เเ faking แ
        (Some(' '), 'า', VowelAfterSpace),
        (Some(' '), 'ำ', VowelAfterSpace),
        (Some('ํ'), 'า', NikhahitSaraAa),
        (Some('ก'), 'ๅ', MisplacedLakkhangyao),
        (Some('เ'), ' ', NoConsonantAfterLeadingVowel),
        (Some('แ'), 'า', NoConsonantAfterLeadingVowel),
        (Some('ิ'), 'า', UnusualSequence),
    ];
    for &(prev, c, want) in cases {
        assert_eq!(check(prev, c, Basic), Ok(()), "{prev:?} then {c:?} (basic)");
        assert_eq!(
            check(prev, c, Strict),
            Err(want),
            "{prev:?} then {c:?} (strict)"
        );
    }
    assert_eq!(type_all("หาเเก้ว", Strict), Err((3, RepeatedSaraE)));
    assert_eq!(type_all("หาเเก้ว", Basic), Ok(()));
    assert_eq!(check(Some('ฤ'), 'ๅ', Strict), Ok(()));
}

#[test]
fn controls_rejected_in_every_mode() {
    for c in [
        '\0', '\n', '\t', '\x1b', '\x7f', '\u{85}', '\u{9b}', '\u{202E}', '\u{2066}',
    ] {
        for mode in [Basic, Strict, Off] {
            assert_eq!(
                check(Some('ก'), c, mode),
                Err(ControlChar),
                "{c:?} {mode:?}"
            );
        }
    }
    assert_eq!(check(None, '่', Off), Ok(()));
    assert_eq!(check(Some('่'), '่', Off), Ok(()));
    assert_eq!(CheckMode::default(), Basic);
}

#[test]
fn strict_is_stricter_and_consonants_always_fit() {
    let mut prevs: Vec<Option<char>> = vec![None, Some(' '), Some('a')];
    prevs.extend(('\u{0E01}'..='\u{0E5B}').map(Some));
    for prev in prevs {
        for c in '\u{0E01}'..='\u{0E5B}' {
            if check(prev, c, Basic).is_err() {
                assert!(check(prev, c, Strict).is_err(), "{prev:?} {c:?}");
            }
            if is_thai_consonant(c) && c != 'ฤ' && c != 'ฦ' {
                assert_eq!(check(prev, c, Strict), Ok(()), "{prev:?} {c:?}");
            }
        }
    }
}

#[test]
fn every_clean_fixture_name_can_be_typed_in_order() {
    let mut count = 0;
    for name in fixtures::names() {
        if fixtures::is_typo(name) {
            continue;
        }
        assert_eq!(type_all(name, Basic), Ok(()), "{name}");
        count += 1;
    }
    assert_eq!(count, 2997);
    // The typos are exactly what the check is for.
    let typos = fixtures::TYPOS.map(|(typo, _)| type_all(typo, Basic));
    assert_eq!(
        typos,
        [
            Err((3, VowelAfterVowel)),
            Err((6, VowelAfterTone)),
            Err((12, VowelAfterTone))
        ]
    );
    for (_, fixed) in fixtures::TYPOS {
        assert_eq!(type_all(fixed, Basic), Ok(()), "{fixed}");
    }
}

#[test]
fn hints_in_both_languages() {
    let all = [
        ControlChar,
        NoBase,
        ToneAfterTone,
        ToneAfterSaraAm,
        ToneAfterVowel,
        VowelAfterTone,
        VowelAfterVowel,
        MarkAfterMark,
        RepeatedSaraE,
        NoConsonantAfterLeadingVowel,
        VowelAfterSpace,
        NikhahitSaraAa,
        MisplacedLakkhangyao,
        UnusualSequence,
    ];
    let mut seen = std::collections::HashSet::new();
    for r in all {
        let (th, en) = (r.say(Lang::Th), r.say(Lang::En));
        assert_eq!(en, r.to_string());
        assert!(
            th.chars().any(|c| ('\u{0E01}'..='\u{0E2E}').contains(&c)),
            "{r:?}"
        );
        assert!(
            en.is_ascii() || en.contains(|c: char| c.is_ascii_alphabetic()),
            "{r:?}"
        );
        assert!(
            seen.insert(th) && seen.insert(en),
            "{r:?} repeats a message"
        );
    }
    assert_eq!(VowelAfterTone.say(Lang::Th), "พิมพ์สระก่อนวรรณยุกต์");
    assert_eq!(
        VowelAfterTone.say(Lang::En),
        "Type the vowel before the tone mark"
    );
}

#[test]
fn sara_am_after_an_upper_or_lower_vowel_is_refused_in_every_checking_mode() {
    for mode in [Basic, Strict] {
        assert_eq!(type_all("ทิำ", mode), Err((2, VowelAfterVowel)));
        assert_eq!(type_all("กุำ", mode), Err((2, VowelAfterVowel)));
    }
    assert_eq!(
        type_all("น้ำ", Basic),
        Ok(()),
        "a tone before SARA AM is fine"
    );
    assert_eq!(type_all("ทิำ", Off), Ok(()));
}

#[test]
fn first_fault_finds_what_typing_refuses_and_unfinished_words() {
    assert_eq!(first_fault("แ"), Some(NoConsonantAfterLeadingVowel));
    assert_eq!(first_fault("วัด แ"), Some(NoConsonantAfterLeadingVowel));
    assert_eq!(first_fault("แ 1"), Some(NoConsonantAfterLeadingVowel));
    assert_eq!(first_fault("ทิำ"), Some(VowelAfterVowel));
    assert_eq!(first_fault("ก่่"), Some(ToneAfterTone));
    for ok in ["แก้ว", "วัด / สำนัก", "12/3", "เกาะ", "ณ อยุธยา", ""]
    {
        assert_eq!(first_fault(ok), None, "{ok}");
    }
}
