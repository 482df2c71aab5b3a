//! The binary end to end: the example register, the output formats, exit codes, and the rule
//! catalogue commands.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use oversight_rules::{CATALOGUE, sources};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn oversight(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oversight")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn broken() -> PathBuf {
    root().join("tests/fixtures/sites/broken")
}

#[test]
fn example_register_checks_clean() {
    let out = oversight(&["check"], &root());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Two warnings the example shows on purpose (docs/record-format.md, section 17): a board
    // member's declaration not renewed within a year, and an action open after its due date.
    assert!(stderr.contains("0 errors, 2 warnings, 1 note"), "{stderr}");
    let warned: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning[")).map(|l| &l[..15]).collect();
    assert_eq!(warned, ["warning[OVS606]", "warning[OVS605]"], "{stderr}");
    // Strict CI mode stops on them, and only on them: with both re-levelled to notes it passes.
    assert_eq!(oversight(&["check", "--deny", "warnings"], &root()).status.code(), Some(1));
    let copy = tempfile::tempdir().unwrap();
    for entry in ["content", "static", "private"].iter().flat_map(|folder| walkdir::WalkDir::new(root().join(folder))) {
        let entry = entry.unwrap();
        let to = copy.path().join(entry.path().strip_prefix(root()).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let site_yaml = copy.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, format!("{text}\nrules:\n  OVS605: note\n  OVS606: note\n")).unwrap();
    let strict = oversight(&["check", "--deny", "warnings"], copy.path());
    assert_eq!(strict.status.code(), Some(0), "{}", String::from_utf8_lossy(&strict.stderr));
}

#[test]
fn json_output_is_documented_shape() {
    let out = oversight(&["check", "--format", "json", "--site", broken().to_str().unwrap()], &root());
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(report["version"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        for field in ["code", "name", "level", "message", "file"] {
            assert!(d[field].is_string(), "{field} in {d}");
        }
        for field in ["line", "column", "end_line", "end_column"] {
            assert!(d[field].as_u64().is_some_and(|n| n >= 1), "{field} in {d}");
        }
        assert!(d["help"].is_string() || d["help"].is_null());
    }
    let errors = diagnostics.iter().filter(|d| d["level"] == "error").count();
    assert_eq!(report["summary"]["errors"], errors);
    // site.yaml re-levels OVS209 to a note.
    assert!(diagnostics.iter().any(|d| d["code"] == "OVS209" && d["level"] == "note"));
    let unknown = diagnostics.iter().find(|d| d["code"] == "OVS002").unwrap();
    assert_eq!(
        (unknown["file"].as_str(), unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some("tests/fixtures/sites/broken/content/organisations/x-trust.yaml"), Some(4), Some(1))
    );
    assert_eq!(unknown["help"], "did you mean `segments`?");
}

#[test]
fn github_output_is_workflow_commands() {
    let out = oversight(&["check", "--format", "github", "--site", broken().to_str().unwrap()], &root());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let (summary, commands) = lines.split_last().unwrap();
    assert!(summary.contains("errors"), "{summary}");
    for line in commands {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        let (props, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(props.contains(",line=") && props.contains(",col=") && props.contains(",title=OVS"), "{props}");
        assert!(!message.contains('\n'));
    }
    assert!(stdout.contains("::error file=tests/fixtures/sites/broken/content/organisations/x-trust.yaml,line=4,col=1,endLine=4,endColumn=9,title=OVS002::unknown field `segmnets`%0Ahelp: did you mean `segments`?"), "{stdout}");
}

/// A copy of the broken site as `register/` in a new folder, the way a repository keeps its
/// register in a sub-folder.
fn register_in_subfolder() -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(broken()) {
        let entry = entry.unwrap();
        let to = repo.path().join("register").join(entry.path().strip_prefix(broken()).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    repo
}

#[test]
fn paths_are_relative_to_the_working_directory_in_every_format() {
    let repo = register_in_subfolder();
    let expected = "register/content/organisations/x-trust.yaml";
    for site in ["register/", "register", "./register"] {
        let github = oversight(&["check", "--site", site, "--format", "github"], repo.path());
        let github = String::from_utf8(github.stdout).unwrap();
        assert!(github.contains(&format!("::error file={expected},line=4,col=1,")), "{github}");
        assert!(!github.contains("file=content/"), "{github}");
        let json = oversight(&["check", "--site", site, "--format", "json"], repo.path());
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let files: Vec<&str> =
            json["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["file"].as_str()).collect();
        assert!(!files.is_empty() && files.iter().all(|f| f.starts_with("register/content/")), "{files:?}");
        let sarif = oversight(&["check", "--site", site, "--format", "sarif"], repo.path());
        let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
        let uris: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
            .collect();
        assert!(uris.contains(&expected) && uris.iter().all(|u| u.starts_with("register/content/")), "{uris:?}");
        let human = oversight(&["check", "--site", site], repo.path());
        let human = String::from_utf8(human.stderr).unwrap();
        assert!(human.contains(&format!("┌─ {expected}:4:1")), "{human}");
    }
    // An absolute --site inside the working directory is named relative to it too.
    let absolute = repo.path().join("register");
    let github = oversight(&["check", "--site", absolute.to_str().unwrap(), "--format", "github"], repo.path());
    assert!(String::from_utf8(github.stdout).unwrap().contains(&format!("::error file={expected},")));
    // From inside the register, paths start at content/.
    let github = oversight(&["check", "--format", "github"], &repo.path().join("register"));
    assert!(String::from_utf8(github.stdout).unwrap().contains("::error file=content/organisations/x-trust.yaml,"));
}

#[test]
fn sarif_output_follows_the_published_schema() {
    let repo = register_in_subfolder();
    let out = oversight(&["check", "--site", "register", "--format", "sarif"], repo.path());
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    // The published schema, as vendored (tests/fixtures/README.md), but for one pattern: the
    // two `language` patterns end `]?$` with an unbalanced `]`, a literal to ECMAScript that
    // Rust's regex engines refuse to compile. Our logs have no `language`.
    let published = std::fs::read_to_string(root().join("tests/fixtures/sarif-schema-2.1.0.json")).unwrap();
    let bad_pattern = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert_eq!(published.matches(bad_pattern).count(), 2, "the vendored schema changed");
    let schema: serde_json::Value =
        serde_json::from_str(&published.replace(bad_pattern, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#)).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator is not vacuous: a result without a message is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&broken));

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "oversight");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), CATALOGUE.len());
    for (rule, expected) in rules.iter().zip(CATALOGUE) {
        assert_eq!(rule["id"], expected.code.code);
        assert_eq!(rule["name"], expected.code.name);
        assert_eq!(rule["shortDescription"]["text"], expected.code.summary);
        assert_eq!(rule["defaultConfiguration"]["level"], expected.code.level.to_string());
        assert!(rule["help"]["text"].as_str().unwrap().contains("Source:"), "{rule}");
    }
    let results = run["results"].as_array().unwrap();
    let unknown = results.iter().find(|r| r["ruleId"] == "OVS002").expect("the unknown-field error");
    assert_eq!(rules[unknown["ruleIndex"].as_u64().unwrap() as usize]["id"], "OVS002");
    assert_eq!(unknown["level"], "error");
    assert_eq!(unknown["message"]["text"], "unknown field `segmnets`\nhelp: did you mean `segments`?");
    let location = &unknown["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "register/content/organisations/x-trust.yaml");
    assert_eq!(
        location["region"],
        serde_json::json!({ "startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 9 })
    );
    // site.yaml re-levels OVS209 to a note: the result says so, the rule keeps its default.
    assert!(results.iter().any(|r| r["ruleId"] == "OVS209" && r["level"] == "note"));
}

#[test]
fn human_output_snapshot() {
    let out = oversight(&["check", "--site", broken().to_str().unwrap()], &root());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "human diagnostics go to stderr");
    insta::assert_snapshot!(String::from_utf8(out.stderr).unwrap());
}

#[test]
fn deny_warnings_fails_on_warnings_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/organisations")).unwrap();
    std::fs::write(dir.path().join("content/site.yaml"), "title: T\nas_of: 2024-12-05\n").unwrap();
    std::fs::write(dir.path().join("content/notes.txt"), "stray").unwrap();
    let site = dir.path().to_str().unwrap();
    assert_eq!(oversight(&["check", "--site", site], &root()).status.code(), Some(0));
    assert_eq!(oversight(&["check", "--site", site, "--deny", "warnings"], &root()).status.code(), Some(1));
}

#[test]
fn usage_and_io_failures_exit_2() {
    assert_eq!(oversight(&["check", "--site", "/nonexistent/site"], &root()).status.code(), Some(2));
    assert_eq!(oversight(&["check", "--as-of", "2024-13-01"], &root()).status.code(), Some(2));
    assert_eq!(oversight(&["check", "--format", "xml"], &root()).status.code(), Some(2));
    assert_eq!(oversight(&["explain", "OVS999"], &root()).status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule() {
    let out = oversight(&["rules"], &root());
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8(out.stdout).unwrap();
    for rule in CATALOGUE.iter().map(|r| &r.code) {
        assert!(table.lines().any(|l| l.starts_with(rule.code) && l.contains(rule.name)), "{} missing", rule.code);
    }
    let json = oversight(&["rules", "--format", "json"], &root());
    let rules: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), CATALOGUE.len());
}

#[test]
fn explain_by_code_or_name() {
    for key in ["OVS206", "ovs206", "exit-with-unmet-criteria"] {
        let out = oversight(&["explain", key], &root());
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("OVS206 exit-with-unmet-criteria (warning by default)"), "{text}");
        assert!(text.contains("Source: [S3][S34]"));
        assert!(text.contains("  [S34] NHS England Midlands, Nottingham University Hospitals to receive mandated intensive support, 15 Sep 2021\n"), "{text}");
    }
}

#[test]
fn every_cited_source_is_spelt_out() {
    for rule in CATALOGUE.iter().map(|r| &r.code) {
        let text = String::from_utf8(oversight(&["explain", rule.code], &root()).stdout).unwrap();
        for key in sources::keys_in(&text) {
            let reference =
                sources::find(key).unwrap_or_else(|| panic!("{} cites unknown [{key}]", rule.code)).reference();
            assert!(
                text.contains(&format!("  [{key}] {reference}\n")),
                "{}: [{key}] not resolved in\n{text}",
                rule.code
            );
        }
    }
    // The JSON catalogue carries the references as a list, not a joined string.
    let json = oversight(&["rules", "--format", "json"], &root());
    let rules: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ovs206 = rules.as_array().unwrap().iter().find(|r| r["code"] == "OVS206").unwrap();
    let keys: Vec<&str> = ovs206["references"].as_array().unwrap().iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(keys, ["S3", "S34"]);
    assert_eq!(ovs206["references"][1]["date"], "15 Sep 2021");
}

#[test]
fn docs_rules_md_is_the_generated_catalogue() {
    let out = oversight(&["rules", "--format", "markdown"], &root());
    assert_eq!(out.status.code(), Some(0));
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap().replace("\r\n", "\n");
    assert!(
        committed == generated,
        "docs/rules.md is out of date: run `cargo run --release -- rules --format markdown > docs/rules.md`"
    );
    for rule in CATALOGUE.iter().map(|r| &r.code) {
        assert!(generated.contains(&format!("### {} `{}`", rule.code, rule.name)), "{}", rule.code);
    }
}

#[test]
fn docs_sources_md_lists_the_references_in_the_code() {
    let docs = std::fs::read_to_string(root().join("docs/sources.md")).unwrap();
    for source in sources::SOURCES {
        assert!(
            docs.contains(&format!("{}\n", source.markdown_row())),
            "docs/sources.md lacks or differs on:\n{}",
            source.markdown_row()
        );
    }
    let rows = docs.lines().filter(|l| l.starts_with("| S") && l.matches(" | ").count() == 4).count();
    assert_eq!(rows, sources::SOURCES.len(), "docs/sources.md has references the code does not");
}

#[test]
fn papers_for_one_meeting_keep_the_other_meetings_packs() {
    // Was: the atomic swap replaced the whole folder, so `--meeting X` deleted every other pack.
    let site = root().join("tests/fixtures/sites/private");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("papers");
    let out_arg = out.to_str().unwrap();
    let all = oversight(&["papers", "--output", out_arg], &site);
    assert_eq!(all.status.code(), Some(0), "{}", String::from_utf8_lossy(&all.stderr));
    let private_pack = out.join("zqx-2026-10-private-pack.pdf");
    let before = std::fs::read(&private_pack).unwrap();
    let one = oversight(&["papers", "--meeting", "2026-10-public", "--output", out_arg], &site);
    assert_eq!(one.status.code(), Some(0), "{}", String::from_utf8_lossy(&one.stderr));
    assert_eq!(std::fs::read(&private_pack).unwrap(), before, "the other meeting's pack is untouched");
    assert!(out.join("2026-10-public-pack.pdf").is_file());
    let stray: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(stray.is_empty(), "no partial files are left: {stray:?}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    // Was: `oversight rules | head -1` printed "Broken pipe" and exited 2. Here the reader is
    // gone before the first write, so the write surely meets the closed pipe.
    let script = r#"(sleep 0.3; exec "$0" rules 2>"$1") | true; echo "${PIPESTATUS[0]}""#;
    let dir = tempfile::tempdir().unwrap();
    let stderr = dir.path().join("stderr");
    let out = Command::new("bash")
        .args(["-c", script, env!("CARGO_BIN_EXE_oversight"), stderr.to_str().unwrap()])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0", "the exit status of `oversight rules`");
    assert_eq!(std::fs::read_to_string(&stderr).unwrap(), "");
}

#[test]
fn completions_man_page_and_version() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = oversight(&["completions", shell], &root());
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in ["check", "build", "serve", "papers", "init", "schema"] {
            assert!(script.contains(command), "{shell} completions lack {command}");
        }
        assert!(!script.contains("papers-per-meeting"), "{shell} completions offer the hidden `generate`");
    }
    let man = String::from_utf8(oversight(&["man"], &root()).stdout).unwrap();
    assert!(man.contains(".TH oversight 1"), "{man}");
    assert!(man.contains("check") && man.contains("\\-\\-quiet"), "{man}");
    let version = String::from_utf8(oversight(&["--version"], &root()).stdout).unwrap();
    let rest =
        version.trim_end().strip_prefix(&format!("oversight {}", env!("CARGO_PKG_VERSION"))).expect("the version");
    // In a git checkout, the commit it was built from; outside one (a crates.io package), none.
    assert!(
        rest.is_empty()
            || rest
                .strip_prefix(" (")
                .and_then(|r| r.strip_suffix(')'))
                .is_some_and(|c| c.len() >= 7 && c.bytes().all(|b| b.is_ascii_hexdigit())),
        "{version}"
    );
    let help = String::from_utf8(oversight(&["--help"], &root()).stdout).unwrap();
    assert!(!help.contains("generate"), "the benchmark generator is not in the user's help");
    let timeline = String::from_utf8(oversight(&["timeline", "--help"], &root()).stdout).unwrap();
    for format in ["csv:", "json:", "svg:"] {
        assert!(timeline.contains(format), "timeline --help lacks {format}\n{timeline}");
    }
}

#[test]
fn quiet_verbose_and_colour() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let public = public.to_str().unwrap();
    let quiet = oversight(&["build", "--quiet", "--no-papers", "--output", public], &root());
    assert_eq!(quiet.status.code(), Some(0));
    let quiet = String::from_utf8(quiet.stderr).unwrap();
    // The example's two warnings and one note: diagnostics are not chatter, and stay.
    assert!(!quiet.contains("built ") && quiet.ends_with("0 errors, 2 warnings, 1 note\n"), "{quiet}");
    let normal = oversight(&["build", "--no-papers", "--output", public], &root());
    let normal = String::from_utf8(normal.stderr).unwrap();
    assert!(normal.contains("\nbuilt ") && !normal.contains("read "), "{normal}");
    let verbose = oversight(&["build", "-v", "--no-papers", "--output", public], &root());
    let verbose = String::from_utf8(verbose.stderr).unwrap();
    assert!(verbose.contains("read ") && verbose.contains("checked as at 2026-09-30"), "{verbose}");
    // Diagnostics are never silenced.
    let broken_site = broken();
    let site = broken_site.to_str().unwrap();
    let quiet_check = oversight(&["check", "-q", "--site", site], &root());
    assert!(String::from_utf8(quiet_check.stderr).unwrap().contains("error[OVS002]"));

    let ansi = |args: &[&str], no_color: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oversight"));
        command.args(args).current_dir(root()).env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        String::from_utf8(command.output().unwrap().stderr).unwrap().contains("\u{1b}[")
    };
    assert!(ansi(&["check", "--site", site, "--color", "always"], false));
    assert!(
        ansi(&["check", "--site", site, "--color", "always"], true),
        "an explicit --color always wins over NO_COLOR"
    );
    assert!(!ansi(&["check", "--site", site, "--color", "never"], false));
    assert!(!ansi(&["check", "--site", site], false), "auto: no colour into a pipe");
}

#[test]
fn a_relative_base_url_warns_once() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let build = |base: &str| {
        let out =
            oversight(&["build", "--no-papers", "--base-url", base, "--output", public.to_str().unwrap()], &root());
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stderr).unwrap()
    };
    let relative = build("/");
    assert_eq!(relative.matches("warning: the base URL is `/`, not a full address").count(), 1, "{relative}");
    assert!(!build("https://example.nhs.uk/rsp/").contains("base URL"));
}

#[test]
fn issue31_9_the_documentation_is_built_in_listed_printed_and_written_as_a_website() {
    use oversight::commands::docs::{DEVELOPER_DOCS, DOCS};
    // Every user document of docs/ is built in: a new one cannot be forgotten.
    let built_in: Vec<&str> = DOCS.iter().map(|d| d.file).collect();
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = format!("docs/{}", entry.unwrap().file_name().to_string_lossy());
        if name.ends_with(".md") && !DEVELOPER_DOCS.contains(&name.as_str()) {
            assert!(built_in.contains(&name.as_str()), "{name} is not in oversight docs");
        }
    }
    // Every figure an author may write is in the documentation's table of figures (where
    // the language server's "go to definition" takes a `{{ figure }}`).
    let blocks = std::fs::read_to_string(root().join("docs/blocks.md")).unwrap();
    let table = &blocks[blocks.find("| Figure | What it is |").unwrap()..];
    for (name, _) in oversight_model::vocabulary::FIGURES {
        assert!(table.contains(&format!("\n| `{name}` |")), "docs/blocks.md has no row for the figure `{name}`");
    }
    let dir = tempfile::tempdir().unwrap();
    // --help gives the way in; the list names each document; one prints as it is in the source.
    let help = oversight(&["--help"], dir.path());
    assert!(String::from_utf8_lossy(&help.stdout).contains("`oversight docs` lists the guides"));
    let list = oversight(&["docs"], dir.path());
    let list = String::from_utf8_lossy(&list.stdout).to_string();
    for doc in DOCS {
        assert!(list.contains(&format!("  {}", doc.name)), "{list}");
    }
    let printed = oversight(&["docs", "record-format"], dir.path());
    assert_eq!(printed.stdout, std::fs::read(root().join("docs/record-format.md")).unwrap());
    let unknown = oversight(&["docs", "record-fromat"], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `record-format`?"));

    // As a website: a page per document, and every link between them lands on a page and,
    // with a fragment, on a heading of it.
    let out = oversight(&["docs", "--output", "site"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let site = dir.path().join("site");
    let pages: std::collections::BTreeMap<String, String> = DOCS
        .iter()
        .map(|d| {
            let page = if d.name == "index" { "index.html".to_string() } else { format!("{}.html", d.name) };
            let text = std::fs::read_to_string(site.join(&page)).unwrap();
            (page, text)
        })
        .collect();
    let mut checked = 0;
    for (page, text) in &pages {
        assert!(text.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"), "{page}");
        for href in text.split("href=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (target, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if target.is_empty() { page.as_str() } else { target };
            let Some(linked) = pages.get(target) else { panic!("{page} links {href}: no such page") };
            if !fragment.is_empty() {
                assert!(linked.contains(&format!(" id=\"{fragment}\"")), "{page} links {href}: no such heading");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links");
}
