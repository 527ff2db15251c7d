//! `tspot serve` as operators run it: health probes, metrics, JSON logs with trace ids, one
//! server per data directory, a configuration file, and backup and restore beside a live server.
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Server, free_port, mode, run, session_cookie, sign_in, user_list};
use serde_json::Value;

const PASSWORD: &str = "Ops-Passw0rd!";

fn api(server: &Server, endpoint: &str) -> String {
    server.url(endpoint)
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

fn trace_id(response: &reqwest::Response) -> String {
    response.headers()["x-callosum-trace-id"]
        .to_str()
        .expect("ascii")
        .to_string()
}

/// The sum of the samples of `name` whose labels include every one of `labels` (0 when none).
fn metric(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.rsplit_once(' '))
        .filter(|(series, _)| {
            let (series_name, series_labels) = series.split_once('{').unwrap_or((series, ""));
            series_name == name && labels.iter().all(|label| series_labels.contains(label))
        })
        .map(|(_, value)| value.parse::<f64>().expect("a number"))
        .sum()
}

async fn scrape(url: &str) -> String {
    let response = get(url).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
    );
    response.text().await.expect("metrics text")
}

/// Waits until `check` holds (the server logs and counts after it answers), at most 10 s.
async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    check()
}

#[tokio::test]
async fn probes_answer_without_a_session_report_connections_and_stay_out_of_the_info_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let extra_db = dir.path().join("extra.sqlite3");
    std::fs::write(&extra_db, b"").expect("an empty SQLite database");
    let connection = format!("extra=sqlite:{}", extra_db.display());
    let log = dir.path().join("log");
    let server = Server::start(
        &data,
        &log,
        &["--demo-rows", "1000", "--connection", &connection],
    );

    let health = get(&format!("{}/healthz", server.base)).await;
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-callosum-trace-id"));
    assert_eq!(
        health.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "alive"})
    );

    let readyz = format!("{}/readyz", server.base);
    let ready = get(&readyz).await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready", "{body}");
    assert_eq!(body["store"]["status"], "ok", "{body}");
    let connections = body["connections"].as_array().expect("a list").clone();
    let names: BTreeSet<&str> = connections
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, BTreeSet::from(["extra", "tspot_demo"]), "{body}");
    assert!(connections.iter().all(|c| c["status"] == "ok"), "{body}");

    // A customer database going away is reported, but the server stays in rotation.
    std::fs::remove_file(&extra_db).expect("remove");
    let ready = get(&readyz).await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    let extra = body["connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "extra")
        .expect("extra is reported")
        .clone();
    assert_eq!(extra["status"], "failing", "{body}");
    assert!(
        !extra["error"].as_str().unwrap().contains("extra.sqlite3"),
        "no path in {body}"
    );

    // The store's file going away takes it out of rotation, with a body naming the store.
    let store = data.join("tspot.sqlite3");
    let moved = data.join("moved-away");
    std::fs::rename(&store, &moved).expect("move the store away");
    let unready = get(&readyz).await;
    assert_eq!(unready.status(), 503);
    let body: Value = unready.json().await.unwrap();
    assert_eq!(body["status"], "unready", "{body}");
    assert_eq!(body["store"]["status"], "failing", "{body}");
    assert!(
        body["store"]["error"].as_str().unwrap().contains("store"),
        "{body}"
    );
    std::fs::rename(&moved, &store).expect("move the store back");
    assert_eq!(get(&readyz).await.status(), 200);

    // Without --metrics-listen there are no metrics.
    assert_eq!(get(&format!("{}/metrics", server.base)).await.status(), 404);

    // An API request is logged at INFO; the probes are not.
    assert_eq!(user_list(&server, None).await.status(), 401);
    assert!(
        eventually(|| server.log().contains("/callosum/v1/tspublic/v1/user/list")).await,
        "{}",
        server.log()
    );
    let log = server.log();
    let request_lines = log
        .lines()
        .filter(|line| line.contains(" INFO ") && line.contains(": request status="));
    for line in request_lines {
        assert!(
            !line.contains("path=/healthz") && !line.contains("path=/readyz"),
            "a probe at INFO: {line}\n{log}"
        );
    }
    // Turning unready and ready again is logged once each.
    assert_eq!(
        log.matches("not ready: the store does not answer").count(),
        1,
        "{log}"
    );
    assert_eq!(log.matches("ready again").count(), 1, "{log}");
}

#[tokio::test]
async fn probes_are_logged_at_debug() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start_on(
        free_port(),
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0"],
        &[("TSPOT_LOG", "debug")],
    );
    assert_eq!(get(&format!("{}/healthz", server.base)).await.status(), 200);
    assert!(
        eventually(|| server.log().lines().any(|l| l.contains("DEBUG")
            && l.contains("path=/healthz")
            && l.contains("status=200")))
        .await,
        "{}",
        server.log()
    );
}

#[tokio::test]
async fn metrics_move_with_requests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let metrics_port = free_port();
    let metrics_listen = format!("127.0.0.1:{metrics_port}");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &[
            "--demo-rows",
            "1000",
            "--admin-password",
            PASSWORD,
            "--metrics-listen",
            &metrics_listen,
        ],
    );
    let metrics_url = format!("http://{metrics_listen}/metrics");
    // Not on the API's listener when it has its own.
    assert_eq!(get(&format!("{}/metrics", server.base)).await.status(), 404);
    // The probes answer on the metrics listener too.
    assert_eq!(
        get(&format!("http://{metrics_listen}/readyz"))
            .await
            .status(),
        200
    );

    let before = scrape(&metrics_url).await;
    for (name, labels) in [
        ("tspot_sessions_active", &[][..]),
        ("tspot_password_hashing_queue_depth", &[]),
        ("tspot_store_errors_total", &[]),
        (
            "tspot_sign_in_refusals_total",
            &["reason=\"wrong_credentials\""],
        ),
        ("tspot_session_cache_lookups_total", &["result=\"hit\""]),
        ("tspot_build_info", &[]),
    ] {
        assert!(
            before
                .lines()
                .any(|l| l.starts_with(name) && labels.iter().all(|x| l.contains(x))),
            "{name} {labels:?} is missing:\n{before}"
        );
    }
    let unauthorized = |text: &str| {
        metric(
            text,
            "tspot_http_requests_total",
            &["operation=\"userList\"", "status=\"401\""],
        )
    };
    let refusals = |text: &str| {
        metric(
            text,
            "tspot_sign_in_refusals_total",
            &["reason=\"wrong_credentials\""],
        )
    };

    for _ in 0..3 {
        assert_eq!(user_list(&server, None).await.status(), 401);
    }
    assert_eq!(
        sign_in(&server, "tsadmin", "wrong", &[]).await.status(),
        401
    );
    let response = sign_in(&server, "tsadmin", PASSWORD, &[]).await;
    assert_eq!(response.status(), 204);
    let cookie = session_cookie(&response);
    for _ in 0..2 {
        assert_eq!(user_list(&server, Some(&cookie)).await.status(), 200);
    }
    let search = reqwest::Client::new()
        .post(api(&server, "searchdata"))
        .header("X-Requested-By", "ThoughtSpot")
        .header(reqwest::header::COOKIE, &cookie)
        .form(&[
            ("query_string", "[Sales] [Region]"),
            ("data_source_guid", "6a0d3c1e-5b7f-4c2a-9e41-000000000201"),
        ])
        .send()
        .await
        .expect("searchdata answers");
    assert_eq!(search.status(), 200, "{}", search.text().await.unwrap());

    let after = scrape(&metrics_url).await;
    assert_eq!(unauthorized(&after) - unauthorized(&before), 3.0, "{after}");
    assert_eq!(refusals(&after) - refusals(&before), 1.0, "{after}");
    assert!(
        metric(
            &after,
            "tspot_http_request_duration_seconds_count",
            &["operation=\"userList\""]
        ) >= 5.0,
        "{after}"
    );
    assert!(
        metric(
            &after,
            "tspot_http_request_duration_seconds_bucket",
            &["operation=\"sessionLogin\"", "le=\"+Inf\""]
        ) >= 2.0,
        "{after}"
    );
    assert!(
        metric(&after, "tspot_sessions_active", &[]) >= 1.0,
        "{after}"
    );
    assert!(
        metric(
            &after,
            "tspot_session_cache_lookups_total",
            &["result=\"hit\""]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        metric(
            &after,
            "tspot_engine_query_duration_seconds_count",
            &["connection=\"demo.sqlite3\""]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        !after.contains(&dir.path().display().to_string()),
        "a path in the metrics"
    );
    assert!(
        metric(&after, "tspot_catalog_cache_lookups_total", &[]) >= 1.0,
        "{after}"
    );
    // The scrape itself is in flight while it renders.
    assert!(metric(&after, "tspot_http_requests_in_flight", &[]) >= 1.0);
}

#[tokio::test]
async fn metrics_can_share_the_api_listener() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let server = Server::start_on(
        port,
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0", "--metrics-listen", &listen],
        &[],
    );
    let text = scrape(&format!("{}/metrics", server.base)).await;
    assert!(text.contains("tspot_build_info"), "{text}");
}

#[tokio::test]
async fn json_logs_carry_the_trace_id_of_the_response() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0", "--log-format", "json"],
    );
    let refused = user_list(&server, None).await;
    assert_eq!(refused.status(), 401);
    let trace = trace_id(&refused);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["trace_id_guid"], trace.as_str());
    let incident = body["incident_id_guid"].as_str().unwrap().to_string();

    let failed_login = sign_in(&server, "tsadmin", "not-the-password", &[]).await;
    assert_eq!(failed_login.status(), 401);
    let login_trace = trace_id(&failed_login);

    let lines = |log: String| -> Vec<Value> {
        log.lines()
            .map(|line| {
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
            })
            .collect()
    };
    assert!(
        eventually(|| lines(server.log())
            .iter()
            .any(|l| l["span"]["trace_id"] == login_trace.as_str() && l["message"] == "request"))
        .await,
        "{}",
        server.log()
    );
    let log = lines(server.log());
    let request_line = log
        .iter()
        .find(|l| l["message"] == "request" && l["span"]["trace_id"] == trace.as_str())
        .unwrap_or_else(|| panic!("no request line for {trace}: {log:?}"));
    assert_eq!(request_line["level"], "INFO");
    assert_eq!(request_line["status"], 401);
    assert_eq!(request_line["span"]["incident_id"], incident.as_str());
    assert_eq!(request_line["span"]["operation"], "userList");
    assert_eq!(
        request_line["span"]["path"],
        "/callosum/v1/tspublic/v1/user/list"
    );
    let warning = log
        .iter()
        .find(|l| l["level"] == "WARN" && l["span"]["trace_id"] == login_trace.as_str())
        .unwrap_or_else(|| panic!("no warning for {login_trace}: {log:?}"));
    assert_eq!(warning["user"], "tsadmin");
    assert_eq!(warning["client"], "127.0.0.1");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("sign-in refused"),
        "{warning}"
    );
    // Lines outside requests have no span.
    let listening = log
        .iter()
        .find(|l| l["message"] == "listening")
        .expect("a listening line");
    assert!(listening.get("span").is_none(), "{listening}");
}

/// One line on standard error naming the problem, a non-zero status.
fn assert_one_line_failure(output: &std::process::Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(expected), "{expected:?} not in {stderr}");
}

#[tokio::test]
async fn a_second_server_on_the_same_data_directory_names_the_first_ones_pid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let server = Server::start(&data, &dir.path().join("log"), &["--demo-rows", "0"]);
    let data_arg = data.to_str().expect("utf-8");
    let output = run(&["serve", "--listen", "127.0.0.1:0", "--data-dir", data_arg]);
    assert_one_line_failure(&output, &format!("(PID {})", server.pid()));
    assert_one_line_failure(&output, "in use by tspot serve");
    let lock = std::fs::read_to_string(data.join("tspot.lock")).expect("the lock file");
    assert_eq!(lock, format!("{}\nserve\n", server.pid()));
    assert_eq!(mode(&data.join("tspot.lock")), 0o600);
    // The first server is unaffected.
    assert_eq!(get(&format!("{}/readyz", server.base)).await.status(), 200);
}

fn write_config(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).expect("write the config");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[tokio::test]
async fn a_config_file_sets_options_below_flags_and_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("tspot.toml");
    let config_arg = config.to_str().expect("utf-8");
    let data = dir.path().join("data");
    let data_arg = data.to_str().expect("utf-8");
    let text = format!(
        "# tspot serve\nadmin_password = \"{PASSWORD}\"\ndemo-rows = 0\nlog_format = \"json\"\n\
         session_timeout = \"2h\"\n"
    );

    // Shared with other users while it holds a secret: refused.
    write_config(&config, &text, 0o644);
    let output = run(&["serve", "--config", config_arg, "--data-dir", data_arg]);
    assert_one_line_failure(&output, "accessible to other users (mode 0644)");
    assert!(String::from_utf8_lossy(&output.stderr).contains("chmod 600"));

    write_config(&config, &text, 0o600);
    let first = dir.path().join("first.log");
    let mut server = Server::start(&data, &first, &["--config", config_arg]);
    assert_eq!(
        sign_in(&server, "tsadmin", PASSWORD, &[]).await.status(),
        204,
        "the file's password"
    );
    let log = server.log();
    let listening: Value = log
        .lines()
        .find(|l| l.contains("\"listening\""))
        .map(|l| serde_json::from_str(l).expect("JSON from the file's log_format"))
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(listening["session_timeout"], "2h");
    assert!(!log.contains(PASSWORD));
    server.stop("TERM");

    // The environment beats the file, and a flag beats the environment.
    let second = dir.path().join("second.log");
    let mut server = Server::start_on(
        free_port(),
        &data,
        &second,
        &["--config", config_arg, "--session-timeout", "5m"],
        &[("TSPOT_LOG_FORMAT", "text")],
    );
    let log = server.log();
    assert!(
        log.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_err()),
        "{log}"
    );
    assert!(log.contains("session_timeout=5m"), "{log}");
    server.stop("TERM");

    // Unknown keys and bad values are one clear line.
    write_config(&config, "listen_on = \"x\"\n", 0o600);
    let output = run(&["serve", "--config", config_arg, "--data-dir", data_arg]);
    assert_one_line_failure(&output, "unknown key 'listen_on'");
    write_config(&config, "session_timeout = \"soon\"\n", 0o600);
    let output = run(&["serve", "--config", config_arg, "--data-dir", data_arg]);
    assert_one_line_failure(&output, "--session-timeout");
    assert_one_line_failure(&output, "--config");
    write_config(&config, "demo_rows = [\n", 0o600);
    let output = run(&["serve", "--config", config_arg, "--data-dir", data_arg]);
    assert_one_line_failure(&output, "line ");
}

/// `user/sync` on the server at `base`, creating the user `name`.
async fn create_user(base: &str, cookie: &str, name: &str) -> reqwest::StatusCode {
    let principals = serde_json::json!([{
        "name": name,
        "displayName": name,
        "principalTypeEnum": "LOCAL_USER",
        "groupNames": ["All"],
    }]);
    let part = reqwest::multipart::Part::text(principals.to_string())
        .file_name("principals.json")
        .mime_str("application/json")
        .expect("a MIME type");
    let form = reqwest::multipart::Form::new()
        .part("principals", part)
        .text("applyChanges", "true")
        .text("removeDeleted", "false")
        .text("password", "Load-Passw0rd!");
    reqwest::Client::new()
        .post(format!("{base}/callosum/v1/tspublic/v1/user/sync"))
        .header("X-Requested-By", "ThoughtSpot")
        .header(reqwest::header::COOKIE, cookie)
        .multipart(form)
        .send()
        .await
        .expect("user/sync answers")
        .status()
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_every_change_committed_before_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let data_arg = data.to_str().expect("utf-8").to_owned();
    let mut server = Server::start(
        &data,
        &dir.path().join("first.log"),
        &["--demo-rows", "0", "--admin-password", PASSWORD],
    );
    let response = sign_in(&server, "tsadmin", PASSWORD, &[]).await;
    assert_eq!(response.status(), 204);
    let cookie = session_cookie(&response);

    // A writer creates one user after another and notes each one the server confirmed.
    let committed = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (committed, stop, cookie) = (committed.clone(), stop.clone(), cookie.clone());
        let base = server.base.clone();
        tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Acquire) && Instant::now() < deadline {
                let name = format!("load-{i:04}");
                let status = create_user(&base, &cookie, &name).await;
                assert_eq!(status, 200, "user/sync {name}");
                committed.lock().unwrap().push(name);
                i += 1;
            }
        })
    };
    let wait_for = |n: usize| {
        let committed = committed.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(30);
            while committed.lock().unwrap().len() < n {
                assert!(Instant::now() < deadline, "the writer is stuck");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    wait_for(5).await;
    let before: Vec<String> = committed.lock().unwrap().clone();
    let backup = dir.path().join("backup.sqlite3");
    let backup_arg = backup.to_str().expect("utf-8").to_owned();
    let output = {
        let data_arg = data_arg.clone();
        let backup_arg = backup_arg.clone();
        tokio::task::spawn_blocking(move || run(&["backup", "--data-dir", &data_arg, &backup_arg]))
            .await
            .expect("backup ran")
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("backed up"));
    // Writes went on during and after the backup.
    let written = before.len() + 3;
    wait_for(written).await;
    stop.store(true, std::sync::atomic::Ordering::Release);
    writer.await.expect("the writer ran");
    assert_eq!(mode(&backup), 0o600);

    // Restore refuses while the server holds the data directory.
    let output = run(&["restore", "--data-dir", &data_arg, &backup_arg]);
    assert_one_line_failure(&output, &format!("(PID {})", server.pid()));
    assert_eq!(server.stop("TERM").code(), Some(0));

    // Into a new data directory, and into the old one now that no server holds it.
    for target in [dir.path().join("restored"), data.clone()] {
        let target_arg = target.to_str().expect("utf-8");
        let output = run(&["restore", "--data-dir", target_arg, &backup_arg]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("ended 1 sessions"), "{stdout}");
        assert_eq!(mode(&target), 0o700);
        assert_eq!(mode(&target.join("tspot.sqlite3")), 0o600);

        let server = Server::start(&target, &dir.path().join("restored.log"), &[]);
        // The session the backup held is over.
        assert_eq!(user_list(&server, Some(&cookie)).await.status(), 401);
        let response = sign_in(&server, "tsadmin", PASSWORD, &[]).await;
        assert_eq!(response.status(), 204);
        let fresh = session_cookie(&response);
        let listed = user_list(&server, Some(&fresh)).await;
        assert_eq!(listed.status(), 200);
        let principals: Vec<Value> = listed.json().await.expect("a list");
        let names: BTreeSet<&str> = principals
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for name in &before {
            assert!(names.contains(name.as_str()), "{name} is missing");
        }
        // A snapshot: the users that made it are a prefix of those created.
        let loaded: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| n.starts_with("load-"))
            .collect();
        for (i, name) in loaded.iter().enumerate() {
            assert_eq!(*name, format!("load-{i:04}"));
        }
    }

    // Never over an existing file.
    let output = run(&["backup", "--data-dir", &data_arg, &backup_arg]);
    assert_one_line_failure(&output, "exists");
}
