//! Asking for a password on the terminal, never echoing it.

use std::io::IsTerminal;

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
