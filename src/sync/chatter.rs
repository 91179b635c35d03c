//! What the sender says to the hub besides its batches: the heartbeat, the outcome-change
//! exchange (`changes`) and the campaign look-up, at most every [`CHATTER_EVERY_MS`] on the
//! address in use, and the hub's key, taken from the campaign the hub publishes (the first, or a
//! rotated one) with the records that waited for it sealed then. None of it holds up a batch; a
//! failure is logged and kept as the kiosk's problem (`SyncStatus::problem`, the `status`
//! command's last error) until an exchange goes through.

use super::engine::Engine;
use super::status::Link;
use crate::protocol::Heartbeat;

/// Heartbeats and campaign look-ups at most this often (ms).
pub(super) const CHATTER_EVERY_MS: i64 = 30_000;

impl Engine {
    /// A heartbeat and a quota look-up to the address in use, at most every [`CHATTER_EVERY_MS`];
    /// failures only logged.
    pub(super) async fn chatter(&mut self, now: i64) {
        let Some(client) = self.current_hub() else {
            return;
        };
        if self
            .last_chatter
            .is_some_and(|t| now - t < CHATTER_EVERY_MS)
        {
            return;
        }
        self.last_chatter = Some(now);
        self.report_in(now).await;
        match self.sync_changes(now).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("the hub changed the outcome of {n} records"),
            Err(e) => tracing::debug!("outcome changes: {e}"),
        }
        if self.status.link == Link::Online {
            match client.campaign().await {
                Ok(c) => {
                    self.take_hub_key(&c);
                    self.status.campaign = Some(c);
                    self.status.campaign_at = Some(now);
                }
                Err(e) => tracing::debug!("campaign look-up: {e}"),
            }
        }
    }

    /// A heartbeat to the address in use, pending or not: every running kiosk and every `flush`
    /// reports in, so an idle kiosk does not look dead. Returns whether the hub took it.
    pub(super) async fn report_in(&mut self, now: i64) -> bool {
        let Some(client) = self.current_hub() else {
            return false;
        };
        let Ok(stats) = self.queue().stats() else {
            return false;
        };
        let hb = Heartbeat {
            kiosk_id: self.queue().kiosk_id().to_owned(),
            pending: stats.unsent,
            oldest_pending_age_secs: stats
                .oldest_unsent_created_at
                .map(|t| ((now - t).max(0) / 1000) as u64),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        match client.heartbeat(&hb).await {
            Ok(()) => true,
            Err(e) => {
                tracing::debug!("heartbeat: {e}");
                self.note_failure(now, &e.to_string());
                false
            }
        }
    }

    /// Asks the hub in use for its key (`GET /v1/campaign`); a failure is the kiosk's problem
    /// (records wait for the key), said with its cause.
    pub(super) async fn learn_hub_key(&mut self, now: i64) {
        let Some(client) = self.current_hub() else {
            return;
        };
        match client.campaign().await {
            Ok(c) => self.take_hub_key(&c),
            Err(e) => {
                tracing::debug!("hub key look-up: {e}");
                self.note_failure(
                    now,
                    &format!("records wait for the hub's key, which could not be fetched: {e}"),
                );
            }
        }
    }

    /// Makes the key the hub publishes the one new records are sealed to (the first, or a
    /// rotated one), then seals what waited for it.
    fn take_hub_key(&mut self, campaign: &crate::protocol::CampaignStatus) {
        let Some(published) = &campaign.seal_key else {
            return;
        };
        let key = match crate::seal::PublicKey::from_b64(&published.public_key) {
            Ok(k) if k.key_id() == published.key_id => k,
            _ => {
                tracing::warn!("the hub published a key that is not one; keeping the one known");
                return;
            }
        };
        match self.queue().set_hub_key(&key) {
            Ok(true) => {
                tracing::info!("sealing to the hub's key {}", key.key_id());
                match self.queue().seal_waiting() {
                    Ok(r) if r.sealed_for_hub + r.sealed_in_place > 0 => tracing::info!(
                        "sealed {} records for the hub, {} in place",
                        r.sealed_for_hub,
                        r.sealed_in_place
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("sealing the waiting records: {e}"),
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!("storing the hub's key: {e}"),
        }
    }
}
