//! ruamjai (รวมใจ): the registration counter that keeps going.
//!
//! A keyboard-driven terminal kiosk in Thai and English that takes walk-in registrations, stores
//! each durably in a local SQLite queue, hands the person a receipt, and delivers the queue to a
//! central API whenever the network allows; plus that central API, built to shed load.
//!
//! Three parts, in one direction: [`kiosk`] and [`hub`] both use [`core`], never each other.
//!
//! - [`core`]: what both sides share: Thai text, the form, the wire types, sealing, receipt
//!   references, and opening a SQLite file, private files and logging.
//! - [`kiosk`]: the counter: its queue, sender, configuration, ID card reader, screen and
//!   commands.
//! - [`hub`]: the central API (`ruamjai hub serve`), behind the cargo feature `hub` (on by
//!   default; `--no-default-features` builds the kiosk alone, without the server's crates).
//! - [`demo`]: the one place the two meet: a hub on loopback and a kiosk pointed at it.

pub mod core;
#[cfg(feature = "hub")]
pub mod demo;
#[cfg(feature = "hub")]
pub mod hub;
pub mod kiosk;
