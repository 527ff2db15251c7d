//! Sessions and trusted-authentication tokens in SQLite.

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, write_tx};
use crate::store::{SessionRecord, SessionStore, StoreResult, TrustedToken};

impl SessionStore for SqliteStore {
    fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO sessions (token_hash, user_id, created, last_seen, idle_ms, remember, \
             access_level, object_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                session.token_hash,
                session.user_id,
                session.created,
                session.last_seen,
                session.idle_ms,
                session.remember,
                session.access_level,
                session.object_id
            ],
        )?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT token_hash, user_id, created, last_seen, idle_ms, remember, access_level, \
                 object_id FROM sessions WHERE token_hash = ?1",
            )?
            .query_row([token_hash], |r| {
                Ok(SessionRecord {
                    token_hash: r.get(0)?,
                    user_id: r.get(1)?,
                    created: r.get(2)?,
                    last_seen: r.get(3)?,
                    idle_ms: r.get(4)?,
                    remember: r.get(5)?,
                    access_level: r.get(6)?,
                    object_id: r.get(7)?,
                })
            })
            .optional()?)
        })
    }

    fn persist_last_seen(&self, token_hash: &str, last_seen: i64) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE sessions SET last_seen = max(last_seen, ?2) WHERE token_hash = ?1",
            params![token_hash, last_seen],
        )?;
        Ok(())
    }

    fn delete_session(&self, token_hash: &str) -> StoreResult<bool> {
        let deleted = self
            .lock()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?
            > 0;
        self.principals_changed();
        Ok(deleted)
    }

    fn end_sessions(&self, user_id: &str, except: Option<&str>) -> StoreResult<usize> {
        let ended = self.lock().execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
            params![user_id, except],
        )?;
        self.principals_changed();
        Ok(ended)
    }

    fn insert_trusted_token(
        &self,
        token: &TrustedToken,
        now: i64,
        grace_ms: i64,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        tx.execute(
            "UPDATE trusted_tokens SET superseded_at = ?2 \
             WHERE user_id = ?1 AND superseded_at IS NULL",
            params![token.user_id, now + grace_ms],
        )?;
        tx.execute(
            "DELETE FROM trusted_tokens WHERE used = 1 OR superseded_at < ?1",
            [now],
        )?;
        tx.execute(
            "INSERT INTO trusted_tokens (token_hash, user_id, access_level, object_id, issued) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                token.token_hash,
                token.user_id,
                token.access_level,
                token.object_id,
                token.issued
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn consume_trusted_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<TrustedToken>> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        let token = tx
            .query_row(
                "SELECT token_hash, user_id, access_level, object_id, issued FROM trusted_tokens \
                 WHERE token_hash = ?1 AND used = 0 AND (superseded_at IS NULL OR superseded_at > ?2)",
                params![token_hash, now],
                |r| {
                    Ok(TrustedToken {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        access_level: r.get(2)?,
                        object_id: r.get(3)?,
                        issued: r.get(4)?,
                    })
                },
            )
            .optional()?;
        if token.is_some() {
            tx.execute(
                "UPDATE trusted_tokens SET used = 1 WHERE token_hash = ?1",
                [token_hash],
            )?;
        }
        tx.commit()?;
        Ok(token)
    }
}
