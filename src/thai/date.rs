//! STUB
use super::{Bilingual, Lang};
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ThaiDate {
    pub day: Option<u8>,
    pub month: Option<u8>,
    pub year_be: u16,
}
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("format")]
    Format,
}
impl Bilingual for DateError {
    fn say(&self, _l: Lang) -> String {
        self.to_string()
    }
}
impl ThaiDate {
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let p: Vec<&str> = s.split('/').collect();
        if p.len() != 3 {
            return Err(DateError::Format);
        }
        let u = |x: &str| x.parse::<u8>().ok().filter(|v| *v > 0);
        Ok(Self {
            day: u(p[0]),
            month: u(p[1]),
            year_be: p[2].parse().map_err(|_| DateError::Format)?,
        })
    }
    pub fn age_at(&self, r: ThaiDate) -> u32 {
        u32::from(r.year_be - self.year_be)
    }
    pub fn format(&self) -> String {
        format!(
            "{:02}/{:02}/{}",
            self.day.unwrap_or(0),
            self.month.unwrap_or(0),
            self.year_be
        )
    }
    pub fn is_after(&self, o: &ThaiDate) -> bool {
        self.year_be > o.year_be
    }
}
pub fn today_be_from_unix(_secs: i64, _off: i32) -> ThaiDate {
    ThaiDate {
        day: Some(25),
        month: Some(11),
        year_be: 2569,
    }
}
