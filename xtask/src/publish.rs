//! The one function behind `cargo xtask publish`, `--check` and the freshness test: the published
//! OpenAPI documents `dist/thoughtspot-v1.yaml` and `dist/thoughtspot-v1.json`, made from
//! `spec/thoughtspot-v1.yaml` for people who generate bindings in other languages.
//!
//! What publishing changes, and nothing else:
//!
//! - **Key order: the source's own order**, not sorted. The spec is written to be read (operations
//!   grouped by tag, schema properties in wire order, `type` before `description`), and Swagger UI
//!   and the generators show operations and fields in that order. The order is carried by
//!   `serde_yaml_ng::Mapping` (an insertion-ordered map) and written straight to both outputs, never
//!   through `serde_json::Value`, whose key order depends on whether some crate in the build enables
//!   serde_json's `preserve_order` feature. Output bytes therefore depend on the spec text only:
//!   not on the machine, the toolchain or the cargo feature set.
//! - **Normalised text.** Comments, anchors, quoting and folding are the emitter's (serde_yaml_ng:
//!   two-space block style, multi-line strings as literal blocks, LF line endings); the JSON is
//!   serde_json's pretty form with a final newline. Both documents hold the same value.
//! - **`servers`**: a real cluster (`https://{cluster}/callosum/v1`, with the server variable
//!   `cluster`) and tspot's reference server at its default address, in place of the spec's relative
//!   `/callosum/v1` (which only works for the copy a server serves itself).
//! - **`x-tspot-published`** right after `info`: `{version, source, generator}`, `version` being
//!   `info.version`; the YAML also starts with a comment saying the same.

use std::path::Path;

use serde_yaml_ng::{Mapping, Value};

use crate::codegen::{SPEC_PATH, workspace_root};

pub const DIST_YAML: &str = "dist/thoughtspot-v1.yaml";
pub const DIST_JSON: &str = "dist/thoughtspot-v1.json";
/// The command that fixes any staleness this module reports.
pub const FIX_COMMAND: &str = "cargo xtask publish";

/// The `servers` of the published documents.
const SERVERS: &str = r#"
- url: https://{cluster}/callosum/v1
  description: A ThoughtSpot cluster; `cluster` is its host name (with `:port` when not 443).
  variables:
    cluster:
      default: my.thoughtspot.cloud
      description: Host name of the ThoughtSpot cluster, for example `my.thoughtspot.cloud`.
- url: http://127.0.0.1:8088/callosum/v1
  description: tspot's reference server (`tspot serve`) on its default address.
"#;

pub enum Mode {
    Write,
    Check,
}

/// A file the publisher owns, relative to the workspace root.
pub struct PublishedFile {
    pub path: &'static str,
    pub contents: String,
}

/// The published documents for `spec_text`, in memory.
pub fn publish(spec_text: &str) -> Result<Vec<PublishedFile>, String> {
    // The published document must be one every tool of this repository reads.
    crate::spec::load(spec_text)?;
    let source: Value =
        serde_yaml_ng::from_str(spec_text).map_err(|e| format!("{SPEC_PATH} is not YAML: {e}"))?;
    let Value::Mapping(source) = source else {
        return Err(format!("{SPEC_PATH} is not a YAML mapping"));
    };
    let version = source
        .get("info")
        .and_then(|info| info.get("version"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{SPEC_PATH} has no info.version string"))?
        .to_owned();
    check_version(&version)?;

    let servers: Value = serde_yaml_ng::from_str(SERVERS).expect("SERVERS is valid YAML");
    let mut stamp = Mapping::new();
    stamp.insert("version".into(), version.clone().into());
    stamp.insert("source".into(), SPEC_PATH.into());
    stamp.insert("generator".into(), FIX_COMMAND.into());

    let mut published = Mapping::new();
    for (key, value) in source {
        match key.as_str() {
            Some("servers" | "x-tspot-published") => {}
            Some("info") => {
                published.insert(key, value);
                published.insert("x-tspot-published".into(), Value::Mapping(stamp.clone()));
                published.insert("servers".into(), servers.clone());
            }
            _ => {
                published.insert(key, value);
            }
        }
    }
    reject_tags(&Value::Mapping(published.clone()))?;
    let published = Value::Mapping(published);

    let header = format!(
        "# ThoughtSpot REST API v1, OpenAPI description version {version}.\n\
         # Published by `{FIX_COMMAND}` from {SPEC_PATH}; do not edit (edit the spec, then publish).\n"
    );
    let yaml = serde_yaml_ng::to_string(&published)
        .map_err(|e| format!("cannot write the published YAML: {e}"))?;
    let mut json = serde_json::to_string_pretty(&published)
        .map_err(|e| format!("cannot write the published JSON: {e}"))?;
    json.push('\n');
    let files = vec![
        PublishedFile {
            path: DIST_YAML,
            contents: format!("{header}{}", yaml.replace("\r\n", "\n")),
        },
        PublishedFile {
            path: DIST_JSON,
            contents: json,
        },
    ];
    for file in &files {
        crate::spec::load(&file.contents)
            .map_err(|e| format!("the published {} does not load: {e}", file.path))?;
    }
    Ok(files)
}

/// `info.version` must be `MAJOR.MINOR.PATCH` (the breaking-change guard reads its major).
fn check_version(version: &str) -> Result<(), String> {
    let parts: Vec<&str> = version
        .split(['-', '+'])
        .next()
        .unwrap_or("")
        .split('.')
        .collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        Ok(())
    } else {
        Err(format!(
            "{SPEC_PATH} says info.version {version:?}; publishing needs MAJOR.MINOR.PATCH"
        ))
    }
}

/// YAML tags (`!foo`) have no JSON form; the spec has none, keep it so.
fn reject_tags(value: &Value) -> Result<(), String> {
    match value {
        Value::Tagged(tagged) => Err(format!("{SPEC_PATH} uses the YAML tag {}", tagged.tag)),
        Value::Sequence(items) => items.iter().try_for_each(reject_tags),
        Value::Mapping(map) => map.iter().try_for_each(|(key, value)| {
            if !matches!(key, Value::String(_) | Value::Number(_)) {
                return Err(format!("{SPEC_PATH} has a non-scalar mapping key {key:?}"));
            }
            reject_tags(value)
        }),
        _ => Ok(()),
    }
}

/// Compares the documents published from `spec_text` with those on disk; returns the stale ones
/// as unified diffs.
pub fn stale_files(root: &Path, spec_text: &str) -> Result<Vec<String>, String> {
    let mut diffs = Vec::new();
    for file in publish(spec_text)? {
        let on_disk = std::fs::read_to_string(root.join(file.path)).unwrap_or_default();
        if on_disk != file.contents {
            diffs.push(crate::format::unified_diff(
                file.path,
                &on_disk,
                &file.contents,
            ));
        }
    }
    Ok(diffs)
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let spec_text = read_spec(&root)?;
    match mode {
        Mode::Check => {
            let diffs = stale_files(&root, &spec_text)?;
            if diffs.is_empty() {
                println!("{DIST_YAML} and {DIST_JSON} are up to date with {SPEC_PATH}");
                Ok(())
            } else {
                for diff in &diffs {
                    println!("{diff}");
                }
                Err(format!(
                    "{} published file(s) differ from {SPEC_PATH}; run `{FIX_COMMAND}` and commit the result",
                    diffs.len()
                ))
            }
        }
        Mode::Write => {
            for file in publish(&spec_text)? {
                let path = root.join(file.path);
                let unchanged =
                    std::fs::read_to_string(&path).is_ok_and(|old| old == file.contents);
                if !unchanged {
                    if let Some(dir) = path.parent() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                    }
                    std::fs::write(&path, &file.contents)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                }
                println!(
                    "{} {}",
                    if unchanged { "unchanged" } else { "wrote    " },
                    file.path
                );
            }
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

    fn spec() -> String {
        read_spec(&workspace_root()).unwrap()
    }

    /// The same check as `cargo xtask publish --check`, so `cargo test` catches a stale dist/.
    #[test]
    fn published_documents_match_the_spec() {
        let root = workspace_root();
        let diffs = stale_files(&root, &spec()).unwrap();
        assert!(
            diffs.is_empty(),
            "{}\n\n{SPEC_PATH} and dist/ differ; run `{FIX_COMMAND}` and commit",
            diffs.join("\n")
        );
    }

    /// The guard above can fail: any edit of the spec changes the published text.
    #[test]
    fn any_spec_change_makes_dist_stale() {
        let spec = spec();
        let edited = spec.replacen("name: batchsize", "name: batch_size", 1);
        assert_ne!(
            spec, edited,
            "test fixture `name: batchsize` is gone from the spec"
        );
        let before = publish(&spec).unwrap();
        let after = publish(&edited).unwrap();
        for (a, b) in before.iter().zip(&after) {
            assert_ne!(a.contents, b.contents, "{} did not change", a.path);
        }
    }

    #[test]
    fn yaml_and_json_hold_the_same_document_in_source_order() {
        let files = publish(&spec()).unwrap();
        let yaml: Value = serde_yaml_ng::from_str(&files[0].contents).unwrap();
        let json: Value = serde_yaml_ng::from_str(&files[1].contents).unwrap();
        assert_eq!(yaml, json);
        let keys: Vec<&str> = yaml
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "openapi",
                "info",
                "x-tspot-published",
                "servers",
                "tags",
                "paths",
                "components"
            ]
        );
        // Paths keep the spec's order (grouped by tag), not alphabetical order.
        let paths: Vec<&str> = yaml["paths"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(paths[0], "/tspublic/v1/user/list");
        assert_eq!(
            yaml["x-tspot-published"]["version"],
            yaml["info"]["version"]
        );
        assert_eq!(
            yaml["servers"][0]["url"].as_str(),
            Some("https://{cluster}/callosum/v1")
        );
        assert!(
            files[0]
                .contents
                .starts_with("# ThoughtSpot REST API v1, OpenAPI description version ")
        );
        assert!(!files[0].contents.contains('\r') && !files[1].contents.contains('\r'));
    }

    /// Re-publishing a published document changes nothing but the header comment it drops: the
    /// output is a fixed point, so formatting cannot drift between runs.
    #[test]
    fn publishing_is_idempotent() {
        let files = publish(&spec()).unwrap();
        let again = publish(&files[0].contents).unwrap();
        assert_eq!(files[0].contents, again[0].contents);
        assert_eq!(files[1].contents, again[1].contents);
    }

    #[test]
    fn a_version_that_is_not_semver_is_refused() {
        let spec = spec();
        let version = serde_yaml_ng::from_str::<Value>(&spec).unwrap()["info"]["version"]
            .as_str()
            .unwrap()
            .to_string();
        let spec = spec.replacen(&format!("version: {version}"), "version: '1.0'", 1);
        let error = publish(&spec).err().unwrap();
        assert!(error.contains("MAJOR.MINOR.PATCH"), "{error}");
    }
}
