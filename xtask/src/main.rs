//! Project automation: `cargo xtask codegen [--check]`, `cargo xtask publish [--check]`,
//! `cargo xtask spec-diff OLD NEW` and `cargo xtask bench`.
//!
//! The xtask depends on none of the crates it generates, so it builds even when the generated code
//! is stale or broken.

mod bench;
mod client;
mod codegen;
mod format;
mod publish;
mod server;
mod spec;
mod spec_diff;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask publish [--check]
       cargo xtask spec-diff OLD NEW
       cargo xtask bench [--quick] [--analytics] [--demo-rows N] [--duration SECS] [--connections N]

  codegen            regenerate crates/tspot-types, -client and -server from spec/thoughtspot-v1.yaml
  codegen --check    regenerate in memory and fail with a diff when a committed file is stale
  publish            write dist/thoughtspot-v1.yaml and dist/thoughtspot-v1.json from the spec
                     (normalised, version-stamped, with servers for a cluster and for tspot)
  publish --check    publish in memory and fail with a diff when dist/ is stale
  spec-diff OLD NEW  compare two OpenAPI 3.0 documents (YAML or JSON) and fail on changes that break
                     existing clients, unless NEW's info.version has a greater major than OLD's
  bench              build release binaries and load `tspot serve` with wrk, each scenario next to a
                     bare axum handler; prints a Markdown table (req/s, p50, p99, errors) and the
                     servers' RSS. --quick: 3 s per run instead of 10; defaults: 100000 demo rows,
                     64 connections. --analytics: searchdata against hand-written SQL (sqlite3),
                     the demo Liveboard at once and one by one, and its PDF";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["publish"] => publish::run(publish::Mode::Write),
        ["publish", "--check"] => publish::run(publish::Mode::Check),
        ["spec-diff", old, new] => spec_diff::run(old, new),
        ["bench", options @ ..] => bench::run(options),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
