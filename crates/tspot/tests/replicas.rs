//! Two `tspot serve` processes on one PostgreSQL store act as one server: sessions, their ends
//! and trusted-authentication tokens cross replicas from the next request on, TML imported
//! through one is searchable through the other, concurrent writes through both lose nothing,
//! and a replica killed with SIGKILL during writes loses no acknowledged one.
//!
//! Runs when `TSPOT_TEST_POSTGRES` names a PostgreSQL database (`tests/postgres/start.sh`);
//! skipped with a note otherwise. Each test has a schema of its own.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Server;
use common::proxy::Proxy;
use serde_json::Value;
use tspot_reference::testing::ScratchSchema;

const PASSWORD: &str = "Replica-Passw0rd!";
const SECRET: &str = "replica-trusted-secret";

/// `None` without a test database.
fn fresh_store() -> Option<ScratchSchema> {
    ScratchSchema::new("the replica tests")
}

/// A random number (std's hasher keys are random per `RandomState`).
fn random() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

fn start(store: &str, data: &Path, log: &Path, demo_rows: &str) -> Server {
    Server::start(
        data,
        log,
        &[
            "--store",
            store,
            "--demo-rows",
            demo_rows,
            "--admin-password",
            PASSWORD,
            "--trusted-auth-secret",
            SECRET,
        ],
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn login(server: &Server, user: &str, password: &str) -> Option<String> {
    let response = client()
        .post(server.url("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .expect("login answers");
    (response.status() == 204).then(|| common::session_cookie(&response))
}

async fn get(server: &Server, endpoint: &str, cookie: &str) -> (u16, String) {
    let response = client()
        .get(server.url(endpoint))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

async fn post_form(
    server: &Server,
    endpoint: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, String) {
    let mut request = client()
        .post(server.url(endpoint))
        .header("X-Requested-By", "ThoughtSpot")
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// `user/sync` creating (never deleting) `principals`, each `(name, type, groups)`.
async fn sync(
    server: &Server,
    cookie: &str,
    principals: &[(&str, &str, &[&str])],
    remove_deleted: bool,
) -> u16 {
    let list: Vec<Value> = principals
        .iter()
        .map(|(name, kind, groups)| {
            serde_json::json!({
                "name": name, "displayName": name, "principalTypeEnum": kind,
                "groupNames": groups,
            })
        })
        .collect();
    let part = reqwest::multipart::Part::text(Value::from(list).to_string())
        .file_name("principals.json")
        .mime_str("application/json")
        .expect("a MIME type");
    let form = reqwest::multipart::Form::new()
        .part("principals", part)
        .text("applyChanges", "true")
        .text("removeDeleted", remove_deleted.to_string())
        .text("password", "Member-Passw0rd!");
    client()
        .post(server.url("user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .header(reqwest::header::COOKIE, cookie)
        .multipart(form)
        .send()
        .await
        .expect("user/sync answers")
        .status()
        .as_u16()
}

/// An answer over the demo worksheet, named `name`, new (no GUID).
fn answer(name: &str) -> String {
    format!(
        "answer:\n  name: {name}\n  tables:\n  - id: Retail Sales\n    name: Retail Sales\n  \
         search_query: \"[Sales] [Region]\"\n"
    )
}

async fn import(server: &Server, cookie: &str, documents: &[String]) -> (u16, String) {
    let objects = Value::from(documents.to_vec()).to_string();
    post_form(
        server,
        "metadata/tml/import",
        Some(cookie),
        &[
            ("import_objects", &objects),
            ("import_policy", "ALL_OR_NONE"),
        ],
    )
    .await
}

/// Names of the answers the caller sees.
async fn answers(server: &Server, cookie: &str) -> BTreeSet<String> {
    let (status, body) = get(
        server,
        "metadata/listobjectheaders?type=QUESTION_ANSWER_BOOK",
        cookie,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let headers: Value = serde_json::from_str(&body).expect("JSON");
    headers
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|h| h["name"].as_str().map(str::to_owned))
        .collect()
}

async fn principal_names(server: &Server, cookie: &str) -> BTreeSet<String> {
    let (status, body) = get(server, "user/list", cookie).await;
    assert_eq!(status, 200, "{body}");
    let list: Value = serde_json::from_str(&body).expect("JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn sessions_their_ends_tokens_and_imports_cross_replicas_from_the_next_request_on() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    // Both replicas share the data directory (it holds only the demo's data file).
    let data = dir.path().join("data");
    let a = start(&store, &data, &dir.path().join("a.log"), "2000");
    let b = start(&store, &data, &dir.path().join("b.log"), "2000");

    // A session from a login on A works on B.
    let admin = login(&a, "tsadmin", PASSWORD)
        .await
        .expect("tsadmin signs in on A");
    assert_eq!(get(&b, "user/list", &admin).await.0, 200);

    // Logout through A: refused by B at its next request, though B had it cached.
    let short = login(&b, "tsadmin", PASSWORD).await.expect("signs in on B");
    assert_eq!(get(&b, "user/list", &short).await.0, 200);
    assert_eq!(
        post_form(&a, "session/logout", Some(&short), &[]).await.0,
        204
    );
    assert_eq!(get(&b, "user/list", &short).await.0, 401);

    // A password change through A ends the user's other sessions on B.
    assert_eq!(
        sync(&a, &admin, &[("ann", "LOCAL_USER", &["All"])], false).await,
        200
    );
    let ann_on_b = login(&b, "ann", "Member-Passw0rd!")
        .await
        .expect("ann signs in on B");
    let ann_on_a = login(&a, "ann", "Member-Passw0rd!")
        .await
        .expect("ann signs in on A");
    assert_eq!(get(&b, "user/list", &ann_on_b).await.0, 200);
    let (status, body) = post_form(
        &a,
        "user/updatepassword",
        Some(&ann_on_a),
        &[
            ("name", "ann"),
            ("currentpassword", "Member-Passw0rd!"),
            ("password", "Changed-Passw0rd!"),
        ],
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(get(&b, "user/list", &ann_on_b).await.0, 401);
    assert_eq!(
        get(&b, "user/list", &ann_on_a).await.0,
        200,
        "the changer's own session stays"
    );
    assert!(login(&b, "ann", "Member-Passw0rd!").await.is_none());

    // Deleting ann through A (a sync that removes who is not listed) ends her session on B.
    assert_eq!(get(&b, "user/list", &ann_on_a).await.0, 200);
    assert_eq!(sync(&a, &admin, &[], true).await, 200);
    assert_eq!(get(&b, "user/list", &ann_on_a).await.0, 401);

    // A trusted-authentication token from A signs in once, on B; A refuses it afterwards.
    let (status, token) = post_form(
        &a,
        "session/auth/token",
        None,
        &[
            ("secret_key", SECRET),
            ("username", "tsadmin"),
            ("access_level", "FULL"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{token}");
    let with_token = [
        ("username", "tsadmin"),
        ("auth_token", token.as_str()),
        ("no_url_redirection", "true"),
    ];
    let (status, body) = post_form(&b, "session/login/token", None, &with_token).await;
    assert!(status == 200 || status == 204, "{status} {body}");
    assert_eq!(
        post_form(&a, "session/login/token", None, &with_token)
            .await
            .0,
        401
    );

    // TML imported through A is listed and searched through B.
    let (status, body) = import(&a, &admin, &[answer("Imported on A")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(answers(&b, &admin).await.contains("Imported on A"));
    let (status, body) = post_form(
        &b,
        "searchdata",
        Some(&admin),
        &[
            ("query_string", "[Sales] [Region]"),
            ("data_source_guid", "6a0d3c1e-5b7f-4c2a-9e41-000000000201"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"rowCount\""), "{body}");
}

#[tokio::test]
async fn concurrent_syncs_and_imports_through_both_replicas_lose_nothing() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let a = Arc::new(start(&store, &data, &dir.path().join("a.log"), "1000"));
    let b = Arc::new(start(&store, &data, &dir.path().join("b.log"), "1000"));
    let cookie = login(&a, "tsadmin", PASSWORD).await.expect("signs in");
    const EACH: usize = 12;
    let mut tasks = Vec::new();
    for (n, server) in [a.clone(), b.clone(), a.clone(), b.clone()]
        .into_iter()
        .enumerate()
    {
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..EACH {
                let group = format!("group-{n}-{i}");
                assert_eq!(
                    sync(
                        &server,
                        &cookie,
                        &[(&group, "LOCAL_GROUP", &["All"])],
                        false
                    )
                    .await,
                    200,
                    "{group}"
                );
                let (status, body) =
                    import(&server, &cookie, &[answer(&format!("answer-{n}-{i}"))]).await;
                assert_eq!(status, 200, "{body}");
            }
        }));
    }
    for task in tasks {
        task.await.expect("a writer ran");
    }
    let principals = principal_names(&b, &cookie).await;
    let answers_seen = answers(&a, &cookie).await;
    for n in 0..4 {
        for i in 0..EACH {
            assert!(
                principals.contains(&format!("group-{n}-{i}")),
                "group-{n}-{i}"
            );
            assert!(
                answers_seen.contains(&format!("answer-{n}-{i}")),
                "answer-{n}-{i}"
            );
        }
    }
}

/// Two users racing to import one new GUID through two replicas: the import plans and writes
/// under the store's exclusive "import" lock, so exactly one of them creates the object and the
/// other is refused (never silently updating the first one's object).
#[tokio::test]
async fn one_new_guid_imported_through_both_replicas_at_once_has_one_owner() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let a = Arc::new(start(&store, &data, &dir.path().join("a.log"), "1000"));
    let b = Arc::new(start(&store, &data, &dir.path().join("b.log"), "1000"));
    let admin = login(&a, "tsadmin", PASSWORD).await.expect("signs in");
    let users: &[(&str, &str, &[&str])] = &[
        ("racer-a", "LOCAL_USER", &["All"]),
        ("racer-b", "LOCAL_USER", &["All"]),
    ];
    assert_eq!(sync(&a, &admin, users, false).await, 200);
    let on_a = login(&a, "racer-a", "Member-Passw0rd!")
        .await
        .expect("racer-a");
    let on_b = login(&b, "racer-b", "Member-Passw0rd!")
        .await
        .expect("racer-b");
    for round in 0..8 {
        let guid = format!(
            "e0000000-0000-4000-8000-{:012}",
            random() % 1_000_000_000_000 + round
        );
        let document = |who: &str| format!("guid: {guid}\n{}", answer(&format!("{who}-{round}")));
        let (mine, theirs) = ([document("racer-a")], [document("racer-b")]);
        let (first, second) = tokio::join!(import(&a, &on_a, &mine), import(&b, &on_b, &theirs));
        let created: Vec<&str> = [(&first, "racer-a"), (&second, "racer-b")]
            .into_iter()
            .filter(|((status, body), _)| {
                assert_eq!(*status, 200, "{body}");
                body.contains("\"status_code\":\"OK\"")
            })
            .map(|(_, who)| who)
            .collect();
        assert_eq!(created.len(), 1, "round {round}: {first:?} {second:?}");
        // The object is the winner's, under the winner's name.
        let winner = if created[0] == "racer-a" {
            (&a, &on_a)
        } else {
            (&b, &on_b)
        };
        let names = answers(winner.0, winner.1).await;
        assert!(
            names.contains(&format!("{}-{round}", created[0])),
            "{names:?}"
        );
    }
}

/// Sign-in throttling lives in the store: failures through one replica count on the other, so
/// spreading guesses over replicas buys an attacker nothing (5 free failures, then 1 s).
#[tokio::test]
async fn failed_sign_ins_through_both_replicas_are_throttled_as_one() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let a = start(&store, &data, &dir.path().join("a.log"), "0");
    let b = start(&store, &data, &dir.path().join("b.log"), "0");
    async fn attempt(server: &Server, password: &str) -> u16 {
        client()
            .post(server.url("session/login"))
            .header("X-Requested-By", "ThoughtSpot")
            .form(&[("username", "tsadmin"), ("password", password)])
            .send()
            .await
            .expect("login answers")
            .status()
            .as_u16()
    }
    // Three wrong guesses through each replica: six in all, one more than the free five.
    for server in [&a, &b, &a, &b, &a, &b] {
        assert_eq!(attempt(server, "guess").await, 401);
    }
    // The delay holds on both replicas, even for the right password.
    assert_eq!(attempt(&a, PASSWORD).await, 401);
    assert_eq!(attempt(&b, PASSWORD).await, 401);
    // Once it is over, the right password works through either.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(attempt(&b, PASSWORD).await, 204);
}

#[tokio::test]
async fn a_replica_killed_during_writes_loses_no_acknowledged_write() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut a = start(&store, &data, &dir.path().join("a.log"), "0");
    let b = start(&store, &data, &dir.path().join("b.log"), "0");
    let cookie = login(&a, "tsadmin", PASSWORD).await.expect("signs in");

    // Writers through A note each group A acknowledged, until A dies under them.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (acknowledged, cookie, base) =
                (acknowledged.clone(), cookie.clone(), a.url("user/sync"));
            tokio::spawn(async move {
                for i in 0.. {
                    let group = format!("kill-{w}-{i:04}");
                    let list = serde_json::json!([{
                        "name": group, "displayName": group,
                        "principalTypeEnum": "LOCAL_GROUP", "groupNames": ["All"],
                    }]);
                    let part = reqwest::multipart::Part::text(list.to_string())
                        .file_name("principals.json")
                        .mime_str("application/json")
                        .expect("a MIME type");
                    let form = reqwest::multipart::Form::new()
                        .part("principals", part)
                        .text("applyChanges", "true")
                        .text("removeDeleted", "false");
                    let sent = client()
                        .post(&base)
                        .header("X-Requested-By", "ThoughtSpot")
                        .header(reqwest::header::COOKIE, &cookie)
                        .multipart(form)
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 200 => {
                            acknowledged.lock().unwrap().push(group);
                        }
                        // The replica is gone: stop writing.
                        _ => return,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 30 {
        assert!(Instant::now() < deadline, "the writers are stuck");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = a.stop("KILL");
    assert_eq!(status.code(), None, "killed by a signal");
    for writer in writers {
        writer.await.expect("a writer ran");
    }

    // Every write A acknowledged is there, through B.
    let principals = principal_names(&b, &cookie).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 30);
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|g| !principals.contains(*g))
        .collect();
    assert!(lost.is_empty(), "lost acknowledged writes: {lost:?}");
}

// Two workers: the proxy runs while the test thread waits for the server to start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_a_503_and_the_replica_recovers_when_it_is_back() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut proxy, through_proxy) = Proxy::in_front_of(&store).await;
    let server = start(
        &through_proxy,
        &dir.path().join("data"),
        &dir.path().join("a.log"),
        "0",
    );
    let cookie = login(&server, "tsadmin", PASSWORD).await.expect("signs in");
    assert_eq!(get(&server, "user/list", &cookie).await.0, 200);

    proxy.cut().await;
    let asked = Instant::now();
    let (status, body) = get(&server, "user/list", &cookie).await;
    assert_eq!(status, 503, "{body}");
    // ThoughtSpot's error body; the ids differ per request.
    let mut error: Value = serde_json::from_str(&body).expect("a JSON error body");
    let incident = error["incident_id_guid"]
        .as_str()
        .expect("an incident id")
        .to_owned();
    // `debug` names the incident too, as Callosum writes it.
    error["debug"] = Value::from(
        error["debug"]
            .as_str()
            .expect("debug")
            .replace(&incident, "[id]"),
    );
    for id in ["incident_id", "incident_id_guid", "trace_id_guid"] {
        assert!(error[id].is_string(), "{body}");
        error[id] = Value::from("[id]");
    }
    insta::assert_json_snapshot!("store_outage_503", error);
    assert!(
        asked.elapsed() < Duration::from_secs(20),
        "no hang: {:?}",
        asked.elapsed()
    );
    let (status, _) = get(&server, "user/list", &cookie).await;
    assert_eq!(status, 503);

    proxy.restore().await;
    let (status, body) = get(&server, "user/list", &cookie).await;
    assert_eq!(status, 200, "the pool recovers: {body}");
}

#[test]
fn an_unreachable_store_or_a_wrong_password_is_one_line_and_a_failure_at_start() {
    let Some(schema) = fresh_store() else { return };
    let store = schema.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8");
    let closed = format!(
        "postgres://tspot@127.0.0.1:{}/tspot_test",
        common::free_port()
    );
    let without_password = store.replacen("tspot:tspot@", "tspot@", 1);
    for (url, password) in [
        (closed.as_str(), "tspot"),
        (without_password.as_str(), "wrong"),
    ] {
        let mut command = std::process::Command::new(common::BIN);
        command
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                data,
                "--store",
                url,
            ])
            .env("TSPOT_LOG", "info");
        for variable in common::SERVE_VARIABLES {
            command.env_remove(variable);
        }
        command.env("TSPOT_STORE_PASSWORD", password);
        let output = common::run_command(command, Duration::from_secs(30));
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        assert_eq!(errors.len(), 1, "{stderr}");
        assert!(
            errors[0].starts_with("tspot: error: cannot open the store at postgres://tspot@"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("wrong"),
            "the password stays out of the message: {stderr}"
        );
    }
}
