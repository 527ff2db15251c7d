//! The store interface: every SQL statement lives behind [`Store`], so a PostgreSQL store can be
//! added without touching the domain logic. Methods are blocking; the API layer calls them on
//! tokio's blocking pool.

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
    pub failed_logins: i64,
    pub locked_until: i64,
    pub is_system: bool,
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

    /// Counts a failed login; at `threshold` failures the account locks until `now + lock_ms`.
    fn record_login_failure(
        &self,
        user_id: &str,
        now: i64,
        threshold: i64,
        lock_ms: i64,
    ) -> StoreResult<()>;
    fn clear_login_failures(&self, user_id: &str) -> StoreResult<()>;
    fn set_password_hash(&self, user_id: &str, hash: &str, now: i64) -> StoreResult<()>;

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
    /// The live session with this token hash, its idle clock restarted; expired ones are deleted.
    fn touch_session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRecord>>;
    fn delete_session(&self, token_hash: &str) -> StoreResult<bool>;

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
