//! Turning what was typed into one [`Registration`]: each field's rule, then the campaign's rules
//! (age at the reference date, required group details, expected titles). Errors stop the record;
//! warnings are shown and the clerk may pass them. Used alike by the form, the CSV import and the hub.

use super::address;
use super::{Address, Campaign, FieldKey, FormInput, Registration, Sex};
use crate::core::thai::chars;
use crate::core::thai::date::ThaiDate;
use crate::core::thai::input_check::first_fault;
use crate::core::thai::national_id::{IdType, parse_id};
use crate::core::thai::normalize::{normalize_text, thai_digits_to_ascii};
use crate::core::thai::phone::parse_phone;

pub use super::problem::{FieldError, Problem, Warning};
use super::rules::{self, CONSENT, ID_TYPES, SEXES, max_chars};

/// When validation runs: today's date (no birth dates after it).
#[derive(Clone, Copy, Debug)]
pub struct Context {
    pub today: ThaiDate,
}

impl Context {
    /// Today at this machine, in its local time zone.
    #[must_use]
    pub fn now() -> Self {
        let now = chrono::Local::now();
        Self {
            today: crate::core::thai::date::today_be_from_unix(
                now.timestamp(),
                now.offset().local_minus_utc(),
            ),
        }
    }
}

/// The result of [`validate`]: a registration when there are no errors, and any warnings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated {
    pub registration: Option<Registration>,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<Warning>,
}

/// Controls, bidi overrides and isolates, and the invisible bidi marks (LRM, RLM, ALM).
fn is_unsafe(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() || chars::is_bidi_override(c) || chars::is_bidi_mark(c))
}

struct Checker<'a> {
    campaign: &'a Campaign,
    input: &'a FormInput,
    errors: Vec<FieldError>,
}

impl Checker<'_> {
    fn fail(&mut self, field: FieldKey, problem: Problem) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError { field, problem });
        }
    }

    fn required(&self, key: FieldKey) -> bool {
        self.campaign.field(key).is_some_and(|f| f.required)
    }

    /// Free text: safety, length, normalisation, required.
    fn text(&mut self, key: FieldKey, max: usize) -> String {
        let raw = self.input.get(key);
        if is_unsafe(raw) {
            self.fail(key, Problem::UnsafeText);
            return String::new();
        }
        let value = normalize_text(raw);
        if value.chars().count() > max {
            self.fail(key, Problem::TooLong { max });
        } else if matches!(key, FieldKey::FirstName | FieldKey::LastName)
            && !super::names::is_clean(&value)
        {
            self.fail(key, Problem::NameChars);
        } else if let Some(r) = first_fault(&value) {
            self.fail(key, Problem::ThaiSequence(r));
        } else if value.is_empty() && self.required(key) {
            self.fail(key, Problem::Required);
        }
        value
    }

    fn birth_date(&mut self, today: ThaiDate) -> Option<ThaiDate> {
        match ThaiDate::parse(&self.raw(FieldKey::BirthDate)?) {
            Ok(d) if d.is_after(&today) => {
                self.fail(FieldKey::BirthDate, Problem::BornAfterToday);
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.fail(FieldKey::BirthDate, Problem::Date(e));
                None
            }
        }
    }

    fn phone(&mut self) -> String {
        let Some(raw) = self.raw(FieldKey::Phone) else {
            return String::new();
        };
        parse_phone(&raw).map_or_else(
            |e| {
                self.fail(FieldKey::Phone, Problem::Phone(e));
                String::new()
            },
            |(digits, _)| digits,
        )
    }

    /// A value from a fixed set: `parse` it, or record what the choices are.
    fn choice<T>(
        &mut self,
        key: FieldKey,
        parse: impl Fn(&str) -> Option<T>,
        choices: &str,
    ) -> Option<T> {
        let raw = self.raw(key)?;
        let v = parse(&raw);
        if v.is_none() {
            self.fail(
                key,
                Problem::NotAChoice {
                    choices: choices.to_owned(),
                },
            );
        }
        v
    }

    /// A non-empty raw value, or `None` (with `Required` recorded when the campaign requires it).
    fn raw(&mut self, key: FieldKey) -> Option<String> {
        let v = thai_digits_to_ascii(self.input.get(key).trim());
        if v.is_empty() {
            if self.required(key) {
                self.fail(key, Problem::Required);
            }
            None
        } else {
            Some(v)
        }
    }
}

/// The choices of [`rules`] by value or words, and the short forms a spreadsheet has.
fn parse_id_type(s: &str) -> Option<IdType> {
    let alias = match s.trim().to_ascii_lowercase().as_str() {
        "thai" => "thai_id",
        "non_thai" | "ไม่ใช่สัญชาติไทย" => "non_thai_id",
        other => rules::chosen(&ID_TYPES, other)?,
    };
    match alias {
        "thai_id" => Some(IdType::ThaiId),
        "non_thai_id" => Some(IdType::NonThaiId),
        "passport" => Some(IdType::Passport),
        _ => None,
    }
}

fn parse_sex(s: &str) -> Option<Sex> {
    let value = match s.trim().to_ascii_lowercase().as_str() {
        "m" => "male",
        "f" => "female",
        other => rules::chosen(&SEXES, other)?,
    };
    (value == "male")
        .then_some(Sex::Male)
        .or((value == "female").then_some(Sex::Female))
}

fn parse_yes(s: &str) -> Option<bool> {
    let value = match s.trim().to_ascii_lowercase().as_str() {
        "y" | "true" | "1" | "ใช่" => "yes",
        "n" | "false" | "0" | "ไม่" | "" => "no",
        other => rules::chosen(&CONSENT, other)?,
    };
    Some(value == "yes")
}

/// Validates and normalises `input` for `campaign`.
#[must_use]
pub fn validate(campaign: &Campaign, input: &FormInput, ctx: Context) -> Validated {
    let mut c = Checker {
        campaign,
        input,
        errors: Vec::new(),
    };
    let id_type = c.choice(FieldKey::IdType, parse_id_type, &rules::listed(&ID_TYPES));
    let id_number = match (c.raw(FieldKey::IdNumber), id_type) {
        (Some(s), Some(t)) => parse_id(&s, t).unwrap_or_else(|e| {
            c.fail(FieldKey::IdNumber, Problem::Id(e));
            String::new()
        }),
        (None, _) => {
            c.fail(FieldKey::IdNumber, Problem::Required);
            String::new()
        }
        _ => String::new(),
    };
    let title = c.text(FieldKey::Title, max_chars(FieldKey::Title));
    let first_name = c.text(FieldKey::FirstName, max_chars(FieldKey::FirstName));
    let last_name = c.text(FieldKey::LastName, max_chars(FieldKey::LastName));
    let birth_date = c.birth_date(ctx.today);
    let sex = c.choice(FieldKey::Sex, parse_sex, &rules::listed(&SEXES));
    let phone = c.phone();
    let address = read_address(&mut c);
    let groups: Vec<String> = campaign
        .groups
        .iter()
        .map(|g| g.number.to_string())
        .collect();
    let target_group = c.choice(
        FieldKey::TargetGroup,
        |s| {
            s.parse::<u8>()
                .ok()
                .filter(|n| campaign.group(*n).is_some())
        },
        &groups.join(", "),
    );
    let group_detail = c.text(FieldKey::GroupDetail, max_chars(FieldKey::GroupDetail));
    let consent = match parse_yes(input.get(FieldKey::Consent)) {
        Some(true) => true,
        Some(false) => {
            c.fail(FieldKey::Consent, Problem::ConsentRequired);
            false
        }
        None => {
            c.fail(
                FieldKey::Consent,
                Problem::NotAChoice {
                    choices: rules::listed(&CONSENT),
                },
            );
            false
        }
    };
    let note = c.text(FieldKey::Note, max_chars(FieldKey::Note));
    let answers = super::answers::read_answers(campaign, input, target_group, &mut c.errors);

    let mut warnings = campaign_rules(
        &mut c,
        target_group,
        birth_date,
        &title,
        &group_detail,
        &address,
    );
    warnings.extend(super::titles::sex_warning(&title, sex));

    let registration = match (id_type, target_group) {
        (Some(id_type), Some(target_group)) if c.errors.is_empty() => Some(Registration {
            campaign_id: campaign.id.clone(),
            id_type,
            id_number,
            title,
            first_name,
            last_name,
            birth_date,
            sex,
            phone,
            address,
            target_group,
            group_detail,
            consent,
            note,
            form_version: input.form_version().unwrap_or(campaign.version),
            answers,
            extra: input.extra().clone(),
        }),
        _ => None,
    };
    let mut errors = c.errors;
    errors.sort_by_key(|e| {
        (
            campaign.position(e.field),
            FieldKey::ALL.iter().position(|k| *k == e.field),
        )
    });
    Validated {
        registration,
        errors,
        warnings,
    }
}

/// The campaign's own rules, once every field has been read.
fn campaign_rules(
    c: &mut Checker<'_>,
    target_group: Option<u8>,
    birth_date: Option<ThaiDate>,
    title: &str,
    group_detail: &str,
    address: &Address,
) -> Vec<Warning> {
    let campaign = c.campaign;
    let mut warnings = Vec::new();
    if let Some(group) = target_group.and_then(|n| campaign.group(n)) {
        if group.detail_required && group_detail.is_empty() {
            c.fail(FieldKey::GroupDetail, Problem::Required);
        }
        if let Some(min) = group.min_age {
            match birth_date {
                Some(d) => {
                    let age = d.age_at(campaign.reference());
                    if age < min {
                        c.fail(FieldKey::BirthDate, Problem::AgeBelow { min, age });
                    }
                }
                None => c.fail(FieldKey::BirthDate, Problem::Required),
            }
        }
        if !group.expected_titles.is_empty()
            && !title.is_empty()
            && !group.expected_titles.iter().any(|t| t == title)
        {
            warnings.push(Warning::TitleUnexpected {
                expected: group.expected_titles.join(" / "),
            });
        }
    }
    // The campaign's own minimum age: a warning, unless the group's rule already stopped it.
    if let (Some(min), Some(d)) = (campaign.min_age, birth_date) {
        let age = d.age_at(campaign.reference());
        if age < min && !c.errors.iter().any(|e| e.field == FieldKey::BirthDate) {
            warnings.push(Warning::YoungerThanCampaign { min, age });
        }
    }
    if !address.tambon.is_empty()
        && !address::index().contains(&address.province, &address.amphoe, &address.tambon)
    {
        warnings.push(Warning::AddressUnknown);
    }
    warnings
}

fn read_address(c: &mut Checker<'_>) -> Address {
    let house_no = thai_digits_to_ascii(&c.text(FieldKey::HouseNo, max_chars(FieldKey::HouseNo)));
    let moo = c.raw(FieldKey::Moo).map_or_else(String::new, |m| {
        if m.parse::<u8>().is_ok_and(|n| (1..=99).contains(&n)) {
            m.trim_start_matches('0').to_owned()
        } else {
            c.fail(FieldKey::Moo, Problem::Moo);
            String::new()
        }
    });
    let postcode = c.raw(FieldKey::Postcode).map_or_else(String::new, |p| {
        if p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()) {
            p
        } else {
            c.fail(FieldKey::Postcode, Problem::Postcode);
            String::new()
        }
    });
    Address {
        house_no,
        moo,
        soi: c.text(FieldKey::Soi, max_chars(FieldKey::Soi)),
        road: c.text(FieldKey::Road, max_chars(FieldKey::Road)),
        tambon: c.text(FieldKey::Tambon, max_chars(FieldKey::Tambon)),
        amphoe: c.text(FieldKey::Amphoe, max_chars(FieldKey::Amphoe)),
        province: c.text(FieldKey::Province, max_chars(FieldKey::Province)),
        postcode,
    }
}
