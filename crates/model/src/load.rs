//! Loading a site: walk `content/`, read each file, and parse it into the typed [`Register`],
//! reporting every record-format problem as a located diagnostic.
//!
//! Each YAML document is read twice: once by `yaml_serde` into the typed record, once by the
//! source-map scan that records where each value is. A type error is placed at the path
//! `serde_path_to_error` names, looked up in the source map.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::{AnyRecord, Body, DECIMAL_MUST_BE_QUOTED, Page, Paper, PaperDetails, PaperSource, is_slug, slugify};
use crate::attached::{Attachment, Given};
use crate::config::SiteConfig;
use crate::format::{
    DOCUMENT_LIMIT, INVALID_ID, INVALID_VALUE, MISSING_TEXT, UNEXPECTED_FILE, UNKNOWN_FIELD, UNREADABLE_FILE,
    YAML_SYNTAX,
};
use crate::kinds::{Load, Record, RecordKind, classify};
use crate::word::{self, WordProblem};
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::source::yaml::{self, SourceMap, key_path};
use oversight_syntax::source::{FileId, SourceFile, Span, decode, front_matter, syntax};
use oversight_syntax::suggest::closest;

/// No record is anywhere near this large; a bigger file is refused rather than parsed.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// PDF and Word papers may be larger than any record (scanned pages, pictures), but a board
/// pack is read on screens and tablets: past this, the file is refused.
const MAX_ATTACHED_BYTES: u64 = 64 * 1024 * 1024;

/// Ids become file and folder names (`organisations/<id>/index.html`, `.<id>.pdf.partial`),
/// which most file systems cap at 255 bytes; no real id comes near this.
pub const MAX_ID_LEN: usize = 100;

/// A failure that stops loading before any record is read.
#[derive(Debug)]
pub enum LoadError {
    /// The site folder has no `content/` folder.
    NoContent(PathBuf),
    /// Walking the content folder failed.
    Walk(walkdir::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NoContent(site) => {
                write!(f, "no content/ folder in {}: pass the site folder with --site", site.display())
            }
            LoadError::Walk(err) => write!(f, "cannot read the content folder: {err}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// Files that editors and operating systems leave beside the real ones; never content.
pub fn is_editor_litter(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains("___jb_")
        || name == "Thumbs.db"
}

/// A file found under `content/`: what kind of record it holds (none: it does not belong).
#[derive(Debug, Clone)]
pub struct Entry {
    kind: Option<RecordKind>,
    /// Where it is on disk.
    path: PathBuf,
    /// Its path under `content/`, which decides its kind and (for pages) its id.
    rel: PathBuf,
}

impl Entry {
    /// The entry for the file at `path` under the `content` folder (`is_file`: a regular file),
    /// or `None` if it is left out: a site's own assets may sit beside its pages, so unknown
    /// files under `pages/` are not reported.
    pub fn new(content: &Path, path: &Path, is_file: bool) -> Option<Entry> {
        let rel = path.strip_prefix(content).unwrap_or(path).to_path_buf();
        let kind = classify(&rel);
        if kind.is_none() && rel.starts_with("pages") {
            return None;
        }
        // A symbolic link or other special file is never read as a record: it is reported.
        let kind = kind.filter(|_| is_file);
        Some(Entry { kind, path: path.to_path_buf(), rel })
    }

    /// How diagnostics name the file: `content/organisations/uhmb.yaml`.
    pub fn display(&self) -> PathBuf {
        Path::new("content").join(&self.rel)
    }

    pub fn rel(&self) -> &Path {
        &self.rel
    }

    /// For a paper written elsewhere, what kind of file it is.
    fn given(&self) -> Option<Given> {
        let ext = self.rel.extension().and_then(|e| e.to_str())?;
        Given::from_extension(ext).filter(|_| self.kind == Some(RecordKind::Paper))
    }

    /// The site folder: the one holding `content/`.
    fn site(&self) -> &Path {
        self.path.ancestors().nth(self.rel.components().count() + 1).unwrap_or(Path::new("."))
    }

    /// The id its record has unless it says otherwise: a page's path under `pages/`, else the
    /// file name without its extension.
    fn default_id(&self) -> String {
        let id = match self.kind {
            Some(RecordKind::Page) => self.rel.strip_prefix("pages").unwrap_or(&self.rel).with_extension(""),
            _ => self.rel.file_stem().map(PathBuf::from).unwrap_or_default(),
        };
        id.iter().filter_map(|p| p.to_str()).collect::<Vec<_>>().join("/")
    }
}

/// Every file in `under` (`content` itself, or a folder in it), in path order, editor litter
/// skipped.
pub fn discover(content: &Path, under: &Path) -> Result<Vec<Entry>, LoadError> {
    let walker = WalkDir::new(under).follow_links(false).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(is_editor_litter));
    let mut entries = Vec::new();
    for entry in walker {
        let entry = entry.map_err(LoadError::Walk)?;
        // The folder itself may be a symbolic link to the real content/ (which is followed):
        // it is the folder to read, not a file in it.
        let root_folder = entry.depth() == 0 && entry.path().is_dir();
        if !entry.file_type().is_dir() && !root_folder {
            entries.extend(Entry::new(content, entry.path(), entry.file_type().is_file()));
        }
    }
    Ok(entries)
}

/// Reported against an empty `content/site.yaml` when there is none.
pub fn missing_site_config(file: FileId) -> Diagnostic {
    UNREADABLE_FILE
        .at(Span::file_start(file), "content/site.yaml is missing")
        .with_help("create content/site.yaml with at least `title:`")
}

/// One file, loaded on its own: its text, the record it holds if it parsed, the record's
/// source map, and the problems found. Depends on no other file, so files load in parallel
/// and `serve` reloads only the ones that changed.
#[derive(Debug)]
pub struct FileLoad {
    /// Its text, under the path diagnostics name it by (`content/organisations/uhmb.yaml`).
    pub source: SourceFile,
    pub record: Option<AnyRecord>,
    pub map: Option<SourceMap>,
    pub diagnostics: Vec<Diagnostic>,
    /// The kind and id of the record the file should hold, if it could not be read as one:
    /// references to it are not reported again (the file's own problem is the cause).
    pub unreadable: Option<(RecordKind, String)>,
}

/// Reads and parses the file of `entry`, as file `file`.
pub fn load_file(file: FileId, entry: &Entry) -> FileLoad {
    load_file_from(file, entry, None)
}

/// [`load_file`], with the text given in place of what is on disk when `unsaved` is given: an
/// editor's buffer that is not saved yet (`oversight lsp`). A PDF or Word paper is always read
/// from disk: it has no text to edit.
pub fn load_file_from(file: FileId, entry: &Entry, unsaved: Option<&str>) -> FileLoad {
    let mut loader = Loader { file, text: String::new(), map: None, diagnostics: Vec::new(), hash: None };
    let record = match (entry.kind, entry.given()) {
        (Some(_), Some(given)) => loader.attached(entry, given),
        (Some(kind), None) => loader.read(&entry.path, unsaved).then(|| loader.record(kind, &entry.rel)).flatten(),
        (None, _) => {
            let d = UNEXPECTED_FILE
                .at(Span::file_start(file), "this file is not part of any record kind and is ignored")
                .with_help("organisations/, support/, undertakings/ and meetings/ hold .yaml files; pages/ holds .md files; papers/ holds .md, .pdf and .docx papers and .yaml details of PDF and Word papers");
            loader.diagnostics.push(d);
            None
        }
    };
    let unreadable = entry.kind.filter(|_| record.is_none()).map(|kind| (kind, entry.default_id()));
    let mut source = SourceFile::new(entry.display(), loader.text);
    // A PDF or Word paper has no text to show: what changed is its bytes.
    source.hash = loader.hash.unwrap_or(source.hash);
    FileLoad { source, record, map: loader.map, diagnostics: loader.diagnostics, unreadable }
}

/// The state of loading one file.
struct Loader {
    file: FileId,
    text: String,
    map: Option<SourceMap>,
    diagnostics: Vec<Diagnostic>,
    /// The hash of a file read as bytes rather than text.
    hash: Option<u64>,
}

impl Loader {
    /// A paper written elsewhere: its PDF (a Word file's converted), read as Typst will
    /// place it. Every problem is reported at the start of the file, which has no text.
    fn attached(&mut self, entry: &Entry, given: Given) -> Option<AnyRecord> {
        let at = Span::file_start(self.file);
        let refuse = |message: String, help: String| UNREADABLE_FILE.at(at, message).with_help(help);
        let bytes = match fs::metadata(&entry.path) {
            Ok(meta) if meta.len() > MAX_ATTACHED_BYTES => Err(refuse(
                format!("file is {} MiB; a paper is at most 64 MiB", meta.len() / (1024 * 1024)),
                "make it smaller: save it again with images compressed (\"reduce file size\" or \"optimise\")".into(),
            )),
            _ => fs::read(&entry.path)
                .map_err(|err| refuse(format!("cannot read the file: {err}"), "check the file's permissions".into())),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        self.hash = Some(oversight_syntax::hash::of(&bytes));
        let id = entry.rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let id = self.resolve_id(None, &id);
        let pdf = match given {
            Given::Pdf => bytes,
            Given::Word => {
                match word::to_pdf(entry.site(), &bytes) {
                    Ok(pdf) => pdf,
                    Err(WordProblem::NoLibreOffice) => {
                        let d = refuse(
                        "a Word paper is turned into PDF with LibreOffice, and `soffice` (LibreOffice) was not found".into(),
                        format!("install LibreOffice: on Debian or Ubuntu `sudo apt-get install libreoffice-writer`; on macOS or Windows from https://www.libreoffice.org/download/ (and put `soffice` on PATH); or save the paper as PDF, content/papers/{id}.pdf, in place of the .docx"),
                    );
                        self.diagnostics.push(d);
                        return None;
                    }
                    Err(WordProblem::Failed(why)) => {
                        let d = refuse(
                            format!("LibreOffice could not turn this Word file into PDF: {why}"),
                            format!(
                                "open it in Word or LibreOffice: if it opens, save it as PDF, content/papers/{id}.pdf, in place of the .docx"
                            ),
                        );
                        self.diagnostics.push(d);
                        return None;
                    }
                }
            }
        };
        match Attachment::read(given, pdf) {
            Ok(attachment) => Some(AnyRecord::Paper(Paper::attached(id, self.file, attachment))),
            Err(problem) => {
                let message = match given {
                    Given::Pdf => problem.message(),
                    Given::Word => {
                        format!("the PDF LibreOffice made of this Word file cannot be placed: {}", problem.message())
                    }
                };
                self.diagnostics.push(refuse(message, problem.help().into()));
                None
            }
        }
    }

    fn record(&mut self, kind: RecordKind, rel: &Path) -> Option<AnyRecord> {
        let file = self.file;
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        Some(match kind.row().load {
            Load::Yaml(load) => return load(&mut Finish { loader: self }, &stem),
            Load::Site => {
                // A typo in site.yaml must not silently drop its other keys (as_of, rules:),
                // which every other verdict depends on.
                let mut site = self.parse_yaml_keeping::<SiteConfig>(None, "site.yaml", true)?;
                site.file = file;
                AnyRecord::Site(site)
            }
            Load::Page => {
                let (mut page, body) = self.parse_markdown::<Page>("a page")?;
                self.check_body(&body);
                let id = rel.strip_prefix("pages").unwrap_or(rel).with_extension("");
                let id: Vec<&str> = id.iter().filter_map(|p| p.to_str()).collect();
                if let Some(bad) = id.iter().find(|part| !is_slug(part)) {
                    let d = INVALID_ID
                        .at(Span::file_start(file), format!("`{bad}` in the page's path is not a valid id"))
                        .with_help(format!("rename it to `{}`: lower-case letters, digits and hyphens", slugify(bad)));
                    self.diagnostics.push(d);
                } else if let Some(long) = id.iter().find(|part| part.len() > MAX_ID_LEN) {
                    self.diagnostics.push(too_long(Span::file_start(file), long, "rename the file"));
                }
                // The Updates listing's later pages are published at pages/page/2/ and on.
                if let ["page", n] = id.as_slice()
                    && n.bytes().all(|b| b.is_ascii_digit())
                {
                    let d = INVALID_ID
                        .at(
                            Span::file_start(file),
                            format!("`pages/page/{n}/` is where page {n} of the Updates listing goes"),
                        )
                        .with_help(
                            "rename the file, or move it out of content/pages/page/: numbered names there are reserved",
                        );
                    self.diagnostics.push(d);
                }
                page.id = id.join("/");
                page.head = oversight_syntax::hash::of(&(&page.id, &self.text[..body.offset.min(self.text.len())]));
                page.file = file;
                page.body = body;
                AnyRecord::Page(page)
            }
            Load::Paper => {
                let (mut paper, body) = self.parse_markdown::<Paper>("a board paper")?;
                self.check_body(&body);
                paper.id = self.resolve_id(None, &stem);
                paper.file = file;
                paper.source = PaperSource::Markdown(body);
                AnyRecord::Paper(paper)
            }
            Load::PaperDetails => {
                let mut details = self.parse_yaml::<PaperDetails>(None, "a paper's details")?;
                details.id = self.resolve_id(None, &stem);
                details.file = file;
                AnyRecord::PaperDetails(details)
            }
        })
    }

    /// Reads and decodes the file (or takes the `unsaved` text in its place); false (with the
    /// reason reported) if it cannot be read.
    fn read(&mut self, path: &Path, unsaved: Option<&str>) -> bool {
        let file = self.file;
        let refuse = |offset: usize, message: String, help: &str| {
            UNREADABLE_FILE.at(Span::new(file, offset, offset), message).with_help(help)
        };
        if let Some(text) = unsaved {
            if text.len() as u64 > MAX_FILE_BYTES {
                let d = refuse(
                    0,
                    format!("file is {} MiB; records are at most 16 MiB", text.len() / (1024 * 1024)),
                    "split the file or remove what does not belong in a record",
                );
                self.diagnostics.push(d);
                return false;
            }
            // As a file read from disk would be: without a byte-order mark.
            self.text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
            return true;
        }
        let bytes = match fs::metadata(path) {
            Ok(meta) if meta.len() > MAX_FILE_BYTES => {
                let d = refuse(
                    0,
                    format!("file is {} MiB; records are at most 16 MiB", meta.len() / (1024 * 1024)),
                    "split the file or remove what does not belong in a record",
                );
                self.diagnostics.push(d);
                return false;
            }
            _ => fs::read(path),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                let d = refuse(0, format!("cannot read the file: {err}"), "check the file's permissions");
                self.diagnostics.push(d);
                return false;
            }
        };
        let decoded = decode(bytes);
        self.text = decoded.text;
        match decoded.invalid_at {
            None => true,
            Some(offset) => {
                let d = refuse(
                    offset,
                    "the file is not valid UTF-8 from here on".into(),
                    "save the file as UTF-8 (the encoding every editor offers)",
                );
                self.diagnostics.push(d);
                false
            }
        }
    }

    /// Parses the YAML at `range` of the file (the whole file by default) as a `T`.
    fn parse_yaml<T: DeserializeOwned>(&mut self, range: Option<(usize, usize)>, what: &str) -> Option<T> {
        self.parse_yaml_keeping(range, what, false)
    }

    /// [`Loader::parse_yaml`]; with `keep_known`, a document whose only problems are unknown
    /// keys is read without them (they are still reported).
    fn parse_yaml_keeping<T: DeserializeOwned>(
        &mut self,
        range: Option<(usize, usize)>,
        what: &str,
        keep_known: bool,
    ) -> Option<T> {
        let range = range.unwrap_or((0, self.text.len()));
        match parse_yaml_at(self.file, &self.text, range) {
            Ok(Some((value, map))) => {
                self.map = Some(map);
                Some(value)
            }
            Ok(None) => {
                let d = INVALID_VALUE
                    .at(Span::new(self.file, range.0, range.0), format!("{what} is empty"))
                    .with_help(format!("{what} needs at least its required fields; see docs/record-format.md"));
                self.diagnostics.push(d);
                None
            }
            Err(rejected) => {
                self.diagnostics.extend(rejected.problems);
                let (value, map) = rejected.without_unknown_keys.filter(|_| keep_known)?;
                self.map = Some(map);
                Some(value)
            }
        }
    }

    /// Parses a Markdown file's front matter as a `T`, returning it with the body.
    fn parse_markdown<T: DeserializeOwned>(&mut self, what: &str) -> Option<(T, Body)> {
        let file = self.file;
        match front_matter::split(&self.text) {
            Ok(Some(split)) => {
                let value = self.parse_yaml(Some((split.yaml_start, split.yaml_end)), what)?;
                let body = Body::new(self.text[split.body_start..].to_string(), split.body_start);
                Some((value, body))
            }
            Ok(None) => {
                let d = INVALID_VALUE
                    .at(Span::file_start(file), format!("{what} must start with YAML front matter"))
                    .with_help(
                        "start the file with a `---` line, the fields (`title:`, `date:` …), and another `---` line",
                    );
                self.diagnostics.push(d);
                None
            }
            Err(offset) => {
                let d = YAML_SYNTAX
                    .at(Span::new(file, offset, offset + 3), "front matter is not closed")
                    .with_help("end the front matter with a line holding only `---`");
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Block quotes, lists and footnote chains past what every output can show, and images
    /// with nothing to say in their place.
    fn check_body(&mut self, body: &Body) {
        for at in &body.scan.undescribed_images {
            let d = MISSING_TEXT
                .at(Span::new(self.file, at.start, at.end), "this image has no description")
                .with_help("say what it shows between the brackets: `![Entries and exits by quarter](entries.png)`");
            self.diagnostics.push(d);
        }
        use crate::vocabulary::{COUNT_FORM, FIGURES, NOT_COUNTS};
        use oversight_syntax::markdown::figure_form;
        let names = FIGURES.iter().map(|(name, _)| *name);
        for (reference, at) in &body.scan.figures {
            let (name, form) = figure_form(reference);
            let span = Span::new(self.file, at.start, at.end);
            if !names.clone().any(|n| n == name) {
                let help = match closest(name, names.clone()) {
                    Some(near) => format!("did you mean `{{{{ {near} }}}}`?"),
                    None => format!("the figures are: {}", names.clone().collect::<Vec<_>>().join(", ")),
                };
                self.diagnostics.push(INVALID_VALUE.at(span, format!("`{name}` is not a figure")).with_help(help));
            } else if let Some(form) = form {
                let problem = if form != COUNT_FORM {
                    Some(format!("`{form}` is not a form of a figure"))
                } else if NOT_COUNTS.contains(&name) {
                    Some(format!("`{name}` is not a count, so it has no `| {COUNT_FORM}` form"))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    let d = INVALID_VALUE.at(span, problem).with_help(format!(
                        "`{{{{ {name} }}}}` gives the figure; `{{{{ {name} | {COUNT_FORM} }}}}` a count with its noun, as \"1 ICB\" or \"2 ICBs\""
                    ));
                    self.diagnostics.push(d);
                }
            }
        }
        for at in &body.scan.empty_headings {
            let end = at.start + self.text[at.clone()].trim_end().len();
            let d = MISSING_TEXT
                .at(Span::new(self.file, at.start, end.max(at.start + 1)), "this heading has no text")
                .with_help("write the heading after the `#` marks, or remove the line");
            self.diagnostics.push(d);
        }
        for at in &body.scan.headless_tables {
            let end = at.start + self.text[at.clone()].trim_end().len();
            let d = MISSING_TEXT
                .at(Span::new(self.file, at.start, end.max(at.start + 1)), "this table's header row has no text")
                .with_help("name each column in the table's first row, `| Trust | Segment |`: screen readers read the name with every cell, and a paper's PDF marks it as the column's header");
            self.diagnostics.push(d);
        }
        use oversight_syntax::markdown::{MAX_NESTING, MAX_NOTE_DEPTH};
        if let Some(at) = &body.scan.too_deep {
            let d = DOCUMENT_LIMIT
                .at(
                    Span::new(self.file, at.start, at.start + 1),
                    format!("block quotes and lists nested more than {MAX_NESTING} deep"),
                )
                .with_help(format!(
                    "nest quotes and lists at most {MAX_NESTING} deep: check for a stray run of `>` or of indented `-`"
                ));
            self.diagnostics.push(d);
        }
        if let Some((label, at)) = &body.scan.note_too_deep {
            let d = DOCUMENT_LIMIT
                .at(Span::new(self.file, at.start, at.end), format!("footnote `[^{label}]` is cited from a chain of footnotes more than {MAX_NOTE_DEPTH} deep"))
                .with_help(format!("a PDF prints a footnote cited inside another inside it, at most {MAX_NOTE_DEPTH} deep: cite this note from the text, or shorten the chain"));
            self.diagnostics.push(d);
        }
    }

    /// The record's id: `id:` if given, else the file stem; reported if not a slug.
    fn resolve_id(&mut self, explicit: Option<&str>, stem: &str) -> String {
        match explicit {
            Some(id) => self.check_slug("id", id, "an id"),
            None if stem.len() > MAX_ID_LEN && is_slug(stem) => {
                self.diagnostics.push(too_long(
                    Span::file_start(self.file),
                    stem,
                    "rename the file, or give a shorter `id:`",
                ));
            }
            None if !is_slug(stem) => {
                let d = INVALID_ID
                    .at(Span::file_start(self.file), format!("the file name `{stem}` is not a valid id"))
                    .with_help(format!(
                        "rename the file to `{}` (lower-case letters, digits and hyphens), or add an `id:`",
                        slugify(stem)
                    ));
                self.diagnostics.push(d);
            }
            None => {}
        }
        explicit.unwrap_or(stem).to_string()
    }

    fn check_slug(&mut self, path: &str, value: &str, what: &str) {
        if !is_slug(value) {
            let d = INVALID_ID
                .at(self.value_span(path), format!("`{value}` is not valid as {what}"))
                .with_help(format!("use lower-case letters, digits and hyphens, e.g. `{}`", slugify(value)));
            self.diagnostics.push(d);
        } else if value.len() > MAX_ID_LEN {
            self.diagnostics.push(too_long(self.value_span(path), value, "shorten it"));
        }
    }

    fn value_span(&self, path: &str) -> Span {
        self.map.as_ref().and_then(|m| m.nearest(path)).map_or(Span::file_start(self.file), |e| e.value_span(self.file))
    }
}

/// What a [`Record::finish`] may do with the file being loaded: find where a value is and
/// report a problem there.
pub struct Finish<'a> {
    loader: &'a mut Loader,
}

impl Finish<'_> {
    /// Where the value at `path` of the record's YAML is (or its nearest recorded ancestor's).
    pub fn value_span(&self, path: &str) -> Span {
        self.loader.value_span(path)
    }

    /// Reports the value at `path` unless it is a slug of at most [`MAX_ID_LEN`] characters.
    pub fn check_slug(&mut self, path: &str, value: &str, what: &str) {
        self.loader.check_slug(path, value, what);
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.loader.diagnostics.push(d);
    }
}

/// Reads a file holding one YAML document as a `T`: its id from `id:` or the file name
/// `stem`, then [`Record::finish`].
pub(crate) fn yaml<T: Record>(cx: &mut Finish, stem: &str) -> Option<AnyRecord> {
    let mut record = cx.loader.parse_yaml::<T>(None, T::KIND.row().article)?;
    let id = cx.loader.resolve_id(record.explicit_id(), stem);
    record.identify(id, cx.loader.file);
    record.finish(cx);
    Some(record.into_any())
}

/// An id longer than [`MAX_ID_LEN`].
fn too_long(span: Span, id: &str, fix: &str) -> Diagnostic {
    INVALID_ID.at(span, format!("the id `{}…` is {} characters long", &id[..20.min(id.len())], id.len())).with_help(
        format!("{fix}: ids are at most {MAX_ID_LEN} characters, as they become file names and web addresses"),
    )
}

/// Parses `text[start..end]` of `file` as one YAML document into a `T`, with its source map.
/// `Ok(None)` if the document is empty (nothing but comments). Used for record files, front
/// matter and the options of generated blocks alike.
pub fn parse_yaml_at<T: DeserializeOwned>(
    file: FileId,
    text: &str,
    (start, end): (usize, usize),
) -> Result<Option<Mapped<T>>, Rejected<Mapped<T>>> {
    let yaml_text = &text[start..end];
    let rejected = |problems| Rejected { problems, without_unknown_keys: None };
    // YAML forbids C0 control characters but tab and line breaks; yaml_serde says so without
    // a position, so find the character here.
    if let Some((at, c)) = yaml_text.char_indices().find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        let span = Span::new(file, start + at, start + at + c.len_utf8());
        return Err(rejected(vec![
            YAML_SYNTAX.at(span, format!("control character U+{:04X} is not allowed in YAML", u32::from(c))).with_help(
                "remove it: it is usually left by a copy and paste or a binary file saved with a .yaml name",
            ),
        ]));
    }
    let map = yaml::scan(yaml_text, start).map_err(|err| {
        let e = syntax::explain(yaml_text, start, &err);
        let d = YAML_SYNTAX.at(Span::new(file, e.start, e.end), e.message).with_help(e.help);
        rejected(vec![match e.label {
            Some((s, end, label)) => d.with_label(Span::new(file, s, end), label),
            None => d,
        }])
    })?;
    if map.is_empty() {
        return Ok(None);
    }
    let result: Result<T, _> = serde_path_to_error::deserialize(yaml_serde::Deserializer::from_str(yaml_text));
    let err = match result {
        Ok(value) => return Ok(Some((value, map))),
        Err(err) => err,
    };
    let diagnostic = |err: &serde_path_to_error::Error<yaml_serde::Error>| {
        let fallback = err.inner().location().map(|l| start + l.index());
        serde_diagnostic(file, &map, (yaml_text, start), &err.path().to_string(), &err.inner().to_string(), fallback)
    };
    let mut problems = vec![diagnostic(&err)];
    // serde stops at the first problem. Every unknown key is worth reporting at once (two
    // typos in one file are common), so each is taken out of the document and it is read
    // again, until a problem of another kind; a missing field then is usually the typo's
    // own key and is not reported twice.
    let Ok(mut document) = yaml_serde::from_str::<yaml_serde::Value>(yaml_text) else {
        return Err(rejected(problems));
    };
    let mut without_unknown_keys = None;
    let mut last = err;
    for _ in 0..MAX_UNKNOWN_KEYS {
        // yaml_serde puts the path before nested messages: `segments[0]: unknown field …`.
        if !last.inner().to_string().contains("unknown field `") || !remove_at(&mut document, last.path()) {
            break;
        }
        match serde_path_to_error::deserialize::<_, T>(document.clone()) {
            Ok(value) => {
                without_unknown_keys = Some(value);
                break;
            }
            Err(err) => {
                let message = err.inner().to_string();
                if message.contains("unknown field `") || !message.contains("missing field `") {
                    problems.push(diagnostic(&err));
                }
                last = err;
            }
        }
    }
    Err(Rejected { problems, without_unknown_keys: without_unknown_keys.map(|value| (value, map)) })
}

/// A document read as a `T`, with its source map.
pub type Mapped<T> = (T, SourceMap);

/// Why a YAML document could not be read as a `T`: every problem found, and the document read
/// without its unknown keys when they were its only problem.
#[derive(Debug)]
pub struct Rejected<T> {
    pub problems: Vec<Diagnostic>,
    pub without_unknown_keys: Option<T>,
}

/// How many unknown keys of one document are reported.
const MAX_UNKNOWN_KEYS: usize = 50;

/// Takes the key at `path` (an unknown field's) out of `document`; false if it is not there.
fn remove_at(document: &mut yaml_serde::Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((Segment::Map { key }, parents)) = segments.split_last() else { return false };
    let mut node = document;
    for segment in parents {
        node = match (segment, node) {
            (Segment::Map { key }, yaml_serde::Value::Mapping(m)) => match m.get_mut(key.as_str()) {
                Some(child) => child,
                None => return false,
            },
            (Segment::Seq { index }, yaml_serde::Value::Sequence(s)) => match s.get_mut(*index) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match node {
        yaml_serde::Value::Mapping(m) => m.remove(key.as_str()).is_some(),
        _ => false,
    }
}

/// Turns a serde error at `path` into a located diagnostic. `yaml` is the document's text and
/// where it starts in the file, for quoting values as written.
fn serde_diagnostic(
    file: FileId,
    map: &SourceMap,
    (yaml, base): (&str, usize),
    path: &str,
    message: &str,
    fallback: Option<usize>,
) -> Diagnostic {
    // yaml_serde appends the position and prefixes the path; the diagnostic shows both itself.
    let message = message.split(" at line ").next().unwrap_or(message);
    let message = plain_words(message.strip_prefix(&format!("{path}: ")).unwrap_or(message));
    let value_at = |p: &str| map.get(p).map(|e| e.value_span(file));
    let key_at = |p: &str| map.get(p).filter(|e| e.key.is_some()).map(|e| e.key_span(file));
    let nearest = |p: &str| map.nearest(p).map(|e| e.key_span(file));
    let fallback = fallback.map(|o| Span::new(file, o, o)).unwrap_or(Span::file_start(file));
    // Name the key (`from`), or the whole path for a list element (`agenda[2]`).
    let field = if path.ends_with(']') { path } else { path.rsplit('.').next().unwrap_or(path) };
    // How messages name it: `from`, or "the first RSP episode's second entry criterion".
    let named = if path.ends_with(']') { readable_path(path) } else { format!("`{field}`") };
    let valid_what = if path.ends_with(']') { format!("value for {named}") } else { named.clone() };

    // libyaml refuses a tab after `- ` (which the source-map scan accepted) with no word of it.
    if message.contains("cannot start any token")
        && let Some(tab) = yaml.find('\t')
    {
        return YAML_SYNTAX
            .at(Span::new(file, base + tab, base + tab + 1), "a tab character, which YAML does not allow here")
            .with_help("replace the tab with a space: YAML separates and indents with spaces only");
    }
    if let Some(name) = backticked(&message, "unknown field `") {
        // The path may or may not already end at the unknown key.
        let key = if path.ends_with(name) { path.to_string() } else { key_path(path, name) };
        let span = key_at(&key).or_else(|| nearest(&key)).unwrap_or(fallback);
        let expected = expected_names(&message);
        let help = match closest(name, expected.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None if expected.is_empty() => "remove this key".to_string(),
            None => format!("valid keys here: {}", expected.join(", ")),
        };
        return UNKNOWN_FIELD.at(span, format!("unknown field `{name}`")).with_help(help);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let span = value_at(path).unwrap_or(fallback);
        let written = yaml.get(span.start.saturating_sub(base)..span.end.saturating_sub(base)).unwrap_or("").trim();
        let what = if written.is_empty() { found.to_string() } else { format!("`{written}`") };
        let help = if expected.contains("whole number") {
            format!("write `{field}` in digits, for example `{field}: 4`")
        } else if expected.contains("list") {
            format!("write `{field}` as a list: `{field}: [a, b]`, or one `- item` per line under it")
        } else if expected.contains("true or false") {
            format!("write `{field}: true` or `{field}: false`")
        } else {
            format!("see docs/record-format.md for what `{field}` holds")
        };
        return INVALID_VALUE.at(span, format!("{named} must be {expected}, but {what} is not")).with_help(help);
    }
    if let Some(name) = backticked(&message, "missing field `") {
        let span = key_at(path).or_else(|| value_at(path)).unwrap_or(fallback);
        let span = if path == "." { Span::new(file, span.start, span.start) } else { span };
        return INVALID_VALUE
            .at(span, format!("missing field `{name}`"))
            .with_help(format!("add `{name}:` here; see docs/record-format.md"));
    }
    if message.contains("more than one document") {
        let span = second_document(yaml).map_or(fallback, |at| Span::new(file, base + at, base + at + 3));
        return YAML_SYNTAX.at(span, "a second YAML document starts here").with_help("a record file holds one YAML document: remove this `---` line and what follows, or move it to its own file");
    }
    if message.contains("recursion limit exceeded") || message.contains("repetition limit exceeded") {
        return YAML_SYNTAX
            .at(fallback, message)
            .with_help("nesting or alias expansion this deep does not occur in records: simplify the YAML");
    }
    let span = value_at(path).unwrap_or(fallback);
    let raw = yaml.get(span.start.saturating_sub(base)..span.end.saturating_sub(base)).unwrap_or_default();
    if message == DECIMAL_MUST_BE_QUOTED {
        return INVALID_VALUE
            .at(
                span,
                format!(
                    "`{field}: {raw}` must be quoted: unquoted, YAML reads it as a number and drops trailing zeros"
                ),
            )
            .with_help(format!("write `{field}: \"{raw}\"`"));
    }
    if let Some(variant) = backticked(&message, "unknown variant `") {
        let expected = expected_names(&message);
        let (message, help) = match closest(variant, expected.iter().map(String::as_str)) {
            _ if variant.is_empty() => (format!("{named} is empty"), format!("write one of: {}", expected.join(", "))),
            Some(near) => (format!("`{variant}` is not a valid {valid_what}"), format!("did you mean `{near}`?")),
            None => {
                (format!("`{variant}` is not a valid {valid_what}"), format!("allowed values: {}", expected.join(", ")))
            }
        };
        return INVALID_VALUE.at(span, message).with_help(help);
    }
    if path == "." {
        return INVALID_VALUE
            .at(span, message)
            .with_help("a record file holds `key: value` lines, such as `name:` and `type:`");
    }
    INVALID_VALUE.at(span, format!("invalid {named}: {message}"))
}

/// Replaces Rust type names in serde's messages with words a record author uses.
fn plain_words(message: &str) -> String {
    let mut m = message.to_string();
    for (rust, plain) in [
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected a nonzero usize", "expected a whole number, 1 or more"),
        ("expected a sequence", "expected a list (`[a, b]`, or one `- item` per line)"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text"),
        ("invalid type: map", "invalid type: a mapping"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: unit value", "invalid type: an empty value"),
    ] {
        m = m.replace(rust, plain);
    }
    if let Some(at) = m.find("expected struct ") {
        m.truncate(at);
        m.push_str("expected `key: value` fields");
    }
    m
}

/// A path into a record as a person reads it: `rsp[0].criteria[1]` → "the first RSP
/// episode's second entry criterion". Keys without list indexes are left out, and a list
/// this does not know is named by its key.
fn readable_path(path: &str) -> String {
    const ORDINALS: [&str; 10] =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    let noun = |key: &str| match key {
        "rsp" => "RSP episode".to_string(),
        "segments" => "segment period".to_string(),
        "criteria" => "entry criterion".to_string(),
        "exit_criteria" => "exit criterion".to_string(),
        "agenda" => "agenda item".to_string(),
        "appendices" => "appendix".to_string(),
        "report_by" => "`report_by` entry".to_string(),
        "breaches" => "breach".to_string(),
        "undertakings" => "undertaking".to_string(),
        "variations" => "variation".to_string(),
        "services" => "service".to_string(),
        "sources" => "source".to_string(),
        other => format!("`{other}` item"),
    };
    let parts: Vec<String> = path
        .split('.')
        .filter_map(|segment| {
            let (key, index) = segment.split_once('[')?;
            let index: usize = index.trim_end_matches(']').parse().ok()?;
            let nth = ORDINALS.get(index).map_or(format!("number {}", index + 1), |o| o.to_string());
            Some(format!("{nth} {}", noun(key)))
        })
        .collect();
    if parts.is_empty() { path.to_string() } else { format!("the {}", parts.join("'s ")) }
}

/// Offset of the `---` line that starts a second document, if any.
fn second_document(yaml: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen_content = false;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if seen_content {
                return Some(offset);
            }
        } else if !trimmed.trim_start().is_empty() && !trimmed.trim_start().starts_with('#') {
            seen_content = true;
        }
        offset += line.len();
    }
    None
}

/// The text between `prefix` and the next backtick.
fn backticked<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    rest.find('`').map(|end| &rest[..end])
}

/// The names serde lists after "expected one of `a`, `b`" (or "expected `a`").
fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find("expected") else { return Vec::new() };
    message[at..].split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        assert_eq!(classify(Path::new("site.yaml")), Some(RecordKind::Site));
        assert_eq!(classify(Path::new("organisations/uhmb.yaml")), Some(RecordKind::Organisation));
        assert_eq!(classify(Path::new("organisations/uhmb.yml")), Some(RecordKind::Organisation));
        assert_eq!(classify(Path::new("organisations/sub/uhmb.yaml")), None);
        assert_eq!(classify(Path::new("pages/a/b/c.md")), Some(RecordKind::Page));
        assert_eq!(classify(Path::new("papers/x.md")), Some(RecordKind::Paper));
        assert_eq!(classify(Path::new("papers/x.pdf")), Some(RecordKind::Paper));
        assert_eq!(classify(Path::new("papers/x.docx")), Some(RecordKind::Paper));
        assert_eq!(classify(Path::new("papers/x.yaml")), Some(RecordKind::PaperDetails));
        assert_eq!(classify(Path::new("papers/x.doc")), None);
        assert_eq!(classify(Path::new("notes.txt")), None);
    }

    #[test]
    fn editor_litter() {
        for name in [".x.yaml.swp", "x.yaml~", "#x.yaml#", ".#x.yaml", "x.yaml___jb_tmp___", ".DS_Store", "4913.swx"] {
            assert!(is_editor_litter(name), "{name}");
        }
        assert!(!is_editor_litter("uhmb.yaml"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(expected_names("unknown field `x`, expected one of `a`, `b`"), ["a", "b"]);
        assert_eq!(expected_names("unknown field `x`, expected `a`"), ["a"]);
        assert_eq!(readable_path("rsp[0].criteria[1]"), "the first RSP episode's second entry criterion");
        assert_eq!(readable_path("agenda[11]"), "the number 12 agenda item");
        assert_eq!(readable_path("segments[2].from"), "the third segment period");
    }

    #[test]
    fn serde_type_names_become_plain_words() {
        assert_eq!(
            plain_words("invalid value: integer `0`, expected a nonzero usize"),
            "invalid value: integer `0`, expected a whole number, 1 or more"
        );
        assert_eq!(plain_words("invalid type: sequence, expected a string"), "invalid type: a list, expected text");
    }
}
