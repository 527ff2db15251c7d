//! Clients of the generated `tspot-client` crate, configured as ThoughtSpot expects
//! (`X-Requested-By`, a timeout) and carrying a profile's session cookie.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::Url;
use reqwest::cookie::{CookieStore, Jar};
use tspot_client::{Client, DEFAULT_TIMEOUT};

use crate::errors::{Class, CliError, Result};
use crate::profile::{Profile, Profiles};

/// The session cookie ThoughtSpot sets at sign-in.
pub const SESSION_COOKIE: &str = "JSESSIONID";

/// A server URL as given (`https://my.thoughtspot.cloud`, also with `/callosum/v1` or a trailing
/// `/`), reduced to scheme, host, port and any path prefix before `/callosum`.
pub fn parse_server_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let url = Url::parse(trimmed).map_err(|e| {
        if !trimmed.contains("://") {
            format!("'{trimmed}' is not a URL: start it with https:// or http://")
        } else {
            format!("'{trimmed}' is not a URL: {e}")
        }
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{trimmed}' is not an http:// or https:// URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("'{trimmed}' names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{trimmed}': a server URL has no query or fragment"
        ));
    }
    let mut path = url.path().trim_end_matches('/').to_string();
    for suffix in ["/callosum/v1/tspublic/v1", "/callosum/v1", "/callosum"] {
        if let Some(prefix) = path.strip_suffix(suffix) {
            path = prefix.to_string();
            break;
        }
    }
    let mut base = url.clone();
    base.set_path(&path);
    Ok(base.as_str().trim_end_matches('/').to_string())
}

/// `--timeout`, set once before the first request.
static TIMEOUT: OnceLock<Duration> = OnceLock::new();

/// Sets how long each request may take (`--timeout`); the first call wins.
pub fn set_timeout(timeout: Duration) {
    let _ = TIMEOUT.set(timeout);
}

/// A generated client for `server` whose cookies live in `jar`.
pub fn client_with_jar(server: &str, jar: Arc<Jar>) -> Result<Client> {
    client_with(
        server,
        jar,
        TIMEOUT.get().copied().unwrap_or(DEFAULT_TIMEOUT),
    )
}

fn client_with(server: &str, jar: Arc<Jar>, timeout: Duration) -> Result<Client> {
    let http = tspot_client::http_builder(timeout)
        .cookie_provider(jar)
        .user_agent(concat!("tspot/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CliError::failed(format!("cannot set up HTTP: {e}")))?;
    Ok(Client::for_server_with_http(server, http))
}

/// A client without a session (sign-in, trusted-authentication tokens).
pub fn anonymous(server: &str) -> Result<(Client, Arc<Jar>)> {
    let jar = Arc::new(Jar::default());
    Ok((client_with_jar(server, jar.clone())?, jar))
}

/// The `JSESSIONID` the server set in `jar`, if it did.
pub fn session_cookie(jar: &Jar, server: &str) -> Option<String> {
    let url = Url::parse(&format!("{server}/callosum/v1/tspublic/v1/")).ok()?;
    let header = jar.cookies(&url)?;
    header.to_str().ok()?.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// A signed-in client: the profile's server and session.
pub struct Session {
    pub client: Client,
    pub profile: Profile,
    pub name: String,
}

impl Session {
    /// The session of the profile `name`, or a not-signed-in error.
    pub fn open(name: &str) -> Result<Session> {
        let profiles = Profiles::open()?;
        let profile = profiles
            .load(name)?
            .filter(Profile::signed_in)
            .ok_or_else(|| not_signed_in(name))?;
        let client = session_client(&profile)?;
        Ok(Session {
            client,
            profile,
            name: name.to_string(),
        })
    }
}

/// A client that sends the profile's session cookie.
pub fn session_client(profile: &Profile) -> Result<Client> {
    let url = Url::parse(&profile.url).map_err(|e| {
        CliError::failed(format!(
            "the profile's server URL '{}' is not a URL ({e}); sign in again with `tspot login`",
            profile.url
        ))
    })?;
    let jar = Arc::new(Jar::default());
    jar.add_cookie_str(
        &format!("{SESSION_COOKIE}={}; Path=/", profile.jsessionid),
        &url,
    );
    client_with_jar(&profile.url, jar)
}

/// The error of a command that needs a session when the profile has none.
pub fn not_signed_in(profile: &str) -> CliError {
    CliError::new(
        Class::NotSignedIn,
        format!(
            "not signed in (profile '{profile}'); sign in with `{}`",
            login_command(profile)
        ),
    )
}

/// The advice added to a 401 answer: the session expired, ended or was never accepted.
pub fn sign_in_again(error: CliError, profile: &str) -> CliError {
    if error.class == Class::NotSignedIn {
        let hint = format!("run `{}`", login_command(profile));
        error.with_hint(&hint)
    } else {
        error
    }
}

pub fn login_command(profile: &str) -> String {
    if profile == crate::profile::DEFAULT_PROFILE {
        "tspot login".to_string()
    } else {
        format!("tspot login --profile {profile}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_normalised() {
        let ok = |t: &str| parse_server_url(t).unwrap();
        assert_eq!(ok("https://ts.example.com"), "https://ts.example.com");
        assert_eq!(ok("https://ts.example.com/"), "https://ts.example.com");
        assert_eq!(
            ok("http://127.0.0.1:8088/callosum/v1/"),
            "http://127.0.0.1:8088"
        );
        assert_eq!(
            ok("https://ts.example.com/prefix/callosum/v1/tspublic/v1"),
            "https://ts.example.com/prefix"
        );
        assert!(parse_server_url("127.0.0.1:8088").is_err());
        assert!(parse_server_url("ftp://x").is_err());
        assert!(parse_server_url("https://x/?a=b").is_err());
    }

    #[test]
    fn the_stored_cookie_is_sent_to_the_server() {
        let profile = Profile {
            url: "http://127.0.0.1:8088".into(),
            username: "u".into(),
            jsessionid: "abc".into(),
            signed_in_at: String::new(),
        };
        let jar = Jar::default();
        let url = Url::parse(&profile.url).unwrap();
        jar.add_cookie_str(&format!("JSESSIONID={}; Path=/", profile.jsessionid), &url);
        assert_eq!(session_cookie(&jar, &profile.url).as_deref(), Some("abc"));
    }
}
