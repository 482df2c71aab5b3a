//! Writing a build atomically. Files are written into a staging folder beside the output
//! folder; when everything is written, the old output is moved aside, the staging folder
//! takes its name, and the old output is deleted. A failed or interrupted build leaves the
//! previous output exactly as it was (a stray staging folder at worst, removed next time).
//!
//! Safety: the output folder may not be the site, its content/ folder or a parent of them, and
//! an existing non-empty output folder is only ever replaced if an earlier build made it
//! (it holds the marker file).

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as made by `oversight build`, so a later build may replace it.
pub const MARKER: &str = ".oversight-build";

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

/// A build in progress: files go to the staging folder until [`Staged::commit`].
pub struct Staged {
    staging: PathBuf,
    output: PathBuf,
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
/// its content/ folder or a parent of them, not inside content/, and (if it holds anything)
/// made by an earlier build.
fn checked_output(site: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let site_abs = absolute(site).map_err(io_err(site))?;
    let out_abs = absolute(output).map_err(io_err(output))?;
    let content = site_abs.join("content");
    for protected in [&site_abs, &content] {
        if protected.starts_with(&out_abs) {
            return Err(OutputError::Unsafe(format!(
                "refusing to build into {}: it is or contains {}",
                out_abs.display(),
                protected.display()
            )));
        }
    }
    if out_abs.starts_with(&content) {
        return Err(OutputError::Unsafe(format!(
            "refusing to build into {}: it is inside content/",
            out_abs.display()
        )));
    }
    if out_abs.is_file() {
        return Err(OutputError::Unsafe(format!("{} is a file, not a folder", out_abs.display())));
    }
    if out_abs.is_dir()
        && !out_abs.join(MARKER).exists()
        && fs::read_dir(&out_abs).map_err(io_err(&out_abs))?.next().is_some()
    {
        return Err(OutputError::Unsafe(format!(
            "refusing to replace {}: it is not empty and was not made by `oversight build` (no {MARKER} file)",
            out_abs.display()
        )));
    }
    Ok(out_abs)
}

/// Writes `files` into the output folder beside what it already holds, each file atomically
/// (written beside itself, then renamed over the old one): `oversight papers --meeting` makes
/// one meeting's pack without touching the others.
pub fn write_beside(site: &Path, output: &Path, files: &[(String, Vec<u8>)]) -> Result<PathBuf, OutputError> {
    let out = checked_output(site, output)?;
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
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = path.with_file_name(format!(".{name}.partial"));
        fs::write(&temporary, bytes).map_err(io_err(&temporary))?;
        fs::rename(&temporary, &path).map_err(io_err(&path))?;
    }
    Ok(out)
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
    /// Checks the output folder and creates an empty staging folder beside it.
    pub fn begin(site: &Path, output: &Path) -> Result<Staged, OutputError> {
        let out_abs = checked_output(site, output)?;
        let parent = out_abs.parent().ok_or_else(|| OutputError::Unsafe("the output folder cannot be /".into()))?;
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        let name = out_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let staging = parent.join(format!(".{name}.staging"));
        if staging.exists() {
            // Left by an interrupted build; it was never the live output.
            fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
        }
        fs::create_dir(&staging).map_err(io_err(&staging))?;
        fs::write(
            staging.join(MARKER),
            "This folder was written by `oversight build` and is replaced by the next build.\n",
        )
        .map_err(io_err(&staging))?;
        Ok(Staged { staging, output: out_abs })
    }

    /// Writes one file at a site-relative path, creating its folders.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
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
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let parent = self.output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = self.output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let old = parent.join(format!(".{name}.old"));
        if old.exists() {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old).map_err(io_err(&self.output))?;
        }
        if let Err(err) = fs::rename(&self.staging, &self.output) {
            // Put the previous output back before reporting.
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(OutputError::Io(self.output.clone(), err));
        }
        if had_output {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(self.output.clone())
    }

    /// Abandons the build: the staging folder goes, the output is untouched.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
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

        // Never the site, content/, a parent, or someone else's folder.
        for bad in [site.clone(), site.join("content"), dir.path().to_path_buf(), site.join("content/x")] {
            assert!(matches!(Staged::begin(&site, &bad), Err(OutputError::Unsafe(_))), "{}", bad.display());
        }
        let foreign = dir.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("keep.txt"), b"mine").unwrap();
        assert!(matches!(Staged::begin(&site, &foreign), Err(OutputError::Unsafe(_))));
        assert!(foreign.join("keep.txt").exists());
    }
}
