//! The xtask binary built here, run in a second checkout (as with a shared `CARGO_TARGET_DIR`
//! or git worktrees), checks and writes that checkout, not the one it was built from. The test
//! runs the built binary itself: a nested `cargo` would wait on the target dir's lock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = "spec/thoughtspot-v1.yaml";
const GENERATED: [&str; 3] = [
    "crates/tspot-types/src/generated.rs",
    "crates/tspot-client/src/generated.rs",
    "crates/tspot-server/src/generated.rs",
];

fn this_checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives below the workspace root")
        .to_path_buf()
}

/// A second checkout with what codegen reads and writes.
fn second_checkout(dir: &Path) {
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::create_dir_all(dir.join("xtask")).unwrap();
    for file in [SPEC].iter().chain(GENERATED.iter()) {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(this_checkout().join(file), to).unwrap();
    }
}

/// `xtask codegen ARGS` run in `checkout` as cargo would run it there.
fn codegen(checkout: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .current_dir(checkout)
        .env("CARGO_MANIFEST_DIR", checkout.join("xtask"))
        .output()
        .expect("the built xtask runs")
}

#[test]
fn a_second_checkout_is_checked_and_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path();
    second_checkout(checkout);
    assert!(codegen(checkout, &["--check"]).status.success());

    // A spec change there makes that checkout's generated code stale, not this one's.
    let spec = checkout.join(SPEC);
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = text.replacen(
        "List all users and groups",
        "List every user and group (changed in the second checkout)",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&spec, changed).unwrap();
    let stale = codegen(checkout, &["--check"]);
    assert!(
        !stale.status.success(),
        "the second checkout's change was not seen"
    );
    let said = String::from_utf8_lossy(&stale.stderr);
    assert!(said.contains("cargo xtask codegen"), "{said}");

    let originals: Vec<String> = GENERATED
        .iter()
        .map(|f| std::fs::read_to_string(this_checkout().join(f)).unwrap())
        .collect();
    assert!(codegen(checkout, &[]).status.success());
    assert!(codegen(checkout, &["--check"]).status.success());
    for (file, original) in GENERATED.iter().zip(&originals) {
        assert_eq!(
            &std::fs::read_to_string(this_checkout().join(file)).unwrap(),
            original,
            "{file} of the checkout the binary was built from was written"
        );
    }
}
