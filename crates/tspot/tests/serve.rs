//! `tspot serve` as a process: it answers over HTTP, keeps sessions across a restart, stops
//! cleanly on SIGTERM and Ctrl-C, and fails to start with one clear line.
#![cfg(unix)]

mod common;

use std::net::TcpListener;
use std::process::{Command, Output};

use common::{BIN, Server, run};

const ADMIN_PASSWORD: &str = "First-Passw0rd!";
const SECRET: &str = "6f1c2a7e-trusted-auth-secret";

async fn login(server: &Server, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("username", "tsadmin"),
            ("password", password),
            ("rememberme", "true"),
        ])
        .send()
        .await
        .expect("login answers")
}

/// The `JSESSIONID=...` pair of a successful login.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("JSESSIONID="))
        .and_then(|v| v.split(';').next())
        .expect("a JSESSIONID cookie")
        .to_string()
}

async fn user_list(server: &Server, cookie: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url("user/list"));
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await.expect("user/list answers")
}

#[tokio::test]
async fn sessions_survive_a_restart_and_sigterm_exits_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let first_log = dir.path().join("first.log");
    let secrets = [
        "--admin-password",
        ADMIN_PASSWORD,
        "--trusted-auth-secret",
        SECRET,
    ];
    let mut server = Server::start(&data, &first_log, &secrets);

    assert_eq!(login(&server, "wrong").await.status(), 401);
    let response = login(&server, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 204);
    let cookie = session_cookie(&response);
    let response = user_list(&server, Some(&cookie)).await;
    assert_eq!(response.status(), 200);
    let principals: String = response.text().await.expect("body");
    assert!(principals.contains("\"tsadmin\""), "{principals}");
    assert_eq!(user_list(&server, None).await.status(), 401);

    let status = server.stop("TERM");
    assert_eq!(status.code(), Some(0), "{}", server.log());
    let log = server.log();
    for expected in [
        "created a new store",
        "listening",
        "http://127.0.0.1:",
        "/callosum/v1/tspublic/v1/",
        "/external/swagger",
        "trusted authentication is enabled",
        "SIGTERM",
        "the store is closed",
    ] {
        assert!(log.contains(expected), "log lacks {expected:?}:\n{log}");
    }
    assert!(!log.contains("default 'admin'"), "{log}");

    // Same data directory: the session is still there, the new --admin-password is ignored.
    let second_log = dir.path().join("second.log");
    let mut server = Server::start(
        &data,
        &second_log,
        &["--admin-password", "Another-Passw0rd!"],
    );
    assert_eq!(user_list(&server, Some(&cookie)).await.status(), 200);
    assert_eq!(login(&server, "Another-Passw0rd!").await.status(), 401);
    assert_eq!(login(&server, ADMIN_PASSWORD).await.status(), 204);
    let status = server.stop("TERM");
    assert_eq!(status.code(), Some(0), "{}", server.log());
    let log = server.log();
    assert!(log.contains("opened the store"), "{log}");
    assert!(log.contains("--admin-password is ignored"), "{log}");
    assert!(log.contains("trusted authentication is disabled"), "{log}");

    // Nothing secret ever reaches the logs.
    let session = cookie.trim_start_matches("JSESSIONID=");
    for log in [std::fs::read_to_string(&first_log).unwrap(), log] {
        for secret in [ADMIN_PASSWORD, "Another-Passw0rd!", SECRET, session] {
            assert!(!log.contains(secret), "log holds {secret:?}:\n{log}");
        }
    }
}

#[tokio::test]
async fn a_new_store_without_a_password_warns_and_ctrl_c_stops_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(&dir.path().join("data"), &dir.path().join("log"), &[]);
    let log = server.log();
    assert!(
        log.contains("tsadmin's password is the default 'admin'"),
        "{log}"
    );
    assert_eq!(login(&server, "admin").await.status(), 204);
    let status = server.stop("INT");
    assert_eq!(status.code(), Some(0), "{}", server.log());
}

/// One line on standard error naming the problem, a non-zero status, no panic.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(expected), "{stderr}");
}

#[test]
fn startup_failures_are_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let listen = taken.local_addr().expect("address").to_string();
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let output = run(&["serve", "--listen", &listen, "--data-dir", data]);
    assert_one_line_failure(&output, &format!("cannot listen on {listen}"));

    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a directory").expect("write");
    let below_file = file.join("data");
    let output = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        below_file.to_str().expect("utf-8 path"),
    ]);
    assert_one_line_failure(&output, "data directory");

    let output = run(&["serve", "--session-timeout", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--session-timeout"));
}

#[test]
fn help_names_the_command_and_its_options_but_no_secret() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("serve"), "{help}");

    let output = Command::new(BIN)
        .args(["serve", "--help"])
        .env("TSPOT_ADMIN_PASSWORD", "Do-not-show-me")
        .env("TSPOT_TRUSTED_AUTH_SECRET", "Nor-me")
        .output()
        .expect("tspot runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "--listen",
        "127.0.0.1:8088",
        "TSPOT_LISTEN",
        "--data-dir",
        "TSPOT_DATA_DIR",
        "--admin-password",
        "TSPOT_ADMIN_PASSWORD",
        "--trusted-auth-secret",
        "TSPOT_TRUSTED_AUTH_SECRET",
        "--session-timeout",
        "30m",
        "/external/swagger",
    ] {
        assert!(help.contains(expected), "help lacks {expected:?}:\n{help}");
    }
    assert!(
        !help.contains("Do-not-show-me") && !help.contains("Nor-me"),
        "{help}"
    );
}
