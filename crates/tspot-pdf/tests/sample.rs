//! Renders the six-visualization sample Liveboard to
//! `target/tspot-pdf-sample.pdf` (and a portrait / VISUALIZATION variant) for
//! a visual check, e.g. `pdftoppm -png -r 80 target/tspot-pdf-sample.pdf /tmp/sample`.

mod common;

use common::*;
use std::path::PathBuf;
use tspot_pdf::{Layout, Options, Orientation};

/// The Cargo target directory: the test binary lives in `<target>/<profile>/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.ancestors()
        .nth(3)
        .map(PathBuf::from)
        .expect("target directory above the test executable")
}

#[test]
fn render_sample_liveboard() {
    let report = sample();
    let options = Options {
        footer_text: Some("tspot sample export — confidential".into()),
        ..Options::default()
    };
    let p = parse(&report, &options);
    let all = p.all_text();
    for title in [
        "Total Revenue",
        "Revenue by Region",
        "Monthly Orders — 2024",
        "Sales by Channel",
        "Recent Orders",
        "Region Filter",
    ] {
        assert!(all.contains(title), "{title}");
    }
    // The headline is abbreviated as ThoughtSpot shows headlines (12,345,678.9).
    assert!(all.contains("12.35M"), "headline value");
    assert!(all.contains("Jan 2024"), "x axis labels");
    std::fs::write(target_dir().join("tspot-pdf-sample.pdf"), &p.bytes).unwrap();

    let variant = Options {
        layout: Layout::Visualization,
        orientation: Orientation::Portrait,
        ..options
    };
    let p = parse(&report, &variant);
    std::fs::write(
        target_dir().join("tspot-pdf-sample-portrait-visualization.pdf"),
        &p.bytes,
    )
    .unwrap();
    // One visualization per page: the line chart has room for every month.
    let all = p.all_text();
    for month in months() {
        assert!(all.contains(month), "x axis label {month}");
    }
}
