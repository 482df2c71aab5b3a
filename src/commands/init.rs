//! `oversight init`: a new register that checks clean and builds. The files are the scaffold
//! in this repository's `init/` folder, built into the binary: a commented site.yaml, one
//! example of each record kind, a .gitignore, a GitHub Actions workflow that checks and
//! publishes, and editor settings with the JSON Schemas they name.

use std::path::Path;

use super::{Failure, Outcome, today};
use crate::cli::InitArgs;

/// The scaffold: path in the new register, text. `{{as_of}}`, `{{repository}}` and
/// `{{version}}` are filled in when written.
const SCAFFOLD: &[(&str, &str)] = &[
    ("README.md", include_str!("../../init/README.md")),
    (".gitignore", include_str!("../../init/.gitignore")),
    (".github/workflows/register.yml", include_str!("../../init/.github/workflows/register.yml")),
    (".vscode/extensions.json", include_str!("../../init/.vscode/extensions.json")),
    (".helix/languages.toml", include_str!("../../init/.helix/languages.toml")),
    ("content/site.yaml", include_str!("../../init/content/site.yaml")),
    (
        "content/organisations/example-hospitals.yaml",
        include_str!("../../init/content/organisations/example-hospitals.yaml"),
    ),
    (
        "content/support/example-hospitals-governance.yaml",
        include_str!("../../init/content/support/example-hospitals-governance.yaml"),
    ),
    (
        "content/undertakings/example-hospitals-2023.yaml",
        include_str!("../../init/content/undertakings/example-hospitals-2023.yaml"),
    ),
    ("content/meetings/2024-10-board.yaml", include_str!("../../init/content/meetings/2024-10-board.yaml")),
    ("content/papers/rsp-exit.md", include_str!("../../init/content/papers/rsp-exit.md")),
    ("content/papers/2024-10-board-minutes.md", include_str!("../../init/content/papers/2024-10-board-minutes.md")),
    ("content/boards/example-board.yaml", include_str!("../../init/content/boards/example-board.yaml")),
    ("content/interests/alex-chair.yaml", include_str!("../../init/content/interests/alex-chair.yaml")),
    ("content/interests/sam-director.yaml", include_str!("../../init/content/interests/sam-director.yaml")),
    ("content/actions/2024-10-board-1.yaml", include_str!("../../init/content/actions/2024-10-board-1.yaml")),
    ("content/decisions/2024-10-board-3.yaml", include_str!("../../init/content/decisions/2024-10-board-3.yaml")),
    ("content/pages/about.md", include_str!("../../init/content/pages/about.md")),
];

/// Where the schemas go in a new register; .vscode/settings.json and the files' first lines
/// name them there.
const SCHEMAS: &str = "schemas";

pub fn run(args: &InitArgs) -> Result<Outcome, Failure> {
    let dir = &args.dir;
    refuse_non_empty(dir)?;
    let as_of = today().to_string();
    let fill = |text: &str| {
        text.replace("{{as_of}}", &as_of)
            .replace("{{repository}}", env!("CARGO_PKG_REPOSITORY"))
            .replace("{{version}}", env!("CARGO_PKG_VERSION"))
    };
    let schemas = super::schema::all();
    let mut files: Vec<(String, String)> = SCAFFOLD.iter().map(|(path, text)| (path.to_string(), fill(text))).collect();
    files.push((".vscode/settings.json".into(), super::schema::vscode_settings(&schemas, SCHEMAS)));
    files.extend(schemas.iter().map(|s| (format!("{SCHEMAS}/{}", s.file_name()), s.to_json())));
    write_all(dir, &files)?;
    let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
    crate::say!(
        "made a new register in {} ({} files), checked as at {as_of}\nnext: {cd}oversight serve --open",
        dir.display(),
        files.len()
    );
    Ok(Outcome::Success)
}

/// Writes the register's files all at once or not at all: into a staging folder beside `dir`
/// first, then moved into place by renames, which need no disk space. A full disk or a
/// failed write leaves `dir` as it was (new or empty), so `init` can simply be run again.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), Failure> {
    let fail = |path: &Path, e: std::io::Error| Failure(format!("cannot write {}: {e}", path.display()));
    let dir_abs = std::path::absolute(dir).map_err(|e| fail(dir, e))?;
    let name = dir_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "register".into());
    let parent = dir_abs.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
    let staging = parent.join(format!(".{name}.init-partial"));
    // Left by an init that was killed: it never became the register.
    if staging.is_dir() {
        std::fs::remove_dir_all(&staging).map_err(|e| fail(&staging, e))?;
    }
    let staged = (|| {
        for (path, text) in files {
            let path = staging.join(path);
            std::fs::create_dir_all(path.parent().expect("scaffold paths have a folder"))
                .map_err(|e| fail(&path, e))?;
            std::fs::write(&path, text).map_err(|e| fail(&path, e))?;
        }
        move_into(&staging, &dir_abs).map_err(|e| fail(dir, e))
    })();
    let _ = std::fs::remove_dir_all(&staging);
    staged
}

/// Moves the staged files into `dir`: the staging folder itself when `dir` does not exist,
/// else each top-level entry (a handful), taking back those moved if one fails.
fn move_into(staging: &Path, dir: &Path) -> std::io::Result<()> {
    if !dir.exists() {
        return std::fs::rename(staging, dir);
    }
    let mut moved = Vec::new();
    for entry in std::fs::read_dir(staging)? {
        let name = entry?.file_name();
        if let Err(e) = std::fs::rename(staging.join(&name), dir.join(&name)) {
            for name in moved.iter().rev() {
                let _ = std::fs::rename(dir.join(name), staging.join(name));
            }
            return Err(e);
        }
        moved.push(name);
    }
    Ok(())
}

/// A register starts in an empty or new folder: init never overwrites or mixes with files
/// already there.
fn refuse_non_empty(dir: &Path) -> Result<(), Failure> {
    if dir.is_file() {
        return Err(Failure(format!("{} is a file: give a new or empty folder", dir.display())));
    }
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Failure(format!(
            "refusing to make a register in {}: the folder is not empty; give a new or empty folder",
            dir.display()
        ))),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Failure(format!("cannot read {}: {e}", dir.display()))),
    }
}
