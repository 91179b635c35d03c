//! Logs go to a file in the data directory (`ruamjai.log`), never to stdout: stdout belongs to the
//! TUI and to `status`'s one line. Run by systemd with standard error on the journal (the hub's
//! unit, the flush timer's), they go there instead, where `journalctl -u` finds them. The level
//! comes from `RUAMJAI_LOG` (error, warn, info, debug, trace; default info). Log submission ids
//! and references, never names or ID numbers.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;

/// Why there is no log file.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The data directory or the log file could not be made or opened.
    #[error("{}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Logging was started already in this process.
    #[error(transparent)]
    Started(Box<dyn std::error::Error + Send + Sync>),
}

/// Starts file logging. Failing to open the log is not fatal: the kiosk must keep registering, so
/// the caller gets the reason to show once and logging is off.
pub fn init(data_dir: &Path, file_name: &str) -> Result<(), LogError> {
    let level = std::env::var("RUAMJAI_LOG")
        .ok()
        .and_then(|v| LevelFilter::from_str(v.trim()).ok())
        .unwrap_or(LevelFilter::INFO);
    let open = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LogError::Open { path, source }
    };
    crate::core::private::create_dir(data_dir).map_err(open(data_dir))?;
    let path = data_dir.join(file_name);
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    if journal_on_stderr() {
        // The journal stamps each line itself.
        return tracing_subscriber::fmt()
            .with_ansi(false)
            .without_time()
            .with_max_level(level)
            .with_writer(std::io::stderr)
            .try_init()
            .map_err(LogError::Started);
    }
    let file = options.open(&path).map_err(open(&path))?;
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(level)
        .with_writer(Mutex::new(file))
        .try_init()
        .map_err(LogError::Started)
}

/// Whether systemd connected standard error to the journal: it says so in `JOURNAL_STREAM`, the
/// stream's device and inode (systemd.exec(5)). A process that inherited the variable but not the
/// stream (a kiosk started from a service's shell, its terminal on stderr) does not match.
fn journal_on_stderr() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Some(stream) = std::env::var_os("JOURNAL_STREAM") else {
            return false;
        };
        let Some((dev, ino)) = stream.to_str().and_then(|s| s.split_once(':')) else {
            return false;
        };
        let Ok(stderr) = std::io::stderr().as_fd().try_clone_to_owned() else {
            return false;
        };
        std::fs::File::from(stderr)
            .metadata()
            .is_ok_and(|m| dev.parse() == Ok(m.dev()) && ino.parse() == Ok(m.ino()))
    }
    #[cfg(not(unix))]
    false
}
