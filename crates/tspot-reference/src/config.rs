//! How a reference server is set up.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where the store lives.
    pub data_dir: PathBuf,
    /// `tsadmin`'s password on first start; [`crate::DEFAULT_ADMIN_PASSWORD`] when `None`.
    pub admin_password: Option<String>,
    /// The trusted-authentication secret key; trusted authentication is disabled without one.
    pub trusted_auth_secret: Option<String>,
    /// A session ends after this long without a request.
    pub session_timeout: Duration,
    /// The lifetime of a `rememberme` session (and of its persistent cookie).
    pub remember_me_timeout: Duration,
    /// Consecutive failed logins that lock an account...
    pub lockout_threshold: u32,
    /// ...and for how long.
    pub lockout_duration: Duration,
    /// How long an older trusted-authentication token keeps working after a newer one is issued.
    pub token_grace: Duration,
    /// Rows of the demo sales fact created on first start; 0 creates no demo.
    pub demo_rows: u64,
    /// Extra SQLite databases, by connection name, that tables' TML can point at.
    pub connections: Vec<(String, PathBuf)>,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            admin_password: None,
            trusted_auth_secret: None,
            session_timeout: Duration::from_secs(30 * 60),
            remember_me_timeout: Duration::from_secs(14 * 24 * 60 * 60),
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(5 * 60),
            token_grace: Duration::from_secs(5 * 60),
            demo_rows: 0,
            connections: Vec::new(),
        }
    }
}
