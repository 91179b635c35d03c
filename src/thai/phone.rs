//! STUB
use super::{Bilingual, Lang};
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("bad")]
    BadPrefix,
}
impl Bilingual for PhoneError {
    fn say(&self, _l: Lang) -> String {
        self.to_string()
    }
}
pub fn parse_phone(s: &str) -> Result<(String, PhoneKind), PhoneError> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 10 {
        Ok((d, PhoneKind::Mobile))
    } else if d.len() == 9 {
        Ok((d, PhoneKind::Landline))
    } else {
        Err(PhoneError::BadPrefix)
    }
}
