//! Every rule of the catalogue has two fixture sites under `tests/fixtures/rules/<CODE>/`:
//! `fires/`, where the check reports exactly the diagnostics listed in `fires/expect`, each
//! with its message (at least one of them the rule's own), and `passes/`, a near-identical
//! site where the rule does not report at all.
//!
//! `expect` files are read by `common::expect`: `OVS101 content/organisations/x.yaml:8:14`
//! (code, file, line, column), its message indented on the next line. `OVERSIGHT_BLESS=1
//! cargo test --release --test rules` writes what the check finds into them, to review.

mod common;

use std::path::{Path, PathBuf};

use common::expect::{Expect, Found, Match};
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

/// Each diagnostic, located as `CODE file:line:col`, with its message.
fn found(checked: &Checked) -> Vec<Found> {
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let p = Position::of(d.span, &checked.sources);
            let location =
                format!("{} {}:{}:{}", d.code, checked.sources.path(d.span.file).display(), p.line, p.column);
            Found { location, message: d.message.clone() }
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
        let expect = match Expect::read(&fires.join("expect")) {
            Ok(expect) => expect,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let locations = expect.locations();
        if !locations.iter().any(|l| l.starts_with(&format!("{} ", rule.code.code))) {
            failures.push(format!("{}: fires/expect lists no location of the rule", rule.code.code));
        }
        failures.extend(expect.check(&found(&check(&fires)), Match::Exact));
        let passed: Vec<String> = found(&check(&passes)).into_iter().map(|f| f.location).collect();
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

#[test]
fn expect_files_are_read_and_held_to_what_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("expect");
    let text = "# why\nexit 1\nOVS001 content/a b.yaml:1:2\n  a message: with colons\nOVS002 c.yaml:3:4\n";
    std::fs::write(&path, text).unwrap();
    let expect = Expect::read(&path).unwrap();
    assert_eq!(expect.exit(), Some(1));
    assert_eq!(expect.locations(), ["OVS001 content/a b.yaml:1:2", "OVS002 c.yaml:3:4"]);
    let a = Found { location: "OVS001 content/a b.yaml:1:2".into(), message: "a message: with colons".into() };
    let b = Found { location: "OVS002 c.yaml:3:4".into(), message: "anything".into() };
    assert_eq!(expect.compare(&[a.clone(), b.clone()], Match::AtLeast), Vec::<String>::new());
    // Exactly: the second gives no message, and a stray diagnostic is one too many.
    let stray = Found { location: "OVS003 d.yaml:1:1".into(), message: "stray".into() };
    assert_eq!(expect.compare(&[a.clone(), b, stray], Match::Exact).len(), 2);
    let wrong = Found { message: "another message".into(), ..a };
    assert_eq!(expect.compare(&[wrong], Match::AtLeast).len(), 2, "the wrong message, and the second missing");
    std::fs::write(&path, "  a message under nothing\n").unwrap();
    assert!(Expect::read(&path).is_err());
}
