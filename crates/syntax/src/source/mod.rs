//! Reading the content folder into memory: every file as text, with byte spans that
//! diagnostics turn into file:line:column.
//!
//! [`Sources`] owns the text of every file the run read; [`Span`] points into it. Everything
//! downstream refers to files by [`FileId`], so a diagnostic can always show a code frame.

pub mod front_matter;
pub mod syntax;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
///
/// A one-shot command (`check`, `build`) may [release](SourceFile::release) a file's text once
/// everything it holds has been taken from it (a narrative page's links, blocks and excerpt),
/// so that memory does not grow with the site: what is needed later (the page's body when it
/// is rendered, a code frame) is [read back](SourceFile::read_back) from disk and checked
/// against the hash of the text that was checked.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    text: Text,
    /// A hash of the text, so `serve` can tell which pages a change reaches, and a text read
    /// back can be proved to be the one that was checked.
    pub hash: u64,
    /// The text was read for NHS numbers when it was loaded, and held none: the check need not
    /// read it again (`serve` checks the whole site on every save, and most files are as they
    /// were). False unless the loader says so.
    pub free_of_nhs_numbers: bool,
    line_starts: Vec<usize>,
}

#[derive(Debug, Clone)]
enum Text {
    Kept(Arc<str>),
    /// Released: read back from `from` (the file on disk) on demand, at most once for code
    /// frames ("" there if it changed or cannot be read).
    Released {
        from: PathBuf,
        /// The text's length in bytes, so reading it back usually takes one read.
        len: usize,
        frames: OnceLock<Arc<str>>,
    },
}

/// Why a released text could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadBackError {
    /// The file cannot be read (or is no longer UTF-8).
    Unreadable(String),
    /// The file's text is not the text that was checked.
    Changed,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let hash = crate::hash::of(&*text);
        SourceFile { path, text: Text::Kept(text), hash, free_of_nhs_numbers: false, line_starts }
    }

    /// The file's text; for a released file, read back once (empty if it changed since).
    pub fn text(&self) -> &str {
        match &self.text {
            Text::Kept(text) => text,
            Text::Released { frames, .. } => frames.get_or_init(|| self.read_back().unwrap_or_else(|_| "".into())),
        }
    }

    /// The file's text, shared (a page's body points into it rather than copying it); `None`
    /// once released.
    pub fn shared(&self) -> Option<&Arc<str>> {
        match &self.text {
            Text::Kept(text) => Some(text),
            Text::Released { .. } => None,
        }
    }

    /// Drops the text, to be read back from `from` (the file on disk it was read from) when
    /// needed. The caller promises the text was read from there exactly, as [`decode`] gives it.
    pub fn release(&mut self, from: PathBuf) {
        let len = self.shared().map_or(0, |text| text.len());
        self.text = Text::Released { from, len, frames: OnceLock::new() };
    }

    pub fn is_released(&self) -> bool {
        matches!(self.text, Text::Released { .. })
    }

    /// The text: kept, or read again from disk and proved (by its hash) to be the text that
    /// was checked.
    pub fn read_back(&self) -> Result<Arc<str>, ReadBackError> {
        let (from, len) = match &self.text {
            Text::Kept(text) => return Ok(text.clone()),
            Text::Released { from, len, .. } => (from, *len),
        };
        let bytes = read_expecting(from, len).map_err(|e| ReadBackError::Unreadable(e.to_string()))?;
        let decoded = decode(bytes);
        if decoded.invalid_at.is_some() {
            return Err(ReadBackError::Changed);
        }
        if crate::hash::of(decoded.text.as_str()) != self.hash {
            return Err(ReadBackError::Changed);
        }
        Ok(decoded.text.into())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Byte range of the (1-based) line, without its line break.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let text = self.text();
        let start = self.line_starts.get(line - 1).copied().unwrap_or(text.len());
        let end = self.line_starts.get(line).map_or(text.len(), |&next| next - 1).min(text.len());
        let start = start.min(end);
        let end = if text[..end].ends_with('\r') { end - 1 } else { end };
        start..end.max(start)
    }
}

/// Every file of one run.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: impl Into<Arc<str>>) -> FileId {
        self.push(SourceFile::new(path, text))
    }

    /// Makes room for `additional` more files at once (a load knows how many it will add).
    pub fn reserve(&mut self, additional: usize) {
        self.files.reserve_exact(additional);
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
        self.get(id).text()
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

/// The UTF-8 byte-order mark, which [`decode`] drops.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The bytes of the file at `path`, which held a text of `len` bytes when it was read (with
/// a byte-order mark, [`BOM`] more). A build reads back every page it renders, so this saves
/// what `std::fs::read` spends on asking the size and reading once more to meet the end: one
/// read asking for more than the file held returns it whole, because a read of a regular
/// file stops short only at its end. Any other count (a changed file, or a short read on an
/// unusual file system) reads on to the end; the caller compares the text with the one
/// checked, so nothing but the checked text is ever taken.
fn read_expecting(path: &Path, len: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut bytes = vec![0; len + BOM.len() + 1];
    let n = loop {
        match file.read(&mut bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            read => break read?,
        }
    };
    bytes.truncate(n);
    if n != len && n != len + BOM.len() {
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Decodes a file's bytes as UTF-8. A leading UTF-8 byte-order mark is dropped: Windows editors
/// add it and it carries no meaning, and dropping it keeps columns right on the first line.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    let bytes = match bytes.strip_prefix(BOM) {
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
        let file = SourceFile::new("a".into(), "ab\nNHS — x: 1\r\nlast");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        let x = file.text().find("x:").unwrap();
        assert_eq!(file.line_col(x), (2, 7));
        assert_eq!(file.line_col(file.text().len()), (3, 5));
        assert_eq!(&file.text()[file.line_range(2)], "NHS — x: 1");
    }

    #[test]
    fn a_released_text_is_read_back_only_as_it_was_checked() {
        let dir = std::env::temp_dir().join(format!("oversight-read-back-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("page.md");
        std::fs::write(&path, "\u{feff}---\ntitle: x\n---\nBody.\n").unwrap();
        let text = decode(std::fs::read(&path).unwrap()).text;
        let mut file = SourceFile::new("content/pages/page.md".into(), text.clone());
        assert_eq!(file.shared().map(|t| &**t), Some(text.as_str()));
        file.release(path.clone());
        assert!(file.is_released() && file.shared().is_none());
        assert_eq!(file.read_back().as_deref(), Ok(text.as_str()));
        assert_eq!(file.line_col(text.find("Body").unwrap()), (4, 1));
        std::fs::write(&path, "---\ntitle: y\n---\nBody.\n").unwrap();
        assert_eq!(file.read_back(), Err(ReadBackError::Changed));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(file.read_back(), Err(ReadBackError::Unreadable(_))));
        // The code frame's copy was read before the change, once.
        assert_eq!(file.text(), text);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reading_back_takes_the_whole_file_whatever_its_length() {
        let dir = std::env::temp_dir().join(format!("oversight-read-expecting-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("page.md");
        let text = "---\ntitle: x\n---\nBody.\n";
        // As checked, with a byte-order mark, grown past the one read, shrunk, and far longer.
        let long = text.repeat(5000);
        for on_disk in [text.to_string(), format!("\u{feff}{text}"), format!("{text}more"), "---\n".into(), long] {
            std::fs::write(&path, &on_disk).unwrap();
            assert_eq!(read_expecting(&path, text.len()).unwrap(), on_disk.as_bytes(), "{} bytes", on_disk.len());
        }
        let mut file = SourceFile::new("content/pages/page.md".into(), text);
        file.release(path.clone());
        std::fs::write(&path, format!("{text}more")).unwrap();
        assert_eq!(file.read_back(), Err(ReadBackError::Changed));
        std::fs::write(&path, &text[..text.len() - 1]).unwrap();
        assert_eq!(file.read_back(), Err(ReadBackError::Changed));
        std::fs::write(&path, text).unwrap();
        assert_eq!(file.read_back().as_deref(), Ok(text));
        std::fs::remove_dir_all(&dir).unwrap();
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
