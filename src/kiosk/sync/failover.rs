//! The hub's addresses and which one the sender uses: one [`HubClient`] per address (same token,
//! same TLS settings), the first preferred. An exchange goes to the address in use; when that one
//! does not answer or answers 503 ([`SendError::fails_over`]) the same request goes at once to the
//! others, the preferred first, and the first that answers becomes the one in use. After
//! [`COME_BACK_MS`] on a later address the first is tried again. When none answers, the next try
//! starts again from the first.
//!
//! Resending a batch elsewhere is safe because the addresses are processes of one hub on one
//! store: the same submission ids go again and the hub answers a replay with its first answer.

use super::client::{HubClient, SendError};

/// How long the sender stays on a later address before it tries the first again (ms).
pub const COME_BACK_MS: i64 = 5 * 60_000;

/// The clients, the one in use, and since when.
#[derive(Debug)]
pub struct Hubs {
    clients: Vec<HubClient>,
    current: usize,
    /// When the sender moved to the (later) address it is on (Unix ms).
    moved_at: i64,
}

/// What an exchange came to: the answer (or why none came), and how many tries failed.
pub struct Tried<T> {
    pub answer: Result<T, SendError>,
    pub failed: u32,
}

impl Hubs {
    /// The addresses in order; `None` when there are none.
    #[must_use]
    pub fn new(clients: Vec<HubClient>) -> Option<Self> {
        (!clients.is_empty()).then_some(Self {
            clients,
            current: 0,
            moved_at: 0,
        })
    }

    /// The client in use (heartbeats go here).
    #[must_use]
    pub fn current(&self) -> &HubClient {
        &self.clients[self.current]
    }

    /// Goes on from where an earlier sender left off: the address `url` it moved to at
    /// `moved_at` (from the queue's meta), when that is still one of these addresses. A `flush`
    /// run by a timer then does not wait for a dead first address every time, only once it is
    /// due to be tried again (as the running sender does).
    pub fn resume(&mut self, url: &str, moved_at: i64) {
        if let Some(i) = self.clients.iter().position(|c| c.base() == url) {
            self.current = i;
            self.moved_at = moved_at;
        }
    }

    /// When the sender moved to the address in use (Unix ms; 0 for the first address).
    #[must_use]
    pub fn moved_at(&self) -> i64 {
        if self.current == 0 { 0 } else { self.moved_at }
    }

    /// The address in use.
    #[must_use]
    pub fn url(&self) -> &str {
        self.current().base()
    }

    /// Sends with `call` to the address in use, then to the others the preferred first, until one
    /// answers in a way that is not a reason to move on. (`call` takes its own handle on the
    /// client: an `AsyncFn(&HubClient)` would make the sender's task not `Send`.)
    pub async fn exchange<T, F>(&mut self, now: i64, call: impl Fn(HubClient) -> F) -> Tried<T>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        if self.current != 0 && now - self.moved_at >= COME_BACK_MS {
            tracing::info!(
                hub = self.clients[0].base(),
                "trying the first hub address again"
            );
            self.current = 0;
        }
        let mut failed: Vec<(usize, SendError)> = Vec::new();
        for i in self.order() {
            match call(self.clients[i].clone()).await {
                Err(e) if e.fails_over() => {
                    tracing::warn!(hub = self.clients[i].base(), "{e}; trying another address");
                    failed.push((i, e));
                }
                answer => {
                    if i != self.current {
                        tracing::info!(hub = self.clients[i].base(), "now sending to this address");
                        self.current = i;
                        self.moved_at = now;
                    }
                    let failed = failed.len() as u32 + u32::from(answer.is_err());
                    return Tried { answer, failed };
                }
            }
        }
        // None answered: the next try starts from the preferred address.
        self.current = 0;
        let tries = failed.len() as u32;
        Tried {
            answer: Err(self.none_answered(failed)),
            failed: tries,
        }
    }

    /// The one in use, then the others in the order of preference.
    fn order(&self) -> Vec<usize> {
        std::iter::once(self.current)
            .chain((0..self.clients.len()).filter(|&i| i != self.current))
            .collect()
    }

    /// One error for a round in which every address failed: a wait a hub asked for, else the
    /// failure (with one address), else each address's failure.
    fn none_answered(&self, mut failed: Vec<(usize, SendError)>) -> SendError {
        if let Some(at) = failed
            .iter()
            .rposition(|(_, e)| matches!(e, SendError::RetryAfter { .. }))
        {
            return failed.swap_remove(at).1;
        }
        if failed.len() == 1 {
            return failed.swap_remove(0).1;
        }
        let each: Vec<String> = failed
            .iter()
            .map(|(i, e)| format!("{}: {e}", self.clients[*i].base()))
            .collect();
        SendError::Unreachable(format!("no hub address answered: {}", each.join("; ")))
    }
}
