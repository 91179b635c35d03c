//! STUB
use super::{Bilingual, Lang};
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    ThaiId,
    NonThaiId,
    Passport,
}
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("bad checksum")]
    BadChecksum,
}
impl Bilingual for IdError {
    fn say(&self, _l: Lang) -> String {
        self.to_string()
    }
}
pub fn parse_id(input: &str, id_type: IdType) -> Result<String, IdError> {
    let d: String = input.chars().filter(char::is_ascii_alphanumeric).collect();
    if id_type == IdType::Passport {
        return Ok(d.to_ascii_uppercase());
    }
    let v: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    if v.len() != 13 {
        return Err(IdError::BadChecksum);
    }
    let s: u32 = (0..12).map(|i| v[i] * (13 - i as u32)).sum();
    if (11 - s % 11) % 10 != v[12] {
        return Err(IdError::BadChecksum);
    }
    Ok(d)
}
