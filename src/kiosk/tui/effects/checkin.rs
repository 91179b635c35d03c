//! The check-in screen's effects against the queue: the site and its list's summary with today's
//! lot, who a scan finds on the list, recording a dose, setting today's lot. "Today" is the day at
//! the site now (`queue::today_iso`, as `ruamjai checkin REFERENCE` takes it). Each answers with a
//! [`CheckinMsg`]; the queue's errors go to the screen in its words (for clerks, in English).

use crate::kiosk::queue::{DaySetting, DoseRefusal, Queue, QueueError, now_ms, today_iso};
use crate::kiosk::tui::app::checkin::{CheckinEffect, CheckinMsg, CheckinStatus, Refused};

/// Runs one check-in effect; its answer.
pub(super) fn run(queue: &mut Queue, work: CheckinEffect) -> CheckinMsg {
    let now = now_ms();
    let today = today_iso(now);
    match work {
        CheckinEffect::Status => CheckinMsg::Status(status(queue, &today)),
        CheckinEffect::Find { query } => {
            let result = queue.find_arrival(&query, &today);
            match &result {
                Ok(found) => tracing::info!(%query, "check-in: {}", kind(found)),
                Err(e) => tracing::warn!(%query, "check-in lookup failed: {e}"),
            }
            CheckinMsg::Found {
                query,
                result: result.map_err(|e| match e {
                    QueueError::ShiftClosed => Refused::Shift,
                    e => Refused::Problem(e.to_string()),
                }),
            }
        }
        CheckinEffect::Record {
            reference,
            code,
            operator,
        } => {
            let result = queue.record_dose(&reference, &code, &today, &operator, now);
            match &result {
                Ok(d) => {
                    tracing::info!(reference = %d.reference, dose_id = %d.dose_id, "dose recorded");
                }
                Err(e) => tracing::warn!(%reference, "dose not recorded: {e}"),
            }
            CheckinMsg::Recorded(result.map_err(|e| match e {
                DoseRefusal::WrongCode => Refused::WrongCode,
                DoseRefusal::NoLot => Refused::NoLot,
                DoseRefusal::NotHere(f) => Refused::NotHere(f),
                DoseRefusal::Shift | DoseRefusal::Queue(QueueError::ShiftClosed) => Refused::Shift,
                DoseRefusal::Queue(e) => Refused::Problem(e.to_string()),
            }))
        }
        CheckinEffect::SetLot { lot, dose_number } => {
            let setting = DaySetting { lot, dose_number };
            CheckinMsg::LotSet(
                queue
                    .set_day_setting(&today, &setting)
                    .map(|()| {
                        tracing::info!(lot = %setting.lot, dose_number, "today's lot set");
                        setting
                    })
                    .map_err(|e| e.to_string()),
            )
        }
    }
}

/// The site, its list and today's setting; what cannot be read is left out (and logged).
fn status(queue: &Queue, today: &str) -> CheckinStatus {
    let logged = |what: &str, e: QueueError| tracing::warn!("check-in: {what}: {e}");
    CheckinStatus {
        site_id: queue.site_id().unwrap_or_else(|e| {
            logged("the site", e);
            None
        }),
        info: queue.site_list_info().unwrap_or_else(|e| {
            logged("the site's list", e);
            None
        }),
        setting: queue.day_setting(today).unwrap_or_else(|e| {
            logged("today's lot", e);
            None
        }),
        read: true,
    }
}

/// What a finding was, for the log (no names).
fn kind(f: &crate::kiosk::queue::Finding) -> &'static str {
    use crate::kiosk::queue::Finding;
    match f {
        Finding::NoList => "no list",
        Finding::NotFound => "not found",
        Finding::Here(_) => "here today",
        Finding::OtherDay(_) => "another day",
        Finding::OtherSite(_) => "another site",
        Finding::Vaccinated(_) => "already vaccinated",
    }
}
