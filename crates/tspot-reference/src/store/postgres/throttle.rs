//! Sign-in throttling in PostgreSQL: one table for every replica, so guessing through several
//! replicas is counted once.

use super::PostgresStore;
use crate::store::{StoreResult, ThrottlePolicy, ThrottleStore};

impl ThrottleStore for PostgresStore {
    fn sign_in_blocked(&self, subject: &str, client: &str, now: i64) -> StoreResult<Option<i64>> {
        self.read(|c| {
            Ok(c.query_opt(
                "SELECT blocked_until FROM sign_in_failures \
                 WHERE subject = $1 AND client = $2 AND blocked_until > $3",
                &[&subject, &client, &now],
            )?
            .map(|r| r.get(0)))
        })
    }

    fn record_sign_in_failure(
        &self,
        subject: &str,
        client: &str,
        now: i64,
        policy: &ThrottlePolicy,
    ) -> StoreResult<()> {
        self.write(|tx| {
            // Old counts are forgotten, so the table holds recent guessing only.
            tx.execute(
                "DELETE FROM sign_in_failures WHERE last_failure < $1 AND blocked_until < $2",
                &[&(now - policy.forget_after_ms), &now],
            )?;
            let previous: i64 = tx
                .query_opt(
                    "SELECT failures FROM sign_in_failures WHERE subject = $1 AND client = $2",
                    &[&subject, &client],
                )?
                .map_or(0, |r| r.get(0));
            let failures = previous + 1;
            let delay = policy.delay_ms(failures);
            let blocked_until = if delay > 0 { now + delay } else { 0 };
            tx.execute(
                "INSERT INTO sign_in_failures (subject, client, failures, last_failure, blocked_until) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject, client) DO UPDATE SET \
                 failures = $3, last_failure = $4, blocked_until = $5",
                &[&subject, &client, &failures, &now, &blocked_until],
            )?;
            Ok(())
        })
    }

    fn clear_sign_in_failures(&self, subject: &str, client: &str) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM sign_in_failures WHERE subject = $1 AND client = $2",
                &[&subject, &client],
            )?;
            Ok(())
        })
    }
}
