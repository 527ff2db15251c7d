//! The bounded cache of signed-in callers, so that authenticating a request reads and writes
//! nothing in the common case.
//!
//! An entry is good while the store's `auth_version` is the one it was loaded at: ending a
//! session (logout, password change, deletion) and changing principals, memberships or
//! privileges all bump that version, so the next request of every cached caller goes back to
//! the store. With a store that replicas share (PostgreSQL), the version is read from the
//! database at every request and bumped in the transaction of each such change, so a change
//! through any replica empties every replica's entry at its next request. The idle clock runs
//! here; it is written to the store at most once per [`PERSIST_EVERY_MS`] per session, so a
//! restart loses at most that much of it (and another replica may see it that much older).
//!
//! Metrics: every lookup counts as a hit or a miss ([`crate::metrics::SESSION_CACHE_LOOKUPS`]),
//! and the cache's length is [`crate::metrics::SESSIONS_ACTIVE`].

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use crate::auth::Caller;
use crate::metrics::{SESSION_CACHE_LOOKUPS, SESSIONS_ACTIVE};

/// How often a session's last use is written back to the store.
pub const PERSIST_EVERY_MS: i64 = 60_000;

struct Cached {
    caller: Arc<Caller>,
    auth_version: u64,
    last_seen: i64,
    persisted: i64,
}

/// What a cache lookup found.
pub enum Lookup {
    /// The caller; `persist` holds the last-use time to write back, when one is due.
    Hit {
        caller: Arc<Caller>,
        persist: Option<i64>,
    },
    /// Not cached, cached at an older version, or idle too long: ask the store.
    Miss,
}

pub struct SessionCache {
    entries: Mutex<LruCache<String, Cached>>,
}

impl SessionCache {
    pub fn new(capacity: usize) -> SessionCache {
        let capacity = NonZeroUsize::new(capacity.max(1)).unwrap_or(NonZeroUsize::MIN);
        SessionCache {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, LruCache<String, Cached>> {
        // Entries are plain data: a panic elsewhere cannot leave one half-written.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cached caller of `token_hash`, its idle clock restarted at `now`.
    pub fn get(&self, token_hash: &str, now: i64, auth_version: u64) -> Lookup {
        let lookup = self.lookup(token_hash, now, auth_version);
        let result = match lookup {
            Lookup::Hit { .. } => "hit",
            Lookup::Miss => "miss",
        };
        metrics::counter!(SESSION_CACHE_LOOKUPS, "result" => result).increment(1);
        lookup
    }

    fn lookup(&self, token_hash: &str, now: i64, auth_version: u64) -> Lookup {
        let mut entries = self.entries();
        let Some(entry) = entries.get_mut(token_hash) else {
            return Lookup::Miss;
        };
        let idle = entry.caller.session.idle_ms;
        if entry.auth_version != auth_version || entry.last_seen + idle <= now {
            entries.pop(token_hash);
            report_len(&entries);
            return Lookup::Miss;
        }
        entry.last_seen = entry.last_seen.max(now);
        let persist = (now - entry.persisted >= PERSIST_EVERY_MS).then(|| {
            entry.persisted = now;
            now
        });
        Lookup::Hit {
            caller: entry.caller.clone(),
            persist,
        }
    }

    /// Caches a caller read from the store at `auth_version` (read before the store was),
    /// used at `last_seen`, whose last use the store holds as `persisted`.
    pub fn insert(&self, caller: Arc<Caller>, auth_version: u64, last_seen: i64, persisted: i64) {
        let token_hash = caller.session.token_hash.clone();
        let mut entries = self.entries();
        entries.put(
            token_hash,
            Cached {
                caller,
                auth_version,
                last_seen,
                persisted,
            },
        );
        report_len(&entries);
    }

    pub fn remove(&self, token_hash: &str) {
        let mut entries = self.entries();
        entries.pop(token_hash);
        report_len(&entries);
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries().len()
    }
}

/// Sets [`SESSIONS_ACTIVE`] while the cache is still locked, so that updates land in order.
fn report_len(entries: &LruCache<String, Cached>) {
    metrics::gauge!(SESSIONS_ACTIVE).set(entries.len() as f64);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::store::SessionRecord;

    fn caller(token: &str, idle_ms: i64) -> Arc<Caller> {
        Arc::new(Caller {
            user_id: "u1".into(),
            user_name: "ann".into(),
            session: SessionRecord {
                token_hash: token.into(),
                user_id: "u1".into(),
                created: 0,
                last_seen: 0,
                idle_ms,
                remember: false,
                access_level: "FULL".into(),
                object_id: None,
            },
            privileges: Arc::new(BTreeSet::new()),
        })
    }

    #[test]
    fn a_hit_restarts_the_idle_clock_and_persists_at_most_once_a_minute() {
        let cache = SessionCache::new(10);
        cache.insert(caller("t", 1_000_000), 1, 0, 0);
        let persisted = |l: Lookup| match l {
            Lookup::Hit { persist, .. } => persist,
            Lookup::Miss => panic!("miss"),
        };
        assert_eq!(persisted(cache.get("t", 10, 1)), None);
        assert_eq!(
            persisted(cache.get("t", PERSIST_EVERY_MS, 1)),
            Some(PERSIST_EVERY_MS)
        );
        assert_eq!(persisted(cache.get("t", PERSIST_EVERY_MS + 5, 1)), None);
    }

    #[test]
    fn a_new_auth_version_or_idle_expiry_is_a_miss() {
        let cache = SessionCache::new(10);
        cache.insert(caller("t", 100), 1, 0, 0);
        assert!(matches!(cache.get("t", 50, 2), Lookup::Miss));
        assert_eq!(cache.len(), 0);
        cache.insert(caller("t", 100), 1, 0, 0);
        assert!(matches!(cache.get("t", 99, 1), Lookup::Hit { .. }));
        assert!(matches!(cache.get("t", 198, 1), Lookup::Hit { .. }));
        assert!(matches!(cache.get("t", 300, 1), Lookup::Miss));
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = SessionCache::new(2);
        for token in ["a", "b", "c"] {
            cache.insert(caller(token, 100), 1, 0, 0);
        }
        assert_eq!(cache.len(), 2);
        assert!(matches!(cache.get("a", 1, 1), Lookup::Miss));
    }
}
