//! The sync engine: delivers the queue to the hub in batches (to the first of its addresses that
//! answers), records each item's outcome, backs off with full jitter on transient failures, obeys
//! Retry-After, and stops on 401/403 until the config changes. One implementation, two drivers: the TUI's background task ([`spawn`]) and
//! `ruamjai flush`.
//!
//! - `status`: what the engine reports ([`SyncStatus`], [`Link`]).
//! - `backoff`: full-jitter backoff and Retry-After.
//! - `client`: HTTP to one hub address and the classification of answers; `pinned`: the hub's
//!   certificate trusted by its SHA-256 (from enrolment), in place of a CA; `cause`: a network
//!   failure in words, its cause and the fix.
//! - `failover`: the hub's addresses, the one in use, moving on and coming back.
//! - `clock`: wall time that moves with the monotonic clock (jumps do not upset backoff).
//! - `engine`: one round: lease, send, settle or give back; `settle`: the batch built, the
//!   hub's answer recorded (outcomes, appointments) or the batch given back with its delay.
//! - `changes`: cancellations made here to the hub, the hub's changes of outcomes back.
//! - `chatter`: the heartbeat, the campaign look-up and the hub's key it publishes.
//! - `site`: check-in at a vaccination site: the doses recorded here sent, the site's list
//!   downloaded ([`site::CheckInReport`]).
//! - `driver`: the TUI's background task ([`spawn`]) and [`flush`].

pub mod backoff;
mod cause;
mod changes;
mod chatter;
pub mod client;
pub mod clock;
mod driver;
pub mod engine;
pub mod failover;
mod pinned;
mod settle;
pub mod site;
pub mod status;

use std::sync::Arc;

use tokio::sync::{Notify, watch};

pub use changes::SyncChangesError;
pub use chatter::HUB_FORM_META;
pub use driver::{
    FlushReport, SetupError, apply_retention, apply_shown_retention, engine_for, flush, handle_for,
    spawn,
};
pub use site::CheckInReport;
pub use status::{Link, SyncStatus};

/// The TUI's view of the background sender: a status to show and a bell to ring.
pub struct SyncHandle {
    /// The latest [`SyncStatus`]; `changed().await` wakes the UI when it moves.
    pub status: watch::Receiver<SyncStatus>,
    pub(crate) wake: Arc<Notify>,
    pub(crate) task: Option<tokio::task::JoinHandle<()>>,
}

impl SyncHandle {
    /// A handle with no sender behind it (no hub configured, or tests).
    #[must_use]
    pub fn idle(status: SyncStatus) -> (Self, watch::Sender<SyncStatus>) {
        let (tx, rx) = watch::channel(status);
        (
            Self {
                status: rx,
                wake: Arc::new(Notify::new()),
                task: None,
            },
            tx,
        )
    }

    /// Tells the sender there is something new to send (a record was enqueued or corrected).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
