//! How a reference server is set up.

use std::path::PathBuf;
use std::time::Duration;

use crate::store::ThrottlePolicy;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where the store lives (unless `postgres_store` says), and the demo's data file.
    pub data_dir: PathBuf,
    /// Keep the store in this PostgreSQL database instead of the data directory: replicas
    /// given the same one act as one server.
    pub postgres_store: Option<PostgresStore>,
    /// `tsadmin`'s password on first start; [`crate::DEFAULT_ADMIN_PASSWORD`] when `None`.
    pub admin_password: Option<String>,
    /// The trusted-authentication secret key; trusted authentication is disabled without one.
    pub trusted_auth_secret: Option<String>,
    /// A session ends after this long without a request.
    pub session_timeout: Duration,
    /// The lifetime of a `rememberme` session (and of its persistent cookie).
    pub remember_me_timeout: Duration,
    /// How failed sign-ins (passwords, `currentpassword`, the trusted-authentication secret)
    /// slow further attempts from the same client address.
    pub throttle: ThrottlePolicy,
    /// Take the client address from `X-Forwarded-For` (set only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Password hashes computed at once, and how many more may wait before 503.
    pub hashing_concurrency: usize,
    pub hashing_queue: usize,
    /// Hosts besides this server's own that session/login/token may redirect to.
    pub redirect_hosts: Vec<String>,
    /// How long an older trusted-authentication token keeps working after a newer one is issued.
    pub token_grace: Duration,
    /// Rows of the demo sales fact created on first start; 0 creates no demo.
    pub demo_rows: u64,
    /// Extra databases, by connection name, that tables' TML can point at: an SQLite file's
    /// path, or a PostgreSQL URL (`postgres://user[:password]@host:port/database`, also
    /// `postgresql://`) held as a path. The store keeps a URL without its password; the
    /// engines keep the password in memory (`data::engines::Engines::new`), else it comes from
    /// `TSPOT_PG_PASSWORD` or the file `TSPOT_PG_PASSWORD_FILE` names.
    pub connections: Vec<(String, PathBuf)>,
    /// Signed-in callers kept in memory (least recently used go first).
    pub session_cache_capacity: usize,
    /// Request bodies: sign-in and token calls, TML import, and everything else.
    pub body_limits: BodyLimits,
    /// The longest one query may run on a connection before it is stopped with a 400.
    pub query_budget: Duration,
    /// Bytes of each SQLite data file read through a memory map (0: off). A file that another
    /// process truncates while mapped can crash the server (SQLite's documented trade-off),
    /// so turn it off for files something may VACUUM while tspot serves them.
    pub sqlite_mmap_bytes: i64,
    /// Visualizations a Liveboard may hold (pinboarddata, the PDF and TML import refuse more).
    pub max_liveboard_visualizations: usize,
    /// TML documents one import may carry.
    pub max_import_objects: usize,
}

/// Where the PostgreSQL store is: its URL (`postgres://user@host:port/db`) and the password
/// when the URL has none. Debug output never shows the password.
#[derive(Clone)]
pub struct PostgresStore {
    pub url: String,
    pub password: Option<String>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let location = crate::data::postgres::split_url(&self.url)
            .map(|(location, _)| location)
            .unwrap_or_default();
        f.debug_struct("PostgresStore")
            .field("url", &location)
            .finish_non_exhaustive()
    }
}

/// The largest request body each kind of operation reads, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    /// session/login, session/auth/token, session/login/token, user/updatepassword.
    pub sign_in: usize,
    /// metadata/tml/import and user/sync, which carry documents.
    pub documents: usize,
    /// Every other operation.
    pub other: usize,
}

impl Default for BodyLimits {
    fn default() -> Self {
        BodyLimits {
            sign_in: 64 * 1024,
            documents: 32 * 1024 * 1024,
            other: 1024 * 1024,
        }
    }
}

impl BodyLimits {
    pub fn for_operation(&self, operation_id: &str) -> usize {
        match operation_id {
            "sessionLogin" | "sessionAuthToken" | "sessionLoginToken" | "userUpdatePassword" => {
                self.sign_in
            }
            "metadataTmlImport" | "userSync" => self.documents,
            _ => self.other,
        }
    }
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            postgres_store: None,
            admin_password: None,
            trusted_auth_secret: None,
            session_timeout: Duration::from_secs(30 * 60),
            remember_me_timeout: Duration::from_secs(14 * 24 * 60 * 60),
            throttle: ThrottlePolicy::default(),
            trust_forwarded_for: false,
            hashing_concurrency: crate::hashing::default_concurrency(),
            hashing_queue: 256,
            redirect_hosts: Vec::new(),
            token_grace: Duration::from_secs(5 * 60),
            demo_rows: 0,
            connections: Vec::new(),
            session_cache_capacity: 10_000,
            body_limits: BodyLimits::default(),
            query_budget: Duration::from_secs(30),
            sqlite_mmap_bytes: crate::data::engine::DEFAULT_MMAP_BYTES,
            max_liveboard_visualizations: 200,
            max_import_objects: 1_000,
        }
    }
}
