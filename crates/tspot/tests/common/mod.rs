//! Helpers shared by the process tests: a `tspot serve` child on a free port, and running the
//! `tspot` binary to completion.
#![allow(dead_code)]

pub mod cli;
pub mod proxy;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tspot");

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// A `tspot serve` process whose standard error goes to a log file; killed when dropped.
pub struct Server {
    child: Option<Child>,
    /// `http://ADDRESS`.
    pub base: String,
    /// `127.0.0.1:PORT`, for raw connections.
    pub address: String,
    log: PathBuf,
}

/// The `TSPOT_*` variables that configure `tspot serve`, removed so that the caller's environment
/// cannot change what a test starts.
pub const SERVE_VARIABLES: [&str; 19] = [
    "TSPOT_ADMIN_PASSWORD",
    "TSPOT_ADMIN_PASSWORD_FILE",
    "TSPOT_TRUSTED_AUTH_SECRET",
    "TSPOT_TRUSTED_AUTH_SECRET_FILE",
    "TSPOT_DEMO_ROWS",
    "TSPOT_CONNECTIONS",
    "TSPOT_SESSION_TIMEOUT",
    "TSPOT_HEADER_READ_TIMEOUT",
    "TSPOT_IDLE_TIMEOUT",
    "TSPOT_MAX_CONNECTIONS",
    "TSPOT_MAX_BLOCKING_THREADS",
    "TSPOT_LISTEN",
    "TSPOT_CONFIG",
    "TSPOT_LOG_FORMAT",
    "TSPOT_METRICS_LISTEN",
    "TSPOT_DATA_DIR",
    "TSPOT_STORE",
    "TSPOT_STORE_PASSWORD",
    "TSPOT_STORE_PASSWORD_FILE",
];

impl Server {
    /// Starts `tspot serve` on a free port with `data_dir` and waits until it answers.
    pub fn start(data_dir: &Path, log: &Path, extra: &[&str]) -> Server {
        Server::start_on(free_port(), data_dir, log, extra, &[])
    }

    /// Starts `tspot serve` on `port` with `data_dir`, `extra` arguments and `env` variables
    /// (besides `TSPOT_LOG=info`), and waits until it answers.
    pub fn start_on(
        port: u16,
        data_dir: &Path,
        log: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let listen = format!("127.0.0.1:{port}");
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--listen", &listen, "--data-dir"])
            .arg(data_dir)
            .args(extra);
        for variable in SERVE_VARIABLES {
            command.env_remove(variable);
        }
        command.env("TSPOT_LOG", "info").envs(env.iter().copied());
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).expect("log file"))
            .spawn()
            .expect("tspot starts");
        let mut server = Server {
            child: Some(child),
            base: format!("http://{listen}"),
            address: listen.clone(),
            log: log.to_path_buf(),
        };
        server.wait_ready(&listen);
        server
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn url(&self, endpoint: &str) -> String {
        format!("{}/callosum/v1/tspublic/v1/{endpoint}", self.base)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_ready(&mut self, address: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if answers_openapi(address) {
                return;
            }
            let child = self.child.as_mut().expect("running");
            if let Some(status) = child.try_wait().expect("wait") {
                panic!("tspot exited early ({status}):\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "tspot did not answer within 60 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends `signal` and waits for the exit.
    pub fn stop(&mut self, signal: &str) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        wait_with_timeout(&mut child, Duration::from_secs(30))
            .unwrap_or_else(|| panic!("tspot did not stop after SIG{signal}:\n{}", self.log()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `GET /openapi.json` answers 200 (a plain HTTP/1.0 exchange, no client library needed).
fn answers_openapi(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /openapi.json HTTP/1.0\r\nHost: {address}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
}

pub fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `command` to completion (at most `timeout`), collecting its output.
pub fn run_command(mut command: Command, timeout: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tspot starts");
    // Read both pipes while waiting, so that a large output cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let Some(status) = wait_with_timeout(&mut child, timeout) else {
        panic!("{command:?} did not exit within {timeout:?}");
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

/// Runs `tspot` with `args` to completion (at most 30 s).
pub fn run(args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env("TSPOT_LOG", "info");
    for variable in SERVE_VARIABLES {
        command.env_remove(variable);
    }
    run_command(command, Duration::from_secs(30))
}

/// The `JSESSIONID=...` pair of a successful login.
pub fn session_cookie(response: &reqwest::Response) -> String {
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

/// Signs in as `user` with `password` and the `extra` form fields (`rememberme`).
pub async fn sign_in(
    server: &Server,
    user: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("username", user), ("password", password)];
    form.extend_from_slice(extra);
    reqwest::Client::new()
        .post(server.url("session/login"))
        .header("X-Requested-By", "ThoughtSpot")
        .form(&form)
        .send()
        .await
        .expect("login answers")
}

/// `GET user/list`, with the session `cookie` when there is one.
pub async fn user_list(server: &Server, cookie: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url("user/list"));
    if let Some(cookie) = cookie {
        request = request.header(reqwest::header::COOKIE, cookie);
    }
    request.send().await.expect("user/list answers")
}

/// A file's permission bits.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}
