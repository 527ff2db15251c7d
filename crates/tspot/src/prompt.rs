//! Asking for a password on the terminal, never echoing it, or reading it from standard input.

use std::io::{BufRead, IsTerminal};

use crate::errors::{CliError, Result};

/// Asks for a secret when standard input is a terminal; otherwise a usage error that says how
/// to pass it (`missing`).
pub fn secret(prompt: &str, missing: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(missing));
    }
    let answer = rpassword::prompt_password(prompt).map_err(|e| {
        CliError::failed(format!("cannot read the password from the terminal: {e}"))
    })?;
    if answer.is_empty() {
        return Err(CliError::usage("an empty password was given"));
    }
    Ok(answer)
}

/// The first line of standard input, without its line ending (`--password-stdin`).
pub fn secret_from_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        CliError::failed(format!("cannot read the password from standard input: {e}"))
    })?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(CliError::usage(
            "--password-stdin: standard input has no password on its first line",
        ));
    }
    Ok(password)
}
