//! The static website: `oversight build`. Pages are listed ([`pages`]), rendered with Tera in
//! parallel, and written with the theme's assets, feeds and data downloads into a staged
//! folder that replaces the output only when everything has been written ([`crate::output`]).

pub mod deps;
pub mod feeds;
pub mod pages;
pub mod templates;
pub mod urls;
pub mod views;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::check::Checked;
use crate::hash::{self, Map};
use crate::model::{Page, Register};
use crate::output::{OutputError, Staged};
use crate::timeline::{episodes, svg};
use pages::Site;
use urls::Urls;

/// What `oversight build` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub output: PathBuf,
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Also typeset board papers and packs as PDF, and link them.
    pub papers: bool,
    /// Publish private meetings and the papers only they present (never the default).
    pub private: bool,
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Report {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
}

#[derive(Debug)]
pub enum BuildError {
    /// The base URL cannot be used.
    BaseUrl(String),
    /// A template failed to parse or render; the message names it.
    Template(String),
    /// A paper or pack could not be typeset.
    Paper(crate::papers::PaperError),
    Output(OutputError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::BaseUrl(m) => write!(f, "base_url: {m}"),
            BuildError::Template(m) => write!(f, "template error: {m}"),
            BuildError::Paper(e) => write!(f, "{e}"),
            BuildError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> BuildError {
        BuildError::Output(e)
    }
}

/// The theme's files, built in.
const ASSETS: &[(&str, &str)] = &[
    ("assets/style.css", include_str!("../../themes/nhs/style.css")),
    ("assets/site.js", include_str!("../../themes/nhs/site.js")),
];

/// What a render produced, besides the files it handed on.
pub struct Rendered {
    /// Files made: pages, feeds, downloads and assets.
    pub files: usize,
    pub pages: usize,
    /// Pages whose HTML was rendered this time (the rest came from the cache).
    pub rendered: usize,
    /// With a cache: the files the previous render through it made and this one does not.
    pub removed: Vec<String>,
}

/// Receives files of a render as soon as they are made, from any thread: a build writes each
/// to disk at once, so the pages of a large site are never all in memory together.
pub type Emit<'a> = dyn Fn(String, Arc<Vec<u8>>) -> Result<(), BuildError> + Sync + 'a;

/// What one render leaves for the next in a `serve` session, so the next renders again only
/// the pages whose template or inputs changed ([`deps`]) and hands on only what differs.
#[derive(Default)]
pub struct PageCache {
    /// The compiled templates, by the hash of their text.
    tera: Option<(u64, Arc<tera::Tera>)>,
    /// The last render's pages, by [`pages::Job::slot`].
    pages: Map<u64, Made>,
    /// Files besides pages made from the whole site (the sitemap, the timeline's data), by path
    /// with the key of their inputs.
    kept: Kept,
    /// The last render's files besides pages, by path.
    others: Map<String, Arc<Vec<u8>>>,
    search: feeds::SearchMemo,
    /// [`Site::published_order`], by a hash of what it depends on.
    published: Option<(u64, Vec<usize>)>,
}

/// A page the last render made: the key of its inputs, and where it went.
struct Made {
    key: u64,
    path: String,
}

/// Renders the whole site. Without a cache every file goes to `emit`. With one, pages whose
/// template and inputs are unchanged since the last render through it are not even listed with
/// their paths, and only files that differ from that render go to `emit`: the caller applies
/// them and [`Rendered::removed`] to what it holds from the last render.
pub fn render(
    site_dir: &Path,
    checked: &Checked,
    options: &Options,
    cache: Option<&mut PageCache>,
    emit: &Emit,
) -> Result<Rendered, BuildError> {
    let base =
        options.base_url.clone().or_else(|| checked.register.site.base_url.clone()).unwrap_or_else(|| "/".into());
    let urls = Urls::new(&base).map_err(BuildError::BaseUrl)?;
    let register = &*shown(&checked.register, options.private);
    let mut cache = cache;
    let texts = templates::read(site_dir).map_err(BuildError::Template)?;
    let tera = match cache.as_deref().and_then(|c| c.tera.clone()).filter(|(hash, _)| *hash == texts.hash) {
        Some((_, tera)) => tera,
        None => Arc::new(templates::compile(&texts).map_err(BuildError::Template)?),
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.tera = Some((texts.hash, Arc::clone(&tera)));
    }
    let published = published(register, options.drafts, cache.as_deref_mut());
    let related = views::Related::index(register, &published);
    let site = Site {
        register,
        sources: &checked.sources,
        urls: &urls,
        as_of: checked.as_of,
        drafts: options.drafts,
        pdfs: options.papers,
        global: hash::of(&(texts.hash, checked.as_of, options.drafts, options.papers, &base)),
        pages: published,
        related: &related,
    };

    let inputs = deps::Inputs::new(register, &checked.sources, &site.pages, &related, site.global);
    let jobs = site.jobs(&inputs);
    let (cached, mut kept, search) = match cache.as_deref_mut() {
        Some(c) => (Some(&c.pages), Some(&mut c.kept), Some(&mut c.search)),
        None => (None, None, None),
    };
    // The pages, and beside them the other files: an edit renders few pages, and the search
    // index and the timeline's data need not wait for them.
    let render_pages = || -> Result<Vec<Option<(u64, Made)>>, BuildError> {
        // Every key covers the templates (through `global`), so a template change misses them all.
        jobs.par_iter()
            .map(|job| {
                let key = hash::of(&(job.template, job.deps));
                if cached.and_then(|pages| pages.get(&job.slot)).is_some_and(|made| made.key == key) {
                    return Ok(None);
                }
                let path = job.path().into_owned();
                let html = tera.render(job.template, &site.context_of(job)).map_err(|e| {
                    let origin = templates::origin(site_dir, job.template);
                    BuildError::Template(format!("{origin} (rendering {path}): {}", templates::chain(&e)))
                })?;
                let bytes = Arc::new(html.into_bytes());
                match cached {
                    // With a cache: the page rendered now, with its key (see deps.rs).
                    Some(_) => {
                        emit(path.clone(), bytes)?;
                        Ok(Some((job.slot, Made { key, path })))
                    }
                    None => emit(path, bytes).map(|()| None),
                }
            })
            .collect()
    };
    // In `serve`, the files made from every page or record are kept between renders by the
    // key of their inputs, like pages.
    let other_files = || -> Result<Files, BuildError> {
        let rows = std::cell::OnceCell::new();
        let rows = || rows.get_or_init(|| episodes::rows(register, checked.as_of));
        let timeline = inputs.key(("timeline data", inputs.records));
        let sitemap = || -> Vec<u8> {
            let paths: Vec<Cow<str>> = jobs.iter().filter(|j| j.in_sitemap).map(|j| j.path()).collect();
            let paths: Vec<&str> = paths.iter().map(|p| p.trim_end_matches("index.html")).collect();
            feeds::sitemap(&urls, &paths).into_bytes()
        };
        // Slots stand for paths, so the same slots in the same order make the same sitemap.
        let sitemap_key = inputs.key(("sitemap", hash::all(jobs.iter().filter(|j| j.in_sitemap).map(|j| j.slot))));
        let atom_key = inputs.key(("atom", inputs.records, hash::all(feeds::atom_pages(&site).iter().map(|p| p.head))));
        let mut files = vec![
            keep(kept.as_deref_mut(), "timeline/episodes.csv", timeline, || episodes::to_csv(rows()).into_bytes()),
            keep(kept.as_deref_mut(), "timeline/episodes.json", timeline, || {
                feeds::web_json(&episodes::to_json(rows(), checked.as_of)).into_bytes()
            }),
            keep(kept.as_deref_mut(), "timeline/timeline.svg", timeline, || {
                svg::render(register, &svg::Options::new(checked.as_of)).into_bytes()
            }),
            keep(kept.as_deref_mut(), "sitemap.xml", sitemap_key, sitemap),
            keep(kept, "atom.xml", atom_key, || feeds::atom(&site).into_bytes()),
            ("robots.txt".into(), Arc::new(feeds::robots(&urls).into_bytes())),
        ];
        let records = inputs.key(("search", inputs.records, inputs.papers));
        files.push(("search/index.json".into(), Arc::new(feeds::search_index(&site, records, search).into_bytes())));
        if options.papers {
            files
                .extend(pdfs(site_dir, checked, register, &urls)?.into_iter().map(|(path, pdf)| (path, Arc::new(pdf))));
        }
        for (path, text) in ASSETS {
            let bytes = theme_file(site_dir, checked, path).unwrap_or_else(|| text.as_bytes().to_vec());
            files.push((path.to_string(), Arc::new(bytes)));
        }
        Ok(files)
    };
    let (fresh, files) = rayon::join(render_pages, other_files);
    let (fresh, files) = (fresh?, files?);
    let count = jobs.len() + files.len();
    let Some(cache) = cache else {
        files.into_par_iter().try_for_each(|(path, bytes)| emit(path, bytes))?;
        return Ok(Rendered { files: count, pages: jobs.len(), rendered: jobs.len(), removed: Vec::new() });
    };

    let fresh: Vec<(u64, Made)> = fresh.into_iter().flatten().collect();
    let rendered = fresh.len();
    let removed = cache.settle(&jobs, fresh, files, emit)?;
    Ok(Rendered { files: count, pages: jobs.len(), rendered, removed })
}

impl PageCache {
    /// Takes in a render once everything is made: its freshly rendered pages, and its other
    /// files, of which those that changed are handed on. Returns the paths of the last
    /// render's files that this one no longer has.
    fn settle(
        &mut self,
        jobs: &[pages::Job],
        fresh: Vec<(u64, Made)>,
        files: Files,
        emit: &Emit,
    ) -> Result<Vec<String>, BuildError> {
        self.pages.extend(fresh);
        let mut removed = Vec::new();
        // Slots are unique, so a cache holding as many pages as this render holds no others.
        if self.pages.len() != jobs.len() {
            let slots: std::collections::HashSet<u64> = jobs.iter().map(|j| j.slot).collect();
            self.pages.retain(|slot, made| {
                let keep = slots.contains(slot);
                if !keep {
                    removed.push(std::mem::take(&mut made.path));
                }
                keep
            });
        }
        let mut others = Map::with_capacity_and_hasher(files.len(), Default::default());
        for (path, bytes) in files {
            match self.others.remove(&path) {
                Some(old) if Arc::ptr_eq(&old, &bytes) || old == bytes => {
                    others.insert(path, old);
                }
                _ => {
                    emit(path.clone(), Arc::clone(&bytes))?;
                    others.insert(path, bytes);
                }
            }
        }
        removed.extend(std::mem::replace(&mut self.others, others).into_keys());
        Ok(removed)
    }
}

/// [`Site::published`], sorted again only if a page's front matter changed or pages came or
/// went: the order depends on ids, dates and draft flags, all in [`crate::model::Page::head`].
fn published<'a>(register: &'a Register, drafts: bool, cache: Option<&mut PageCache>) -> Vec<&'a Page> {
    let Some(cache) = cache else { return Site::published(register, drafts) };
    let key = hash::all(std::iter::once(u64::from(drafts)).chain(register.pages.iter().map(|p| p.head)));
    let order = match &cache.published {
        Some((k, order)) if *k == key => order,
        _ => &cache.published.insert((key, Site::published_order(register, drafts))).1,
    };
    order.iter().map(|&i| &register.pages[i]).collect()
}

/// Files by path, in the order made.
type Files = Vec<(String, Arc<Vec<u8>>)>;

/// Files kept between renders by path, with the key of their inputs.
type Kept = Map<&'static str, (u64, Arc<Vec<u8>>)>;

/// The file at `path`, made by `make` unless `kept` holds it under the same `key`.
fn keep(
    kept: Option<&mut Kept>,
    path: &'static str,
    key: u64,
    make: impl FnOnce() -> Vec<u8>,
) -> (String, Arc<Vec<u8>>) {
    let bytes = match kept {
        Some(kept) => match kept.get(path) {
            Some((k, bytes)) if *k == key => Arc::clone(bytes),
            _ => {
                let bytes = Arc::new(make());
                kept.insert(path, (key, Arc::clone(&bytes)));
                bytes
            }
        },
        None => Arc::new(make()),
    };
    (path.to_string(), bytes)
}

/// The register the website shows: without private meetings and their papers unless `private`
/// (the user asked, loudly). What it does not hold, no page, link, feed, search entry or PDF
/// can mention.
pub fn shown(register: &Register, private: bool) -> Cow<'_, Register> {
    match register.without_private().filter(|_| !private) {
        Some(public) => Cow::Owned(public),
        None => Cow::Borrowed(register),
    }
}

/// Builds the site of a checked register into `options.output`, atomically. The caller has
/// made sure the register has no errors.
pub fn build(site_dir: &Path, checked: &Checked, options: &Options) -> Result<Report, BuildError> {
    let started = Instant::now();
    let staged = Staged::begin(site_dir, &options.output)?;
    let emit = |path: String, bytes: Arc<Vec<u8>>| staged.write(&path, &bytes).map_err(BuildError::from);
    let rendered = match render(site_dir, checked, options, None, &emit) {
        Ok(rendered) => rendered,
        Err(e) => {
            staged.abandon();
            return Err(e);
        }
    };
    let output = staged.commit()?;
    Ok(Report { output, pages: rendered.pages, files: rendered.files, seconds: started.elapsed().as_secs_f64() })
}

/// Every paper's PDF (`papers/<id>.pdf`) and every meeting's pack (`meetings/<id>/pack.pdf`)
/// of `r` (the register the website shows), typeset in parallel.
pub fn pdfs(
    site_dir: &Path,
    checked: &Checked,
    r: &Register,
    urls: &Urls,
) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let mut maker = crate::papers::Papers::new(site_dir, r, &checked.sources, checked.as_of);
    maker.urls = urls.clone();
    let papers = r.papers.par_iter().map(|p| maker.paper_pdf(p).map(|pdf| (pages::paper_pdf_path(&p.id), pdf)));
    let packs = r.meetings.par_iter().map(|m| maker.pack_pdf(m).map(|pdf| (pages::pack_pdf_path(&m.id), pdf)));
    papers.chain(packs).collect::<Result<_, _>>().map_err(BuildError::Paper)
}

/// A site's own version of a theme asset: `themes/<theme>/style.css` overrides `assets/style.css`.
fn theme_file(site_dir: &Path, checked: &Checked, asset: &str) -> Option<Vec<u8>> {
    let theme = checked.register.site.theme.as_deref().unwrap_or("nhs");
    let name = asset.strip_prefix("assets/")?;
    std::fs::read(site_dir.join("themes").join(theme).join(name)).ok()
}
