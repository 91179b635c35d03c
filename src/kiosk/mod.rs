//! The counter: everything a kiosk runs, built with or without the hub.
//!
//! - [`queue`]: the kiosk's durable SQLite outbox.
//! - [`sync`]: the sender that drains the queue to the hub (the screen's task and `flush`).
//! - [`config`]: the kiosk's configuration (file, environment, flags).
//! - [`card`]: Thai national ID smartcards: the applet's APDUs, TIS-620, what a card fills on the
//!   form, and the PC/SC reader thread (feature `card`; always on Windows and macOS).
//! - [`print`]: the paper slip from the counter's thermal printer (drawn, ESC/POS, sent).
//! - [`tui`]: the kiosk screen (state machine, screens, event loop).
//! - [`cli`]: the kiosk commands: `kiosk` (which assembles the kiosk), `status`, `import`,
//!   `export`, `flush`, `backup`, `pin`, `completions`, `man`.

pub mod card;
pub mod cli;
pub mod config;
pub mod print;
pub mod queue;
pub mod sync;
pub mod tui;
