//! A PostgreSQL error in words, and sorted by what to do about it (the store's one [`Failure`]).

use postgres::error::SqlState;

use crate::core::sqlite::Failure;

/// A PostgreSQL error in a person's words: the server's message and code, or the connection's.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Sorts a PostgreSQL error by what a person can do about it.
pub fn classify(e: &postgres::Error) -> Failure {
    let Some(db) = e.as_db_error() else {
        // No answer from the server: refused, timed out, or the connection dropped.
        return Failure::CannotOpen(describe(e));
    };
    let code = db.code();
    if *code == SqlState::DISK_FULL || *code == SqlState::OUT_OF_MEMORY {
        Failure::DiskFull
    } else if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        Failure::ReadOnly
    } else if *code == SqlState::LOCK_NOT_AVAILABLE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
        || *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::QUERY_CANCELED
    {
        Failure::Locked
    } else if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED {
        Failure::Corrupt(describe(e))
    } else if code.code().starts_with("08")
        || code.code().starts_with("28")
        || code.code().starts_with("57P")
        || *code == SqlState::INVALID_CATALOG_NAME
    {
        // Connection, authorisation, shutdown, no such database.
        Failure::CannotOpen(describe(e))
    } else {
        Failure::Other(describe(e))
    }
}
