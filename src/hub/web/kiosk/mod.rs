//! The kiosk API: what a kiosk's token may ask of the hub (and `/v1/health`, which asks no token).

pub mod campaign;
pub mod handoff;
pub mod heartbeat;
pub mod outcomes;
pub mod submit;
