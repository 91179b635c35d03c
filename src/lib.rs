//! ruamjai (รวมใจ): the registration counter that keeps going.
//!
//! A keyboard-driven terminal kiosk in Thai and English that takes walk-in registrations, stores
//! each durably in a local SQLite queue, hands the person a receipt, and delivers the queue to a
//! central API whenever the network allows; plus that central API, built to shed load.
//!
//! - [`thai`]: the Thai text core (widths, editing, input check, normalisation, Kedmanee, national
//!   IDs, BE dates, phones). Shared by kiosk and hub.
//! - [`form`]: campaign definitions, field rules, validation into one [`form::Registration`].
//!   Shared by kiosk and hub.
//! - [`protocol`]: the JSON wire types between kiosk and hub. Shared.
//! - [`seal`]: sealing personal data (HPKE to the hub or the shift, a key under a PIN, a keyed
//!   hash): crypto only, no storage. Shared.
//! - [`queue`]: the kiosk's durable SQLite outbox.
//! - [`refcode`]: receipt references (`SK01-00A7-Q`): made by the kiosk, checked by the hub.
//!   Shared.
//! - [`sync`]: the sync engine that drains the queue to the hub (TUI task and `flush`).
//! - [`config`]: the kiosk's configuration (file, environment, flags).
//! - [`card`]: Thai national ID smartcards: the applet's APDUs, TIS-620, what a card fills on the
//!   form, and the PC/SC reader thread (feature `card`; always on Windows and macOS).
//! - [`cli`]: the kiosk commands: `kiosk` (which assembles the kiosk), `status`, `import`,
//!   `export`, `flush`, `demo`, `completions`, `man`.
//! - [`hub`]: the central API (`ruamjai hub serve`): dedup across kiosks, quotas, load shedding.
//! - [`sqlite`]: opening a SQLite file one way (WAL, FULL sync, migrations) for queue and hub.
//! - [`logging`]: tracing to a file, never stdout.
//! - [`private`]: data directories `0700`, stores `0600`, and a warning when others can look in.
//! - [`toml_error`]: TOML errors with line and key, for config and campaign files.
//! - [`tui`]: the kiosk screen (state machine, screens, event loop).

pub mod card;
pub mod cli;
pub mod config;
pub mod form;
pub mod hub;
pub mod logging;
pub mod private;
pub mod protocol;
pub mod queue;
pub mod refcode;
pub mod seal;
pub mod sqlite;
pub mod sync;
pub mod thai;
pub mod toml_error;
pub mod tui;
