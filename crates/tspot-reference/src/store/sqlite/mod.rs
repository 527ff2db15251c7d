//! The embedded default store: one SQLite file in the data directory, WAL, foreign keys, and a
//! transaction around every multi-row change.

//!
//! One file per area: [`principals`], [`sessions`], [`objects`], [`connections`], [`throttle`],
//! and [`backup`] (online backup, offline restore); this one opens the file and holds what
//! every area shares (the writer, the readers, the versions, the pinned snapshot).

mod backup;
mod connections;
mod objects;
mod principals;
mod schema;
mod sessions;
mod throttle;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use r2d2::PooledConnection;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use backup::{BackupReport, RestoreReport};
use schema::migrations;

use super::{Store, StoreError, StoreResult};

/// One writer connection behind a mutex (SQLite serialises writers anyway, and one writer keeps
/// every read-check-write sequence atomic without retry loops) and a pool of read-only
/// connections: in WAL mode readers never wait for each other or for the writer.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    /// `None` for an in-memory store, whose one connection serves reads too.
    readers: Option<r2d2::Pool<SqliteConnectionManager>>,
    /// Bumped after every committed change to objects, ownership or connections.
    catalog_version: AtomicU64,
    /// Bumped after every committed change to principals, memberships, privileges or sessions
    /// that caches of callers must see.
    principals_version: AtomicU64,
    /// The database file; `None` in memory.
    path: Option<PathBuf>,
    /// One lock per name for [`Store::exclusive`]: the data directory's lock keeps other
    /// processes away, these keep this process's threads apart.
    exclusive: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

/// Read connections kept open; more readers than cores buys nothing on a 2-core machine, but
/// a few spare keep a slow search from holding up a quick one.
const READERS: u32 = 8;

thread_local! {
    /// The read connection pinned by [`SqliteStore::read_snapshot`] on this thread, if any.
    static PINNED: RefCell<Option<PooledConnection<SqliteConnectionManager>>> =
        const { RefCell::new(None) };
}

/// A connection to read with: the pinned snapshot, a pooled reader or the locked writer.
enum Reader<'a> {
    Pinned,
    Pooled(Box<PooledConnection<SqliteConnectionManager>>),
    Writer(MutexGuard<'a, Connection>),
}

impl Reader<'_> {
    fn with<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        match self {
            Reader::Pinned => PINNED.with(|pinned| match pinned.borrow().as_ref() {
                Some(connection) => f(connection),
                None => Err(StoreError::Inconsistent(
                    "the pinned read connection is gone".into(),
                )),
            }),
            Reader::Pooled(connection) => f(connection),
            Reader::Writer(connection) => f(connection),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store file and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let mut connection = Connection::open(path)?;
        Self::configure(&mut connection)?;
        let manager = SqliteConnectionManager::file(path)
            .with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_init(|c| {
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                c.pragma_update(None, "foreign_keys", "ON")
            });
        let readers = r2d2::Pool::builder()
            .max_size(READERS)
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(30))
            .build(manager)?;
        let mut store = Self::with(connection, Some(readers));
        store.path = Some(path.to_path_buf());
        Ok(store)
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> StoreResult<SqliteStore> {
        let mut connection = Connection::open_in_memory()?;
        Self::configure(&mut connection)?;
        Ok(Self::with(connection, None))
    }

    fn with(
        writer: Connection,
        readers: Option<r2d2::Pool<SqliteConnectionManager>>,
    ) -> SqliteStore {
        SqliteStore {
            writer: Mutex::new(writer),
            readers,
            catalog_version: AtomicU64::new(1),
            principals_version: AtomicU64::new(1),
            path: None,
            exclusive: Mutex::new(HashMap::new()),
        }
    }

    fn configure(connection: &mut Connection) -> StoreResult<()> {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations()
            .to_latest(connection)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half transaction (it rolls back on drop),
        // so a poisoned lock is still safe to use.
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn reader(&self) -> StoreResult<Reader<'_>> {
        if PINNED.with(|pinned| pinned.borrow().is_some()) {
            return Ok(Reader::Pinned);
        }
        match &self.readers {
            Some(pool) => Ok(Reader::Pooled(Box::new(pool.get()?))),
            None => Ok(Reader::Writer(self.lock())),
        }
    }

    /// Runs `f` on a read connection.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        self.reader()?.with(f)
    }

    fn catalog_changed(&self) {
        self.catalog_version.fetch_add(1, Ordering::Release);
    }

    fn principals_changed(&self) {
        self.principals_version.fetch_add(1, Ordering::Release);
    }
}

fn write_tx(connection: &mut Connection) -> StoreResult<Transaction<'_>> {
    Ok(connection.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Names joined by `group_concat(name, char(31))`, split back.
fn split_names(joined: Option<String>) -> Vec<String> {
    joined
        .map(|names| names.split('\u{1f}').map(String::from).collect())
        .unwrap_or_default()
}

impl Store for SqliteStore {
    fn is_shared(&self) -> bool {
        false
    }

    fn catalog_version(&self) -> StoreResult<u64> {
        Ok(self.catalog_version.load(Ordering::Acquire))
    }

    fn auth_version(&self) -> StoreResult<u64> {
        Ok(self.principals_version.load(Ordering::Acquire))
    }

    fn read_snapshot(&self, work: &mut dyn FnMut()) -> StoreResult<()> {
        let Some(pool) = &self.readers else {
            work();
            return Ok(());
        };
        if PINNED.with(|pinned| pinned.borrow().is_some()) {
            work();
            return Ok(());
        }
        let connection = pool.get()?;
        connection.execute_batch("BEGIN DEFERRED")?;
        PINNED.with(|pinned| *pinned.borrow_mut() = Some(connection));
        // Unpins even when `work` panics, so the thread's next job starts clean.
        struct Unpin;
        impl Drop for Unpin {
            fn drop(&mut self) {
                if let Some(connection) = PINNED.with(|pinned| pinned.borrow_mut().take()) {
                    let _ = connection.execute_batch("ROLLBACK");
                }
            }
        }
        let _unpin = Unpin;
        work();
        Ok(())
    }

    fn exclusive(&self, name: &str, work: &mut dyn FnMut()) -> StoreResult<()> {
        let lock = {
            let mut locks = self.exclusive.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(locks.entry(name.to_owned()).or_default())
        };
        let _held = lock.lock().unwrap_or_else(|p| p.into_inner());
        work();
        Ok(())
    }

    /// Flushes the WAL into the main file; called on clean shutdown.
    fn close(&self) -> StoreResult<()> {
        self.lock()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether the store answers: a read connection of the pool reads, and the database file
    /// still opens and reads through a new connection (the pool's connections keep a file that
    /// was deleted, moved or made unreadable open, and would not notice). Neither waits for the
    /// writer. Errors name no path.
    fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT count(*) FROM principals", [], |_| Ok(()))?;
            Ok(())
        })?;
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !path.is_file() {
            return Err(StoreError::Unavailable(
                "the store's database file is missing".into(),
            ));
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| {
            StoreError::Unavailable(format!("cannot open the store's database file: {e}").into())
        })?;
        connection.busy_timeout(std::time::Duration::from_secs(2))?;
        connection
            .query_row("SELECT count(*) FROM principals", [], |_| Ok(()))
            .map_err(|e| {
                StoreError::Unavailable(
                    format!("the store's database file does not read: {e}").into(),
                )
            })?;
        Ok(())
    }
}
