//! The reference server's limits and sign-in policy as `tspot serve` flags; each has a default
//! that fits a small team's server and an environment variable.

use std::time::Duration;

use tspot_reference::{Config, ThrottlePolicy};

use super::parse_timeout;

#[derive(clap::Args)]
pub struct ReferenceLimits {
    /// Failed sign-ins of one user from one client address that cost nothing; each further one
    /// makes that pair wait twice as long as the last (1 s, 2 s, 4 s, ...), the right password
    /// included. The same user from another address is never affected, so nobody can lock an
    /// account out. The count resets on success and 15 minutes after the last failure.
    #[arg(
        long,
        env = "TSPOT_SIGN_IN_FREE_FAILURES",
        default_value_t = 5,
        value_name = "N"
    )]
    sign_in_free_failures: u32,

    /// The longest wait that repeated sign-in failures impose on one user from one address.
    #[arg(long, env = "TSPOT_SIGN_IN_MAX_DELAY", default_value = "5m", value_parser = parse_timeout, value_name = "DURATION")]
    sign_in_max_delay: Duration,

    /// Take the client address that sign-in throttling counts against from `X-Forwarded-For`
    /// (only behind a reverse proxy that sets it; otherwise anyone can claim any address).
    #[arg(long, env = "TSPOT_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,

    /// Password hashes (argon2id, ~19 MiB and tens of milliseconds each) computed at once;
    /// default: the cores but one.
    #[arg(long, env = "TSPOT_HASHING_THREADS", value_name = "N")]
    hashing_threads: Option<usize>,

    /// Sign-ins and password changes that may wait for a hashing thread; beyond it they are
    /// answered 503 with `Retry-After`.
    #[arg(
        long,
        env = "TSPOT_HASHING_QUEUE",
        default_value_t = 256,
        value_name = "N"
    )]
    hashing_queue: usize,

    /// A host (besides this server) that `session/login/token` may redirect to. Repeatable.
    #[arg(
        long = "redirect-host",
        env = "TSPOT_REDIRECT_HOSTS",
        value_delimiter = ',',
        value_name = "HOST"
    )]
    redirect_hosts: Vec<String>,

    /// The longest one search query may run; longer ones are stopped with a 400.
    #[arg(long, env = "TSPOT_QUERY_BUDGET", default_value = "30s", value_parser = parse_timeout, value_name = "DURATION")]
    query_budget: Duration,

    /// Bytes of each SQLite data file read through a memory map, shared by all its
    /// connections (faster scans, most of all several at once); 0 turns it off. Turn it off
    /// for files something may VACUUM or truncate while tspot serves them: a mapped file that
    /// shrinks under a reader can crash the process.
    #[arg(
        long,
        env = "TSPOT_SQLITE_MMAP",
        default_value_t = tspot_reference::data::engine::DEFAULT_MMAP_BYTES,
        value_name = "BYTES"
    )]
    sqlite_mmap: i64,

    /// Visualizations a Liveboard may hold (TML import, pinboarddata and the PDF refuse more).
    #[arg(
        long,
        env = "TSPOT_MAX_LIVEBOARD_VISUALIZATIONS",
        default_value_t = 200,
        value_name = "N"
    )]
    max_liveboard_visualizations: usize,

    /// TML documents one metadata/tml/import may carry.
    #[arg(
        long,
        env = "TSPOT_MAX_IMPORT_OBJECTS",
        default_value_t = 1000,
        value_name = "N"
    )]
    max_import_objects: usize,

    /// The largest request body of TML import and user/sync, in bytes (sign-in calls take at
    /// most 64 KiB, every other operation 1 MiB).
    #[arg(long, env = "TSPOT_MAX_DOCUMENT_BODY", default_value_t = 32 * 1024 * 1024, value_name = "BYTES")]
    max_document_body: usize,

    /// Signed-in sessions kept in memory (the least recently used go first; they are read
    /// back from the store when needed).
    #[arg(
        long,
        env = "TSPOT_SESSION_CACHE",
        default_value_t = 10_000,
        value_name = "N"
    )]
    session_cache: usize,
}

impl ReferenceLimits {
    /// `config` with these limits.
    pub fn apply(&self, mut config: Config) -> Config {
        config.throttle = ThrottlePolicy {
            free_failures: self.sign_in_free_failures,
            max_delay_ms: self.sign_in_max_delay.as_millis() as i64,
            ..ThrottlePolicy::default()
        };
        config.trust_forwarded_for = self.trust_forwarded_for;
        if let Some(threads) = self.hashing_threads {
            config.hashing_concurrency = threads.max(1);
        }
        config.hashing_queue = self.hashing_queue;
        config.redirect_hosts = self.redirect_hosts.clone();
        config.query_budget = self.query_budget;
        config.sqlite_mmap_bytes = self.sqlite_mmap.max(0);
        config.max_liveboard_visualizations = self.max_liveboard_visualizations;
        config.max_import_objects = self.max_import_objects;
        config.body_limits.documents = self.max_document_body;
        config.session_cache_capacity = self.session_cache;
        config
    }
}
