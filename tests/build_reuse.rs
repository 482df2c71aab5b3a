//! The README's promise that `cargo test --release` reuses what `cargo build --release` has
//! just compiled. Cargo turns on a dev-dependency's features only in test builds; a feature
//! that reaches a crate the release build shares (serde_json, indexmap's hashbrown) gives that
//! crate, and everything above it up to Typst, a second build. Cargo.toml turns such features
//! on for the release build too; this test finds any that are missing, without compiling, by
//! comparing `cargo tree`'s feature sets with and without the dev-dependencies.

use std::collections::BTreeMap;
use std::process::Command;

/// Each package in the graph (`name vX.Y.Z`) and its enabled features.
fn features(edges: &str) -> BTreeMap<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--workspace", "--locked", "--offline", "--prefix", "none", "--format", "{p}|{f}", "-e", edges])
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let (package, features) = line.trim_end_matches(" (*)").split_once('|')?;
            Some((package.to_string(), features.to_string()))
        })
        .collect()
}

#[test]
fn test_builds_enable_no_feature_the_release_build_lacks() {
    let release = features("normal,build");
    let test = features("normal,build,dev");
    assert!(release.keys().any(|p| p.starts_with("typst-library ")), "the graph has Typst: {release:?}");
    let differing: Vec<String> = release
        .iter()
        .filter_map(|(package, with)| {
            let in_tests = &test[package];
            (in_tests != with).then(|| format!("{package}: release [{with}], tests [{in_tests}]"))
        })
        .collect();
    assert!(
        differing.is_empty(),
        "turn these features on in Cargo.toml's [dependencies] too, or tests rebuild them:\n{}",
        differing.join("\n")
    );
}
