//! Part II papers kept outside the published repository (#31 item 3): site.yaml's `private:`
//! folder is read by `check`, `papers` and `minutes`, never by `build` (unless
//! `--publish-private`), and OVS705 warns where a repository that GitHub Pages publishes holds
//! Part II papers.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, root};

/// Runs the binary in `site`: its exit code and what it printed.
fn oversight(site: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oversight")).current_dir(site).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// The example as its secretary would keep it: the register's repository in `register/`, and
/// its Part II papers beside it in `board-private/`, named by `private: ../board-private`.
fn beside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "static"] {
        copy_dir(&root().join(folder), &dir.path().join("register").join(folder));
    }
    copy_dir(&root().join("private"), &dir.path().join("board-private"));
    let site_yaml = dir.path().join("register/content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    assert!(text.contains("\nprivate: private "), "{text}");
    fs::write(&site_yaml, text.replace("\nprivate: private ", "\nprivate: ../board-private ")).unwrap();
    dir
}

const PAPER: &str = "board-private/papers/kestrel-bay-intensive-support-contract.md";

/// Every file under `dir` whose bytes hold `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let bytes = fs::read(e.path()).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn issue31_3_check_and_papers_read_the_private_folder_and_build_never_does() {
    let dir = beside();
    let site = dir.path().join("register");
    let paper = dir.path().join(PAPER);
    let text = fs::read_to_string(&paper).unwrap();
    fs::write(&paper, format!("{text}\nZqxmarker: words only the Part II paper holds.\n")).unwrap();

    // check reads it, as if it were in content/papers/: the register is as clean as the example.
    let (code, out) = oversight(&site, &["check"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 errors, 2 warnings"), "{out}");
    // papers places it in the private meeting's pack.
    let (code, out) = oversight(&site, &["papers", "--meeting", "2026-10-board-private", "--output", "packs"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(pdf_text(&site.join("packs/2026-10-board-private-pack.pdf")).contains("Zqxmarker"));
    // minutes reads it too: the private meeting's skeleton names its paper.
    let (code, out) = oversight(&site, &["minutes", "--meeting", "2026-10-board-private"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Kestrel Bay"), "{out}");

    // build never reads it: a paper there that cannot be read stops check, not build.
    fs::write(&paper, "---\ntitle: [not closed\n---\nZqxmarker\n").unwrap();
    let (code, out) = oversight(&site, &["check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("../board-private/papers/kestrel-bay-intensive-support-contract.md:"), "{out}");
    let (code, out) = oversight(&site, &["build", "--output", "public"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("2 private meetings were left out of the website"), "{out}");
    for word in ["Zqxmarker", "kestrel-bay-intensive-support-contract", "board-private"] {
        assert_eq!(holding(&site.join("public"), word), Vec::<String>::new(), "`{word}` was published");
    }
    // Asked to publish what is private, it reads the folder (and so stops on the paper).
    let (code, out) = oversight(&site, &["build", "--publish-private", "--output", "internal"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("../board-private/papers/kestrel-bay-intensive-support-contract.md:"), "{out}");
}

#[test]
fn issue31_3_without_the_private_folder_check_says_so_and_papers_makes_the_public_packs() {
    // A clone of the public repository alone, as in CI.
    let dir = beside();
    fs::remove_dir_all(dir.path().join("board-private")).unwrap();
    let site = dir.path().join("register");
    let (code, out) = oversight(&site, &["check"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("note: the private folder") && out.contains("is not there"), "{out}");
    let (code, out) = oversight(&site, &["papers", "--output", "packs"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("left out: the packs of 2 private meetings"), "{out}");
    assert!(site.join("packs/2026-10-board-pack.pdf").is_file());
    assert!(!site.join("packs/2026-10-board-private-pack.pdf").exists());
}

#[test]
fn issue31_3_ovs705_warns_where_a_repository_published_with_pages_holds_part_two() {
    let dir = beside();
    let site = dir.path().join("register");
    // The register's repository publishes with the workflow `oversight init` writes.
    fs::create_dir_all(site.join(".git")).unwrap();
    fs::create_dir_all(site.join(".github/workflows")).unwrap();
    fs::copy(root().join("init/.github/workflows/register.yml"), site.join(".github/workflows/register.yml")).unwrap();
    let warned = |out: &str| out.lines().filter(|l| l.starts_with("warning[OVS705]")).count();
    // The private folder beside the repository: nothing to say.
    let (code, out) = oversight(&site, &["check"]);
    assert_eq!((code, warned(&out)), (Some(0), 0), "{out}");

    // A Part II paper left in content/: named, with where to move it.
    fs::copy(dir.path().join(PAPER), site.join("content/papers/kestrel-bay-intensive-support-contract.md")).unwrap();
    fs::remove_file(dir.path().join(PAPER)).unwrap();
    let (_, out) = oversight(&site, &["check"]);
    assert_eq!(warned(&out), 1, "{out}");
    assert!(out.contains("`kestrel-bay-intensive-support-contract` is a Part II paper (presented only at private meetings) kept in content/, and `.github/workflows/register.yml` publishes this repository to GitHub Pages"), "{out}");
    assert!(
        out.contains("move content/papers/kestrel-bay-intensive-support-contract.md to `../board-private/papers/`"),
        "{out}"
    );

    // The private folder inside the repository: warned at site.yaml's `private:`.
    fs::rename(site.join("content/papers/kestrel-bay-intensive-support-contract.md"), dir.path().join(PAPER)).unwrap();
    fs::rename(dir.path().join("board-private"), site.join("board-private")).unwrap();
    let site_yaml = site.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    fs::write(&site_yaml, text.replace("\nprivate: ../board-private ", "\nprivate: board-private ")).unwrap();
    let (_, out) = oversight(&site, &["check"]);
    assert_eq!(warned(&out), 1, "{out}");
    assert!(out.contains("the private folder is inside the repository that `.github/workflows/register.yml` publishes to GitHub Pages"), "{out}");
    assert!(out.contains("content/site.yaml:"), "{out}");
}
