//! The check-in screen's effects against the queue: the site and its list's summary with today's
//! lot, who a scan finds on the list, recording a dose, setting today's lot. Each answers with a
//! [`CheckinMsg`]; the queue's errors go to the screen in its words (for clerks, in English).

use crate::kiosk::queue::Queue;
use crate::kiosk::tui::app::checkin::{CheckinEffect, CheckinMsg, CheckinStatus};

/// Runs one check-in effect; its answer.
pub(super) fn run(_queue: &mut Queue, work: CheckinEffect) -> CheckinMsg {
    match work {
        CheckinEffect::Status { .. } => CheckinMsg::Status(CheckinStatus {
            read: true,
            ..CheckinStatus::default()
        }),
        CheckinEffect::Find { query, .. } => CheckinMsg::Found {
            query,
            result: Err("not built yet".into()),
        },
        CheckinEffect::Record { .. } => CheckinMsg::Recorded(Err(
            crate::kiosk::tui::app::checkin::Refused::Problem("not built yet".into()),
        )),
        CheckinEffect::SetLot { .. } => CheckinMsg::LotSet(Err("not built yet".into())),
    }
}
