//! Tests of `thai::kedmanee`: all 94 keys against THAI.md §5, written out here key by key with
//! the Unicode name of what each types.

use std::collections::HashSet;

use super::*;

#[rustfmt::skip]
const THAI_MD_TABLE: [(char, char, &str); 94] = [
    ('`', '_', "LOW LINE"),
    ('1', '\u{0E45}', "LAKKHANGYAO"),
    ('2', '/', "SOLIDUS"),
    ('3', '-', "HYPHEN-MINUS"),
    ('4', '\u{0E20}', "PHO SAMPHAO"),
    ('5', '\u{0E16}', "THO THUNG"),
    ('6', '\u{0E38}', "SARA U"),
    ('7', '\u{0E36}', "SARA UE"),
    ('8', '\u{0E04}', "KHO KHWAI"),
    ('9', '\u{0E15}', "TO TAO"),
    ('0', '\u{0E08}', "CHO CHAN"),
    ('-', '\u{0E02}', "KHO KHAI"),
    ('=', '\u{0E0A}', "CHO CHANG"),
    ('q', '\u{0E46}', "MAIYAMOK"),
    ('w', '\u{0E44}', "SARA AI MAIMALAI"),
    ('e', '\u{0E33}', "SARA AM"),
    ('r', '\u{0E1E}', "PHO PHAN"),
    ('t', '\u{0E30}', "SARA A"),
    ('y', '\u{0E31}', "MAI HAN-AKAT"),
    ('u', '\u{0E35}', "SARA II"),
    ('i', '\u{0E23}', "RO RUA"),
    ('o', '\u{0E19}', "NO NU"),
    ('p', '\u{0E22}', "YO YAK"),
    ('[', '\u{0E1A}', "BO BAIMAI"),
    (']', '\u{0E25}', "LO LING"),
    ('\\', '\u{0E03}', "KHO KHUAT"),
    ('a', '\u{0E1F}', "FO FAN"),
    ('s', '\u{0E2B}', "HO HIP"),
    ('d', '\u{0E01}', "KO KAI"),
    ('f', '\u{0E14}', "DO DEK"),
    ('g', '\u{0E40}', "SARA E"),
    ('h', '\u{0E49}', "MAI THO"),
    ('j', '\u{0E48}', "MAI EK"),
    ('k', '\u{0E32}', "SARA AA"),
    ('l', '\u{0E2A}', "SO SUA"),
    (';', '\u{0E27}', "WO WAEN"),
    ('\'', '\u{0E07}', "NGO NGU"),
    ('z', '\u{0E1C}', "PHO PHUNG"),
    ('x', '\u{0E1B}', "PO PLA"),
    ('c', '\u{0E41}', "SARA AE"),
    ('v', '\u{0E2D}', "O ANG"),
    ('b', '\u{0E34}', "SARA I"),
    ('n', '\u{0E37}', "SARA UEE"),
    ('m', '\u{0E17}', "THO THAHAN"),
    (',', '\u{0E21}', "MO MA"),
    ('.', '\u{0E43}', "SARA AI MAIMUAN"),
    ('/', '\u{0E1D}', "FO FA"),
    ('~', '%', "PERCENT SIGN"),
    ('!', '+', "PLUS SIGN"),
    ('@', '\u{0E51}', "DIGIT ONE"),
    ('#', '\u{0E52}', "DIGIT TWO"),
    ('$', '\u{0E53}', "DIGIT THREE"),
    ('%', '\u{0E54}', "DIGIT FOUR"),
    ('^', '\u{0E39}', "SARA UU"),
    ('&', '\u{0E3F}', "CURRENCY SYMBOL BAHT"),
    ('*', '\u{0E55}', "DIGIT FIVE"),
    ('(', '\u{0E56}', "DIGIT SIX"),
    (')', '\u{0E57}', "DIGIT SEVEN"),
    ('_', '\u{0E58}', "DIGIT EIGHT"),
    ('+', '\u{0E59}', "DIGIT NINE"),
    ('Q', '\u{0E50}', "DIGIT ZERO"),
    ('W', '"', "QUOTATION MARK"),
    ('E', '\u{0E0E}', "DO CHADA"),
    ('R', '\u{0E11}', "THO NANGMONTHO"),
    ('T', '\u{0E18}', "THO THONG"),
    ('Y', '\u{0E4D}', "NIKHAHIT"),
    ('U', '\u{0E4A}', "MAI TRI"),
    ('I', '\u{0E13}', "NO NEN"),
    ('O', '\u{0E2F}', "PAIYANNOI"),
    ('P', '\u{0E0D}', "YO YING"),
    ('{', '\u{0E10}', "THO THAN"),
    ('}', ',', "COMMA"),
    ('|', '\u{0E05}', "KHO KHON"),
    ('A', '\u{0E24}', "RU"),
    ('S', '\u{0E06}', "KHO RAKHANG"),
    ('D', '\u{0E0F}', "TO PATAK"),
    ('F', '\u{0E42}', "SARA O"),
    ('G', '\u{0E0C}', "CHO CHOE"),
    ('H', '\u{0E47}', "MAITAIKHU"),
    ('J', '\u{0E4B}', "MAI CHATTAWA"),
    ('K', '\u{0E29}', "SO RUSI"),
    ('L', '\u{0E28}', "SO SALA"),
    (':', '\u{0E0B}', "SO SO"),
    ('"', '.', "FULL STOP"),
    ('Z', '(', "LEFT PARENTHESIS"),
    ('X', ')', "RIGHT PARENTHESIS"),
    ('C', '\u{0E09}', "CHO CHING"),
    ('V', '\u{0E2E}', "HO NOKHUK"),
    ('B', '\u{0E3A}', "PHINTHU"),
    ('N', '\u{0E4C}', "THANTHAKHAT"),
    ('M', '?', "QUESTION MARK"),
    ('<', '\u{0E12}', "THO PHUTHAO"),
    ('>', '\u{0E2C}', "LO CHULA"),
    ('?', '\u{0E26}', "LU"),
];

#[test]
fn all_94_keys_match_thai_md() {
    assert_eq!(US_KEYS.chars().count(), 94);
    assert_eq!(KEDMANEE.chars().count(), 94);
    for (key, thai, name) in THAI_MD_TABLE {
        assert_eq!(to_thai(key), Some(thai), "key {key:?} should type {name}");
    }
    let keys: HashSet<char> = THAI_MD_TABLE.iter().map(|&(k, _, _)| k).collect();
    assert_eq!(keys, ('!'..='~').collect::<HashSet<char>>());
}

#[test]
fn mapping_is_injective() {
    // THAI.md's table has no two keys typing the same character.
    let outputs: HashSet<char> = ('!'..='~').filter_map(to_thai).collect();
    assert_eq!(outputs.len(), 94);
}

#[test]
fn the_easily_confused_keys() {
    assert_eq!(to_thai('`'), Some('_'));
    assert_eq!(to_thai('"'), Some('.'));
    assert_eq!(to_thai('W'), Some('"'));
    assert_eq!(to_thai('}'), Some(','));
    assert_eq!(to_thai('M'), Some('?'));
    assert_eq!(to_thai('Q'), Some('๐'));
}

#[test]
fn outside_the_printable_range() {
    for c in [' ', '\n', '\u{7F}', 'é', 'ก'] {
        assert_eq!(to_thai(c), None, "{c:?}");
    }
}

#[test]
fn words_typed_on_a_us_keyboard() {
    assert_eq!(map_str("l;ylfu"), "สวัสดี");
    assert_eq!(map_str("c,johe"), "แม่น้ำ");
    assert_eq!(map_str("lbmTbN"), "สิทธิ์");
    assert_eq!(map_str("ok ab"), "นา ฟิ");
}

#[test]
fn keys_of_undoes_the_layout_for_every_key() {
    for key in US_KEYS.chars() {
        let thai = to_thai(key).unwrap();
        assert_eq!(to_key(thai), Some(key), "{key} types {thai}");
    }
    assert_eq!(keys_of("จจจภ"), "0004");
    assert_eq!(keys_of("ๅ/ฝ-"), "12/3");
    assert_eq!(keys_of(&map_str("sk01 0004")), "sk01 0004");
    assert_eq!(keys_of("a b"), "a b", "what Kedmanee does not type stays");
}
