//! What can go wrong in the store, typed: callers tell an outage (a 503 the client retries) from
//! a fault (a 500 with the details in the log) without reading messages.

/// A failure of the store itself. [`StoreError::is_unavailable`] says whether it is an outage
/// (the database does not answer in time, or not at all), which the API reports as a 503.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A PostgreSQL error that is not an outage (a constraint, a bug in SQL).
    #[error("postgres: {0}")]
    Postgres(#[source] postgres::Error),
    /// The database cannot be reached, dropped the connection, or did not answer within the
    /// connect or statement timeout.
    #[error("the store's database is unavailable: {0}")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Concurrent writers kept conflicting after every retry.
    #[error("the store's write kept conflicting with concurrent writes ({attempts} attempts)")]
    Conflict { attempts: u32 },
    /// A blocking task of the store panicked or was cancelled.
    #[error("a store task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("migrating the store: {0}")]
    Migration(String),
    /// The stored data breaks an invariant (a group vanished inside a transaction, TML that does
    /// not parse).
    #[error("the store is inconsistent: {0}")]
    Inconsistent(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A backup or restore refused its input (a file that is not a store, a name in use).
    #[error("{0}")]
    Refused(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether the store cannot serve the request now but may in a moment (a 503 the client
    /// retries): its database is out of reach, or concurrent writes kept conflicting. Anything
    /// else is a fault (a 500).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Unavailable(_) | StoreError::Conflict { .. }
        )
    }
}

impl From<r2d2::Error> for StoreError {
    /// The pool found no healthy connection within its timeout: the database is out of reach.
    fn from(error: r2d2::Error) -> Self {
        StoreError::Unavailable(Box::new(error))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        if is_outage(&error) {
            StoreError::Unavailable(Box::new(error))
        } else {
            StoreError::Postgres(error)
        }
    }
}

/// A lost or refused connection (an I/O error, class 08), a server shutting down or starting
/// (class 57, which also holds 57014, a statement cancelled by `statement_timeout`), or no
/// resources (class 53). Errors of conversion or SQL are faults, not outages.
fn is_outage(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            code.starts_with("08") || code.starts_with("53") || code.starts_with("57")
        }
        None => {
            let io = std::error::Error::source(error)
                .is_some_and(|source| source.downcast_ref::<std::io::Error>().is_some());
            let text = error.to_string();
            io || text.starts_with("error connecting") || text.starts_with("timeout")
        }
    }
}
