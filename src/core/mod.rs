//! What the kiosk and the hub share, and nothing else: neither side's code lives here.
//!
//! - [`thai`]: the Thai text core (widths, editing, input check, normalisation, Kedmanee, national
//!   IDs, BE dates, phones).
//! - [`form`]: campaign definitions, field rules, validation into one [`form::Registration`].
//! - [`protocol`]: the JSON wire types between kiosk and hub.
//! - [`seal`]: sealing personal data (HPKE to the hub or the shift, a key under a PIN, a keyed
//!   hash): crypto only, no storage.
//! - [`csv_text`]: which text encoding a CSV file is in (UTF-8 or Windows-874), for the kiosk's
//!   import and the hub's `sites import`.
//! - [`enrolment`]: the one enrolment code (`RJ1.…`) and the wire types of `POST /v1/enrol`.
//! - [`qr`]: a QR code drawn as text (the receipt's, the enrolment code's).
//! - [`refcode`]: receipt references (`SK01-00A7-Q`): made by the kiosk, checked by the hub.
//! - [`sqlite`]: opening a SQLite file one way (WAL, FULL sync, migrations) for queue and hub.
//! - [`logging`]: tracing to a file, never stdout.
//! - [`private`]: data directories `0700`, stores `0600`, and a warning when others can look in.
//! - [`toml_error`]: TOML errors with line and key, for config and campaign files.

pub mod csv_text;
pub mod enrolment;
pub mod form;
pub mod logging;
pub mod private;
pub mod protocol;
pub mod qr;
pub mod refcode;
pub mod seal;
pub mod sqlite;
pub mod thai;
pub mod toml_error;
