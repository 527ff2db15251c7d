//! PostgreSQL (and the engines that speak its protocol and dialect: `crates/tspot-search/ENGINES.md`)
//! as a query engine: searches compiled with [`tspot_search::Postgres`] run where the data is.
//!
//! A connection's location is a URL, `postgres://user@host:port/database` (or `postgresql://`,
//! and any parameter the `postgres` crate takes, such as `?connect_timeout=5`). The password
//! never is part of a location: the store, the logs and every error see the URL without it
//! ([`split_url`]). It comes from, in this order, the URL given on the command line (kept in
//! memory, [`PostgresEngine::remember`]), the environment variable [`PASSWORD_VAR`], or the file
//! named by [`PASSWORD_FILE_VAR`] (its first line).
//!
//! Connections are plain TCP or a Unix socket, without TLS (`sslmode=require` is refused): run
//! tspot beside the database, or behind a tunnel or a TLS-terminating proxy. Each database has
//! a small r2d2 pool of the synchronous `postgres` client; every session is read-only, in UTC
//! (date buckets of `timestamptz`), with `statement_timeout` set to the query budget.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::types::private::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, Config, NoTls};
use r2d2::PooledConnection;
use r2d2_postgres::PostgresConnectionManager;

use super::engine::{Cell, Engine, Param};
use super::error::{EngineError, EngineResult};

/// The password of every PostgreSQL connection whose URL has none (like libpq's `PGPASSWORD`).
pub const PASSWORD_VAR: &str = "TSPOT_PG_PASSWORD";
/// A file whose first line is that password (a secret mounted as a file).
pub const PASSWORD_FILE_VAR: &str = "TSPOT_PG_PASSWORD_FILE";

/// How long connecting may take, unless the URL says `connect_timeout`.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a query waits for a connection before a failed attempt to connect counts as an
/// unreachable database (a refused connection fails at once).
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// Connections kept per database: a Liveboard's visualizations run four at once.
const CONNECTIONS_PER_DATABASE: u32 = 4;

type Manager = PostgresConnectionManager<NoTls>;
type Pool = r2d2::Pool<Manager>;

const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// Whether a connection location is a PostgreSQL URL (else it is an SQLite file).
pub fn is_postgres(location: &str) -> bool {
    SCHEMES.iter().any(|s| location.trim_start().starts_with(s))
}

/// How soon a dead server or network shows on an open connection, instead of at TCP's timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Liveness {
    /// Idle time before the first keepalive probe.
    pub idle: Duration,
    /// Time between probes (three are sent).
    pub interval: Duration,
    /// How long sent data may stay unacknowledged.
    pub unacknowledged: Option<Duration>,
}

impl Liveness {
    /// For queries on a connection's database: within about a minute.
    pub const QUERIES: Liveness = Liveness {
        idle: Duration::from_secs(30),
        interval: Duration::from_secs(10),
        unacknowledged: None,
    };
    /// For the store every request reads: within about half a minute.
    pub const STORE: Liveness = Liveness {
        idle: Duration::from_secs(10),
        interval: Duration::from_secs(5),
        unacknowledged: Some(Duration::from_secs(20)),
    };
}

/// The client configuration of a PostgreSQL URL, and the URL without its password (for
/// messages and as a key): the URL's password, else `password_elsewhere(location)`; refused
/// when it asks for TLS, which tspot does not speak; tspot's connect timeout (unless the URL
/// sets one), application name and keepalives.
pub fn client_config(
    url: &str,
    password_elsewhere: impl FnOnce(&str) -> Result<Option<Vec<u8>>, String>,
    liveness: Liveness,
) -> Result<(String, Config), String> {
    let (location, in_url) = split_url(url)?;
    let mut config: Config = location
        .parse()
        .map_err(|e| format!("the PostgreSQL URL {location} is not valid: {e}"))?;
    if matches!(config.get_ssl_mode(), SslMode::Require) {
        return Err(format!(
            "{location} asks for TLS (sslmode=require), which tspot does not speak: connect \
             over a local socket, a tunnel or a TLS-terminating proxy"
        ));
    }
    let password = match in_url {
        Some(password) => Some(percent_decode(&password)),
        None => password_elsewhere(&location)?,
    };
    if let Some(password) = password {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("tspot");
    }
    config
        .keepalives(true)
        .keepalives_idle(liveness.idle)
        .keepalives_interval(liveness.interval)
        .keepalives_retries(3);
    if let Some(unacknowledged) = liveness.unacknowledged {
        config.tcp_user_timeout(unacknowledged);
    }
    Ok((location, config))
}

/// A PostgreSQL URL as the store keeps it (no password), and the password it had (as written,
/// percent-encoded). A password in the query string (`?password=`) counts too.
pub fn split_url(url: &str) -> Result<(String, Option<String>), String> {
    let url = url.trim();
    let scheme = SCHEMES
        .iter()
        .find(|s| url.starts_with(*s))
        .ok_or("a PostgreSQL location starts with postgres:// or postgresql://")?;
    let rest = &url[scheme.len()..];
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let (user, hosts, mut password) = match authority.rfind('@') {
        Some(at) => {
            let (user, password) = match authority[..at].split_once(':') {
                Some((user, password)) => (user, Some(password.to_string())),
                None => (&authority[..at], None),
            };
            (Some(user), &authority[at + 1..], password)
        }
        None => (None, authority, None),
    };
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (tail, None),
    };
    let mut kept = Vec::new();
    for pair in query.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("password", value)) => password = Some(value.to_string()),
            _ if pair.is_empty() => {}
            _ => kept.push(pair),
        }
    }
    let mut redacted = scheme.to_string();
    if let Some(user) = user {
        redacted.push_str(user);
        redacted.push('@');
    }
    redacted.push_str(hosts);
    redacted.push_str(path);
    if !kept.is_empty() {
        redacted.push('?');
        redacted.push_str(&kept.join("&"));
    }
    Ok((redacted, password.filter(|p| !p.is_empty())))
}

/// The location of a PostgreSQL URL (without its password) once it is known to parse as a
/// connection string; the error names the URL without its password too.
pub fn checked_location(url: &str) -> Result<String, String> {
    let (location, _) = split_url(url)?;
    location
        .parse::<Config>()
        .map_err(|e| format!("the PostgreSQL URL {location} is not valid: {e}"))?;
    Ok(location)
}

/// `%XX` escapes decoded (a URL's password may hold `@`, `:` or `/` only so).
pub(crate) fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The password from the environment: [`PASSWORD_VAR`], else the first line of the file
/// [`PASSWORD_FILE_VAR`] names.
fn password_from_environment() -> Result<Option<Vec<u8>>, String> {
    if let Some(password) = std::env::var_os(PASSWORD_VAR).filter(|p| !p.is_empty()) {
        return Ok(Some(password.into_encoded_bytes()));
    }
    let Some(path) = std::env::var_os(PASSWORD_FILE_VAR).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read the PostgreSQL password file {} ({PASSWORD_FILE_VAR}): {e}",
            std::path::Path::new(&path).display()
        )
    })?;
    Ok(text
        .lines()
        .next()
        .filter(|line| !line.is_empty())
        .map(|line| line.as_bytes().to_vec()))
}

/// What every pooled session runs once: read-only, UTC, and the query budget.
#[derive(Debug)]
struct Session {
    budget: Duration,
}

impl r2d2::CustomizeConnection<Client, postgres::Error> for Session {
    fn on_acquire(&self, client: &mut Client) -> Result<(), postgres::Error> {
        client.batch_execute(&format!(
            "SET statement_timeout = {}; SET TimeZone = 'UTC'",
            self.budget.as_millis().clamp(1, i32::MAX as u128)
        ))?;
        // Defence in depth (the engine runs only the compiler's SELECTs): an engine that has
        // no such setting (Redshift) still serves.
        let _ = client.batch_execute("SET default_transaction_read_only = on");
        Ok(())
    }
}

/// PostgreSQL databases, through a small pool of connections per database; each query runs
/// under a time budget (the server's `statement_timeout`).
pub struct PostgresEngine {
    /// By location (the URL without its password).
    pools: Mutex<HashMap<String, Pool>>,
    /// Passwords given in URLs, by location.
    passwords: Mutex<HashMap<String, Vec<u8>>>,
    budget: Duration,
}

impl std::fmt::Debug for PostgresEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the passwords.
        f.debug_struct("PostgresEngine")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

/// Why a PostgreSQL call failed, in the server's or the network's words: `postgres::Error`
/// itself displays only "db error" or "error connecting to server".
pub(crate) fn reason(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => match StdError::source(error) {
            Some(cause) => format!("{error}: {cause}"),
            None => error.to_string(),
        },
    }
}

/// The text between the first pair of double quotes (`relation "s.t" does not exist`).
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('"')? + 1;
    let end = start + message[start..].find('"')?;
    Some(&message[start..end])
}

/// The name of the database, for metrics (as the SQLite engine labels by file name).
fn label(location: &str) -> String {
    location
        .parse::<Config>()
        .ok()
        .and_then(|c| c.get_dbname().map(str::to_owned))
        .unwrap_or_else(|| "postgres".to_owned())
}

impl Drop for PostgresEngine {
    /// The `postgres` client closes its connection by blocking on a runtime of its own, which
    /// panics on a thread that drives a tokio runtime (a server dropping its engines at the end
    /// of `main`): the pools go away on a thread of their own then.
    fn drop(&mut self) {
        let pools = std::mem::take(self.pools.get_mut().unwrap_or_else(|p| p.into_inner()));
        if !pools.is_empty() && tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::Builder::new()
                .name("tspot-engine-close".into())
                .spawn(move || drop(pools))
                .map(|t| t.join());
        }
    }
}

impl PostgresEngine {
    pub fn new(budget: Duration) -> PostgresEngine {
        PostgresEngine {
            pools: Mutex::new(HashMap::new()),
            passwords: Mutex::new(HashMap::new()),
            budget,
        }
    }

    /// Keeps the password of `url` (if it has one) for its location, and returns the location.
    pub fn remember(&self, url: &str) -> Result<String, String> {
        let (location, password) = split_url(url)?;
        if let Some(password) = password {
            self.passwords
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(location.clone(), percent_decode(&password));
        }
        Ok(location)
    }

    /// The client configuration of a location: its URL, the password, and tspot's timeouts.
    fn config(&self, location: &str) -> Result<(String, Config), String> {
        let remembered = |redacted: &str| {
            let kept = self
                .passwords
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(redacted)
                .cloned();
            match kept {
                Some(password) => Ok(Some(password)),
                None => password_from_environment(),
            }
        };
        client_config(location, remembered, Liveness::QUERIES)
    }

    fn pool(&self, location: &str) -> EngineResult<(String, Pool)> {
        let (redacted, _) = split_url(location).map_err(EngineError::Other)?;
        let mut pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pool) = pools.get(&redacted) {
            return Ok((redacted, pool.clone()));
        }
        let (_, config) = self.config(location).map_err(EngineError::Other)?;
        let pool = r2d2::Pool::builder()
            .max_size(CONNECTIONS_PER_DATABASE)
            .min_idle(Some(0))
            .idle_timeout(Some(Duration::from_secs(300)))
            .connection_timeout(CONNECT_TIMEOUT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .connection_customizer(Box::new(Session {
                budget: self.budget,
            }))
            .build_unchecked(Manager::new(config, NoTls));
        pools.insert(redacted.clone(), pool.clone());
        Ok((redacted, pool))
    }

    /// A pooled connection. A database that refuses or fails the first attempt to connect
    /// fails within [`FIRST_WAIT`] (or the connect timeout of one direct attempt), naming the
    /// reason; a slow connect (up to the URL's `connect_timeout`, else [`CONNECT_TIMEOUT`]) or
    /// a busy pool is waited for up to the query budget.
    fn connection(&self, location: &str) -> EngineResult<(String, PooledConnection<Manager>)> {
        let (redacted, pool) = self.pool(location)?;
        // r2d2 says why the last attempt to connect failed, if one did ("timed out waiting
        // for connection: <why>").
        let failed = |error: r2d2::Error| {
            error
                .to_string()
                .split_once(": ")
                .map(|(_, why)| format!("cannot connect to PostgreSQL at {redacted}: {why}"))
        };
        let error = match pool.get_timeout(FIRST_WAIT) {
            Ok(connection) => return Ok((redacted, connection)),
            Err(error) => error,
        };
        // A pool that is not full could not connect in time (or is still backing off after an
        // outage broke its connections): one attempt of our own, bounded by the connect
        // timeout, says why in the server's words (r2d2 keeps only "db error"), so an
        // unreachable database answers now, not after the budget.
        if pool.state().connections < pool.max_size() {
            let (_, config) = self.config(location).map_err(EngineError::Other)?;
            // When it answers now, the pool's own attempt will too.
            if let Err(error) = config.connect(NoTls) {
                return Err(EngineError::Unavailable(format!(
                    "cannot connect to PostgreSQL at {redacted}: {}",
                    reason(&error)
                )));
            }
        } else if let Some(message) = failed(error) {
            return Err(EngineError::Unavailable(message));
        }
        match pool.get_timeout(self.budget.max(CONNECT_TIMEOUT)) {
            Ok(connection) => Ok((redacted, connection)),
            Err(error) => Err(EngineError::Unavailable(failed(error).unwrap_or_else(
                || {
                    format!(
                        "every connection to PostgreSQL at {redacted} stayed busy for {} s",
                        self.budget.as_secs_f64()
                    )
                },
            ))),
        }
    }

    /// A PostgreSQL error, sorted as the SQLite engine sorts its own: the budget, a limit, a
    /// missing table or column, an outage, or a fault naming the database without password.
    fn describe(&self, redacted: &str, error: postgres::Error) -> EngineError {
        if let Some(db) = error.as_db_error() {
            let message = db.message();
            let code = db.code();
            if *code == SqlState::QUERY_CANCELED {
                return EngineError::OverBudget {
                    budget: self.budget,
                };
            }
            if *code == SqlState::UNDEFINED_TABLE {
                return EngineError::MissingTable(quoted(message).unwrap_or(message).to_owned());
            }
            if *code == SqlState::UNDEFINED_COLUMN {
                // `column "x" does not exist`, `column f.x does not exist`
                let name = message
                    .strip_prefix("column ")
                    .and_then(|m| m.strip_suffix(" does not exist"))
                    .map_or(message, |name| name.trim_matches('"'));
                return EngineError::MissingColumn(name.to_owned());
            }
            let limit = if *code == SqlState::STATEMENT_TOO_COMPLEX {
                Some("the search is too complex for the engine")
            } else if *code == SqlState::TOO_MANY_COLUMNS {
                Some("the search has more columns than the engine takes in one statement")
            } else {
                None
            };
            if let Some(what) = limit {
                return EngineError::TooBig {
                    what,
                    source: Box::new(error),
                };
            }
        }
        if error.is_closed() {
            return EngineError::Unavailable(format!(
                "the connection to PostgreSQL at {redacted} closed: {error}"
            ));
        }
        let detail = match error.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => error.to_string(),
        };
        EngineError::Postgres {
            database: redacted.to_owned(),
            detail,
            source: error,
        }
    }

    fn run(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>> {
        let (redacted, mut client) = self.connection(location)?;
        let params: Vec<PgParam<'_>> = params.iter().map(PgParam).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = client
            .query(sql, &refs)
            .map_err(|e| self.describe(&redacted, e))?;
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<_, PgCell>(i).map(|c| c.0).map_err(|e| {
                            EngineError::Other(match e.source() {
                                Some(why) => why.to_string(),
                                None => e.to_string(),
                            })
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// Whether the database answers, without the metrics of [`Engine::query`]: for `/readyz`.
    /// The error names the database without its password.
    pub fn check(&self, location: &str) -> EngineResult<()> {
        let (redacted, mut client) = self.connection(location)?;
        client
            .simple_query("SELECT 1")
            .map(|_| ())
            .map_err(|e| self.describe(&redacted, e))
    }
}

impl Engine for PostgresEngine {
    /// Runs the query, timed in [`ENGINE_QUERY_DURATION`] (failures counted in
    /// [`ENGINE_ERRORS`]) under the database's name.
    fn query(&self, location: &str, sql: &str, params: &[Param]) -> EngineResult<Vec<Vec<Cell>>> {
        let started = Instant::now();
        let result = self.run(location, sql, params);
        super::engine::record(&label(location), started, &result);
        result
    }

    /// `table` is `schema.table`, or a bare name: then the only schema that has such a table,
    /// else the first of those on the session's search path. (Not `array_position`: Greenplum 6
    /// and Redshift lack it.)
    fn table_columns(
        &self,
        location: &str,
        table: &str,
    ) -> EngineResult<Option<Vec<(String, String)>>> {
        let (schema, name) = match table.split_once('.') {
            Some((schema, name)) => (Some(schema), name),
            None => (None, table),
        };
        let (redacted, mut client) = self.connection(location)?;
        let rows = client
            .query(
                "SELECT c.table_schema::text, c.column_name::text, c.data_type::text \
                 FROM information_schema.columns c \
                 WHERE c.table_name::text = CAST($1 AS TEXT) \
                   AND (CAST($2 AS TEXT) IS NULL OR c.table_schema::text = CAST($2 AS TEXT)) \
                   AND c.table_schema::text NOT IN ('pg_catalog', 'information_schema') \
                 ORDER BY 1, c.ordinal_position",
                &[&name, &schema],
            )
            .map_err(|e| self.describe(&redacted, e))?;
        let mut schemas: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
        schemas.dedup();
        let chosen = match (schema, schemas.as_slice()) {
            (_, []) => return Ok(None),
            (Some(schema), _) => schema.to_string(),
            (None, [only]) => only.clone(),
            (None, several) => {
                // The first on the session's search path.
                let path: Vec<String> = client
                    .query_one("SELECT current_schemas(false)", &[])
                    .and_then(|row| row.try_get(0))
                    .map_err(|e| self.describe(&redacted, e))?;
                path.into_iter()
                    .find(|p| several.contains(p))
                    .ok_or_else(|| {
                        EngineError::Other(format!(
                            "table {name} is in the schemas {}, none of them on the search \
                             path: name the schema",
                            several.join(", ")
                        ))
                    })?
            }
        };
        Ok(Some(
            rows.iter()
                .filter(|r| r.get::<_, String>(0) == chosen)
                .map(|r| (r.get(1), r.get(2)))
                .collect(),
        ))
    }
}

/// A bound value, converted to the type the server gave its placeholder. The
/// [`tspot_search::Postgres`] dialect casts every placeholder to its value's type, so this is
/// exact for searches; other statements get the obvious conversions.
#[derive(Debug)]
struct PgParam<'a>(&'a Param);

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for PgParam<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let text_like = matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
        );
        match self.0 {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::FLOAT4 => (*n as f32).to_sql(ty, out),
                _ if text_like => n.to_string().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer as {ty}").into()),
            },
            Param::Double(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                _ if text_like => x.to_string().to_sql(ty, out),
                _ => Err(format!("cannot bind a number as {ty}").into()),
            },
            Param::Text(s) if text_like => s.to_sql(ty, out),
            Param::Text(_) => Err(format!("cannot bind text as {ty}").into()),
            Param::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                _ => Err(format!("cannot bind a boolean as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }
}

/// Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
const PG_EPOCH_DAYS: i64 = 10_957;

/// A result cell, read as the SQLite engine reads its cells: integers (booleans as 0/1) as
/// `Int`, floating-point as `Double`, `numeric` as `Int` when it has no fraction digits and
/// fits, else `Double`, text as `Text`; dates and timestamps (searches turn them into epoch
/// seconds, so only other statements return them) as ISO text.
struct PgCell(Cell);

impl<'a> FromSql<'a> for PgCell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(PgCell(match *ty {
            Type::INT2 => Cell::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Cell::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Cell::Int(i64::from_sql(ty, raw)?),
            Type::OID => Cell::Int(u32::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => Cell::Double(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Cell::Double(f64::from_sql(ty, raw)?),
            Type::BOOL => Cell::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::NUMERIC => {
                let (text, integral) = tspot_search::dialect::numeric_text(raw)?;
                match text.parse::<i64>() {
                    Ok(n) if integral => Cell::Int(n),
                    _ => Cell::Double(text.parse::<f64>().unwrap_or(f64::NAN)),
                }
            }
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                Cell::Text(String::from_sql(ty, raw)?)
            }
            Type::DATE => {
                let days = i64::from(i32::from_sql(ty, raw)?);
                Cell::Text(
                    chrono::DateTime::from_timestamp((days + PG_EPOCH_DAYS) * 86_400, 0)
                        .map_or_else(
                            || if days < 0 { "-infinity" } else { "infinity" }.to_owned(),
                            |d| d.date_naive().format("%Y-%m-%d").to_string(),
                        ),
                )
            }
            Type::TIMESTAMP | Type::TIMESTAMPTZ => {
                let micros = i64::from_sql(ty, raw)?;
                let secs = micros.div_euclid(1_000_000) + PG_EPOCH_DAYS * 86_400;
                let nanos = (micros.rem_euclid(1_000_000) * 1_000) as u32;
                Cell::Text(chrono::DateTime::from_timestamp(secs, nanos).map_or_else(
                    || if micros < 0 { "-infinity" } else { "infinity" }.to_owned(),
                    |d| d.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string(),
                ))
            }
            _ if ty.name() == "citext" => Cell::Text(String::from_utf8(raw.to_vec())?),
            _ => {
                return Err(format!(
                    "a result column has the PostgreSQL type {ty}, which tspot does not read: \
                     give the table a view that casts it"
                )
                .into());
            }
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(PgCell(Cell::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_configs_take_the_urls_password_first_and_tspots_timeouts() {
        let elsewhere = |_: &str| Ok(Some(b"from-elsewhere".to_vec()));
        let (location, config) = client_config(
            "postgres://u:in%40url@db.example/sales",
            elsewhere,
            Liveness::STORE,
        )
        .unwrap();
        assert_eq!(location, "postgres://u@db.example/sales");
        assert_eq!(config.get_password(), Some(&b"in@url"[..]));
        assert_eq!(config.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        assert_eq!(config.get_keepalives_idle(), Liveness::STORE.idle);
        assert_eq!(
            config.get_tcp_user_timeout(),
            Liveness::STORE.unacknowledged.as_ref()
        );
        assert_eq!(config.get_application_name(), Some("tspot"));

        let (_, config) = client_config(
            "postgres://u@db.example/sales?connect_timeout=2",
            elsewhere,
            Liveness::QUERIES,
        )
        .unwrap();
        assert_eq!(config.get_password(), Some(&b"from-elsewhere"[..]));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(2)));
        assert_eq!(config.get_tcp_user_timeout(), None);

        let tls = client_config(
            "postgres://u:secret@db.example/sales?sslmode=require",
            elsewhere,
            Liveness::QUERIES,
        )
        .unwrap_err();
        assert!(tls.contains("TLS") && !tls.contains("secret"), "{tls}");
        let broken = |_: &str| Err("cannot read the password file".to_string());
        assert!(client_config("postgres://u@db.example/sales", broken, Liveness::QUERIES).is_err());
    }

    #[test]
    fn urls_lose_their_password_and_keep_the_rest() {
        assert_eq!(
            split_url("postgres://tspot:s%40cret@db.example:5432/sales?connect_timeout=3"),
            Ok((
                "postgres://tspot@db.example:5432/sales?connect_timeout=3".into(),
                Some("s%40cret".into())
            ))
        );
        assert_eq!(
            split_url("postgresql://u@h/db?password=x&application_name=a"),
            Ok((
                "postgresql://u@h/db?application_name=a".into(),
                Some("x".into())
            ))
        );
        assert_eq!(
            split_url("postgres://h:6432/db"),
            Ok(("postgres://h:6432/db".into(), None))
        );
        assert!(split_url("/srv/sales.sqlite3").is_err());
        assert_eq!(
            checked_location("postgres://u:pw@h:5432/db"),
            Ok("postgres://u@h:5432/db".into())
        );
        let error = checked_location("postgres://u:pw@h:notaport/db").unwrap_err();
        assert!(
            error.contains("postgres://u@h:notaport/db") && !error.contains("pw"),
            "{error}"
        );
        assert_eq!(percent_decode("s%40cret%2f%zz"), b"s@cret/%zz");
        assert!(is_postgres("postgresql://u@h/db") && !is_postgres("sqlite:/x"));
    }

    #[test]
    fn an_unreachable_database_fails_fast_and_names_no_password() {
        let engine = PostgresEngine::new(Duration::from_secs(30));
        // Port 1 on the loopback: nothing listens, the connection is refused at once.
        let location = engine
            .remember("postgres://tspot:hunter2@127.0.0.1:1/nowhere")
            .unwrap();
        assert_eq!(location, "postgres://tspot@127.0.0.1:1/nowhere");
        let started = Instant::now();
        let error = engine.query(&location, "SELECT 1", &[]).unwrap_err();
        assert!(matches!(error, EngineError::Unavailable(_)), "{error:?}");
        let error = error.to_string();
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(
            error.starts_with(
                "cannot connect to PostgreSQL at postgres://tspot@127.0.0.1:1/nowhere"
            ),
            "{error}"
        );
        assert!(!error.contains("hunter2"), "{error}");
        let error = engine.check(&location).unwrap_err().to_string();
        assert!(!error.contains("hunter2"), "{error}");
        let error = engine
            .query("postgres://u@h/db?sslmode=require", "SELECT 1", &[])
            .unwrap_err()
            .to_string();
        assert!(error.contains("TLS"), "{error}");
    }
}
