//! Who is calling: sessions from the `JSESSIONID` cookie (or the same token as a bearer token),
//! privileges, and issuing new sessions.

use std::collections::BTreeSet;
use std::sync::Arc;

use tspot_server::{ApiError, RequestContext};

use crate::sessions::{Lookup, PERSIST_EVERY_MS};
use crate::store::SessionRecord;
use crate::{Reference, clock, secrets};

pub const ADMINISTRATION: &str = "ADMINISTRATION";
pub const FULL_ACCESS: &str = "FULL";
pub const REPORT_BOOK_VIEW: &str = "REPORT_BOOK_VIEW";

/// The signed-in user behind a request, with the privileges its groups grant.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub user_name: String,
    pub session: SessionRecord,
    pub privileges: Arc<BTreeSet<String>>,
}

impl Caller {
    /// A `REPORT_BOOK_VIEW` session may only read the object its token was issued for.
    pub fn require_full_access(&self) -> Result<(), ApiError> {
        if self.session.access_level == FULL_ACCESS {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "This session may only view the object it was issued for",
            ))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.privileges.contains(ADMINISTRATION)
    }
}

/// How a new session is created.
pub struct NewSession {
    pub user_id: String,
    pub remember: bool,
    pub access_level: String,
    pub object_id: Option<String>,
}

fn not_signed_in() -> ApiError {
    ApiError::unauthorized("Not signed in: call session/login and send its JSESSIONID cookie")
}

fn session_ended() -> ApiError {
    ApiError::unauthorized("The session has ended or is unknown; sign in again")
}

impl Reference {
    /// Resolves the caller once per request, before the body is read, and keeps it in the
    /// request context for the operation.
    pub(crate) async fn authenticate_request(
        &self,
        ctx: &mut RequestContext,
    ) -> Result<(), ApiError> {
        let caller = self.resolve_caller(ctx).await?;
        ctx.extensions.insert(caller);
        Ok(())
    }

    async fn resolve_caller(&self, ctx: &RequestContext) -> Result<Arc<Caller>, ApiError> {
        // The Python library can send `Authorization: Bearer`; the token is the session's.
        let token = ctx
            .session_id
            .as_deref()
            .or(ctx.bearer_token.as_deref())
            .ok_or_else(not_signed_in)?;
        let token_hash = secrets::digest(token);
        let now = clock::now_ms();
        // Read before the store is, so a change racing with the load marks the entry stale.
        let auth_version = self.auth_version().await?;
        if let Lookup::Hit { caller, persist } = self.sessions.get(&token_hash, now, auth_version) {
            if let Some(last_seen) = persist {
                self.persist_last_seen(token_hash, last_seen);
            }
            return Ok(caller);
        }
        let loaded = self
            .db(move |store| {
                let Some(session) = store.session(&token_hash)? else {
                    return Ok(None);
                };
                if session.last_seen + session.idle_ms <= now {
                    store.delete_session(&token_hash)?;
                    return Ok(None);
                }
                let Some(user) = store.principal_by_id(&session.user_id)? else {
                    return Ok(None);
                };
                let privileges = store.privileges(&user.id)?;
                Ok(Some(Caller {
                    user_id: user.id,
                    user_name: user.name,
                    session,
                    privileges: Arc::new(privileges),
                }))
            })
            .await?;
        let caller = Arc::new(loaded.ok_or_else(session_ended)?);
        let mut persisted = caller.session.last_seen;
        if now - persisted >= PERSIST_EVERY_MS {
            persisted = now;
            self.persist_last_seen(caller.session.token_hash.clone(), now);
        }
        self.sessions
            .insert(caller.clone(), auth_version, now, persisted);
        Ok(caller)
    }

    /// The client address sign-in throttling counts against: the peer, or the first address
    /// of `X-Forwarded-For` when the server is told to believe it.
    pub(crate) fn client_address(&self, ctx: &RequestContext) -> String {
        let forwarded = self
            .config
            .trust_forwarded_for
            .then(|| ctx.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        match (forwarded, ctx.remote_addr) {
            (Some(address), _) => address.to_string(),
            (None, Some(peer)) => peer.ip().to_string(),
            (None, None) => "unknown".to_string(),
        }
    }

    /// Counts a failed guess of `subject` from `client`.
    pub(crate) async fn sign_in_failed(&self, subject: &str, client: &str) -> Result<(), ApiError> {
        let (subject, client) = (subject.to_string(), client.to_string());
        let policy = self.config.throttle;
        self.db(move |store| {
            store.record_sign_in_failure(&subject, &client, clock::now_ms(), &policy)
        })
        .await
    }

    /// Writes a session's last use in the background: the request does not wait for it.
    fn persist_last_seen(&self, token_hash: String, last_seen: i64) {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(error) = store.persist_last_seen(&token_hash, last_seen) {
                tracing::warn!(%error, "could not record a session's last use");
            }
        });
    }

    /// The caller's live session, or the 401 ThoughtSpot answers without one.
    pub(crate) async fn caller(&self, ctx: &RequestContext) -> Result<Arc<Caller>, ApiError> {
        match ctx.extensions.get::<Arc<Caller>>() {
            Some(caller) => Ok(caller.clone()),
            None => self.resolve_caller(ctx).await,
        }
    }

    /// A caller with a full (not object-limited) session.
    pub(crate) async fn full_caller(&self, ctx: &RequestContext) -> Result<Arc<Caller>, ApiError> {
        let caller = self.caller(ctx).await?;
        caller.require_full_access()?;
        Ok(caller)
    }

    /// A caller who holds ADMINISTRATION through one of their groups, or the 403 otherwise.
    pub(crate) async fn admin_caller(&self, ctx: &RequestContext) -> Result<Arc<Caller>, ApiError> {
        let caller = self.full_caller(ctx).await?;
        if caller.is_admin() {
            Ok(caller)
        } else {
            Err(ApiError::forbidden(format!(
                "User '{}' lacks the ADMINISTRATION privilege this operation needs",
                caller.user_name
            )))
        }
    }

    /// Stores a new session and returns its `Set-Cookie` value.
    pub(crate) async fn open_session(
        &self,
        ctx: &RequestContext,
        new: NewSession,
    ) -> Result<String, ApiError> {
        let token = secrets::random_token().map_err(ApiError::internal)?;
        let lifetime = if new.remember {
            self.config.remember_me_timeout
        } else {
            self.config.session_timeout
        };
        let now = clock::now_ms();
        let record = SessionRecord {
            token_hash: secrets::digest(&token),
            user_id: new.user_id,
            created: now,
            last_seen: now,
            idle_ms: lifetime.as_millis() as i64,
            remember: new.remember,
            access_level: new.access_level,
            object_id: new.object_id,
        };
        self.db(move |store| store.insert_session(&record)).await?;
        let mut cookie = cookie::Cookie::build((tspot_server::context::SESSION_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Lax)
            // Python's cookie jar does not send a Secure cookie over plain HTTP.
            .secure(ctx.secure);
        if new.remember {
            cookie = cookie.max_age(cookie::time::Duration::seconds(lifetime.as_secs() as i64));
        }
        Ok(cookie.build().to_string())
    }
}
