//! What the sites hold, per site and day (and slot): capacity, booked, vaccinated, no-shows,
//! free; and how many people were given the default site because no site serves their
//! address. For `hub sites`, the dashboard and `/metrics`.

use crate::hub::store::db::{Db, DbError};

/// One site's one day (or slot).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SiteDay {
    pub site_id: String,
    pub name_th: String,
    pub name_en: String,
    /// The site is closed (`hub sites close`).
    pub site_closed: bool,
    /// ISO date.
    pub day: String,
    /// `""` for a site that does not split its days.
    pub slot: String,
    pub capacity: u64,
    pub booked: u64,
    pub vaccinated: u64,
    pub no_shows: u64,
    pub free: u64,
    /// Closed by `hub close-day`.
    pub day_closed: bool,
}

/// Every site's days, in import order, then by day and slot.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sites {
    pub days: Vec<SiteDay>,
    /// People holding an appointment at the default site because no site serves their address.
    pub by_default: u64,
}

/// Reads [`Sites`].
pub fn list(db: &mut dyn Db) -> Result<Sites, DbError> {
    let rows = db.query(
        "SELECT s.site_id AS site_id, s.name_th AS name_th, s.name_en AS name_en,
             CASE WHEN s.closed_at IS NULL THEN 0 ELSE 1 END AS site_closed,
             d.day AS day, d.slot AS slot, d.capacity AS capacity, d.taken AS taken,
             d.closed AS day_closed,
             COALESCE(SUM(CASE WHEN a.state = 'booked' THEN 1 ELSE 0 END), 0) AS booked,
             COALESCE(SUM(CASE WHEN a.state = 'vaccinated' THEN 1 ELSE 0 END), 0) AS vaccinated,
             COALESCE(SUM(CASE WHEN a.state = 'no_show' THEN 1 ELSE 0 END), 0) AS no_shows
         FROM site_days d JOIN sites s ON s.site_id = d.site_id
         LEFT JOIN appointments a
             ON a.site_id = d.site_id AND a.day = d.day AND a.slot = d.slot
         GROUP BY s.site_id, s.name_th, s.name_en, s.closed_at, s.ord, d.day, d.slot,
             d.capacity, d.taken, d.closed
         ORDER BY s.ord, d.day, d.slot",
        &[],
    )?;
    let mut days = Vec::with_capacity(rows.len());
    for row in &rows {
        let r = row;
        let count = |name: &str| r.int(name).map(|n| u64::try_from(n).unwrap_or(0));
        let capacity = count("capacity")?;
        days.push(SiteDay {
            site_id: r.text("site_id")?,
            name_th: r.text("name_th")?,
            name_en: r.text("name_en")?,
            site_closed: r.int("site_closed")? != 0,
            day: r.text("day")?,
            slot: r.text("slot")?,
            capacity,
            booked: count("booked")?,
            vaccinated: count("vaccinated")?,
            no_shows: count("no_shows")?,
            free: capacity.saturating_sub(count("taken")?),
            day_closed: r.int("day_closed")? != 0,
        });
    }
    let by_default = db
        .query_one(
            "SELECT COUNT(*) AS n FROM appointments WHERE by_default = 1
             AND state <> 'cancelled'",
            &[],
        )?
        .count("n")?;
    Ok(Sites { days, by_default })
}

/// [`Sites`] as the table `hub sites` prints, its days in BE (`DD/MM/YYYY`).
#[must_use]
pub fn render(sites: &Sites) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if sites.days.is_empty() {
        out.push_str("no sites: `ruamjai hub sites import FILE.csv` loads them\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{:<16} {:<10} {:<11} {:>8} {:>7} {:>10} {:>8} {:>6}",
        "site", "day", "slot", "capacity", "booked", "vaccinated", "no-shows", "free"
    );
    let mut last = "";
    for d in &sites.days {
        if d.site_id != last {
            let closed = if d.site_closed { " (closed)" } else { "" };
            let _ = writeln!(out, "{} {} / {}{closed}", d.site_id, d.name_th, d.name_en);
            last = &d.site_id;
        }
        let day_closed = if d.day_closed { " closed" } else { "" };
        // In BE, as the sites file and `hub close-day` write days.
        let day = crate::core::thai::date::iso_to_be_or_as_is(&d.day);
        let _ = writeln!(
            out,
            "{:<16} {:<10} {:<11} {:>8} {:>7} {:>10} {:>8} {:>6}{day_closed}",
            "", day, d.slot, d.capacity, d.booked, d.vaccinated, d.no_shows, d.free
        );
    }
    let _ = writeln!(
        out,
        "given the default site (no site serves their address): {}",
        sites.by_default
    );
    out
}
