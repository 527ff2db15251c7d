//! Versioned migrations of the PostgreSQL store: the same tables as the SQLite store's
//! (`store/sqlite/schema.rs`), in PostgreSQL's types, plus `versions`. Append new migrations;
//! never edit an applied one.
//!
//! `schema_migrations` records each applied version. [`apply`] runs the missing ones in one
//! transaction that first takes a transaction-scoped advisory lock, so replicas starting together
//! migrate once: the second waits for the first to commit, then finds nothing to do.

use postgres::Client;

use crate::store::{StoreError, StoreResult};

/// The key of the advisory lock migrations hold (any constant other programs don't use).
const LOCK_KEY: i64 = 0x7473_706f_745f_6d67; // "tspot_mg"

/// Every migration, in order: (version, name, SQL).
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "principals and sessions", PRINCIPALS_AND_SESSIONS),
    (2, "metadata objects", METADATA_OBJECTS),
    (3, "sign-in throttling", SIGN_IN_THROTTLING),
    (4, "versions", VERSIONS),
];

/// Brings the schema up to date; returns the versions it applied.
pub fn apply(client: &mut Client) -> StoreResult<Vec<i32>> {
    let migrate = |e: postgres::Error| StoreError::Migration(e.to_string());
    let mut tx = client.transaction().map_err(migrate)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .map_err(migrate)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .map_err(migrate)?;
    let newest: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(migrate)?
        .get(0);
    let known = MIGRATIONS.last().map_or(0, |(v, _, _)| *v);
    if newest > known {
        return Err(StoreError::Migration(format!(
            "the database holds schema version {newest}, newer than this tspot knows ({known}); \
             run the newer tspot"
        )));
    }
    let mut applied = Vec::new();
    for (version, name, sql) in MIGRATIONS.iter().filter(|(v, _, _)| *v > newest) {
        tx.batch_execute(sql)
            .map_err(|e| StoreError::Migration(format!("migration {version} ({name}): {e}")))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[version, name],
        )
        .map_err(migrate)?;
        applied.push(*version);
    }
    tx.commit().map_err(migrate)?;
    Ok(applied)
}

const PRINCIPALS_AND_SESSIONS: &str = r#"
CREATE TABLE principals (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('USER', 'GROUP')),
    name           TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    description    TEXT,
    mail           TEXT,
    visibility     TEXT NOT NULL DEFAULT 'DEFAULT',
    password_hash  TEXT,
    is_system      BOOLEAN NOT NULL DEFAULT FALSE,
    created        BIGINT NOT NULL,
    modified       BIGINT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE memberships (
    member_id TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    group_id  TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, group_id)
);
CREATE INDEX memberships_by_group ON memberships(group_id);

CREATE TABLE group_privileges (
    group_id  TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    privilege TEXT NOT NULL,
    PRIMARY KEY (group_id, privilege)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    created      BIGINT NOT NULL,
    last_seen    BIGINT NOT NULL,
    idle_ms      BIGINT NOT NULL,
    remember     BOOLEAN NOT NULL,
    access_level TEXT NOT NULL,
    object_id    TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE trusted_tokens (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    access_level  TEXT NOT NULL,
    object_id     TEXT,
    issued        BIGINT NOT NULL,
    superseded_at BIGINT,
    used          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX trusted_tokens_by_user ON trusted_tokens(user_id);

CREATE TABLE ownership_transfers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_user    TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    to_user      TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    object_ids   TEXT,
    requested_by TEXT NOT NULL,
    at           BIGINT NOT NULL
);
"#;

const METADATA_OBJECTS: &str = r#"
CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    engine      TEXT NOT NULL,
    location    TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES principals(id),
    owner_id    TEXT NOT NULL REFERENCES principals(id),
    created     BIGINT NOT NULL,
    modified    BIGINT NOT NULL,
    modified_by TEXT NOT NULL REFERENCES principals(id)
);

CREATE TABLE objects (
    id              TEXT PRIMARY KEY,
    type            TEXT NOT NULL,
    subtype         TEXT,
    tml_type        TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    author_id       TEXT NOT NULL REFERENCES principals(id),
    owner_id        TEXT NOT NULL REFERENCES principals(id),
    created         BIGINT NOT NULL,
    modified        BIGINT NOT NULL,
    modified_by     TEXT NOT NULL REFERENCES principals(id),
    is_auto_created BOOLEAN NOT NULL DEFAULT FALSE,
    tml             TEXT NOT NULL
);
CREATE INDEX objects_by_type ON objects(type, subtype);
CREATE INDEX objects_by_owner ON objects(owner_id);

CREATE TABLE object_dependencies (
    object_id  TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    depends_on TEXT NOT NULL REFERENCES objects(id),
    PRIMARY KEY (object_id, depends_on)
);

CREATE TABLE visualizations (
    id        TEXT PRIMARY KEY,
    object_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    tml_id    TEXT NOT NULL,
    position  BIGINT NOT NULL,
    UNIQUE (object_id, tml_id)
);

CREATE TABLE logical_columns (
    id        TEXT PRIMARY KEY,
    object_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    position  BIGINT NOT NULL,
    UNIQUE (object_id, name)
);

CREATE TABLE tags (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    color   TEXT,
    created BIGINT NOT NULL
);

CREATE TABLE object_tags (
    object_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    tag_id    TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (object_id, tag_id)
);

CREATE TABLE object_shares (
    object_id    TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    principal_id TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    PRIMARY KEY (object_id, principal_id)
);

CREATE TABLE favorites (
    user_id   TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    object_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, object_id)
);
"#;

const SIGN_IN_THROTTLING: &str = r#"
CREATE TABLE sign_in_failures (
    subject       TEXT NOT NULL,
    client        TEXT NOT NULL,
    failures      BIGINT NOT NULL,
    last_failure  BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL,
    PRIMARY KEY (subject, client)
);
CREATE INDEX sign_in_failures_by_age ON sign_in_failures(last_failure);
"#;

/// The versions every replica reads per request: `auth` moves with sessions, passwords,
/// principals, memberships and privileges; `catalog` with objects, ownership and connections.
/// Each is bumped in the transaction of the change.
const VERSIONS: &str = r#"
CREATE TABLE versions (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO versions (name, value) VALUES ('auth', 1), ('catalog', 1);
"#;
