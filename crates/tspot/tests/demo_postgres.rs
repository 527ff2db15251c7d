//! `tspot demo load postgres://...` fills a PostgreSQL database with the demo's star schema, and
//! `tspot serve --connection tspot_demo=postgres://...` runs the demo Liveboard there with the
//! numbers the embedded SQLite demo of the same size gives; its PDF and the TML of its tables
//! round-trip over that connection, and an outage of the database is a 503 until it is back.
//!
//! Runs when `TSPOT_TEST_POSTGRES` names a PostgreSQL database (`tests/postgres/start.sh`);
//! skipped with a note otherwise. It owns the schema `main` of that database (the demo TML's).
#![cfg(unix)]

mod common;

use common::proxy::Proxy;
use common::{Server, run_command};
use serde_json::Value;

const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";
const FACT_SALES: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000101";

async fn sign_in(server: &Server) -> String {
    let login = common::sign_in(server, "tsadmin", "admin", &[]).await;
    assert_eq!(login.status(), 204);
    common::session_cookie(&login)
}

/// POSTs `endpoint` (query included) with `form` as the signed-in administrator.
async fn post(server: &Server, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(endpoint))
        .header("X-Requested-By", "ThoughtSpot")
        .header(reqwest::header::COOKIE, sign_in(server).await)
        .form(form)
        .send()
        .await
        .expect("the server answers")
}

async fn liveboard(server: &Server) -> Value {
    let response = post(
        server,
        &format!("pinboarddata?id={LIVEBOARD}&batchsize=100"),
        &[],
    )
    .await;
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

// Two workers: the proxy runs while the test thread waits for a server to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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

    // The PDF of the Liveboard, its queries on PostgreSQL.
    let pdf = post(
        &on_postgres,
        &format!("export/pinboard/pdf?id={LIVEBOARD}"),
        &[],
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.expect("a body").starts_with(b"%PDF-"));

    // TML round trip: the table exports naming its PostgreSQL connection, schema and table,
    // and imports back as it was.
    let exported = post(
        &on_postgres,
        "metadata/tml/export",
        &[
            ("export_ids", &format!("[\"{FACT_SALES}\"]")),
            ("formattype", "YAML"),
        ],
    )
    .await;
    assert_eq!(exported.status(), 200);
    let exported: Value = exported.json().await.expect("JSON");
    let edoc = exported["object"][0]["edoc"]
        .as_str()
        .expect("the table's TML");
    for line in ["schema: main", "db_table: fact_sales", "name: tspot_demo"] {
        assert!(edoc.contains(line), "{line} in {edoc}");
    }
    let imported = post(
        &on_postgres,
        "metadata/tml/import",
        &[
            ("import_objects", &Value::from(vec![edoc]).to_string()),
            ("import_policy", "ALL_OR_NONE"),
        ],
    )
    .await;
    assert_eq!(imported.status(), 200);
    let imported: Value = imported.json().await.expect("JSON");
    assert_eq!(
        imported["object"][0]["response"]["status"]["status_code"], "OK",
        "{imported}"
    );
    assert_eq!(rounded(&liveboard(&on_postgres).await), rounded(&sqlite));

    // The connection's database out of reach: a ThoughtSpot-style 503 the client may retry,
    // never a hang or a 500; the next request after it is back answers again.
    let (mut proxy, through) = Proxy::in_front_of(&url).await;
    let proxied = format!("tspot_demo={through}");
    let behind_proxy = Server::start(
        &dir.path().join("proxied"),
        &dir.path().join("proxied.log"),
        &["--demo-rows", "3000", "--connection", &proxied],
    );
    assert_eq!(rounded(&liveboard(&behind_proxy).await), rounded(&sqlite));
    proxy.cut().await;
    // A fresh runtime filter: no cached result may answer.
    let fresh = format!("pinboarddata?id={LIVEBOARD}&col1=Region&op1=NE&val1=outage");
    let asked = std::time::Instant::now();
    let refused = post(&behind_proxy, &fresh, &[]).await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5");
    let body: Value = refused.json().await.expect("a JSON error body");
    assert!(
        body["debug"]
            .as_str()
            .unwrap_or_default()
            .contains("unavailable"),
        "{body}"
    );
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        asked.elapsed()
    );
    proxy.restore().await;
    let mut answered = 0;
    for _ in 0..20 {
        answered = post(&behind_proxy, &fresh, &[]).await.status().as_u16();
        if answered == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(answered, 200, "the pool recovers once the database is back");
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
