//! session/login, session/logout, and trusted authentication (session/auth/token, session/login/token).

use tspot_server::*;

use crate::auth::{FULL_ACCESS, NewSession, REPORT_BOOK_VIEW};
use crate::store::{AutoUser, Kind, TrustedToken};
use crate::{Reference, clock, secrets};

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("Invalid username or password")
}

/// Runs slow password hashing off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)
}

impl Reference {
    pub(crate) async fn login(
        &self,
        ctx: RequestContext,
        input: SessionLoginInput,
    ) -> Result<SessionLoginResponse, ApiError> {
        let name = input.username.clone();
        let credentials = self.db(move |store| store.credentials(&name)).await?;
        let password = input.password;
        let Some(credentials) = credentials else {
            blocking(move || secrets::verify_against_nothing(&password)).await?;
            tracing::info!(user = %input.username, "login refused: unknown user");
            return Err(bad_credentials());
        };
        let now = clock::now_ms();
        if credentials.locked_until > now {
            let seconds = (credentials.locked_until - now + 999) / 1000;
            tracing::warn!(user = %credentials.name, "login refused: account locked");
            return Err(ApiError::unauthorized(format!(
                "Account '{}' is locked after too many failed sign-in attempts; try again in {seconds} s",
                credentials.name
            )));
        }
        let hash = credentials.password_hash.clone();
        let verified =
            blocking(move || hash.is_some_and(|hash| secrets::verify_password(&password, &hash)))
                .await?;
        let user_id = credentials.id.clone();
        if !verified {
            let threshold = i64::from(self.config.lockout_threshold);
            let lock_ms = self.config.lockout_duration.as_millis() as i64;
            self.db(move |store| store.record_login_failure(&user_id, now, threshold, lock_ms))
                .await?;
            tracing::info!(user = %credentials.name, "login refused: wrong password");
            return Err(bad_credentials());
        }
        if credentials.failed_logins > 0 {
            let user_id = user_id.clone();
            self.db(move |store| store.clear_login_failures(&user_id))
                .await?;
        }
        let cookie = self
            .open_session(
                &ctx,
                NewSession {
                    user_id,
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

    pub(crate) async fn logout(
        &self,
        ctx: RequestContext,
    ) -> Result<SessionLogoutResponse, ApiError> {
        let caller = self.caller(&ctx).await?;
        let token_hash = caller.session.token_hash.clone();
        self.db(move |store| store.delete_session(&token_hash))
            .await?;
        tracing::info!(user = %caller.user_name, "signed out");
        Ok(SessionLogoutResponse::NoContent)
    }

    pub(crate) async fn auth_token(
        &self,
        input: SessionAuthTokenInput,
    ) -> Result<SessionAuthTokenResponse, ApiError> {
        let Some(secret) = &self.config.trusted_auth_secret else {
            // What ThoughtSpot answers when trusted authentication is not enabled.
            return Err(ApiError::new(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                10000,
                "Trusted authentication is not enabled on this server",
            ));
        };
        if !secrets::constant_time_eq(&input.secret_key, secret) {
            tracing::warn!(user = %input.username, "trusted authentication refused: wrong secret key");
            return Err(ApiError::unauthorized("Invalid secret key"));
        }
        let access_level = input.access_level.to_string();
        let object_id = input.id.filter(|id| !id.trim().is_empty());
        if access_level == REPORT_BOOK_VIEW && object_id.is_none() {
            return Err(ApiError::bad_request(
                "Parameter 'id' is required when access_level is REPORT_BOOK_VIEW",
            ));
        }
        if input.username.trim().is_empty() {
            return Err(ApiError::bad_request(
                "Parameter 'username' must not be empty",
            ));
        }
        let user = if input.autocreate {
            let auto = AutoUser {
                name: input.username.clone(),
                display_name: input.display_name.filter(|s| !s.is_empty()),
                mail: input.email.filter(|s| !s.is_empty()),
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
        Ok(SessionAuthTokenResponse::Ok(token))
    }

    pub(crate) async fn login_token(
        &self,
        ctx: RequestContext,
        input: SessionLoginTokenInput,
    ) -> Result<SessionLoginTokenResponse, ApiError> {
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
        Ok(if input.no_url_redirection {
            SessionLoginTokenResponse::NoContent { set_cookie }
        } else {
            SessionLoginTokenResponse::Found {
                location: Some(
                    input
                        .redirect_url
                        .filter(|u| !u.is_empty())
                        .unwrap_or_else(|| "/".into()),
                ),
                set_cookie,
            }
        })
    }
}
