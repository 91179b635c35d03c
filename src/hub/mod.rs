//! `ruamjai hub`: the central API the kiosks deliver their queues to, built to shed load rather
//! than fall over at the 09:00 rush (Samut Sakhon's registration site died on 16 July 2564 BE).
//!
//! The hub shares only [`crate::core::protocol`], [`crate::core::form`] and
//! [`crate::core::thai`] with the kiosk. It is kept in folders by what they do, each with its
//! purpose in its `mod.rs`:
//!
//! - `web`: the accept loop, the guards, the bodies, the kiosk API, the admin API and the
//!   dashboard, served from one route table.
//! - `intake`: a submission from the wire to the store: open, prepare, the one writer, decide,
//!   cancellations and the waiting list.
//! - `places`: the registration points and the kiosks on the token list.
//! - `access`: tokens as last read, people's roles and the access log, dashboard sessions.
//! - `reports`: stats, metrics, the Nagios check.
//! - `export`: data out (CSV, JSON Lines, xlsx).
//! - `sites`: vaccination sites, their days, and the appointment each accepted person is given.
//! - `store`: one interface over SQLite and PostgreSQL, and the store's lineage.
//! - `commands`: the `ruamjai hub …` commands (`enrol`: the one enrolment code a kiosk is set
//!   up with; `web::kiosk::enrol` trades it once, `web::tls` is the hub's own HTTPS).
//! - `keys` (the hub's key pairs), `error` (`HubError`), `clock` (its reading of the time).
//!
//! This file only declares the folders and names the hub's public face; nothing inside the hub
//! names a path through it.

pub mod access;
pub mod clock;
pub mod commands;
pub mod error;
pub mod export;
pub mod intake;
pub mod keys;
pub mod places;
pub mod reports;
pub mod sites;
pub mod store;
pub mod web;

pub use crate::core::protocol::HubStats;
pub use commands::cli;
pub use error::HubError;
pub use places::kiosks::{ADMIN_PREFIX, KIOSK_PREFIX, add_kiosk, add_site_kiosk, revoke_kiosk};
pub use reports::stats::from_store as stats;
pub use store::Database;
pub use web::hub::{Hub, HubOptions, serve, serve_with_metrics};
