//! The outcome-change exchange with the hub, after a record's first answer: cancellations made
//! here go to the hub (`POST /v1/cancellations`), and the changes the hub made to this kiosk's
//! records come back (`GET /v1/outcomes?after=`, page after page) into the queue. Called with
//! the heartbeat and by `flush`. Sending the records themselves is the engine's round.

use super::client::SendError;
use super::engine::Engine;
use crate::core::protocol::{Cancellation, CancellationBatch};
use crate::kiosk::queue::QueueError;

/// Why cancellations or outcome changes could not be exchanged with the hub.
#[derive(Debug, thiserror::Error)]
pub enum SyncChangesError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error(transparent)]
    Hub(#[from] SendError),
}

impl Engine {
    /// Tells the hub of cancellations made here, then fetches the changes the hub made to this
    /// kiosk's records (page after page) and records them; how many records changed. Called
    /// with the heartbeat and by `flush`, with or without anything pending.
    pub async fn sync_changes(&mut self, now: i64) -> Result<usize, SyncChangesError> {
        let Some(client) = self.current_hub() else {
            return Ok(0);
        };
        loop {
            let due = self
                .queue()
                .cancellations_due(crate::core::protocol::MAX_BATCH_ITEMS)?;
            if due.is_empty() {
                break;
            }
            let batch = CancellationBatch {
                items: due
                    .into_iter()
                    .map(|(submission_id, reason)| Cancellation {
                        submission_id,
                        reason,
                    })
                    .collect(),
            };
            let answer = client.cancel(&batch).await?;
            self.queue().cancellations_answered(&answer.outcomes, now)?;
        }
        let mut changed = 0;
        // Bounded: a kiosk's records change a bounded number of times.
        for _ in 0..1000 {
            let after = self.queue().outcomes_after()?;
            let page = client.outcomes(after).await?;
            changed += self.queue().apply_changes(&page.changes, page.next, now)?;
            if !page.more {
                break;
            }
        }
        Ok(changed)
    }
}
