//! `tspot`: the ThoughtSpot REST API v1 reference server (`tspot serve`) and a command-line client
//! of any ThoughtSpot v1 server, built on the generated `tspot-client` crate.

mod cli;
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

use clap::Parser;
use clap::error::ErrorKind;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(error),
    };
    match cli.command {
        Command::Serve(args) => {
            logging::init();
            serve::run(*args)
        }
        Command::Completions(args) => commands::completions::run(args),
        command => commands::run(cli.global, command),
    }
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
