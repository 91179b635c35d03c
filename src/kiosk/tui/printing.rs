//! The event loop's printer: a slip ([`Effect::Print`](super::app::Effect::Print)) printed on a
//! thread of its own, so a printer that hangs never holds the screen; the answer (within the
//! transport's two seconds) goes back to the loop as [`Msg::Printed`].

use tokio::sync::mpsc;

use super::app::Msg;
use crate::kiosk::print::{Printer, Slip};
use crate::kiosk::queue::now_ms;

/// Prints `slip` on its own thread; the answer goes to `answers` as [`Msg::Printed`].
pub(super) fn off_thread(
    printer: Option<&Printer>,
    slip: Slip,
    answers: &mpsc::UnboundedSender<Msg>,
) {
    let Some(printer) = printer.cloned() else {
        let _ = answers.send(Msg::Printed(Err("no printer is configured".into())));
        return;
    };
    let tx = answers.clone();
    let spawned = std::thread::Builder::new()
        .name("slip".into())
        .spawn(move || {
            let result = crate::kiosk::print::print(&printer, &slip, now_ms());
            match &result {
                Ok(p) => tracing::info!(
                    reference = %slip.reference,
                    bytes = p.bytes,
                    render_ms = p.render.as_millis(),
                    send_ms = p.send.as_millis(),
                    "slip printed"
                ),
                Err(e) => tracing::warn!(reference = %slip.reference, "slip not printed: {e}"),
            }
            let _ = tx.send(Msg::Printed(
                result.map(|p| p.paper_low).map_err(|e| e.to_string()),
            ));
        });
    if let Err(e) = spawned {
        let _ = answers.send(Msg::Printed(Err(e.to_string())));
    }
}
