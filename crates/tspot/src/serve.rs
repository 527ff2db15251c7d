//! `tspot serve`: the reference server on a TCP port, until Ctrl-C or SIGTERM.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use tokio::net::TcpListener;
use tspot_reference::{ADMIN_USER, Config, DEFAULT_ADMIN_PASSWORD, OpenError, Reference};

/// How long requests in flight may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

// The help text of `tspot serve` is on `Command::Serve` in main.rs.
// No Debug: the arguments hold the admin password and the trusted-authentication secret.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on (`0.0.0.0:8088` to accept connections from other machines).
    #[arg(
        long,
        env = "TSPOT_LISTEN",
        default_value = "127.0.0.1:8088",
        value_name = "ADDR:PORT"
    )]
    listen: String,

    /// Directory of the store; created when missing.
    #[arg(
        long,
        env = "TSPOT_DATA_DIR",
        default_value = "./tspot-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,

    /// The password `tsadmin` gets when the data directory is new; ignored afterwards. Without it
    /// a new store gets the default password `admin`. Prefer the environment variable: other users
    /// of the machine can read command lines.
    #[arg(
        long,
        env = "TSPOT_ADMIN_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD"
    )]
    admin_password: Option<String>,

    /// The secret key that `session/auth/token` requires (trusted authentication). Unset: trusted
    /// authentication is disabled and `session/auth/token` answers 500, as ThoughtSpot does.
    #[arg(
        long,
        env = "TSPOT_TRUSTED_AUTH_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    trusted_auth_secret: Option<String>,

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

    /// An SQLite database that tables' TML can point at: `NAME=sqlite:PATH`. A table TML with
    /// `connection: {name: NAME}` and `db_table: T` reads table T of that file. Repeatable.
    #[arg(long = "connection", env = "TSPOT_CONNECTIONS", value_delimiter = ',', value_parser = parse_connection, value_name = "NAME=sqlite:PATH")]
    connections: Vec<(String, PathBuf)>,
}

fn parse_connection(text: &str) -> Result<(String, PathBuf), String> {
    let (name, location) = text.split_once('=').ok_or("expected NAME=sqlite:PATH")?;
    let path = location
        .strip_prefix("sqlite:")
        .ok_or("only sqlite: connections are supported, as NAME=sqlite:PATH")?;
    if name.trim().is_empty() || path.is_empty() {
        return Err("expected NAME=sqlite:PATH".into());
    }
    if !Path::new(path).is_file() {
        return Err(format!("{path} is not a file"));
    }
    Ok((name.trim().to_string(), PathBuf::from(path)))
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
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
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
    let listener = TcpListener::bind(args.listen.as_str())
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;

    let non_empty = |value: Option<String>| value.filter(|v| !v.is_empty());
    let admin_password = non_empty(args.admin_password);
    let password_given = admin_password.is_some();
    let trusted_auth = non_empty(args.trusted_auth_secret);
    let trusted_auth_enabled = trusted_auth.is_some();
    let config = Config {
        admin_password,
        trusted_auth_secret: trusted_auth,
        session_timeout: args.session_timeout,
        demo_rows: args.demo_rows,
        connections: args.connections.clone(),
        ..Config::new(&args.data_dir)
    };
    let opened = Reference::open(config).await.map_err(|e| match e {
        OpenError::DataDir { .. } => e.to_string(),
        other => format!(
            "cannot open the store in {}: {other}",
            args.data_dir.display()
        ),
    })?;
    report_store(
        &opened,
        &args.data_dir,
        password_given,
        trusted_auth_enabled,
    );

    let reference = Arc::new(opened.reference);
    let app = tspot_server::app(reference.clone()).layer(axum::middleware::from_fn(log_request));
    let shown = shown_address(local);
    tracing::info!(
        address = %local,
        api = %format!("http://{shown}/callosum/v1/tspublic/v1/"),
        swagger = %format!("http://{shown}/external/swagger"),
        session_timeout = %humantime::format_duration(args.session_timeout),
        "listening"
    );

    let (stopping_tx, mut stopping) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.recv().await;
        let _ = stopping_tx.send(true);
    });
    let grace_over = async {
        let _ = stopping.wait_for(|stopping| *stopping).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = server.into_future() => served.map_err(|e| format!("the server failed: {e}"))?,
        () = grace_over => tracing::warn!(
            "requests still running {}s after the shutdown signal; stopping without them",
            SHUTDOWN_GRACE.as_secs()
        ),
    }

    reference
        .close()
        .await
        .map_err(|e| format!("closing the store: {e}"))?;
    tracing::info!("stopped; the store is closed");
    Ok(())
}

/// What the operator should know about the store just opened. Never logs a secret.
fn report_store(
    opened: &tspot_reference::Opened,
    data_dir: &Path,
    password_given: bool,
    trusted_auth: bool,
) {
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let dir = dir.display();
    if opened.first_start {
        tracing::info!(data_dir = %dir, admin = %ADMIN_USER, "created a new store");
    } else {
        tracing::info!(data_dir = %dir, "opened the store");
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

/// One line per request: method, path (never the query string, which may hold a secret key),
/// status, duration and peer.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |info| info.0.to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path = %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        peer = %peer,
        "request"
    );
    response
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
    fn wildcard_addresses_are_shown_as_loopback() {
        let shown = |a: &str| shown_address(a.parse().unwrap()).to_string();
        assert_eq!(shown("0.0.0.0:8088"), "127.0.0.1:8088");
        assert_eq!(shown("[::]:8088"), "[::1]:8088");
        assert_eq!(shown("192.0.2.7:80"), "192.0.2.7:80");
    }
}
