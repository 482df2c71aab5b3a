//! All or nothing: how `oversight import` puts its files in place, so that a kill at any
//! moment leaves the register as it was or as the import makes it, never between. Every file
//! is first written beside its place as `.NAME.import-partial` and synced; then a journal
//! naming them all (`content/.oversight-import-journal`) is written and synced; only then
//! are the files renamed into place, and the journal is removed last.
//!
//! The next import, before it reads the register, finishes a journal it finds (every file the
//! journal names was whole before the journal was written, and the register with all of them
//! in place is the one the import checked), and removes partial files that no journal names
//! (an import killed while writing them, when nothing was in place yet). `oversight check`
//! reports both kinds of leftover (OVS006), and `init`'s `.gitignore` keeps them out of git.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use oversight_exchange::Planned;
use oversight_model::{IMPORT_JOURNAL, IMPORT_PARTIAL, is_import_leftover};

use crate::commands::Failure;

/// The journal's first line, so a person who opens it knows what it is.
const HEADER: &str =
    "# oversight import: these files are being renamed into place; the next `oversight import` finishes it";

/// Where a file waits, written but not in place: `.NAME.import-partial` beside it.
fn partial(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}{IMPORT_PARTIAL}"))
}

fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Failure {
    let path = path.display().to_string();
    let what = what.to_string();
    move |e| Failure(format!("cannot {what} {path}: {e}"))
}

/// Writes `bytes` to `path` and syncs it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut file = File::create(path).map_err(io("write", path))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io("write", path))
}

/// Syncs a folder, so the names made or renamed in it survive a crash.
fn sync_folder(folder: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    File::open(folder).and_then(|f| f.sync_all()).map_err(io("sync", folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// Writes `files` (paths relative to `site`) all or nothing, as the module says.
pub(super) fn write(site: &Path, files: &[&Planned]) -> Result<(), Failure> {
    let content = site.join("content");
    fs::create_dir_all(&content).map_err(io("create", &content))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let mut folders: Vec<PathBuf> = vec![content.clone()];
    let written = (|| {
        for file in files {
            let target = site.join(&file.path);
            let dir = target.parent().map(Path::to_path_buf).unwrap_or_else(|| site.to_path_buf());
            fs::create_dir_all(&dir).map_err(io("create", &dir))?;
            let waiting = partial(&target);
            staged.push((waiting.clone(), target));
            write_synced(&waiting, file.text.as_bytes())?;
            if !folders.contains(&dir) {
                folders.push(dir);
            }
        }
        folders.iter().try_for_each(|f| sync_folder(f))?;
        // The journal, written whole before its name exists: from here on the import is done,
        // whatever happens, and the next import finishes it.
        let mut text = format!("{HEADER}\n");
        for file in files {
            text.push_str(&file.path.to_string_lossy().replace('\\', "/"));
            text.push('\n');
        }
        let journal = content.join(IMPORT_JOURNAL);
        let waiting = partial(&journal);
        write_synced(&waiting, text.as_bytes())?;
        fs::rename(&waiting, &journal).map_err(io("write", &journal))?;
        sync_folder(&content)
    })();
    if let Err(e) = written {
        // Nothing is in place: what was written goes, and the register is as it was.
        for (waiting, _) in &staged {
            let _ = fs::remove_file(waiting);
        }
        return Err(e);
    }
    let total = staged.len();
    for (done, (waiting, target)) in staged.iter().enumerate() {
        fs::rename(waiting, target).map_err(|e| {
            Failure(format!(
                "cannot put {} in place ({e}); {done} of {total} files are: run `oversight import` again to finish the import",
                target.display()
            ))
        })?;
    }
    folders.iter().try_for_each(|f| sync_folder(f))?;
    let journal = content.join(IMPORT_JOURNAL);
    fs::remove_file(&journal).map_err(io("remove", &journal))?;
    sync_folder(&content)
}

/// What an interrupted import had left, and what became of it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Leftovers {
    /// Files an interrupted import had written whole, put in place (or, with `apply` false,
    /// that would be).
    pub(super) finished: usize,
    /// Partial files of an import killed before it put anything in place, removed (or that
    /// would be).
    pub(super) removed: usize,
}

/// Finishes or clears what an interrupted import left in `site`'s content/ (with `apply`
/// false, as for `--dry-run`, only counts it).
pub(super) fn recover(site: &Path, apply: bool) -> Result<Leftovers, Failure> {
    let content = site.join("content");
    let mut leftovers = Leftovers::default();
    if !content.is_dir() {
        return Ok(leftovers);
    }
    let journal = content.join(IMPORT_JOURNAL);
    // The partial files the journal names: to be put in place, not removed.
    let mut listed = Vec::new();
    if journal.is_file() {
        let text = fs::read_to_string(&journal).map_err(io("read", &journal))?;
        let mut targets = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let rel = Path::new(line);
            // Only files under content/, named plainly: a journal never sends a file elsewhere.
            let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
            if !plain || !rel.starts_with("content") || rel.components().count() < 2 {
                return Err(Failure(format!(
                    "{} names `{line}`, which is not a file under content/: it is not a journal oversight wrote; look at it, then remove it",
                    journal.display()
                )));
            }
            targets.push(site.join(rel));
        }
        for target in &targets {
            let waiting = partial(target);
            listed.push(waiting.clone());
            if waiting.is_file() {
                leftovers.finished += 1;
                if apply {
                    fs::rename(&waiting, target).map_err(io("put in place", target))?;
                }
            }
        }
        if apply {
            let mut folders: Vec<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
            folders.sort();
            folders.dedup();
            folders.into_iter().try_for_each(sync_folder)?;
            fs::remove_file(&journal).map_err(io("remove", &journal))?;
            sync_folder(&content)?;
        }
    }
    for entry in walkdir::WalkDir::new(&content).follow_links(false).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy();
        let finishing = !apply && listed.iter().any(|l| l == entry.path());
        if entry.file_type().is_file() && is_import_leftover(&name) && name != IMPORT_JOURNAL && !finishing {
            leftovers.removed += 1;
            if apply {
                fs::remove_file(entry.path()).map_err(io("remove", entry.path()))?;
            }
        }
    }
    Ok(leftovers)
}
