//! Intake: a submission from the wire to the store — opened, prepared, handed to the one writer,
//! decided, and, after it, cancellations and the waiting list.

pub mod admin;
pub mod backlog;
pub mod counts;
pub mod decide;
pub mod history;
pub mod known;
pub mod open;
pub mod prepare;
pub mod versions;
pub mod waitlist;
pub mod writer;
