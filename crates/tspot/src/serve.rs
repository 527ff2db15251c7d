//! `tspot serve`: the reference server on a TCP port, until Ctrl-C or SIGTERM.
//!
//! Connections are accepted by the server's own loop on hyper's HTTP/1.1 connection (axum::serve
//! has no limits): at most `--max-connections` at once, each closed when its request head takes
//! longer than `--header-read-timeout` from its first byte or when it stays `--idle-timeout`
//! without a request. Secrets can come from private files; the files the server creates are
//! private to its user. One server per data directory ([`lock`]); options can come from a TOML
//! file ([`config`]); `/healthz`, `/readyz` and, with `--metrics-listen`, `/metrics` ([`ops`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
pub mod config;
mod connections;
mod limits;
pub mod lock;
mod ops;

use connections::{Limits, serve_connections};
use limits::ReferenceLimits;
use lock::DataDirLock;
use tspot_reference::{
    ADMIN_USER, Config, DEFAULT_ADMIN_PASSWORD, OpenError, PostgresStoreConfig, Reference,
};

use crate::logging::LogFormat;

/// How long requests in flight may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// Open files the server needs besides its connections: the store, the demo and connection
/// databases, the runtime, standard streams, with room to spare.
const FILES_BESIDES_CONNECTIONS: u64 = 256;
/// Connections the metrics listener serves at once (scrapers and probes, not clients).
const METRICS_CONNECTIONS: u32 = 64;

// The help text of `tspot serve` is on `Command::Serve` in main.rs.
// No Debug: the arguments hold the admin password and the trusted-authentication secret.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Read options from this TOML file: the keys are the long options below, e.g. `listen =
    /// "0.0.0.0:8088"`, `data_dir = "/var/lib/tspot"`, `connection = ["sales=sqlite:/srv/s.db"]`.
    /// A flag beats its environment variable, which beats the file, which beats the default. A
    /// file that holds `admin_password` or `trusted_auth_secret` must be private (`chmod 600`).
    #[arg(long, env = "TSPOT_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Address and port to listen on (`0.0.0.0:8088` to accept connections from other machines).
    #[arg(
        long,
        env = "TSPOT_LISTEN",
        default_value = "127.0.0.1:8088",
        value_name = "ADDR:PORT"
    )]
    listen: String,

    /// Directory of the store (with `--store`, of the demo's data file only); created when
    /// missing.
    #[arg(
        long,
        env = "TSPOT_DATA_DIR",
        default_value = "./tspot-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,

    /// Keep the store (users, groups, privileges, sessions, tokens, objects, connections) in
    /// this PostgreSQL database instead of the data directory; its tables are created and
    /// migrated on start. Several `tspot serve` given the same store act as one server behind a
    /// load balancer. The password comes from TSPOT_STORE_PASSWORD or `--store-password-file`
    /// (one in the URL works but shows in `ps`).
    #[arg(
        long,
        env = "TSPOT_STORE",
        hide_env_values = true,
        value_parser = parse_store,
        value_name = "postgres://USER@HOST:PORT/DB"
    )]
    store: Option<String>,

    /// The password of `--store`'s database user.
    #[arg(
        long,
        env = "TSPOT_STORE_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    store_password: Option<String>,

    /// Read the password of `--store`'s database user from FILE (one trailing newline is
    /// dropped). The file must not be readable by the group or others (`chmod 600 FILE`).
    #[arg(
        long,
        env = "TSPOT_STORE_PASSWORD_FILE",
        value_name = "FILE",
        conflicts_with = "store_password"
    )]
    store_password_file: Option<PathBuf>,

    /// The password `tsadmin` gets when the data directory is new; ignored afterwards. Without it
    /// a new store gets the default password `admin`. Prefer `--admin-password-file` or the
    /// environment variable: other users of the machine can read command lines (a warning says
    /// so).
    #[arg(
        long,
        env = "TSPOT_ADMIN_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    admin_password: Option<String>,

    /// Read `--admin-password` from FILE (one trailing newline is dropped). The file must not be
    /// readable by the group or others (`chmod 600 FILE`), else the server refuses to start.
    #[arg(
        long,
        env = "TSPOT_ADMIN_PASSWORD_FILE",
        value_name = "FILE",
        conflicts_with = "admin_password"
    )]
    admin_password_file: Option<PathBuf>,

    /// The secret key that `session/auth/token` requires (trusted authentication). Unset: trusted
    /// authentication is disabled and `session/auth/token` answers 500, as ThoughtSpot does.
    /// Prefer `--trusted-auth-secret-file` or the environment variable: other users of the machine
    /// can read command lines (a warning says so).
    #[arg(
        long,
        env = "TSPOT_TRUSTED_AUTH_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    trusted_auth_secret: Option<String>,

    /// Read `--trusted-auth-secret` from FILE (one trailing newline is dropped). The file must not
    /// be readable by the group or others (`chmod 600 FILE`), else the server refuses to start.
    #[arg(
        long,
        env = "TSPOT_TRUSTED_AUTH_SECRET_FILE",
        value_name = "FILE",
        conflicts_with = "trusted_auth_secret"
    )]
    trusted_auth_secret_file: Option<PathBuf>,

    /// A session ends after this long without a request, e.g. `30m`, `2h`, `90s`. (Sessions
    /// opened with `rememberme=true` last 14 days.)
    #[arg(
        long,
        env = "TSPOT_SESSION_TIMEOUT",
        default_value = "30m",
        value_parser = parse_timeout,
        value_name = "DURATION"
    )]
    session_timeout: Duration,

    /// Rows of the demo's sales fact, created with the demo (the "Retail Sales" worksheet, three
    /// answers and the "Sales Overview" Liveboard) when the data directory is new; 0 for no demo.
    #[arg(
        long,
        env = "TSPOT_DEMO_ROWS",
        default_value_t = 100_000,
        value_name = "ROWS"
    )]
    demo_rows: u64,

    /// A database that tables' TML can point at: `NAME=sqlite:PATH`, or
    /// `NAME=postgres://USER@HOST:PORT/DATABASE` (searches run there). A table TML with
    /// `connection: {name: NAME}` and `db_table: T` (and `schema: S` on PostgreSQL) reads that
    /// table. A PostgreSQL password comes from TSPOT_PG_PASSWORD or the file named by
    /// TSPOT_PG_PASSWORD_FILE (a password in the URL works but shows in `ps`). Repeatable.
    #[arg(long = "connection", env = "TSPOT_CONNECTIONS", value_delimiter = ',', value_parser = parse_connection, value_name = "NAME=sqlite:PATH|NAME=postgres://URL")]
    connections: Vec<(String, PathBuf)>,

    /// A client must send a whole request head (request line and headers) within this long of
    /// its first byte, or its connection is closed (a warning names the peer): slow clients cannot
    /// hold connections open by trickling headers.
    #[arg(
        long,
        env = "TSPOT_HEADER_READ_TIMEOUT",
        default_value = "10s",
        value_parser = parse_timeout,
        value_name = "DURATION"
    )]
    header_read_timeout: Duration,

    /// A connection with no request in flight (a fresh one, or a kept-alive one between requests)
    /// is closed after this long without a new request.
    #[arg(
        long,
        env = "TSPOT_IDLE_TIMEOUT",
        default_value = "60s",
        value_parser = parse_timeout,
        value_name = "DURATION"
    )]
    idle_timeout: Duration,

    /// Connections served at once. Beyond it, new connections wait in the operating system's
    /// accept queue until one closes (a warning says when the limit is reached), rather than using
    /// up the process's open files.
    #[arg(
        long,
        env = "TSPOT_MAX_CONNECTIONS",
        default_value_t = 1024,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000),
        value_name = "N"
    )]
    max_connections: u32,

    /// Threads at most for the store's and the query engine's blocking work; more work waits for
    /// a free thread.
    #[arg(
        long,
        env = "TSPOT_MAX_BLOCKING_THREADS",
        default_value_t = 64,
        value_parser = clap::value_parser!(u32).range(1..=10_000),
        value_name = "N"
    )]
    max_blocking_threads: u32,

    /// Serve `/metrics` (Prometheus text format; also `/healthz` and `/readyz`) on this address,
    /// for scrapers: e.g. `127.0.0.1:9090`. Unset: no metrics are kept or served. The same
    /// address as `--listen` serves `/metrics` on the API's listener instead, where anyone who
    /// can reach the API can read it without signing in.
    #[arg(long, env = "TSPOT_METRICS_LISTEN", value_name = "ADDR:PORT")]
    metrics_listen: Option<String>,

    /// Log lines as text for people, or as one JSON object per line for log pipelines. Inside a
    /// request, every line carries the request's trace id and incident id (those of the
    /// `x-callosum-trace-id` header and of an error's body).
    #[arg(
        long,
        env = "TSPOT_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text,
        ignore_case = true,
        value_name = "FORMAT"
    )]
    pub log_format: LogFormat,

    #[command(flatten)]
    limits: ReferenceLimits,
}

fn parse_connection(text: &str) -> Result<(String, PathBuf), String> {
    const EXPECTED: &str = "expected NAME=sqlite:PATH or NAME=postgres://USER@HOST:PORT/DATABASE";
    let (name, location) = text.split_once('=').ok_or(EXPECTED)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(EXPECTED.into());
    }
    if tspot_reference::data::postgres::is_postgres(location) {
        // Checked now; registered without its password. Errors name the URL without it.
        tspot_reference::data::postgres::checked_location(location)?;
        return Ok((name.to_string(), PathBuf::from(location.trim())));
    }
    let path = location.strip_prefix("sqlite:").ok_or(EXPECTED)?;
    if path.is_empty() {
        return Err(EXPECTED.into());
    }
    if !Path::new(path).is_file() {
        return Err(format!("{path} is not a file"));
    }
    Ok((name.to_string(), PathBuf::from(path)))
}

fn parse_store(text: &str) -> Result<String, String> {
    if !tspot_reference::data::postgres::is_postgres(text) {
        return Err(
            "expected postgres://USER@HOST:PORT/DATABASE (without --store, the store \
                    is the data directory's)"
                .into(),
        );
    }
    tspot_reference::data::postgres::checked_location(text)?;
    Ok(text.trim().to_string())
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if duration.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(duration)
}

/// Runs the server to completion: success after a clean shutdown, one error line and failure
/// when it cannot start.
pub fn run(args: ServeArgs) -> ExitCode {
    // Files the server creates (the store, the demo database) are private to its user.
    #[cfg(unix)]
    restrict_umask();
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(args.max_blocking_threads as usize)
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
        .and_then(|runtime| runtime.block_on(serve(args)));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tspot: error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    // Before anything that can take a while, so that a signal never kills the process uncleanly.
    let shutdown = ShutdownSignal::install()?;
    let admin_password = secret(
        args.admin_password,
        args.admin_password_file.as_deref(),
        "--admin-password",
        "TSPOT_ADMIN_PASSWORD",
    )?;
    let trusted_auth = secret(
        args.trusted_auth_secret,
        args.trusted_auth_secret_file.as_deref(),
        "--trusted-auth-secret",
        "TSPOT_TRUSTED_AUTH_SECRET",
    )?;
    let limits = Limits {
        header_read_timeout: args.header_read_timeout,
        idle_timeout: args.idle_timeout,
        max_connections: args.max_connections,
    };
    let store_password = secret(
        args.store_password,
        args.store_password_file.as_deref(),
        "--store-password",
        "TSPOT_STORE_PASSWORD",
    )?;
    #[cfg(unix)]
    ensure_open_file_limit(limits.max_connections);

    // One server per data directory, decided before anything else touches it. With a
    // PostgreSQL store the directory holds only the demo's data file, written once under the
    // store's own cross-replica lock and read-only afterwards: replicas may share it.
    tspot_reference::prepare_data_dir(&args.data_dir).map_err(|e| e.to_string())?;
    let _lock = match &args.store {
        Some(_) => None,
        None => Some(DataDirLock::acquire(&args.data_dir, "serve")?),
    };

    let listener = TcpListener::bind(args.listen.as_str())
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    // `/metrics` on its own listener, on the API's, or nowhere.
    let metrics_on_api = args.metrics_listen.as_deref() == Some(args.listen.as_str());
    let metrics_listener = match args.metrics_listen.as_deref() {
        Some(address) if !metrics_on_api => Some(
            TcpListener::bind(address)
                .await
                .map_err(|e| format!("cannot listen on {address} (--metrics-listen): {e}"))?,
        ),
        _ => None,
    };
    let metrics = match args.metrics_listen {
        Some(_) => Some(ops::install_metrics()?),
        None => None,
    };

    let password_given = admin_password.is_some();
    let trusted_auth_enabled = trusted_auth.is_some();
    let config = args.limits.apply(Config {
        admin_password,
        trusted_auth_secret: trusted_auth,
        session_timeout: args.session_timeout,
        demo_rows: args.demo_rows,
        connections: args.connections.clone(),
        postgres_store: args.store.clone().map(|url| PostgresStoreConfig {
            url,
            password: store_password,
        }),
        ..Config::new(&args.data_dir)
    });
    let store = StoreShown::new(args.store.as_deref(), &args.data_dir);
    let opened = Reference::open(config).await.map_err(|e| match e {
        OpenError::DataDir { .. } | OpenError::Connection { .. } => e.to_string(),
        other => format!("cannot open the store {store}: {other}"),
    })?;
    report_store(&opened, &store, password_given, trusted_auth_enabled);

    let reference = Arc::new(opened.reference);
    let mut extra = ops::probes(reference.clone());
    if metrics_on_api && let Some(handle) = &metrics {
        extra = extra.merge(ops::metrics_route(handle.clone()));
    }
    let app = tspot_server::app_with(reference.clone(), extra);
    let metrics_app = match (&metrics_listener, &metrics) {
        (Some(_), Some(handle)) => Some(tspot_server::observe::apply(
            ops::metrics_route(handle.clone()).merge(ops::probes(reference.clone())),
        )),
        _ => None,
    };
    let metrics_address = match &metrics_listener {
        Some(listener) => Some(
            listener
                .local_addr()
                .map_err(|e| format!("cannot listen on the metrics address: {e}"))?,
        ),
        None => metrics_on_api.then_some(local),
    };
    let shown = shown_address(local);
    tracing::info!(
        address = %local,
        api = %format!("http://{shown}/callosum/v1/tspublic/v1/"),
        swagger = %format!("http://{shown}/external/swagger"),
        readiness = %format!("http://{shown}/readyz"),
        metrics = %metrics_address.map_or_else(
            || "off (--metrics-listen)".to_owned(),
            |at| format!("http://{}/metrics", shown_address(at))
        ),
        session_timeout = %humantime::format_duration(args.session_timeout),
        max_connections = limits.max_connections,
        header_read_timeout = %humantime::format_duration(limits.header_read_timeout),
        idle_timeout = %humantime::format_duration(limits.idle_timeout),
        "listening"
    );

    let (stop, stopping) = watch::channel(false);
    let metrics_server = {
        let stopping = stopping.clone();
        let limits = Limits {
            max_connections: METRICS_CONNECTIONS,
            ..limits
        };
        async move {
            if let (Some(listener), Some(app)) = (metrics_listener, metrics_app) {
                serve_connections(listener, app, limits, stopping).await;
            }
        }
    };
    let server = async {
        tokio::join!(
            serve_connections(listener, app, limits, stopping),
            metrics_server
        );
    };
    tokio::pin!(server);
    tokio::select! {
        // The accept loop ends only once stopped; should it end sooner, so does the server.
        () = &mut server => {}
        () = shutdown.recv() => {
            let _ = stop.send(true);
            tokio::select! {
                () = &mut server => {}
                () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!(
                    "requests still running {}s after the shutdown signal; stopping without them",
                    SHUTDOWN_GRACE.as_secs()
                ),
            }
        }
    }

    reference
        .close()
        .await
        .map_err(|e| format!("closing the store: {e}"))?;
    tracing::info!("stopped; the store is closed");
    Ok(())
}

/// A secret from its file, or else from its flag or environment variable (empty is unset). Warns
/// when the secret is on the command line, where other users can read it.
fn secret(
    value: Option<String>,
    file: Option<&Path>,
    flag: &str,
    variable: &str,
) -> Result<Option<String>, String> {
    if let Some(file) = file {
        return read_secret_file(file, &format!("{flag}-file")).map(Some);
    }
    let value = value.filter(|v| !v.is_empty());
    if value.is_some() && on_command_line(std::env::args_os().skip(1), flag) {
        tracing::warn!(
            "{flag} was given on the command line, which other users of this machine can read \
             (ps, /proc); pass it in {variable} or with {flag}-file instead"
        );
    }
    Ok(value)
}

/// Whether `--flag` is among the command-line arguments (as `--flag VALUE` or `--flag=VALUE`),
/// rather than the value coming from its environment variable. Clap infers no abbreviations here,
/// so the flag's own spelling is the only one.
fn on_command_line(args: impl Iterator<Item = std::ffi::OsString>, flag: &str) -> bool {
    args.take_while(|arg| arg != "--").any(|arg| {
        arg.to_str().is_some_and(|arg| {
            arg.strip_prefix(flag)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
    })
}

/// The content of a secret file, less one trailing newline. Refuses a file that the group or
/// others can read, and an empty one.
fn read_secret_file(path: &Path, flag: &str) -> Result<String, String> {
    let shown = path.display();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata =
            std::fs::metadata(path).map_err(|e| format!("{flag}: cannot read {shown}: {e}"))?;
        let mode = metadata.permissions().mode() & 0o7777;
        if mode & 0o044 != 0 {
            return Err(format!(
                "{flag}: {shown} is readable by other users (mode {mode:04o}); make it private \
                 with `chmod 600 {shown}`"
            ));
        }
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{flag}: cannot read {shown}: {e}"))?;
    let secret = text
        .strip_suffix('\n')
        .map_or(text.as_str(), |t| t.strip_suffix('\r').unwrap_or(t));
    if secret.is_empty() {
        return Err(format!("{flag}: {shown} is empty"));
    }
    Ok(secret.to_owned())
}

/// Makes the process's umask withhold every permission from the group and others.
#[cfg(unix)]
pub(crate) fn restrict_umask() {
    use rustix::fs::Mode;
    let private = Mode::from_raw_mode(0o077);
    let old = rustix::process::umask(private);
    rustix::process::umask(old | private);
}

/// Raises the open-file limit (up to its hard limit) to what `max_connections` needs, and warns
/// when it stays below.
#[cfg(unix)]
fn ensure_open_file_limit(max_connections: u32) {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let needed = u64::from(max_connections) + FILES_BESIDES_CONNECTIONS;
    let limit = getrlimit(Resource::Nofile);
    let Some(mut current) = limit.current else {
        return; // unlimited
    };
    if current >= needed {
        return;
    }
    let raised = limit.maximum.map_or(needed, |hard| hard.min(needed));
    if raised > current
        && setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(raised),
                maximum: limit.maximum,
            },
        )
        .is_ok()
    {
        tracing::info!(from = current, to = raised, "raised the open-file limit");
        current = raised;
    }
    if current < needed {
        tracing::warn!(
            "the open-file limit ({current}) is too low for --max-connections {max_connections} \
             (each connection is an open file, and the server needs up to \
             {FILES_BESIDES_CONNECTIONS} more): connections may be refused for too many open \
             files; raise the limit (ulimit -n) or lower --max-connections"
        );
    }
}

/// What the operator should know about the store just opened. Never logs a secret.
/// Where the store is, as messages show it: the data directory, or the PostgreSQL URL without
/// its password.
struct StoreShown(String);

impl StoreShown {
    fn new(url: Option<&str>, data_dir: &Path) -> StoreShown {
        match url {
            Some(url) => StoreShown(
                tspot_reference::data::postgres::split_url(url)
                    .map(|(location, _)| format!("at {location}"))
                    .unwrap_or_else(|_| "in PostgreSQL".into()),
            ),
            None => {
                let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.into());
                StoreShown(format!("in {}", dir.display()))
            }
        }
    }
}

impl std::fmt::Display for StoreShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn report_store(
    opened: &tspot_reference::Opened,
    store: &StoreShown,
    password_given: bool,
    trusted_auth: bool,
) {
    if opened.first_start {
        tracing::info!(store = %store, admin = %ADMIN_USER, "created a new store");
    } else {
        tracing::info!(store = %store, "opened the store");
        if password_given {
            tracing::info!(
                "--admin-password is ignored: the store already exists and {ADMIN_USER} keeps its password"
            );
        }
    }
    if opened.default_admin_password {
        tracing::warn!(
            "{ADMIN_USER}'s password is the default '{DEFAULT_ADMIN_PASSWORD}': anyone who can reach \
             this server can sign in as the administrator. Change it with user/updatepassword, or \
             start with a new data directory and --admin-password (or TSPOT_ADMIN_PASSWORD)"
        );
    }
    if trusted_auth {
        tracing::info!("trusted authentication is enabled");
    } else {
        tracing::info!(
            "trusted authentication is disabled (no --trusted-auth-secret); session/auth/token answers 500"
        );
    }
}

/// The address to put in URLs: a wildcard address is reachable on the loopback address.
fn shown_address(local: SocketAddr) -> SocketAddr {
    match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, local.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, local.port()).into(),
        _ => local,
    }
}

/// Ctrl-C or SIGTERM, registered when created.
struct ShutdownSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    fn install() -> Result<ShutdownSignal, String> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let handler = |kind| signal(kind).map_err(|e| format!("cannot handle signals: {e}"));
            Ok(ShutdownSignal {
                interrupt: handler(SignalKind::interrupt())?,
                terminate: handler(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(ShutdownSignal {})
    }

    async fn recv(mut self) {
        #[cfg(unix)]
        let which = tokio::select! {
            _ = self.interrupt.recv() => "Ctrl-C",
            _ = self.terminate.recv() => "SIGTERM",
        };
        #[cfg(not(unix))]
        let which = match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            Err(_) => std::future::pending().await,
        };
        tracing::info!("{which}: finishing the requests in flight, then stopping");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_human_durations() {
        assert_eq!(parse_timeout("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_timeout("1h 30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_timeout("0s").is_err());
        assert!(parse_timeout("soon").is_err());
    }

    #[test]
    fn a_flag_on_the_command_line_is_told_from_its_environment_variable() {
        let args = |list: &[&str]| {
            list.iter()
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
                .into_iter()
        };
        let flag = "--trusted-auth-secret";
        assert!(on_command_line(args(&["serve", flag, "s"]), flag));
        assert!(on_command_line(
            args(&["serve", "--trusted-auth-secret=s"]),
            flag
        ));
        assert!(!on_command_line(args(&["serve"]), flag));
        assert!(!on_command_line(
            args(&["serve", "--trusted-auth-secret-file", "f"]),
            flag
        ));
        assert!(!on_command_line(args(&["serve", "--", flag]), flag));
    }

    #[cfg(unix)]
    #[test]
    fn secret_files_must_be_private_and_lose_one_newline() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        let write = |text: &str, mode: u32| {
            std::fs::write(&file, text).unwrap();
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        write("s3cret\n", 0o600);
        assert_eq!(read_secret_file(&file, "--x-file").unwrap(), "s3cret");
        write("s3cret\r\n", 0o400);
        assert_eq!(read_secret_file(&file, "--x-file").unwrap(), "s3cret");
        write(" two words \n\n", 0o600);
        assert_eq!(
            read_secret_file(&file, "--x-file").unwrap(),
            " two words \n"
        );
        write("\n", 0o600);
        let error = read_secret_file(&file, "--x-file").unwrap_err();
        assert!(error.contains("is empty"), "{error}");
        for shared in [0o644, 0o640, 0o604] {
            write("s3cret", shared);
            let error = read_secret_file(&file, "--x-file").unwrap_err();
            assert!(error.starts_with("--x-file: "), "{error}");
            assert!(error.contains("readable by other users"), "{error}");
            assert!(error.contains("chmod 600"), "{error}");
        }
        let missing = read_secret_file(&dir.path().join("missing"), "--x-file").unwrap_err();
        assert!(missing.contains("cannot read"), "{missing}");
    }

    #[test]
    fn wildcard_addresses_are_shown_as_loopback() {
        let shown = |a: &str| shown_address(a.parse().unwrap()).to_string();
        assert_eq!(shown("0.0.0.0:8088"), "127.0.0.1:8088");
        assert_eq!(shown("[::]:8088"), "[::1]:8088");
        assert_eq!(shown("192.0.2.7:80"), "192.0.2.7:80");
    }
}
