//! The harness of the `tspot` client tests: a `tspot serve` with the demo, a home and
//! configuration directory of its own, and runs of the `tspot` binary.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

use super::{BIN, Server, run_command};

pub const ADMIN_PASSWORD: &str = "Cli-Admin-Passw0rd!";
pub const SECRET: &str = "0d9c6a5e-cli-trusted-auth-secret";
pub const WORKSHEET: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000201";
pub const LIVEBOARD: &str = "6a0d3c1e-5b7f-4c2a-9e41-000000000401";
/// The demo's objects have fixed ids starting with this; other ids are random.
pub const DEMO_ID_PREFIX: &str = "6a0d3c1e-5b7f-4c2a-9e41-";

/// A server with the demo, and a home and configuration directory of our own.
pub struct Setup {
    pub dir: TempDir,
    pub server: Server,
}

/// One finished `tspot` run.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns itself.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "tspot {}: {self:#?}", self.args.join(" "));
        self
    }

    /// Asserts the exit status and a single error line on standard error, and returns that line.
    pub fn fails(self, code: i32) -> String {
        assert_eq!(self.code, code, "{self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{self:#?}");
        assert!(lines[0].starts_with("tspot: error: "), "{self:#?}");
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
        lines[0].to_string()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:#?}"))
    }
}

impl Setup {
    pub fn start(extra: &[&str]) -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("home")).expect("home");
        let mut args = vec!["--demo-rows", "2000", "--admin-password", ADMIN_PASSWORD];
        args.extend_from_slice(extra);
        let server = Server::start(
            &dir.path().join("data"),
            &dir.path().join("server.log"),
            &args,
        );
        Setup { dir, server }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tspot ARGS` with a clean environment plus `env`.
    pub fn tspot_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", self.path("home"))
            .env("TSPOT_CONFIG_DIR", self.config_dir())
            .envs(env.iter().copied());
        let output = run_command(command, Duration::from_secs(120));
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().expect("an exit status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 errors"),
        }
    }

    pub fn tspot(&self, args: &[&str]) -> Run {
        self.tspot_env(args, &[])
    }

    /// `tspot login` as `user` with the environment variables, into `profile`.
    pub fn login(&self, profile: &str, user: &str, password: &str) -> Run {
        self.tspot_env(
            &["login", "--profile", profile],
            &[
                ("TSPOT_URL", &self.server.base),
                ("TSPOT_USERNAME", user),
                ("TSPOT_PASSWORD", password),
            ],
        )
    }
}

/// Replaces `YYYY-MM-DD hh:mm` times, keeping the width so that tables stay aligned.
pub fn redact_times(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let shape = "dddd-dd-dd dd:dd";
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let matches = i + shape.len() <= chars.len()
            && shape.chars().zip(&chars[i..]).all(|(s, c)| match s {
                'd' => c.is_ascii_digit(),
                other => other == *c,
            });
        if matches {
            out.push_str("YYYY-MM-DD hh:mm");
            i += shape.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Replaces random GUIDs (not the demo's fixed ones), keeping the width.
pub fn redact_ids(text: &str) -> String {
    let is_guid = |s: &str| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let candidate = rest.get(..36).filter(|s| is_guid(s));
        match candidate {
            Some(id) if !id.starts_with(DEMO_ID_PREFIX) => {
                out.push_str("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
                rest = &rest[36..];
            }
            Some(id) => {
                out.push_str(id);
                rest = &rest[36..];
            }
            None => {
                let c = rest.chars().next().expect("not empty");
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Sets every `created` and `modified` field to a placeholder.
pub fn redact_json_times(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if matches!(key.as_str(), "created" | "modified") {
                    *field = Value::from("[epoch ms]");
                } else {
                    redact_json_times(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json_times),
        _ => {}
    }
}

impl Setup {
    /// `tspot ARGS` with `input` on standard input.
    pub fn tspot_with_stdin(&self, args: &[&str], env: &[(&str, &str)], input: &str) -> Run {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", self.path("home"))
            .env("TSPOT_CONFIG_DIR", self.config_dir())
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tspot starts");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("input written");
        drop(stdin);
        let output = child.wait_with_output().expect("tspot exits");
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().expect("an exit status"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 errors"),
        }
    }
}
