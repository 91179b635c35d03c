//! The kiosk API: what a kiosk's token may ask of the hub (and `/v1/health` and
//! `/v1/enrol`, which ask no token: the one trades an enrolment code for a kiosk's token).

pub mod campaign;
pub mod checkin;
pub mod enrol;
pub mod handoff;
pub mod heartbeat;
pub mod outcomes;
pub mod submit;
