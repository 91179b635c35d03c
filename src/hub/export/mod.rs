//! Data out: the rows and their columns (`rows`), one bounded page after a `row_seq` cursor
//! (`page`), CSV, JSON Lines or xlsx written from one snapshot (`write`).

pub mod page;
pub mod rows;
pub mod write;
