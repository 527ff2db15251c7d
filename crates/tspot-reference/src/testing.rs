//! Fixtures shared by this crate's tests and the `tspot` binary's process tests (feature
//! `testing`): a scratch schema of the PostgreSQL test database (`TSPOT_TEST_POSTGRES`), and a
//! session record for the stores' tests.

use crate::store::SessionRecord;

/// A full session of `user_id` under the token hash `token`, idle for up to 1,000 s.
pub fn session(token: &str, user_id: &str) -> SessionRecord {
    SessionRecord {
        token_hash: token.into(),
        user_id: user_id.into(),
        created: 1,
        last_seen: 1,
        idle_ms: 1_000_000,
        remember: false,
        access_level: "FULL".into(),
        object_id: None,
    }
}

/// A new, empty schema of the test database, dropped when it goes out of scope (the test passing
/// or not); `url` is the database's URL with the schema as its search path.
pub struct ScratchSchema {
    admin: String,
    pub name: String,
    pub url: String,
}

impl ScratchSchema {
    /// `None`, after a note that `what` is skipped, when `TSPOT_TEST_POSTGRES` is unset.
    pub fn new(what: &str) -> Option<ScratchSchema> {
        let Ok(admin) = std::env::var("TSPOT_TEST_POSTGRES") else {
            eprintln!("note: TSPOT_TEST_POSTGRES is unset, so {what} is skipped");
            return None;
        };
        let name = format!("scratch_{}", uuid::Uuid::new_v4().simple());
        run_apart(&admin, format!("CREATE SCHEMA {name}"))
            .unwrap_or_else(|e| panic!("TSPOT_TEST_POSTGRES is set, but: {e}"));
        let separator = if admin.contains('?') { '&' } else { '?' };
        Some(ScratchSchema {
            url: format!("{admin}{separator}options=-c%20search_path%3D{name}"),
            admin,
            name,
        })
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        let _ = run_apart(&self.admin, format!("DROP SCHEMA {} CASCADE", self.name));
    }
}

/// Runs `sql` on a connection of its own thread: the `postgres` client blocks on a runtime of
/// its own, which a test's tokio runtime does not allow on its threads.
fn run_apart(url: &str, sql: String) -> Result<(), String> {
    let url = url.to_owned();
    std::thread::spawn(move || {
        postgres::Client::connect(&url, postgres::NoTls)
            .and_then(|mut client| client.batch_execute(&sql))
            .map_err(|e| e.to_string())
    })
    .join()
    .unwrap_or_else(|_| Err("the connection's thread panicked".into()))
}
