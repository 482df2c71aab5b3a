//! A corpus of malformed inputs. Each must produce a located diagnostic and exit 1 (or 2 for a
//! usage or I/O failure), never a panic or a hang.
//!
//! Committed cases live in `tests/fixtures/malformed/<case>/` as sites, with an `expect` file
//! (`exit 1` and lines `OVS003 content/organisations/x.yaml:5:14`, each found at least, with
//! the message if one is indented under it), read as the rule fixtures' are
//! (`common::expect`). Cases too big or too odd to commit (a 5 MB file, an alias bomb, deep
//! nesting, bad bytes) are generated here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::expect::{Expect, Found, Match};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SITE_YAML: &str = "title: Malformed\nas_of: 2024-12-05\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `oversight check --format json` on a site, killing it if it hangs.
fn run_check(site: &Path) -> Run {
    // Run inside the site, so diagnostics name files from `content/` (names are relative to
    // the working directory).
    let mut child = Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["check", "--format", "json"])
        .current_dir(site)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("{}: hung for 30 s", site.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Each diagnostic in JSON output, located as `CODE file:line:col`, with its message.
fn found(json: &str) -> Vec<Found> {
    let report: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{json}"));
    report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| Found {
            location: format!(
                "{} {}:{}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"]
            ),
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// `CODE file:line:col` of each diagnostic in JSON output.
fn located(json: &str) -> Vec<String> {
    found(json).into_iter().map(|f| f.location).collect()
}

fn assert_clean_failure(name: &str, run: &Run) {
    assert!(!run.stderr.contains("panicked"), "{name}: panicked:\n{}", run.stderr);
    assert!(run.code == 1 || run.code == 2, "{name}: exit {} (want 1 or 2)\n{}{}", run.code, run.stdout, run.stderr);
}

#[test]
fn committed_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root).expect("corpus folder").map(|e| e.unwrap().path()).collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert!(case.join("expect").is_file(), "{name}: no expect file");
        let expect = Expect::read(&case.join("expect")).unwrap_or_else(|e| panic!("{e}"));
        let run = run_check(case);
        assert_clean_failure(&name, &run);
        if let Some(code) = expect.exit().filter(|code| *code != run.code) {
            failures.push(format!("{name}: exit {} (want {code})", run.code));
        }
        let found = if run.code == 1 { found(&run.stdout) } else { Vec::new() };
        failures.extend(expect.check(&found, Match::AtLeast));
    }
    assert!(cases.len() >= 20, "the committed corpus has {} cases", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes a one-organisation site whose organisation file has these bytes.
fn site_with_org(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("content/organisations")).unwrap();
    fs::write(dir.path().join("content/site.yaml"), SITE_YAML).unwrap();
    fs::write(dir.path().join("content/organisations/x.yaml"), bytes).unwrap();
    dir
}

fn generated_case(name: &str, bytes: &[u8], want: &str) {
    let site = site_with_org(bytes);
    let run = run_check(site.path());
    assert_clean_failure(name, &run);
    let found = located(&run.stdout);
    assert!(found.iter().any(|f| f == want), "{name}: expected `{want}`, found {found:?}");
}

#[test]
fn five_megabyte_file() {
    // A valid-looking record with a 5 MB note: read and reported, not choked on.
    let mut text = String::from("name: Big\ntype: nhs-trust\nregion: london\nnote: \"");
    text.push_str(&"x".repeat(5 * 1024 * 1024));
    text.push_str("\"\n");
    generated_case("5mb", text.as_bytes(), "OVS002 content/organisations/x.yaml:4:1");
}

#[test]
fn alias_bomb() {
    let mut text = String::from("name: Bomb\ntype: nhs-trust\nregion: london\nservices: &a0 [acute, acute]\n");
    for i in 1..30 {
        text.push_str(&format!("x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
    }
    let site = site_with_org(text.as_bytes());
    let run = run_check(site.path());
    assert_clean_failure("alias bomb", &run);
    assert!(located(&run.stdout).iter().any(|f| f.starts_with("OVS00") && f.contains("x.yaml:")), "{}", run.stdout);
}

#[test]
fn deep_nesting() {
    let depth = 100_000;
    let text =
        format!("name: Deep\ntype: nhs-trust\nregion: london\nsegments: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let site = site_with_org(text.as_bytes());
    let run = run_check(site.path());
    assert_clean_failure("deep nesting", &run);
    assert!(located(&run.stdout).iter().any(|f| f.starts_with("OVS00") && f.contains("x.yaml:4:")), "{}", run.stdout);
}

#[test]
fn invalid_utf8() {
    generated_case(
        "latin-1",
        b"name: Caf\xe9 Trust\ntype: nhs-trust\nregion: london\n",
        "OVS005 content/organisations/x.yaml:1:10",
    );
}

#[test]
fn bom_keeps_columns() {
    generated_case(
        "bom",
        b"\xEF\xBB\xBFname: X\ntype: nhs-trst\nregion: london\n",
        "OVS003 content/organisations/x.yaml:2:7",
    );
}

#[test]
fn nul_bytes() {
    generated_case("nul", b"name: X\0\ntype: nhs-trust\nregion: london\n", "OVS001 content/organisations/x.yaml:1:8");
}

#[test]
fn no_content_folder_is_a_usage_failure() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_check(dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no content/ folder"), "{}", run.stderr);
}
