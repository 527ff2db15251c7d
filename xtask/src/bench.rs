//! `cargo xtask bench`: wrk against the release `tspot serve` and, run right before it, against a
//! bare axum handler (`xtask/src/bin/bare-handler.rs`), scenario by scenario, then one Markdown
//! table. A benchmark, not a test: nothing here asserts on timings.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod analytics;

const API: &str = "/callosum/v1/tspublic/v1";
const WORKSHEET: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000201";
const WRK_FIX: &str = "wrk is not on PATH; install it with: apt-get install -y wrk";
/// How long the demo may take to be created before tspot answers.
const START_TIMEOUT: Duration = Duration::from_secs(300);
/// Connections of `searchdata` (a query per request) and of user/list during a login storm.
const SEARCH_CONNECTIONS: u32 = 8;
const PROBE_CONNECTIONS: u32 = 4;

struct Options {
    duration: u64,
    demo_rows: u64,
    connections: u32,
    /// Searches against hand-written SQL, the Liveboard and the PDF, instead of wrk.
    analytics: bool,
}

fn parse_options(args: &[&str]) -> Result<Options, String> {
    let (mut quick, mut analytics) = (false, false);
    let (mut duration, mut demo_rows, mut connections) = (None, 100_000, 64);
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        let mut value = |name: &str| {
            let text = args.next().ok_or(format!("{name} needs a value"))?;
            text.parse::<u64>()
                .map_err(|_| format!("{name}: expected a whole number, got {text}"))
        };
        match arg {
            "--quick" => quick = true,
            "--analytics" => analytics = true,
            "--duration" => duration = Some(value(arg)?.max(1)),
            "--demo-rows" => demo_rows = value(arg)?,
            "--connections" => connections = u32::try_from(value(arg)?.max(1)).unwrap_or(64),
            other => return Err(format!("bench: unknown argument {other}")),
        }
    }
    let duration = duration.unwrap_or(if quick { 3 } else { 10 });
    Ok(Options {
        duration,
        demo_rows,
        connections,
        analytics,
    })
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let options = parse_options(args)?;
    let root = crate::codegen::workspace_root();
    build(&root)?;
    if !options.analytics && !on_path("wrk") {
        return Err(WRK_FIX.into());
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let scratch = std::env::temp_dir().join(format!("tspot-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let password = format!("bench-{nanos:x}");
    match bench(&root, &scratch, &password, &options) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&scratch);
            Ok(())
        }
        Err(message) => Err(format!(
            "{message} (the servers' logs are in {})",
            scratch.display()
        )),
    }
}

fn build(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in [
        &["build", "--release", "-p", "tspot"][..],
        &["build", "--release", "-p", "xtask", "--bin", "bare-handler"],
    ] {
        eprintln!("bench: cargo {}", args.join(" "));
        let status = Command::new(&cargo)
            .args(args)
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run {cargo}: {e}"))?;
        if !status.success() {
            return Err(format!("cargo {} failed", args.join(" ")));
        }
    }
    Ok(())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn release_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir))
        .join("release")
}

fn bench(root: &Path, scratch: &Path, password: &str, options: &Options) -> Result<(), String> {
    let release = release_dir(root);
    let tspot_addr = free_addr()?;
    let mut tspot_command = Command::new(release.join("tspot"));
    tspot_command
        .arg("serve")
        .arg("--listen")
        .arg(tspot_addr.to_string())
        .arg("--data-dir")
        .arg(scratch.join("data"))
        .arg("--demo-rows")
        .arg(options.demo_rows.to_string())
        // Not --admin-password, which tspot warns about: other users can read command lines.
        .env("TSPOT_ADMIN_PASSWORD", password)
        // Plain log lines: the analytics bench reads fields from them.
        .env("NO_COLOR", "1");
    let mut tspot = Server::start("tspot", tspot_command, tspot_addr, scratch)?;
    let bare_addr = free_addr()?;
    let mut bare_command = Command::new(release.join("bare-handler"));
    bare_command.arg(bare_addr.to_string());
    let mut bare = Server::start("bare-handler", bare_command, bare_addr, scratch)?;
    eprintln!(
        "bench: waiting for tspot to create its demo ({} rows)",
        options.demo_rows
    );
    let started = Instant::now();
    bare.wait_ready()?;
    tspot.wait_ready()?;
    eprintln!(
        "bench: tspot answers after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    if options.analytics {
        return analytics::bench(
            tspot_addr,
            password,
            &scratch.join("data"),
            &tspot.log,
            options.demo_rows,
        );
    }
    let cookie = format!("JSESSIONID={}", login(tspot_addr, password)?);
    let authed = |method, path: &str, body: &str| Request {
        method,
        path: format!("{API}/{path}"),
        body: body.into(),
        cookie: Some(cookie.clone()),
        storm: false,
    };
    let user_list = authed("GET", "user/list", "");
    let headers = authed("GET", "metadata/listobjectheaders?type=LOGICAL_TABLE", "");
    let search = authed(
        "POST",
        "searchdata",
        &form(&[
            ("query_string", "[Sales] [Region]"),
            ("data_source_guid", WORKSHEET),
        ]),
    );
    let storm = Request {
        method: "POST",
        path: format!("{API}/session/login"),
        body: String::new(),
        cookie: None,
        storm: true,
    };
    for request in [&user_list, &headers, &search] {
        request.check(tspot_addr)?;
    }

    let idle = (bare.rss_kib()?, tspot.rss_kib()?);
    let wrk = Wrk {
        scratch,
        duration: options.duration,
        bare,
        tspot,
    };
    let c = options.connections;
    let search_c = SEARCH_CONNECTIONS.min(c);
    let mut rows = vec![
        wrk.pair("GET user/list", &user_list, c)?,
        wrk.pair("GET metadata/listobjectheaders", &headers, c)?,
        wrk.pair("POST searchdata", &search, search_c)?,
    ];
    rows.push(wrk.during_storm("user/list during a login storm", &user_list, &storm, c)?);
    rows.push(wrk.pair("POST session/login storm (unknown users)", &storm, c)?);
    let after = (wrk.bare.rss_kib()?, wrk.tspot.rss_kib()?);
    eprintln!("bench: waiting 10 s to read the memory after the storm");
    std::thread::sleep(Duration::from_secs(10));
    let later = (wrk.bare.rss_kib()?, wrk.tspot.rss_kib()?);
    // Last, so that the memory readings above are of the demo alone.
    eprintln!("bench: importing {EXTRA_OBJECTS} more answers");
    import_answers(tspot_addr, &cookie, EXTRA_OBJECTS)?;
    rows.push(wrk.pair("POST searchdata, 10,000 more objects", &search, search_c)?);

    println!(
        "wrk: {c} connections ({search_c} for searchdata, {PROBE_CONNECTIONS} for user/list \
         during the storm), 2 threads, {} s per run; tspot with {} demo rows; {} CPUs shared by wrk \
         and both servers\n",
        options.duration,
        options.demo_rows,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    print!("{}", table(&rows));
    println!();
    let (plain, crowded) = (&rows[2].tspot, &rows[5].tspot);
    println!(
        "searchdata with {EXTRA_OBJECTS} more objects in the catalog: {} of its req/s without \
         them (p50 {} vs {})",
        significant(crowded.requests_per_s / plain.requests_per_s),
        ms(crowded.p50_ms),
        ms(plain.p50_ms),
    );
    for (label, (bare, tspot)) in [
        ("idle, before load", idle),
        ("right after the login storm", after),
        ("10 s after the login storm", later),
    ] {
        println!(
            "RSS {label}: bare {:.1} MiB, tspot {:.1} MiB",
            bare as f64 / 1024.0,
            tspot as f64 / 1024.0
        );
    }
    println!("\ntspot's log: {}", log_summary(&wrk.tspot.log));
    Ok(())
}

/// A port nobody listens on now (it may be taken before the server binds it; unlikely).
fn free_addr() -> Result<SocketAddr, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("no free port: {e}"))
}

/// A server process, stopped (SIGTERM, then SIGKILL) when dropped.
struct Server {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    fn start(
        name: &'static str,
        mut command: Command,
        addr: SocketAddr,
        scratch: &Path,
    ) -> Result<Server, String> {
        let log = scratch.join(format!("{name}.log"));
        let out =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Server {
            name,
            child,
            addr,
            log,
        })
    }

    /// Until the server answers an HTTP request (tspot answers once its demo is created).
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        let probe = format!(
            "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        );
        while Instant::now() < deadline {
            if exchange(self.addr, &probe, Duration::from_secs(2))
                .is_ok_and(|response| response.starts_with("HTTP/1.1 "))
            {
                return Ok(());
            }
            if !matches!(self.child.try_wait(), Ok(None)) {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                return Err(format!("{} exited before answering:\n{log}", self.name));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!(
            "{} did not answer on {} within {} s",
            self.name,
            self.addr,
            START_TIMEOUT.as_secs()
        ))
    }

    /// Resident memory in KiB, from /proc/PID/status.
    fn rss_kib(&self) -> Result<u64, String> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| format!("no VmRSS in {path}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// One request over a new connection (`Connection: close`); the whole response as text.
fn exchange(addr: SocketAddr, request: &str, timeout: Duration) -> Result<String, String> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn status_of(response: &str) -> &str {
    response.split(' ').nth(1).unwrap_or("none")
}

/// Signs in as tsadmin; the JSESSIONID cookie's value.
fn login(addr: SocketAddr, password: &str) -> Result<String, String> {
    let body = form(&[("username", "tsadmin"), ("password", password)]);
    let request = format!(
        "POST {API}/session/login HTTP/1.1\r\nHost: {addr}\r\nX-Requested-By: ThoughtSpot\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let response = exchange(addr, &request, Duration::from_secs(30))
        .map_err(|e| format!("login as tsadmin: {e}"))?;
    response
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, value)| value.trim().strip_prefix("JSESSIONID="))
        .map(|value| value.split(';').next().unwrap_or_default().to_owned())
        .ok_or_else(|| {
            format!(
                "login as tsadmin answered {} without a JSESSIONID cookie",
                status_of(&response)
            )
        })
}

/// Objects imported before the second searchdata run: the catalog must not slow searches.
const EXTRA_OBJECTS: usize = 10_000;
/// Documents per TML import call (tspot's default limit is 1,000).
const IMPORT_BATCH: usize = 1_000;

/// Imports `count` copies of an answer on the demo worksheet, `IMPORT_BATCH` per call.
fn import_answers(addr: SocketAddr, cookie: &str, count: usize) -> Result<(), String> {
    for batch in 0..count.div_ceil(IMPORT_BATCH) {
        let documents: Vec<String> = (0..IMPORT_BATCH.min(count - batch * IMPORT_BATCH))
            .map(|i| {
                let n = batch * IMPORT_BATCH + i;
                format!(
                    "guid: 0b0b0b0b-0000-4000-8000-{n:012}\nanswer:\n  name: Bench answer {n}\n  \
                     tables:\n  - id: Retail Sales\n    name: Retail Sales\n  \
                     search_query: \"[Sales] [Region]\"\n"
                )
            })
            .collect();
        let list = serde_json::to_string(&documents).map_err(|e| e.to_string())?;
        let body = form(&[
            ("import_objects", list.as_str()),
            ("import_policy", "ALL_OR_NONE"),
        ]);
        let request = format!(
            "POST {API}/metadata/tml/import HTTP/1.1\r\nHost: {addr}\r\nX-Requested-By: ThoughtSpot\r\n\
             Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let response = exchange(addr, &request, Duration::from_secs(120))?;
        if status_of(&response) != "200" || response.contains("\"ERROR\"") {
            let end = response.len().min(600);
            return Err(format!(
                "importing bench answers failed: {}",
                &response[..end]
            ));
        }
    }
    Ok(())
}

/// `application/x-www-form-urlencoded`.
fn form(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes().fold(String::new(), |mut out, byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(byte as char);
            } else {
                let _ = write!(out, "%{byte:02X}");
            }
            out
        })
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What wrk sends. A storm signs in as `user-<thread>-<n>` (all unknown) with a wrong password,
/// and counts the answers by status.
struct Request {
    method: &'static str,
    path: String,
    body: String,
    cookie: Option<String>,
    storm: bool,
}

impl Request {
    fn lua(&self) -> String {
        let mut lua = format!("wrk.method = {:?}\n", self.method);
        lua += "wrk.headers[\"X-Requested-By\"] = \"ThoughtSpot\"\n";
        if let Some(cookie) = &self.cookie {
            lua += &format!("wrk.headers[\"Cookie\"] = {cookie:?}\n");
        }
        if self.method == "POST" {
            lua += "wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n";
            lua += &format!("wrk.body = {:?}\n", self.body);
        }
        lua += r#"
statuses = {}
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
"#;
        if self.storm {
            lua += r#"
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, "username=user-" .. id .. "-" .. counter .. "&password=wrong")
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
"#;
        }
        lua += r#"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %.3f %.3f %d %d %d %d %d\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, n))
  end
end
"#;
        lua
    }

    /// One request outside wrk: the benchmark must not measure 401s by mistake.
    fn check(&self, addr: SocketAddr) -> Result<(), String> {
        let mut request = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\nX-Requested-By: ThoughtSpot\r\nConnection: close\r\n",
            self.method, self.path
        );
        if let Some(cookie) = &self.cookie {
            let _ = write!(request, "Cookie: {cookie}\r\n");
        }
        if self.method == "POST" {
            let _ = write!(
                request,
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                self.body.len()
            );
        }
        request += "\r\n";
        request += &self.body;
        let response = exchange(addr, &request, Duration::from_secs(60))?;
        match status_of(&response) {
            "200" => Ok(()),
            status => Err(format!(
                "{} {} answered {status}, not 200:\n{response}",
                self.method, self.path
            )),
        }
    }
}

/// What wrk's `done()` printed: requests, rates, latencies and errors.
#[derive(Debug, PartialEq)]
struct WrkResult {
    requests: u64,
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Responses with a status of 400 or more (wrk counts no others as errors).
    non_2xx: u64,
    /// Connect, read and write errors and timeouts.
    socket_errors: u64,
    /// Responses by status; only storms count them.
    statuses: Vec<(u16, u64)>,
}

impl WrkResult {
    fn parse(output: &str) -> Result<WrkResult, String> {
        let mut result = None;
        let mut statuses = Vec::new();
        for line in output.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                ["BENCH", numbers @ ..] if numbers.len() == 9 => {
                    let n = |i: usize| {
                        numbers[i]
                            .parse::<f64>()
                            .map_err(|e| format!("{line}: {e}"))
                    };
                    let duration_s = n(1)? / 1e6;
                    result = Some(WrkResult {
                        requests: n(0)? as u64,
                        requests_per_s: if duration_s > 0.0 {
                            n(0)? / duration_s
                        } else {
                            0.0
                        },
                        p50_ms: n(2)?,
                        p99_ms: n(3)?,
                        non_2xx: n(4)? as u64,
                        socket_errors: (n(5)? + n(6)? + n(7)? + n(8)?) as u64,
                        statuses: Vec::new(),
                    });
                }
                ["STATUS", status, count] => statuses.push((
                    status.parse().map_err(|_| format!("bad line: {line}"))?,
                    count.parse().map_err(|_| format!("bad line: {line}"))?,
                )),
                _ => {}
            }
        }
        statuses.sort_unstable();
        let mut result =
            result.ok_or_else(|| format!("no BENCH line in wrk's output:\n{output}"))?;
        result.statuses = statuses;
        Ok(result)
    }

    /// `0`, or `812 (401: 800, 503: 12) + 3 socket errors`.
    fn errors(&self) -> String {
        let mut text = self.non_2xx.to_string();
        let failing: Vec<String> = self
            .statuses
            .iter()
            .filter(|(status, _)| *status >= 400)
            .map(|(status, n)| format!("{status}: {n}"))
            .collect();
        if !failing.is_empty() {
            let _ = write!(text, " ({})", failing.join(", "));
        }
        if self.socket_errors > 0 {
            let _ = write!(text, " + {} socket errors", self.socket_errors);
        }
        text
    }
}

struct Row {
    scenario: &'static str,
    bare: WrkResult,
    tspot: WrkResult,
}

/// Runs wrk against the bare handler, then against tspot.
struct Wrk<'a> {
    scratch: &'a Path,
    duration: u64,
    bare: Server,
    tspot: Server,
}

impl Wrk<'_> {
    /// Starts wrk with `request` against `server`; its output is read by `finish`.
    fn spawn(
        &self,
        server: &Server,
        request: &Request,
        connections: u32,
        duration: u64,
    ) -> Result<Child, String> {
        let script = self.scratch.join(format!(
            "{}-{}.lua",
            server.name,
            if request.storm { "storm" } else { "request" }
        ));
        std::fs::write(&script, request.lua())
            .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
        let url = format!("http://{}{}", server.addr, request.path);
        Command::new("wrk")
            .args(["-t", &connections.min(2).to_string()])
            .args(["-c", &connections.to_string()])
            .args(["-d", &format!("{duration}s"), "--timeout", "10s", "-s"])
            .arg(&script)
            .arg(&url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start wrk: {e}"))
    }

    fn finish(child: Child) -> Result<WrkResult, String> {
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(format!(
                "wrk failed: {}{stdout}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        WrkResult::parse(&stdout)
    }

    fn run(
        &self,
        server: &Server,
        request: &Request,
        connections: u32,
    ) -> Result<WrkResult, String> {
        Self::finish(self.spawn(server, request, connections, self.duration)?)
    }

    /// The same requests against the bare handler, then against tspot.
    fn pair(
        &self,
        scenario: &'static str,
        request: &Request,
        connections: u32,
    ) -> Result<Row, String> {
        eprintln!("bench: {scenario}");
        Ok(Row {
            scenario,
            bare: self.run(&self.bare, request, connections)?,
            tspot: self.run(&self.tspot, request, connections)?,
        })
    }

    /// `request` on a few connections while a login storm runs on `connections` against the
    /// same server: what signing in costs everyone else.
    fn during_storm(
        &self,
        scenario: &'static str,
        request: &Request,
        storm: &Request,
        connections: u32,
    ) -> Result<Row, String> {
        eprintln!("bench: {scenario}");
        let probe = |server: &Server| {
            let storming = self.spawn(server, storm, connections, self.duration + 2)?;
            std::thread::sleep(Duration::from_secs(1));
            let probed = self.run(server, request, PROBE_CONNECTIONS);
            Self::finish(storming)?;
            probed
        };
        Ok(Row {
            scenario,
            bare: probe(&self.bare)?,
            tspot: probe(&self.tspot)?,
        })
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| scenario | bare req/s | bare p50 | bare p99 | tspot req/s | tspot p50 | tspot p99 | \
         ratio (tspot/bare req/s) | non-2xx (bare / tspot) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for Row {
        scenario,
        bare,
        tspot,
    } in rows
    {
        let ratio = tspot.requests_per_s / bare.requests_per_s;
        let _ = writeln!(
            out,
            "| {scenario} | {:.0} | {} | {} | {:.0} | {} | {} | {} | {} / {} |",
            bare.requests_per_s,
            ms(bare.p50_ms),
            ms(bare.p99_ms),
            tspot.requests_per_s,
            ms(tspot.p50_ms),
            ms(tspot.p99_ms),
            significant(ratio),
            bare.errors(),
            tspot.errors(),
        );
    }
    out
}

/// Three significant digits: `0.171`, `1.48`, `0.000198`.
fn ms(value: f64) -> String {
    format!("{value:.2} ms")
}

fn significant(value: f64) -> String {
    if !value.is_finite() || value <= 0.0 {
        return "-".into();
    }
    let decimals = (2 - value.log10().floor() as i32).max(0) as usize;
    format!("{value:.decimals$}")
}

/// How many requests the server logged, how many it answered 5xx, and what it logged at warning
/// level or worse, counted by message (`TIME LEVEL message key=value...`, fields left out).
fn log_summary(log: &Path) -> String {
    let Ok(file) = File::open(log) else {
        return format!("cannot read {}", log.display());
    };
    let (mut requests, mut server_errors) = (0, 0);
    let mut notable: Vec<(String, usize)> = Vec::new();
    for line in BufReader::new(file).lines().map_while(Result::ok) {
        let mut words = line.split_whitespace().skip(1);
        let level = words.next().unwrap_or_default();
        let rest = words.collect::<Vec<_>>().join(" ");
        // Lines inside a request start with its span: `request{method=.. trace_id=..}: `.
        let rest = rest
            .split_once("}: ")
            .map_or(rest.as_str(), |(_, event)| event);
        let message: Vec<&str> = rest
            .split_whitespace()
            .take_while(|word| !word.contains('='))
            .collect();
        if message == ["request"] {
            requests += 1;
            server_errors += usize::from(line.contains(" status=5"));
        } else if level == "WARN" || level == "ERROR" {
            let message = format!("{level} {}", message.join(" "));
            match notable.iter_mut().find(|(seen, _)| *seen == message) {
                Some((_, count)) => *count += 1,
                None => notable.push((message, 1)),
            }
        }
    }
    let mut text = format!("{requests} requests logged, {server_errors} answered 5xx");
    for (message, count) in &notable {
        let _ = write!(text, "\n  {count} × {message}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_done_prints() {
        let output = "Running 3s test @ http://127.0.0.1:4000/callosum/v1/tspublic/v1/session/login
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   102.09ms   20.31ms 300.10ms   90.00%
  1500 requests in 3.00s, 400.00KB read
  Non-2xx or 3xx responses: 1500
Requests/sec:    500.00
Transfer/sec:    133.33KB
BENCH 1500 3000000 98.500 250.125 1500 0 2 0 1
STATUS 503 20
STATUS 401 1480
";
        let result = WrkResult::parse(output).unwrap();
        assert_eq!(
            result,
            WrkResult {
                requests: 1500,
                requests_per_s: 500.0,
                p50_ms: 98.5,
                p99_ms: 250.125,
                non_2xx: 1500,
                socket_errors: 3,
                statuses: vec![(401, 1480), (503, 20)],
            }
        );
        assert_eq!(
            result.errors(),
            "1500 (401: 1480, 503: 20) + 3 socket errors"
        );
    }

    #[test]
    fn rounds_ratios_to_three_significant_digits() {
        assert_eq!(significant(0.17123), "0.171");
        assert_eq!(significant(1.4812), "1.48");
        assert_eq!(significant(0.000_198_4), "0.000198");
        assert_eq!(significant(f64::INFINITY), "-");
    }

    #[test]
    fn refuses_output_without_a_bench_line() {
        assert!(WrkResult::parse("Requests/sec: 1.0\n").is_err());
    }

    #[test]
    fn encodes_forms() {
        assert_eq!(
            form(&[("query_string", "[Sales] [Region]"), ("id", "a-1")]),
            "query_string=%5BSales%5D%20%5BRegion%5D&id=a-1"
        );
    }
}
