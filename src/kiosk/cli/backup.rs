//! `ruamjai backup FILE`: a consistent copy of the kiosk's queue while the kiosk runs (SQLite's
//! online backup, through [`crate::core::sqlite::backup`]), created `0600` on Unix. It is a copy of
//! the file's pages: nothing in it is opened or decoded, so the registrations stay sealed (to
//! the hub's key and to the shift's, which only the counter's PIN opens) and no PIN is asked.
//!
//! To restore one: stop the kiosk and put the copy in place of `queue.sqlite3` in the data
//! directory (README, "Backups").

use std::path::{Path, PathBuf};

use crate::core::sqlite::Failure;
use crate::kiosk::config::Config;

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no queue at {} to back up: check --data-dir or RUAMJAI_DATA_DIR", .0.display())]
    NoQueue(PathBuf),
    #[error("cannot copy the queue {} into {}: {}", from.display(), to.display(), words(.failure))]
    Copy {
        from: PathBuf,
        to: PathBuf,
        failure: Failure,
    },
}

/// A clerk's or technician's words for what stopped the copy.
fn words(failure: &Failure) -> String {
    match failure {
        Failure::DiskFull => "the disk is full; free some space and try again".into(),
        Failure::ReadOnly => "a file or folder is read-only; check its permissions".into(),
        Failure::Locked => "the queue stayed busy; try again in a moment".into(),
        Failure::Corrupt(d) => format!("the queue is damaged ({d}); keep a copy of the file"),
        Failure::NewerSchema { found, .. } => format!("schema {found} is newer than this ruamjai"),
        Failure::CannotOpen(d) | Failure::Other(d) => d.clone(),
    }
}

/// `ruamjai backup FILE`: prints where the copy went; exit code 0.
pub fn run(config: &Config, file: &Path) -> Result<i32, BackupError> {
    let from = config.queue_path();
    if !from.is_file() {
        return Err(BackupError::NoQueue(from));
    }
    crate::core::sqlite::backup(&from, file).map_err(|failure| BackupError::Copy {
        from: from.clone(),
        to: file.to_path_buf(),
        failure,
    })?;
    println!(
        "backed up {} into {} (its records sealed as they are)",
        from.display(),
        file.display()
    );
    Ok(0)
}
