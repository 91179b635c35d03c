//! `ruamjai checkin REFERENCE --code NNNN [--lot LOT] [--dose N]`: check-in at a vaccination
//! site from a script (issue 33, part 4), on the list the kiosk holds (`ruamjai flush`
//! downloads it), offline. The shift opens with `RUAMJAI_PIN`, as for `export`; `--lot` and
//! `--dose` set today's setting first (as the screen's day setting does). `REFERENCE` is the
//! receipt's reference (what its QR code holds) or the person's ID or passport number. The
//! outcome is one line in words and the exit code: 0 the dose recorded (on disk; the sender
//! sends it); 1 could not run (no PIN, not a site's kiosk, no list yet, no lot, storage); 2 a
//! wrong security code; 3 already vaccinated (when and where); 4 booked at another site or on
//! another day (where and when); 5 on no list. Nothing is written unless it exits 0 (and `--lot`
//! was given). `ruamjai checkin` with no reference is the check-in screen (`cli::kiosk`).

use crate::core::thai::date::iso_to_be_or_as_is;
use crate::kiosk::config::Config;
use crate::kiosk::queue::{DaySetting, DoseRefusal, Finding, Queue, now_ms, today_iso};

/// The exit codes, one per outcome.
pub mod exit {
    pub const RECORDED: i32 = 0;
    pub const COULD_NOT_RUN: i32 = 1;
    pub const WRONG_CODE: i32 = 2;
    pub const VACCINATED: i32 = 3;
    pub const ELSEWHERE: i32 = 4;
    pub const NOT_LISTED: i32 = 5;
}

/// What the command was asked.
#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    pub reference: &'a str,
    /// The security code (`--code`); without it nothing is recorded.
    pub code: Option<&'a str>,
    pub lot: Option<&'a str>,
    pub dose_number: Option<u8>,
    pub operator: &'a str,
}

/// Says why the command could not run; the exit code.
fn could_not(why: &str) -> i32 {
    eprintln!("ruamjai: {why}");
    exit::COULD_NOT_RUN
}

/// Runs `ruamjai checkin REFERENCE --code …`; returns the exit code.
#[must_use]
pub fn run(config: &Config, request: &Request<'_>) -> i32 {
    let Some(code) = request.code else {
        return could_not(
            "give the security code the person shows (--code NNNN); nothing was recorded",
        );
    };
    let mut queue = match config.open_queue() {
        Ok(q) => q,
        Err(e) => return could_not(&e.to_string()),
    };
    if !queue.shift_open() {
        return could_not(
            "check-in reads the site's list, which only an open shift can: give the counter's PIN (RUAMJAI_PIN=… ruamjai checkin …); nothing was recorded",
        );
    }
    let (site, list) = match (queue.site_id(), queue.site_list_info()) {
        (Ok(site), Ok(list)) => (site, list),
        (Err(e), _) | (_, Err(e)) => return could_not(&e.to_string()),
    };
    if site.is_none() && list.is_none() {
        return could_not(
            "this kiosk is not a vaccination site's (`ruamjai hub add-kiosk NAME --site ID` at the hub), or has not heard so yet: run `ruamjai flush`",
        );
    }
    let now = now_ms();
    let today = today_iso(now);
    if let Err(why) = set_today(&mut queue, &today, request) {
        return could_not(&why);
    }
    let person = match queue.find_arrival(request.reference, &today) {
        Ok(Finding::Here(p)) => Some(p),
        _ => None,
    };
    match queue.record_dose(request.reference, code, &today, request.operator, now) {
        Ok(dose) => {
            let who = person.map_or_else(String::new, |p| {
                format!(" {}{} {}", p.title, p.first_name, p.last_name)
            });
            let site = list.map_or_else(String::new, |l| {
                format!(" at {} ({})", l.site_name_en, l.site_name_th)
            });
            println!(
                "recorded: {}{who}, dose {} of lot {} on {}{site}",
                dose.reference,
                dose.dose_number,
                dose.lot,
                iso_to_be_or_as_is(&today),
            );
            exit::RECORDED
        }
        Err(refusal) => refused(request.reference, &refusal),
    }
}

/// Sets today's lot and dose number from `--lot` and `--dose` (the dose number kept when only
/// the lot is given, 1 for a day with none).
fn set_today(queue: &mut Queue, today: &str, request: &Request<'_>) -> Result<(), String> {
    let before = queue.day_setting(today).map_err(|e| e.to_string())?;
    let setting = match (request.lot, request.dose_number, before) {
        (None, None, _) => return Ok(()),
        (Some(lot), dose, before) => DaySetting {
            lot: lot.to_owned(),
            dose_number: dose.or(before.map(|b| b.dose_number)).unwrap_or(1),
        },
        (None, Some(dose), Some(before)) => DaySetting {
            dose_number: dose,
            ..before
        },
        (None, Some(_), None) => {
            return Err("no vaccine lot is set for today: give --lot LOT with --dose".into());
        }
    };
    queue
        .set_day_setting(today, &setting)
        .map_err(|e| e.to_string())
}

/// Says why the dose was not recorded; the exit code.
fn refused(query: &str, refusal: &DoseRefusal) -> i32 {
    let query = query.trim();
    let (code, line) = match refusal {
        DoseRefusal::WrongCode => (exit::WRONG_CODE, format!("{query}: {refusal}")),
        DoseRefusal::NotHere(finding) => {
            let code = match finding {
                Finding::Vaccinated(_) => exit::VACCINATED,
                Finding::OtherDay(_) | Finding::OtherSite(_) => exit::ELSEWHERE,
                Finding::NotFound => exit::NOT_LISTED,
                Finding::NoList | Finding::Here(_) => exit::COULD_NOT_RUN,
            };
            (code, format!("{query}: {refusal}"))
        }
        DoseRefusal::NoLot => (
            exit::COULD_NOT_RUN,
            "no vaccine lot is set for today: give --lot LOT (and --dose N); nothing was recorded"
                .to_owned(),
        ),
        DoseRefusal::Shift | DoseRefusal::Queue(_) => (exit::COULD_NOT_RUN, refusal.to_string()),
    };
    if code == exit::COULD_NOT_RUN {
        eprintln!("ruamjai: {line}");
    } else {
        println!("{line}");
    }
    code
}
