//! The registration form as data: the campaign definition (from `assets/campaigns/`), the fixed set
//! of field keys, what a clerk typed ([`FormInput`]), and the one validated, normalised
//! [`Registration`] that the queue stores and the hub accepts.
//!
//! The kiosk's form, the CSV import and the hub all go through [`validate`], so a record the kiosk
//! accepts is one the hub accepts, and the hub can say why when it is not.
//!
//! - `campaign`: loading and checking campaign files.
//! - `validate`: field rules, campaign rules, errors and warnings.
//! - `address`: the national tambon list and the address type-ahead.
//! - `titles`: the sex a title implies.
//! - `rules`: each field's fixed choices and length, for the validator and the form alike.
//! - `preview`: a campaign's form as text (`hub campaign check`).
//! - `question`: a campaign's own questions (keys, types, how an answer is normalised).
//! - `reserved`: the names a question may not take (the exports' columns).

pub mod address;
mod answers;
pub mod campaign;
pub mod names;
pub mod preview;
mod problem;
pub mod question;
pub mod reserved;
pub mod rules;
mod spec;
pub mod titles;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use campaign::{Campaign, CampaignError, FieldSpec, Group};
pub use question::{QuestionKey, QuestionType};
pub use validate::{Context, FieldError, Problem, Validated, Warning, validate};

use crate::core::thai::date::ThaiDate;
use crate::core::thai::national_id::IdType;

/// The fields a campaign can ask for: the 20 built-in ones, with their Thai rules, and the
/// campaign's own questions. The names are the CSV column names and JSON keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldKey {
    IdType,
    IdNumber,
    Title,
    FirstName,
    LastName,
    BirthDate,
    Sex,
    Phone,
    HouseNo,
    Moo,
    Soi,
    Road,
    Tambon,
    Amphoe,
    Province,
    Postcode,
    TargetGroup,
    GroupDetail,
    Consent,
    Note,
    /// A question the campaign file declares.
    Question(QuestionKey),
}

impl FieldKey {
    /// Every built-in field, in the order a campaign file without its own order would have.
    pub const ALL: [FieldKey; 20] = [
        FieldKey::IdType,
        FieldKey::IdNumber,
        FieldKey::Title,
        FieldKey::FirstName,
        FieldKey::LastName,
        FieldKey::BirthDate,
        FieldKey::Sex,
        FieldKey::Phone,
        FieldKey::HouseNo,
        FieldKey::Moo,
        FieldKey::Soi,
        FieldKey::Road,
        FieldKey::Tambon,
        FieldKey::Amphoe,
        FieldKey::Province,
        FieldKey::Postcode,
        FieldKey::TargetGroup,
        FieldKey::GroupDetail,
        FieldKey::Consent,
        FieldKey::Note,
    ];

    /// The CSV column / JSON key.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKey::IdType => "id_type",
            FieldKey::IdNumber => "id_number",
            FieldKey::Title => "title",
            FieldKey::FirstName => "first_name",
            FieldKey::LastName => "last_name",
            FieldKey::BirthDate => "birth_date",
            FieldKey::Sex => "sex",
            FieldKey::Phone => "phone",
            FieldKey::HouseNo => "house_no",
            FieldKey::Moo => "moo",
            FieldKey::Soi => "soi",
            FieldKey::Road => "road",
            FieldKey::Tambon => "tambon",
            FieldKey::Amphoe => "amphoe",
            FieldKey::Province => "province",
            FieldKey::Postcode => "postcode",
            FieldKey::TargetGroup => "target_group",
            FieldKey::GroupDetail => "group_detail",
            FieldKey::Consent => "consent",
            FieldKey::Note => "note",
            FieldKey::Question(q) => q.as_str(),
        }
    }

    /// Parses a built-in field's CSV column / JSON key.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A built-in field's key, or else a question's when `s` is a valid question key. A new
    /// question name is interned for good: call it on names from a campaign file, not on keys a
    /// record or a peer sends (find those among the campaign's fields by name, [`Campaign::key`]).
    #[must_use]
    pub fn named(s: &str) -> Option<Self> {
        Self::parse(s).or_else(|| QuestionKey::new(s).map(FieldKey::Question))
    }

    /// The question's key, when this is a campaign's question.
    #[must_use]
    pub fn question(self) -> Option<QuestionKey> {
        match self {
            FieldKey::Question(q) => Some(q),
            _ => None,
        }
    }
}

impl Serialize for FieldKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FieldKey::named(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{s:?} is not a field key: a built-in one, or a question's made of a-z, 0-9 and _ starting with a letter (at most {} characters)",
                question::MAX_KEY
            ))
        })
    }
}

/// Sex as recorded on the ID card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The form's and the CSV's word for it (as serialised).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A Thai address, normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub house_no: String,
    pub moo: String,
    pub soi: String,
    pub road: String,
    pub tambon: String,
    pub amphoe: String,
    pub province: String,
    pub postcode: String,
}

/// One validated, normalised registration: what the queue stores and the hub receives. A field
/// this build does not know (a newer kiosk's) is kept in [`Registration::extra`], never refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub campaign_id: String,
    pub id_type: IdType,
    /// 13 ASCII digits for Thai and non-Thai IDs; upper-case letters and digits for a passport.
    pub id_number: String,
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<ThaiDate>,
    pub sex: Option<Sex>,
    /// Digits only, or empty.
    pub phone: String,
    pub address: Address,
    pub target_group: u8,
    pub group_detail: String,
    pub consent: bool,
    pub note: String,
    /// The version of the campaign's form the record was made with (1 when the file sets none;
    /// left out of the JSON then, so a record of the first form reads as it always did).
    #[serde(default = "first_version", skip_serializing_if = "is_first_version")]
    pub form_version: u32,
    /// The answers to the campaign's own questions, by key, normalised (see
    /// [`question::normalise_answer`]); left out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, String>,
    /// Top-level fields a newer build sent that this one does not know, as sent: kept (bounded,
    /// [`question::kept_extra`]) so a record is neither refused nor cut for them.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The version of a form that does not say.
#[must_use]
pub fn first_version() -> u32 {
    1
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_first_version(v: &u32) -> bool {
    *v == 1
}

impl Registration {
    /// The key the duplicate check compares: ID type family and number.
    #[must_use]
    pub fn person_key(&self) -> String {
        person_key(self.id_type, &self.id_number)
    }

    /// Text the queue screen searches: names, ID, phone, normalised.
    #[must_use]
    pub fn search_text(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.first_name, self.last_name, self.id_number, self.phone, self.title
        )
    }

    /// The fields as the import reads them, one cell per [`FieldKey::ALL`] entry: the first
    /// columns of every export, at the kiosk and at the hub.
    #[must_use]
    pub fn cells(&self) -> Vec<String> {
        let input = self.to_input();
        FieldKey::ALL
            .iter()
            .map(|k| input.get(*k).to_owned())
            .collect()
    }

    /// Back to what a clerk would type, for correcting a record and for the hub's re-validation.
    #[must_use]
    pub fn to_input(&self) -> FormInput {
        let mut f = FormInput::default();
        let id_type = match self.id_type {
            IdType::ThaiId => "thai_id",
            IdType::NonThaiId => "non_thai_id",
            IdType::Passport => "passport",
        };
        f.set(FieldKey::IdType, id_type);
        f.set(FieldKey::IdNumber, &self.id_number);
        f.set(FieldKey::Title, &self.title);
        f.set(FieldKey::FirstName, &self.first_name);
        f.set(FieldKey::LastName, &self.last_name);
        f.set(
            FieldKey::BirthDate,
            &self.birth_date.map(|d| d.format()).unwrap_or_default(),
        );
        f.set(FieldKey::Sex, self.sex.map_or("", Sex::as_str));
        f.set(FieldKey::Phone, &self.phone);
        let a = &self.address;
        f.set(FieldKey::HouseNo, &a.house_no);
        f.set(FieldKey::Moo, &a.moo);
        f.set(FieldKey::Soi, &a.soi);
        f.set(FieldKey::Road, &a.road);
        f.set(FieldKey::Tambon, &a.tambon);
        f.set(FieldKey::Amphoe, &a.amphoe);
        f.set(FieldKey::Province, &a.province);
        f.set(FieldKey::Postcode, &a.postcode);
        f.set(FieldKey::TargetGroup, &self.target_group.to_string());
        f.set(FieldKey::GroupDetail, &self.group_detail);
        f.set(FieldKey::Consent, if self.consent { "yes" } else { "no" });
        f.set(FieldKey::Note, &self.note);
        f.answers.clone_from(&self.answers);
        f.form_version = Some(self.form_version);
        f.extra = question::kept_extra(&self.extra);
        f
    }

    /// The answer to question `key` ("" when none).
    #[must_use]
    pub fn answer(&self, key: &str) -> &str {
        self.answers.get(key).map_or("", String::as_str)
    }
}

/// The duplicate-check key of a normalised ID number: Thai and non-Thai IDs share one space
/// (`ID:` + 13 digits), passports another (`P:` + number).
#[must_use]
pub fn person_key(id_type: IdType, id_number: &str) -> String {
    match id_type {
        IdType::Passport => format!("P:{id_number}"),
        IdType::ThaiId | IdType::NonThaiId => format!("ID:{id_number}"),
    }
}

/// What was typed, field by field, before validation: the built-in fields, the answers by key
/// (a campaign's questions, and any a record carries that this campaign does not ask), and the
/// form version of a record being checked again (else the campaign's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormInput {
    fields: BTreeMap<FieldKey, String>,
    answers: BTreeMap<String, String>,
    form_version: Option<u32>,
    /// The fields a record carries that this build does not know, to keep in the checked record.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    extra: BTreeMap<String, serde_json::Value>,
}

impl FormInput {
    /// The text typed in `key` ("" when nothing).
    #[must_use]
    pub fn get(&self, key: FieldKey) -> &str {
        match key {
            FieldKey::Question(q) => self.answers.get(q.as_str()),
            _ => self.fields.get(&key),
        }
        .map_or("", String::as_str)
    }

    /// Sets the text of `key`.
    pub fn set(&mut self, key: FieldKey, value: &str) {
        match key {
            FieldKey::Question(q) => self.answers.insert(q.as_str().to_owned(), value.to_owned()),
            _ => self.fields.insert(key, value.to_owned()),
        };
    }

    /// Sets the answer by `key`, whether or not the campaign asks it (an import's column).
    pub fn set_answer(&mut self, key: &str, value: &str) {
        self.answers.insert(key.to_owned(), value.to_owned());
    }

    /// The answers by key.
    #[must_use]
    pub fn answers(&self) -> &BTreeMap<String, String> {
        &self.answers
    }

    /// The form version of the record this input came from, if it came from one.
    #[must_use]
    pub fn form_version(&self) -> Option<u32> {
        self.form_version
    }

    /// The fields of the record this input came from that this build does not know.
    #[must_use]
    pub fn extra(&self) -> &BTreeMap<String, serde_json::Value> {
        &self.extra
    }
}

#[cfg(test)]
mod question_tests;
#[cfg(test)]
mod skew_tests;
#[cfg(test)]
pub(crate) mod tests;
