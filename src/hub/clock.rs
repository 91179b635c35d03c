//! The hub's one reading of the wall clock.

/// The wall clock in Unix milliseconds (0 before 1970), the hub's one reading of it.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
