//! The `ruamjai hub …` commands: arguments and dispatch (`cli`), the settings they share, and
//! one file per command family.

pub mod add_kiosk;
pub mod admin;
pub mod backup;
pub mod campaign;
pub mod cli;
pub mod enrol;
pub mod export;
pub mod migrate;
mod migrate_moved;
mod migrate_sites;
pub mod people;
pub mod serve;
pub mod settings;
pub mod sites;
