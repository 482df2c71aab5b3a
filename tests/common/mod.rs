//! Helpers the integration tests share. Each test file is its own crate and uses only part
//! of this module, hence `dead_code` is allowed.
#![allow(dead_code)]

pub(crate) mod expect;
pub(crate) mod lsp;

use std::fs;
use std::path::{Path, PathBuf};

/// The repository, which holds the example register.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from`, with everything in it, to `to`.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch copy of the example register to change, with the pictures its site.yaml names
/// and its private folder.
pub(crate) fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "static", "private"] {
        copy_dir(&root().join(folder), &dir.path().join(folder));
    }
    dir
}
