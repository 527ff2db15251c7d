//! Results of identical queries on unchanged data, kept in a bounded cache in front of the
//! query engine.
//!
//! The change marker has to be sound for SQLite, where the obvious ones are not: a WAL commit
//! does not touch the database file's modification time, and `PRAGMA data_version` only tells a
//! connection about commits of *other* connections. So each database file gets a watcher: a
//! read-only connection of its own, never used for queries, whose `data_version` moves with every
//! commit by anyone else (another connection, another process); together with the file's
//! identity (device, inode, size of the main file), which catches a file replaced by a new one.
//! Locations that are not SQLite files (a PostgreSQL URL) have no sound cheap marker and are
//! never cached.
//!
//! Access is checked before a query reaches the engine, so a cached result is only ever handed
//! to a caller who passed the same checks as the one who caused it.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use rusqlite::OpenFlags;

use super::engine::{Cell, Engine, Param};
use super::error::EngineResult;

/// Results kept at most.
const ENTRIES: usize = 256;
/// Larger results are not kept: the cache is for Liveboards and repeated questions.
const MAX_ROWS: usize = 10_000;

type Rows = Vec<Vec<Cell>>;

/// Where a database file stands: its identity and its watcher's `data_version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Marker {
    device: u64,
    inode: u64,
    length: u64,
    data_version: i64,
}

struct Watcher {
    connection: rusqlite::Connection,
    identity: (u64, u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    location: String,
    sql: String,
    params: String,
}

pub struct CachingEngine {
    inner: Box<dyn Engine>,
    results: Mutex<LruCache<Key, (Marker, Arc<Rows>)>>,
    watchers: Mutex<HashMap<String, Watcher>>,
}

#[cfg(unix)]
fn identity(metadata: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

impl CachingEngine {
    pub fn new(inner: Box<dyn Engine>) -> CachingEngine {
        CachingEngine {
            inner,
            results: Mutex::new(LruCache::new(
                NonZeroUsize::new(ENTRIES).unwrap_or(NonZeroUsize::MIN),
            )),
            watchers: Mutex::new(HashMap::new()),
        }
    }

    /// The marker of `location` now, or `None` when it cannot be cached.
    fn marker(&self, location: &str) -> Option<Marker> {
        if location.contains("://") {
            return None;
        }
        let metadata = std::fs::metadata(location).ok()?;
        let identity = identity(&metadata);
        let mut watchers = self.watchers.lock().unwrap_or_else(|p| p.into_inner());
        let stale = watchers
            .get(location)
            .is_none_or(|w| w.identity != identity);
        if stale {
            let connection = rusqlite::Connection::open_with_flags(
                Path::new(location),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .ok()?;
            watchers.insert(
                location.to_string(),
                Watcher {
                    connection,
                    identity,
                },
            );
        }
        let watcher = watchers.get(location)?;
        let data_version = watcher
            .connection
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .ok()?;
        Some(Marker {
            device: identity.0,
            inode: identity.1,
            length: metadata.len(),
            data_version,
        })
    }
}

impl Engine for CachingEngine {
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Rows> {
        let Some(before) = self.marker(location) else {
            return self.inner.query(location, sql, params);
        };
        let key = Key {
            location: location.to_string(),
            sql: sql.to_string(),
            params: format!("{params:?}"),
        };
        {
            let mut results = self.results.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((marker, rows)) = results.get(&key) {
                if *marker == before {
                    return Ok(rows.as_ref().clone());
                }
                results.pop(&key);
            }
        }
        let rows = self.inner.query(location, sql, params)?;
        // Kept only when nothing changed while the query ran: the rows belong to `before`.
        if rows.len() <= MAX_ROWS && self.marker(location) == Some(before) {
            self.results
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .put(key, (before, Arc::new(rows.clone())));
        }
        Ok(rows)
    }

    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> EngineResult<Option<Vec<(String, String)>>> {
        self.inner.table_columns(location, table)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::data::engine::SqliteEngine;

    /// Counts the queries that reach the real engine.
    struct Counting(Arc<AtomicUsize>, SqliteEngine);

    impl Engine for Counting {
        fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Rows> {
            self.0.fetch_add(1, Ordering::SeqCst);
            self.1.query(location, sql, params)
        }
        fn table_columns(
            &self,
            location: &str,
            table: &str,
        ) -> EngineResult<Option<Vec<(String, String)>>> {
            self.1.table_columns(location, table)
        }
    }

    const WRITER_ENV: &str = "TSPOT_CACHE_TEST_WRITE_TO";

    /// Run by the test below as another process: appends a row to the database it is given.
    #[test]
    #[ignore = "a helper process of a_write_by_another_process_invalidates_the_cache"]
    fn helper_process_appends_a_row() {
        if let Ok(path) = std::env::var(WRITER_ENV) {
            let connection = rusqlite::Connection::open(path).unwrap();
            connection.execute("INSERT INTO t VALUES (2)", []).unwrap();
        }
    }

    #[test]
    fn a_write_by_another_process_invalidates_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch(
                "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);",
            )
            .unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let engine = CachingEngine::new(Box::new(Counting(
            calls.clone(),
            SqliteEngine::new(Duration::from_secs(5)),
        )));
        let location = path.to_str().unwrap();
        let sum =
            |engine: &CachingEngine| engine.query(location, "SELECT sum(x) FROM t", &[]).unwrap();

        assert_eq!(sum(&engine), vec![vec![Cell::Int(1)]]);
        assert_eq!(sum(&engine), vec![vec![Cell::Int(1)]]);
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "the second answer came from the cache"
        );

        // Another process commits (in WAL mode: the main file's mtime does not move).
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "data::cache::tests::helper_process_appends_a_row",
                "--ignored",
                "--quiet",
            ])
            .env(WRITER_ENV, &path)
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(sum(&engine), vec![vec![Cell::Int(3)]]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn urls_are_never_cached() {
        let engine = CachingEngine::new(Box::new(SqliteEngine::new(Duration::from_secs(1))));
        assert_eq!(engine.marker("postgres://u@localhost/db"), None);
    }
}
