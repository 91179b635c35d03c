//! The queue's answers on the check-in screen: the site and its list, who a scan found, whether
//! the dose was recorded (a wrong code keeps the code typed; a missing lot opens the lot dialog),
//! and today's lot saved.

use super::{Arrival, CheckinEffect, CheckinMsg, Finding, Refused, Said, lot};
use crate::core::thai::edit::TextField;
use crate::kiosk::tui::app::{App, Effect};

/// Applies one answer; returns what follows.
pub(in crate::kiosk::tui::app) fn answer(app: &mut App, msg: CheckinMsg) -> Vec<Effect> {
    let Some(view) = app.checkin.as_mut() else {
        return Vec::new();
    };
    match msg {
        CheckinMsg::Status(status) => view.status = status,
        CheckinMsg::Found { query, result } => {
            view.arrival = None;
            view.said = None;
            match result {
                Ok(Finding::Here(person)) => {
                    view.arrival = Some(Arrival {
                        person,
                        code: TextField::new(),
                        wrong_code: false,
                    });
                }
                Ok(f) => view.said = Some(said(f, &query)),
                Err(Refused::Shift) => view.said = Some(Said::NeedShift),
                Err(Refused::Problem(e)) => view.said = Some(Said::Problem(e)),
                Err(other) => view.said = Some(Said::Problem(format!("{other:?}"))),
            }
        }
        CheckinMsg::Recorded(Ok(dose)) => {
            let name = view.arrival.take().map_or_else(
                || dose.reference.clone(),
                |a| {
                    let p = &a.person;
                    format!("{}{} {}", p.title, p.first_name, p.last_name)
                },
            );
            view.said = Some(Said::Recorded { name, dose });
            app.hint = None;
            return vec![super::status(), Effect::WakeSync];
        }
        CheckinMsg::Recorded(Err(refused)) => match refused {
            Refused::WrongCode => {
                if let Some(a) = view.arrival.as_mut() {
                    a.wrong_code = true;
                }
            }
            Refused::NoLot => lot::open(app, true),
            Refused::NotHere(f) => {
                let reference = view
                    .arrival
                    .take()
                    .map(|a| a.person.reference)
                    .unwrap_or_default();
                view.said = Some(said(f, &reference));
            }
            Refused::Shift => view.said = Some(Said::NeedShift),
            Refused::Problem(e) => view.said = Some(Said::Problem(e)),
        },
        CheckinMsg::LotSet(Ok(setting)) => {
            let then_record = view.lot.take().is_some_and(|l| l.then_record);
            view.status.setting = Some(setting);
            app.hint = None;
            let mut fx = vec![super::status()];
            let arrival = app.checkin.as_ref().and_then(|v| v.arrival.as_ref());
            if let Some(a) = arrival.filter(|_| then_record) {
                fx.push(Effect::Checkin(CheckinEffect::Record {
                    reference: a.person.reference.clone(),
                    code: a.code.text().to_owned(),
                    operator: app.operator_name(),
                }));
            }
            return fx;
        }
        CheckinMsg::LotSet(Err(e)) => view.said = Some(Said::Problem(e)),
    }
    Vec::new()
}

/// What a finding other than "here" says; `query` is what was scanned or typed.
fn said(f: Finding, query: &str) -> Said {
    let reference = query.to_owned();
    match f {
        Finding::Here(p) => Said::Problem(format!("{} is here", p.reference)),
        Finding::NoList => Said::NoList,
        Finding::NotFound => Said::NotFound(reference),
        Finding::OtherDay(appointment) => Said::OtherDay {
            reference,
            appointment,
        },
        Finding::OtherSite(appointment) => Said::OtherSite {
            reference,
            appointment,
        },
        Finding::Vaccinated(appointment) => Said::Vaccinated {
            reference,
            appointment,
        },
    }
}
