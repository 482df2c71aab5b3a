//! Every rule of the catalogue has two fixture sites under `tests/fixtures/rules/<CODE>/`:
//! `fires/`, where the rule reports at least the locations listed in `fires/expect`, and
//! `passes/`, a near-identical site where it does not report at all.
//!
//! `expect` lines read `OVS101 content/organisations/x.yaml:8:14` (code, file, line, column).

use std::fs;
use std::path::{Path, PathBuf};

use oversight_rules::CATALOGUE;
use oversight_rules::check::{Checked, check_site};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Position;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn check(site: &Path) -> Checked {
    // A fixed "today" so fixtures without as_of behave the same every day.
    check_site(site, None, Date::constant(2026, 1, 1)).unwrap_or_else(|e| panic!("{}: {e}", site.display()))
}

/// `CODE file:line:col` for each diagnostic.
fn located(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let p = Position::of(d.span, &checked.sources);
            format!("{} {}:{}:{}", d.code, checked.sources.path(d.span.file).display(), p.line, p.column)
        })
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_passes_on_its_twin() {
    let mut failures = Vec::new();
    for rule in CATALOGUE {
        let dir = fixtures().join(rule.code.code);
        let (fires, passes) = (dir.join("fires"), dir.join("passes"));
        if !fires.is_dir() || !passes.is_dir() {
            failures.push(format!("{}: missing {}/fires or /passes", rule.code.code, dir.display()));
            continue;
        }
        let found = located(&check(&fires));
        let expect = fs::read_to_string(fires.join("expect")).unwrap_or_default();
        let expected: Vec<&str> =
            expect.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        if expected.is_empty() {
            failures.push(format!("{}: fires/expect lists no location", rule.code.code));
        }
        for line in &expected {
            if !line.starts_with(rule.code.code) {
                failures.push(format!("{}: fires/expect line `{line}` is for another rule", rule.code.code));
            }
            if !found.iter().any(|f| f == line) {
                failures.push(format!("{}: expected `{line}`, found:\n    {}", rule.code.code, found.join("\n    ")));
            }
        }
        let passed = located(&check(&passes));
        let stray: Vec<_> = passed.iter().filter(|f| f.starts_with(&format!("{} ", rule.code.code))).collect();
        if !stray.is_empty() {
            failures.push(format!("{}: fired on passes/: {stray:?}", rule.code.code));
        }
        // The twin must be a loadable site, or "does not fire" would prove nothing.
        let broken: Vec<_> = passed.iter().filter(|f| f.starts_with("OVS00")).collect();
        if !broken.is_empty() && !rule.code.code.starts_with("OVS00") {
            failures.push(format!("{}: passes/ has record-format errors: {broken:?}", rule.code.code));
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}
