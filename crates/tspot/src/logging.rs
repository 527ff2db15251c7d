//! Structured logs on standard error, filtered by `TSPOT_LOG` (or `RUST_LOG`), `info` by default.
//!
//! Nothing secret is ever logged: not the command line (whose arguments may hold the admin password
//! or the trusted-authentication secret), not request bodies, query strings or cookies.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The environment variables read for the filter, first one set wins.
const FILTER_VARIABLES: [&str; 2] = ["TSPOT_LOG", "RUST_LOG"];
const DEFAULT_FILTER: &str = "info";

pub fn init() {
    let (filter, problem) = filter();
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .init();
    if let Some(problem) = problem {
        tracing::warn!("{problem}; logging at '{DEFAULT_FILTER}' instead");
    }
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
