//! Appointments: where and when an accepted person is to come for the dose, as the hub gives
//! them to the kiosk that registered the person (with the submission's answer and in the
//! outcome feed), and the dose a site's kiosk records at check-in.

use serde::{Deserialize, Serialize};

/// Where and when an accepted person is to come. The hub gives one to every accepted
/// registration (one moved up from the waiting list included); it changes when the person's
/// site is closed and they are moved to another, and ends when the person is vaccinated, does
/// not come (`no_show`) or is cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// The site's id, as `hub sites import` read it (`SK-MUANG-01`).
    pub site_id: String,
    pub site_name_th: String,
    pub site_name_en: String,
    /// The day, ISO `YYYY-MM-DD` (Gregorian; screens and slips show it in BE).
    pub date: String,
    /// The time slot within the day (`09:00-12:00`), for a site that splits its days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// Four digits printed for the person and asked at check-in. Sent only to whoever may see
    /// it: the kiosk that registered the person, and the site's kiosk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_code: Option<String>,
    /// `booked`, `vaccinated`, `no_show` or `cancelled`.
    pub state: String,
    /// When the dose was recorded (Unix milliseconds), once it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaccinated_at: Option<i64>,
}

/// The states an [`Appointment`] can be in.
pub mod state {
    pub const BOOKED: &str = "booked";
    pub const VACCINATED: &str = "vaccinated";
    pub const NO_SHOW: &str = "no_show";
    pub const CANCELLED: &str = "cancelled";
}
