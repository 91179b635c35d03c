//! What a card puts on the form: ID type and number, title (the card's short forms `น.ส.`,
//! `ด.ช.`, `ด.ญ.` as the campaign's titles), first name (with a middle name, if any) and last
//! name, birth date, sex, and the address, whose tambon, amphoe and province are looked up in
//! the national tambon list for the postcode. An address the list does not know is filled as
//! read, without a postcode, and the form's usual warning follows.

use super::CardData;
use crate::core::form::FieldKey;
use crate::core::form::address;

/// The form's values from one card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// Each field the card fills and its value, as the form takes it.
    pub values: Vec<(FieldKey, String)>,
    /// The tambon, amphoe and province are one row of the national list (the postcode is its).
    pub address_known: bool,
}

/// The campaign's word for a title the card abbreviates.
#[must_use]
pub fn title(card_title: &str) -> &str {
    match card_title.trim() {
        "น.ส." | "นส." => "นางสาว",
        "ด.ช." => "เด็กชาย",
        "ด.ญ." => "เด็กหญิง",
        t => t,
    }
}

/// The form's fields that a card field named `what` (as [`CardData::unreadable`] names it)
/// fills: what is left empty when the card's field makes no sense.
#[must_use]
pub fn form_fields(what: &str) -> &'static [FieldKey] {
    match what {
        "Thai name" => &[FieldKey::Title, FieldKey::FirstName, FieldKey::LastName],
        "birth date" => &[FieldKey::BirthDate],
        "sex" => &[FieldKey::Sex],
        "address" => &[
            FieldKey::HouseNo,
            FieldKey::Moo,
            FieldKey::Soi,
            FieldKey::Road,
            FieldKey::Tambon,
            FieldKey::Amphoe,
            FieldKey::Province,
            FieldKey::Postcode,
        ],
        _ => &[],
    }
}

/// The values `card` fills.
#[must_use]
pub fn form_values(card: &CardData) -> Filled {
    let n = &card.name_th;
    let first = if n.middle.is_empty() {
        n.first.clone()
    } else {
        format!("{} {}", n.first, n.middle)
    };
    let a = &card.address;
    let soi = match (a.trok.is_empty(), a.soi.is_empty()) {
        (true, _) => a.soi.clone(),
        (false, true) => format!("ตรอก{}", a.trok),
        (false, false) => format!("ตรอก{} ซอย{}", a.trok, a.soi),
    };
    let known = address::index().find(&a.province, &a.amphoe, &a.tambon);
    let mut values = vec![
        (FieldKey::IdType, "thai_id".to_owned()),
        (FieldKey::IdNumber, card.citizen_id.clone()),
        (FieldKey::Title, title(&n.title).to_owned()),
        (FieldKey::FirstName, first),
        (FieldKey::LastName, n.last.clone()),
        (
            FieldKey::BirthDate,
            card.birth_date.map(|d| d.format()).unwrap_or_default(),
        ),
        (
            FieldKey::Sex,
            card.sex.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        ),
        (FieldKey::HouseNo, a.house_no.clone()),
        (FieldKey::Moo, a.moo.clone()),
        (FieldKey::Soi, soi),
        (FieldKey::Road, a.road.clone()),
        (FieldKey::Tambon, a.tambon.clone()),
        (FieldKey::Amphoe, a.amphoe.clone()),
        (FieldKey::Province, a.province.clone()),
    ];
    values.push((
        FieldKey::Postcode,
        known.map(|e| e.postcode.to_owned()).unwrap_or_default(),
    ));
    Filled {
        values,
        address_known: known.is_some(),
    }
}
