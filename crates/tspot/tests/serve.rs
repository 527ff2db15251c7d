//! `tspot serve` as a process: it answers over HTTP, keeps sessions across a restart, stops
//! cleanly on SIGTERM and Ctrl-C, and fails to start with one clear line.
#![cfg(unix)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{BIN, Server, mode, run, session_cookie, sign_in, user_list};

const ADMIN_PASSWORD: &str = "First-Passw0rd!";
const SECRET: &str = "6f1c2a7e-trusted-auth-secret";

/// Signs in as tsadmin, remembered (these sessions outlive restarts).
async fn login(server: &Server, password: &str) -> reqwest::Response {
    sign_in(server, "tsadmin", password, &[("rememberme", "true")]).await
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
        "--admin-password was given on the command line, which other users",
        "--trusted-auth-secret was given on the command line, which other users",
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

    // A PostgreSQL connection that does not answer at start (nothing listens on port 1): one
    // line naming the connection and why, without the password.
    let output = run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.path()
            .join("with-connection")
            .to_str()
            .expect("utf-8 path"),
        "--demo-rows",
        "0",
        "--connection",
        "sales=postgres://tspot:hunter2@127.0.0.1:1/sales",
    ]);
    assert_one_line_failure(
        &output,
        "connection 'sales': cannot connect to PostgreSQL at postgres://tspot@127.0.0.1:1/sales",
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"));

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
        "--admin-password-file",
        "TSPOT_ADMIN_PASSWORD_FILE",
        "--trusted-auth-secret-file",
        "TSPOT_TRUSTED_AUTH_SECRET_FILE",
        "--header-read-timeout",
        "TSPOT_HEADER_READ_TIMEOUT",
        "10s",
        "--idle-timeout",
        "TSPOT_IDLE_TIMEOUT",
        "60s",
        "--max-connections",
        "TSPOT_MAX_CONNECTIONS",
        "1024",
        "--max-blocking-threads",
        "TSPOT_MAX_BLOCKING_THREADS",
        "64",
    ] {
        assert!(help.contains(expected), "help lacks {expected:?}:\n{help}");
    }
    assert!(
        !help.contains("Do-not-show-me") && !help.contains("Nor-me"),
        "{help}"
    );
}

// Connections, over raw sockets: what a slow, idle or surplus client sees.

/// An endpoint that answers quickly without a session (401, a small JSON body).
const API_PATH: &str = "/callosum/v1/tspublic/v1/user/list";
/// Every bound on waiting for the server: generous, so that a loaded machine does not fail tests.
const PATIENCE: Duration = Duration::from_secs(30);

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(&server.address).expect("connects");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("read timeout");
    stream
}

/// Sends a keep-alive `GET path` on `stream` and reads the whole response; returns its head.
fn exchange(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: tspot\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("request sent");
    read_response(stream)
}

/// Reads one response (with a Content-Length) from `stream`; returns its head.
fn read_response(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).expect("a response");
        assert!(read > 0, "closed mid-response: {bytes:?}");
        bytes.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or_else(|| panic!("no Content-Length: {head}"));
    let mut body = bytes.len() - head_end;
    while body < length {
        let read = stream.read(&mut chunk).expect("the body");
        assert!(read > 0, "closed mid-body");
        body += read;
    }
    assert!(head.starts_with("HTTP/1.1 "), "{head}");
    head
}

/// Waits (at most [`PATIENCE`]) for the server to close `stream`; returns how long that took.
fn wait_closed(stream: &mut TcpStream) -> Duration {
    let started = Instant::now();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Ok(_) => panic!("unexpected bytes from the server"),
        Err(e) => panic!("not closed within {PATIENCE:?}: {e}"),
    }
    started.elapsed()
}

#[test]
fn a_client_that_stalls_in_its_request_head_is_disconnected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &[
            "--demo-rows",
            "0",
            "--header-read-timeout",
            "1s",
            "--idle-timeout",
            "10m",
        ],
    );
    let mut kept = connect(&server);
    assert!(exchange(&mut kept, API_PATH).starts_with("HTTP/1.1 401"));
    let kept_idle_since = Instant::now();

    let mut stalled = connect(&server);
    stalled
        .write_all(b"GET /openapi.json HTTP/1.1\r\nHost: tspot\r\nX-Slow: ")
        .expect("half a head sent");
    let waited = wait_closed(&mut stalled);
    assert!(
        waited >= Duration::from_millis(900),
        "closed after {waited:?}"
    );
    let log = server.log();
    assert!(log.contains("--header-read-timeout"), "{log}");

    // The header timeout is not an idle timeout: a kept-alive connection idle for longer still
    // serves its next request.
    let idle_for = Duration::from_secs(3);
    std::thread::sleep(idle_for.saturating_sub(kept_idle_since.elapsed()));
    assert!(exchange(&mut kept, API_PATH).starts_with("HTTP/1.1 401"));
}

#[test]
fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0", "--idle-timeout", "1s"],
    );
    let mut kept = connect(&server);
    assert!(exchange(&mut kept, API_PATH).starts_with("HTTP/1.1 401"));
    let waited = wait_closed(&mut kept);
    assert!(
        waited >= Duration::from_millis(900),
        "closed after {waited:?}"
    );

    // A connection that never sends anything is idle too.
    let mut silent = connect(&server);
    let waited = wait_closed(&mut silent);
    assert!(
        waited >= Duration::from_millis(900),
        "closed after {waited:?}"
    );

    let mut next = connect(&server);
    assert!(exchange(&mut next, API_PATH).starts_with("HTTP/1.1 401"));
}

#[test]
fn connections_beyond_the_limit_wait_until_one_closes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0", "--max-connections", "2"],
    );
    let mut first = connect(&server);
    assert!(exchange(&mut first, API_PATH).starts_with("HTTP/1.1 401"));
    let mut second = connect(&server);
    assert!(exchange(&mut second, API_PATH).starts_with("HTTP/1.1 401"));

    // The third connects (the system's accept queue) but is not served while both are open.
    let mut third = connect(&server);
    let request = format!("GET {API_PATH} HTTP/1.1\r\nHost: tspot\r\n\r\n");
    third.write_all(request.as_bytes()).expect("request sent");
    third
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("read timeout");
    let mut byte = [0u8; 1];
    match third.read(&mut byte) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("a third connection was served beyond --max-connections 2: {other:?}"),
    }
    let log = server.log();
    assert!(log.contains("--max-connections allows"), "{log}");

    drop(first);
    third
        .set_read_timeout(Some(PATIENCE))
        .expect("read timeout");
    assert!(read_response(&mut third).starts_with("HTTP/1.1 401"));
    drop(second);
    drop(third);
    for _ in 0..3 {
        let mut again = connect(&server);
        assert!(exchange(&mut again, API_PATH).starts_with("HTTP/1.1 401"));
    }
}

#[tokio::test]
async fn responses_are_never_sniffed_and_api_answers_never_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &["--demo-rows", "0"],
    );
    let client = reqwest::Client::new();
    for url in [
        server.url("user/list"),
        format!("{}/tspublic/v1/user/list", server.base),
        server.url("no/such/endpoint"),
    ] {
        let response = client.get(&url).send().await.expect("answers");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{url}");
        assert_eq!(headers["cache-control"], "no-store", "{url}");
    }
    let response = login(&server, "admin").await;
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["cache-control"], "no-store");

    let response = client
        .get(format!("{}/openapi.json", server.base))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(response.headers().get("cache-control").is_none());
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn the_data_directory_and_its_files_are_private() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut server = Server::start(&data, &dir.path().join("first.log"), &["--demo-rows", "20"]);
    let files = |data: &Path| {
        let mut files: Vec<_> = std::fs::read_dir(data)
            .expect("data dir")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        files
    };
    assert_eq!(mode(&data), 0o700);
    let names: Vec<_> = files(&data)
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"tspot.sqlite3".to_string()), "{names:?}");
    assert!(names.contains(&"demo.sqlite3".to_string()), "{names:?}");
    for file in files(&data) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(server.stop("TERM").code(), Some(0), "{}", server.log());

    // Left readable by an earlier version or by hand: restricted, with a warning naming each.
    set_mode(&data, 0o755);
    set_mode(&data.join("tspot.sqlite3"), 0o644);
    set_mode(&data.join("demo.sqlite3"), 0o640);
    let mut server = Server::start(
        &data,
        &dir.path().join("second.log"),
        &["--demo-rows", "20"],
    );
    let log = server.log();
    for (path, was) in [
        (data.clone(), "0755"),
        (data.join("tspot.sqlite3"), "0644"),
        (data.join("demo.sqlite3"), "0640"),
    ] {
        let line = log
            .lines()
            .find(|l| l.contains(&*path.to_string_lossy()) && l.contains(was))
            .unwrap_or_else(|| panic!("no warning for {}:\n{log}", path.display()));
        assert!(line.contains("WARN"), "{line}");
        assert!(line.contains("restricted it to its owner"), "{line}");
    }
    assert_eq!(mode(&data), 0o700);
    for file in files(&data) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(server.stop("TERM").code(), Some(0), "{}", server.log());
}

/// Writes `text` to a new file in `dir` with `mode`.
fn secret_file(dir: &Path, name: &str, text: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    set_mode(&path, mode);
    path
}

#[tokio::test]
async fn secrets_can_come_from_private_files_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let password = secret_file(
        dir.path(),
        "password",
        &format!("{ADMIN_PASSWORD}\n"),
        0o600,
    );
    let secret = secret_file(dir.path(), "secret", &format!("{SECRET}\n"), 0o400);
    let (password_arg, secret_arg) = (password.to_str().unwrap(), secret.to_str().unwrap());
    let mut server = Server::start(
        &dir.path().join("data"),
        &dir.path().join("log"),
        &[
            "--demo-rows",
            "0",
            "--admin-password-file",
            password_arg,
            "--trusted-auth-secret-file",
            secret_arg,
        ],
    );
    assert_eq!(login(&server, ADMIN_PASSWORD).await.status(), 204);
    let response = reqwest::Client::new()
        .post(server.url("session/auth/token"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&[
            ("secret_key", SECRET),
            ("username", "tsadmin"),
            ("access_level", "FULL"),
        ])
        .send()
        .await
        .expect("token answers");
    assert_eq!(response.status(), 200);
    assert_eq!(server.stop("TERM").code(), Some(0), "{}", server.log());
    let log = server.log();
    assert!(log.contains("trusted authentication is enabled"), "{log}");
    assert!(!log.contains("command line"), "{log}");
    assert!(
        !log.contains(SECRET) && !log.contains(ADMIN_PASSWORD),
        "{log}"
    );

    // A file that others can read is refused, whichever secret it holds.
    let data = dir.path().join("other-data");
    for (flag, name, mode) in [
        ("--trusted-auth-secret-file", "shared-secret", 0o644),
        ("--admin-password-file", "shared-password", 0o640),
    ] {
        let shared = secret_file(dir.path(), name, SECRET, mode);
        let output = run(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
            flag,
            shared.to_str().unwrap(),
        ]);
        assert_one_line_failure(&output, "readable by other users");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(flag), "{stderr}");
        assert!(stderr.contains(shared.to_str().unwrap()), "{stderr}");
        assert!(!stderr.contains(SECRET), "{stderr}");
    }
    assert!(!data.exists(), "refused before the store was created");
}
