//! The query engine behind connections. SQLite files now; the trait keeps the search code and the
//! API independent of the engine, so PostgreSQL-compatible engines can be added beside it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use r2d2::PooledConnection;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{OpenFlags, types::ValueRef};

use super::error::{EngineError, EngineResult};
use crate::metrics::{ENGINE_ERRORS, ENGINE_QUERY_DURATION};

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Int(i64),
    Double(f64),
    Text(String),
    Bool(bool),
}

/// A result cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Double(f64),
    Text(String),
}

impl Cell {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Int(i) => (*i).into(),
            Cell::Double(d) => serde_json::Number::from_f64(*d)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Cell::Text(t) => t.clone().into(),
        }
    }
}

pub trait Engine: Send + Sync {
    /// Runs one read-only query with bound parameters.
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>>;
    /// The columns (name, declared type) of a table, or `None` when the table does not exist.
    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> EngineResult<Option<Vec<(String, String)>>>;
}

/// SQLite files, read-only, through a small pool of connections per file; each query runs
/// under a time budget (SQLite's progress handler interrupts it when the budget is spent).
pub struct SqliteEngine {
    pools: Mutex<HashMap<String, r2d2::Pool<SqliteConnectionManager>>>,
    budget: Duration,
    mmap_bytes: i64,
}

/// Connections kept per database file: enough for a Liveboard's visualizations at once.
const CONNECTIONS_PER_FILE: u32 = 4;
/// Bytes of a database file the engine reads through a memory map, unless configured.
pub const DEFAULT_MMAP_BYTES: i64 = 1 << 30;
/// How many SQLite virtual-machine steps run between two looks at the clock.
const STEPS_BETWEEN_CHECKS: i32 = 10_000;

/// SQLite's own limits that a search can run into (its message, then the limit in words).
const ENGINE_LIMITS: [(&str, &str); 5] = [
    (
        "Expression tree is too large",
        "the search is too complex for the engine (its conditions nest more than 1000 deep)",
    ),
    (
        "too many terms",
        "the search has more terms than the engine takes in one statement",
    ),
    (
        "too many SQL variables",
        "the search has more values than the engine binds in one statement",
    ),
    (
        "too many columns",
        "the search has more columns than the engine takes in one statement",
    ),
    (
        "pattern too complex",
        "a text pattern of the search is too long for the engine",
    ),
];

/// A failed SQLite query, sorted: the budget, a limit, a missing table or column, or a fault.
fn classify(error: rusqlite::Error, budget: Duration) -> EngineError {
    if let rusqlite::Error::SqliteFailure(failure, _) = &error
        && failure.code == rusqlite::ErrorCode::OperationInterrupted
    {
        return EngineError::OverBudget { budget };
    }
    let message = error.to_string();
    if let Some((_, what)) = ENGINE_LIMITS.iter().find(|(m, _)| message.contains(m)) {
        return EngineError::TooBig {
            what,
            source: Box::new(error),
        };
    }
    if let Some(at) = message.find("no such table: ") {
        return EngineError::MissingTable(message[at + "no such table: ".len()..].trim().into());
    }
    if let Some(at) = message.find("no such column: ") {
        return EngineError::MissingColumn(message[at + "no such column: ".len()..].trim().into());
    }
    EngineError::Sqlite(error)
}

/// Sets up a new engine connection: its memory map and the functions searches need.
fn prepare(connection: &mut rusqlite::Connection, mmap_bytes: i64) -> rusqlite::Result<()> {
    // Mapped pages are shared by every connection and never copied into a page cache of each:
    // two visualizations scanning one file at once no longer fight over read() copies (a 1M-row
    // Liveboard: 5.2 s -> 2.9 s). 0 turns it off.
    connection.pragma_update(None, "mmap_size", mmap_bytes)?;
    // The bundled SQLite has no math functions; `standard deviation` needs sqrt.
    connection.create_scalar_function(
        "sqrt",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<f64>>(0)?.map(f64::sqrt)),
    )
}

/// The `connection` label of a database: its file name.
pub fn connection_label(location: &str) -> String {
    Path::new(location).file_name().map_or_else(
        || "unknown".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Whether the SQLite file at `location` opens and answers a query, without the pool, the
/// budget or the metrics of [`Engine::query`]: for `/readyz`. The error names no path.
pub fn check(location: &str) -> EngineResult<()> {
    if !Path::new(location).is_file() {
        return Err(EngineError::Other("the database file is missing".into()));
    }
    let connection = rusqlite::Connection::open_with_flags(
        location,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| EngineError::Other(format!("cannot open the database: {e}")))?;
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| EngineError::Other(format!("the database does not answer: {e}")))
}

impl SqliteEngine {
    pub fn new(budget: Duration) -> SqliteEngine {
        SqliteEngine {
            pools: Mutex::new(HashMap::new()),
            budget,
            mmap_bytes: DEFAULT_MMAP_BYTES,
        }
    }

    /// The bytes of each file read through a memory map (0: none, every read is a copy).
    pub fn with_mmap(mut self, bytes: i64) -> SqliteEngine {
        self.mmap_bytes = bytes.max(0);
        self
    }

    fn connection(
        &self,
        location: &str,
    ) -> EngineResult<PooledConnection<SqliteConnectionManager>> {
        let pool = {
            let mut pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
            match pools.get(location) {
                Some(pool) => pool.clone(),
                None => {
                    if !Path::new(location).exists() {
                        return Err(EngineError::Other(format!(
                            "the database file {location} does not exist"
                        )));
                    }
                    let manager = SqliteConnectionManager::file(location)
                        .with_flags(
                            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                        )
                        .with_init({
                            let mmap_bytes = self.mmap_bytes;
                            move |connection| prepare(connection, mmap_bytes)
                        });
                    let pool = r2d2::Pool::builder()
                        .max_size(CONNECTIONS_PER_FILE)
                        .min_idle(Some(0))
                        .idle_timeout(Some(Duration::from_secs(300)))
                        .build_unchecked(manager);
                    pools.insert(location.to_string(), pool.clone());
                    pool
                }
            }
        };
        pool.get()
            .map_err(|e| EngineError::Unavailable(format!("cannot open {location}: {e}")))
    }

    fn run(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>> {
        let connection = self.connection(location)?;
        let deadline = Instant::now() + self.budget;
        connection.progress_handler(
            STEPS_BETWEEN_CHECKS,
            Some(move || Instant::now() > deadline),
        );
        let result = run_query(&connection, sql, params);
        connection.progress_handler(STEPS_BETWEEN_CHECKS, None::<fn() -> bool>);
        result.map_err(|e| classify(e, self.budget))
    }
}

impl Engine for SqliteEngine {
    /// Runs the query, timed in [`ENGINE_QUERY_DURATION`] (failures counted in
    /// [`ENGINE_ERRORS`]) under the database file's name: never the whole path, which says
    /// more about the machine than a metric needs to.
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>> {
        let started = Instant::now();
        let result = self.run(location, sql, params);
        record(&connection_label(location), started, &result);
        result
    }

    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> EngineResult<Option<Vec<(String, String)>>> {
        let connection = self.connection(location)?;
        let mut statement =
            connection.prepare_cached("SELECT name, type FROM pragma_table_info(?1)")?;
        let columns: Vec<(String, String)> = statement
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok((!columns.is_empty()).then_some(columns))
    }
}

/// Times a query in [`ENGINE_QUERY_DURATION`] and counts a failure in [`ENGINE_ERRORS`], under
/// the connection's label (never a whole path or a password).
pub(crate) fn record<T>(connection: &str, started: Instant, result: &EngineResult<T>) {
    metrics::histogram!(ENGINE_QUERY_DURATION, "connection" => connection.to_owned())
        .record(started.elapsed().as_secs_f64());
    if let Err(error) = result {
        metrics::counter!(
            ENGINE_ERRORS,
            "connection" => connection.to_owned(),
            "kind" => error.metric_kind()
        )
        .increment(1);
    }
}

fn run_query(
    connection: &rusqlite::Connection,
    sql: &str,
    params: &[Param],
) -> rusqlite::Result<Vec<Vec<Cell>>> {
    let mut statement = connection.prepare_cached(sql)?;
    let values: Vec<rusqlite::types::Value> = params
        .iter()
        .map(|p| match p {
            Param::Null => rusqlite::types::Value::Null,
            Param::Int(i) => rusqlite::types::Value::Integer(*i),
            Param::Double(d) => rusqlite::types::Value::Real(*d),
            Param::Text(t) => rusqlite::types::Value::Text(t.clone()),
            Param::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
        })
        .collect();
    let width = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            cells.push(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(i) => Cell::Int(i),
                ValueRef::Real(r) => Cell::Double(r),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(_) => Cell::Text("<binary>".into()),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_over_its_budget_is_stopped_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
            .unwrap();
        let engine = SqliteEngine::new(Duration::from_millis(50));
        let location = path.to_str().unwrap();
        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) \
                       SELECT count(*) FROM n";
        let error = engine.query(location, endless, &[]).unwrap_err();
        assert!(matches!(error, EngineError::OverBudget { .. }), "{error}");
        // The connection goes back to the pool fit for the next query.
        let rows = engine
            .query(location, "SELECT sqrt(x * 4) FROM t", &[])
            .unwrap();
        assert_eq!(rows, vec![vec![Cell::Double(2.0)]]);
    }

    #[test]
    fn connections_read_through_the_configured_memory_map() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER);")
            .unwrap();
        let location = path.to_str().unwrap();
        let mapped = SqliteEngine::new(Duration::from_secs(5));
        assert_eq!(
            mapped.query(location, "PRAGMA mmap_size", &[]).unwrap(),
            vec![vec![Cell::Int(DEFAULT_MMAP_BYTES)]]
        );
        let copied = SqliteEngine::new(Duration::from_secs(5)).with_mmap(0);
        assert_eq!(
            copied.query(location, "PRAGMA mmap_size", &[]).unwrap(),
            vec![vec![Cell::Int(0)]]
        );
    }

    #[test]
    fn connections_are_labelled_by_file_name_and_checked_without_naming_the_path() {
        assert_eq!(connection_label("/srv/data/demo.sqlite3"), "demo.sqlite3");
        assert_eq!(connection_label("sales.db"), "sales.db");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER);")
            .unwrap();
        assert!(check(path.to_str().unwrap()).is_ok());
        let missing = dir.path().join("gone.sqlite3");
        let error = check(missing.to_str().unwrap()).unwrap_err().to_string();
        assert!(!error.contains("gone"), "{error}");
        std::fs::write(&path, b"not a database, not at all, no").unwrap();
        let error = check(path.to_str().unwrap()).unwrap_err().to_string();
        assert!(!error.contains("t.sqlite3"), "{error}");
    }
}
