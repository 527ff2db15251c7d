//! Errors of the client commands: one line for people, one exit status per class of problem.
//!
//! The line shown for a failed call is the client's [`tspot_client::ApiError`]: ThoughtSpot's
//! message, its error code and the HTTP status, or a hint for a set-up mistake.

use std::fmt;
use std::process::ExitCode;

use tspot_client::{
    ApiError as Failure, ByteStream, Error as ApiError, ResponseValue, types::ErrorResponse,
};

/// The classes of failure, each with its own exit status (listed in `tspot --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Something else failed: a local file, a TML object that was not imported or exported.
    Failed,
    /// The command line is wrong or incomplete (clap uses the same status).
    Usage,
    /// No session, or the server refused it (401).
    NotSignedIn,
    /// Signed in, but not allowed (403).
    Forbidden,
    /// What was asked for does not exist (404, or a name that matches nothing).
    NotFound,
    /// The server refused the request (400, or a name that matches several objects).
    BadRequest,
    /// The server failed (5xx) or answered something this client cannot read.
    Server,
    /// The server could not be reached, or the connection broke.
    Connection,
}

impl Class {
    pub fn exit_status(self) -> u8 {
        match self {
            Class::Failed => 1,
            Class::Usage => 2,
            Class::NotSignedIn => 3,
            Class::Forbidden => 4,
            Class::NotFound => 5,
            Class::BadRequest => 6,
            Class::Server => 7,
            Class::Connection => 8,
        }
    }

    fn of_status(status: u16) -> Class {
        match status {
            401 => Class::NotSignedIn,
            403 => Class::Forbidden,
            404 | 410 => Class::NotFound,
            400..=499 => Class::BadRequest,
            _ => Class::Server,
        }
    }
}

/// A failed command: its class and one line of explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub class: Class,
    pub message: String,
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

impl CliError {
    pub fn new(class: Class, message: impl Into<String>) -> CliError {
        CliError {
            class,
            message: one_line(&message.into()),
        }
    }

    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(Class::Usage, message)
    }

    pub fn failed(message: impl Into<String>) -> CliError {
        CliError::new(Class::Failed, message)
    }

    /// Adds advice after the message, on the same line.
    pub fn with_hint(mut self, hint: &str) -> CliError {
        self.message = format!("{}; {hint}", self.message);
        self
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.class.exit_status())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Awaits a generated operation and returns its body, or the error as a [`CliError`].
pub async fn call<T, F>(operation: F) -> Result<T>
where
    F: Future<Output = std::result::Result<ResponseValue<T>, ApiError<ErrorResponse>>>,
{
    tspot_client::call(operation).await.map_err(CliError::from)
}

/// Reads a whole byte-stream body (a PDF, a token) into memory.
pub async fn read_all(stream: ByteStream) -> Result<Vec<u8>> {
    tspot_client::read_bytes(stream)
        .await
        .map_err(|e| CliError::from(Failure::from_transport(e)))
}

impl From<Failure> for CliError {
    /// The client's error as one line: ThoughtSpot's message, code and status, or the hint the
    /// client found (http/https mismatch, a host that is not ThoughtSpot).
    fn from(error: Failure) -> CliError {
        let class = match &error {
            Failure::Api { status, .. } => Class::of_status(*status),
            Failure::NotThoughtSpot { .. } => Class::Server,
            Failure::Transport { .. } => Class::Connection,
            Failure::NotFound { .. } => Class::NotFound,
            Failure::Ambiguous { .. } => Class::BadRequest,
            Failure::InvalidRequest(_) => Class::Usage,
            _ => Class::Failed,
        };
        CliError::new(class, error.to_string())
    }
}

/// A clap usage error (rendered over several lines: message, usage, tips) as one line.
pub fn usage_line(rendered: &str) -> String {
    let mut parts = Vec::new();
    for paragraph in rendered.split("\n\n") {
        let text = paragraph
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() || text.starts_with("For more information") {
            continue;
        }
        let text = text.strip_prefix("error: ").unwrap_or(&text);
        let text = match text.strip_prefix("Usage: ") {
            Some(usage) => format!("usage: {usage}"),
            None => text.to_string(),
        };
        parts.push(text);
    }
    parts.join("; ")
}

/// Keeps an error on one line: TML messages carry `<br/>`, some carry newlines.
fn one_line(text: &str) -> String {
    let text = text
        .replace("<br/>", "; ")
        .replace("<br>", "; ")
        .replace("\r\n", " ")
        .replace(['\n', '\r'], " ");
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_stay_on_one_line() {
        let error = CliError::failed("first<br/>second\nthird");
        assert_eq!(error.message, "first; second third");
    }

    #[test]
    fn usage_errors_become_one_line() {
        let rendered = "error: the following required arguments were not provided:\n  <FILE>\n\n\
                        Usage: tspot users sync <FILE>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            usage_line(rendered),
            "the following required arguments were not provided: <FILE>; usage: tspot users sync <FILE>"
        );
    }

    #[test]
    fn statuses_map_to_classes() {
        assert_eq!(Class::of_status(400), Class::BadRequest);
        assert_eq!(Class::of_status(401), Class::NotSignedIn);
        assert_eq!(Class::of_status(403), Class::Forbidden);
        assert_eq!(Class::of_status(404), Class::NotFound);
        assert_eq!(Class::of_status(415), Class::BadRequest);
        assert_eq!(Class::of_status(500), Class::Server);
        assert_eq!(Class::of_status(503), Class::Server);
    }
}
