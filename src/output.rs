//! Writing a build atomically. Files are written into a staging folder beside the output
//! folder; when everything is written, the staging folder and the output swap places in one
//! step (Linux's `renameat2(RENAME_EXCHANGE)`), and the old output is deleted. Elsewhere, or
//! on a file system without the exchange, the old output is first moved aside: a build killed
//! between those two renames leaves the output folder missing, its previous contents in
//! `.NAME.old` beside it. A failed or interrupted build otherwise leaves the previous output
//! exactly as it was (a stray staging folder at worst, removed next time).
//!
//! The replaced output is renamed `.NAME.replaced-PID-N` and, from the `oversight` binary,
//! deleted by a detached `oversight remove-replaced` process, so a rebuild returns as soon as
//! its output is in place rather than after deleting tens of thousands of old files. A
//! deletion that is killed part way only ever leaves a replaced folder (the output is already
//! complete); the next build's removal takes it too.
//!
//! Builds into one folder take turns: each holds an advisory lock on `.NAME.lock` beside the
//! output from before it stages until its output is in place, so a second build waits.
//!
//! A single file (an export, an imported record, one meeting's papers) is written by
//! [`write_atomically`] or, several at once, [`stage`] then [`Pending::commit`]: beside its
//! place under a temporary name, synced to disk, renamed over the old file, and the folder
//! synced, so a reader (or a crash) sees the old file or the new one, never half of one.
//!
//! Safety: the output folder may not be the site, a folder the build reads (content/,
//! templates/, themes/) or a parent of them, nor a symbolic link; an existing non-empty output
//! folder, and the staging and old folders beside it, are only ever replaced if a build made
//! them (they hold the marker file).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Marks a folder as made by `oversight build`, so a later build may replace it.
pub(crate) const MARKER: &str = ".oversight-build";

#[derive(Debug)]
pub enum OutputError {
    /// The output folder would overwrite the site's own files.
    Unsafe(String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Unsafe(why) => f.write_str(why),
            OutputError::Io(path, err) => write!(f, "cannot write {}: {err}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |err| OutputError::Io(path.to_path_buf(), err)
}

/// The folders of a site that a build reads: never an output.
const INPUTS: [&str; 3] = ["content", "templates", "themes"];

/// A build in progress: files go to the staging folder until [`Staged::commit`].
pub(crate) struct Staged {
    staging: PathBuf,
    output: PathBuf,
    /// Held until the build is in place or abandoned; other builds into the folder wait.
    _lock: File,
}

/// Normalises a path without touching the file system (it may not exist yet).
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The output folder as an absolute path, once it is known to be safe to write: not the site,
/// a folder the build reads or a parent of them, not inside those folders, not a symbolic
/// link, and (if it holds anything) made by an earlier build.
fn checked_output(site: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let site_abs = real(site).map_err(io_err(site))?;
    let out_abs = real(output).map_err(io_err(output))?;
    let unsafe_output =
        |why: String| Err(OutputError::Unsafe(format!("refusing to build into {}: {why}", out_abs.display())));
    if site_abs.starts_with(&out_abs) {
        return unsafe_output(format!("it is or contains the site folder {}", site_abs.display()));
    }
    for input in INPUTS {
        if out_abs.starts_with(site_abs.join(input)) {
            return unsafe_output(format!("it is inside {input}/, which the build reads"));
        }
    }
    if fs::symlink_metadata(&out_abs).is_ok_and(|m| m.file_type().is_symlink()) {
        return unsafe_output("it is a symbolic link; pass the folder it points to".into());
    }
    if out_abs.is_file() {
        return Err(OutputError::Unsafe(format!("{} is a file, not a folder", out_abs.display())));
    }
    if !made_by_a_build(&out_abs).map_err(io_err(&out_abs))? {
        return Err(OutputError::Unsafe(format!(
            "refusing to replace {}: it is not empty and was not made by `oversight build` (no {MARKER} file)",
            out_abs.display()
        )));
    }
    Ok(out_abs)
}

/// `path` made absolute, with its parent folder's symbolic links resolved (the last part is
/// kept as it is, so a symbolic link there can be seen and refused).
fn real(path: &Path) -> io::Result<PathBuf> {
    let path = absolute(path)?;
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else { return Ok(path) };
    // The nearest parent that exists: the output's parents may not exist yet.
    let mut existing = parent.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(ToOwned::to_owned), existing.parent()) {
            (Some(last), Some(up)) => {
                rest.push(last);
                existing = up.to_path_buf();
            }
            _ => return Ok(path),
        }
    }
    let mut resolved = fs::canonicalize(&existing)?;
    resolved.extend(rest.iter().rev());
    Ok(resolved.join(name))
}

/// Whether `folder` may be replaced: it does not exist, is empty, or holds the marker.
fn made_by_a_build(folder: &Path) -> io::Result<bool> {
    if !folder.is_dir() || folder.join(MARKER).exists() {
        return Ok(true);
    }
    Ok(fs::read_dir(folder)?.next().is_none())
}

/// Deletes `folder` (a staging or old folder beside the output) if a build made it; refuses
/// to touch it otherwise.
fn remove_leftover(folder: &Path) -> Result<(), OutputError> {
    if fs::symlink_metadata(folder).is_err() {
        return Ok(());
    }
    if !folder.is_dir() || fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(OutputError::Unsafe(format!(
            "{} is in the way and is not a folder a build left: move it elsewhere",
            folder.display()
        )));
    }
    if !made_by_a_build(folder).map_err(io_err(folder))? {
        return Err(OutputError::Unsafe(format!(
            "refusing to delete {}: a build uses that name, but this folder was not made by one (no {MARKER} file); move it elsewhere",
            folder.display()
        )));
    }
    remove_build_folder(folder)
}

/// Deletes a folder a build made, its marker last: a deletion killed part way leaves a folder
/// that still says a build made it, so the next build removes it rather than refusing. What is
/// already gone is no error: two removals of one replaced folder may run at once.
fn remove_build_folder(folder: &Path) -> Result<(), OutputError> {
    let gone = |result: io::Result<()>, path: &Path| match result {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(OutputError::Io(path.to_path_buf(), err)),
        _ => Ok(()),
    };
    let entries = match fs::read_dir(folder) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        entries => entries.map_err(io_err(folder))?,
    };
    for entry in entries {
        let entry = entry.map_err(io_err(folder))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(kind) if kind.is_dir() => fs::remove_dir_all(&path),
            _ => fs::remove_file(&path),
        };
        gone(removed, &path)?;
    }
    gone(fs::remove_file(folder.join(MARKER)), &folder.join(MARKER))?;
    gone(fs::remove_dir(folder), folder)
}

/// Set by the `oversight` binary: replaced outputs are deleted by a detached process.
static DETACH_REMOVALS: AtomicBool = AtomicBool::new(false);

/// Makes [`Staged::commit`] leave the deletion of the replaced output to a detached
/// `oversight remove-replaced` (this executable). Only the binary may ask: in a test or
/// another program the current executable is not `oversight`.
pub fn detach_removals() {
    DETACH_REMOVALS.store(true, Ordering::Relaxed);
}

/// The prefix of the folders a build replaced beside `output`: `.NAME.replaced-`.
fn replaced_prefix(output: &Path) -> String {
    beside(output, "replaced-").file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Deletes the replaced outputs beside `output`: this build's and any a killed deletion left.
/// Detached when the binary asked for it (and the process starts); here and now otherwise.
fn remove_replaced_beside(output: &Path) -> Result<(), OutputError> {
    let prefix = replaced_prefix(output);
    let parent = output.parent().unwrap_or(Path::new("/"));
    let mut replaced: Vec<PathBuf> = fs::read_dir(parent)
        .map_err(io_err(parent))?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    replaced.sort();
    if replaced.is_empty() {
        return Ok(());
    }
    if DETACH_REMOVALS.load(Ordering::Relaxed) && detach(&replaced).is_ok() {
        return Ok(());
    }
    remove_replaced(&replaced)
}

/// Starts `oversight remove-replaced FOLDER...` in a process group of its own, with no
/// standard streams, and does not wait for it: it outlives this command.
fn detach(folders: &[PathBuf]) -> io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = Command::new(std::env::current_exe()?);
    command.arg("remove-replaced").args(folders).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command.spawn().map(drop)
}

/// Deletes folders a build replaced (`oversight remove-replaced`): each must be named
/// `.NAME.replaced-...` and hold the marker, or it is left alone.
pub fn remove_replaced(folders: &[PathBuf]) -> Result<(), OutputError> {
    for folder in folders {
        let named = folder.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.starts_with('.') && n.contains(".replaced-")
        });
        let real_folder = fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir());
        if named && real_folder && folder.join(MARKER).exists() {
            remove_build_folder(folder)?;
        }
    }
    Ok(())
}

/// A new name for the replaced output, unique to this build: `.NAME.replaced-PID-NANOS`.
fn replaced_name(output: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    beside(output, &format!("replaced-{}-{nanos}", std::process::id()))
}

/// Takes the lock on builds into `output` (absolute), waiting for another build that holds it.
fn lock(output: &Path) -> Result<File, OutputError> {
    let parent = output.parent().ok_or_else(|| OutputError::Unsafe("the output folder cannot be /".into()))?;
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let path = beside(output, "lock");
    let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io_err(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into {} to finish", output.display());
            file.lock().map_err(io_err(&path))?;
        }
        Err(fs::TryLockError::Error(err)) => return Err(OutputError::Io(path, err)),
    }
    Ok(file)
}

/// `.NAME.what` beside the folder `output`.
fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!(".{name}.{what}"))
}

/// Writes `files` into the output folder beside what it already holds, each file atomically
/// (written beside itself, then renamed over the old one): `oversight papers --meeting` makes
/// one meeting's pack without touching the others.
pub(crate) fn write_beside(site: &Path, output: &Path, files: &[(String, Vec<u8>)]) -> Result<PathBuf, OutputError> {
    let out = checked_output(site, output)?;
    let _lock = lock(&out)?;
    fs::create_dir_all(&out).map_err(io_err(&out))?;
    if !out.join(MARKER).exists() {
        let text = "This folder was written by `oversight` and is replaced by the next full build.\n";
        fs::write(out.join(MARKER), text).map_err(io_err(&out))?;
    }
    for (relative, bytes) in files {
        let path = out.join(plain_relative(relative)?);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        write_atomically(&path, bytes)?;
    }
    Ok(out)
}

/// A file written beside its place under a temporary name (`.NAME.partial`) and synced to
/// disk, waiting to be renamed into place. Dropped before [`Pending::commit`], it is removed.
#[must_use = "a staged file is removed unless it is committed"]
pub(crate) struct Pending {
    temporary: PathBuf,
    path: PathBuf,
    committed: bool,
}

/// Writes `bytes` beside `path` (in the same folder, so the rename is atomic) and syncs them.
pub(crate) fn stage(path: &Path, bytes: &[u8]) -> Result<Pending, OutputError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.partial"));
    // Removed on any failure below, as on a drop before commit.
    let pending = Pending { temporary, path: path.to_path_buf(), committed: false };
    let mut file = File::create(&pending.temporary).map_err(io_err(&pending.temporary))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io_err(&pending.temporary))?;
    Ok(pending)
}

impl Pending {
    /// Renames the file into place, then syncs its folder, so the new name survives a crash.
    pub(crate) fn commit(mut self) -> Result<(), OutputError> {
        fs::rename(&self.temporary, &self.path).map_err(io_err(&self.path))?;
        self.committed = true;
        sync_folder(self.path.parent().unwrap_or(Path::new(".")))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// Replaces the file at `path` with `bytes` in one step: [`stage`], then [`Pending::commit`].
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    stage(path, bytes)?.commit()
}

/// Syncs a folder's entries (the names renamed into it) to disk, where the system allows it.
fn sync_folder(folder: &Path) -> Result<(), OutputError> {
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    #[cfg(unix)]
    File::open(folder).and_then(|f| f.sync_all()).map_err(io_err(folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// `relative` as a path, if it is a plain path that stays inside the folder it is joined to.
fn plain_relative(relative: &str) -> Result<&Path, OutputError> {
    let rel = Path::new(relative);
    if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(OutputError::Unsafe(format!(
            "refusing to write `{relative}`: not a plain path inside the output folder"
        )));
    }
    Ok(rel)
}

impl Staged {
    /// Checks the output folder, waits for any other build into it, and creates an empty
    /// staging folder beside it.
    pub(crate) fn begin(site: &Path, output: &Path) -> Result<Staged, OutputError> {
        let out_abs = checked_output(site, output)?;
        let lock = lock(&out_abs)?;
        // Checked again now that no other build can be writing it.
        let out_abs = checked_output(site, &out_abs)?;
        let staging = beside(&out_abs, "staging");
        // Left by an interrupted build; it was never the live output.
        remove_leftover(&staging)?;
        fs::create_dir(&staging).map_err(io_err(&staging))?;
        fs::write(
            staging.join(MARKER),
            "This folder was written by `oversight build` and is replaced by the next build.\n",
        )
        .map_err(io_err(&staging))?;
        Ok(Staged { staging, output: out_abs, _lock: lock })
    }

    /// Writes one file at a site-relative path, creating its folders.
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.path_for(relative)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// The staging path for a site-relative path; refuses anything that would leave the folder.
    fn path_for(&self, relative: &str) -> Result<PathBuf, OutputError> {
        Ok(self.staging.join(plain_relative(relative)?))
    }

    /// Swaps the staged build in as the output folder.
    pub(crate) fn commit(self) -> Result<PathBuf, OutputError> {
        let old = beside(&self.output, "old");
        remove_leftover(&old)?;
        if !self.output.exists() {
            fs::rename(&self.staging, &self.output).map_err(io_err(&self.output))?;
            sync_folder(self.output.parent().unwrap_or(Path::new("/")))?;
            return Ok(self.output.clone());
        }
        let parent = self.output.parent().unwrap_or(Path::new("/"));
        // One step where the system has it: the staging folder then holds the old output.
        let replaced = if exchange(&self.staging, &self.output).is_ok() {
            &self.staging
        } else {
            fs::rename(&self.output, &old).map_err(io_err(&self.output))?;
            if let Err(err) = fs::rename(&self.staging, &self.output) {
                // Put the previous output back before reporting.
                let _ = fs::rename(&old, &self.output);
                return Err(OutputError::Io(self.output.clone(), err));
            }
            &old
        };
        sync_folder(parent)?;
        // The output is complete from here on; what remains is deleting the old one.
        if fs::rename(replaced, replaced_name(&self.output)).is_err() {
            remove_build_folder(replaced)?;
        }
        remove_replaced_beside(&self.output)?;
        Ok(self.output.clone())
    }

    /// Abandons the build: the staging folder goes, the output is untouched.
    pub(crate) fn abandon(self) {
        let _ = remove_build_folder(&self.staging);
    }
}

/// Swaps two folders in one atomic step (Linux 3.15 and later, on file systems that support
/// it); an error where it is not available, and the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call; AT_FDCWD makes them
    // relative to the working directory, as `fs::rename` does (they are absolute anyway).
    let status =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if status == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange of folders here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_and_protects() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        let out = dir.path().join("public");

        let s = Staged::begin(&site, &out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        assert!(s.write("../escape.html", b"x").is_err());
        assert!(s.write("/etc/passwd", b"x").is_err());
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        // An abandoned build leaves the output as it was.
        let s = Staged::begin(&site, &out).unwrap();
        s.write("a/index.html", b"two").unwrap();
        s.abandon();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        // Never the site, a folder the build reads, a parent, or someone else's folder.
        for bad in [
            site.clone(),
            site.join("content"),
            dir.path().to_path_buf(),
            site.join("content/x"),
            site.join("templates"),
            site.join("themes/nhs"),
        ] {
            assert!(matches!(Staged::begin(&site, &bad), Err(OutputError::Unsafe(_))), "{}", bad.display());
        }
        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), b"mine").unwrap();
        assert!(matches!(Staged::begin(&site, &foreign), Err(OutputError::Unsafe(_))));
        assert!(foreign.join("keep.txt").exists());
    }

    #[test]
    fn a_symbolic_link_is_refused_and_leftovers_are_deleted_only_if_a_build_made_them() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        // A link to content/ would otherwise pass the checks on the path as written.
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(site.join("content"), &link).unwrap();
        let err = Staged::begin(&site, &link).err().unwrap().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        let via_link = dir.path().join("via");
        std::os::unix::fs::symlink(&site, &via_link).unwrap();
        assert!(Staged::begin(&site, &via_link.join("templates")).is_err(), "a parent link is resolved");

        let out = dir.path().join("out");
        let foreign = dir.path().join(".out.staging");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), b"mine").unwrap();
        let err = Staged::begin(&site, &out).err().unwrap().to_string();
        assert!(err.contains("not made by one"), "{err}");
        assert!(foreign.join("notes.txt").exists());
        fs::remove_dir_all(&foreign).unwrap();

        // Built twice: the second swaps with the first in one step and leaves nothing beside.
        for text in [&b"one"[..], b"two"] {
            let s = Staged::begin(&site, &out).unwrap();
            s.write("index.html", text).unwrap();
            s.commit().unwrap();
        }
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
        let mut beside: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        beside.sort();
        assert_eq!(beside, [".out.lock", "out", "public", "site", "via"]);
    }

    #[test]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        let out = dir.path().join("public");
        let first = Staged::begin(&site, &out).unwrap();
        first.write("a.html", b"first").unwrap();
        let (site2, out2) = (site.clone(), out.clone());
        let second = std::thread::spawn(move || {
            let s = Staged::begin(&site2, &out2).unwrap();
            // The first build is in place before this one starts staging.
            let seen = fs::read(out2.join("a.html")).unwrap();
            s.write("a.html", b"second").unwrap();
            s.commit().unwrap();
            seen
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        first.commit().unwrap();
        assert_eq!(second.join().unwrap(), b"first");
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"second");
    }
}
