//! Sessions and trusted-authentication tokens in PostgreSQL. Ending a session bumps the auth
//! version in the same transaction: every replica's cached caller goes stale at the commit.

use postgres::Row;

use super::{AUTH, PostgresStore, bump};
use crate::store::{SessionRecord, SessionStore, StoreResult, TrustedToken};

fn token_from_row(r: &Row) -> TrustedToken {
    TrustedToken {
        token_hash: r.get(0),
        user_id: r.get(1),
        access_level: r.get(2),
        object_id: r.get(3),
        issued: r.get(4),
    }
}

impl SessionStore for PostgresStore {
    fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, created, last_seen, idle_ms, remember, \
                 access_level, object_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &session.token_hash,
                    &session.user_id,
                    &session.created,
                    &session.last_seen,
                    &session.idle_ms,
                    &session.remember,
                    &session.access_level,
                    &session.object_id,
                ],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT token_hash, user_id, created, last_seen, idle_ms, remember, access_level, \
                 object_id FROM sessions WHERE token_hash = $1",
                &[&token_hash],
            )?
            .map(|r| SessionRecord {
                token_hash: r.get(0),
                user_id: r.get(1),
                created: r.get(2),
                last_seen: r.get(3),
                idle_ms: r.get(4),
                remember: r.get(5),
                access_level: r.get(6),
                object_id: r.get(7),
            }))
        })
    }

    fn persist_last_seen(&self, token_hash: &str, last_seen: i64) -> StoreResult<()> {
        // One statement: atomic on its own, and it never moves the time back.
        self.pool().get()?.execute(
            "UPDATE sessions SET last_seen = GREATEST(last_seen, $2) WHERE token_hash = $1",
            &[&token_hash, &last_seen],
        )?;
        Ok(())
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<bool> {
        self.write(|tx| {
            let deleted =
                tx.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])? > 0;
            bump(tx, AUTH)?;
            Ok(deleted)
        })
    }

    fn end_sessions(&self, user_id: &str, except: Option<&str>) -> StoreResult<usize> {
        self.write(|tx| {
            let ended = tx.execute(
                "DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2",
                &[&user_id, &except],
            )?;
            bump(tx, AUTH)?;
            Ok(ended as usize)
        })
    }

    fn insert_trusted_token(
        &self,
        token: &TrustedToken,
        now: i64,
        grace_ms: i64,
    ) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE trusted_tokens SET superseded_at = $2 \
                 WHERE user_id = $1 AND superseded_at IS NULL",
                &[&token.user_id, &(now + grace_ms)],
            )?;
            tx.execute(
                "DELETE FROM trusted_tokens WHERE used OR superseded_at < $1",
                &[&now],
            )?;
            tx.execute(
                "INSERT INTO trusted_tokens (token_hash, user_id, access_level, object_id, issued) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &token.token_hash,
                    &token.user_id,
                    &token.access_level,
                    &token.object_id,
                    &token.issued,
                ],
            )?;
            Ok(())
        })
    }

    fn consume_trusted_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<TrustedToken>> {
        // Marks and returns in one statement: of two replicas racing for one token, one wins.
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    "UPDATE trusted_tokens SET used = TRUE \
                     WHERE token_hash = $1 AND NOT used \
                       AND (superseded_at IS NULL OR superseded_at > $2) \
                     RETURNING token_hash, user_id, access_level, object_id, issued",
                    &[&token_hash, &now],
                )?
                .as_ref()
                .map(token_from_row))
        })
    }
}
