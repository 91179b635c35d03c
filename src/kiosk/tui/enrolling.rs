//! The event loop's enrolment: a code from the start screen
//! ([`Effect::Enrol`](super::app::Effect::Enrol)) goes to the [`Enroller`] the kiosk was started
//! with, on a task of its own, so the screen keeps drawing while the hub is asked. What it answers
//! ([`Enrolment`]) is applied where the queue and the sender live: the queue is named after the
//! kiosk and given the hub's key ([`adopt`]), and the loop watches the new sender from then on.

use std::future::Future;
use std::pin::Pin;

use tokio::sync::mpsc;

use crate::core::enrolment::EnrolProblem;
use crate::core::seal::PublicKey;
use crate::kiosk::queue::Queue;
use crate::kiosk::sync::SyncHandle;
use crate::kiosk::tui::app::EnrolledAs;

/// What the hub answered to a code: the kiosk as enrolled (its configuration written), or why not.
pub type Answer = Result<Enrolment, EnrolProblem>;

/// Enrols the kiosk with a code: asks the hub, writes the configuration, starts the sender for
/// it. `cli::kiosk` makes one from the configuration the screen was started with.
pub type Enroller = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = Answer> + Send>> + Send>;

/// A kiosk just enrolled.
pub struct Enrolment {
    /// Who it is now, for the screen.
    pub who: EnrolledAs,
    /// The hub's key, pinned by the code.
    pub hub_key: PublicKey,
    /// The sender started for the hub (the idle one before it had nothing to send to).
    pub sender: SyncHandle,
}

/// Asks `enroller` about `code` on a task of its own; the answer goes to `answers`. Without an
/// enroller (a screen started by a test, say) the answer says so at once.
pub(super) fn spawn(
    enroller: Option<&Enroller>,
    code: String,
    answers: &mpsc::UnboundedSender<Answer>,
) {
    let Some(enroller) = enroller else {
        let _ = answers.send(Err(EnrolProblem::Other(
            "this screen cannot enrol the kiosk: use ruamjai enrol CODE".into(),
        )));
        return;
    };
    let asked = enroller(code);
    let tx = answers.clone();
    tokio::spawn(async move {
        let _ = tx.send(asked.await);
    });
}

/// The kiosk was enrolled: new records carry its name at the hub, what waited for the hub's key
/// is sealed for it, and the sender is woken to deliver it.
pub(super) fn adopt(queue: &mut Queue, done: &Enrolment) {
    queue.named(&done.who.kiosk_id);
    if let Err(e) = queue.set_hub_key(&done.hub_key) {
        tracing::warn!("pinning the hub's key in the queue: {e}");
    }
    match queue.seal_for_hub_key() {
        Ok(r) => tracing::info!(
            kiosk = %done.who.kiosk_id,
            sealed = r.sealed_for_hub,
            "enrolled from the start screen"
        ),
        Err(e) => tracing::warn!("sealing the waiting records for the hub: {e}"),
    }
    done.sender.wake();
}
