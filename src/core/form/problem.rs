//! What validation says about a registration: each field's [`Problem`] (an error: the record is
//! not saved) and each [`Warning`] (the clerk may pass it), in Thai and English, as the form, the
//! import and the hub say them.

use super::FieldKey;
use crate::core::thai::date::DateError;
use crate::core::thai::input_check::Rejection;
use crate::core::thai::national_id::IdError;
use crate::core::thai::phone::PhoneError;
use crate::core::thai::{Bilingual, Lang};

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    /// Control characters, escape sequences or bidi overrides: never stored.
    UnsafeText,
    /// A name holding more than Thai or Latin letters, the marks, space, `.` and `-`.
    NameChars,
    /// Thai that typing would have refused, or a word not finished (a lone `แ`).
    ThaiSequence(Rejection),
    NotAChoice {
        choices: String,
    },
    Id(IdError),
    Date(DateError),
    Phone(PhoneError),
    Postcode,
    Moo,
    AgeBelow {
        min: u32,
        age: u32,
    },
    BornAfterToday,
    ConsentRequired,
    /// A campaign question's number that is not a whole number.
    NotANumber,
    /// A campaign question's number outside its limits.
    OutOfRange {
        min: Option<i64>,
        max: Option<i64>,
    },
}

impl Bilingual for Problem {
    fn say(&self, lang: Lang) -> String {
        let th = lang == Lang::Th;
        match self {
            Problem::Required => (if th {
                "ต้องกรอกช่องนี้"
            } else {
                "This field is required"
            })
            .into(),
            Problem::TooLong { max } => {
                if th {
                    format!("ยาวเกิน {max} ตัวอักษร")
                } else {
                    format!("Longer than {max} characters")
                }
            }
            Problem::UnsafeText => (if th {
                "มีอักขระควบคุมหรือรหัสพิเศษ ลบออกแล้วพิมพ์ใหม่"
            } else {
                "Contains control or escape characters; retype it"
            })
            .into(),
            Problem::NameChars => (if th {
                "ชื่อใช้ได้เฉพาะตัวอักษรไทยหรืออังกฤษ เว้นวรรค . และ -"
            } else {
                "A name takes Thai or Latin letters, space, . and - only"
            })
            .into(),
            Problem::ThaiSequence(r) => r.say(lang),
            Problem::NotAChoice { choices } => {
                if th {
                    format!("เลือกได้: {choices}")
                } else {
                    format!("Choose one of: {choices}")
                }
            }
            Problem::Id(e) => e.say(lang),
            Problem::Date(e) => e.say(lang),
            Problem::Phone(e) => e.say(lang),
            Problem::Postcode => (if th {
                "รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก"
            } else {
                "A postcode is 5 digits"
            })
            .into(),
            Problem::Moo => (if th {
                "หมู่ที่ต้องเป็นตัวเลข 1–99"
            } else {
                "Moo is a number 1–99"
            })
            .into(),
            Problem::AgeBelow { min, age } => {
                if th {
                    format!("กลุ่มนี้ต้องอายุ {min} ปีขึ้นไป ณ วันอ้างอิง (อายุ {age} ปี)")
                } else {
                    format!("This group needs age {min}+ at the reference date (age {age})")
                }
            }
            Problem::BornAfterToday => (if th {
                "วันเกิดอยู่ในอนาคต"
            } else {
                "Date of birth is in the future"
            })
            .into(),
            Problem::ConsentRequired => (if th {
                "ต้องได้รับความยินยอมก่อนบันทึก"
            } else {
                "Consent is needed before saving"
            })
            .into(),
            Problem::NotANumber => (if th {
                "ต้องเป็นตัวเลขจำนวนเต็ม"
            } else {
                "A whole number is needed"
            })
            .into(),
            Problem::OutOfRange { min, max } => range(th, *min, *max),
        }
    }
}

fn range(th: bool, min: Option<i64>, max: Option<i64>) -> String {
    match (min, max, th) {
        (Some(a), Some(b), true) => format!("ต้องอยู่ระหว่าง {a} ถึง {b}"),
        (Some(a), Some(b), false) => format!("Must be from {a} to {b}"),
        (Some(a), None, true) => format!("ต้องไม่น้อยกว่า {a}"),
        (Some(a), None, false) => format!("Must be at least {a}"),
        (None, Some(b), true) => format!("ต้องไม่เกิน {b}"),
        (None, Some(b), false) => format!("Must be at most {b}"),
        (None, None, true) => "ค่าไม่อยู่ในช่วงที่รับได้".into(),
        (None, None, false) => "Out of range".into(),
    }
}

/// A field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: FieldKey,
    pub problem: Problem,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.as_str(), self.problem.say(Lang::En))
    }
}

/// Something unusual the clerk may pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The group expects one of these titles (e.g. monks and clergy).
    TitleUnexpected { expected: String },
    /// The tambon, amphoe and province do not match the national list.
    AddressUnknown,
    /// The title says one sex and the sex field the other.
    SexNotTitle { title: String },
    /// Younger than the campaign's minimum age at its reference date.
    YoungerThanCampaign { min: u32, age: u32 },
}

impl Warning {
    /// The field the warning is about (the column, in an import).
    #[must_use]
    pub fn field(&self) -> FieldKey {
        match self {
            Warning::TitleUnexpected { .. } => FieldKey::Title,
            Warning::AddressUnknown => FieldKey::Tambon,
            Warning::SexNotTitle { .. } => FieldKey::Sex,
            Warning::YoungerThanCampaign { .. } => FieldKey::BirthDate,
        }
    }
}

impl Bilingual for Warning {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (Warning::TitleUnexpected { expected }, Lang::Th) => {
                format!("กลุ่มนี้มักใช้คำนำหน้า {expected} — ตรวจสอบอีกครั้ง")
            }
            (Warning::TitleUnexpected { expected }, Lang::En) => {
                format!("This group usually has the title {expected}; please check")
            }
            (Warning::AddressUnknown, Lang::Th) => "ไม่พบตำบล/อำเภอ/จังหวัดนี้ในรายชื่อ".into(),
            (Warning::AddressUnknown, Lang::En) => {
                "Tambon/amphoe/province not in the national list".into()
            }
            (Warning::SexNotTitle { title }, Lang::Th) => {
                format!("เพศไม่ตรงกับคำนำหน้า {title} — ตรวจสอบอีกครั้ง")
            }
            (Warning::SexNotTitle { title }, Lang::En) => {
                format!("The sex does not match the title {title}; please check")
            }
            (Warning::YoungerThanCampaign { min, age }, Lang::Th) => {
                format!("โครงการนี้สำหรับผู้มีอายุ {min} ปีขึ้นไป ณ วันอ้างอิง (อายุ {age} ปี) — ตรวจสอบอีกครั้ง")
            }
            (Warning::YoungerThanCampaign { min, age }, Lang::En) => {
                format!(
                    "This campaign is for ages {min}+ at the reference date (age {age}); please check"
                )
            }
        }
    }
}
