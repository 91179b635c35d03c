//! What the sync engine tells the rest of the kiosk: the state of the link to the hub and the
//! address in use, for the status line and for `flush`'s exit reason. Published through a
//! `tokio::sync::watch` channel.

use serde::Serialize;

use crate::core::protocol::CampaignStatus;

/// The link to the hub as the clerk should see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "link", rename_all = "snake_case")]
pub enum Link {
    /// No hub URL in the config: the kiosk works offline on purpose.
    NoHub,
    /// Not tried yet since start.
    Unknown,
    /// The last exchange with the hub worked.
    Online,
    /// The hub could not be reached (refused, reset, DNS, timeout, 5xx, garbled answer).
    Offline { error: String, retry_at: i64 },
    /// The hub asked us to wait (503/429 with Retry-After) until this time (Unix ms).
    Busy { until: i64 },
    /// 401/403: the token is wrong or revoked; nothing is sent until the config changes.
    NotAuthorised,
    /// A hub is configured but `kiosk_id` is not: receipts would not carry this kiosk's name at
    /// the hub, so nothing is sent until it is set (and the kiosk restarted).
    Unnamed,
}

/// A snapshot of the sync engine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SyncStatus {
    pub link: Link,
    /// Unix ms of the last batch the hub answered.
    pub last_ok_at: Option<i64>,
    /// Records not yet at the hub (pending + sending).
    pub unsent: u64,
    /// Records the hub rejected, waiting for correction.
    pub rejected: u64,
    /// The campaign's remaining quota, when the hub told us.
    pub campaign: Option<CampaignStatus>,
    /// When the hub told us (Unix ms).
    pub campaign_at: Option<i64>,
    /// The hub address in use: the one that answered last, or the one tried next.
    pub hub: Option<String>,
    /// What went wrong last, with what to do about it (a certificate not trusted, a name not
    /// found, the kiosk's name at the hub, the hub's key not fetched …), until an exchange with
    /// the hub goes through.
    pub problem: Option<String>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        Self {
            link: Link::Unknown,
            last_ok_at: None,
            unsent: 0,
            rejected: 0,
            campaign: None,
            campaign_at: None,
            hub: None,
            problem: None,
        }
    }
}

impl SyncStatus {
    /// The address in use as `host:port` (`host` when the URL names no port), for the status line.
    #[must_use]
    pub fn hub_host(&self) -> Option<&str> {
        self.hub.as_deref().map(host_port)
    }
}

/// `https://hub-b.example:8443/ruamjai` → `hub-b.example:8443`.
#[must_use]
pub fn host_port(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn the_status_line_shows_host_and_port() {
        assert_eq!(host_port("http://127.0.0.1:4000"), "127.0.0.1:4000");
        assert_eq!(host_port("https://hub-b.example/ruamjai"), "hub-b.example");
        assert_eq!(host_port("https://u@[::1]:8443/"), "[::1]:8443");
        assert_eq!(host_port("hub"), "hub");
    }
}
