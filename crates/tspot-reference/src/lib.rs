//! The tspot reference server: the ThoughtSpot REST API v1 trait of `tspot-server`, implemented on
//! an embedded store. Users, groups, privileges, sessions and trusted authentication behave as
//! they do in ThoughtSpot, so existing clients work against it unmodified.

mod analytics;
mod api;
mod auth;
mod catalog;
mod config;
pub mod data;
mod datadir;
mod hashing;
pub mod health;
pub mod metrics;
mod refusals;
mod secrets;
mod sessions;
pub mod store;
mod sync;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

use std::sync::Arc;

use catalog::{Catalog, CatalogCache};
pub use config::{BodyLimits, Config, PostgresStore as PostgresStoreConfig};
use data::engine::Engine;
pub use datadir::STORE_FILE;
pub use store::ThrottlePolicy;
use store::{PostgresStore, SqliteStore, Store, StoreError};
use tspot_server::ApiError;

/// The admin account created on first start.
pub const ADMIN_USER: &str = "tsadmin";
/// The group whose members hold ADMINISTRATION.
pub const ADMIN_GROUP: &str = "Administrator";
/// The group every principal belongs to.
pub const ALL_GROUP: &str = "All";
/// The admin password when none is given on first start.
pub const DEFAULT_ADMIN_PASSWORD: &str = "admin";

/// The reference server: implements every API trait of `tspot_server` (see `api/`).
pub struct Reference {
    store: Arc<dyn Store>,
    engine: Arc<data::cache::CachingEngine>,
    /// The engines behind the cache, for readiness checks of every connection's database.
    engines: data::engines::Engines,
    catalogs: Arc<CatalogCache>,
    sessions: sessions::SessionCache,
    hashing: hashing::HashingPool,
    /// Every principal, as of an auth version: user/list answers from it without the store.
    principals: std::sync::Mutex<Option<(u64, Arc<Vec<store::PrincipalRecord>>)>>,
    config: Config,
}

/// What one trip to the blocking pool works with.
pub(crate) struct Work<'a> {
    pub store: &'a dyn Store,
    pub engine: &'a dyn Engine,
    catalogs: &'a CatalogCache,
}

impl Work<'_> {
    /// Every object and connection, parsed, as of now.
    pub fn catalog(&self) -> Result<Arc<Catalog>, StoreError> {
        self.catalogs.current(self.store)
    }
}

/// What opening the data directory found.
pub struct Opened {
    pub reference: Reference,
    /// The store was new: `tsadmin`, `Administrator` and `All` were just created.
    pub first_start: bool,
    /// First start without an admin password: `tsadmin` has the well-known default.
    pub default_admin_password: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secret(#[from] secrets::SecretError),
    #[error("installing the demo: {0}")]
    Demo(#[from] data::install::InstallError),
    /// A database named by `--connection` does not answer at start.
    #[error("connection '{name}': {source}")]
    Connection {
        name: String,
        #[source]
        source: data::error::EngineError,
    },
    #[error("{0}")]
    Other(String),
}

impl Reference {
    /// Opens the store in `config.data_dir` (creating and migrating it when needed) and creates
    /// the system principals on first start.
    pub async fn open(config: Config) -> Result<Opened, OpenError> {
        datadir::prepare(&config.data_dir)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|source| OpenError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
        let path = config.data_dir.join("tspot.sqlite3");
        let setup = config.clone();
        let (store, first_start) = tokio::task::spawn_blocking(move || {
            let store: Arc<dyn Store> = match &setup.postgres_store {
                Some(pg) => Arc::new(PostgresStore::connect(&pg.url, pg.password.as_deref())?),
                None => Arc::new(SqliteStore::open(&path)?),
            };
            // Replicas starting together on one new PostgreSQL store set it up once.
            let mut outcome = Ok(false);
            store.exclusive("setup", &mut || outcome = set_up(store.as_ref(), &setup))?;
            let first_start = outcome?;
            Ok::<_, OpenError>((store, first_start))
        })
        .await
        .map_err(|e| OpenError::Other(e.to_string()))??;
        let default_admin_password = first_start && config.admin_password.is_none();
        let engines = data::engines::Engines::new(
            config.query_budget,
            config.sqlite_mmap_bytes,
            &config.connections,
        );
        // A PostgreSQL connection named at start must answer now: a wrong URL, password or
        // host is one clear line at start, not a 503 on the first search.
        let checking = engines.clone();
        let named = config.connections.clone();
        tokio::task::spawn_blocking(move || {
            for (name, location) in &named {
                if let Some(url) = location.to_str().filter(|l| data::postgres::is_postgres(l)) {
                    let location =
                        data::postgres::checked_location(url).map_err(OpenError::Other)?;
                    checking
                        .check(&location)
                        .map_err(|source| OpenError::Connection {
                            name: name.clone(),
                            source,
                        })?;
                }
            }
            Ok::<_, OpenError>(())
        })
        .await
        .map_err(|e| OpenError::Other(e.to_string()))??;
        Ok(Opened {
            reference: Reference {
                store,
                engine: Arc::new(data::cache::CachingEngine::new(Box::new(engines.clone()))),
                engines,
                catalogs: Arc::new(CatalogCache::default()),
                sessions: sessions::SessionCache::new(config.session_cache_capacity),
                principals: std::sync::Mutex::new(None),
                hashing: hashing::HashingPool::new(
                    config.hashing_concurrency,
                    config.hashing_queue,
                ),
                config,
            },
            first_start,
            default_admin_password,
        })
    }

    /// Flushes the write-ahead log into the database file; call after the server stopped.
    pub async fn close(&self) -> Result<(), StoreError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.close()).await?
    }

    /// Runs a request's store and engine work in one trip to the blocking pool.
    async fn blocking<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Work<'_>) -> Result<T, ApiError> + Send + 'static,
    {
        let store = self.store.clone();
        let engine = self.engine.clone();
        let catalogs = self.catalogs.clone();
        tokio::task::spawn_blocking(tspot_server::observe::carry(move || {
            work(&Work {
                store: store.as_ref(),
                engine: engine.as_ref(),
                catalogs: &catalogs,
            })
        }))
        .await
        .map_err(ApiError::internal)?
    }

    /// Like [`Reference::blocking`] for work that only reads: every store read sees one
    /// snapshot (one read transaction).
    async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Work<'_>) -> Result<T, ApiError> + Send + 'static,
    {
        self.blocking(move |w| {
            let mut work = Some(work);
            let mut result = None;
            w.store.read_snapshot(&mut || {
                if let Some(work) = work.take() {
                    result = Some(work(w));
                }
            })?;
            result.unwrap_or_else(|| Err(ApiError::internal("the read did not run")))
        })
        .await
    }

    /// Every user and group; reloaded only when the store's auth version moved (any change to
    /// principals, memberships or privileges moves it).
    async fn principals(&self) -> Result<Arc<Vec<store::PrincipalRecord>>, ApiError> {
        let version = self.auth_version().await?;
        let cached = self
            .principals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some((at, principals)) = cached
            && at == version
        {
            return Ok(principals);
        }
        let principals = Arc::new(self.db(|store| store.principals()).await?);
        *self.principals.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((version, principals.clone()));
        Ok(principals)
    }

    /// The store's auth version: a counter of this process for SQLite, a query (on the blocking
    /// pool) for a store that replicas share, so a change through any replica is seen here.
    async fn auth_version(&self) -> Result<u64, ApiError> {
        if self.store.is_shared() {
            self.db(|store| store.auth_version()).await
        } else {
            Ok(self.store.auth_version()?)
        }
    }

    /// Runs a store call on the blocking pool; store failures become a 500 with details logged
    /// (a 503 when the database is out of reach).
    async fn db<T, F>(&self, call: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(tspot_server::observe::carry(move || call(store.as_ref())))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::from)
    }
}

/// Creates the system principals on a new store, registers the connections and installs the
/// demo when the store has no objects; returns whether the store was new.
fn set_up(store: &dyn Store, setup: &Config) -> Result<bool, OpenError> {
    let mut first_start = false;
    if store.principals()?.is_empty() {
        let password = setup
            .admin_password
            .as_deref()
            .unwrap_or(DEFAULT_ADMIN_PASSWORD);
        let hash = secrets::hash_password(password)?;
        first_start = store.bootstrap(&hash, clock::now_ms())?;
    }
    // Decided before the connections are registered: a demo connection given on the command
    // line (the demo loaded into PostgreSQL) gets the demo's objects on a new store.
    let install_demo = setup.demo_rows > 0 && data::install::needed(store)?;
    for (name, location) in &setup.connections {
        data::install::register_connection(store, name, location)?;
    }
    if install_demo {
        let demo_given = setup
            .connections
            .iter()
            .any(|(name, _)| name == data::install::DEMO_CONNECTION);
        tracing::info!(rows = setup.demo_rows, demo_given, "creating the demo");
        data::install::install(
            store,
            &data::engines::Engines::new(
                setup.query_budget,
                setup.sqlite_mmap_bytes,
                &setup.connections,
            ),
            (!demo_given).then_some(setup.data_dir.as_path()),
            setup.demo_rows,
        )?;
    }
    Ok(first_start)
}

impl From<StoreError> for ApiError {
    /// An outage of the store's database is a 503 the client may retry (ThoughtSpot's answer
    /// while a cluster service is down); any other store failure is a 500 whose detail only
    /// the log gets.
    fn from(error: StoreError) -> Self {
        ::metrics::counter!(metrics::STORE_ERRORS).increment(1);
        if error.is_unavailable() {
            tracing::warn!(%error, "the store is unavailable");
            return ApiError::new(
                http::StatusCode::SERVICE_UNAVAILABLE,
                10000,
                "The metadata store is unavailable; retry in a few seconds",
            )
            .with_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static("5"),
            );
        }
        ApiError::internal(error)
    }
}

/// Creates the data directory when missing and makes it and its files private (as
/// [`Reference::open`] does first), for commands that work on it without a server.
pub fn prepare_data_dir(data_dir: &std::path::Path) -> Result<(), OpenError> {
    datadir::prepare(data_dir)
}

mod clock {
    /// Milliseconds since the epoch, the unit of every ThoughtSpot timestamp.
    pub fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}
