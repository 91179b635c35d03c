//! The sync engine: delivers the queue to the hub in batches, records each item's outcome, backs
//! off with full jitter on transient failures, obeys Retry-After, and stops on 401/403 until the
//! config changes. One implementation, two drivers: the TUI's background task and `ruamjai flush`.
//!
//! - `status`: what the engine reports ([`SyncStatus`], [`Link`]).

pub mod status;

pub use status::{Link, SyncStatus};
