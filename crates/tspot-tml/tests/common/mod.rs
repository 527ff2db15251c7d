//! Helpers shared by the integration tests: the sample documents under `samples/`.

#![allow(dead_code)] // each test crate uses a different part

use std::path::{Path, PathBuf};

/// `crates/tspot-tml/samples`.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The `*.tml` files directly in `dir`, sorted, as (file name, text).
pub fn tml_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "tml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            (name, text)
        })
        .collect();
    files.sort();
    files
}

/// The YAML samples (`samples/*.tml`).
pub fn yaml_samples() -> Vec<(String, String)> {
    let files = tml_files(&samples_dir());
    assert!(
        files.len() >= 7,
        "expected the sample documents, found {}",
        files.len()
    );
    files
}

/// The JSON samples (`samples/json/*.tml`), one per YAML sample.
pub fn json_samples() -> Vec<(String, String)> {
    tml_files(&samples_dir().join("json"))
}

/// Reads one sample by file name.
pub fn sample(name: &str) -> String {
    let path = samples_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The type in a `<name>.<type>.tml` file name.
pub fn suffix_type(name: &str) -> &str {
    let stem = name.strip_suffix(".tml").expect("a .tml file");
    stem.rsplit('.')
        .next()
        .expect("a <name>.<type>.tml file name")
}

/// Texts a YAML writer can get wrong: YAML 1.1 booleans and nulls, numbers, dates, indicators,
/// surrounding spaces, escapes, non-ASCII.
pub const TRICKY_STRINGS: &[&str] = &[
    "",
    "on",
    "off",
    "y",
    "n",
    "yes",
    "No",
    "true",
    "False",
    "null",
    "~",
    "=",
    "<<",
    "12",
    "-3",
    "1.5",
    "1e3",
    ".5",
    "0x1F",
    "0o17",
    "0b11",
    "1_000",
    "12:30",
    ".inf",
    "-.Inf",
    ".NaN",
    "2024-01-31",
    "2024-1-2 10:00:00",
    "[Revenue]",
    "{x}",
    "a: b",
    "a #b",
    "#tag",
    "- item",
    "-item",
    "? q",
    "key:",
    "!bang",
    "&anchor",
    "*alias",
    "|pipe",
    ">fold",
    "%pct",
    "@at",
    "`tick",
    "'single'",
    "\"double\"",
    " lead",
    "trail ",
    "tab\there",
    "line1\nline2",
    "crlf\r\n",
    "back\\slash",
    "bell\u{7}",
    "del\u{7f}",
    "nel\u{85}",
    "nbsp\u{a0}",
    "ls\u{2028}",
    "bom\u{feff}",
    "Región Norte",
    "中文",
    "emoji 🚀",
    "---",
    "...",
    "a,b",
    "x: y: z",
    "C:\\temp",
    "7c1e5f0a-2b9d-4c3e-8a41-6d2f9b0e1a01",
    "fact_sales_1::Revenue",
];

/// A liveboard whose texts are the tricky strings (as filter values, a name, a description).
pub fn tricky_document() -> tspot_tml::Document {
    use tspot_tml::{Document, Filter, FilterOper, Liveboard, Object};
    let liveboard = Liveboard {
        name: Some("Tricky: \"texts\" #1".to_owned()),
        description: Some("Line one\nLine two, with 'quotes' and a tab\t.".to_owned()),
        filters: vec![Filter {
            column: vec!["Region".to_owned()],
            oper: Some(FilterOper::In),
            values: TRICKY_STRINGS.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut doc = Document::new(Object::Liveboard(liveboard));
    doc.guid = Some("0e8a2f6c-4b1d-4e9a-9c3f-5d7b1a2e3f40".to_owned());
    doc
}
