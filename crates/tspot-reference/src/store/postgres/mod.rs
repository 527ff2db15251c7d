//! The store on PostgreSQL, which several `tspot serve` replicas share: the same tables as the
//! SQLite store, versioned migrations ([`migrations`]), and what makes replicas act as one
//! server.
//!
//! - Every write is one `SERIALIZABLE` transaction, retried (a few times, with jittered
//!   backoff) when PostgreSQL reports a serialization failure or a deadlock (SQLSTATE 40001,
//!   40P01): a read-check-write through one replica never interleaves with one through another,
//!   and a write that was acknowledged is committed.
//! - The `versions` table holds the auth and catalog versions. A write that changes what caches
//!   hold bumps its row in the same transaction, and every request reads the versions from the
//!   database ([`Store::is_shared`]): a change committed through one replica is seen by every
//!   replica from its next request on (the delay bound is the commit itself).
//! - A request's reads run in one `REPEATABLE READ READ ONLY` transaction on a connection
//!   pinned to its thread ([`Store::read_snapshot`]).
//! - Connecting waits at most [`CONNECT_TIMEOUT`], a statement at most [`STATEMENT_TIMEOUT`];
//!   a database that is down or slower gives [`StoreError::Unavailable`] (a 503), and the pool
//!   tests each connection as it hands it out, so it recovers when the database is back.

mod connections;
pub mod migrations;
mod objects;
mod principals;
mod sessions;
mod throttle;

use std::cell::RefCell;
use std::time::Duration;

use postgres::{Client, IsolationLevel, NoTls, Transaction};
use r2d2::PooledConnection;
use r2d2_postgres::PostgresConnectionManager;

use super::{Store, StoreError, StoreResult};
use crate::data::postgres::{Liveness, client_config};

type Manager = PostgresConnectionManager<NoTls>;
type Pool = r2d2::Pool<Manager>;

/// How long connecting (and waiting for a pooled connection) may take.
pub const CONNECT_TIMEOUT: Duration = crate::data::postgres::CONNECT_TIMEOUT;
/// How long one statement may run; a request's statements are small and indexed.
pub const STATEMENT_TIMEOUT: Duration = Duration::from_secs(15);
/// Connections per replica: requests in flight that hold one at a time.
const CONNECTIONS: u32 = 16;
/// Tries of a write that keeps meeting serialization failures.
const ATTEMPTS: u32 = 8;

/// The auth and catalog rows of the `versions` table.
const AUTH: &str = "auth";
const CATALOG: &str = "catalog";

thread_local! {
    /// The connection pinned by [`PostgresStore::read_snapshot`] on this thread, inside its
    /// read-only transaction.
    static PINNED: RefCell<Option<PooledConnection<Manager>>> = const { RefCell::new(None) };
}

/// What every pooled session runs once: the statement timeout, a lock timeout below it, and
/// UTC.
#[derive(Debug)]
struct Session;

impl r2d2::CustomizeConnection<Client, postgres::Error> for Session {
    fn on_acquire(&self, client: &mut Client) -> Result<(), postgres::Error> {
        client.batch_execute(&format!(
            "SET statement_timeout = {}; SET lock_timeout = {}; \
             SET idle_in_transaction_session_timeout = 60000; SET TimeZone = 'UTC'",
            STATEMENT_TIMEOUT.as_millis(),
            STATEMENT_TIMEOUT.as_millis() / 2,
        ))
    }
}

/// The store in a PostgreSQL database, through a pool of the synchronous `postgres` client.
pub struct PostgresStore {
    /// Always `Some` but while dropping (see the `Drop` impl).
    pool: Option<Pool>,
    /// The URL without its password, for messages.
    location: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// Whether a store location is a PostgreSQL URL (else it is the SQLite data directory).
pub fn is_postgres(location: &str) -> bool {
    crate::data::postgres::is_postgres(location)
}

impl PostgresStore {
    /// Connects to the database of `url` (`postgres://user@host:port/db`; a password in the URL
    /// wins over `password`), then brings its schema up to date. An unreachable database or
    /// refused credentials fail here, within [`CONNECT_TIMEOUT`], naming the URL without its
    /// password.
    pub fn connect(url: &str, password: Option<&str>) -> StoreResult<PostgresStore> {
        let given = |_: &str| Ok(password.map(|p| p.as_bytes().to_vec()));
        let (location, config) =
            client_config(url, given, Liveness::STORE).map_err(StoreError::Refused)?;
        // One direct connection first: its error says why (refused, wrong password), where
        // the pool's would only say it timed out.
        let mut first = config
            .connect(NoTls)
            .map_err(|e| StoreError::Refused(format!("cannot connect to {location}: {e}")))?;
        migrations::apply(&mut first).map_err(|e| match e {
            StoreError::Migration(m) => StoreError::Migration(m),
            other => StoreError::Migration(other.to_string()),
        })?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(CONNECTIONS)
            .min_idle(Some(1))
            .idle_timeout(Some(Duration::from_secs(300)))
            .connection_timeout(CONNECT_TIMEOUT)
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .connection_customizer(Box::new(Session))
            .build_unchecked(Manager::new(config, NoTls));
        Ok(PostgresStore {
            pool: Some(pool),
            location,
        })
    }

    fn pool(&self) -> &Pool {
        self.pool
            .as_ref()
            .expect("the pool lives until the store is dropped")
    }

    /// The URL of the database, without its password.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Runs `f` on the pinned snapshot's connection, or on a pooled one.
    fn read<T>(&self, f: impl FnOnce(&mut Client) -> StoreResult<T>) -> StoreResult<T> {
        if PINNED.with(|pinned| pinned.borrow().is_some()) {
            return PINNED.with(|pinned| match pinned.borrow_mut().as_mut() {
                Some(connection) => f(connection),
                None => Err(StoreError::Inconsistent(
                    "the pinned read connection is gone".into(),
                )),
            });
        }
        let mut connection = self.pool().get()?;
        f(&mut connection)
    }

    /// Runs `f` in a `SERIALIZABLE` transaction and commits, trying again (up to [`ATTEMPTS`]
    /// times) when PostgreSQL aborts it for a conflict with a concurrent transaction. `f` may
    /// run more than once: it only talks to the transaction.
    fn write<T>(
        &self,
        mut f: impl FnMut(&mut Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut connection = self.pool().get()?;
        for attempt in 1..=ATTEMPTS {
            let outcome = connection
                .build_transaction()
                .isolation_level(IsolationLevel::Serializable)
                .start()
                .map_err(StoreError::from)
                .and_then(|mut tx| {
                    let value = f(&mut tx)?;
                    tx.commit()?;
                    Ok(value)
                });
            match outcome {
                Err(error) if is_conflict(&error) => {
                    metrics::counter!(crate::metrics::STORE_RETRIES).increment(1);
                    std::thread::sleep(backoff(attempt));
                }
                outcome => return outcome,
            }
        }
        Err(StoreError::Conflict { attempts: ATTEMPTS })
    }
}

impl Drop for PostgresStore {
    /// The `postgres` client closes its connection by blocking on a runtime of its own, which
    /// panics on a thread that drives a tokio runtime (a server dropping its store at the end
    /// of `main`): the pool goes away on a thread of its own then.
    fn drop(&mut self) {
        let Some(pool) = self.pool.take() else { return };
        if tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::Builder::new()
                .name("tspot-store-close".into())
                .spawn(move || drop(pool))
                .map(|t| t.join());
        }
    }
}

/// A serialization failure or a deadlock: the transaction was rolled back and may be retried.
fn is_conflict(error: &StoreError) -> bool {
    let StoreError::Postgres(error) = error else {
        return false;
    };
    error.code().is_some_and(|code| {
        *code == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
            || *code == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
    })
}

/// 5 ms doubling per attempt, with jitter so that two conflicting writers part ways.
fn backoff(attempt: u32) -> Duration {
    let base = 5u64 << attempt.min(6);
    let mut byte = [0u8; 1];
    let jitter = getrandom::fill(&mut byte).map_or(0, |()| u64::from(byte[0]) % base.max(1));
    Duration::from_millis(base + jitter)
}

/// Bumps a version row inside a write transaction.
fn bump(tx: &mut Transaction<'_>, version: &str) -> StoreResult<()> {
    tx.execute(
        "UPDATE versions SET value = value + 1 WHERE name = $1",
        &[&version],
    )?;
    Ok(())
}

fn version(client: &mut impl postgres::GenericClient, name: &str) -> StoreResult<u64> {
    let value: i64 = client
        .query_one("SELECT value FROM versions WHERE name = $1", &[&name])?
        .get(0);
    Ok(value as u64)
}

impl Store for PostgresStore {
    fn is_shared(&self) -> bool {
        true
    }

    fn catalog_version(&self) -> StoreResult<u64> {
        self.read(|c| version(c, CATALOG))
    }

    fn auth_version(&self) -> StoreResult<u64> {
        self.read(|c| version(c, AUTH))
    }

    fn read_snapshot(&self, work: &mut dyn FnMut()) -> StoreResult<()> {
        if PINNED.with(|pinned| pinned.borrow().is_some()) {
            work();
            return Ok(());
        }
        let mut connection = self.pool().get()?;
        connection.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        PINNED.with(|pinned| *pinned.borrow_mut() = Some(connection));
        // Unpins even when `work` panics, so the thread's next job starts clean.
        struct Unpin;
        impl Drop for Unpin {
            fn drop(&mut self) {
                if let Some(mut connection) = PINNED.with(|pinned| pinned.borrow_mut().take()) {
                    let _ = connection.batch_execute("ROLLBACK");
                }
            }
        }
        let _unpin = Unpin;
        work();
        Ok(())
    }

    fn exclusive(&self, name: &str, work: &mut dyn FnMut()) -> StoreResult<()> {
        // A session-level advisory lock on a connection of its own, keyed by the name's hash
        // (in the namespace of `hashtext`), released even when `work` panics.
        let mut connection = self.pool().get()?;
        let key = format!("tspot:{name}");
        // Another replica may hold it for a while (creating the demo): wait up to 10 minutes.
        connection.batch_execute("SET statement_timeout = 600000")?;
        connection.execute("SELECT pg_advisory_lock(hashtext($1))", &[&key])?;
        connection.batch_execute(&format!(
            "SET statement_timeout = {}",
            STATEMENT_TIMEOUT.as_millis()
        ))?;
        struct Unlock<'a>(&'a mut Client, String);
        impl Drop for Unlock<'_> {
            fn drop(&mut self) {
                let _ = self
                    .0
                    .execute("SELECT pg_advisory_unlock(hashtext($1))", &[&self.1]);
            }
        }
        let _unlock = Unlock(&mut connection, key);
        work();
        Ok(())
    }

    fn ping(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_one("SELECT count(*) FROM versions", &[])?;
            Ok(())
        })
    }

    fn close(&self) -> StoreResult<()> {
        // Committed means durable in PostgreSQL: nothing is buffered here.
        Ok(())
    }
}

#[cfg(test)]
mod tests;
