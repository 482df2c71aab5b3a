//! A loaded site that stays loaded: `oversight serve` keeps one between rebuilds, and a change
//! re-reads only the files it names. The register is patched in place and kept exactly as a
//! fresh load would make it (the same records in the same path order), so a preview never
//! differs from a build. Each update says what it changed ([`Changed`]), so the checks above
//! can re-run only what depends on it. A one-off load is the same thing, used once.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::load::{
    Entry, FileLoad, LoadError, discover, discover_private, is_editor_litter, load_file_from, missing_site_config,
};
use super::{PrivateFolder, Register};
use crate::kinds::{KINDS, RecordKind};
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::source::{FileId, SourceFile, Sources};

/// What one [`LoadedSite::update`] changed.
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// The files read again.
    pub reread: Vec<FileId>,
    /// Whether a record came, went, or changed its kind or id: what every reference resolves
    /// against.
    pub ids_changed: bool,
}

/// Whether a load reads the private papers' folder (site.yaml's `private:`): `check`, `papers`
/// and `minutes` do; what publishes (`build`, `serve`) or shares (`export`) does only when
/// asked to publish private content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// `content/` only.
    Public,
    /// `content/` and the private folder.
    WithPrivate,
}

/// Whether a load keeps every file's text for the life of the run, or releases a narrative
/// page's once what it holds has been taken from it (see [`SourceFile::release`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Kept: `serve`, `lsp` and `import` patch and re-check the loaded site, and an import's
    /// check may run on a copy deleted before its diagnostics are shown.
    Kept,
    /// Released where nothing more needs it: a one-shot `check` or `build`, whose memory
    /// then does not grow with the pages' text; rendering reads a page back from disk.
    Released,
}

/// The records and text of every file under `content/`, and the problems found reading them.
#[derive(Debug)]
pub struct LoadedSite {
    content: PathBuf,
    /// Shared with the checks and renders made from it; patched copy-on-write.
    pub sources: Arc<Sources>,
    pub register: Arc<Register>,
    /// Each file's problems, by file id.
    problems: Vec<Vec<Diagnostic>>,
    /// The id of every file now under `content/`, by its path there. A removed file's id is
    /// not reused: its text is emptied and nothing refers to it.
    ids: BTreeMap<PathBuf, FileId>,
    /// The empty stand-in `content/site.yaml` that a missing one is reported against.
    missing_site: Option<FileId>,
    /// Text that stands in front of what is on disk, by path under `content/`: the unsaved
    /// buffers of an editor (`oversight lsp`). Empty for every other command.
    overlay: BTreeMap<PathBuf, String>,
}

impl LoadedSite {
    /// Loads every file of the site in `site` (the folder holding `content/`), in parallel;
    /// file ids follow path order. The private folder is not read (see [`LoadedSite::load_reaching`]).
    pub fn load(site: &Path) -> Result<LoadedSite, LoadError> {
        LoadedSite::load_reaching(site, Reach::Public)
    }

    /// Loads the site, and with [`Reach::WithPrivate`] the papers of the private folder that
    /// site.yaml names too (after those of `content/`; a change to them is not taken in by
    /// [`LoadedSite::update`], which only `serve` and `lsp` use).
    pub fn load_reaching(site: &Path, reach: Reach) -> Result<LoadedSite, LoadError> {
        LoadedSite::load_with(site, reach, Texts::Kept)
    }

    /// [`LoadedSite::load_reaching`], keeping or releasing the pages' text.
    pub fn load_with(site: &Path, reach: Reach, texts: Texts) -> Result<LoadedSite, LoadError> {
        let content = site.join("content");
        if !content.is_dir() {
            return Err(LoadError::NoContent(site.to_path_buf()));
        }
        let entries = discover(&content, &content)?;
        let mut live = LoadedSite {
            content,
            sources: Arc::default(),
            register: Arc::default(),
            problems: Vec::with_capacity(entries.len()),
            ids: BTreeMap::new(),
            missing_site: None,
            overlay: BTreeMap::new(),
        };
        let sources = Arc::make_mut(&mut live.sources);
        let register = Arc::make_mut(&mut live.register);
        // Room for every file and page at once: grown by doubling, the two longest lists
        // were up to half empty at the peak (a 50,000-page build: ~8 MB).
        sources.reserve(entries.len());
        register.pages.reserve_exact(entries.iter().filter(|e| e.kind() == Some(RecordKind::Page)).count());
        // Read in parallel a batch at a time, each taken in before the next is read: what is
        // read is held twice until it is taken in, and holding all of it at once (~700 bytes
        // a file) made the load's peak 34 MB higher at 50,000 pages.
        let mut ids = Vec::with_capacity(entries.len());
        for (batch, chunk) in entries.chunks(LOAD_BATCH).enumerate() {
            let first = batch * LOAD_BATCH;
            let loads: Vec<FileLoad> = chunk
                .par_iter()
                .enumerate()
                .map(|(i, e)| load_file_from(FileId::from_index(first + i), e, None, texts))
                .collect();
            for (entry, load) in chunk.iter().zip(loads) {
                ids.push((entry.rel().to_path_buf(), take_in(load, sources, register, &mut live.problems)));
            }
        }
        // Built in one go from the pairs in path order, rather than by an insert per file:
        // at tens of thousands of files the inserts' path comparisons were serial time.
        live.ids = ids.into_iter().collect();
        live.note_missing_site();
        live.load_private(reach, texts)?;
        let register = Arc::make_mut(&mut live.register);
        register.reindex();
        register.resolve_standing_items();
        register.attach_details();
        Ok(live)
    }

    /// Reads the papers of the private folder that site.yaml names (it has been read), with
    /// [`Reach::WithPrivate`]; either way records what the register has of it. Its files take
    /// the ids after `content/`'s and have no id by path: [`LoadedSite::update`] leaves them.
    fn load_private(&mut self, reach: Reach, texts: Texts) -> Result<(), LoadError> {
        let PrivateFolder::Unread { root, missing } = self.unread_private() else { return Ok(()) };
        let named = self.register.site.private.clone().unwrap_or_default();
        if reach == Reach::Public || missing {
            Arc::make_mut(&mut self.register).private = PrivateFolder::Unread { root, missing };
            return Ok(());
        }
        let entries = discover_private(&root, &named)?;
        let first = self.sources.len();
        let loads: Vec<FileLoad> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| load_file_from(FileId::from_index(first + i), e, None, texts))
            .collect();
        let sources = Arc::make_mut(&mut self.sources);
        let register = Arc::make_mut(&mut self.register);
        let files = loads.into_iter().map(|load| take_in(load, sources, register, &mut self.problems)).collect();
        register.private = PrivateFolder::Read { root, files };
        Ok(())
    }

    /// What the register has of the private folder that site.yaml names when it is not read.
    fn unread_private(&self) -> PrivateFolder {
        match self.register.site.private.as_deref().filter(|p| !p.trim().is_empty()) {
            None => PrivateFolder::Unnamed,
            Some(named) => {
                let root = self.site_dir().join(named);
                let missing = !root.is_dir();
                PrivateFolder::Unread { root, missing }
            }
        }
    }

    /// site.yaml may have named, renamed or dropped the private folder since the load: a folder
    /// that was not read is noted again, as a fresh load would. One that was read keeps its
    /// papers (they are not live-updated).
    fn renote_private(&mut self) {
        if matches!(self.register.private, PrivateFolder::Read { .. }) {
            return;
        }
        let private = self.unread_private();
        if self.register.private != private {
            Arc::make_mut(&mut self.register).private = private;
        }
    }

    /// The site folder: the one holding `content/`.
    pub fn site_dir(&self) -> &Path {
        self.content.parent().unwrap_or(Path::new("."))
    }

    /// Every problem found reading the files, in no particular order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.problems.iter().flatten().cloned().collect();
        all.extend(self.missing_site.map(missing_site_config));
        all
    }

    /// Puts `text` in front of the file at `path` (an absolute path under `content/`, which
    /// need not exist on disk yet), or with `None` goes back to what is on disk; then takes the
    /// change in as [`LoadedSite::update`] does. A path outside `content/` is passed over.
    pub fn set_overlay(&mut self, path: &Path, text: Option<String>) -> Result<Changed, LoadError> {
        let Ok(rel) = path.strip_prefix(&self.content) else { return Ok(Changed::default()) };
        match text {
            Some(text) => self.overlay.insert(rel.to_path_buf(), text),
            None => self.overlay.remove(rel),
        };
        self.update(&[path.to_path_buf()])
    }

    /// The text of the file at `path` under `content/` that stands in front of the disk, if any.
    pub fn overlay(&self, path: &Path) -> Option<&str> {
        self.overlay.get(path.strip_prefix(&self.content).ok()?).map(String::as_str)
    }

    /// Takes in changes to these paths (files or folders, changed, created or removed; paths
    /// outside `content/` are not records and are passed over).
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Changed, LoadError> {
        let mut load: BTreeMap<PathBuf, Entry> = BTreeMap::new();
        let mut gone: BTreeSet<PathBuf> = BTreeSet::new();
        for path in changed {
            let Ok(rel) = path.strip_prefix(&self.content) else { continue };
            if rel.iter().any(|part| part.to_str().is_some_and(is_editor_litter)) {
                continue;
            }
            // A folder that was removed or renamed takes the files under it with it; any
            // that are still there are found again below.
            let known: Vec<PathBuf> = self
                .ids
                .range(rel.to_path_buf()..)
                .map(|(p, _)| p)
                .take_while(|p| p.starts_with(rel))
                .cloned()
                .collect();
            gone.extend(known);
            let found = match fs::symlink_metadata(path) {
                _ if self.overlay.contains_key(rel) => Entry::new(&self.content, path, true).into_iter().collect(),
                Ok(meta) if meta.is_dir() => discover(&self.content, path)?,
                Ok(meta) => Entry::new(&self.content, path, meta.is_file()).into_iter().collect(),
                Err(_) => Vec::new(),
            };
            for entry in found {
                gone.remove(entry.rel());
                load.insert(entry.rel().to_path_buf(), entry);
            }
        }

        let sources = Arc::make_mut(&mut self.sources);
        let register = Arc::make_mut(&mut self.register);
        for rel in &gone {
            if let Some(file) = self.ids.remove(rel) {
                register.remove_file(file);
                sources.replace(file, SourceFile::new(sources.path(file).to_path_buf(), String::new()));
                self.problems[file.0 as usize].clear();
            }
        }
        // New files take the next ids; known files keep theirs.
        let jobs: Vec<(FileId, Entry)> = load
            .into_values()
            .map(|entry| {
                let file = match self.ids.get(entry.rel()) {
                    Some(&file) => file,
                    None => {
                        let file = sources.add(entry.display(), String::new());
                        self.problems.push(Vec::new());
                        self.ids.insert(entry.rel().to_path_buf(), file);
                        file
                    }
                };
                (file, entry)
            })
            .collect();
        let overlay = &self.overlay;
        let loads: Vec<(FileId, FileLoad)> = jobs
            .par_iter()
            .map(|(file, e)| (*file, load_file_from(*file, e, overlay.get(e.rel()).map(String::as_str), Texts::Kept)))
            .collect();
        // Ids are looked up through indexes by position. A file read again that still holds a
        // record of the same kind and id keeps its place (path order), so they stay valid.
        let before: Vec<(FileId, Option<(RecordKind, String)>)> =
            loads.iter().map(|(file, _)| (*file, register.identity(*file))).collect();
        for (file, load) in loads {
            register.remove_file(file);
            sources.replace(file, load.source);
            self.problems[file.0 as usize] = load.diagnostics;
            if let Some(map) = load.map {
                register.maps.insert(file, map);
            }
            if let Some(unreadable) = load.unreadable {
                register.unreadable.insert(file, unreadable);
            }
            if let Some(record) = load.record {
                register.insert(record, sources);
            }
        }
        let kept =
            gone.is_empty() && before.iter().all(|(file, was)| was.is_some() && register.identity(*file) == *was);
        if !kept {
            register.reindex();
        }
        // A standing item's minutes and title come from other meetings and papers, and a PDF
        // paper's title and details from other files (its meeting, its .yaml).
        register.resolve_standing_items();
        if register.papers.iter().any(|p| p.attachment().is_some()) {
            register.attach_details();
        }
        self.note_missing_site();
        self.renote_private();
        Ok(Changed { reread: before.into_iter().map(|(file, _)| file).collect(), ids_changed: !kept })
    }

    /// Remembers (once) an empty stand-in file while content/site.yaml is missing.
    fn note_missing_site(&mut self) {
        if self.ids.contains_key(Path::new("site.yaml")) {
            self.missing_site = None;
        } else if self.missing_site.is_none() {
            let sources = Arc::make_mut(&mut self.sources);
            self.missing_site = Some(sources.add(PathBuf::from("content/site.yaml"), String::new()));
            self.problems.push(Vec::new());
        }
    }
}

/// How many files a load reads in parallel before taking them in: enough that the two
/// threads' shares stay even, few enough that what waits to be taken in is small.
const LOAD_BATCH: usize = 1024;

/// Adds one file read at a load, the next in id order, with what was read from it.
fn take_in(
    load: FileLoad,
    sources: &mut Sources,
    register: &mut Register,
    problems: &mut Vec<Vec<Diagnostic>>,
) -> FileId {
    let file = sources.push(load.source);
    problems.push(load.diagnostics);
    if let Some(map) = load.map {
        register.maps.insert(file, map);
    }
    if let Some(unreadable) = load.unreadable {
        register.unreadable.insert(file, unreadable);
    }
    if let Some(record) = load.record {
        register.push(record);
    }
    file
}

impl Register {
    /// Drops whatever record file `file` held, and its source map.
    pub(crate) fn remove_file(&mut self, file: FileId) {
        for kind in &KINDS {
            (kind.remove)(self, file);
        }
        self.maps.remove(&file);
        self.unreadable.remove(&file);
    }

    /// The kind and id of the record `file` holds, if it holds one with an id.
    fn identity(&self, file: FileId) -> Option<(RecordKind, String)> {
        KINDS.iter().find_map(|kind| (kind.id_in)(self, file).map(|id| (kind.kind, id.to_string())))
    }
}
