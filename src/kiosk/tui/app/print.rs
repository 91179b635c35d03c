//! The paper slip on the screen's side: a save prints its slip when a printer is configured,
//! `p` on the receipt (Ctrl-P on the queue screen, whose letters go to the search) prints it
//! again. The slip goes out as [`Effect::Print`]; the printer's answer comes back as
//! [`Msg::Printed`](super::Msg::Printed) and is said on the message line. A failed slip is kept
//! for `p`; the save it belongs to stands whatever the printer does.

use super::{App, Effect, Hint, Receipt, RecordRow};
use crate::kiosk::print::{Slip, SlipState, mask_id};

/// The counter's printer as the screen knows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrinterView {
    /// A printer is configured (`[printer]`): each save prints its slip.
    pub configured: bool,
    /// The slip last sent, kept to print again.
    pub kept: Option<Slip>,
    /// A slip is on its way: `p` waits for the answer.
    pub busy: bool,
}

/// The slip of the receipt on screen.
fn receipt_slip(app: &App, r: &Receipt) -> Slip {
    let mut slip = Slip::new(
        &app.campaign,
        &app.point_name,
        app.lang,
        &r.reference,
        None,
        SlipState::of(r.state, r.outcome.as_ref()),
        None,
        None,
    );
    slip.group.clone_from(&r.group);
    slip.id_masked = mask_id(&r.id_shown);
    slip.utc_offset_secs = app.view.utc_offset_secs;
    if let Some(a) = &r.appointment {
        slip.set_appointment(a);
    }
    slip
}

/// After a save: its slip, when a printer is configured.
pub(super) fn after_save(app: &mut App) -> Vec<Effect> {
    if !app.printer.configured {
        return Vec::new();
    }
    match app.receipt.clone() {
        Some(r) => {
            let slip = receipt_slip(app, &r);
            send(app, slip)
        }
        None => Vec::new(),
    }
}

/// `p` on the receipt: the receipt's slip (as its record stands now) again.
pub(super) fn receipt_key(app: &mut App) -> Vec<Effect> {
    match app.receipt.clone() {
        Some(r) => {
            let mut slip = receipt_slip(app, &r);
            if let Some(kept) = app
                .printer
                .kept
                .as_ref()
                .filter(|k| k.reference == r.reference)
            {
                slip.saved_at_ms = kept.saved_at_ms;
            }
            send(app, slip)
        }
        None => Vec::new(),
    }
}

/// Ctrl-P on the queue screen: the selected record's slip.
pub(super) fn row_key(app: &mut App, row: &RecordRow) -> Vec<Effect> {
    let mut slip = Slip::new(
        &app.campaign,
        &app.point_name,
        app.lang,
        &row.reference,
        row.registration.as_ref(),
        SlipState::of(row.state, row.outcome.as_ref()),
        Some(row.created_at),
        None,
    );
    slip.utc_offset_secs = app.view.utc_offset_secs;
    if let Some(a) = &row.appointment {
        slip.set_appointment(a);
    }
    send(app, slip)
}

fn send(app: &mut App, slip: Slip) -> Vec<Effect> {
    if !app.printer.configured {
        app.hint = Some(Hint::NoPrinter);
        return Vec::new();
    }
    if app.printer.busy {
        return Vec::new();
    }
    app.printer.busy = true;
    app.printer.kept = Some(slip.clone());
    app.hint = Some(Hint::Printing);
    vec![Effect::Print(Box::new(slip))]
}

/// The printer's answer.
pub(super) fn printed(app: &mut App, result: Result<bool, String>) {
    app.printer.busy = false;
    app.hint = Some(match result {
        Ok(paper_low) => Hint::Printed { paper_low },
        Err(why) => Hint::PrintFailed(why),
    });
}
