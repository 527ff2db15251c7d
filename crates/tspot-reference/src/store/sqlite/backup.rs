//! Online backup and offline restore of the SQLite store file.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::SqliteStore;
use crate::store::{StoreError, StoreResult};

impl SqliteStore {
    /// Copies the store in `store_file` to the new file `dest` (mode 0600) with SQLite's online
    /// backup API, beside a running server: one read transaction over the whole copy, so the
    /// copy holds exactly the changes committed before it started, while the server keeps
    /// writing (WAL). The copy is a single self-contained file (rollback journal, not WAL),
    /// checked with `PRAGMA quick_check`, written under a temporary name and renamed into place.
    pub fn backup(store_file: &Path, dest: &Path) -> StoreResult<BackupReport> {
        if !store_file.is_file() {
            return Err(StoreError::Refused(format!(
                "there is no store at {}",
                store_file.display()
            )));
        }
        if dest.exists() {
            return Err(StoreError::Refused(format!(
                "{} exists; give a new file name (a backup never overwrites)",
                dest.display()
            )));
        }
        // Read-write without create (a read-only connection cannot open a WAL store whose -shm is
        // missing), and read only by pragma: the backup never writes to the store. Read-only
        // when that is all the caller may do (a server's -shm is there then).
        let source = Connection::open_with_flags(
            store_file,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .or_else(|_| {
            Connection::open_with_flags(
                store_file,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        })?;
        source.busy_timeout(std::time::Duration::from_secs(30))?;
        source.pragma_update(None, "query_only", "ON")?;
        let temporary = sibling(dest, ".partial")?;
        let copied = write_copy(&source, &temporary, dest);
        if copied.is_err() {
            let _ = std::fs::remove_file(&temporary);
            let _ = std::fs::remove_file(sibling(&temporary, "-journal")?);
        }
        copied
    }

    /// Replaces the store in `store_file` (which no server may be using: the caller holds the
    /// data directory's lock) with the backup `source`, through SQLite's backup API (a crash
    /// half-way leaves the old store whole), and ends every session and trusted-authentication
    /// token the backup held: whoever had signed in when the backup was taken signs in again.
    pub fn restore(source: &Path, store_file: &Path) -> StoreResult<RestoreReport> {
        if !source.is_file() {
            return Err(StoreError::Refused(format!(
                "{} is not a file",
                source.display()
            )));
        }
        let backup = Connection::open_with_flags(
            source,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let not_a_store = |detail: String| {
            StoreError::Refused(format!(
                "{} is not a tspot store backup ({detail})",
                source.display()
            ))
        };
        quick_check(&backup).map_err(|e| not_a_store(e.to_string()))?;
        for table in ["principals", "sessions", "trusted_tokens", "objects"] {
            let present: bool = backup
                .query_row(
                    "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .map_err(|e| not_a_store(e.to_string()))?;
            if !present {
                return Err(not_a_store(format!("it has no {table} table")));
            }
        }
        create_private(store_file).or_else(
            |e| {
                if store_file.is_file() { Ok(()) } else { Err(e) }
            },
        )?;
        let mut store = Connection::open(store_file)?;
        store.busy_timeout(std::time::Duration::from_secs(10))?;
        copy_database(&backup, &mut store)?;
        drop(backup);
        let tx = store.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sessions = tx.execute("DELETE FROM sessions", [])?;
        let tokens = tx.execute("DELETE FROM trusted_tokens", [])?;
        tx.commit()?;
        store.pragma_update(None, "journal_mode", "WAL")?;
        store.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let locations: Vec<(String, String)> = store
            .prepare("SELECT name, location FROM connections ORDER BY name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let missing_connections = locations
            .into_iter()
            .filter(|(_, location)| !Path::new(location).is_file())
            .collect();
        Ok(RestoreReport {
            sessions_ended: sessions,
            tokens_ended: tokens,
            missing_connections,
        })
    }
}

/// The backup of `source` into the new private file `temporary`, checked and renamed to `dest`.
fn write_copy(source: &Connection, temporary: &Path, dest: &Path) -> StoreResult<BackupReport> {
    create_private(temporary)?;
    let mut copy = Connection::open(temporary)?;
    copy_database(source, &mut copy)?;
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    quick_check(&copy)?;
    let report = BackupReport {
        bytes: std::fs::metadata(temporary)
            .map(|m| m.len())
            .unwrap_or_default(),
        principals: copy.query_row("SELECT count(*) FROM principals", [], |r| r.get(0))?,
        objects: copy.query_row("SELECT count(*) FROM objects", [], |r| r.get(0))?,
    };
    drop(copy);
    sync_file(temporary)?;
    std::fs::rename(temporary, dest).map_err(|source| StoreError::Io {
        what: format!("cannot move the copy to {}", dest.display()),
        source,
    })?;
    sync_parent(dest);
    Ok(report)
}

/// What [`SqliteStore::backup`] copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub bytes: u64,
    pub principals: i64,
    pub objects: i64,
}

/// What [`SqliteStore::restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub sessions_ended: usize,
    pub tokens_ended: usize,
    /// Connections (name, database file) whose file is not where the restored store says: the
    /// backup holds the store, not the databases its connections read.
    pub missing_connections: Vec<(String, String)>,
}

/// Copies every page of `source` into `dest` in one step: one read transaction on `source`, so
/// the copy is consistent however much another connection writes meanwhile.
fn copy_database(source: &Connection, dest: &mut Connection) -> StoreResult<()> {
    let backup = rusqlite::backup::Backup::new(source, dest)?;
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            rusqlite::backup::StepResult::More => {}
            rusqlite::backup::StepResult::Busy | rusqlite::backup::StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => {}
        }
    }
}

fn quick_check(connection: &Connection) -> StoreResult<()> {
    let verdict: String = connection.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Inconsistent(format!("quick_check: {verdict}")))
    }
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> StoreResult<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| StoreError::Refused(format!("{} is not a file name", path.display())))?;
    let mut name = name.to_os_string();
    name.push(suffix);
    Ok(path.with_file_name(name))
}

/// Creates the empty file `path`, private to its owner (an empty file is an empty database to
/// SQLite, which keeps the mode).
fn create_private(path: &Path) -> StoreResult<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|source| StoreError::Io {
            what: format!("cannot create {}", path.display()),
            source,
        })
}

fn sync_file(path: &Path) -> StoreResult<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::Io {
            what: format!("cannot flush {}", path.display()),
            source,
        })
}

/// Flushes the directory entry of `path` (best effort: not every platform can).
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicI64};

    use rusqlite::params;
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::store::{PrincipalStore, SessionStore};
    use crate::testing::session;

    #[test]
    fn a_backup_under_write_load_restores_every_change_committed_before_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let store_file = dir.path().join("tspot.sqlite3");
        let store = SqliteStore::open(&store_file).unwrap();
        store.bootstrap("hash", 1).unwrap();
        let admin = store.credentials("tsadmin").unwrap().unwrap().id;
        store.insert_session(&session("s1", &admin)).unwrap();

        // A second connection commits one tag after another, and says which it has committed.
        let committed = Arc::new(AtomicI64::new(-1));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (committed, stop, store_file) =
                (committed.clone(), stop.clone(), store_file.clone());
            std::thread::spawn(move || {
                let connection = Connection::open(&store_file).unwrap();
                connection
                    .busy_timeout(std::time::Duration::from_secs(10))
                    .unwrap();
                let mut i = 0i64;
                while !stop.load(Ordering::Acquire) {
                    connection
                        .execute(
                            "INSERT INTO tags (id, name, created) VALUES (?1, ?1, ?2)",
                            params![format!("t{i:06}"), i],
                        )
                        .unwrap();
                    committed.store(i, Ordering::Release);
                    i += 1;
                }
                i
            })
        };
        while committed.load(Ordering::Acquire) < 200 {
            std::thread::yield_now();
        }
        let before = committed.load(Ordering::Acquire);
        let copy = dir.path().join("copy.sqlite3");
        let report = SqliteStore::backup(&store_file, &copy).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        stop.store(true, Ordering::Release);
        let written = writer.join().unwrap();
        assert!(report.principals >= 3, "{report:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!dir.path().join("copy.sqlite3-wal").exists());
        assert!(
            SqliteStore::backup(&store_file, &copy).is_err(),
            "never overwrites"
        );

        let restored_dir = tempfile::tempdir().unwrap();
        let restored_file = restored_dir.path().join("tspot.sqlite3");
        let restored = SqliteStore::restore(&copy, &restored_file).unwrap();
        assert_eq!(restored.sessions_ended, 1);
        let connection = Connection::open(&restored_file).unwrap();
        let ids: Vec<String> = connection
            .prepare("SELECT id FROM tags ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Every tag committed before the backup began, and a prefix of the rest: a snapshot.
        assert!(ids.len() as i64 > before, "{} <= {before}", ids.len());
        assert!(ids.len() as i64 <= written);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(id, &format!("t{i:06}"));
        }
        let sessions: i64 = connection
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sessions, 0);
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(connection);
        // The restored store opens as a store.
        let reopened = SqliteStore::open(&restored_file).unwrap();
        assert!(reopened.credentials("tsadmin").unwrap().is_some());
        assert!(reopened.session("s1").unwrap().is_none());
    }

    #[test]
    fn restore_refuses_what_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk");
        std::fs::write(&junk, "hello, this is not SQLite at all").unwrap();
        let target = dir.path().join("tspot.sqlite3");
        let error = SqliteStore::restore(&junk, &target).unwrap_err();
        assert!(
            error.to_string().contains("is not a tspot store backup"),
            "{error}"
        );
        let other = dir.path().join("other.sqlite3");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let error = SqliteStore::restore(&other, &target).unwrap_err();
        assert!(error.to_string().contains("no principals table"), "{error}");
        assert!(SqliteStore::restore(&dir.path().join("missing"), &target).is_err());
    }
}
