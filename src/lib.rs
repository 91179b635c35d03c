//! ruamjai: the registration counter that keeps going.
//!
//! - [`thai`]: the Thai text core (widths, editing, input check, normalisation, Kedmanee, IDs,
//!   dates, phones). Shared by kiosk and hub.

pub mod thai;
