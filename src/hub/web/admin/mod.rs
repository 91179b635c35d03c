//! The admin API: what an admin's (or, for the registrations, a reader's) token may ask of the hub.

pub mod metrics;
pub mod registrations;
pub mod stats;
