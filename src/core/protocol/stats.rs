//! The hub's counts as `GET /v1/stats` and `ruamjai hub stats --json` answer them.

use serde::{Deserialize, Serialize};

/// How many submissions ended in each outcome (`hub stats`, `GET /v1/stats`).
///
/// `accepted` and `waitlisted` count live registrations; one replaced by a correction counts in
/// `superseded` instead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCounts {
    pub accepted: u64,
    pub duplicates: u64,
    pub waitlisted: u64,
    pub rejected: u64,
    pub superseded: u64,
}

/// The last heartbeat a kiosk sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatSeen {
    /// When the hub received it, Unix milliseconds.
    pub received_at: i64,
    /// The kiosk id the kiosk reported (normally its hub name).
    pub reported_id: String,
    pub pending: u64,
    pub oldest_pending_age_secs: Option<u64>,
    pub version: String,
}

/// One kiosk (or admin token) in the stats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskStats {
    pub name: String,
    pub registration_point: String,
    pub admin: bool,
    pub revoked: bool,
    pub counts: OutcomeCounts,
    pub last_heartbeat: Option<HeartbeatSeen>,
}

/// One target group in the stats.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupStats {
    pub campaign_id: String,
    pub group: u8,
    /// The group's own quota, when the campaign sets one.
    pub quota: Option<u64>,
    pub accepted: u64,
    pub waitlisted: u64,
}

/// One day (Thailand time, `YYYY-MM-DD`) in the stats, by when the hub received the submissions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayStats {
    pub day: String,
    pub counts: OutcomeCounts,
}

/// Registrations cancelled after their answer (by an admin's `hub cancel` or a kiosk's
/// `POST /v1/cancellations`), in the stats and on the dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationStats {
    /// Registrations cancelled, in all.
    pub total: u64,
    /// How many per campaign and target group.
    pub groups: Vec<GroupCancellations>,
    /// The latest few, newest first.
    pub latest: Vec<CancellationSeen>,
}

/// Cancellations in one target group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupCancellations {
    pub campaign_id: String,
    pub group: u8,
    pub cancelled: u64,
}

/// One cancellation: when, which registration (its hub reference), who and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationSeen {
    /// When, Unix milliseconds.
    pub at: i64,
    pub hub_reference: String,
    pub campaign_id: String,
    pub group: u8,
    /// Who cancelled: `kiosk:NAME` or `admin:NAME`.
    pub by: String,
    pub reason: String,
}

/// `GET /v1/stats` answer, and `ruamjai hub stats --json`. The totals are at the top level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubStats {
    /// When these were counted, Unix milliseconds.
    pub generated_at: i64,
    /// Live accepted registrations.
    pub accepted: u64,
    pub duplicates: u64,
    /// Live waitlisted registrations.
    pub waitlisted: u64,
    pub rejected: u64,
    /// Accepted or waitlisted registrations later replaced by a correction.
    pub superseded: u64,
    /// Replays of a submission id with different content (kiosk bugs), never stored as rows.
    pub conflicts: u64,
    /// Records stored that were made with a form version this hub never published (a newer
    /// kiosk's): taken, their answers kept as sent. Absent from a hub before versions: 0.
    #[serde(default)]
    pub unpublished_versions: u64,
    pub kiosks: Vec<KioskStats>,
    pub groups: Vec<GroupStats>,
    pub days: Vec<DayStats>,
    /// Registrations cancelled after their answer: per group, and the latest few.
    #[serde(default)]
    pub cancellations: CancellationStats,
}
