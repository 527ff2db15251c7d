//! Sign-in throttling in SQLite.

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, write_tx};
use crate::store::{StoreResult, ThrottlePolicy, ThrottleStore};

impl ThrottleStore for SqliteStore {
    fn sign_in_blocked(&self, subject: &str, client: &str, now: i64) -> StoreResult<Option<i64>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT blocked_until FROM sign_in_failures \
                 WHERE subject = ?1 AND client = ?2 AND blocked_until > ?3",
            )?
            .query_row(params![subject, client, now], |r| r.get(0))
            .optional()?)
        })
    }

    fn record_sign_in_failure(
        &self,
        subject: &str,
        client: &str,
        now: i64,
        policy: &ThrottlePolicy,
    ) -> StoreResult<()> {
        let mut connection = self.lock();
        let tx = write_tx(&mut connection)?;
        // Old counts are forgotten, so the table holds recent guessing only.
        tx.execute(
            "DELETE FROM sign_in_failures WHERE last_failure < ?1 AND blocked_until < ?2",
            params![now - policy.forget_after_ms, now],
        )?;
        let previous: i64 = tx
            .query_row(
                "SELECT failures FROM sign_in_failures WHERE subject = ?1 AND client = ?2",
                [subject, client],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let failures = previous + 1;
        let delay = policy.delay_ms(failures);
        let blocked_until = if delay > 0 { now + delay } else { 0 };
        tx.execute(
            "INSERT INTO sign_in_failures (subject, client, failures, last_failure, blocked_until) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subject, client) DO UPDATE SET \
             failures = ?3, last_failure = ?4, blocked_until = ?5",
            params![subject, client, failures, now, blocked_until],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn clear_sign_in_failures(&self, subject: &str, client: &str) -> StoreResult<()> {
        self.lock().execute(
            "DELETE FROM sign_in_failures WHERE subject = ?1 AND client = ?2",
            [subject, client],
        )?;
        Ok(())
    }
}
