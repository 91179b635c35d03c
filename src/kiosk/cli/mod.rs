//! The kiosk side's commands: `kiosk` (the screen, and the one place that assembles it), the
//! headless ones (`status`, `import`, `export`, `backup`, `flush`, `enrol`, `card read`,
//! `checkin REFERENCE`), and `completions`
//! and `man` (see `manual`). The headless ones open the same queue and campaign the screen uses,
//! print for IT staff and return a process exit code; each says why it failed in its own typed
//! error, which `main.rs` prints.

pub mod backup;
pub mod card;
pub mod checkin;
pub mod enrol;
pub mod export;
pub mod flush;
pub mod import;
pub mod kiosk;
pub mod manual;
pub mod pin;
pub mod print;
pub mod status;
pub mod status_checkin;
