//! Project automation: `cargo xtask codegen [--check]`.
//!
//! The xtask depends on none of the crates it generates, so it builds even when the generated code
//! is stale or broken.

mod client;
mod codegen;
mod format;
mod server;
mod spec;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen           regenerate crates/tspot-client and crates/tspot-server from spec/thoughtspot-v1.yaml
  codegen --check   regenerate in memory and fail with a diff when a committed file is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
