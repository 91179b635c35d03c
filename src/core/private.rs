//! Personal data stays with its owner on disk: data directories are created `0700` and the
//! SQLite stores `0600` on Unix (SQLite gives a store's `-wal` and `-shm` files the store's own
//! mode), and a directory that others can already enter is reported so IT staff can close it.
//!
//! On Windows nothing is changed: the default data directory is under the user's profile
//! (`%APPDATA%`), which Windows already keeps to that user and the administrators.

use std::io;
use std::path::Path;

/// Creates `dir` and any missing parents, each new one open to its owner only.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Creates (or empties) the file at `path` for personal data handed over, such as an export: a
/// new file is readable by its owner only on Unix; an existing one keeps the mode it was given.
pub fn create_file(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes sure the store at `path` (and its `-wal`, `-shm` when present) is readable by its owner
/// only: a new store is created empty with mode `0600` before SQLite opens it.
///
/// An existing file is never opened here, only `chmod`ed by path: closing any descriptor of a
/// SQLite file drops every POSIX lock this process holds on it, the locks of open connections
/// included (SQLite's "How To Corrupt" §2.2).
pub fn prepare_store(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if std::fs::symlink_metadata(path).is_err() {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
            {
                Ok(_) => {}
                // Another process made it meanwhile: then it is theirs to have made.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        for file in [path.to_path_buf(), side(path, "-wal"), side(path, "-shm")] {
            match std::fs::metadata(&file) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(unix)]
fn side(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// A sentence for IT staff when other users can enter or read `dir`; `None` when it is private
/// (or does not exist yet, or this is not Unix).
#[must_use]
pub fn exposure(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| {
            format!(
                "{} holds personal data and other users can open it (mode {mode:o}): run chmod 700 {}",
                dir.display(),
                dir.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_directories_and_stores_are_the_owners_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("a")), 0o700);
        assert!(exposure(&dir).is_none());
        let store = dir.join("s.sqlite3");
        prepare_store(&store).unwrap();
        assert_eq!(mode(&store), 0o600);
    }

    #[test]
    fn an_open_directory_is_reported_and_open_store_files_are_closed() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let said = exposure(tmp.path()).unwrap();
        assert!(said.contains("755") && said.contains("chmod 700"), "{said}");
        let store = tmp.path().join("s.sqlite3");
        for f in [store.clone(), side(&store, "-wal")] {
            std::fs::write(&f, b"").unwrap();
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        prepare_store(&store).unwrap();
        assert_eq!(mode(&store), 0o600);
        assert_eq!(mode(&side(&store, "-wal")), 0o600);
    }
}
