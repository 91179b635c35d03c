//! The Thai ID applet's reading, without a reader: `card::read_card` against the emulated cards
//! of `card_emu` in process. Both generations' GET RESPONSE forms, a long name and address, an
//! expired card, a lifelong one, cards that answer an error or garbage, one pulled out midway,
//! one that is not a Thai ID card; and what each fills on the form, with the postcode from the
//! national tambon list. Runs everywhere (no pcscd needed); `card_stack` runs the same cards
//! through the real PC/SC stack.

use ruamjai::core::form::{FieldKey, Sex};
use ruamjai::core::thai::date::ThaiDate;
use ruamjai::kiosk::card::{CardError, Expiry, Generation, fill, read_card};

use crate::card_emu::{Direct, Person, Quirk, VirtualCard};

fn read(card: VirtualCard) -> Result<ruamjai::kiosk::card::CardData, CardError> {
    let atr = card.atr.clone();
    read_card(&mut Direct(card), &atr)
}

fn value(card: &ruamjai::kiosk::card::CardData, key: FieldKey) -> String {
    fill::form_values(card)
        .values
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

#[test]
fn a_current_card_is_read_whole() {
    let c = read(VirtualCard::current(&Person::somchai())).unwrap();
    assert_eq!(c.generation, Generation::Current);
    assert_eq!(c.citizen_id, "1112034563562");
    assert_eq!(
        (c.name_th.title.as_str(), c.name_th.first.as_str()),
        ("นาย", "สมชาย")
    );
    assert_eq!(c.name_th.last, "ใจดี");
    assert_eq!(c.name_en.first, "Somchai");
    assert_eq!(c.birth_date.unwrap().format(), "05/07/2490");
    assert_eq!(c.sex, Some(Sex::Male));
    assert_eq!(c.issuer, "อำเภอกระทุ่มแบน/สมุทรสาคร");
    assert_eq!(c.issued.unwrap().format(), "10/01/2565");
    assert_eq!(c.expiry, Expiry::Lifelong);
    assert_eq!(c.address.house_no, "12/3");
    assert_eq!(c.address.moo, "4");
    assert_eq!(c.address.tambon, "คลองมะเดื่อ");
    assert_eq!(c.address.amphoe, "กระทุ่มแบน");
    assert_eq!(c.address.province, "สมุทรสาคร");
    let f = fill::form_values(&c);
    assert!(f.address_known);
    assert_eq!(
        value(&c, FieldKey::Postcode),
        "74110",
        "from the tambon list"
    );
    assert_eq!(value(&c, FieldKey::IdType), "thai_id");
    assert_eq!(value(&c, FieldKey::Sex), "male");
}

#[test]
fn an_older_card_gets_its_own_get_response() {
    let card = VirtualCard::older(&Person::somchai());
    let c = read(card.clone()).unwrap();
    assert_eq!(c.generation, Generation::Older);
    assert_eq!(c.citizen_id, "1112034563562");
    // An older card whose ATR does not say so: the first GET RESPONSE is refused (6A 86), the
    // other form is tried once and kept for the rest of the card.
    let mut disguised = card;
    disguised.atr = crate::card_emu::ATR_CURRENT.to_vec();
    let atr = crate::card_emu::ATR_CURRENT;
    let mut t = Direct(disguised);
    let c = read_card(&mut t, &atr).unwrap();
    assert_eq!(c.name_th.last, "ใจดี");
    // SELECT, then for 9 fields a READ and a GET RESPONSE, plus the one refused.
    assert_eq!(t.0.commands, 1 + 9 * 2 + 1);
}

#[test]
fn a_long_name_and_address_fill_their_fields() {
    let c = read(VirtualCard::current(&Person::long())).unwrap();
    assert_eq!(c.name_th.title, "ว่าที่ร้อยตรีหญิง");
    assert_eq!(c.name_th.middle, "ประภาพรรณ");
    assert_eq!(c.name_th.last, "ณ อยุธยาศรีสุวรรณภูมิพิทักษ์กุล");
    assert_eq!(
        value(&c, FieldKey::FirstName),
        "เจ้าพระยาสุรศักดิ์มนตรีวงศ์ ประภาพรรณ",
        "the middle name goes with the first"
    );
    assert_eq!(value(&c, FieldKey::Title), "ว่าที่ร้อยตรีหญิง");
    assert_eq!(value(&c, FieldKey::Soi), "ตรอกวัด ซอยเพชรเกษม 81");
    assert_eq!(value(&c, FieldKey::Road), "เพชรเกษม");
    assert_eq!(value(&c, FieldKey::Moo), "12");
    assert_eq!(value(&c, FieldKey::Postcode), "74130");
    assert_eq!(
        value(&c, FieldKey::BirthDate),
        "--/--/2512",
        "day and month unknown"
    );
}

#[test]
fn an_expired_card_is_read_and_says_so() {
    let c = read(VirtualCard::current(&Person::expired())).unwrap();
    let today = ThaiDate {
        day: Some(25),
        month: Some(11),
        year_be: 2569,
    };
    assert!(c.expired(today));
    assert_eq!(
        value(&c, FieldKey::Title),
        "นางสาว",
        "น.ส. is the campaign's นางสาว"
    );
    let lifelong = read(VirtualCard::current(&Person::somchai())).unwrap();
    assert!(!lifelong.expired(today));
}

#[test]
fn an_unknown_address_is_filled_as_read_without_a_postcode() {
    let c = read(VirtualCard::current(&Person::unknown_address())).unwrap();
    let f = fill::form_values(&c);
    assert!(!f.address_known);
    assert_eq!(value(&c, FieldKey::Tambon), "ไม่มีจริง");
    assert_eq!(value(&c, FieldKey::Postcode), "");
}

#[test]
fn a_card_with_one_bad_field_gives_every_other_field_and_names_the_bad_one() {
    let c = read(VirtualCard::current(&Person::bad_birth_date())).unwrap();
    assert_eq!(c.birth_date, None);
    assert_eq!(c.unreadable, ["birth date"]);
    assert_eq!(c.citizen_id, "1112034563562");
    assert_eq!(c.name_th.first, "สมชาย");
    assert_eq!(c.sex, Some(Sex::Male));
    assert_eq!(c.address.tambon, "คลองมะเดื่อ");
    assert_eq!(value(&c, FieldKey::BirthDate), "");
    assert_eq!(value(&c, FieldKey::Postcode), "74110");
    let said = ruamjai::kiosk::card::unreadable_said(&c.unreadable, ruamjai::core::thai::Lang::En)
        .unwrap();
    assert!(said.contains("birth date"), "{said}");
    let said = ruamjai::kiosk::card::unreadable_said(&c.unreadable, ruamjai::core::thai::Lang::Th)
        .unwrap();
    assert!(said.contains("วันเกิด"), "{said}");
}

#[test]
fn misbehaving_cards_are_errors_not_data() {
    let p = Person::somchai();
    assert_eq!(
        read(VirtualCard::current(&p).with(Quirk::Error(0x6F00))),
        Err(CardError::Refused {
            what: "citizen ID",
            sw: 0x6F00
        })
    );
    assert_eq!(
        read(VirtualCard::current(&p).with(Quirk::Garbage)),
        Err(CardError::Garbage { what: "citizen ID" })
    );
    assert_eq!(
        read(VirtualCard::current(&p).with(Quirk::NotThaiId)),
        Err(CardError::NotThaiId)
    );
    for at in [1, 2, 7, 19] {
        assert_eq!(
            read(VirtualCard::current(&p).with(Quirk::PulledAt(at))),
            Err(CardError::Removed),
            "pulled at command {at}"
        );
    }
    // Said without the card's contents.
    let said = CardError::Garbage { what: "Thai name" }.to_string();
    assert!(!said.contains("สมชาย"), "{said}");
}

#[test]
fn text_that_is_not_tis620_is_garbage() {
    // Control characters never reach a field or a terminal; bytes TIS-620 leaves out are refused.
    assert_eq!(ruamjai::kiosk::card::decode::tis620(b"\x1b[2J"), None);
    assert_eq!(ruamjai::kiosk::card::decode::tis620(&[0xA1, 0xFF]), None);
    assert_eq!(
        ruamjai::kiosk::card::decode::tis620(&[0xA1, 0xD2, b' ', 0]).as_deref(),
        Some("กา")
    );
}

/// A build without a card reader runs none of `card_stack`: said loudly, a failure under CI.
#[cfg(not(card_reader))]
#[test]
fn the_real_reader_tests_need_a_build_with_the_card_feature() {
    crate::support::missing("the PC/SC tests (card_stack) need `cargo test --features card`");
}
