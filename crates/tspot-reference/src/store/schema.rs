//! Versioned migrations of the embedded store. Append new migrations; never edit an applied one.

use rusqlite_migration::{M, Migrations};

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(PRINCIPALS_AND_SESSIONS)])
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

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
