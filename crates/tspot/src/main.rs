//! `tspot`: the ThoughtSpot REST API v1 reference server (`tspot serve`); client commands come later.

mod logging;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// tspot: a ThoughtSpot REST API v1 you can run locally, in CI or offline.
///
/// `tspot serve` runs the reference server: the public REST API v1 under
/// `/callosum/v1/tspublic/v1/`, its OpenAPI document at `/openapi.json` and the Swagger portal at
/// `/external/swagger`. Existing clients (the `thoughtspot-rest-api-v1` Python library, curl, the
/// `tspot-client` crate) work against it unmodified.
#[derive(Parser)]
#[command(name = "tspot", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the reference server until Ctrl-C or SIGTERM.
    ///
    /// The API answers under `http://<listen>/callosum/v1/tspublic/v1/` (and the bare
    /// `/tspublic/v1/`), the OpenAPI document at `/openapi.json` and `/openapi.yaml`, the Swagger
    /// portal at `/external/swagger`. Users, groups, privileges and sessions live in an SQLite store
    /// in the data directory and survive restarts; on first start the store gets the administrator
    /// `tsadmin` and the groups `Administrator` and `All`.
    ///
    /// Logs go to standard error; set `TSPOT_LOG` (or `RUST_LOG`) to filter them, e.g.
    /// `TSPOT_LOG=debug`. Ctrl-C or SIGTERM lets requests in flight finish, closes the store and
    /// exits with status 0.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init();
    match cli.command {
        Command::Serve(args) => serve::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
