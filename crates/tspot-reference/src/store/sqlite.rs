//! The embedded default store: one SQLite file in the data directory, WAL, foreign keys, and a
//! transaction around every multi-row change.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use r2d2::PooledConnection;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use super::schema::migrations;
use super::{
    AutoUser, ColumnRecord, ConnectionRecord, Credentials, GroupRecord, Kind, ObjectRecord,
    ObjectWrite, PrincipalRecord, PrivilegeRefusal, SessionRecord, Store, StoreError, StoreResult,
    TagRecord, ThrottlePolicy, TrustedToken, VizRecord,
};
use crate::sync::{SyncPlan, Write};

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
                None => Err(StoreError("the pinned read connection is gone".into())),
            }),
            Reader::Pooled(connection) => f(connection),
            Reader::Writer(connection) => f(connection),
        }
    }
}

const PRINCIPAL_COLUMNS: &str = "p.id, p.kind, p.name, p.principal_type, p.display_name, \
     p.description, p.mail, p.visibility, p.is_system, p.created, p.modified, \
     (SELECT group_concat(name, char(31)) FROM (SELECT g.name AS name FROM memberships m \
      JOIN principals g ON g.id = m.group_id WHERE m.member_id = p.id ORDER BY g.name))";

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
            .build(manager)
            .map_err(|e| StoreError(format!("opening read connections: {e}")))?;
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
        }
    }

    fn configure(connection: &mut Connection) -> StoreResult<()> {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations()
            .to_latest(connection)
            .map_err(|e| StoreError(format!("migrating the store: {e}")))?;
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
            Some(pool) => pool
                .get()
                .map(|c| Reader::Pooled(Box::new(c)))
                .map_err(|e| StoreError(format!("no read connection: {e}"))),
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

    /// Flushes the WAL into the main file; called on clean shutdown.
    pub fn checkpoint(&self) -> StoreResult<()> {
        self.lock()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether the store answers: a read connection of the pool reads, and the database file
    /// still opens and reads through a new connection (the pool's connections keep a file that
    /// was deleted, moved or made unreadable open, and would not notice). Neither waits for the
    /// writer. Errors name no path.
    pub fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT count(*) FROM principals", [], |_| Ok(()))?;
            Ok(())
        })?;
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !path.is_file() {
            return Err(StoreError("the store's database file is missing".into()));
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError(format!("cannot open the store's database file: {e}")))?;
        connection.busy_timeout(std::time::Duration::from_secs(2))?;
        connection
            .query_row("SELECT count(*) FROM principals", [], |_| Ok(()))
            .map_err(|e| StoreError(format!("the store's database file does not read: {e}")))?;
        Ok(())
    }

    /// Copies the store in `store_file` to the new file `dest` (mode 0600) with SQLite's online
    /// backup API, beside a running server: one read transaction over the whole copy, so the
    /// copy holds exactly the changes committed before it started, while the server keeps
    /// writing (WAL). The copy is a single self-contained file (rollback journal, not WAL),
    /// checked with `PRAGMA quick_check`, written under a temporary name and renamed into place.
    pub fn backup(store_file: &Path, dest: &Path) -> StoreResult<BackupReport> {
        if !store_file.is_file() {
            return Err(StoreError(format!(
                "there is no store at {}",
                store_file.display()
            )));
        }
        if dest.exists() {
            return Err(StoreError(format!(
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
            return Err(StoreError(format!("{} is not a file", source.display())));
        }
        let backup = Connection::open_with_flags(
            source,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let not_a_store = |detail: String| {
            StoreError(format!(
                "{} is not a tspot store backup ({detail})",
                source.display()
            ))
        };
        quick_check(&backup).map_err(|e| not_a_store(e.0))?;
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
    std::fs::rename(temporary, dest)
        .map_err(|e| StoreError(format!("cannot move the copy to {}: {e}", dest.display())))?;
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
        Err(StoreError(format!("quick_check: {verdict}")))
    }
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> StoreResult<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| StoreError(format!("{} is not a file name", path.display())))?;
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
        .map_err(|e| StoreError(format!("cannot create {}: {e}", path.display())))
}

fn sync_file(path: &Path) -> StoreResult<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError(format!("cannot flush {}: {e}", path.display())))
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

/// Statements that hand a deleted principal's objects to the admin (`?1` deleted, `?2` admin).
const REASSIGN_TO_ADMIN: [&str; 6] = [
    "UPDATE objects SET owner_id = ?2 WHERE owner_id = ?1",
    "UPDATE objects SET author_id = ?2 WHERE author_id = ?1",
    "UPDATE objects SET modified_by = ?2 WHERE modified_by = ?1",
    "UPDATE connections SET owner_id = ?2 WHERE owner_id = ?1",
    "UPDATE connections SET author_id = ?2 WHERE author_id = ?1",
    "UPDATE connections SET modified_by = ?2 WHERE modified_by = ?1",
];

const OBJECT_COLUMNS: &str = "o.id, o.type, o.subtype, o.tml_type, o.name, o.description, \
     o.author_id, o.owner_id, o.created, o.modified, o.modified_by, o.is_auto_created, o.tml, \
     (SELECT group_concat(name, char(31)) FROM (SELECT t.name AS name FROM object_tags ot \
      JOIN tags t ON t.id = ot.tag_id WHERE ot.object_id = o.id ORDER BY t.name))";

fn object_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ObjectRecord> {
    let tags: Option<String> = row.get(13)?;
    Ok(ObjectRecord {
        id: row.get(0)?,
        type_: row.get(1)?,
        subtype: row.get(2)?,
        tml_type: row.get(3)?,
        name: row.get(4)?,
        description: row.get(5)?,
        author_id: row.get(6)?,
        owner_id: row.get(7)?,
        created: row.get(8)?,
        modified: row.get(9)?,
        modified_by: row.get(10)?,
        is_auto_created: row.get(11)?,
        tml: row.get(12)?,
        tags: split_names(tags),
    })
}

fn query_objects(
    connection: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<ObjectRecord>> {
    let sql = format!("SELECT {OBJECT_COLUMNS} FROM objects o {filter} ORDER BY o.created, o.id");
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(args, object_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the rows keyed by `(object_id, key)` in `table`, keeping the GUIDs of keys that
/// stay, so visualization and column ids survive a re-import.
fn replace_keyed(
    tx: &Connection,
    table: &str,
    key: &str,
    object_id: &str,
    keys: &[String],
) -> StoreResult<()> {
    let existing: std::collections::HashMap<String, String> = {
        let mut statement = tx.prepare(&format!(
            "SELECT {key}, id FROM {table} WHERE object_id = ?1"
        ))?;
        let rows = statement.query_map([object_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute(
        &format!("DELETE FROM {table} WHERE object_id = ?1"),
        [object_id],
    )?;
    for (position, name) in keys.iter().enumerate() {
        let id = existing
            .get(name)
            .cloned()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        tx.execute(
            &format!(
                "INSERT INTO {table} (id, object_id, {key}, position) VALUES (?1, ?2, ?3, ?4)"
            ),
            params![id, object_id, name, position as i64],
        )?;
    }
    Ok(())
}

fn query_connections(connection: &Connection) -> StoreResult<Vec<ConnectionRecord>> {
    {
        let mut statement = connection.prepare_cached(
            "SELECT id, name, description, engine, location, author_id, owner_id, created, modified \
             FROM connections ORDER BY name",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(ConnectionRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                engine: r.get(3)?,
                location: r.get(4)?,
                author_id: r.get(5)?,
                owner_id: r.get(6)?,
                created: r.get(7)?,
                modified: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
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

fn principal_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PrincipalRecord> {
    let kind: String = row.get(1)?;
    let groups: Option<String> = row.get(11)?;
    Ok(PrincipalRecord {
        id: row.get(0)?,
        kind: if kind == "USER" {
            Kind::User
        } else {
            Kind::Group
        },
        name: row.get(2)?,
        principal_type: row.get(3)?,
        display_name: row.get(4)?,
        description: row.get(5)?,
        mail: row.get(6)?,
        visibility: row.get(7)?,
        is_system: row.get(8)?,
        created: row.get(9)?,
        modified: row.get(10)?,
        group_names: split_names(groups),
    })
}

fn query_principals(
    connection: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<PrincipalRecord>> {
    let sql = format!(
        "SELECT {PRINCIPAL_COLUMNS} FROM principals p {filter} ORDER BY p.kind DESC, p.name"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(args, principal_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn group_id(tx: &Connection, name: &str) -> StoreResult<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT id FROM principals WHERE kind = 'GROUP' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

#[allow(clippy::too_many_arguments)]
fn insert_principal(
    tx: &Connection,
    id: &str,
    kind: Kind,
    name: &str,
    principal_type: &str,
    display_name: &str,
    description: Option<&str>,
    mail: Option<&str>,
    visibility: &str,
    password_hash: Option<&str>,
    is_system: bool,
    now: i64,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO principals (id, kind, name, principal_type, display_name, description, mail, \
         visibility, password_hash, is_system, created, modified) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        params![
            id,
            kind.as_str(),
            name,
            principal_type,
            display_name,
            description,
            mail,
            visibility,
            password_hash,
            is_system,
            now
        ],
    )?;
    Ok(())
}

fn set_memberships(tx: &Connection, member_id: &str, groups: &BTreeSet<String>) -> StoreResult<()> {
    tx.execute("DELETE FROM memberships WHERE member_id = ?1", [member_id])?;
    for group in groups {
        let id = group_id(tx, group)?
            .ok_or_else(|| StoreError(format!("group {group} vanished inside a transaction")))?;
        tx.execute(
            "INSERT INTO memberships (member_id, group_id) VALUES (?1, ?2)",
            [member_id, &id],
        )?;
    }
    Ok(())
}

fn group_record(tx: &Connection, name: &str) -> StoreResult<Option<GroupRecord>> {
    let Some(principal) = query_principals(tx, "WHERE p.kind = 'GROUP' AND p.name = ?1", &[&name])?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let mut statement =
        tx.prepare_cached("SELECT privilege FROM group_privileges WHERE group_id = ?1")?;
    let privileges = statement
        .query_map([&principal.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(GroupRecord {
        principal,
        privileges,
    }))
}

fn apply_write(tx: &Connection, write: &Write, create: bool, now: i64) -> StoreResult<()> {
    if create {
        insert_principal(
            tx,
            &write.id,
            write.kind,
            &write.name,
            &write.principal_type,
            &write.display_name,
            write.description.as_deref(),
            write.mail.as_deref(),
            &write.visibility,
            write.password_hash.as_deref(),
            false,
            now,
        )?;
    } else {
        tx.execute(
            "UPDATE principals SET principal_type = ?2, display_name = ?3, description = ?4, \
             mail = ?5, visibility = ?6, modified = ?7 WHERE id = ?1",
            params![
                write.id,
                write.principal_type,
                write.display_name,
                write.description,
                write.mail,
                write.visibility,
                now
            ],
        )?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn bootstrap(&self, admin_password_hash: &str, now: i64) -> StoreResult<bool> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let existing: i64 = tx.query_row("SELECT count(*) FROM principals", [], |r| r.get(0))?;
        if existing > 0 {
            return Ok(false);
        }
        let all = uuid::Uuid::new_v4().to_string();
        let admins = uuid::Uuid::new_v4().to_string();
        let admin = uuid::Uuid::new_v4().to_string();
        insert_principal(
            &tx,
            &all,
            Kind::Group,
            crate::ALL_GROUP,
            "LOCAL_GROUP",
            "All",
            Some("Every user and group is a member"),
            None,
            "DEFAULT",
            None,
            true,
            now,
        )?;
        insert_principal(
            &tx,
            &admins,
            Kind::Group,
            crate::ADMIN_GROUP,
            "LOCAL_GROUP",
            "Administration Group",
            None,
            None,
            "DEFAULT",
            None,
            true,
            now,
        )?;
        insert_principal(
            &tx,
            &admin,
            Kind::User,
            crate::ADMIN_USER,
            "LOCAL_USER",
            "Administrator",
            None,
            None,
            "DEFAULT",
            Some(admin_password_hash),
            true,
            now,
        )?;
        for (member, group) in [(&admins, &all), (&admin, &all), (&admin, &admins)] {
            tx.execute(
                "INSERT INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                [member, group],
            )?;
        }
        tx.execute(
            "INSERT INTO group_privileges (group_id, privilege) VALUES (?1, 'ADMINISTRATION')",
            [&admins],
        )?;
        tx.commit()?;
        self.principals_changed();
        Ok(true)
    }

    fn principals(&self) -> StoreResult<Vec<PrincipalRecord>> {
        self.read(|c| query_principals(c, "", &[]))
    }

    fn principal(&self, kind: Kind, name: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| {
                query_principals(
                    c,
                    "WHERE p.kind = ?1 AND p.name = ?2",
                    &[&kind.as_str(), &name],
                )
            })?
            .into_iter()
            .next())
    }

    fn principal_by_id(&self, id: &str) -> StoreResult<Option<PrincipalRecord>> {
        Ok(self
            .read(|c| query_principals(c, "WHERE p.id = ?1", &[&id]))?
            .into_iter()
            .next())
    }

    fn credentials(&self, user_name: &str) -> StoreResult<Option<Credentials>> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT id, name, password_hash, is_system \
                 FROM principals WHERE kind = 'USER' AND name = ?1",
                [user_name],
                |r| {
                    Ok(Credentials {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        password_hash: r.get(2)?,
                        is_system: r.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    fn privileges(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
        let mut statement = connection.prepare_cached(
            "WITH RECURSIVE ancestors(id) AS ( \
                 SELECT group_id FROM memberships WHERE member_id = ?1 \
                 UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
             SELECT DISTINCT privilege FROM group_privileges WHERE group_id IN (SELECT id FROM ancestors)",
        )?;
        let privileges = statement
            .query_map([user_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(privileges)
        })
    }

    fn sign_in_blocked(&self, subject: &str, client: &str, now: i64) -> StoreResult<Option<i64>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT blocked_until FROM sign_in_failures \
                 WHERE subject = ?1 AND client = ?2 AND blocked_until > ?3",
            )?
            .query_row(params![subject, client, now], |r| r.get(0))
            .optional()?)
        })
    }

    fn record_sign_in_failure(
        &self,
        subject: &str,
        client: &str,
        now: i64,
        policy: &ThrottlePolicy,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        // Old counts are forgotten, so the table holds recent guessing only.
        tx.execute(
            "DELETE FROM sign_in_failures WHERE last_failure < ?1 AND blocked_until < ?2",
            params![now - policy.forget_after_ms, now],
        )?;
        let previous: i64 = tx
            .query_row(
                "SELECT failures FROM sign_in_failures WHERE subject = ?1 AND client = ?2",
                [subject, client],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let failures = previous + 1;
        let delay = policy.delay_ms(failures);
        let blocked_until = if delay > 0 { now + delay } else { 0 };
        tx.execute(
            "INSERT INTO sign_in_failures (subject, client, failures, last_failure, blocked_until) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subject, client) DO UPDATE SET \
             failures = ?3, last_failure = ?4, blocked_until = ?5",
            params![subject, client, failures, now, blocked_until],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn clear_sign_in_failures(&self, subject: &str, client: &str) -> StoreResult<()> {
        self.lock().execute(
            "DELETE FROM sign_in_failures WHERE subject = ?1 AND client = ?2",
            [subject, client],
        )?;
        Ok(())
    }

    fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        now: i64,
        keep_session: Option<&str>,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        tx.execute(
            "UPDATE principals SET password_hash = ?2, modified = ?3, failed_logins = 0, \
             locked_until = 0 WHERE id = ?1",
            params![user_id, hash, now],
        )?;
        tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
            params![user_id, keep_session],
        )?;
        tx.commit()?;
        self.principals_changed();
        Ok(())
    }

    fn sync_principals(
        &self,
        plan: &mut dyn FnMut(&[PrincipalRecord]) -> Result<SyncPlan, String>,
        apply: bool,
        now: i64,
    ) -> StoreResult<Result<SyncPlan, String>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let current = query_principals(&tx, "", &[])?;
        let plan = match plan(&current) {
            Ok(plan) => plan,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if !apply {
            return Ok(Ok(plan));
        }
        if !plan.delete.is_empty() {
            // Deleted users' content goes to the admin account, as in ThoughtSpot.
            let admin: String = tx.query_row(
                "SELECT id FROM principals WHERE kind = 'USER' AND name = ?1",
                [crate::ADMIN_USER],
                |r| r.get(0),
            )?;
            for principal in &plan.delete {
                for statement in REASSIGN_TO_ADMIN {
                    tx.execute(statement, [&principal.id, &admin])?;
                }
                tx.execute("DELETE FROM principals WHERE id = ?1", [&principal.id])?;
            }
        }
        for write in &plan.create {
            apply_write(&tx, write, true, now)?;
        }
        for write in &plan.update {
            apply_write(&tx, write, false, now)?;
        }
        for write in plan.create.iter().chain(&plan.update) {
            set_memberships(&tx, &write.id, &write.group_names)?;
        }
        tx.commit()?;
        self.principals_changed();
        if !plan.delete.is_empty() {
            self.catalog_changed();
        }
        Ok(Ok(plan))
    }

    fn change_privilege(
        &self,
        groups: &[String],
        privilege: &str,
        grant: bool,
        now: i64,
    ) -> StoreResult<Result<Vec<GroupRecord>, PrivilegeRefusal>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for name in groups {
            match group_id(&tx, name)? {
                Some(id) => ids.push(id),
                None => unknown.push(name.clone()),
            }
        }
        if !unknown.is_empty() {
            return Ok(Err(PrivilegeRefusal::UnknownGroups(unknown)));
        }
        for id in &ids {
            if grant {
                tx.execute(
                    "INSERT OR IGNORE INTO group_privileges (group_id, privilege) VALUES (?1, ?2)",
                    [id, privilege],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM group_privileges WHERE group_id = ?1 AND privilege = ?2",
                    [id, privilege],
                )?;
            }
            tx.execute(
                "UPDATE principals SET modified = ?2 WHERE id = ?1",
                params![id, now],
            )?;
        }
        let mut records = Vec::new();
        for name in groups {
            if let Some(record) = group_record(&tx, name)? {
                records.push(record);
            }
        }
        tx.commit()?;
        self.principals_changed();
        Ok(Ok(records))
    }

    fn record_ownership_transfer(
        &self,
        from_user: &str,
        to_user: &str,
        object_ids: Option<&[String]>,
        requested_by: &str,
        now: i64,
    ) -> StoreResult<()> {
        let objects = object_ids.map(|ids| serde_json::Value::from(ids.to_vec()).to_string());
        self.lock().execute(
            "INSERT INTO ownership_transfers (from_user, to_user, object_ids, requested_by, at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![from_user, to_user, objects, requested_by, now],
        )?;
        Ok(())
    }

    fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO sessions (token_hash, user_id, created, last_seen, idle_ms, remember, \
             access_level, object_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                session.token_hash,
                session.user_id,
                session.created,
                session.last_seen,
                session.idle_ms,
                session.remember,
                session.access_level,
                session.object_id
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT token_hash, user_id, created, last_seen, idle_ms, remember, access_level, \
                 object_id FROM sessions WHERE token_hash = ?1",
            )?
            .query_row([token_hash], |r| {
                Ok(SessionRecord {
                    token_hash: r.get(0)?,
                    user_id: r.get(1)?,
                    created: r.get(2)?,
                    last_seen: r.get(3)?,
                    idle_ms: r.get(4)?,
                    remember: r.get(5)?,
                    access_level: r.get(6)?,
                    object_id: r.get(7)?,
                })
            })
            .optional()?)
        })
    }

    fn persist_last_seen(&self, token_hash: &str, last_seen: i64) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE sessions SET last_seen = max(last_seen, ?2) WHERE token_hash = ?1",
            params![token_hash, last_seen],
        )?;
        Ok(())
    }

    fn end_sessions(&self, user_id: &str, except: Option<&str>) -> StoreResult<usize> {
        let ended = self.lock().execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
            params![user_id, except],
        )?;
        self.principals_changed();
        Ok(ended)
    }

    fn catalog_version(&self) -> u64 {
        self.catalog_version.load(Ordering::Acquire)
    }

    fn auth_version(&self) -> u64 {
        self.principals_version.load(Ordering::Acquire)
    }

    fn catalog_snapshot(&self) -> StoreResult<(u64, Vec<ObjectRecord>, Vec<ConnectionRecord>)> {
        let version = self.catalog_version();
        let load = |c: &Connection| -> StoreResult<_> {
            Ok((query_objects(c, "", &[])?, query_connections(c)?))
        };
        let (objects, connections) = match &self.readers {
            Some(pool) => {
                let connection = pool
                    .get()
                    .map_err(|e| StoreError(format!("no read connection: {e}")))?;
                load(&connection)?
            }
            None => load(&self.lock())?,
        };
        Ok((version, objects, connections))
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
        let connection = pool
            .get()
            .map_err(|e| StoreError(format!("no read connection: {e}")))?;
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

    fn delete_session(&self, token_hash: &str) -> StoreResult<bool> {
        let deleted = self
            .lock()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?
            > 0;
        self.principals_changed();
        Ok(deleted)
    }

    fn insert_trusted_token(
        &self,
        token: &TrustedToken,
        now: i64,
        grace_ms: i64,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        tx.execute(
            "UPDATE trusted_tokens SET superseded_at = ?2 \
             WHERE user_id = ?1 AND superseded_at IS NULL",
            params![token.user_id, now + grace_ms],
        )?;
        tx.execute(
            "DELETE FROM trusted_tokens WHERE used = 1 OR superseded_at < ?1",
            [now],
        )?;
        tx.execute(
            "INSERT INTO trusted_tokens (token_hash, user_id, access_level, object_id, issued) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                token.token_hash,
                token.user_id,
                token.access_level,
                token.object_id,
                token.issued
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn consume_trusted_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<TrustedToken>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let token = tx
            .query_row(
                "SELECT token_hash, user_id, access_level, object_id, issued FROM trusted_tokens \
                 WHERE token_hash = ?1 AND used = 0 AND (superseded_at IS NULL OR superseded_at > ?2)",
                params![token_hash, now],
                |r| {
                    Ok(TrustedToken {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        access_level: r.get(2)?,
                        object_id: r.get(3)?,
                        issued: r.get(4)?,
                    })
                },
            )
            .optional()?;
        if token.is_some() {
            tx.execute(
                "UPDATE trusted_tokens SET used = 1 WHERE token_hash = ?1",
                [token_hash],
            )?;
        }
        tx.commit()?;
        Ok(token)
    }

    fn ensure_user(&self, user: &AutoUser, now: i64) -> StoreResult<PrincipalRecord> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let found = query_principals(&tx, "WHERE p.kind = 'USER' AND p.name = ?1", &[&user.name])?;
        let user_id = match found.into_iter().next() {
            Some(existing) => existing.id,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                insert_principal(
                    &tx,
                    &id,
                    Kind::User,
                    &user.name,
                    "LOCAL_USER",
                    user.display_name.as_deref().unwrap_or(&user.name),
                    None,
                    user.mail.as_deref(),
                    "DEFAULT",
                    None,
                    false,
                    now,
                )?;
                id
            }
        };
        let mut groups: BTreeSet<String> = user.groups.iter().cloned().collect();
        groups.insert(crate::ALL_GROUP.to_string());
        for group in &groups {
            let group_id = match group_id(&tx, group)? {
                Some(id) => id,
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    insert_principal(
                        &tx,
                        &id,
                        Kind::Group,
                        group,
                        "LOCAL_GROUP",
                        group,
                        None,
                        None,
                        "DEFAULT",
                        None,
                        false,
                        now,
                    )?;
                    let all = group_id(&tx, crate::ALL_GROUP)?
                        .ok_or_else(|| StoreError("the All group is missing".into()))?;
                    tx.execute(
                        "INSERT OR IGNORE INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                        [&id, &all],
                    )?;
                    id
                }
            };
            tx.execute(
                "INSERT OR IGNORE INTO memberships (member_id, group_id) VALUES (?1, ?2)",
                [&user_id, &group_id],
            )?;
        }
        let record = query_principals(&tx, "WHERE p.id = ?1", &[&user_id])?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError("user vanished inside a transaction".into()))?;
        tx.commit()?;
        self.principals_changed();
        Ok(record)
    }
    fn put_objects(&self, writes: &[ObjectWrite], actor: &str, now: i64) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        for w in writes {
            tx.execute(
                "INSERT INTO objects (id, type, subtype, tml_type, name, description, author_id, \
                 owner_id, created, modified, modified_by, tml) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8, ?7, ?9) \
                 ON CONFLICT (id) DO UPDATE SET type = ?2, subtype = ?3, tml_type = ?4, name = ?5, \
                 description = ?6, modified = ?8, modified_by = ?7, tml = ?9",
                params![
                    w.id,
                    w.type_,
                    w.subtype,
                    w.tml_type,
                    w.name,
                    w.description,
                    actor,
                    now,
                    w.tml
                ],
            )?;
            tx.execute(
                "DELETE FROM object_dependencies WHERE object_id = ?1",
                [&w.id],
            )?;
            for dependency in &w.depends_on {
                tx.execute(
                    "INSERT OR IGNORE INTO object_dependencies (object_id, depends_on) VALUES (?1, ?2)",
                    [&w.id, dependency],
                )?;
            }
            replace_keyed(&tx, "visualizations", "tml_id", &w.id, &w.visualizations)?;
            replace_keyed(&tx, "logical_columns", "name", &w.id, &w.columns)?;
            tx.execute("DELETE FROM object_tags WHERE object_id = ?1", [&w.id])?;
            for tag in &w.tags {
                tx.execute(
                    "INSERT OR IGNORE INTO tags (id, name, created) VALUES (?1, ?2, ?3)",
                    params![uuid::Uuid::new_v4().to_string(), tag, now],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO object_tags (object_id, tag_id) \
                     SELECT ?1, id FROM tags WHERE name = ?2",
                    [&w.id, tag],
                )?;
            }
            for principal in &w.shared_with {
                tx.execute(
                    "INSERT OR IGNORE INTO object_shares (object_id, principal_id) VALUES (?1, ?2)",
                    [&w.id, principal],
                )?;
            }
        }
        tx.commit()?;
        self.catalog_changed();
        Ok(())
    }

    fn objects(&self) -> StoreResult<Vec<ObjectRecord>> {
        self.read(|c| query_objects(c, "", &[]))
    }

    fn object(&self, id: &str) -> StoreResult<Option<ObjectRecord>> {
        Ok(self
            .read(|c| query_objects(c, "WHERE o.id = ?1", &[&id]))?
            .into_iter()
            .next())
    }

    fn visualizations(&self, object_id: &str) -> StoreResult<Vec<VizRecord>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, object_id, tml_id, position FROM visualizations WHERE object_id = ?1 \
             ORDER BY position",
            )?;
            let rows = statement.query_map([object_id], |r| {
                Ok(VizRecord {
                    id: r.get(0)?,
                    object_id: r.get(1)?,
                    tml_id: r.get(2)?,
                    position: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn logical_columns(&self) -> StoreResult<Vec<ColumnRecord>> {
        self.read(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT id, object_id, name FROM logical_columns ORDER BY object_id, position",
            )?;
            let rows = statement.query_map([], |r| {
                Ok(ColumnRecord {
                    id: r.get(0)?,
                    object_id: r.get(1)?,
                    name: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn tags(&self) -> StoreResult<Vec<TagRecord>> {
        self.read(|connection| {
            let mut statement = connection
                .prepare_cached("SELECT id, name, color, created FROM tags ORDER BY name")?;
            let rows = statement.query_map([], |r| {
                Ok(TagRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    color: r.get(2)?,
                    created: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn readable_objects(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
        let mut statement = connection.prepare_cached(
            "WITH RECURSIVE ancestors(id) AS ( \
                 SELECT ?1 \
                 UNION SELECT m.group_id FROM memberships m JOIN ancestors a ON m.member_id = a.id) \
             SELECT id FROM objects WHERE owner_id = ?1 \
             UNION SELECT object_id FROM object_shares WHERE principal_id IN (SELECT id FROM ancestors)",
        )?;
        let rows = statement.query_map([user_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn favorites(&self, user_id: &str) -> StoreResult<BTreeSet<String>> {
        self.read(|connection| {
            let mut statement =
                connection.prepare_cached("SELECT object_id FROM favorites WHERE user_id = ?1")?;
            let rows = statement.query_map([user_id], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn transfer_objects(
        &self,
        from: &str,
        to: &str,
        ids: Option<&[String]>,
        now: i64,
    ) -> StoreResult<usize> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let moved = match ids {
            None => tx.execute(
                "UPDATE objects SET owner_id = ?2, modified = ?3 WHERE owner_id = ?1",
                params![from, to, now],
            )?,
            Some(ids) => {
                let mut moved = 0;
                for id in ids {
                    moved += tx.execute(
                        "UPDATE objects SET owner_id = ?2, modified = ?3 WHERE owner_id = ?1 AND id = ?4",
                        params![from, to, now, id],
                    )?;
                }
                moved
            }
        };
        tx.commit()?;
        self.catalog_changed();
        Ok(moved)
    }

    fn connections(&self) -> StoreResult<Vec<ConnectionRecord>> {
        self.read(query_connections)
    }

    fn put_connection(&self, c: &ConnectionRecord) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO connections (id, name, description, engine, location, author_id, owner_id, \
             created, modified, modified_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?6) \
             ON CONFLICT (name) DO UPDATE SET engine = ?4, location = ?5, modified = ?9",
            params![c.id, c.name, c.description, c.engine, c.location, c.author_id, c.owner_id, c.created, c.modified],
        )?;
        self.catalog_changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{SyncPlan, Write};

    fn write(name: &str, kind: Kind, groups: &[&str]) -> Write {
        Write {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            name: name.into(),
            principal_type: if kind == Kind::User {
                "LOCAL_USER"
            } else {
                "LOCAL_GROUP"
            }
            .into(),
            display_name: name.into(),
            description: None,
            mail: None,
            visibility: "DEFAULT".into(),
            password_hash: None,
            group_names: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    #[test]
    fn a_write_that_fails_midway_rolls_the_whole_sync_back() {
        let store = SqliteStore::in_memory().unwrap();
        store.bootstrap("hash", 1).unwrap();
        let before = store.principals().unwrap();
        // The first principals are fine; the last one's membership points at no group, which
        // the store only notices while writing.
        let plan = SyncPlan {
            create: vec![
                write("G1", Kind::Group, &["All"]),
                write("ann", Kind::User, &["All", "G1"]),
                write("zed", Kind::User, &["Vanished"]),
            ],
            update: vec![],
            delete: vec![],
        };
        let mut planner = |_: &[PrincipalRecord]| Ok(plan.clone());
        assert!(store.sync_principals(&mut planner, true, 2).is_err());
        assert_eq!(store.principals().unwrap(), before);
    }

    #[test]
    fn privileges_are_inherited_through_nested_groups() {
        let store = SqliteStore::in_memory().unwrap();
        store.bootstrap("hash", 1).unwrap();
        let plan = SyncPlan {
            create: vec![
                write("Outer", Kind::Group, &["All"]),
                write("Inner", Kind::Group, &["All", "Outer"]),
                write("ann", Kind::User, &["All", "Inner"]),
            ],
            ..SyncPlan::default()
        };
        let mut planner = |_: &[PrincipalRecord]| Ok(plan.clone());
        store
            .sync_principals(&mut planner, true, 2)
            .unwrap()
            .unwrap();
        store
            .change_privilege(&["Outer".into()], "DATADOWNLOADING", true, 3)
            .unwrap()
            .unwrap();
        let ann = store.credentials("ann").unwrap().unwrap();
        assert!(
            store
                .privileges(&ann.id)
                .unwrap()
                .contains("DATADOWNLOADING")
        );
        let admin = store.credentials(crate::ADMIN_USER).unwrap().unwrap();
        assert!(
            store
                .privileges(&admin.id)
                .unwrap()
                .contains("ADMINISTRATION")
        );
        assert!(
            !store
                .privileges(&admin.id)
                .unwrap()
                .contains("DATADOWNLOADING")
        );
    }

    #[test]
    fn bootstrap_happens_once() {
        let store = SqliteStore::in_memory().unwrap();
        assert!(store.bootstrap("hash", 1).unwrap());
        assert!(!store.bootstrap("other", 2).unwrap());
        assert_eq!(store.principals().unwrap().len(), 3);
    }
}

#[cfg(test)]
mod backup_tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicI64};

    use super::*;

    fn session(token: &str, user_id: &str) -> SessionRecord {
        SessionRecord {
            token_hash: token.into(),
            user_id: user_id.into(),
            created: 1,
            last_seen: 1,
            idle_ms: 1_000_000,
            remember: false,
            access_level: "FULL".into(),
            object_id: None,
        }
    }

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
        assert!(error.0.contains("is not a tspot store backup"), "{error}");
        let other = dir.path().join("other.sqlite3");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let error = SqliteStore::restore(&other, &target).unwrap_err();
        assert!(error.0.contains("no principals table"), "{error}");
        assert!(SqliteStore::restore(&dir.path().join("missing"), &target).is_err());
    }
}
