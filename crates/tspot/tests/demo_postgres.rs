//! `tspot demo load postgres://...` fills a PostgreSQL database with the demo's star schema, and
//! `tspot serve --connection tspot_demo=postgres://...` runs the demo Liveboard there with the
//! numbers the embedded SQLite demo of the same size gives.
//!
//! Runs when `TSPOT_TEST_POSTGRES` names a PostgreSQL database (`tests/postgres/start.sh`);
//! skipped with a note otherwise. It owns the schema `main` of that database (the demo TML's).
#![cfg(unix)]

mod common;

use common::{Server, run_command};
use serde_json::Value;

const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";

async fn liveboard(server: &Server) -> Value {
    let client = reqwest::Client::new();
    let login = client
        .post(server.url("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", "tsadmin"), ("password", "admin")])
        .send()
        .await
        .expect("login answers");
    assert_eq!(login.status(), 204);
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix("JSESSIONID=")
                .map(|_| v.split(';').next().unwrap_or(v))
        })
        .expect("a session cookie")
        .to_string();
    let response = client
        .post(server.url(&format!("pinboarddata?id={LIVEBOARD}&batchsize=100")))
        .header("X-Requested-By", "ThoughtSpot")
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("pinboarddata answers");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

/// Each visualization's rows by name, numbers rounded to cents (SQLite sums doubles, PostgreSQL
/// sums decimals).
fn rounded(data: &Value) -> Vec<(String, Vec<Vec<String>>)> {
    let mut vizzes: Vec<(String, Vec<Vec<String>>)> = data
        .as_object()
        .expect("an object")
        .values()
        .map(|viz| {
            let rows = viz["data"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|row| {
                    row.as_array()
                        .expect("a row")
                        .iter()
                        .map(|cell| match cell.as_f64() {
                            Some(n) => format!("{n:.2}"),
                            None => cell.to_string(),
                        })
                        .collect()
                })
                .collect();
            (viz["name"].as_str().unwrap_or_default().to_owned(), rows)
        })
        .collect();
    vizzes.sort();
    vizzes
}

/// Drops the schema `main` when the test ends (passing or not): other tests of the database
/// find tables by bare name in one schema only.
struct DropMain(String);

impl Drop for DropMain {
    fn drop(&mut self) {
        let url = self.0.clone();
        // The sync client runs a runtime of its own: not on the test's.
        let _ = std::thread::spawn(move || {
            if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
                let _ = client.batch_execute("DROP SCHEMA IF EXISTS main CASCADE");
            }
        })
        .join();
    }
}

#[tokio::test]
async fn the_demo_loaded_into_postgresql_runs_the_liveboard_with_the_sqlite_demos_numbers() {
    let Ok(url) = std::env::var("TSPOT_TEST_POSTGRES") else {
        eprintln!("note: TSPOT_TEST_POSTGRES is unset, so the PostgreSQL demo test is skipped");
        return;
    };
    let _drop_main = DropMain(url.clone());
    let mut command = std::process::Command::new(common::BIN);
    command.args(["demo", "load", &url, "--rows", "3000"]);
    let output = run_command(command, std::time::Duration::from_secs(120));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("24 stores, 30 products, 3000 sales"),
        "{stdout}"
    );
    assert!(
        !stdout.contains(":tspot@"),
        "no password in the output: {stdout}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let connection = format!("tspot_demo={url}");
    let on_postgres = Server::start(
        &dir.path().join("pg"),
        &dir.path().join("pg.log"),
        &["--demo-rows", "3000", "--connection", &connection],
    );
    let on_sqlite = Server::start(
        &dir.path().join("sqlite"),
        &dir.path().join("sqlite.log"),
        &["--demo-rows", "3000"],
    );
    assert!(
        !dir.path().join("pg/demo.sqlite3").exists(),
        "no SQLite demo beside PostgreSQL"
    );
    let (pg, sqlite) = (liveboard(&on_postgres).await, liveboard(&on_sqlite).await);
    assert_eq!(rounded(&pg), rounded(&sqlite));
    assert!(!rounded(&pg).is_empty());
}

#[test]
fn an_unreachable_database_is_one_line_and_a_failure() {
    let port = common::free_port();
    let mut command = std::process::Command::new(common::BIN);
    command.args([
        "demo",
        "load",
        &format!("postgres://tspot:secret@127.0.0.1:{port}/x"),
    ]);
    let output = run_command(command, std::time::Duration::from_secs(30));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("tspot: error: cannot connect to postgres://tspot@127.0.0.1:"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");
}
