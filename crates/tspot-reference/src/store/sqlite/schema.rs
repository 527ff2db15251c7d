//! Versioned migrations of the embedded store. Append new migrations; never edit an applied one.

use rusqlite_migration::{M, Migrations};

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(PRINCIPALS_AND_SESSIONS),
        M::up(METADATA_OBJECTS),
        M::up(SIGN_IN_THROTTLING),
    ])
}

/// Users, groups, memberships, privileges, sessions, trusted-authentication tokens, and a record
/// of ownership transfers. Metadata objects (tables, worksheets, answers, Liveboards, tags) come
/// in a later migration with `owner_id` and `author_id` referencing `principals(id)`.
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
    is_system      INTEGER NOT NULL DEFAULT 0,
    created        INTEGER NOT NULL,
    modified       INTEGER NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
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
    created      INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    idle_ms      INTEGER NOT NULL,
    remember     INTEGER NOT NULL,
    access_level TEXT NOT NULL,
    object_id    TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE trusted_tokens (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    access_level  TEXT NOT NULL,
    object_id     TEXT,
    issued        INTEGER NOT NULL,
    superseded_at INTEGER,
    used          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX trusted_tokens_by_user ON trusted_tokens(user_id);

CREATE TABLE ownership_transfers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    from_user   TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    to_user     TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
    object_ids  TEXT,
    requested_by TEXT NOT NULL,
    at          INTEGER NOT NULL
);
"#;

/// Connections, metadata objects (tables, worksheets, answers, Liveboards) stored as their TML,
/// their visualizations and logical columns, tags, sharing and favorites.
const METADATA_OBJECTS: &str = r#"
CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    engine      TEXT NOT NULL,
    location    TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES principals(id),
    owner_id    TEXT NOT NULL REFERENCES principals(id),
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
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
    created         INTEGER NOT NULL,
    modified        INTEGER NOT NULL,
    modified_by     TEXT NOT NULL REFERENCES principals(id),
    is_auto_created INTEGER NOT NULL DEFAULT 0,
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
    position  INTEGER NOT NULL,
    UNIQUE (object_id, tml_id)
);

CREATE TABLE logical_columns (
    id        TEXT PRIMARY KEY,
    object_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    position  INTEGER NOT NULL,
    UNIQUE (object_id, name)
);

CREATE TABLE tags (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    color   TEXT,
    created INTEGER NOT NULL
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

/// Failed sign-ins per (account or secret, client address), so that guessing slows down for
/// that pair only and an administrator is never locked out by someone else. `principals`'
/// `failed_logins` and `locked_until` (an account-wide lock) are no longer used.
const SIGN_IN_THROTTLING: &str = r#"
CREATE TABLE sign_in_failures (
    subject       TEXT NOT NULL,
    client        TEXT NOT NULL,
    failures      INTEGER NOT NULL,
    last_failure  INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    PRIMARY KEY (subject, client)
);
CREATE INDEX sign_in_failures_by_age ON sign_in_failures(last_failure);
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
