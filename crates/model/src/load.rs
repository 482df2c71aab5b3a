//! Loading a site: walk `content/`, classify each file by the kinds table, and read it into
//! the typed [`Register`]: YAML records through their kind's reader, pages and papers with
//! their front matter and Markdown, and papers written elsewhere as PDF. Every record-format
//! problem is a located diagnostic.
//!
//! How one YAML document becomes a typed value, with its problems located, is
//! [`crate::reader`]'s.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::{AnyRecord, Body, Page, Paper, PaperDetails, PaperSource, is_slug, slugify};
use crate::attached::{Attachment, Given};
use crate::config::SiteConfig;
use crate::format::{
    DOCUMENT_LIMIT, INVALID_ID, INVALID_VALUE, LINKED_CONTENT, MISSING_TEXT, UNEXPECTED_FILE, UNREADABLE_FILE,
    YAML_SYNTAX,
};
use crate::kinds::{Load, RecordKind, classify};
use crate::live::Texts;
use crate::nhs_number;
use crate::reader::MAX_ID_LEN;
use crate::reader::{Finish, Loader, too_long};
use crate::word::{self, WordProblem};
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::source::yaml::SourceMap;
use oversight_syntax::source::{FileId, SourceFile, Span, decode, front_matter};
use oversight_syntax::suggest::closest;

/// No record is anywhere near this large; a bigger file is refused rather than parsed.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// PDF and Word papers may be larger than any record (scanned pages, pictures), but a board
/// pack is read on screens and tablets: past this, the file is refused.
const MAX_ATTACHED_BYTES: u64 = 64 * 1024 * 1024;

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

/// The journal of an import renaming its files into place, in `content/`: while it is there,
/// the import was interrupted and the next one finishes it.
pub const IMPORT_JOURNAL: &str = ".oversight-import-journal";

/// How an import names a file it has written but not yet renamed into place: `.NAME` and this.
pub const IMPORT_PARTIAL: &str = ".import-partial";

/// A file an interrupted `oversight import` left: its journal, or a file not yet in place.
/// Never content, but never passed over in silence either: `check` reports it and the next
/// import finishes or removes it.
pub fn is_import_leftover(name: &str) -> bool {
    name == IMPORT_JOURNAL || (name.starts_with('.') && name.ends_with(IMPORT_PARTIAL))
}

/// Files that editors and operating systems leave beside the real ones; never content.
pub fn is_editor_litter(name: &str) -> bool {
    (name.starts_with('.') && !is_import_leftover(name))
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
    /// Its path under `content/` (or the private folder), which decides its kind and (for
    /// pages) its id.
    rel: PathBuf,
    /// What diagnostics name the folder it is in: `content`, or site.yaml's `private:` value.
    label: PathBuf,
}

impl Entry {
    /// The entry for the file at `path` under the `content` folder (`is_file`: a regular file),
    /// or `None` if it is left out: a site's own assets may sit beside its pages, so unknown
    /// files under `pages/` are not reported, nor pictures under `papers/`.
    pub fn new(content: &Path, path: &Path, is_file: bool) -> Option<Entry> {
        let rel = path.strip_prefix(content).unwrap_or(path).to_path_buf();
        let kind = classify(&rel);
        let leftover = rel.file_name().and_then(|n| n.to_str()).is_some_and(is_import_leftover);
        // Pictures may sit beside the papers that show them (see [`crate::images`]).
        let picture = rel
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| crate::images::EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if kind.is_none() && !leftover && (rel.starts_with("pages") || (rel.starts_with("papers") && picture)) {
            return None;
        }
        // A symbolic link or other special file is never read as a record: it is reported.
        let kind = kind.filter(|_| is_file);
        Some(Entry { kind, path: path.to_path_buf(), rel, label: PathBuf::from("content") })
    }

    /// How diagnostics name the file: `content/organisations/uhmb.yaml`, or for a file of the
    /// private folder its path from the site folder as site.yaml gives it
    /// (`../board-private/papers/contract.md`).
    pub fn display(&self) -> PathBuf {
        self.label.join(&self.rel)
    }

    pub fn rel(&self) -> &Path {
        &self.rel
    }

    /// The kind of record it holds, by its place; `None` for a file that holds none (a
    /// picture, site.yaml).
    pub fn kind(&self) -> Option<RecordKind> {
        self.kind
    }

    /// For a paper written elsewhere, what kind of file it is.
    fn given(&self) -> Option<Given> {
        let ext = self.rel.extension().and_then(|e| e.to_str())?;
        Given::from_extension(ext).filter(|_| self.kind == Some(RecordKind::Paper))
    }

    /// The folder whose `.oversight-cache/` keeps what is made from this file (a Word paper's
    /// PDF): the site folder, the one holding `content/`; for a private paper the private
    /// folder, so that nothing made from it is kept in the published repository's folder.
    fn site(&self) -> &Path {
        let up = if self.label == Path::new("content") { 1 } else { 0 };
        self.path.ancestors().nth(self.rel.components().count() + up).unwrap_or(Path::new("."))
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

/// The files of the private folder `root` (site.yaml's `private:`, named in diagnostics as
/// `label`): those under its `papers/`, in path order. Only papers are private there: a
/// private meeting's agenda stays in `content/`, as the public agenda's resolution to exclude
/// the public is made from it.
pub(crate) fn discover_private(root: &Path, label: &str) -> Result<Vec<Entry>, LoadError> {
    let papers = root.join("papers");
    if !papers.is_dir() {
        return Ok(Vec::new());
    }
    let mut entries = discover(root, &papers)?;
    for entry in &mut entries {
        entry.label = PathBuf::from(label);
    }
    Ok(entries)
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
pub(crate) fn missing_site_config(file: FileId) -> Diagnostic {
    UNREADABLE_FILE
        .at(Span::file_start(file), "content/site.yaml is missing")
        .with_help("create content/site.yaml with at least `title:`")
}

/// One file, loaded on its own: its text, the record it holds if it parsed, the record's
/// source map, and the problems found. Depends on no other file, so files load in parallel
/// and `serve` reloads only the ones that changed.
#[derive(Debug)]
pub(crate) struct FileLoad {
    /// Its text, under the path diagnostics name it by (`content/organisations/uhmb.yaml`).
    pub source: SourceFile,
    pub record: Option<AnyRecord>,
    pub map: Option<SourceMap>,
    pub diagnostics: Vec<Diagnostic>,
    /// The kind and id of the record the file should hold, if it could not be read as one:
    /// references to it are not reported again (the file's own problem is the cause).
    pub unreadable: Option<(RecordKind, String)>,
}

/// Reads and parses the file of `entry`, as file `file`: its text on disk, or `unsaved` when
/// given (an editor's buffer not saved yet, `oversight lsp`). A PDF or Word paper is always
/// read from disk: it has no text to edit.
///
/// With [`Texts::Released`], a narrative page whose text nothing needs again is released: it
/// loaded without a problem, has no generated blocks (checked later from the text) and no NHS
/// number (reported later from the text), and its links, images and excerpt are taken.
pub(crate) fn load_file_from(file: FileId, entry: &Entry, unsaved: Option<&str>, texts: Texts) -> FileLoad {
    let mut loader = Loader { file, text: "".into(), map: None, diagnostics: Vec::new(), hash: None };
    let mut record = match (entry.kind, entry.given()) {
        (Some(_), Some(given)) => loader.attached(entry, given),
        (Some(kind), None) => loader.read(&entry.path, unsaved).then(|| loader.record(kind, &entry.rel)).flatten(),
        (None, _) if entry.rel.file_name().and_then(|n| n.to_str()).is_some_and(is_import_leftover) => {
            let d = UNEXPECTED_FILE
                .at(Span::file_start(file), "an `oversight import` was interrupted: this file is one it left")
                .with_help("run `oversight import` again (any spreadsheet, or the same one): it finishes the interrupted import if all its files were written, else removes what it left");
            loader.diagnostics.push(d);
            None
        }
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
    // Read here, in parallel and once per file read, rather than by the check (OVS704).
    source.free_of_nhs_numbers = nhs_number::find(source.text()).is_empty();
    if let Some(AnyRecord::Page(page)) = &mut record
        && texts == Texts::Released
        && unsaved.is_none()
        && loader.diagnostics.is_empty()
        && page.body.scan.blocks.is_empty()
        && source.free_of_nhs_numbers
    {
        page.body.release();
        source.release(entry.path.clone());
    }
    FileLoad { source, record, map: loader.map, diagnostics: loader.diagnostics, unreadable }
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
        // A Word file is read before LibreOffice sees it: one that links content from outside
        // (a path or a URL) is refused before LibreOffice could fetch it.
        let word_inspection = match given {
            Given::Pdf => None,
            Given::Word => {
                let read = crate::inspect::docx::inspect(&bytes);
                if let Some(why) = &read.inspection.unreadable {
                    let d = refuse(
                        format!("this Word file cannot be read to check what it holds before it is published: {why}"),
                        format!(
                            "open it in Word or LibreOffice and save it again as .docx, or save it as PDF, content/papers/{id}.pdf, in place of the .docx"
                        ),
                    );
                    self.diagnostics.push(d);
                    return None;
                }
                if !read.linked.is_empty() {
                    let d = LINKED_CONTENT
                        .at(at, format!("this Word file links content from outside it, which would be fetched into the published PDF: {}", read.linked.join("; ")))
                        .with_help("embed the content instead (Word: File > Info > Edit Links to Files > Break Link; a picture inserted without \"Link to File\"), and save again");
                    self.diagnostics.push(d);
                    return None;
                }
                Some(read.inspection)
            }
        };
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
            Ok(mut attachment) => {
                if let Some(inspection) = word_inspection {
                    attachment.inspection = std::sync::Arc::new(inspection);
                }
                Some(AnyRecord::Paper(Paper::attached(id, self.file, attachment)))
            }
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
            Load::Yaml(load) => return load(&mut Finish { loader: self }, &stem, kind.row().article),
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
                if page.summary.is_none() {
                    page.excerpt = crate::excerpt(body.text());
                }
                page.body = body;
                AnyRecord::Page(page)
            }
            Load::Paper => {
                let (mut paper, body) = self.parse_markdown::<Paper>("a board paper")?;
                self.check_body(&body);
                paper.id = self.resolve_id(None, &stem);
                paper.file = file;
                paper.source = PaperSource::Markdown(Box::new(body));
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
            self.text = text.strip_prefix('\u{feff}').unwrap_or(text).into();
            return true;
        }
        let bytes = match read_at_most(path, MAX_FILE_BYTES) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(len)) => {
                let d = refuse(
                    0,
                    format!("file is {} MiB; records are at most 16 MiB", len / (1024 * 1024)),
                    "split the file or remove what does not belong in a record",
                );
                self.diagnostics.push(d);
                return false;
            }
            Err(err) => {
                let d = refuse(0, format!("cannot read the file: {err}"), "check the file's permissions");
                self.diagnostics.push(d);
                return false;
            }
        };
        let decoded = decode(bytes);
        self.text = decoded.text.into();
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

    /// Parses a Markdown file's front matter as a `T`, returning it with the body.
    fn parse_markdown<T: DeserializeOwned>(&mut self, what: &str) -> Option<(T, Body)> {
        let file = self.file;
        match front_matter::split(&self.text) {
            Ok(Some(split)) => {
                let value = self.parse_yaml(Some((split.yaml_start, split.yaml_end)), what)?;
                let body = Body::in_file(self.text.clone(), split.body_start);
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
        use oversight_syntax::markdown::{MAX_NESTING, MAX_NOTE_DEPTH, MAX_PDF_TEXT};
        for (what, at) in &body.scan.too_long {
            let line_end = self.text[at.clone()].find('\n').map_or(at.end, |n| at.start + n);
            let d = DOCUMENT_LIMIT
                .at(Span::new(self.file, at.start, line_end.max(at.start + 1)), format!("this {what} is longer than {MAX_PDF_TEXT} characters"))
                .with_help(format!(
                    "a PDF holds a {what} as one piece of text, at most {MAX_PDF_TEXT} characters here: shorten it (a long description belongs in the text, after the image; a long address, behind a shorter one)"
                ));
            self.diagnostics.push(d);
        }
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
}

/// The bytes of the file at `path`, or its length if that is more than `max`. One open file
/// answers both, without looking the path up twice (a build reads thousands of files), and a
/// file that grows past `max` while it is read is refused all the same.
fn read_at_most(path: &Path, max: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(Err(len));
    }
    // One byte more than the size, so the read that meets the end has room to report it.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(max + 1).read_to_end(&mut bytes)?;
    Ok(if bytes.len() as u64 > max { Err(bytes.len() as u64) } else { Ok(bytes) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_length() {
        let dir = std::env::temp_dir().join(format!("oversight-read-at-most-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("org.yaml");
        fs::write(&path, "name: x\n").unwrap();
        assert_eq!(read_at_most(&path, 8).unwrap(), Ok(b"name: x\n".to_vec()));
        assert_eq!(read_at_most(&path, 7).unwrap(), Err(8));
        assert!(read_at_most(&dir.join("missing.yaml"), 8).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

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
        // What an interrupted import leaves is reported, not passed over.
        for name in [".uhmb.yaml.import-partial", ".oversight-import-journal"] {
            assert!(is_import_leftover(name) && !is_editor_litter(name), "{name}");
        }
    }
}
