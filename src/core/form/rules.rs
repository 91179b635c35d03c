//! The one definition of each field's fixed choices and length, read by the validator (and so by
//! the import and the hub) and by the kiosk's form widgets.

use super::FieldKey;

/// One fixed choice: the value stored and validated, and its words on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub th: &'static str,
    pub en: &'static str,
}

const fn choice(value: &'static str, th: &'static str, en: &'static str) -> Choice {
    Choice { value, th, en }
}

/// The ID documents, Thai ID card first (the form's default).
pub const ID_TYPES: [Choice; 3] = [
    choice("thai_id", "บัตรประชาชน", "Thai ID card"),
    choice("non_thai_id", "บัตรไม่ใช่สัญชาติไทย", "Non-Thai ID card"),
    choice("passport", "หนังสือเดินทาง", "Passport"),
];

pub const SEXES: [Choice; 2] = [
    choice("male", "ชาย", "Male"),
    choice("female", "หญิง", "Female"),
];

pub const CONSENT: [Choice; 2] = [
    choice("yes", "ยินยอม", "Yes, consents"),
    choice("no", "ไม่ยินยอม", "No"),
];

/// Longest accepted names and short fields, in characters.
pub const MAX_NAME: usize = 100;
/// Longest accepted note or group detail, in characters.
pub const MAX_NOTE: usize = 500;
/// Longest accepted title (one of the campaign's, or typed in the form's "other" box).
pub const MAX_TITLE: usize = 40;

/// The most characters a free-text field takes (the form stops there, the validator refuses more).
#[must_use]
pub fn max_chars(key: FieldKey) -> usize {
    match key {
        FieldKey::GroupDetail | FieldKey::Note => MAX_NOTE,
        FieldKey::Title => MAX_TITLE,
        FieldKey::HouseNo => 40,
        FieldKey::Moo => 2,
        FieldKey::Postcode => 5,
        _ => MAX_NAME,
    }
}

/// The values of `choices`, as a problem lists them: `male, female`.
#[must_use]
pub fn listed(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| c.value)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The value of the choice among `choices` that `s` names by its value or its words, in any case.
#[must_use]
pub fn chosen(choices: &[Choice], s: &str) -> Option<&'static str> {
    let s = s.trim().to_lowercase();
    choices
        .iter()
        .find(|c| s == c.value || s == c.th || s == c.en.to_lowercase())
        .map(|c| c.value)
}
