//! Reading the content folder into memory: every file as text, with byte spans that
//! diagnostics turn into file:line:column.
//!
//! [`Sources`] owns the text of every file the run read; [`Span`] points into it. Everything
//! downstream refers to files by [`FileId`], so a diagnostic can always show a code frame.

pub mod front_matter;
pub mod syntax;
pub mod yaml;

use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl FileId {
    /// The id of the `i`th file read (files are numbered in the order they are added).
    pub fn from_index(i: usize) -> FileId {
        FileId(u32::try_from(i).expect("fewer than 4 billion files"))
    }
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end: end.max(start) }
    }

    /// The start of a file: where a problem with the file as a whole is reported.
    pub fn file_start(file: FileId) -> Span {
        Span { file, start: 0, end: 0 }
    }
}

/// One file read from the site: its path relative to the site folder (as diagnostics show it)
/// and its text. Text that was not valid UTF-8 is kept up to the first bad byte.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// A hash of the text, so `serve` can tell which pages a change reaches.
    pub hash: u64,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let hash = crate::hash::of(&text);
        SourceFile { path, text, hash, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Byte range of the (1-based) line, without its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[..end].ends_with('\r') { end - 1 } else { end };
        start..end.max(start)
    }
}

/// Every file of one run.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId::from_index(self.files.len());
        self.files.push(file);
        id
    }

    /// Gives file `id` a new path and text (`serve` reloading it, or emptying a removed one).
    pub fn replace(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = file;
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.get(id).text
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Result of decoding a file's bytes.
pub struct Decoded {
    /// The text, without a leading byte-order mark; if the bytes were not UTF-8, the valid part.
    pub text: String,
    /// Where the first invalid byte was, as an offset into `text`.
    pub invalid_at: Option<usize>,
}

/// Decodes a file's bytes as UTF-8. A leading UTF-8 byte-order mark is dropped: Windows editors
/// add it and it carries no meaning, and dropping it keeps columns right on the first line.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text, invalid_at: None },
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(valid);
            let text = String::from_utf8(bytes).unwrap_or_default();
            Decoded { text, invalid_at: Some(valid) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("a".into(), "ab\nNHS — x: 1\r\nlast".into());
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        let x = file.text.find("x:").unwrap();
        assert_eq!(file.line_col(x), (2, 7));
        assert_eq!(file.line_col(file.text.len()), (3, 5));
        assert_eq!(&file.text[file.line_range(2)], "NHS — x: 1");
    }

    #[test]
    fn decoding_drops_bom_and_finds_bad_bytes() {
        let d = decode(b"\xEF\xBB\xBFname: x".to_vec());
        assert_eq!(d.text, "name: x");
        assert!(d.invalid_at.is_none());
        let d = decode(b"name: \xFFx".to_vec());
        assert_eq!(d.text, "name: ");
        assert_eq!(d.invalid_at, Some(6));
    }
}
