//! A client configured the way ThoughtSpot expects, and logging in.

#![warn(missing_docs)]

use std::time::Duration;

use crate::generated::{Client, ClientSessionExt, Error, types};

/// ThoughtSpot refuses POSTs without `X-Requested-By` (a CSRF guard); this is the value its own
/// clients send.
pub const REQUESTED_BY: &str = "ThoughtSpot";

/// Long enough for a PDF export of a large Liveboard, short enough to notice a dead server.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// An HTTP client builder set up as ThoughtSpot expects: `X-Requested-By: ThoughtSpot` on every
/// request, a connect timeout and an overall `timeout`. Add a cookie store or provider, then build.
pub fn http_builder(timeout: Duration) -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "X-Requested-By",
        reqwest::header::HeaderValue::from_static(REQUESTED_BY),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(Duration::from_secs(15))
        .timeout(timeout)
}

impl Client {
    /// A client for a ThoughtSpot server such as `https://my.thoughtspot.cloud` (or a tspot
    /// reference server): requests go to `<server>/callosum/v1/tspublic/v1/...`, carry
    /// `X-Requested-By: ThoughtSpot`, and keep the session cookie that `session/login` sets.
    pub fn for_server(server_url: &str) -> Result<Client, reqwest::Error> {
        Client::for_server_with_timeout(server_url, DEFAULT_TIMEOUT)
    }

    /// Like [`Client::for_server`], with another overall timeout per request than
    /// [`DEFAULT_TIMEOUT`] (a long PDF export, a quick health check).
    pub fn for_server_with_timeout(
        server_url: &str,
        timeout: Duration,
    ) -> Result<Client, reqwest::Error> {
        let http = http_builder(timeout).cookie_store(true).build()?;
        Ok(Client::for_server_with_http(server_url, http))
    }

    /// A client for a ThoughtSpot server over an HTTP client of your own, e.g. one from
    /// [`http_builder`] with a cookie jar that already holds a session.
    pub fn for_server_with_http(server_url: &str, http: reqwest::Client) -> Client {
        let base = format!("{}/callosum/v1", server_url.trim_end_matches('/'));
        Client::new_with_client(&base, http)
    }

    /// Signs in with a user name and password (`session/login`); the session cookie is kept
    /// for later calls. Wrong credentials are answered 401; [`ApiError::from_error`](crate::ApiError::from_error)
    /// turns the error into ThoughtSpot's message.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<(), Error<types::ErrorResponse>> {
        self.session_login()
            .body(
                types::SessionLoginForm::builder()
                    .username(username)
                    .password(password),
            )
            .send()
            .await
            .map(|_| ())
    }
}
