//! Readiness: whether the store answers, and the state of each data connection.
//!
//! The store is what every request needs: when it does not answer (its file is gone, unreadable
//! or damaged, or the blocking pool is so busy that the check does not run in time), the server
//! is not ready. A data connection (a customer's database, the demo's) only serves the searches
//! of the tables that read it: its state is reported, but a connection that fails does not make
//! the server unready, so one database being down does not take the server out of rotation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use crate::Reference;

/// How long the checks may take before the store counts as not answering.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether the last check found the server ready: a change is logged once (WARN when it turns
/// unready, INFO when it is ready again), not at every probe.
static WAS_READY: AtomicBool = AtomicBool::new(true);

/// The outcome of the readiness checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Readiness {
    /// The store answers.
    pub ready: bool,
    /// `{"status": "ready"|"unready", "store": {...}, "connections": [...]}`: each check with its
    /// `status` (`ok`, `failing`) and, when failing, an `error` naming what fails (never a path).
    pub body: Value,
}

impl Reference {
    /// Checks the store and the data connections, within [`CHECK_TIMEOUT`].
    pub async fn readiness(&self) -> Readiness {
        let store = self.store.clone();
        let engines = self.engines.clone();
        let checks = tokio::task::spawn_blocking(move || {
            let store_check = store.ping();
            // The connections are read from the store; without it they are unknown.
            let connections = store_check
                .as_ref()
                .ok()
                .and_then(|()| store.connections().ok())
                .map(|connections| {
                    connections
                        .into_iter()
                        .map(|c| {
                            let state = engines.check(&c.location);
                            (c.name, state)
                        })
                        .collect::<Vec<_>>()
                });
            (store_check.map_err(|e| e.to_string()), connections)
        });
        let (store_check, connections) = match tokio::time::timeout(CHECK_TIMEOUT, checks).await {
            Ok(Ok(checks)) => checks,
            Ok(Err(e)) => (Err(format!("the check failed: {e}")), None),
            Err(_) => (
                Err(format!(
                    "the store did not answer within {} s",
                    CHECK_TIMEOUT.as_secs()
                )),
                None,
            ),
        };
        let checked = readiness(store_check, connections);
        let was_ready = WAS_READY.swap(checked.ready, Ordering::AcqRel);
        match (was_ready, checked.ready) {
            (true, false) => tracing::warn!(
                error = %checked.body["store"]["error"].as_str().unwrap_or_default(),
                "not ready: the store does not answer"
            ),
            (false, true) => tracing::info!("ready again: the store answers"),
            _ => {}
        }
        checked
    }
}

fn state(outcome: &Result<(), String>) -> Value {
    match outcome {
        Ok(()) => json!({"status": "ok"}),
        Err(error) => json!({"status": "failing", "error": error}),
    }
}

fn readiness(
    store: Result<(), String>,
    connections: Option<Vec<(String, Result<(), String>)>>,
) -> Readiness {
    let ready = store.is_ok();
    let connections = match connections {
        Some(list) => Value::Array(
            list.iter()
                .map(|(name, outcome)| {
                    let mut entry = state(outcome);
                    entry["name"] = Value::String(name.clone());
                    entry
                })
                .collect(),
        ),
        None => Value::Null,
    };
    Readiness {
        ready,
        body: json!({
            "status": if ready { "ready" } else { "unready" },
            "store": state(&store),
            "connections": connections,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_connection_is_reported_but_leaves_the_server_ready() {
        let checked = readiness(
            Ok(()),
            Some(vec![
                ("tspot_demo".into(), Ok(())),
                ("sales".into(), Err("the database file is missing".into())),
            ]),
        );
        assert!(checked.ready);
        assert_eq!(
            checked.body,
            json!({
                "status": "ready",
                "store": {"status": "ok"},
                "connections": [
                    {"name": "tspot_demo", "status": "ok"},
                    {"name": "sales", "status": "failing", "error": "the database file is missing"},
                ],
            })
        );
    }

    #[test]
    fn a_store_that_does_not_answer_makes_the_server_unready() {
        let checked = readiness(Err("the store did not answer within 3 s".into()), None);
        assert!(!checked.ready);
        assert_eq!(checked.body["status"], "unready");
        assert_eq!(checked.body["store"]["status"], "failing");
        assert_eq!(
            checked.body["store"]["error"],
            "the store did not answer within 3 s"
        );
    }

    #[tokio::test]
    async fn a_fresh_store_is_ready() {
        let dir = tempfile::tempdir().unwrap();
        let opened = Reference::open(crate::Config::new(dir.path()))
            .await
            .unwrap();
        let checked = opened.reference.readiness().await;
        assert!(checked.ready, "{}", checked.body);
        assert_eq!(checked.body["connections"], json!([]));
        // The store's file moved away under the server: it no longer answers.
        let store = dir.path().join(crate::datadir::STORE_FILE);
        let moved = dir.path().join("moved");
        std::fs::rename(&store, &moved).unwrap();
        let checked = opened.reference.readiness().await;
        assert!(!checked.ready, "{}", checked.body);
        std::fs::rename(&moved, &store).unwrap();
        assert!(opened.reference.readiness().await.ready);
    }
}
