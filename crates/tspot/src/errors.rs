//! Errors of the client commands: one line for people, one exit status per class of problem.
//!
//! A ThoughtSpot error body carries its messages in `debug`, a string holding a JSON array; the
//! line shown is those messages, joined, with the HTTP status.

use std::fmt;
use std::process::ExitCode;

use tspot_client::{ByteStream, Error as ApiError, ResponseValue, types::ErrorResponse};

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
    match operation.await {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(api_error(error).await),
    }
}

/// Reads a whole byte-stream body (a PDF, a token) into memory.
pub async fn read_all(stream: ByteStream) -> Result<Vec<u8>> {
    tspot_client::read_bytes(stream)
        .await
        .map_err(|e| transport_error(&e))
}

/// Turns any error of the generated client into one line and a class.
pub async fn api_error(error: ApiError<ErrorResponse>) -> CliError {
    match error {
        ApiError::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let body = response.into_inner();
            let messages = debug_messages(&body.debug);
            let text = if messages.is_empty() {
                format!("the server answered code {}", body.code)
            } else {
                messages.join("; ")
            };
            CliError::new(Class::of_status(status), format!("{text} (HTTP {status})"))
        }
        ApiError::UnexpectedResponse(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            let class = if status.is_success() || status.is_redirection() {
                Class::Server
            } else {
                Class::of_status(status.as_u16())
            };
            let text = error_text_of_body(&body).unwrap_or_else(|| {
                format!(
                    "the server answered {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
                .trim_end()
                .to_string()
            });
            CliError::new(class, format!("{text} (HTTP {})", status.as_u16()))
        }
        ApiError::CommunicationError(e) | ApiError::InvalidUpgrade(e) => transport_error(&e),
        ApiError::ResponseBodyError(e) => transport_error(&e),
        ApiError::InvalidResponsePayload(_, e) => CliError::new(
            Class::Server,
            format!("the server's answer is not what the ThoughtSpot v1 API describes: {e}"),
        ),
        ApiError::InvalidRequest(message) => {
            CliError::failed(format!("cannot build the request: {message}"))
        }
        ApiError::Custom(message) => CliError::failed(message),
    }
}

/// The messages of a ThoughtSpot error body's `debug` field: a string holding a JSON array of
/// messages (sometimes of objects, sometimes plain text).
/// The message of one `debug` entry: Callosum writes "Error Code: NAME Incident Id: ID" on a
/// first line and "Error Message: TEXT" after it; other entries are the message already.
fn error_message_of(entry: &str) -> &str {
    match entry.split_once("Error Message: ") {
        Some((head, message)) if head.trim_start().starts_with("Error Code:") => message,
        _ => entry,
    }
}

pub fn debug_messages(debug: &str) -> Vec<String> {
    let debug = debug.trim();
    if debug.is_empty() {
        return Vec::new();
    }
    match serde_json::from_str::<serde_json::Value>(debug) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(text) => error_message_of(text).to_string(),
                other => other.to_string(),
            })
            .filter(|text| !text.trim().is_empty())
            .collect(),
        Ok(serde_json::Value::String(text)) => vec![error_message_of(&text).to_string()],
        _ => vec![debug.to_string()],
    }
}

/// The message in an error body that was not declared for the status: a ThoughtSpot error body,
/// or the start of a short text.
fn error_text_of_body(body: &str) -> Option<String> {
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        if let Some(debug) = value.get("debug").and_then(|d| d.as_str()) {
            let messages = debug_messages(debug);
            if !messages.is_empty() {
                return Some(messages.join("; "));
            }
        }
        for key in ["message", "error"] {
            if let Some(text) = value.get(key).and_then(|m| m.as_str()) {
                return Some(text.to_string());
            }
        }
        return None;
    }
    let text = body.trim();
    if text.is_empty() || text.starts_with('<') {
        return None;
    }
    Some(text.chars().take(200).collect())
}

/// A connection problem: which server, and the innermost reason (never the query string, which
/// may carry names or a query).
pub fn transport_error(error: &reqwest::Error) -> CliError {
    let server = error
        .url()
        .map(|url| {
            let mut url = url.clone();
            url.set_query(None);
            url.set_path("");
            url.to_string().trim_end_matches('/').to_string()
        })
        .unwrap_or_else(|| "the server".to_string());
    let mut reasons = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !reasons.iter().any(|r: &String| r.contains(&text)) {
            reasons.push(text);
        }
        source = cause.source();
    }
    let reason = reasons.last().cloned().unwrap_or_else(|| error.to_string());
    let message = if error.is_timeout() {
        format!("{server} did not answer in time ({reason})")
    } else if error.is_connect() {
        format!("cannot connect to {server}: {reason}")
    } else if error.is_body() || error.is_decode() {
        format!("the connection to {server} broke while reading the answer: {reason}")
    } else {
        format!("cannot talk to {server}: {reason}")
    };
    CliError::new(Class::Connection, message)
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
    fn debug_is_a_json_array_in_a_string() {
        assert_eq!(
            debug_messages(r#"["Missing parameter: username"]"#),
            ["Missing parameter: username"]
        );
        assert_eq!(debug_messages(r#"["a", "b"]"#), ["a", "b"]);
        assert_eq!(
            debug_messages(
                r#"["Error Code: INVALID_ARGUMENT Incident Id: 7d0c\nError Message: Invalid parameter values userName"]"#
            ),
            ["Invalid parameter values userName"]
        );
        assert_eq!(debug_messages("plain text"), ["plain text"]);
        assert!(debug_messages("").is_empty());
        assert!(debug_messages("[]").is_empty());
    }

    #[test]
    fn bodies_that_were_not_declared_still_give_their_message() {
        assert_eq!(
            error_text_of_body(r#"{"code":10004,"debug":"[\"No such object\"]"}"#).as_deref(),
            Some("No such object")
        );
        assert_eq!(error_text_of_body("<html>busy</html>"), None);
        assert_eq!(error_text_of_body(" nope \n").as_deref(), Some("nope"));
    }

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
