//! `tspot`: the ThoughtSpot REST API v1 reference server (`tspot serve`) and a command-line client
//! of any ThoughtSpot v1 server, built on the generated `tspot-client` crate.

mod backup;
mod cli;
mod columns;
mod commands;
mod connection;
mod errors;
mod logging;
mod output;
mod profile;
mod progress;
mod prompt;
mod resolve;
mod serve;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command};

fn main() -> ExitCode {
    // `COMPLETE=<shell> tspot ...`: the shell asks for completions; answer and exit.
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(Failure::Usage(error)) => return usage_error(error),
        Err(Failure::Config(message)) => {
            eprintln!("tspot: error: {message}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Command::Serve(args) => {
            logging::init(args.log_format);
            serve::run(*args)
        }
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Demo(command) => commands::demo::run(command),
        Command::Completions(args) => commands::completions::run(args),
        command => commands::run(cli.global, command),
    }
}

enum Failure {
    Usage(clap::Error),
    Config(String),
}

/// The command line; for `tspot serve --config FILE`, with the file's options added below the
/// flags and environment variables (see `serve::config`).
fn parse() -> Result<Cli, Failure> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = Cli::command()
        .try_get_matches_from(&args)
        .map_err(Failure::Usage)?;
    let matches = match matches.subcommand() {
        Some(("serve", given)) if given.contains_id("config") => {
            let Some(file) = given.get_one::<std::path::PathBuf>("config") else {
                return Cli::from_arg_matches(&matches).map_err(Failure::Usage);
            };
            let command = Cli::command();
            let serve = command
                .find_subcommand("serve")
                .expect("tspot has a serve command");
            let added =
                serve::config::file_arguments(file, serve, given).map_err(Failure::Config)?;
            args.extend(added);
            Cli::command()
                .try_get_matches_from(&args)
                .map_err(|error| {
                    let line = errors::usage_line(&error.render().to_string());
                    Failure::Config(format!("--config {}: {line}", file.display()))
                })?
        }
        _ => matches,
    };
    Cli::from_arg_matches(&matches).map_err(Failure::Usage)
}

/// Help and version as clap prints them; any other command-line error as one line, status 2.
fn usage_error(error: clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let line = errors::usage_line(&error.render().to_string());
    eprintln!("tspot: error: {line}");
    ExitCode::from(errors::Class::Usage.exit_status())
}
