//! TEMPORARY: the storage types of branch `kioskcheckin`, as specified, until it is merged.

use crate::core::protocol::Appointment;
pub use crate::core::protocol::ListedPerson;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteListInfo {
    pub site_id: String,
    pub site_name_th: String,
    pub site_name_en: String,
    pub first_day: String,
    pub last_day: String,
    pub generated_at: i64,
    pub downloaded_at: i64,
    pub people: usize,
    pub elsewhere: usize,
    pub doses_pending: usize,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySetting {
    pub lot: String,
    pub dose_number: u8,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    NoList,
    NotFound,
    Here(Box<ListedPerson>),
    OtherDay(Appointment),
    OtherSite(Appointment),
    Vaccinated(Appointment),
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoseRecorded {
    pub dose_id: String,
    pub reference: String,
    pub given_at: i64,
    pub lot: String,
    pub dose_number: u8,
}
