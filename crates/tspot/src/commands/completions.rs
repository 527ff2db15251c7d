//! `tspot completions SHELL`: the shell code that asks `tspot` for completions (clap_complete's
//! `COMPLETE=<shell>` protocol, answered in `main`).

use std::process::ExitCode;

use clap_complete::Shell;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::cli::CompletionsArgs;

pub fn run(args: CompletionsArgs) -> ExitCode {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Elvish => &Elvish,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Zsh => &Zsh,
        other => {
            eprintln!("tspot: error: no completions for {other}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    match shell.write_registration("COMPLETE", "tspot", "tspot", "tspot", &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tspot: error: cannot write the completion script: {e}");
            ExitCode::FAILURE
        }
    }
}
