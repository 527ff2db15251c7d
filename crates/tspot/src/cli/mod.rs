//! The command line, as clap definitions. What each command does is in `commands/`.

pub mod complete;
pub mod data;
pub mod objects;
pub mod profiles;
pub mod session;
pub mod tml;
pub mod users;
mod values;

pub use values::*;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// The exit statuses, in the long help of `tspot`.
const EXIT_STATUSES: &str = "\
Exit status:
  0  success
  1  something else failed: a local file, a TML object not imported or exported
  2  usage: the command line is wrong or incomplete
  3  not signed in, or the session ended (HTTP 401)
  4  forbidden: signed in but not allowed (HTTP 403)
  5  not found (HTTP 404, or a name that matches nothing)
  6  bad request (HTTP 400 and other 4xx, or a name that matches several objects)
  7  the server failed (HTTP 5xx) or answered something unreadable
  8  connection problem: the server cannot be reached or did not answer in time

Errors are one line on standard error, with the server's message.

Environment:
  TSPOT_URL, TSPOT_USERNAME, TSPOT_PASSWORD   for `tspot login`
  TSPOT_PROFILE                               like --profile
  TSPOT_OUTPUT                                like --output
  TSPOT_TIMEOUT                               like --timeout
  TSPOT_CONFIG_DIR                            where profiles are kept (default: the user's
                                              configuration directory, e.g. ~/.config/tspot)";

/// tspot: a ThoughtSpot REST API v1 you can run locally, in CI or offline, and its command line.
///
/// `tspot serve` runs the reference server: the public REST API v1 under
/// `/callosum/v1/tspublic/v1/`, its OpenAPI document at `/openapi.json` and the Swagger portal at
/// `/external/swagger`. Existing clients (the `thoughtspot-rest-api-v1` Python library, curl, the
/// `tspot-client` crate) work against it unmodified.
///
/// The other commands are a client of any ThoughtSpot server that speaks the REST API v1 (a
/// ThoughtSpot cluster or `tspot serve`): sign in once with `tspot login`, then list users and
/// objects, search, read a Liveboard's data or PDF, and move objects as TML. The session is kept
/// per profile (`--profile`) in your configuration directory.
#[derive(Parser)]
#[command(
    name = "tspot",
    version,
    propagate_version = true,
    after_long_help = EXIT_STATUSES
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every client command takes.
#[derive(Args, Clone, Debug)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Which saved session a client command uses: profiles keep you signed in to several
    /// servers, or as several users, at once. Default: the one `tspot profiles use` chose, else
    /// `default`.
    #[arg(
        long,
        global = true,
        env = "TSPOT_PROFILE",
        value_name = "NAME",
        value_parser = crate::profile::parse_name,
        add = clap_complete::ArgValueCandidates::new(complete::profiles)
    )]
    pub profile: Option<String>,

    /// How long a client command waits for the server's answer to each request, e.g. `30s`,
    /// `5m`.
    #[arg(
        long,
        global = true,
        env = "TSPOT_TIMEOUT",
        default_value = "120s",
        value_name = "DURATION",
        value_parser = parse_timeout
    )]
    pub timeout: std::time::Duration,

    /// How a client command prints its result: aligned columns for people, JSON (the API's
    /// objects, pretty-printed) or CSV.
    #[arg(
        long,
        global = true,
        env = "TSPOT_OUTPUT",
        value_enum,
        default_value_t = Format::Table,
        ignore_case = true,
        value_name = "FORMAT"
    )]
    pub output: Format,

    /// Show each request on standard error: `-v` its method, path and answer's status and time;
    /// `-vv` also the form body sent and the headers and body received. Passwords, secrets,
    /// tokens and session cookies are always shown as `[redacted]`.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// A positive duration in humantime's syntax (`30s`, `2m`, `1h`).
fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| format!("{e} (e.g. 30s, 5m)"))?;
    if duration.is_zero() {
        return Err("the timeout must be longer than 0s".into());
    }
    Ok(duration)
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the reference server until Ctrl-C or SIGTERM.
    ///
    /// The API answers under `http://<listen>/callosum/v1/tspublic/v1/` (and the bare
    /// `/tspublic/v1/`), the OpenAPI document at `/openapi.json` and `/openapi.yaml`, the Swagger
    /// portal at `/external/swagger`. Users, groups, privileges and sessions live in an SQLite store
    /// in the data directory and survive restarts; on first start the store gets the administrator
    /// `tsadmin` and the groups `Administrator` and `All`.
    ///
    /// `/healthz` answers 200 while the process runs, `/readyz` 200 while the store answers (503
    /// with a JSON body naming what fails); neither needs a session. `/metrics` (Prometheus) is
    /// served with `--metrics-listen`. One server per data directory: a second one on the same
    /// directory exits with a line naming the first one's PID.
    ///
    /// Logs go to standard error, as text or JSON (`--log-format`); set `TSPOT_LOG` (or
    /// `RUST_LOG`) to filter them, e.g. `TSPOT_LOG=debug`. Ctrl-C or SIGTERM lets requests in
    /// flight finish, closes the store and exits with status 0.
    Serve(Box<crate::serve::ServeArgs>),

    /// Copy the store of a data directory to a new file, beside a running server.
    ///
    /// The copy is consistent: it holds every change committed before it started and nothing
    /// half-done, while the server keeps answering (SQLite's online backup API). It holds users,
    /// groups, privileges, objects, connections and sessions, but not the databases that
    /// connections read (the demo's `demo.sqlite3`, `--connection` files). The file is private
    /// (mode 0600): it holds password hashes.
    Backup(crate::backup::BackupArgs),

    /// Replace the store of a data directory with a backup; no server may be running on it.
    ///
    /// Every session and trusted-authentication token in the backup is ended: everyone signs in
    /// again. Refused while a server holds the data directory.
    Restore(crate::backup::RestoreArgs),

    /// The demo's data elsewhere: `tspot demo load postgres://...` fills a PostgreSQL database.
    #[command(subcommand)]
    Demo(crate::commands::demo::DemoCommand),

    /// Sign in to a ThoughtSpot server and keep the session in a profile.
    Login(session::LoginArgs),

    /// End the profile's session on the server; the profile keeps its server and user for the
    /// next `tspot login`.
    Logout,

    /// Who you are signed in as, on which server, and whether the session is still valid.
    ///
    /// Exits with status 3 when the profile is not signed in or the server ended the session.
    Status,

    /// Saved profiles: list them (the default), choose the one commands use, remove one.
    Profiles(profiles::ProfilesArgs),

    /// Get a trusted-authentication login token for a user (needs the server's secret key).
    Token(session::TokenArgs),

    /// Users: list them, synchronise them from a file, change a password, transfer ownership.
    #[command(subcommand)]
    Users(users::UsersCommand),

    /// Groups: grant and revoke privileges.
    #[command(subcommand)]
    Groups(users::GroupsCommand),

    /// Metadata objects: list tables, worksheets, answers, Liveboards and more.
    #[command(subcommand)]
    Objects(objects::ObjectsCommand),

    /// Visualizations of a Liveboard.
    #[command(subcommand)]
    Viz(objects::VizCommand),

    /// Run a search-language query against a worksheet, view or table.
    Search(data::SearchArgs),

    /// Liveboards (historically "pinboards"): their data, or a PDF of them.
    #[command(subcommand, visible_alias = "liveboard")]
    Pinboard(data::PinboardCommand),

    /// Export objects as TML files, import TML files.
    #[command(subcommand)]
    Tml(tml::TmlCommand),

    /// Print the shell code that completes tspot's commands, options, profile names and (with a
    /// live session) object names, e.g. `source <(tspot completions bash)` in ~/.bashrc.
    ///
    /// The code calls `tspot` to complete, so it follows upgrades; load it at shell start (bash,
    /// zsh: `source <(tspot completions bash)`; fish: `tspot completions fish | source`) rather
    /// than saving it to a file. `COMPLETE=bash tspot` prints it too.
    Completions(CompletionsArgs),
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_anywhere() {
        let cli = Cli::try_parse_from(["tspot", "users", "list", "--output", "json"]).unwrap();
        assert_eq!(cli.global.output, Format::Json);
        assert_eq!(cli.global.timeout, std::time::Duration::from_secs(120));
        let cli = Cli::try_parse_from([
            "tspot",
            "--profile",
            "prod",
            "--output",
            "CSV",
            "logout",
            "--timeout",
            "5s",
        ])
        .unwrap();
        assert_eq!(cli.global.profile.as_deref(), Some("prod"));
        assert_eq!(cli.global.timeout, std::time::Duration::from_secs(5));
        assert!(Cli::try_parse_from(["tspot", "--timeout", "0s", "logout"]).is_err());
        assert_eq!(cli.global.output, Format::Csv);
        assert!(Cli::try_parse_from(["tspot", "--profile", "../x", "logout"]).is_err());
    }
}
