//! A read on the pool, off the async threads, for any handler.

use std::sync::Arc;

use super::body::ApiError;
use crate::hub::store::db::{Db, DbError};

use super::state::Shared;

/// Runs a read on the pool, off the async threads.
pub async fn read<T: Send + 'static>(
    st: &Arc<Shared>,
    f: impl Fn(&mut dyn Db) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ApiError> {
    let reads = Arc::clone(&st.reads);
    tokio::task::spawn_blocking(move || reads.with(f))
        .await
        .map_err(|_| ApiError::bad_request("The request was cancelled"))?
        .map_err(|e| ApiError::storage(&e, st.door.retry_after_secs))
}
