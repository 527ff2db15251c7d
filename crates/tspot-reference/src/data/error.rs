//! Why a query on a connection failed, typed: the analytics code tells the caller's mistake (a
//! search too big for the engine, a table over a missing database table: 400s) from an outage
//! (503) and a fault (500) by variant, never by reading an engine's message.

use std::time::Duration;

/// A failure of a query engine (SQLite files, PostgreSQL connections).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The query ran past this server's time budget per query.
    #[error(
        "The search ran longer than the {} s this server allows per query; narrow it with \
         filters or fewer columns",
        .budget.as_secs_f64()
    )]
    OverBudget { budget: Duration },
    /// The search ran into a limit of the engine (nesting, terms, bound values, columns).
    #[error("This search cannot run: {what}")]
    TooBig {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The data source names a database table its connection does not have.
    #[error("The data source names a database table '{0}', which its connection does not have")]
    MissingTable(String),
    /// The data source names a database column its connection does not have.
    #[error("The data source names a database column '{0}', which its connection does not have")]
    MissingColumn(String),
    /// The database cannot be reached or did not hand out a connection in time. The message
    /// names the database without password or path.
    #[error("{0}")]
    Unavailable(String),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL at {database}: {detail}")]
    Postgres {
        /// The database's URL without its password.
        database: String,
        /// The server's message (`postgres::Error` itself displays only "db error").
        detail: String,
        #[source]
        source: postgres::Error,
    },
    /// Anything else the engine reports (a missing database file, a value it cannot decode).
    #[error("{0}")]
    Other(String),
}

pub type EngineResult<T> = Result<T, EngineError>;

impl EngineError {
    /// The label of the `tspot_engine_errors_total` metric.
    pub fn metric_kind(&self) -> &'static str {
        match self {
            EngineError::OverBudget { .. } => "budget",
            EngineError::Unavailable(_) => "unavailable",
            _ => "error",
        }
    }

    /// Whether the search itself is at fault (a 400 naming what to change).
    pub fn is_callers(&self) -> bool {
        matches!(
            self,
            EngineError::OverBudget { .. }
                | EngineError::TooBig { .. }
                | EngineError::MissingTable(_)
                | EngineError::MissingColumn(_)
        )
    }
}
