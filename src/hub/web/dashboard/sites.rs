//! The dashboard's table of vaccination sites: per site and day (and slot) booked, vaccinated,
//! no-shows and free, from the snapshot's `sites::listing`. Counts only, no person.

use crate::core::thai::date::iso_to_be;
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

/// `YYYY-MM-DD` as `DD/MM/YYYY` in the Buddhist Era (as stored when it is not a day).
fn be(iso: &str) -> String {
    iso_to_be(iso).unwrap_or_else(|| iso.to_owned())
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
            day: be(&d.day),
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_day_is_shown_in_the_buddhist_era() {
        assert_eq!(super::be("2021-07-16"), "16/07/2564");
    }
}
