//! What an implementation learns about the caller besides the operation's inputs.

use std::net::SocketAddr;

use http::HeaderMap;
use http::request::Parts;

use crate::wire::ApiError;

/// The cookie that carries the ThoughtSpot session.
pub const SESSION_COOKIE: &str = "JSESSIONID";

/// The request context handed to every trait method.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// The `JSESSIONID` cookie, when the caller sent one.
    pub session_id: Option<String>,
    /// An `Authorization: Bearer` token, which the Python library can send instead of a cookie.
    pub bearer_token: Option<String>,
    /// The peer address, when the server was started with connect info.
    pub remote_addr: Option<SocketAddr>,
    /// Whether the caller reached us over HTTPS (directly or through a proxy that says so);
    /// session cookies are marked `Secure` only then.
    pub secure: bool,
    /// All request headers, for anything else an implementation needs.
    pub headers: HeaderMap,
    /// What `ApiHooks::authenticate` resolved (the caller, say), for the operation.
    pub extensions: http::Extensions,
}

impl RequestContext {
    pub fn from_parts(parts: &Parts) -> RequestContext {
        let headers = &parts.headers;
        let session_id = session_cookie(headers);
        let bearer_token = bearer_token(headers);
        let remote_addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|info| info.0);
        let secure = parts.uri.scheme_str() == Some("https")
            || headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        RequestContext {
            session_id,
            bearer_token,
            remote_addr,
            secure,
            headers: headers.clone(),
            extensions: http::Extensions::new(),
        }
    }
}

/// The non-empty `JSESSIONID` cookie of a request.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// The token of an `Authorization: Bearer` header (the spec's `bearer` scheme, which the Python
/// library's `bearer_token` sends); the scheme name is case-insensitive (RFC 9110, 11.1).
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// An operation that needs a session answers 401 when the request carries no session at all
/// (neither a `JSESSIONID` cookie nor a bearer token); whether a session is valid is the
/// implementation's business.
pub fn require_session_credentials(headers: &HeaderMap) -> Result<(), ApiError> {
    if session_cookie(headers).is_some() || bearer_token(headers).is_some() {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "Not signed in: call session/login and send its JSESSIONID cookie",
        ))
    }
}

/// A header the operation requires, such as the CSRF guard `X-Requested-By` ThoughtSpot wants on
/// every POST; any non-blank value passes. `hint` is the value to suggest in the error.
pub fn require_header(headers: &HeaderMap, name: &str, hint: &str) -> Result<(), ApiError> {
    let present = headers
        .get(name)
        .is_some_and(|value| !value.as_bytes().iter().all(u8::is_ascii_whitespace));
    if present {
        Ok(())
    } else if hint.is_empty() {
        Err(ApiError::bad_request(format!(
            "Missing required header '{name}'"
        )))
    } else {
        Err(ApiError::bad_request(format!(
            "Missing required header '{name}' (send {name}: {hint})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: http::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, value.parse().unwrap());
        headers
    }

    #[test]
    fn bearer_tokens_and_session_cookies_are_session_credentials() {
        let auth = |v: &str| bearer_token(&with(http::header::AUTHORIZATION, v));
        assert_eq!(auth("Bearer abc").as_deref(), Some("abc"));
        assert_eq!(auth("bearer  abc ").as_deref(), Some("abc"));
        assert_eq!(auth("Bearer "), None);
        assert_eq!(auth("Basic dXNlcjpwdw=="), None);
        assert_eq!(auth("Bearer"), None);
        let cookie = with(http::header::COOKIE, "a=1; JSESSIONID=s1");
        assert_eq!(session_cookie(&cookie).as_deref(), Some("s1"));
        assert!(require_session_credentials(&cookie).is_ok());
        assert!(
            require_session_credentials(&with(http::header::AUTHORIZATION, "Bearer t")).is_ok()
        );
        let refused = require_session_credentials(&HeaderMap::new()).unwrap_err();
        assert_eq!(refused.status(), http::StatusCode::UNAUTHORIZED);
    }
}
