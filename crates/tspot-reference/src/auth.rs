//! Who is calling: sessions from the `JSESSIONID` cookie, privileges, and issuing new sessions.

use tspot_server::{ApiError, RequestContext};

use crate::store::SessionRecord;
use crate::{Reference, clock, secrets};

pub const ADMINISTRATION: &str = "ADMINISTRATION";
pub const FULL_ACCESS: &str = "FULL";
pub const REPORT_BOOK_VIEW: &str = "REPORT_BOOK_VIEW";

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub user_name: String,
    pub session: SessionRecord,
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
}

/// How a new session is created.
pub struct NewSession {
    pub user_id: String,
    pub remember: bool,
    pub access_level: String,
    pub object_id: Option<String>,
}

impl Reference {
    /// The caller's live session, or the 401 ThoughtSpot answers without one.
    pub(crate) async fn caller(&self, ctx: &RequestContext) -> Result<Caller, ApiError> {
        let Some(token) = ctx.session_id.clone() else {
            return Err(ApiError::unauthorized(
                "Not signed in: call session/login and send its JSESSIONID cookie",
            ));
        };
        let found = self
            .db(move |store| {
                let Some(session) =
                    store.touch_session(&secrets::digest(&token), clock::now_ms())?
                else {
                    return Ok(None);
                };
                let user = store.principal_by_id(&session.user_id)?;
                Ok(user.map(|user| Caller {
                    user_id: user.id,
                    user_name: user.name,
                    session,
                }))
            })
            .await?;
        found.ok_or_else(|| {
            ApiError::unauthorized("The session has ended or is unknown; sign in again")
        })
    }

    /// A caller with a full (not object-limited) session.
    pub(crate) async fn full_caller(&self, ctx: &RequestContext) -> Result<Caller, ApiError> {
        let caller = self.caller(ctx).await?;
        caller.require_full_access()?;
        Ok(caller)
    }

    pub(crate) async fn is_admin(&self, caller: &Caller) -> Result<bool, ApiError> {
        let user_id = caller.user_id.clone();
        let privileges = self.db(move |store| store.privileges(&user_id)).await?;
        Ok(privileges.contains(ADMINISTRATION))
    }

    /// A caller who holds ADMINISTRATION through one of their groups, or the 403 otherwise.
    pub(crate) async fn admin_caller(&self, ctx: &RequestContext) -> Result<Caller, ApiError> {
        let caller = self.full_caller(ctx).await?;
        if self.is_admin(&caller).await? {
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
