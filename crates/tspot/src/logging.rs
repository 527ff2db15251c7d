//! Structured logs on standard error, filtered by `TSPOT_LOG` (or `RUST_LOG`), `info` by default,
//! as text for people or as JSON lines for log pipelines (`--log-format`, `TSPOT_LOG_FORMAT`).
//!
//! Inside a request every line carries the request's span (`request`: `method`, `path`,
//! `operation`, `peer`, `trace_id`, `incident_id`; see `tspot_server::observe`): in text as the
//! `request{...}:` prefix, in JSON as the `span` object. A JSON line is one object:
//! `timestamp`, `level`, `target`, the event's fields (`message` and the rest) at the top level,
//! and `span` when it was logged inside a request.
//!
//! Nothing secret is ever logged: not the command line (whose arguments may hold the admin password
//! or the trusted-authentication secret), not request bodies, query strings or cookies.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The environment variables read for the filter, first one set wins.
const FILTER_VARIABLES: [&str; 2] = ["TSPOT_LOG", "RUST_LOG"];
const DEFAULT_FILTER: &str = "info";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One line of text per event, for people (colours on a terminal unless NO_COLOR is set).
    #[default]
    Text,
    /// One JSON object per line, for log pipelines.
    Json,
}

pub fn init(format: LogFormat) {
    let (filter, problem) = filter();
    match format {
        LogFormat::Text => {
            let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .with_ansi(ansi)
                .with_target(false)
                .init();
        }
        LogFormat::Json => {
            tracing_subscriber::fmt()
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_span_list(false)
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .init();
        }
    }
    if let Some(problem) = problem {
        tracing::warn!("{problem}; logging at '{DEFAULT_FILTER}' instead");
    }
}

/// For client commands: `-v` shows each request and its answer's status on standard error,
/// `-vv` also the bodies (tspot-client's `trace` module redacts secrets). Nothing else is logged.
pub fn requests(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "debug",
        _ => "trace",
    };
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(format!(
            "{}={level}",
            tspot_client::trace::TARGET
        )))
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .with_level(false)
        .init();
}

/// The filter from the environment, or the default and why the environment's was not used.
fn filter() -> (EnvFilter, Option<String>) {
    let Some((variable, value)) = FILTER_VARIABLES.iter().find_map(|name| {
        let value = std::env::var(name).ok()?;
        (!value.trim().is_empty()).then_some((*name, value))
    }) else {
        return (EnvFilter::new(DEFAULT_FILTER), None);
    };
    match EnvFilter::try_new(&value) {
        Ok(filter) => (filter, None),
        Err(error) => (
            EnvFilter::new(DEFAULT_FILTER),
            Some(format!(
                "{variable}={value:?} is not a valid log filter ({error})"
            )),
        ),
    }
}
