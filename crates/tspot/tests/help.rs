//! `--help` of every command and subcommand, as snapshots: the command line is part of the
//! interface. The commands are found by walking the "Commands:" sections, so a new command gets
//! its snapshot (and a review) without anyone listing it here.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{BIN, run_command};

/// `tspot <path> --help`, in a fixed environment: 100 columns, no colour, no `TSPOT_*` values.
fn help(path: &[String]) -> String {
    let mut command = Command::new(BIN);
    command
        .args(path)
        .arg("--help")
        .env_clear()
        .env("COLUMNS", "100")
        .env("TERM", "dumb")
        .env("NO_COLOR", "1");
    let output = run_command(command, Duration::from_secs(30));
    assert!(
        output.status.success(),
        "tspot {path:?} --help failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("help is UTF-8")
}

/// The subcommands a help text lists (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    let Some((_, rest)) = help.split_once("\nCommands:\n") else {
        return Vec::new();
    };
    rest.lines()
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_has_its_help_snapshot() {
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = Vec::new();
    while let Some(path) = pending.pop() {
        let text = help(&path);
        let name = if path.is_empty() {
            "tspot".to_string()
        } else {
            format!("tspot_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, text);
        for sub in subcommands(&text) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
        seen.push(path.join(" "));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "",
            "backup",
            "completions",
            "demo",
            "demo load",
            "groups",
            "groups grant",
            "groups revoke",
            "login",
            "logout",
            "objects",
            "objects list",
            "pinboard",
            "pinboard data",
            "pinboard pdf",
            "profiles",
            "profiles list",
            "profiles remove",
            "profiles use",
            "restore",
            "search",
            "serve",
            "status",
            "tml",
            "tml export",
            "tml import",
            "token",
            "users",
            "users list",
            "users passwd",
            "users sync",
            "users transfer",
            "viz",
            "viz list",
        ]
    );
}

#[test]
fn short_help_lists_the_commands_and_long_help_the_exit_statuses() {
    let mut command = Command::new(BIN);
    command.arg("-h").env_clear().env("COLUMNS", "100");
    let short = String::from_utf8(run_command(command, Duration::from_secs(30)).stdout).unwrap();
    assert!(short.contains("search"), "{short}");
    assert!(!short.contains("Exit status"), "{short}");
    let long = help(&[]);
    for line in [
        "  2  usage",
        "  3  not signed in",
        "  4  forbidden",
        "  5  not found",
        "  6  bad request",
        "  7  the server failed",
        "  8  connection problem",
    ] {
        assert!(long.contains(line), "{line:?} missing:\n{long}");
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let mut command = Command::new(BIN);
        command.args(["completions", shell]).env_clear();
        let output = run_command(command, Duration::from_secs(30));
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("tspot"), "{shell}");
        // The script asks `tspot` for the candidates (`COMPLETE=<shell> tspot ...`).
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
}
