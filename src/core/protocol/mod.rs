//! Wire types shared by the kiosk and the hub (JSON over HTTP, versioned under `/v1`).
//!
//! Only plain data lives here: what a kiosk sends, what the hub answers. The registration itself is
//! [`crate::core::form::Registration`], validated and normalised by the same code on both sides.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::core::form::Registration;

mod appointment;
mod checkin;
mod stats;

pub use appointment::{Appointment, state as appointment_state};
pub use checkin::{
    DEFAULT_LIST_DAYS, Dose, DoseBatch, DoseResponse, DoseResult, ListedElsewhere, ListedPerson,
    MAX_DOSES, MAX_LIST_DAYS, SiteList, dose_status, person_hash,
};
pub use stats::*;

/// An instant (Unix milliseconds) as ruamjai writes it for people and files: UTC to the second,
/// `2026-11-25T19:55:00Z`. The kiosk's `export` and `status --json`, and the hub's `stats` and
/// `hub export`, all write it so, so a kiosk's list and the hub's line up.
#[must_use]
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// The path prefix of this protocol version.
pub const API_PREFIX: &str = "/v1";

/// Default limits of one batch; the hub answers `413` beyond them.
pub const MAX_BATCH_ITEMS: usize = 500;
/// Default byte limit of one batch body.
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// One registration as sent to the hub. The envelope is strict (a field added to it is a new
/// protocol version); the registration inside keeps the fields it does not know
/// ([`Registration::extra`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// UUIDv7 made at enqueue; the same on every retry (idempotency key).
    pub submission_id: Uuid,
    /// The reference printed on the kiosk's receipt.
    pub reference: String,
    /// When the clerk saved it, Unix milliseconds.
    pub created_at: i64,
    /// The clerk on shift.
    pub operator: String,
    /// A correction names the submission it replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Uuid>,
    /// The registration in clear: a kiosk from before sealing, or one set to clear on purpose.
    /// Exactly one of `registration` and `sealed` is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    /// The registration's JSON sealed to the hub's key ([`crate::core::seal`]), bound to the kiosk's
    /// name and this submission id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedBox>,
}

/// Bytes sealed to one of the hub's keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedBox {
    /// Which of the hub's keys ([`crate::core::seal::PublicKey::key_id`]).
    pub key_id: String,
    /// `enc || ciphertext`, base64.
    pub data: String,
}

/// The hub's current public key, as `GET /v1/campaign` publishes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealKey {
    pub key_id: String,
    /// The X25519 public key, base64 (32 bytes).
    pub public_key: String,
}

/// `POST /v1/submissions` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionBatch {
    pub items: Vec<Submission>,
}

/// The `field` of a refusal that is not the record's fault: its reference's prefix is not the
/// one the sending kiosk makes from its name at the hub (its `kiosk_id` is set to another
/// name). The hub stores nothing of it; the kiosk keeps the record and sends it again, as it
/// is, once the names agree.
pub const NOT_THIS_KIOSK_NAME: &str = "kiosk_id";

/// What the hub decided for one submission. Replaying the same submission returns the same outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Registered; `hub_reference` is the province-wide reference.
    Accepted { hub_reference: String },
    /// This person is already registered for the campaign.
    Duplicate {
        first_reference: String,
        first_kiosk: String,
        first_registration_point: String,
    },
    /// Registered beyond the dose quota, at this place on the waiting list.
    Waitlisted {
        hub_reference: String,
        position: u64,
    },
    /// Validation failed at the hub; the record needs correcting. With `field` =
    /// [`NOT_THIS_KIOSK_NAME`] nothing is wrong with the record: its reference was made under
    /// another name than the kiosk's at the hub, and the kiosk keeps it to send again.
    Rejected { field: String, reason: String },
    /// The same submission id arrived before with different content (a kiosk bug).
    Conflict { message: String },
    /// Cancelled after it was registered (by its kiosk or an admin); its place went to the
    /// waiting list. `hub_reference` is the reference it had.
    Cancelled {
        hub_reference: String,
        reason: String,
    },
}

impl Outcome {
    /// The queue state a kiosk records for this outcome.
    #[must_use]
    pub fn state_name(&self) -> &'static str {
        match self {
            Self::Accepted { .. } => "accepted",
            Self::Duplicate { .. } => "duplicate",
            Self::Waitlisted { .. } => "waitlisted",
            Self::Rejected { .. } | Self::Conflict { .. } => "rejected",
            Self::Cancelled { .. } => "cancelled",
        }
    }

    /// The reference the hub gave, if any (the first registration's for a duplicate).
    #[must_use]
    pub fn server_reference(&self) -> Option<&str> {
        match self {
            Self::Accepted { hub_reference }
            | Self::Waitlisted { hub_reference, .. }
            | Self::Cancelled { hub_reference, .. } => Some(hub_reference),
            Self::Duplicate {
                first_reference, ..
            } => Some(first_reference),
            Self::Rejected { .. } | Self::Conflict { .. } => None,
        }
    }
}

/// One item of a batch answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemOutcome {
    pub submission_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The appointment given with an acceptance, once the hub has one (a hub without sites
    /// gives none; a kiosk from before appointments ignores it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<Appointment>,
}

impl ItemOutcome {
    /// An answer with no appointment.
    #[must_use]
    pub fn new(submission_id: Uuid, outcome: Outcome) -> Self {
        Self {
            submission_id,
            outcome,
            appointment: None,
        }
    }
}

/// `POST /v1/submissions` answer: one outcome per item, in the order sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponse {
    pub outcomes: Vec<ItemOutcome>,
}

/// One cancellation a kiosk sends: its own submission, cancelled at the counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cancellation {
    /// The submission cancelled (the idempotency key: cancelling it again changes nothing).
    pub submission_id: Uuid,
    pub reason: String,
}

/// `POST /v1/cancellations` body; the answer is a [`BatchResponse`]: each submission's outcome
/// after the cancellation (`cancelled`, or what it was when there was nothing to cancel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancellationBatch {
    pub items: Vec<Cancellation>,
}

/// One change of a kiosk's record's outcome after its first answer (`GET /v1/outcomes`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeChange {
    /// The change's place in the hub's history: the cursor to ask after.
    pub seq: u64,
    pub submission_id: Uuid,
    /// The outcome it has now.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The appointment it has now: a change of appointment alone (a closed site's people moved,
    /// a dose recorded, a no-show) is a change in this feed too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<Appointment>,
}

/// `GET /v1/outcomes?after=CURSOR` answer: this kiosk's changes after `CURSOR`, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeChanges {
    pub changes: Vec<OutcomeChange>,
    /// The cursor for the next request (the last change's `seq`, or `after` when none).
    pub next: u64,
    /// More changes wait beyond this page.
    pub more: bool,
}

/// Changes in one `GET /v1/outcomes` page at most.
pub const MAX_OUTCOME_CHANGES: usize = 500;

/// `POST /v1/heartbeat` body: lets the centre see counters that cannot send. The hub refuses
/// unknown fields, a `kiosk_id` or `version` outside their character sets and lengths, and
/// counts out of range (`400`, naming the field).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    pub kiosk_id: String,
    pub pending: u64,
    pub oldest_pending_age_secs: Option<u64>,
    pub version: String,
}

/// Remaining doses for one target group (`GET /v1/campaign`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupQuota {
    pub group: u8,
    pub quota: Option<u64>,
    pub registered: u64,
    pub remaining: Option<u64>,
}

/// `GET /v1/campaign` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignStatus {
    pub campaign_id: String,
    pub total_quota: u64,
    pub registered: u64,
    pub remaining: u64,
    pub groups: Vec<GroupQuota>,
    /// The campaign definition the hub validates against.
    pub definition: serde_json::Value,
    /// The key kiosks seal registrations to (absent from a hub before sealing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<SealKey>,
    /// Rises when the hub's store may have lost records it acknowledged (a failover under
    /// asynchronous replication): a kiosk that sees it rise sends again what the hub
    /// acknowledged lately. Absent from a hub before it: 0.
    #[serde(default)]
    pub store_epoch: u64,
    /// The vaccination site this kiosk checks people in for (`hub add-kiosk NAME --site ID`);
    /// absent for a registration kiosk and from a hub before check-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
}

/// Every error answer from the hub has this body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable machine word: `unauthorized`, `overloaded`, `too_large`, `bad_request`, ...
    pub error: String,
    /// A sentence for the person reading the log.
    pub message: String,
}

/// `GET /v1/health` answer (no authentication; answers even when the hub sheds load). `200` with
/// `status: "ok"` when this process can read its store, `503` with `status: "store_unreachable"`
/// when it cannot, so a load balancer takes it out of rotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"`, or `"store_unreachable"`.
    pub status: String,
    /// The hub's program version.
    pub version: String,
    pub campaign_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_is_tagged_by_status_and_flattened_in_items() {
        let item = ItemOutcome {
            submission_id: Uuid::nil(),
            outcome: Outcome::Waitlisted {
                hub_reference: "H-1".into(),
                position: 3,
            },
            appointment: None,
        };
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(json["status"], "waitlisted");
        assert_eq!(json["position"], 3);
        assert_eq!(json["submission_id"], Uuid::nil().to_string());
        let back: ItemOutcome = serde_json::from_value(json).unwrap();
        assert_eq!(back, item);
    }

    #[test]
    fn outcome_maps_to_queue_states() {
        let rejected = Outcome::Rejected {
            field: "phone".into(),
            reason: "x".into(),
        };
        assert_eq!(rejected.state_name(), "rejected");
        assert_eq!(rejected.server_reference(), None);
        let dup = Outcome::Duplicate {
            first_reference: "SK02-0001-7Q".into(),
            first_kiosk: "SK02".into(),
            first_registration_point: "x".into(),
        };
        assert_eq!(dup.state_name(), "duplicate");
        assert_eq!(dup.server_reference(), Some("SK02-0001-7Q"));
    }
}
