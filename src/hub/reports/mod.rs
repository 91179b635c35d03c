//! Reports: what the hub tells about itself — the counts (`hub stats`, `GET /v1/stats`), the
//! Prometheus metrics, the Nagios check (`hub status`).

pub mod metrics;
pub mod stats;
pub mod status;
