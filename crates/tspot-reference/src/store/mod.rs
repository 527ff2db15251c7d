//! The store interface: every SQL statement lives behind [`Store`], so a PostgreSQL store can be
//! added without touching the domain logic.
//!
//! Methods are blocking, and a request makes one trip to tokio's blocking pool for all of its
//! store and engine work (`Reference::read` / `Reference::write`). Why sync and not async: the
//! embedded store is SQLite (a sync library), a request's reads run in one snapshot on one
//! pinned connection, and a Liveboard's queries fan out on threads of their own; a PostgreSQL
//! store fits the same shape with a pooled sync client (the `postgres` crate drives
//! tokio-postgres underneath) without a second redesign.

mod schema;
mod sqlite;

use std::collections::BTreeSet;

pub use sqlite::SqliteStore;

use crate::sync::SyncPlan;

/// A failure of the store itself (I/O, corruption, a bug in SQL): a 500 with details in the log.
#[derive(Debug, thiserror::Error)]
#[error("store: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError(error.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    User,
    Group,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::User => "USER",
            Kind::Group => "GROUP",
        }
    }
}

/// A user or group as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalRecord {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub principal_type: String,
    pub display_name: String,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub visibility: String,
    pub is_system: bool,
    pub created: i64,
    pub modified: i64,
    /// Names of the groups this principal directly belongs to, sorted.
    pub group_names: Vec<String>,
}

/// What login needs to know about a user.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub is_system: bool,
}

/// How failed sign-ins slow further attempts of the same subject from the same client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures in a row that cost nothing.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones; it doubles with each more.
    pub first_delay_ms: i64,
    pub max_delay_ms: i64,
    /// A count older than this (since its last failure) starts again from zero.
    pub forget_after_ms: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            free_failures: 5,
            first_delay_ms: 1_000,
            max_delay_ms: 300_000,
            forget_after_ms: 15 * 60_000,
        }
    }
}

impl ThrottlePolicy {
    /// The delay after the `failures`-th failure in a row.
    pub fn delay_ms(&self, failures: i64) -> i64 {
        let beyond = failures - i64::from(self.free_failures);
        if beyond <= 0 {
            return 0;
        }
        let doublings = (beyond - 1).min(40) as u32;
        self.first_delay_ms
            .saturating_mul(1i64 << doublings)
            .min(self.max_delay_ms)
    }
}

/// A group with what the privilege operations report.
#[derive(Debug, Clone)]
pub struct GroupRecord {
    pub principal: PrincipalRecord,
    pub privileges: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie value: a copy of the database does not hand out sessions.
    pub token_hash: String,
    pub user_id: String,
    pub created: i64,
    pub last_seen: i64,
    pub idle_ms: i64,
    pub remember: bool,
    /// `FULL`, or `REPORT_BOOK_VIEW` for a trusted-authentication session limited to `object_id`.
    pub access_level: String,
    pub object_id: Option<String>,
}

/// A trusted-authentication login token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedToken {
    pub token_hash: String,
    pub user_id: String,
    pub access_level: String,
    pub object_id: Option<String>,
    pub issued: i64,
}

/// A user created on the fly by trusted authentication (`autocreate`).
#[derive(Debug, Clone)]
pub struct AutoUser {
    pub name: String,
    pub display_name: Option<String>,
    pub mail: Option<String>,
    pub groups: Vec<String>,
}

/// Why a privilege change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivilegeRefusal {
    UnknownGroups(Vec<String>),
}

/// A metadata object (table, worksheet, answer, Liveboard) as stored: its header and its TML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRecord {
    pub id: String,
    /// `LOGICAL_TABLE`, `QUESTION_ANSWER_BOOK` or `PINBOARD_ANSWER_BOOK`.
    pub type_: String,
    /// `ONE_TO_ONE_LOGICAL` or `WORKSHEET` for logical tables.
    pub subtype: Option<String>,
    /// `table`, `worksheet`, `answer` or `liveboard`.
    pub tml_type: String,
    pub name: String,
    pub description: Option<String>,
    pub author_id: String,
    pub owner_id: String,
    pub created: i64,
    pub modified: i64,
    pub modified_by: String,
    pub is_auto_created: bool,
    /// The object's TML document as JSON text (with its guid).
    pub tml: String,
    /// Tag names, sorted.
    pub tags: Vec<String>,
}

/// An object to create or replace, with what hangs off it.
#[derive(Debug, Clone)]
pub struct ObjectWrite {
    pub id: String,
    pub type_: String,
    pub subtype: Option<String>,
    pub tml_type: String,
    pub name: String,
    pub description: Option<String>,
    pub tml: String,
    pub depends_on: Vec<String>,
    /// TML ids of the visualizations, in order; stable GUIDs are kept per TML id.
    pub visualizations: Vec<String>,
    /// Names of the logical columns, in order.
    pub columns: Vec<String>,
    pub tags: Vec<String>,
    /// Principals (usually groups) the object is shared with.
    pub shared_with: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VizRecord {
    pub id: String,
    pub object_id: String,
    pub tml_id: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRecord {
    pub id: String,
    pub object_id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRecord {
    pub id: String,
    pub name: String,
    pub color: Option<String>,
    pub created: i64,
}

/// A database the data of tables lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// `sqlite` for now.
    pub engine: String,
    /// For SQLite, the database file.
    pub location: String,
    pub author_id: String,
    pub owner_id: String,
    pub created: i64,
    pub modified: i64,
}

pub trait Store: Send + Sync + 'static {
    /// Creates `tsadmin`, `Administrator` (with ADMINISTRATION) and `All` when the store is new.
    /// Returns whether it did.
    fn bootstrap(&self, admin_password_hash: &str, now: i64) -> StoreResult<bool>;

    /// Every user and group with its direct memberships, users first, then by name.
    fn principals(&self) -> StoreResult<Vec<PrincipalRecord>>;
    fn principal(&self, kind: Kind, name: &str) -> StoreResult<Option<PrincipalRecord>>;
    fn principal_by_id(&self, id: &str) -> StoreResult<Option<PrincipalRecord>>;
    fn credentials(&self, user_name: &str) -> StoreResult<Option<Credentials>>;
    /// Privileges granted to the user through its groups, transitively.
    fn privileges(&self, user_id: &str) -> StoreResult<BTreeSet<String>>;

    /// When `subject` (a user name, or the trusted-authentication secret) may next be tried from
    /// `client`; `None` when it may be tried now.
    fn sign_in_blocked(&self, subject: &str, client: &str, now: i64) -> StoreResult<Option<i64>>;
    /// Counts a failure of `subject` from `client` and sets the delay the policy gives.
    fn record_sign_in_failure(
        &self,
        subject: &str,
        client: &str,
        now: i64,
        policy: &ThrottlePolicy,
    ) -> StoreResult<()>;
    fn clear_sign_in_failures(&self, subject: &str, client: &str) -> StoreResult<()>;
    /// Sets the password and ends every session of the user but `keep_session` (a token hash).
    fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        now: i64,
        keep_session: Option<&str>,
    ) -> StoreResult<()>;

    /// Reads the principals, lets `plan` decide the changes, and applies them when `apply`, all in
    /// one transaction: a sync that fails midway changes nothing.
    fn sync_principals(
        &self,
        plan: &mut dyn FnMut(&[PrincipalRecord]) -> Result<SyncPlan, String>,
        apply: bool,
        now: i64,
    ) -> StoreResult<Result<SyncPlan, String>>;

    /// Grants or revokes one privilege on every named group, all or nothing.
    fn change_privilege(
        &self,
        groups: &[String],
        privilege: &str,
        grant: bool,
        now: i64,
    ) -> StoreResult<Result<Vec<GroupRecord>, PrivilegeRefusal>>;

    fn record_ownership_transfer(
        &self,
        from_user: &str,
        to_user: &str,
        object_ids: Option<&[String]>,
        requested_by: &str,
        now: i64,
    ) -> StoreResult<()>;

    fn insert_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// The session with this token hash, live or not: the caller decides on expiry.
    fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    /// Records that the session was used at `last_seen` (never moving it back).
    fn persist_last_seen(&self, token_hash: &str, last_seen: i64) -> StoreResult<()>;
    fn delete_session(&self, token_hash: &str) -> StoreResult<bool>;
    /// Ends every session of the user but `except` (a token hash); returns how many.
    fn end_sessions(&self, user_id: &str, except: Option<&str>) -> StoreResult<usize>;

    /// Changes whenever objects, their ownership or connections change: a parsed catalog
    /// loaded at one version is current while the version stays.
    fn catalog_version(&self) -> u64;
    /// Changes whenever a cached caller may have become wrong: sessions ended, passwords,
    /// principals, memberships or privileges changed.
    fn auth_version(&self) -> u64;
    /// The catalog version, then every object and connection read at least as new as it (on a
    /// fresh snapshot, never the caller's pinned one).
    fn catalog_snapshot(&self) -> StoreResult<(u64, Vec<ObjectRecord>, Vec<ConnectionRecord>)>;
    /// Runs `work` with every read of this thread in one read transaction (one snapshot).
    fn read_snapshot(&self, work: &mut dyn FnMut()) -> StoreResult<()>;

    /// Stores a new token; the user's older tokens stop working `grace_ms` from now.
    fn insert_trusted_token(
        &self,
        token: &TrustedToken,
        now: i64,
        grace_ms: i64,
    ) -> StoreResult<()>;
    /// Marks the token used and returns it, when it exists, is unused and has not expired.
    fn consume_trusted_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<TrustedToken>>;
    /// Finds the user, or creates it (and its missing groups) when `autocreate` asks.
    fn ensure_user(&self, user: &AutoUser, now: i64) -> StoreResult<PrincipalRecord>;

    /// Creates or replaces objects, all in one transaction; `actor` becomes the author and owner
    /// of new objects and the modifier of all.
    fn put_objects(&self, writes: &[ObjectWrite], actor: &str, now: i64) -> StoreResult<()>;
    fn objects(&self) -> StoreResult<Vec<ObjectRecord>>;
    fn object(&self, id: &str) -> StoreResult<Option<ObjectRecord>>;
    fn visualizations(&self, object_id: &str) -> StoreResult<Vec<VizRecord>>;
    fn logical_columns(&self) -> StoreResult<Vec<ColumnRecord>>;
    fn tags(&self) -> StoreResult<Vec<TagRecord>>;
    /// Ids of the objects the user owns or that are shared with the user or one of its groups.
    fn readable_objects(&self, user_id: &str) -> StoreResult<BTreeSet<String>>;
    fn favorites(&self, user_id: &str) -> StoreResult<BTreeSet<String>>;
    /// Moves ownership of `from`'s objects (all, or those listed) to `to`; returns how many.
    fn transfer_objects(
        &self,
        from: &str,
        to: &str,
        ids: Option<&[String]>,
        now: i64,
    ) -> StoreResult<usize>;

    fn connections(&self) -> StoreResult<Vec<ConnectionRecord>>;
    /// Creates the connection, or points an existing one of that name at a new location.
    fn put_connection(&self, connection: &ConnectionRecord) -> StoreResult<()>;
}

/// `LOCAL_USER`, `LDAP_USER`, `SAML_USER`, `OIDC_USER` are users; the rest are groups.
pub fn kind_of(principal_type: &str) -> Kind {
    if principal_type.ends_with("_USER") {
        Kind::User
    } else {
        Kind::Group
    }
}
