//! What this crate writes loads with thoughtspot-tml, the Python library that mirrors ThoughtSpot's
//! EDoc classes.
//!
//! Writes every sample (parsed and written again by this crate, as YAML and as JSON) plus a
//! document full of tricky texts into a temporary directory, then — only when `TSPOT_TML_CHECK`
//! names a Python that has thoughtspot-tml installed — runs `tests/tml/check_tml.py` over it.
//! `bash tests/tml/run.sh` sets that up (venv under target/ci/tmlvenv).

mod common;

use std::path::Path;
use std::process::Command;

use common::{tricky_document, yaml_samples};
use tspot_tml::{parse, to_json, to_yaml};

#[test]
fn written_documents_load_with_thoughtspot_tml() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (yaml_dir, json_dir) = (dir.path().join("yaml"), dir.path().join("json"));
    std::fs::create_dir_all(&yaml_dir).unwrap();
    std::fs::create_dir_all(&json_dir).unwrap();

    let mut docs: Vec<(String, tspot_tml::Document)> = yaml_samples()
        .into_iter()
        .map(|(name, text)| {
            (
                name.clone(),
                parse(&text).unwrap_or_else(|e| panic!("{name}: {e}")),
            )
        })
        .collect();
    docs.push(("tricky_texts.liveboard.tml".to_owned(), tricky_document()));
    for (name, doc) in &docs {
        std::fs::write(yaml_dir.join(name), to_yaml(doc)).unwrap();
        std::fs::write(json_dir.join(name), to_json(doc)).unwrap();
    }

    let Some(python) = std::env::var_os("TSPOT_TML_CHECK") else {
        eprintln!(
            "TSPOT_TML_CHECK is not set: wrote {} documents but did not run check_tml.py \
             (bash tests/tml/run.sh does)",
            docs.len() * 2
        );
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/tml/check_tml.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("running {python:?} {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    if !output.status.success() {
        let kept = dir.keep();
        panic!(
            "check_tml.py failed ({}); files kept in {}\n{stdout}\n{}",
            output.status,
            kept.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let expected = format!("{} passed, 0 failed", docs.len() * 2);
    assert!(
        stdout.contains(&expected),
        "expected `{expected}` in:\n{stdout}"
    );
}
