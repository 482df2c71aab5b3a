//! What a build writes, read for NHS numbers before it is published (rule OVS704): every page,
//! feed and data file as text, the workbook's cells (its XML parts), and the theme's and
//! `static/` files, which no check reads. `check` has already refused NHS numbers in the records,
//! pages and given papers the website publishes; this catches what only the output holds (a
//! number the tool put together, a template's or a static file's). PDFs are not read here:
//! the papers the tool typesets are made of the records and pages `check` read, and a given
//! PDF's text was read at `check`.
//!
//! A number found is reported where it came from when a source holds it (the record or page,
//! at its line), else in the output file that holds it, at its line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::Mutex;

use oversight_model::nhs_number;
use oversight_rules::check::Checked;
use oversight_rules::publication::nhs_number_at;
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::source::{SourceFile, Sources, Span};

/// A workbook's XML parts inflate to at most this many bytes, together, when read back: the
/// workbook is the tool's own, made from a register that loaded within its limits.
const MAX_WORKBOOK_TEXT: u64 = 512 * 1024 * 1024;

/// The NHS numbers found in the files of one build, as they are written.
#[derive(Default)]
pub(crate) struct Scan {
    /// (output file, its text as read, the numbers in it).
    found: Mutex<Vec<(String, String, Vec<nhs_number::Found>)>>,
}

impl Scan {
    /// Reads the output file `path` (relative to the output folder) for NHS numbers.
    pub(crate) fn file(&self, path: &str, bytes: &[u8]) {
        let Some(text) = readable_text(path, bytes) else { return };
        let numbers = nhs_number::find(&text);
        if !numbers.is_empty() {
            self.found.lock().unwrap_or_else(|e| e.into_inner()).push((path.to_string(), text.into_owned(), numbers));
        }
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.found.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// A diagnostic per number and place, with the sources they point into: the checked
    /// site's, and the output files (named `shown_as` joined with their path) that hold a
    /// number no source does.
    pub(crate) fn diagnostics(self, checked: &Checked, shown_as: &Path) -> (Vec<Diagnostic>, Sources) {
        let mut found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        found.sort_by(|a, b| a.0.cmp(&b.0));
        let mut sources: Sources = (*checked.sources).clone();
        // Where each number is in the sources: its first place.
        let mut origin: HashMap<String, (Span, String)> = HashMap::new();
        for index in 0..sources.len() {
            let file = oversight_syntax::source::FileId::from_index(index);
            for n in nhs_number::find(sources.text(file)) {
                origin.entry(n.digits).or_insert((Span::new(file, n.start, n.end), "this file".into()));
            }
        }
        for paper in &checked.register.papers {
            let (Some(a), Some(name)) = (paper.attachment(), paper.given_file()) else { continue };
            for n in nhs_number::find(&a.inspection.text) {
                origin.entry(n.digits).or_insert((Span::file_start(paper.file), format!("the text of {name}")));
            }
        }
        let mut outputs_of: HashMap<String, Vec<String>> = HashMap::new();
        let mut diagnostics = Vec::new();
        for (path, text, numbers) in found {
            let mut unplaced = Vec::new();
            for n in numbers {
                if origin.contains_key(&n.digits) {
                    let files = outputs_of.entry(n.digits.clone()).or_default();
                    if !files.contains(&path) {
                        files.push(path.clone());
                    }
                } else {
                    unplaced.push(n);
                }
            }
            if unplaced.is_empty() {
                continue;
            }
            let file = sources.push(SourceFile::new(shown_as.join(&path), text));
            for n in unplaced {
                let d = nhs_number_at(Span::new(file, n.start, n.end), "this file the build writes", &n.digits)
                    .with_help("remove it from the template, theme or static file it comes from");
                diagnostics.push(d);
            }
        }
        let mut placed: Vec<(String, Vec<String>)> = outputs_of.into_iter().collect();
        placed.sort();
        for (digits, files) in placed {
            let (span, what) = &origin[&digits];
            let mut d = nhs_number_at(*span, what, &digits);
            d.message.push_str(&format!(" (in {})", files.join(", ")));
            diagnostics.push(d);
        }
        (diagnostics, sources)
    }
}

/// The text of an output file to read, if it has any: pages and data as they are (HTML's
/// no-break space entities read as the space), a workbook's XML parts, nothing of pictures,
/// fonts and PDFs.
fn readable_text<'a>(path: &str, bytes: &'a [u8]) -> Option<Cow<'a, str>> {
    let ext = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" => workbook_text(bytes).map(Cow::Owned),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "ico" | "woff" | "woff2" | "ttf" | "otf" | "pdf" | "avif" | "zip" => {
            None
        }
        _ => {
            // Read in place (no copy of every page) unless a no-break space is written as an
            // entity: the digits either side of one are read as one number.
            // The tool writes UTF-8: the check is one fast pass, and the lossy reading (a
            // copy) is for a static file that is not.
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(bytes),
            };
            const SPACES: [&str; 3] = ["&nbsp;", "&#160;", "&#xa0;"];
            // One pass over the ampersands rather than a search per entity.
            let has_space = text.match_indices('&').any(|(at, _)| SPACES.iter().any(|e| text[at..].starts_with(e)));
            if !has_space {
                return Some(text);
            }
            Some(Cow::Owned(SPACES.iter().fold(text.into_owned(), |text, entity| text.replace(entity, "\u{a0}"))))
        }
    }
}

/// A workbook's XML parts (its cells, shared strings and sheet names), one after another.
fn workbook_text(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut text = String::new();
    let mut budget = MAX_WORKBOOK_TEXT;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        if !part.name().ends_with(".xml") {
            continue;
        }
        let mut xml = Vec::new();
        if part.take(budget).read_to_end(&mut xml).is_err() {
            continue;
        }
        budget = budget.saturating_sub(xml.len() as u64);
        text.push_str(&String::from_utf8_lossy(&xml));
        text.push('\n');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_workbooks_are_read_pictures_are_not() {
        let scan = Scan::default();
        scan.file("a/index.html", "<td>943&nbsp;476&nbsp;5919</td>".as_bytes());
        scan.file("logo.png", b"9434765919");
        let found = scan.found.into_inner().unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2[0].digits, "9434765919");
    }
}
