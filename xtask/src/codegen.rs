//! The one generator behind `cargo xtask codegen`, `--check` and the freshness test.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{client, format, server, spec};

/// Where the spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/thoughtspot-v1.yaml";
/// The command that fixes any staleness this module reports.
pub const FIX_COMMAND: &str = "cargo xtask codegen";

pub enum Mode {
    Write,
    Check,
}

/// A file the generator owns, relative to the workspace root.
pub struct GeneratedFile {
    pub path: &'static str,
    pub contents: String,
}

/// The workspace this run works on, found at run time: the parent of the `CARGO_MANIFEST_DIR`
/// cargo sets when it runs xtask, else the nearest directory above the current one whose
/// `Cargo.toml` has a `[workspace]` table. Never the path compiled in: with a shared target dir
/// the binary built for one checkout would check and write another.
pub fn workspace_root() -> PathBuf {
    let from_cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .and_then(|dir| Path::new(&dir).parent().map(Path::to_path_buf))
        .filter(|dir| is_workspace(dir));
    let current = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    from_cargo
        .or_else(|| {
            current
                .ancestors()
                .find(|d| is_workspace(d))
                .map(Path::to_path_buf)
        })
        .unwrap_or(current)
}

fn is_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[workspace]"))
}

/// Generates every file from the spec text, in memory.
pub fn generate(spec_text: &str) -> Result<Vec<GeneratedFile>, String> {
    let document = spec::load(spec_text)?;
    let generated = client::generate(&document)?;
    let server_tokens = server::generate(&document, &generated.types)?;
    Ok(vec![
        GeneratedFile {
            path: "crates/tspot-types/src/generated.rs",
            contents: format::rust_file(generated.types)?,
        },
        GeneratedFile {
            path: "crates/tspot-client/src/generated.rs",
            contents: format::rust_file(generated.client)?,
        },
        GeneratedFile {
            path: "crates/tspot-server/src/generated.rs",
            contents: format::rust_file(server_tokens)?,
        },
    ])
}

/// Compares the files generated from `spec_text` with those on disk; returns the stale ones as
/// unified diffs.
pub fn stale_files(root: &Path, spec_text: &str) -> Result<Vec<String>, String> {
    let mut diffs = Vec::new();
    for file in generate(spec_text)? {
        let on_disk = std::fs::read_to_string(root.join(file.path)).unwrap_or_default();
        if on_disk != file.contents {
            diffs.push(format::unified_diff(file.path, &on_disk, &file.contents));
        }
    }
    Ok(diffs)
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let started = Instant::now();
    match mode {
        Mode::Check => {
            let diffs = stale_files(&root, &read_spec(&root)?)?;
            if diffs.is_empty() {
                println!("generated code is up to date with {SPEC_PATH}");
                Ok(())
            } else {
                for diff in &diffs {
                    println!("{diff}");
                }
                Err(format!(
                    "{} generated file(s) differ from {SPEC_PATH}; run `{FIX_COMMAND}` and commit the result",
                    diffs.len()
                ))
            }
        }
        Mode::Write => {
            let spec_text = read_spec(&root)?;
            for file in generate(&spec_text)? {
                let path = root.join(file.path);
                let unchanged =
                    std::fs::read_to_string(&path).is_ok_and(|old| old == file.contents);
                if !unchanged {
                    std::fs::write(&path, &file.contents)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                }
                println!(
                    "{} {}",
                    if unchanged { "unchanged" } else { "wrote    " },
                    file.path
                );
            }
            println!("generated in {:.2?}", started.elapsed());
            Ok(())
        }
    }
}

fn read_spec(root: &Path) -> Result<String, String> {
    let path = root.join(SPEC_PATH);
    std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask codegen --check`, so `cargo test` catches a stale checkout.
    #[test]
    fn generated_code_matches_the_spec() {
        let root = workspace_root();
        let diffs = stale_files(&root, &read_spec(&root).unwrap()).unwrap();
        assert!(
            diffs.is_empty(),
            "{}\n\nspec and generated code differ; run `{FIX_COMMAND}` and commit",
            diffs.join("\n")
        );
    }

    /// The guard above can fail: an edited schema, parameter or operation changes the output.
    #[test]
    fn any_spec_change_makes_the_committed_code_stale() {
        let root = workspace_root();
        let spec = read_spec(&root).unwrap();
        let edits = [
            (
                "schema",
                "required: [code, incident_id_guid, trace_id_guid, debug]",
                "required: [code]",
            ),
            ("parameter", "name: batchsize", "name: batch_size"),
            (
                "operation",
                "operationId: searchData",
                "operationId: searchDataV2",
            ),
        ];
        for (what, from, to) in edits {
            assert!(
                spec.contains(from),
                "test fixture `{from}` is gone from the spec"
            );
            let edited = spec.replacen(from, to, 1);
            let diffs = stale_files(&root, &edited).unwrap();
            assert!(!diffs.is_empty(), "changing a {what} went unnoticed");
            if what == "schema" {
                assert!(
                    diffs
                        .iter()
                        .any(|d| d.contains("crates/tspot-types/src/generated.rs")),
                    "a schema change leaves the types crate as it was"
                );
            }
        }
    }
}
