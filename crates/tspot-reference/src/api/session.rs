//! The `session` operations: session/login, session/logout, and trusted authentication
//! (session/auth/token, session/login/token).

use tspot_server::*;

use crate::auth::{FULL_ACCESS, NewSession, REPORT_BOOK_VIEW};
use crate::store::{AutoUser, Kind, TrustedToken};
use crate::{Reference, clock, secrets};

/// The throttling subject of guesses at the trusted-authentication secret.
const SECRET_SUBJECT: &str = "<trusted-authentication secret>";

/// The one answer to a wrong user, a wrong password and a throttled attempt alike, so that
/// neither the status nor the body tells which.
fn bad_credentials() -> ApiError {
    ApiError::unauthorized("Invalid username or password")
}

impl SessionApi for Reference {
    async fn session_login(
        &self,
        ctx: RequestContext,
        input: SessionLoginInput,
    ) -> Result<SessionLoginResponse, ApiError> {
        let client = self.client_address(&ctx);
        let now = clock::now_ms();
        let (name, from) = (input.username.clone(), client.clone());
        let (blocked, credentials) = self
            .db(move |store| {
                Ok((
                    store.sign_in_blocked(&name, &from, now)?,
                    store.credentials(&name)?,
                ))
            })
            .await?;
        if blocked.is_some() {
            crate::refusals::warn(
                "sign-in refused: throttled after failures",
                &input.username,
                &client,
            );
            return Err(bad_credentials());
        }
        let hash = credentials.as_ref().and_then(|c| c.password_hash.clone());
        let password = input.password;
        // An unknown user (or one without a password) costs one verification too, so timing
        // does not tell who exists.
        let verified = self
            .hashing
            .run(move || match hash {
                Some(hash) => secrets::verify_password(&password, &hash),
                None => {
                    secrets::verify_against_nothing(&password);
                    false
                }
            })
            .await?;
        let Some(credentials) = credentials.filter(|_| verified) else {
            self.sign_in_failed(&input.username, &client).await?;
            crate::refusals::warn(
                "sign-in refused: wrong user name or password",
                &input.username,
                &client,
            );
            return Err(bad_credentials());
        };
        let (name, from) = (input.username.clone(), client.clone());
        self.db(move |store| store.clear_sign_in_failures(&name, &from))
            .await?;
        let cookie = self
            .open_session(
                &ctx,
                NewSession {
                    user_id: credentials.id.clone(),
                    remember: input.rememberme,
                    access_level: FULL_ACCESS.into(),
                    object_id: None,
                },
            )
            .await?;
        tracing::info!(user = %credentials.name, remember = input.rememberme, "signed in");
        Ok(SessionLoginResponse::NoContent {
            set_cookie: vec![cookie],
        })
    }

    async fn session_logout(
        &self,
        ctx: RequestContext,
        _: SessionLogoutInput,
    ) -> Result<(), ApiError> {
        let caller = self.caller(&ctx).await?;
        let token_hash = caller.session.token_hash.clone();
        self.sessions.remove(&token_hash);
        self.db(move |store| store.delete_session(&token_hash))
            .await?;
        tracing::info!(user = %caller.user_name, "signed out");
        Ok(())
    }

    async fn session_auth_token(
        &self,
        ctx: RequestContext,
        input: SessionAuthTokenInput,
    ) -> Result<String, ApiError> {
        let Some(secret) = &self.config.trusted_auth_secret else {
            // What ThoughtSpot answers when trusted authentication is not enabled.
            return Err(ApiError::new(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                10000,
                "Trusted authentication is not enabled on this server",
            ));
        };
        let client = self.client_address(&ctx);
        let from = client.clone();
        let now = clock::now_ms();
        let blocked = self
            .db(move |store| store.sign_in_blocked(SECRET_SUBJECT, &from, now))
            .await?;
        if blocked.is_some() || !secrets::constant_time_eq(&input.secret_key, secret) {
            if blocked.is_none() {
                self.sign_in_failed(SECRET_SUBJECT, &client).await?;
            }
            crate::refusals::warn(
                "trusted authentication refused: wrong or throttled secret key",
                &input.username,
                &client,
            );
            return Err(ApiError::unauthorized("Invalid secret key"));
        }
        let access_level = input.access_level.to_string();
        let object_id = input.id;
        if access_level == REPORT_BOOK_VIEW && object_id.is_none() {
            return Err(ApiError::bad_request(
                "Parameter 'id' is required when access_level is REPORT_BOOK_VIEW",
            ));
        }
        let user = if input.autocreate {
            let auto = AutoUser {
                name: input.username.clone(),
                display_name: input.display_name,
                mail: input.email,
                groups: input.groups.unwrap_or_default(),
            };
            if auto.groups.iter().any(|g| g.trim().is_empty()) {
                return Err(ApiError::bad_request(
                    "Group names in 'groups' must not be empty",
                ));
            }
            Some(
                self.db(move |store| store.ensure_user(&auto, clock::now_ms()))
                    .await?,
            )
        } else {
            let name = input.username.clone();
            self.db(move |store| store.principal(Kind::User, &name))
                .await?
        };
        let Some(user) = user else {
            return Err(ApiError::bad_request(format!(
                "User '{}' does not exist (send autocreate=true to create it)",
                input.username
            )));
        };
        let token = secrets::random_token().map_err(ApiError::internal)?;
        let now = clock::now_ms();
        let record = TrustedToken {
            token_hash: secrets::digest(&token),
            user_id: user.id,
            access_level,
            object_id,
            issued: now,
        };
        let grace = self.config.token_grace.as_millis() as i64;
        self.db(move |store| store.insert_trusted_token(&record, now, grace))
            .await?;
        tracing::info!(user = %user.name, "trusted authentication token issued");
        Ok(token)
    }

    async fn session_login_token(
        &self,
        ctx: RequestContext,
        input: SessionLoginTokenInput,
    ) -> Result<SessionLoginTokenResponse, ApiError> {
        let location = if input.no_url_redirection {
            None
        } else {
            let own_host = ctx
                .headers
                .get(http::header::HOST)
                .and_then(|v| v.to_str().ok());
            Some(safe_redirect(
                &input.redirect_url,
                own_host,
                &self.config.redirect_hosts,
            )?)
        };
        let token_hash = secrets::digest(&input.auth_token);
        let token = self
            .db(move |store| store.consume_trusted_token(&token_hash, clock::now_ms()))
            .await?;
        let invalid = || ApiError::unauthorized("Invalid, used or expired login token");
        let token = token.ok_or_else(invalid)?;
        let user_id = token.user_id.clone();
        let user = self
            .db(move |store| store.principal_by_id(&user_id))
            .await?
            .ok_or_else(invalid)?;
        if user.name != input.username {
            tracing::warn!(user = %input.username, "login token presented for another user");
            return Err(invalid());
        }
        let set_cookie = vec![
            self.open_session(
                &ctx,
                NewSession {
                    user_id: token.user_id,
                    remember: false,
                    access_level: token.access_level,
                    object_id: token.object_id,
                },
            )
            .await?,
        ];
        tracing::info!(user = %user.name, "signed in with a trusted-authentication token");
        Ok(match location {
            None => SessionLoginTokenResponse::NoContent { set_cookie },
            Some(location) => SessionLoginTokenResponse::Found {
                location: Some(location),
                set_cookie,
            },
        })
    }
}

/// Where session/login/token may send the browser: a path on this server, this server's own
/// origin, or a host the operator allowed; anything else would make tspot an open redirect.
fn safe_redirect(
    url: &str,
    own_host: Option<&str>,
    allowed_hosts: &[String],
) -> Result<String, ApiError> {
    let refused = || {
        ApiError::bad_request(format!(
            "redirect_url '{url}' is not allowed: use a path on this server (\"/...\") or this \
             server's own address"
        ))
    };
    if url.starts_with('/') {
        // `//host` and `/\host` are taken by browsers as another host.
        if url.starts_with("//") || url.starts_with("/\\") || url.chars().any(char::is_control) {
            return Err(refused());
        }
        return Ok(url.to_string());
    }
    let uri: http::Uri = url.parse().map_err(|_| refused())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let authority = uri.authority().ok_or_else(refused)?;
    if authority.as_str().contains('@') {
        return Err(refused());
    }
    let same_origin = own_host.is_some_and(|own| own.eq_ignore_ascii_case(authority.as_str()));
    let allowed = allowed_hosts.iter().any(|h| {
        h.eq_ignore_ascii_case(authority.host()) || h.eq_ignore_ascii_case(authority.as_str())
    });
    if scheme_ok && (same_origin || allowed) {
        Ok(url.to_string())
    } else {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    use super::safe_redirect;

    #[test]
    fn redirects_stay_on_this_server_or_allowed_hosts() {
        let own = Some("127.0.0.1:8088");
        let allowed = vec!["app.example.com".to_string()];
        let ok = |u: &str| safe_redirect(u, own, &allowed).unwrap();
        let refused = |u: &str| safe_redirect(u, own, &allowed).unwrap_err().status();
        assert_eq!(ok("/"), "/");
        assert_eq!(ok("/#/pinboard/x"), "/#/pinboard/x");
        assert_eq!(ok("http://127.0.0.1:8088/x"), "http://127.0.0.1:8088/x");
        assert_eq!(
            ok("https://app.example.com/embed"),
            "https://app.example.com/embed"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "javascript:alert(1)",
            "http://127.0.0.1:8088@evil.example/",
            "evil.example",
        ] {
            assert_eq!(refused(bad), http::StatusCode::BAD_REQUEST, "{bad}");
        }
    }
}
