//! The dashboard's table of vaccination sites: per site and day (and slot) booked, vaccinated,
//! no-shows and free, from the snapshot's `sites::listing`. Counts only, no person.

use crate::core::thai::date::iso_to_be_or_as_is;
use crate::hub::sites::listing::Sites;

/// One row of the table.
#[derive(Debug)]
pub struct SiteRow {
    pub site_id: String,
    /// The site's name in the page's language.
    pub name: String,
    pub site_closed: bool,
    /// The day in BE, `DD/MM/YYYY`.
    pub day: String,
    pub slot: String,
    pub capacity: u64,
    pub booked: u64,
    pub vaccinated: u64,
    pub no_shows: u64,
    pub free: u64,
    pub day_closed: bool,
}

/// The rows, in the language `lang` (`th` or `en`).
#[must_use]
pub fn rows(sites: &Sites, lang: &str) -> Vec<SiteRow> {
    sites
        .days
        .iter()
        .map(|d| SiteRow {
            site_id: d.site_id.clone(),
            name: if lang == "en" { &d.name_en } else { &d.name_th }.clone(),
            site_closed: d.site_closed,
            day: iso_to_be_or_as_is(&d.day),
            slot: d.slot.clone(),
            capacity: d.capacity,
            booked: d.booked,
            vaccinated: d.vaccinated,
            no_shows: d.no_shows,
            free: d.free,
            day_closed: d.day_closed,
        })
        .collect()
}
