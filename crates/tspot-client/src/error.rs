//! [`ApiError`]: what went wrong with a call, in ThoughtSpot's words.
//!
//! The generated operations return progenitor's [`Error`], whose Display prints every response
//! header and leaves ThoughtSpot's message as JSON inside a string. [`call`] (or
//! [`ApiError::from_error`]) turns it into an error whose Display is the server's message and
//! code, with the HTTP status and the incident id at hand, and with a hint for the usual set-up
//! mistakes (`https://` to a plain-HTTP server, a URL that is not a ThoughtSpot server).

#![warn(missing_docs)]

use std::fmt;

use crate::generated::{Error, ResponseValue, types::ErrorResponse};

/// A failed call to ThoughtSpot.
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// The server refused or failed the request and said why (a ThoughtSpot error body).
    Api {
        /// The HTTP status (400, 401, 403, 404, 500, ...).
        status: u16,
        /// Callosum's error code: 10000 internal, 10002 bad request, 10003 authentication or
        /// authorization, 10004 no such object.
        code: i32,
        /// The messages of the body's `debug` field, joined with `; `.
        message: String,
        /// The id to quote to the server's administrator (`incident_id_guid`).
        incident_id: String,
    },
    /// The server answered, but not as ThoughtSpot's REST API v1 does (an HTML page, a bare
    /// status such as 501, a body of another shape): the URL is probably not a ThoughtSpot server.
    NotThoughtSpot {
        /// The server (scheme, host and port), when known.
        server: Option<String>,
        /// The HTTP status, when the answer had one worth naming.
        status: Option<u16>,
        /// What was wrong with the answer.
        detail: String,
    },
    /// The server could not be reached, did not answer in time, or the connection broke.
    Transport {
        /// One line: which server and the innermost reason.
        message: String,
        /// Advice for a known cause (`https://` to a plain-HTTP server), if any.
        hint: Option<String>,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// A name given to [`Client::resolve`](crate::Client::resolve) matches no object.
    NotFound {
        /// What was looked for, e.g. "Liveboard".
        kind: String,
        /// The name as given.
        name: String,
        /// Names of existing objects that are spelled alike, closest first.
        suggestions: Vec<String>,
    },
    /// A name given to [`Client::resolve`](crate::Client::resolve) matches several objects.
    Ambiguous {
        /// What was looked for, e.g. "Liveboard".
        kind: String,
        /// The name as given.
        name: String,
        /// The matching objects, each `GUID` or `GUID (SUBTYPE)`.
        candidates: Vec<String>,
    },
    /// The request could not be built (a parameter failed to convert).
    InvalidRequest(String),
}

impl ApiError {
    /// Reads a progenitor error (awaiting the body of an undeclared answer) into an [`ApiError`].
    pub async fn from_error(error: Error<ErrorResponse>) -> ApiError {
        match error {
            Error::ErrorResponse(response) => from_body(response),
            Error::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let server = origin(response.url());
                let body = response.text().await.unwrap_or_default();
                unexpected(status, &server, &body)
            }
            Error::CommunicationError(e)
            | Error::InvalidUpgrade(e)
            | Error::ResponseBodyError(e) => ApiError::from_transport(e),
            Error::InvalidResponsePayload(_, e) => ApiError::NotThoughtSpot {
                server: None,
                status: None,
                detail: format!("its answer is not what the ThoughtSpot v1 API describes: {e}"),
            },
            Error::InvalidRequest(message) | Error::Custom(message) => {
                ApiError::InvalidRequest(message)
            }
        }
    }

    /// Names the reason of a [`reqwest::Error`] (a byte-stream body that broke, a failed
    /// connection) the way [`ApiError::Transport`] does.
    pub fn from_transport(error: reqwest::Error) -> ApiError {
        let server = error
            .url()
            .map(origin)
            .unwrap_or_else(|| "the server".to_string());
        let mut reasons: Vec<String> = Vec::new();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !reasons.iter().any(|r| r.contains(&text)) {
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
        let tls_to_plain = reasons.iter().any(|r| {
            r.contains("InvalidContentType")
                || r.contains("corrupt message")
                || r.contains("wrong version number")
        });
        if server.starts_with("https://") && tls_to_plain {
            return ApiError::Transport {
                message: format!("{server} answers plain HTTP, not HTTPS"),
                hint: Some(format!("use {}", server.replacen("https://", "http://", 1))),
                source: error,
            };
        }
        ApiError::Transport {
            message,
            hint: None,
            source: error,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Api { status, .. } => Some(*status),
            ApiError::NotThoughtSpot { status, .. } => *status,
            _ => None,
        }
    }

    /// ThoughtSpot's error code (10002 and so on), when the server sent an error body.
    pub fn code(&self) -> Option<i32> {
        match self {
            ApiError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The incident id of a ThoughtSpot error body.
    pub fn incident_id(&self) -> Option<&str> {
        match self {
            ApiError::Api { incident_id, .. } if !incident_id.is_empty() => Some(incident_id),
            _ => None,
        }
    }

    /// The server's message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The session is missing, ended or was refused (HTTP 401): sign in again.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Api {
                status,
                code,
                message,
                ..
            } => write!(f, "{message} (error {code}, HTTP {status})"),
            ApiError::NotThoughtSpot {
                server,
                status,
                detail,
            } => {
                let server = server.as_deref().unwrap_or("the server");
                write!(
                    f,
                    "{server} does not speak ThoughtSpot's REST API v1: {detail}"
                )?;
                if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                write!(f, "; check the URL")
            }
            ApiError::Transport { message, hint, .. } => match hint {
                Some(hint) => write!(f, "{message}; {hint}"),
                None => f.write_str(message),
            },
            ApiError::NotFound {
                kind,
                name,
                suggestions,
            } => {
                write!(f, "no {kind} is named '{name}'")?;
                if !suggestions.is_empty() {
                    let quoted: Vec<String> =
                        suggestions.iter().map(|s| format!("'{s}'")).collect();
                    write!(f, "; did you mean {}?", quoted.join(" or "))?;
                }
                Ok(())
            }
            ApiError::Ambiguous {
                kind,
                name,
                candidates,
            } => write!(
                f,
                "'{name}' names {} objects of type {kind}: {}; give the GUID instead",
                candidates.len(),
                candidates.join(", ")
            ),
            ApiError::InvalidRequest(message) => write!(f, "cannot build the request: {message}"),
        }
    }
}

impl std::error::Error for ApiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Awaits a generated operation (`builder.send()`) and returns its body, or an [`ApiError`].
///
/// ```no_run
/// use tspot_client::{call, prelude::*};
/// # async fn demo(client: &tspot_client::Client) -> Result<(), tspot_client::ApiError> {
/// let users = call(client.user_list().send()).await?;
/// # Ok(()) }
/// ```
pub async fn call<T, F>(operation: F) -> Result<T, ApiError>
where
    F: Future<Output = Result<ResponseValue<T>, Error<ErrorResponse>>>,
{
    match operation.await {
        Ok(value) => Ok(value.into_inner()),
        Err(error) => Err(ApiError::from_error(error).await),
    }
}

fn from_body(response: ResponseValue<ErrorResponse>) -> ApiError {
    let status = response.status().as_u16();
    let body = response.into_inner();
    let messages = debug_messages(&body.debug);
    let message = if messages.is_empty() {
        format!("the server answered error code {}", body.code)
    } else {
        messages.join("; ")
    };
    ApiError::Api {
        status,
        code: body.code,
        message,
        incident_id: body.incident_id_guid,
    }
}

/// `scheme://host:port` of a URL (never its path or query, which may carry names or a query).
fn origin(url: &reqwest::Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_path("");
    url.to_string().trim_end_matches('/').to_string()
}

/// An answer with a status the operation does not declare: a ThoughtSpot error body all the
/// same, or a server that is not ThoughtSpot.
fn unexpected(status: u16, server: &str, body: &str) -> ApiError {
    if let Ok(error) = serde_json::from_str::<ErrorResponse>(body) {
        let messages = debug_messages(&error.debug);
        return ApiError::Api {
            status,
            code: error.code,
            message: if messages.is_empty() {
                format!("the server answered error code {}", error.code)
            } else {
                messages.join("; ")
            },
            incident_id: error.incident_id_guid,
        };
    }
    let plain_to_tls = server.starts_with("http://") && body.to_ascii_lowercase().contains("https");
    let detail = if plain_to_tls {
        "it expects HTTPS; use https:// in the URL".to_string()
    } else if (200..400).contains(&status) {
        "its answer has a status this operation does not have".to_string()
    } else {
        "its answer has no ThoughtSpot error body".to_string()
    };
    ApiError::NotThoughtSpot {
        server: Some(server.to_string()),
        status: Some(status),
        detail,
    }
}

/// The messages of a ThoughtSpot error body's `debug` field: a string holding a JSON array of
/// messages. A product message (`Error Code: ... Incident Id: ...\nError Message: text`) is
/// reduced to its text.
pub fn debug_messages(debug: &str) -> Vec<String> {
    let debug = debug.trim();
    if debug.is_empty() {
        return Vec::new();
    }
    let items = match serde_json::from_str::<serde_json::Value>(debug) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect(),
        Ok(serde_json::Value::String(text)) => vec![text],
        _ => vec![debug.to_string()],
    };
    items
        .into_iter()
        .map(|text| match text.split_once("Error Message:") {
            Some((_, message)) => message.trim().to_string(),
            None => text.trim().to_string(),
        })
        .filter(|text| !text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_messages_are_reduced_to_their_text() {
        let debug = r#"["Error Code: INVALID_ARGUMENT Incident Id: 7d0c\nError Message: Invalid parameter values userName"]"#;
        assert_eq!(debug_messages(debug), ["Invalid parameter values userName"]);
        assert_eq!(debug_messages(r#"["a", "", "b"]"#), ["a", "b"]);
        assert_eq!(debug_messages("plain text"), ["plain text"]);
        assert!(debug_messages("  ").is_empty());
    }

    #[test]
    fn undeclared_answers_are_read() {
        let body = r#"{"code":10003,"incident_id_guid":"i","trace_id_guid":"t","debug":"[\"No session\"]"}"#;
        let error = unexpected(401, "http://ts", body);
        assert_eq!(error.to_string(), "No session (error 10003, HTTP 401)");
        assert_eq!(error.incident_id(), Some("i"));
        assert!(error.is_unauthorized());
        let error = unexpected(501, "http://ts", "");
        assert_eq!(
            error.to_string(),
            "http://ts does not speak ThoughtSpot's REST API v1: its answer has no ThoughtSpot error body (HTTP 501); check the URL"
        );
        let error = unexpected(
            400,
            "http://ts",
            "Client sent an HTTP request to an HTTPS server.",
        );
        assert!(error.to_string().contains("use https://"), "{error}");
    }

    #[test]
    fn name_errors_read_as_sentences() {
        let error = ApiError::NotFound {
            kind: "Liveboard".into(),
            name: "Sales Overveiw".into(),
            suggestions: vec!["Sales Overview".into()],
        };
        assert_eq!(
            error.to_string(),
            "no Liveboard is named 'Sales Overveiw'; did you mean 'Sales Overview'?"
        );
    }
}
