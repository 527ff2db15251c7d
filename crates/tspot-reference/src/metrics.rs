//! The reference server's metrics, recorded through the `metrics` facade: nothing is kept unless
//! the program installs a recorder (`tspot serve` installs a Prometheus one and serves it at
//! `/metrics`). Names follow Prometheus conventions (`_total` counters, `_seconds` histograms).

/// Signed-in sessions held in memory (gauge): the session cache's length, a proxy for active
/// sessions. A session leaves it when it ends (logout, password change, deletion), when it is
/// found idle too long at its next lookup, or when `--session-cache` evicts it (it is then read
/// back from the store at its next request); a session nobody uses again stays until evicted.
pub const SESSIONS_ACTIVE: &str = "tspot_sessions_active";
/// Session cache lookups, by `result` (`hit`, `miss`) (counter).
pub const SESSION_CACHE_LOOKUPS: &str = "tspot_session_cache_lookups_total";
/// Refused sign-ins and guesses, by `reason` (counter).
pub const SIGN_IN_REFUSALS: &str = "tspot_sign_in_refusals_total";
/// Password hashes waiting for a hashing thread (gauge).
pub const HASHING_QUEUE_DEPTH: &str = "tspot_password_hashing_queue_depth";
/// Password hashes being computed (gauge).
pub const HASHING_RUNNING: &str = "tspot_password_hashing_running";
/// Sign-ins and password changes answered 503 because the hashing queue was full (counter).
pub const HASHING_REJECTED: &str = "tspot_password_hashing_rejected_total";
/// Store failures that became a 500, or a 503 when the store's database was out of reach
/// (counter).
pub const STORE_ERRORS: &str = "tspot_store_errors_total";
/// Store writes tried again after a conflict with a concurrent write (PostgreSQL store)
/// (counter).
pub const STORE_RETRIES: &str = "tspot_store_retries_total";
/// Queries run on data connections, by `connection` (the database file's name) (histogram).
pub const ENGINE_QUERY_DURATION: &str = "tspot_engine_query_duration_seconds";
/// Failed queries on data connections, by `connection` and `kind` (`budget`: stopped by
/// `--query-budget`; `error`: anything else) (counter).
pub const ENGINE_ERRORS: &str = "tspot_engine_errors_total";
/// Parsed-catalog lookups, by `result` (`reuse`: the parsed catalog was current; `reload`: it
/// was parsed again after a change) (counter).
pub const CATALOG_CACHE_LOOKUPS: &str = "tspot_catalog_cache_lookups_total";

/// Registers the help text of every metric above with the installed recorder, and makes every
/// counter and gauge that has a known set of labels appear at 0 (so that a rate or a ratio has a
/// series from the start).
pub fn describe() {
    describe_all();
    for result in ["hit", "miss"] {
        metrics::counter!(SESSION_CACHE_LOOKUPS, "result" => result).increment(0);
    }
    for result in ["reuse", "reload"] {
        metrics::counter!(CATALOG_CACHE_LOOKUPS, "result" => result).increment(0);
    }
    for reason in [
        "wrong_credentials",
        "throttled",
        "wrong_current_password",
        "trusted_auth_secret",
    ] {
        metrics::counter!(SIGN_IN_REFUSALS, "reason" => reason).increment(0);
    }
    metrics::counter!(HASHING_REJECTED).increment(0);
    metrics::counter!(STORE_ERRORS).increment(0);
    metrics::counter!(STORE_RETRIES).increment(0);
    metrics::gauge!(HASHING_QUEUE_DEPTH).set(0.0);
    metrics::gauge!(HASHING_RUNNING).set(0.0);
    metrics::gauge!(SESSIONS_ACTIVE).set(0.0);
}

fn describe_all() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_gauge!(
        SESSIONS_ACTIVE,
        Unit::Count,
        "Signed-in sessions held in memory (the session cache; a proxy for active sessions)"
    );
    describe_counter!(
        SESSION_CACHE_LOOKUPS,
        Unit::Count,
        "Session cache lookups by result (hit, miss): a miss reads the session from the store"
    );
    describe_counter!(
        SIGN_IN_REFUSALS,
        Unit::Count,
        "Refused sign-ins by reason (wrong_credentials, throttled, wrong_current_password, \
         trusted_auth_secret)"
    );
    describe_gauge!(
        HASHING_QUEUE_DEPTH,
        Unit::Count,
        "Password hashes waiting for a hashing thread (--hashing-queue bounds it)"
    );
    describe_gauge!(
        HASHING_RUNNING,
        Unit::Count,
        "Password hashes being computed (--hashing-threads bounds it)"
    );
    describe_counter!(
        HASHING_REJECTED,
        Unit::Count,
        "Sign-ins and password changes answered 503 because the hashing queue was full"
    );
    describe_counter!(
        STORE_ERRORS,
        Unit::Count,
        "Store failures answered with a 500 (details in the log, by incident id), or a 503 \
         when the store's database was out of reach"
    );
    describe_counter!(
        STORE_RETRIES,
        Unit::Count,
        "Store writes tried again after a serialization failure or deadlock (PostgreSQL store)"
    );
    describe_histogram!(
        ENGINE_QUERY_DURATION,
        Unit::Seconds,
        "Queries on data connections, by connection (the database file's name)"
    );
    describe_counter!(
        ENGINE_ERRORS,
        Unit::Count,
        "Failed queries on data connections, by connection and kind (budget, error)"
    );
    describe_counter!(
        CATALOG_CACHE_LOOKUPS,
        Unit::Count,
        "Parsed-catalog lookups by result (reuse, reload)"
    );
}
