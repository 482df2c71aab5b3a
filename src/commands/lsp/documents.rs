//! The documents open in the editor: their text as it is in the buffer (saved or not), kept
//! up to date from the editor's changes, and where each is on disk. The text is what the
//! workspace loads in front of the disk (its overlay), so every answer is about the buffer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Url};

use super::position::LineIndex;

/// One open document.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) text: String,
    pub(crate) version: i32,
    /// Its path on disk, with symbolic links resolved as the register's folder is.
    pub(crate) path: PathBuf,
}

/// Every open document, by its URI as the editor names it.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    open: BTreeMap<Url, Document>,
}

impl Documents {
    pub(crate) fn open(&mut self, uri: Url, version: i32, text: String) -> Option<&Document> {
        let path = file_path(&uri)?;
        self.open.insert(uri.clone(), Document { text, version, path });
        self.open.get(&uri)
    }

    /// Applies the editor's changes in order: a change with a range replaces that range (in
    /// the text as the changes before it left it), one without replaces the whole text.
    pub(crate) fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<&Document> {
        let document = self.open.get_mut(uri)?;
        for change in changes {
            match change.range {
                None => document.text = change.text,
                Some(range) => {
                    let index = LineIndex::new(&document.text);
                    let start = index.offset(&document.text, range.start);
                    let end = index.offset(&document.text, range.end).max(start);
                    document.text.replace_range(start..end, &change.text);
                }
            }
        }
        document.version = version;
        Some(document)
    }

    pub(crate) fn close(&mut self, uri: &Url) -> Option<Document> {
        self.open.remove(uri)
    }

    pub(crate) fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(uri)
    }

    pub(crate) fn all(&self) -> impl Iterator<Item = &Document> {
        self.open.values()
    }
}

/// The file a `file:` URI names, with symbolic links resolved (its folder's, for a file not
/// yet on disk), so that it compares with the register's folder.
pub(crate) fn file_path(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    Some(canonical(&path))
}

/// `path` with symbolic links resolved as far as it exists.
pub(crate) fn canonical(path: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(path) {
        return path;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => canonical(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// The register `start` is in: the nearest folder, `start` itself or above it, that holds a
/// `content/` folder.
pub(crate) fn find_register(start: &Path) -> Option<PathBuf> {
    let start = canonical(start);
    start.ancestors().find(|dir| dir.join("content").is_dir()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    #[test]
    fn changes_apply_in_order_in_utf16_positions() {
        let mut docs = Documents::default();
        let uri = Url::parse("file:///r/content/organisations/a.yaml").unwrap();
        docs.open(uri.clone(), 1, "name: — A\nregion: londn\n".into());
        let at = |line, character| Position { line, character };
        let edits = vec![
            TextDocumentContentChangeEvent {
                range: Some(Range { start: at(1, 12), end: at(1, 12) }),
                range_length: None,
                text: "o".into(),
            },
            TextDocumentContentChangeEvent {
                range: Some(Range { start: at(0, 6), end: at(0, 7) }),
                range_length: None,
                text: "The".into(),
            },
        ];
        let doc = docs.change(&uri, 2, edits).unwrap();
        assert_eq!(doc.text, "name: The A\nregion: london\n");
        assert_eq!(doc.version, 2);
        let whole = vec![TextDocumentContentChangeEvent { range: None, range_length: None, text: "x".into() }];
        assert_eq!(docs.change(&uri, 3, whole).unwrap().text, "x");
    }
}
