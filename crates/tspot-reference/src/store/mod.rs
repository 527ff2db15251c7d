//! The store interface: every SQL statement lives behind [`Store`], whose two implementations
//! are the embedded default ([`SqliteStore`], one file in the data directory) and
//! [`PostgresStore`], which several `tspot serve` replicas share.
//!
//! The trait is split by area ([`PrincipalStore`], [`SessionStore`], [`ObjectStore`],
//! [`ConnectionStore`], [`ThrottleStore`]); each implementation has one file per area.
//!
//! Methods are blocking, and a request makes one trip to tokio's blocking pool for all of its
//! store and engine work (`Reference::read` / `Reference::write`). Why blocking and not async:
//! the embedded store is SQLite (a sync library); a request's reads run in one snapshot on one
//! connection pinned to the thread; a Liveboard's queries fan out on threads of their own; and
//! the domain code between two statements (sync planning, TML parsing) is synchronous. The
//! PostgreSQL store fits the same shape with the pooled sync client (`postgres` drives
//! tokio-postgres on a runtime of its own, `r2d2_postgres` pools it), so both stores share every
//! caller, and a pinned snapshot is a thread-local connection in both. The cost, a blocking
//! thread per request in flight, is bounded by the pool sizes.

mod error;
pub mod postgres;
mod records;
mod sqlite;

use std::collections::BTreeSet;

pub use error::{StoreError, StoreResult};
pub use postgres::PostgresStore;
pub use records::*;
pub use sqlite::{BackupReport, RestoreReport, SqliteStore};

/// Everything the server keeps, plus what ties requests and replicas together: the versions
/// that say when cached callers and the parsed catalog went stale, and read snapshots.
pub trait Store:
    PrincipalStore
    + SessionStore
    + ObjectStore
    + ConnectionStore
    + ThrottleStore
    + Send
    + Sync
    + 'static
{
    /// Whether other processes may change this store (the PostgreSQL store, shared by
    /// replicas). The versions then come from the database, a query to run on the blocking
    /// pool; otherwise they are counters in this process, read without waiting.
    fn is_shared(&self) -> bool;

    /// Changes whenever objects, their ownership or connections change: a parsed catalog
    /// loaded at one version is current while the version stays.
    fn catalog_version(&self) -> StoreResult<u64>;
    /// Changes whenever a cached caller may have become wrong: sessions ended, passwords,
    /// principals, memberships or privileges changed.
    fn auth_version(&self) -> StoreResult<u64>;
    /// Runs `work` with every read of this thread in one read transaction (one snapshot).
    fn read_snapshot(&self, work: &mut dyn FnMut()) -> StoreResult<()>;
    /// Runs `work` while no other thread or process runs exclusive work of the same `name` on
    /// this store (a PostgreSQL advisory lock; an SQLite store, which one process owns, locks a
    /// mutex per name).
    fn exclusive(&self, name: &str, work: &mut dyn FnMut()) -> StoreResult<()>;

    /// Whether the store answers (for readiness); errors name no path and no password.
    fn ping(&self) -> StoreResult<()>;
    /// Called once the server stopped: flushes what the store buffers.
    fn close(&self) -> StoreResult<()>;
}

/// Users, groups, memberships, privileges and passwords.
pub trait PrincipalStore {
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
        plan: &mut dyn FnMut(&[PrincipalRecord]) -> Result<SyncPlan, SyncRefusal>,
        apply: bool,
        now: i64,
    ) -> StoreResult<Result<SyncPlan, SyncRefusal>>;

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

    /// Finds the user, or creates it (and its missing groups) when `autocreate` asks.
    fn ensure_user(&self, user: &AutoUser, now: i64) -> StoreResult<PrincipalRecord>;
}

/// Failed sign-ins, counted per subject and client (in the store, so every replica sees them).
pub trait ThrottleStore {
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
}

/// Sessions and trusted-authentication tokens.
pub trait SessionStore {
    fn insert_session(&self, session: &SessionRecord) -> StoreResult<()>;

    /// The session with this token hash, live or not: the caller decides on expiry.
    fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;

    /// Records that the session was used at `last_seen` (never moving it back).
    fn persist_last_seen(&self, token_hash: &str, last_seen: i64) -> StoreResult<()>;

    fn delete_session(&self, token_hash: &str) -> StoreResult<bool>;

    /// Ends every session of the user but `except` (a token hash); returns how many.
    fn end_sessions(&self, user_id: &str, except: Option<&str>) -> StoreResult<usize>;

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
}

/// Metadata objects (tables, worksheets, answers, Liveboards), their parts and tags.
pub trait ObjectStore {
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

    /// The catalog version, then every object and connection read at least as new as it (on a
    /// fresh snapshot, never the caller's pinned one).
    fn catalog_snapshot(&self) -> StoreResult<(u64, Vec<ObjectRecord>, Vec<ConnectionRecord>)>;
}

/// The databases the data of tables lives in.
pub trait ConnectionStore {
    fn connections(&self) -> StoreResult<Vec<ConnectionRecord>>;

    /// Creates the connection, or points an existing one of that name at a new location.
    fn put_connection(&self, connection: &ConnectionRecord) -> StoreResult<()>;
}
