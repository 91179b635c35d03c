//! The kiosk screen: a keyboard-driven terminal UI where a clerk registers a walk-in person, shows
//! them a receipt, and goes on, online or not.
//!
//! - [`app`]: the state machine (`update(&mut App, Msg) -> Vec<Effect>`), no I/O.
//! - [`ui`]: drawing an [`App`] into a ratatui frame, width-aware.
//! - [`run`](mod@run): the event loop, effects against the queue it is given (`cli::kiosk`
//!   assembles the kiosk and starts it).
//! - [`words`]: every word the screen says, in Thai and English, one module per screen area.
//! - `backend`: the width-profile backend wrapper. `probe`: asking the terminal how it counts.
//! - `term`: the terminal guard and panic hook. `printing`: the event loop's printer thread.
//! - [`enrolling`]: the event loop's enrolment from a code on the start screen. `effects`: the
//!   queue's effects, run by the event loop.

// Drawing code reads best with x, y, w, h and l (the language); clippy counts them as noise.
#![allow(clippy::many_single_char_names, clippy::similar_names)]

pub mod app;
pub mod backend;
mod effects;
pub mod enrolling;
mod printing;
mod probe;
pub mod run;
mod term;
pub mod ui;
pub mod words;

pub use app::{App, Effect, Msg, ShiftView, update};
pub use run::run;

/// Why the kiosk screen could not start or stopped, for the clerk or IT staff.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(
        "the kiosk screen needs a terminal (standard output is not one); for scripts use status, import or export"
    )]
    NotATerminal,
    #[error("terminal error: {0}")]
    Terminal(#[from] std::io::Error),
    #[error("cannot draw the screen: {0}")]
    Draw(String),
}
