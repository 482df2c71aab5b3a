//! Checking the register as an import would leave it, before anything is written: the site's
//! `content/` is mirrored in a temporary folder beside it (hard links where the file system
//! allows, so nothing is copied), the planned files are written there in place of their
//! links, and the mirror is checked with the full rule set (oversight-rules), exactly as
//! `oversight check` would check the result. The site's other folders (static/ and the like,
//! which site.yaml may name) and its cache of Word papers' PDFs are linked into the mirror, by
//! absolute paths, so a relative `--site` links the same. The site itself is not touched; a
//! site folder that does not exist yet is checked as an empty one.

use std::fs;
use std::io;
use std::path::Path;

use oversight_model::Reach;
use oversight_rules::check::{Checked, Workspace};
use oversight_syntax::date::Date;

use crate::plan::Plan;

/// Checks `site` with the applied files of `plan` in place. `today` is the date a site with
/// no `as_of` is checked at.
pub fn verify(site: &Path, plan: &Plan, today: Date) -> Result<Checked, String> {
    // A symbolic link's target is read from the link's own folder: a relative site path
    // would point the mirror's links at nothing.
    let site =
        &std::path::absolute(site).map_err(|e| format!("cannot find the site folder {}: {e}", site.display()))?;
    // Beside the site, so links can be made; else wherever temporary folders go.
    let copy = tempfile::Builder::new()
        .prefix(".oversight-import-")
        .tempdir_in(site)
        .or_else(|_| tempfile::tempdir())
        .map_err(|e| format!("cannot make a temporary folder to check the import in: {e}"))?;
    let content = site.join("content");
    if content.is_dir() {
        copy_tree(&content, &copy.path().join("content"))
            .map_err(|e| format!("cannot copy {} to check the import: {e}", content.display()))?;
    }
    link_siblings(site, copy.path()).map_err(|e| format!("cannot prepare the check of the import: {e}"))?;
    for file in plan.applied() {
        let path = copy.path().join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        // A changed file is a link to the site's own: unlink it first, never write through it.
        let _ = fs::remove_file(&path);
        fs::write(&path, &file.text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // Texts kept: the copy is deleted before the diagnostics' code frames are shown.
    Workspace::load(copy.path(), Reach::Public).map(|w| w.check(None, today)).map_err(|e| e.to_string())
}

/// Points the mirror at everything else in the site folder that a check reads (the pictures
/// site.yaml names, say `static/logo.svg`, and the PDFs of Word papers in `.oversight-cache`,
/// so a check without LibreOffice reads them as `oversight check` would): a symbolic link per
/// top-level entry but content/ and the other hidden ones (the mirror itself among them), and
/// a mirror of the folders a build publishes from (`static/`, `themes/`).
/// Where symbolic links cannot be made, the files site.yaml names are checked against a
/// mirror that lacks them, and the import says so. A site folder not made yet has none.
fn link_siblings(site: &Path, mirror: &Path) -> io::Result<()> {
    if !site.is_dir() {
        return Ok(());
    }
    let cache = Path::new(oversight_model::WORD_CACHE).components().next().map(|c| c.as_os_str().to_owned());
    for entry in fs::read_dir(site)? {
        let entry = entry?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.') && Some(&name) != cache.as_ref();
        if name == "content" || hidden {
            continue;
        }
        // The folders a build publishes from are mirrored file by file, as content/ is: a
        // symbolic link there is an error the check reports (OVS005), so the mirror makes none.
        let published = oversight_model::config::PUBLISHED_FOLDERS.iter().any(|f| name == *f);
        if published && entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &mirror.join(&name))?;
            continue;
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(entry.path(), mirror.join(&name))?;
        #[cfg(windows)]
        {
            let target = entry.path();
            let _ = if target.is_dir() {
                std::os::windows::fs::symlink_dir(&target, mirror.join(&name))
            } else {
                std::os::windows::fs::symlink_file(&target, mirror.join(&name))
            };
        }
    }
    Ok(())
}

/// Mirrors the folders and regular files under `from`, each file a hard link to its original
/// or, where links cannot be made, a copy (symbolic links and other special files are left
/// out: the check of the site itself reports them).
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() && fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
