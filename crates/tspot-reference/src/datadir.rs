//! The data directory holds secrets at rest: password hashes, sessions, trusted-authentication
//! tokens. Only its owner may enter it or read the files in it.
//!
//! On Unix, [`prepare`] creates the directory with mode 0700, and the store's database file with
//! mode 0600 before SQLite opens it (SQLite gives the `-wal` and `-shm` files the mode of the
//! database file). A directory or a file left by an earlier run (or made by hand) with any
//! permission for the group or for others is restricted to its owner, with a warning naming it;
//! when that is impossible (someone else owns it), opening is refused.
//!
//! Files that the server creates later (the demo database) get the process's umask; `tspot serve`
//! sets one that keeps them private, and the next start restricts any that were not.

use std::path::Path;

use crate::OpenError;

/// The store's database file in the data directory.
pub const STORE_FILE: &str = "tspot.sqlite3";

/// Creates the data directory when missing and makes it and the files in it private to the owner.
/// Call before the store is opened.
pub fn prepare(data_dir: &Path) -> Result<(), OpenError> {
    imp::prepare(data_dir)
}

#[cfg(unix)]
mod imp {
    use std::fs::{self, DirBuilder, OpenOptions};
    use std::io::ErrorKind;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    use std::path::Path;

    use super::STORE_FILE;
    use crate::OpenError;

    /// Permission bits for the group and for others.
    const SHARED: u32 = 0o077;

    pub fn prepare(data_dir: &Path) -> Result<(), OpenError> {
        let cannot_create = |source| OpenError::DataDir {
            path: data_dir.display().to_string(),
            source,
        };
        if let Some(parent) = data_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(cannot_create)?;
        }
        match DirBuilder::new().mode(0o700).create(data_dir) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(cannot_create(e)),
        }
        let metadata = fs::metadata(data_dir).map_err(cannot_create)?;
        if !metadata.is_dir() {
            return Err(cannot_create(std::io::Error::new(
                ErrorKind::NotADirectory,
                "it exists and is not a directory",
            )));
        }
        restrict(
            data_dir,
            "the data directory",
            metadata.permissions().mode(),
        )?;

        // Regular files only: a symbolic link's target is not the data directory's to change.
        let entries = fs::read_dir(data_dir).map_err(cannot_create)?;
        for entry in entries {
            let entry = entry.map_err(cannot_create)?;
            let Ok(metadata) = entry.path().symlink_metadata() else {
                continue; // gone meanwhile
            };
            if metadata.is_file() {
                let mode = metadata.permissions().mode();
                restrict(&entry.path(), "the data file", mode)?;
            }
        }

        // SQLite creates a missing database file with mode 0644 less the umask, and its -wal and
        // -shm files with the database file's mode: an empty file of mode 0600 (an empty database
        // to SQLite) keeps all three private whatever the umask.
        let store = data_dir.join(STORE_FILE);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&store)
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(OpenError::Other(format!(
                "cannot create the store {}: {e}",
                store.display()
            ))),
        }
    }

    /// Removes the group's and others' permissions from `path` (whose mode is `mode`), warning
    /// when there were any; refuses when they cannot be removed.
    fn restrict(path: &Path, what: &str, mode: u32) -> Result<(), OpenError> {
        if mode & SHARED == 0 {
            return Ok(());
        }
        let private = mode & 0o7777 & !SHARED;
        match fs::set_permissions(path, fs::Permissions::from_mode(private)) {
            Ok(()) => {
                tracing::warn!(
                    "{what} {} was accessible to other users (mode {:04o}); restricted it to its \
                     owner (mode {private:04o})",
                    path.display(),
                    mode & 0o7777,
                );
                Ok(())
            }
            Err(e) => Err(OpenError::Other(format!(
                "{what} {} is accessible to other users (mode {:04o}) and its mode cannot be \
                 changed ({e}); it holds password hashes and sessions: make it private to the user \
                 that runs the server (chmod go-rwx)",
                path.display(),
                mode & 0o7777,
            ))),
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::path::Path;

    use crate::OpenError;

    pub fn prepare(data_dir: &Path) -> Result<(), OpenError> {
        std::fs::create_dir_all(data_dir).map_err(|source| OpenError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_directory_and_store_are_private() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a").join("data");
        prepare(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(STORE_FILE)), 0o600);
        assert_eq!(std::fs::metadata(dir.join(STORE_FILE)).unwrap().len(), 0);
        // Again: nothing to change, the (now non-empty) store is kept.
        std::fs::write(dir.join(STORE_FILE), b"kept").unwrap();
        prepare(&dir).unwrap();
        assert_eq!(std::fs::read(dir.join(STORE_FILE)).unwrap(), b"kept");
    }

    #[test]
    fn shared_directories_and_files_are_restricted() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        for (name, shared) in [
            (STORE_FILE, 0o644),
            ("tspot.sqlite3-wal", 0o664),
            ("demo.sqlite3", 0o604),
        ] {
            let file = dir.join(name);
            std::fs::write(&file, b"").unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(shared)).unwrap();
        }
        let elsewhere = root.path().join("elsewhere");
        std::fs::write(&elsewhere, b"").unwrap();
        std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("link")).unwrap();

        prepare(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        for name in [STORE_FILE, "tspot.sqlite3-wal", "demo.sqlite3"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        assert_eq!(mode(&elsewhere), 0o644, "a link's target is left alone");
    }

    #[test]
    fn a_file_in_place_of_the_directory_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("file");
        std::fs::write(&file, b"").unwrap();
        assert!(matches!(prepare(&file), Err(OpenError::DataDir { .. })));
        assert!(matches!(
            prepare(&file.join("data")),
            Err(OpenError::DataDir { .. })
        ));
    }
}
