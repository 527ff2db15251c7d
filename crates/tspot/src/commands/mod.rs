//! The client commands: each builds a [`Report`] from calls of the generated client; this module
//! runs them, prints the report and turns failures into one line and an exit status.

pub mod completions;
pub mod demo;
mod groups;
mod objects;
mod pinboard;
mod profiles;
mod search;
mod session;
mod tml;
mod users;

use std::process::ExitCode;

use crate::cli::{Command, GlobalArgs};
use crate::connection::{Session, set_timeout, sign_in_again};
use crate::errors::{CliError, Result};
use crate::output::{Format, Report};
use crate::profile::Profiles;

/// What every client command needs from the global options, resolved: the profile's name
/// (`--profile`, `TSPOT_PROFILE`, `tspot profiles use`, or `default`) and the output format.
pub struct Context {
    pub profile: String,
    pub output: Format,
}

impl Context {
    fn of(global: &GlobalArgs) -> Result<Context> {
        let profile = match &global.profile {
            Some(name) => name.clone(),
            None => Profiles::open()?.effective(None),
        };
        Ok(Context {
            profile,
            output: global.output,
        })
    }
}

/// What a command produced: the report to print, and a failure to exit with afterwards (a TML
/// import where some objects failed still prints every object's status).
pub struct Done {
    pub report: Report,
    pub failure: Option<CliError>,
}

impl From<Report> for Done {
    fn from(report: Report) -> Done {
        Done {
            report,
            failure: None,
        }
    }
}

/// Runs a client command (anything but `serve` and `completions`) to completion.
pub fn run(global: GlobalArgs, command: Command) -> ExitCode {
    set_timeout(global.timeout);
    crate::logging::requests(global.verbose);
    let outcome = Context::of(&global).and_then(|context| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))
            .and_then(|runtime| runtime.block_on(dispatch(&context, command)))
    });
    let failure = match outcome {
        Ok(done) => match print(&done.report, global.output) {
            Ok(()) => done.failure,
            Err(error) => Some(error),
        },
        Err(error) => Some(error),
    };
    match failure {
        None => ExitCode::SUCCESS,
        Some(error) => {
            eprintln!("tspot: error: {error}");
            error.exit_code()
        }
    }
}

fn print(report: &Report, format: Format) -> Result<()> {
    match report.print(format) {
        Ok(()) => Ok(()),
        // `tspot ... | head`: the reader has all it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failed(format!("cannot write the output: {e}"))),
    }
}

async fn dispatch(context: &Context, command: Command) -> Result<Done> {
    match command {
        Command::Login(args) => session::login(context, args).await.map(Done::from),
        Command::Logout => session::logout(context).await.map(Done::from),
        Command::Status => session::status(context).await,
        Command::Profiles(args) => profiles::run(context, args).map(Done::from),
        Command::Token(args) => session::token(context, args).await.map(Done::from),
        command => {
            let session = Session::open(&context.profile)?;
            signed_in(context, &session, command)
                .await
                .map_err(|error| sign_in_again(error, &session.name))
        }
    }
}

async fn signed_in(context: &Context, session: &Session, command: Command) -> Result<Done> {
    let format = context.output;
    let report = match command {
        Command::Users(command) => users::run(session, command).await?,
        Command::Groups(command) => groups::run(session, command).await?,
        Command::Objects(command) => objects::run_objects(session, command).await?,
        Command::Viz(command) => objects::run_viz(session, command).await?,
        Command::Search(args) => search::run(session, args, format).await?,
        Command::Pinboard(command) => pinboard::run(session, command).await?,
        Command::Tml(command) => return tml::run(session, command).await,
        Command::Serve(_)
        | Command::Backup(_)
        | Command::Restore(_)
        | Command::Demo(_)
        | Command::Completions(_)
        | Command::Login(_)
        | Command::Logout
        | Command::Status
        | Command::Profiles(_)
        | Command::Token(_) => unreachable!("dispatched before a session is opened"),
    };
    Ok(Done::from(report))
}
