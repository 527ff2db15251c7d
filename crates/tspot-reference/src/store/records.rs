//! What the store keeps, as the domain sees it: plain records, shared by every implementation.

use std::collections::BTreeSet;

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

/// `LOCAL_USER`, `LDAP_USER`, `SAML_USER`, `OIDC_USER` are users; the rest are groups.
pub fn kind_of(principal_type: &str) -> Kind {
    if principal_type.ends_with("_USER") {
        Kind::User
    } else {
        Kind::Group
    }
}

/// A principal to create or to update; `id` is new for creations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub principal_type: String,
    pub display_name: String,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub visibility: String,
    pub password_hash: Option<String>,
    /// The complete set of direct memberships afterwards (always includes `All`).
    pub group_names: BTreeSet<String>,
}

/// Why a user/sync was refused (a 400 naming the principal): nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncRefusal {
    #[error("Every principal needs a non-empty 'name'")]
    EmptyName,
    #[error("Principal '{0}' appears more than once in the list")]
    Duplicate(String),
    #[error("Group '{group}' in groupNames of '{member}' does not exist and is not in the list")]
    UnknownGroup { group: String, member: String },
    #[error("Group '{0}' cannot be a member of itself")]
    OwnMember(String),
    #[error(
        "New local user '{0}' needs a password: give it a 'password' or send the 'password' field"
    )]
    NeedsPassword(String),
    /// A password hashed beforehand is missing: the principals changed between the two reads.
    #[error("The principals changed during the sync; try again")]
    Changed,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncPlan {
    pub create: Vec<Write>,
    pub update: Vec<Write>,
    pub delete: Vec<PrincipalRecord>,
}

impl SyncPlan {
    fn names(writes: &[Write], kind: Kind) -> Vec<String> {
        writes
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| w.name.clone())
            .collect()
    }

    /// The six result lists of `user/sync`: added, deleted, updated; users, then groups.
    pub fn summary(&self) -> [Vec<String>; 6] {
        let deleted = |kind| {
            self.delete
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.name.clone())
                .collect()
        };
        [
            Self::names(&self.create, Kind::User),
            deleted(Kind::User),
            Self::names(&self.update, Kind::User),
            Self::names(&self.create, Kind::Group),
            deleted(Kind::Group),
            Self::names(&self.update, Kind::Group),
        ]
    }
}
