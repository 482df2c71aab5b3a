//! `oversight init`: a new register that checks clean, builds and makes its papers, whose
//! files match the schemas init writes beside them, and which refuses a folder in use.

use std::path::Path;
use std::process::{Command, Output};

use yaml_rust2::YamlLoader;

fn oversight(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oversight")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_new_register_checks_builds_and_makes_papers() {
    let parent = tempfile::tempdir().unwrap();
    let out = oversight(&["init", "register"], parent.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let site = parent.path().join("register");

    let check = oversight(&["check", "--deny", "warnings"], &site);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(stderr(&check).contains("0 errors, 0 warnings"), "{}", stderr(&check));
    // From the parent folder too, as the workflow does when a register sits in a sub-folder.
    let check = oversight(&["check", "--site", "register", "--format", "github"], parent.path());
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));

    let build = oversight(&["build"], &site);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    for page in ["index.html", "organisations/example-hospitals/index.html", "papers/rsp-exit/index.html"] {
        assert!(site.join("public").join(page).is_file(), "{page} not built");
    }
    let papers = oversight(&["papers"], &site);
    assert_eq!(papers.status.code(), Some(0), "{}", stderr(&papers));
    assert!(site.join("papers/2024-10-board-pack.pdf").is_file());
    assert!(site.join("papers/rsp-exit.pdf").is_file());

    // One example of each record kind.
    for folder in [
        "organisations",
        "support",
        "undertakings",
        "meetings",
        "papers",
        "pages",
        "boards",
        "interests",
        "actions",
        "decisions",
    ] {
        let n = std::fs::read_dir(site.join("content").join(folder)).unwrap().count();
        assert!(n >= 1, "no example in content/{folder}");
    }
    // as_of is pinned to the day init ran, so the check does not change from day to day.
    let config = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    let as_of = config.lines().find_map(|l| l.strip_prefix("as_of: ")).expect("as_of in site.yaml");
    assert!(as_of.len() == 10 && as_of.starts_with("20"), "{as_of}");
    assert!(!config.contains("{{"), "a placeholder was left in site.yaml");

    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/public/") && gitignore.lines().any(|l| l == "/papers/"), "{gitignore}");
}

#[test]
fn the_new_register_matches_its_schemas_and_editor_settings() {
    let parent = tempfile::tempdir().unwrap();
    assert!(oversight(&["init", "r"], parent.path()).status.success());
    let site = parent.path().join("r");
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join(".vscode/settings.json")).unwrap()).unwrap();
    let map = settings["yaml.schemas"].as_object().unwrap();
    // Every schema that applies to files (not front matter) is mapped.
    let mapped = oversight::commands::schema::all().iter().filter(|f| !f.files.is_empty()).count();
    assert_eq!(map.len(), mapped, "{map:?}");
    for (schema, globs) in map {
        let schema_path = site.join(schema.trim_start_matches("./"));
        let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        // Each glob is `content/<folder>/*.yaml` or a file: check every file it matches.
        for glob in globs.as_array().unwrap().iter().filter_map(|g| g.as_str()) {
            let (folder, pattern) = glob.rsplit_once('/').unwrap();
            let files: Vec<_> = std::fs::read_dir(site.join(folder))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_str().unwrap();
                    pattern.strip_prefix('*').map_or(name == pattern, |ext| name.ends_with(ext))
                })
                .collect();
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                // The first line names the same schema, relative to the file.
                let modeline = text.lines().next().unwrap();
                let named = modeline.strip_prefix("# yaml-language-server: $schema=").expect("a modeline");
                let resolved = file.parent().unwrap().join(named);
                assert_eq!(resolved.canonicalize().unwrap(), schema_path.canonicalize().unwrap(), "{}", file.display());
                let yaml = &YamlLoader::load_from_str(&text).unwrap()[0];
                let json = yaml_to_json(yaml);
                let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "{}: {errors:?}", file.display());
            }
        }
    }
    // The workflow checks with annotations and publishes to Pages.
    let workflow = std::fs::read_to_string(site.join(".github/workflows/register.yml")).unwrap();
    let parsed = &YamlLoader::load_from_str(&workflow).unwrap()[0];
    assert!(parsed["jobs"]["check"].as_hash().is_some() && parsed["jobs"]["publish"].as_hash().is_some());
    assert!(workflow.contains("oversight check --deny warnings --format github"));
    assert!(workflow.contains("actions/deploy-pages"));
    assert!(workflow.contains(&format!("OVERSIGHT_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
}

fn yaml_to_json(yaml: &yaml_rust2::Yaml) -> serde_json::Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Integer(i) => (*i).into(),
        Yaml::Real(r) => r.parse::<f64>().unwrap().into(),
        Yaml::String(s) => s.as_str().into(),
        Yaml::Boolean(b) => (*b).into(),
        Yaml::Array(items) => items.iter().map(yaml_to_json).collect(),
        Yaml::Hash(map) => map.iter().map(|(k, v)| (k.as_str().unwrap().to_string(), yaml_to_json(v))).collect(),
        _ => serde_json::Value::Null,
    }
}

#[test]
fn init_refuses_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = oversight(&["init"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the folder is not empty"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "init wrote into a folder in use");
    // An empty folder is fine, by default the working directory.
    let empty = tempfile::tempdir().unwrap();
    let out = oversight(&["init"], empty.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(empty.path().join("content/site.yaml").is_file());
}

#[test]
fn issue32_11_init_that_runs_out_of_space_leaves_nothing_and_can_be_run_again() {
    // Was: a disk filling up part way left a half-made register that init then refused to
    // finish. Here files over 8 KiB cannot be written (`ulimit -f`, its signal ignored so
    // the write fails as it would on a full disk), into a new folder and an empty one.
    let parent = tempfile::tempdir().unwrap();
    std::fs::create_dir(parent.path().join("empty")).unwrap();
    for dir in ["register", "empty"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("trap '' XFSZ; ulimit -f 8; exec \"$0\" init {dir}"))
            .arg(env!("CARGO_BIN_EXE_oversight"))
            .current_dir(parent.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "the write fails: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
        let site = parent.path().join(dir);
        assert!(!site.exists() || std::fs::read_dir(&site).unwrap().next().is_none(), "{dir} is left as it was");
        let out = oversight(&["init", dir], parent.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(site.join("content/site.yaml").is_file());
    }
    let left: Vec<_> = std::fs::read_dir(parent.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no staging folder is left: {left:?}");
}

/// The script of the step called `name` in `job` of the workflow `init` writes.
fn workflow_step(site: &Path, job: &str, name: &str) -> String {
    let text = std::fs::read_to_string(site.join(".github/workflows/register.yml")).unwrap();
    let workflow = &YamlLoader::load_from_str(&text).unwrap()[0];
    let steps = workflow["jobs"][job]["steps"].as_vec().unwrap();
    let step = steps.iter().find(|s| s["name"].as_str() == Some(name)).unwrap_or_else(|| panic!("no step {name}"));
    step["run"].as_str().unwrap().to_string()
}

#[test]
fn issue31_2_the_workflow_installs_a_released_binary_by_its_checksum() {
    // Was: the workflow named no repository and always compiled from source (~9½ minutes).
    // Its install step is run here as GitHub would run it (bash -e), against a release laid
    // out as .github/workflows/release.yml publishes one, served from a file: URL.
    let parent = tempfile::tempdir().unwrap();
    assert_eq!(oversight(&["init", "register"], parent.path()).status.code(), Some(0));
    let site = parent.path().join("register");
    for job in ["check", "publish"] {
        let script = workflow_step(&site, job, "Install oversight");
        assert!(script.contains("sha256sum -c"), "{job}: {script}");
        assert!(script.contains("cargo install --locked"), "{job}: the fallback builds from source");
    }
    let version = env!("CARGO_PKG_VERSION");
    let release = parent.path().join(format!("repo/releases/download/v{version}"));
    let name = "oversight-x86_64-unknown-linux-gnu";
    std::fs::create_dir_all(release.join(name)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_oversight"), release.join(name).join("oversight")).unwrap();
    let pack = format!("tar -cJf {name}.tar.xz {name} && sha256sum {name}.tar.xz > {name}.tar.xz.sha256");
    assert!(Command::new("sh").args(["-c", &pack]).current_dir(&release).status().unwrap().success());

    let script = workflow_step(&site, "check", "Install oversight");
    let run = |home: &Path| {
        std::fs::create_dir_all(home).unwrap();
        Command::new("bash")
            .args(["-e", "-c", &script])
            .current_dir(home)
            .env("HOME", home)
            .env("GITHUB_PATH", home.join("github_path"))
            .env("OVERSIGHT_REPOSITORY", format!("file://{}", parent.path().join("repo").display()))
            .env("OVERSIGHT_VERSION", version)
            .output()
            .unwrap()
    };
    let home = parent.path().join("home");
    let out = run(&home);
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("oversight {version}")));
    assert!(home.join(".local/bin/oversight").is_file());

    // A download that does not match its checksum is never installed.
    std::fs::write(release.join(format!("{name}.tar.xz.sha256")), format!("{}  {name}.tar.xz\n", "0".repeat(64)))
        .unwrap();
    let home = parent.path().join("home2");
    let out = run(&home);
    assert_ne!(out.status.code(), Some(0), "a bad checksum fails the step");
    assert!(!home.join(".local/bin/oversight").exists());
}
