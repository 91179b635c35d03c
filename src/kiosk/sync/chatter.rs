//! What the sender says to the hub besides its batches: the heartbeat, the outcome-change
//! exchange (`changes`) and the campaign look-up, at most every [`CHATTER_EVERY_MS`] on the
//! address in use, and the hub's key, taken from the campaign the hub publishes (the first, or a
//! rotated one) with the records that waited for it sealed then. None of it holds up a batch; a
//! failure is logged and kept as the kiosk's problem (`SyncStatus::problem`, the `status`
//! command's last error) until an exchange goes through.

use super::engine::Engine;
use super::status::Link;
use crate::core::protocol::Heartbeat;

/// The queue's meta key for the last store epoch the hub published.
const EPOCH_META: &str = "hub_store_epoch";
/// The queue's meta key of the latest campaign definition the hub published.
pub const HUB_FORM_META: &str = "hub_campaign";

/// How far back a rise of the hub's store epoch sends acknowledged records again (ms): longer
/// than any replication lag a failover can lose.
const RESEND_WINDOW_MS: i64 = 24 * 3_600_000;

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
                Ok(c) => self.take_campaign(c, now),
                Err(e) => tracing::debug!("campaign look-up: {e}"),
            }
        }
    }

    /// What `GET /v1/campaign` said: the quotas to show, the hub's key, and its store's epoch.
    pub(super) fn take_campaign(&mut self, c: crate::core::protocol::CampaignStatus, now: i64) {
        self.take_hub_key(&c);
        self.take_site(c.site_id.as_deref());
        self.take_epoch(c.store_epoch, now);
        self.keep_form(&c.definition);
        self.status.campaign = Some(c);
        self.status.campaign_at = Some(now);
    }

    /// Keeps the campaign the hub publishes (its definition, in the queue's meta as
    /// [`HUB_FORM_META`]) when it is a later version than the one kept: a restart with no hub
    /// starts with it (the kiosk command reads it), the shipped file staying for a first start.
    fn keep_form(&mut self, definition: &serde_json::Value) {
        let version = |d: &serde_json::Value| d.get("version").and_then(serde_json::Value::as_u64);
        let kept = self.queue().meta(HUB_FORM_META).ok().flatten();
        let kept_version = kept
            .and_then(|k| serde_json::from_str::<serde_json::Value>(&k).ok())
            .map(|k| version(&k).unwrap_or(1));
        if kept_version.is_some_and(|k| version(definition).unwrap_or(1) <= k) {
            return;
        }
        if let Err(e) = self
            .queue()
            .set_meta(HUB_FORM_META, &definition.to_string())
        {
            tracing::warn!("cannot keep the hub's campaign: {e}");
        }
    }

    /// The hub's store epoch rose (a failover that may have lost what it acknowledged lately):
    /// the records it acknowledged in the last [`RESEND_WINDOW_MS`] go again.
    fn take_epoch(&mut self, epoch: u64, now: i64) {
        let known = self
            .queue()
            .meta(EPOCH_META)
            .ok()
            .flatten()
            .and_then(|v| v.parse::<u64>().ok());
        if known == Some(epoch) {
            return;
        }
        if known.is_some_and(|k| epoch > k) {
            match self
                .queue()
                .resend_acknowledged_since(now - RESEND_WINDOW_MS)
            {
                Ok(n) => tracing::warn!(
                    "the hub's store may have lost records (its epoch rose to {epoch}): {n} acknowledged lately go again"
                ),
                Err(e) => {
                    tracing::error!("cannot send again what the hub may have lost: {e}");
                    return;
                }
            }
        }
        if let Err(e) = self.queue().set_meta(EPOCH_META, &epoch.to_string()) {
            tracing::warn!("cannot store the hub's epoch: {e}");
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

    /// `GET /v1/campaign` from the address in use, taken as [`Engine::take_campaign`] does;
    /// failures only logged (the batches said why already).
    pub(super) async fn look_at_campaign(&mut self, now: i64) {
        let Some(client) = self.current_hub() else {
            return;
        };
        match client.campaign().await {
            Ok(c) => self.take_campaign(c, now),
            Err(e) => tracing::debug!("campaign look-up: {e}"),
        }
    }

    /// Asks the hub in use for its key (`GET /v1/campaign`); a failure is the kiosk's problem
    /// (records wait for the key), said with its cause.
    pub(super) async fn learn_hub_key(&mut self, now: i64) {
        let Some(client) = self.current_hub() else {
            return;
        };
        match client.campaign().await {
            Ok(c) => self.take_campaign(c, now),
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
    fn take_hub_key(&mut self, campaign: &crate::core::protocol::CampaignStatus) {
        let Some(published) = &campaign.seal_key else {
            return;
        };
        let key = match crate::core::seal::PublicKey::from_b64(&published.public_key) {
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
