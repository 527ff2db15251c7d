//! Every request and its answer as [`tracing`] events under the target `tspot_client::http`,
//! for whoever subscribes (the `tspot` CLI's `-v` and `-vv`); without a subscriber that enables
//! the target, nothing is formatted and no body is buffered.
//!
//! - `DEBUG`: one line per request (method, path and query) and one per answer (status, time).
//! - `TRACE`: also the request's form body and the answer's headers and body (text up to
//!   [`BODY_LIMIT`] bytes; binary bodies by size and type).
//!
//! Secrets never appear: the values of passwords, secrets, tokens and session cookies are
//! replaced by `[redacted]`, in query strings, form bodies and headers alike.

use std::time::Instant;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::ResponseBuilderExt;

use crate::Client;

/// The `tracing` target of the events.
pub const TARGET: &str = "tspot_client::http";
/// The most body text a `TRACE` event shows.
pub const BODY_LIMIT: usize = 4096;
const REDACTED: &str = "[redacted]";

/// Field and header names whose values are secret (compared case-insensitively, by substring).
const SECRET_NAMES: [&str; 6] = [
    "password",
    "secret",
    "token",
    "cookie",
    "authorization",
    "jsessionid",
];

fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|secret| name.contains(secret))
}

/// `key=value&...` with the values of secret keys replaced.
pub fn redact_form(encoded: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(encoded.as_bytes()) {
        let value = if is_secret(&key) {
            REDACTED.into()
        } else {
            value
        };
        out.append_pair(&key, &value);
    }
    out.finish()
}

fn target_of(url: &reqwest::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{}", url.path(), redact_form(query)),
        None => url.path().to_string(),
    }
}

fn headers_text(headers: &http::HeaderMap) -> String {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if is_secret(name.as_str()) {
                REDACTED
            } else {
                value.to_str().unwrap_or("[not text]")
            };
            format!("{name}: {value}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A body as a person reads it: form fields redacted, JSON and text as sent (cut at
/// [`BODY_LIMIT`]), anything else by size and type.
fn body_text(content_type: Option<&str>, bytes: &[u8]) -> String {
    let content_type = content_type.unwrap_or("");
    if bytes.is_empty() {
        return "(empty body)".into();
    }
    let textual = content_type.starts_with("text/")
        || content_type.contains("json")
        || content_type.contains("x-www-form-urlencoded")
        || content_type.contains("yaml");
    match std::str::from_utf8(bytes) {
        Ok(text) if textual => {
            let text = if content_type.contains("x-www-form-urlencoded") {
                redact_form(text)
            } else {
                text.to_string()
            };
            if text.len() > BODY_LIMIT {
                let mut end = BODY_LIMIT;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}... ({} bytes in all)", &text[..end], bytes.len())
            } else {
                text
            }
        }
        _ => format!("({} bytes of {content_type})", bytes.len()),
    }
}

fn content_type(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Sends `request` through the client's HTTP stack, telling the `tspot_client::http` target.
pub(crate) async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
    operation: &str,
) -> reqwest::Result<reqwest::Response> {
    if !tracing::enabled!(target: TARGET, tracing::Level::DEBUG) {
        return http.execute(request).await;
    }
    let bodies = tracing::enabled!(target: TARGET, tracing::Level::TRACE);
    let method = request.method().clone();
    let target = target_of(request.url());
    tracing::debug!(target: TARGET, "> {method} {target} ({operation})");
    if bodies {
        let body = match request.body().and_then(reqwest::Body::as_bytes) {
            Some(bytes) => body_text(content_type(request.headers()), bytes),
            None if request.body().is_some() => "(a streamed body: multipart form)".into(),
            None => "(no body)".into(),
        };
        tracing::trace!(target: TARGET, "> {}\n{body}", headers_text(request.headers()));
    }
    let started = Instant::now();
    let response = http.execute(request).await;
    let elapsed = started.elapsed().as_millis();
    let response = match response {
        Ok(response) => response,
        Err(error) => {
            tracing::debug!(target: TARGET, "< {method} {target} failed after {elapsed} ms: {error}");
            return Err(error);
        }
    };
    tracing::debug!(target: TARGET, "< {} in {elapsed} ms", response.status());
    if !bodies {
        return Ok(response);
    }
    // Reading the body to show it means handing the caller a copy built from the same parts.
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    tracing::trace!(
        target: TARGET,
        "< {}\n{}",
        headers_text(&headers),
        body_text(content_type(&headers), &bytes)
    );
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url);
    if let Some(all) = rebuilt.headers_mut() {
        *all = headers;
    }
    Ok(rebuilt
        .body(bytes)
        .map(reqwest::Response::from)
        .expect("parts taken from a valid response"))
}

/// Takes precedence over the generated no-op hooks (progenitor's `impl ClientHooks for &Client`).
impl ClientHooks<()> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        execute(self.client(), request, info.operation_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_forms_and_queries() {
        assert_eq!(
            redact_form("username=tsadmin&password=admin&rememberme=true"),
            "username=tsadmin&password=%5Bredacted%5D&rememberme=true"
        );
        assert_eq!(
            redact_form("secret_key=abc&currentpassword=x&newPassword=y&auth_token=z"),
            "secret_key=%5Bredacted%5D&currentpassword=%5Bredacted%5D&newPassword=%5Bredacted%5D&auth_token=%5Bredacted%5D"
        );
        let url = reqwest::Url::parse(
            "http://h/callosum/v1/tspublic/v1/session/login/token?auth_token=t&username=u",
        )
        .unwrap();
        assert_eq!(
            target_of(&url),
            "/callosum/v1/tspublic/v1/session/login/token?auth_token=%5Bredacted%5D&username=u"
        );
    }

    #[test]
    fn headers_hide_cookies_and_authorization() {
        let mut headers = http::HeaderMap::new();
        headers.insert("set-cookie", "JSESSIONID=abc; Path=/".parse().unwrap());
        headers.insert("authorization", "Bearer abc".parse().unwrap());
        headers.insert("content-type", "application/json".parse().unwrap());
        let text = headers_text(&headers);
        assert!(!text.contains("abc"), "{text}");
        assert!(text.contains("content-type: application/json"), "{text}");
    }

    #[test]
    fn bodies_show_text_cut_and_binary_by_size() {
        assert_eq!(
            body_text(Some("application/json"), b"{\"a\":1}"),
            "{\"a\":1}"
        );
        assert_eq!(
            body_text(Some("application/pdf"), b"%PDF-1.7 ..."),
            "(12 bytes of application/pdf)"
        );
        let long = "x".repeat(BODY_LIMIT + 10);
        let shown = body_text(Some("text/plain"), long.as_bytes());
        assert!(
            shown.ends_with(&format!("({} bytes in all)", BODY_LIMIT + 10)),
            "{shown}"
        );
        assert_eq!(
            body_text(Some("application/x-www-form-urlencoded"), b"password=p&x=1"),
            "password=%5Bredacted%5D&x=1"
        );
    }
}
