//! The static website of a checked register. Pages are listed ([`pages`]) and rendered with
//! Tera in parallel, beside the theme's assets, feeds, the search index and data downloads,
//! each handed to the caller as soon as it is made ([`render`]). Markdown becomes HTML in
//! [`html`].
//!
//! It knows nothing of where files go (the binary writes them atomically, or `serve` keeps
//! them in memory) nor of typesetting PDFs (oversight-papers does; the site links them). A
//! paper written elsewhere is published here as it was given: it is content, not output.

mod deps;
mod feeds;
pub mod html;
mod pages;
mod records;
mod statutory;
mod templates;
mod views;

pub use statutory::{REFLOW_WIDTH, TESTED_WIDTHS};
pub use views::org_row;

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use oversight_analysis::episodes;
use oversight_analysis::svg::{self, ChartOptions};
use oversight_model::kinds::RecordKind;
use oversight_model::urls::Urls;
use oversight_model::{Page, Register};
use oversight_model::{images, links};
use oversight_rules::check::Checked;
use oversight_syntax::date::Date;
use oversight_syntax::hash::{self, Map};
use pages::Site;
use views::About;

/// What a render of the website was asked for.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Board papers and packs are typeset as PDF beside the pages (by oversight-papers), so
    /// pages link them.
    pub papers: bool,
    /// Publish private meetings and the papers only they present (never the default).
    pub private: bool,
}

/// Where the site offers the register as an Excel workbook, beside the timeline's CSV and JSON.
pub const WORKBOOK: &str = "timeline/register.xlsx";

/// The workbook download of a checked site, as the website shows the register
/// (oversight-exchange's export as at the site's date). It is not among the files [`render`]
/// makes: `serve` makes it after the pages, so an edit to a record does not wait for it.
pub fn workbook(checked: &Checked, options: &RenderOptions) -> Result<Vec<u8>, String> {
    oversight_exchange::export::workbook(
        &shown(&checked.register, checked.as_of, options.private, options.drafts),
        checked.as_of,
    )
}

/// Why the website could not be rendered.
#[derive(Debug)]
pub enum RenderError {
    /// The base URL cannot be used.
    BaseUrl(String),
    /// A template failed to parse or render; the message names it.
    Template(String),
    /// The caller could not take a file it was handed.
    Write(String),
    /// A page's file, read back to render it, is no longer the text that was checked (or
    /// cannot be read): the message names it.
    Changed(String),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::BaseUrl(m) => write!(f, "base_url: {m}"),
            RenderError::Template(m) => write!(f, "template error: {m}"),
            RenderError::Write(m) | RenderError::Changed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RenderError {}

/// The theme's files, built in.
const ASSETS: &[(&str, &str)] = &[
    ("assets/style.css", include_str!("../../../themes/nhs/style.css")),
    ("assets/site.js", include_str!("../../../themes/nhs/site.js")),
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
pub type Emit<'a> = dyn Fn(String, Arc<Vec<u8>>) -> Result<(), RenderError> + Sync + 'a;

/// What one render leaves for the next in a `serve` session, so the next renders again only
/// the pages whose template or inputs changed ([`deps`]) and hands on only what differs.
#[derive(Default)]
pub struct PageCache {
    /// The compiled templates, by the hash of their text.
    tera: Option<(u64, Arc<tera::Tera>)>,
    /// The last render's pages, by [`pages::Job::path_key`].
    pages: Map<u64, Made>,
    /// Files besides pages made from the whole site (the sitemap, the timeline's data), by path
    /// with the key of their inputs.
    kept: KeptFiles,
    /// The last render's files besides pages, by path.
    others: Map<String, Arc<Vec<u8>>>,
    search: feeds::SearchMemo,
    published: Option<Published>,
}

/// The published pages, in [`Site::published_order`], and which of them are about each
/// organisation, by a hash of what they depend on.
struct Published {
    key: u64,
    order: Vec<usize>,
    about: Arc<About>,
}

/// A page the last render made: the key of its inputs, and where it went.
struct Made {
    key: u64,
    path: String,
}

/// Called by a render with a cache once its pages (and the theme's assets and the site's
/// pictures) are handed on, before the files made from the whole site ([`made_later`]), with
/// the paths of the last render's pages this one no longer has: `serve` reloads the preview
/// then, so an edit does not wait for the search index or the feed.
pub type PagesDone<'a> = dyn Fn(Vec<String>) + 'a;

/// Whether `path` is among the files a render with a cache hands on after [`PagesDone`]: the
/// timeline's data and chart, the sitemap, the feed, the search index, the pictures of pages
/// and papers, and papers given as PDFs. No page waits for them to be drawn.
pub fn made_later(path: &str) -> bool {
    WHOLE_SITE.contains(&path)
        || path.starts_with(&images::output_path(""))
        || (path.starts_with(Urls::paper_pdf("").trim_end_matches(".pdf")) && path.ends_with(".pdf"))
}

/// The files made from every page or record, kept between `serve`'s renders by the key of
/// their inputs.
const WHOLE_SITE: [&str; 6] = [
    "timeline/episodes.csv",
    "timeline/episodes.json",
    "timeline/timeline.svg",
    "sitemap.xml",
    "atom.xml",
    "search/index.json",
];

/// Renders the whole site. Without a cache every file goes to `emit`. With one, pages whose
/// template and inputs are unchanged since the last render through it are not even listed with
/// their paths, and only files that differ from that render go to `emit`: the caller applies
/// them and [`Rendered::removed`] to what it holds from the last render. With a cache and
/// `pages_done`, the pages' removals go to `pages_done` instead, and the files it is called
/// before are handed on first.
pub fn render(
    site_dir: &Path,
    checked: &Checked,
    options: &RenderOptions,
    cache: Option<&mut PageCache>,
    pages_done: Option<&PagesDone>,
    emit: &Emit,
) -> Result<Rendered, RenderError> {
    let base = base_url(&checked.register, options);
    let urls = Urls::new(&base).map_err(RenderError::BaseUrl)?;
    let register = &*shown(&checked.register, checked.as_of, options.private, options.drafts);
    let mut cache = cache;
    let texts = templates::read(site_dir).map_err(RenderError::Template)?;
    let tera = compiled(&texts, cache.as_deref_mut())?;
    let (published, about) = published(register, options.drafts, cache.as_deref_mut());
    let related = views::Related::index(register, &published, &about);
    let pictures = statutory::pictures(site_dir, &register.site);
    let placed: Vec<(oversight_model::config::SiteFile, String)> =
        pictures.iter().map(|(kind, path, _)| (*kind, path.clone())).collect();
    let mut site = Site {
        register,
        sources: &checked.sources,
        blocks: &checked.blocks,
        urls: &urls,
        as_of: checked.as_of,
        pdfs: options.papers,
        // Which pictures were found is global too: adding a missing logo changes every page.
        global: hash::of(&(texts.hash, checked.as_of, options.drafts, options.papers, &base, &placed)),
        pages: published,
        related: &related,
        pictures: placed,
        shared: tera::Context::new(),
        partials: pages::Partials::default(),
        page_nav: texts.site_has_page_templates(),
    };
    site.shared = site.shared_context();
    site.partials = site.partials(&tera).map_err(|(name, e)| {
        let origin = templates::origin(site_dir, name);
        RenderError::Template(format!("{origin} (rendered once for every page): {}", templates::chain(&e)))
    })?;

    let inputs = deps::Inputs::new(register, &checked.sources, &site.pages, &about, &related, site.global);
    let jobs = site.jobs(&inputs);
    let others = Others { site: &site, site_dir, jobs: &jobs, inputs: &inputs, pictures: &pictures };
    let Some(cache) = cache else {
        // A build: the pages, and beside them the other files.
        let (pages, files) = rayon::join(
            || render_all(&site, &jobs, &tera, site_dir, emit),
            || {
                let mut files = others.fixed();
                files.extend(others.whole_site(None, None));
                files
            },
        );
        pages?;
        let count = jobs.len() + files.len();
        files.into_par_iter().try_for_each(|(path, bytes)| emit(path, bytes))?;
        return Ok(Rendered { files: count, pages: jobs.len(), rendered: jobs.len(), removed: Vec::new() });
    };

    // `serve`: an edit renders few pages, and they are what the author waits for; the files
    // made from the whole site come after them, so as not to take a core from them.
    let fresh = render_changed(&site, &jobs, &tera, site_dir, &cache.pages, emit)?;
    let rendered = fresh.len();
    let mut removed = cache.take_pages(&jobs, fresh);
    let mut files = others.fixed();
    cache.hand_on(&files, emit)?;
    // A picture taken out of site.yaml goes with the pages that no longer show it.
    removed.extend(cache.forget_others(|path| !made_later(path) && !files.iter().any(|(p, _)| p == path)));
    if let Some(pages_done) = pages_done {
        pages_done(std::mem::take(&mut removed));
    }
    files.extend(others.whole_site(Some(&mut cache.kept), Some(&mut cache.search)));
    cache.hand_on(&files, emit)?;
    let count = jobs.len() + files.len();
    let paths: std::collections::HashSet<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    removed.extend(cache.forget_others(|path| !paths.contains(path)));
    Ok(Rendered { files: count, pages: jobs.len(), rendered, removed })
}

/// The templates compiled, or as the cache holds them if their text is unchanged.
fn compiled(texts: &templates::Texts, cache: Option<&mut PageCache>) -> Result<Arc<tera::Tera>, RenderError> {
    let tera = match cache.as_deref().and_then(|c| c.tera.clone()).filter(|(hash, _)| *hash == texts.hash) {
        Some((_, tera)) => tera,
        None => Arc::new(templates::compile(texts).map_err(RenderError::Template)?),
    };
    if let Some(cache) = cache {
        cache.tera = Some((texts.hash, Arc::clone(&tera)));
    }
    Ok(tera)
}

/// Renders every page, handing each to `emit`.
fn render_all(
    site: &Site,
    jobs: &[pages::Job],
    tera: &tera::Tera,
    site_dir: &Path,
    emit: &Emit,
) -> Result<(), RenderError> {
    // Small pieces: rayon otherwise hands each core long runs of pages it cannot split once
    // started, and the last run (tens of milliseconds) was left to one core while the other
    // idled. A page costs ~0.1 ms, so a task per 8 pages costs nothing measurable.
    jobs.par_iter().with_max_len(8).try_for_each(|job| {
        let (path, bytes) = render_page(site, job, tera, site_dir)?;
        emit(path, bytes)
    })
}

/// Renders the pages whose key is not the one `cached` holds for them, handing each to `emit`,
/// and returns them with their keys (see deps.rs).
fn render_changed(
    site: &Site,
    jobs: &[pages::Job],
    tera: &tera::Tera,
    site_dir: &Path,
    cached: &Map<u64, Made>,
    emit: &Emit,
) -> Result<Vec<(u64, Made)>, RenderError> {
    // Every key covers the templates (through `global`), so a template change misses them all.
    let changed: Vec<(&pages::Job, u64)> = jobs
        .par_iter()
        .filter_map(|job| {
            let key = hash::of(&(job.template, job.deps));
            let same = cached.get(&job.path_key).is_some_and(|made| made.key == key);
            (!same).then_some((job, key))
        })
        .collect();
    // An edit reaches a few pages, some of them large (the organisations' listing, the home
    // page, the timeline): one task each, so that the cores share them out, where rayon's
    // halving of the list would leave one core every page near its start.
    changed
        .into_par_iter()
        .with_max_len(1)
        .map(|(job, key)| {
            let (path, bytes) = render_page(site, job, tera, site_dir)?;
            emit(path.clone(), bytes)?;
            Ok((job.path_key, Made { key, path }))
        })
        .collect()
}

/// One page's path and HTML.
fn render_page(
    site: &Site,
    job: &pages::Job,
    tera: &tera::Tera,
    site_dir: &Path,
) -> Result<(String, Arc<Vec<u8>>), RenderError> {
    let path = job.path().into_owned();
    // Written straight into bytes, which is what is kept and written out: `Tera::render` would
    // grow its buffer from 2 KB by doubling (a page is ~10 KB), then check the whole of it is
    // UTF-8, which it is by construction.
    let mut html = Vec::with_capacity(PAGE_BYTES);
    tera.render_to(job.template, &site.context_of(job)?, &mut html).map_err(|e| {
        let origin = templates::origin(site_dir, job.template);
        RenderError::Template(format!("{origin} (rendering {path}): {}", templates::chain(&e)))
    })?;
    // `serve` keeps every page: no more room than doubling would have left.
    if html.capacity() > 2 * html.len() {
        html.shrink_to_fit();
    }
    Ok((path, Arc::new(html)))
}

/// Room made for a page's HTML before it is rendered: a narrative page of the benchmark
/// corpus is ~10 KB. A longer one grows its buffer as it would have anyway.
const PAGE_BYTES: usize = 16 * 1024;

/// What the files besides pages are made from.
struct Others<'a> {
    site: &'a Site<'a>,
    site_dir: &'a Path,
    jobs: &'a [pages::Job<'a>],
    inputs: &'a deps::Inputs<'a>,
    pictures: &'a [(oversight_model::config::SiteFile, String, Vec<u8>)],
}

impl Others<'_> {
    /// The files besides pages that no page has to wait for, made from no more than the
    /// site's settings: robots.txt, the site's pictures and the theme's assets.
    fn fixed(&self) -> Files {
        let (site, register) = (self.site, self.site.register);
        let mut files = vec![("robots.txt".to_string(), Arc::new(feeds::robots(site.urls).into_bytes()))];
        for (_, path, bytes) in self.pictures {
            files.push((path.clone(), Arc::new(bytes.clone())));
        }
        for (path, text) in ASSETS {
            let bytes = theme_file(self.site_dir, register, path).unwrap_or_else(|| text.as_bytes().to_vec());
            files.push((path.to_string(), Arc::new(bytes)));
        }
        files
    }

    /// The files made from the whole site ([`made_later`]): the timeline's data, the sitemap
    /// and feed, the search index, the pictures of pages and papers, and papers given as PDFs.
    /// In `serve`, those made from every page or record are kept between renders by the key
    /// of their inputs, like pages.
    fn whole_site(&self, mut kept: Option<&mut KeptFiles>, search: Option<&mut feeds::SearchMemo>) -> Files {
        let (site, inputs, jobs) = (self.site, self.inputs, self.jobs);
        let (register, urls, as_of) = (site.register, site.urls, site.as_of);
        let rows = std::cell::OnceCell::new();
        let rows = || rows.get_or_init(|| episodes::rows(register, as_of));
        let timeline = inputs.key(("timeline data", inputs.records));
        let sitemap = || -> Vec<u8> {
            let paths: Vec<Cow<str>> = jobs.iter().filter(|j| j.in_sitemap).map(|j| j.path()).collect();
            let paths: Vec<&str> = paths.iter().map(|p| p.trim_end_matches("index.html")).collect();
            feeds::sitemap(urls, &paths).into_bytes()
        };
        // Path keys stand for paths, so the same path keys in the same order make the same sitemap.
        let sitemap_key = inputs.key(("sitemap", hash::all(jobs.iter().filter(|j| j.in_sitemap).map(|j| j.path_key))));
        let atom_key = inputs.key(("atom", inputs.records, hash::all(feeds::atom_pages(site).iter().map(|p| p.head))));
        let [csv, json, svg, sitemap_xml, atom, search_json] = WHOLE_SITE;
        let mut files = vec![
            keep(kept.as_deref_mut(), csv, timeline, || episodes::to_csv(rows()).into_bytes()),
            keep(kept.as_deref_mut(), json, timeline, || {
                feeds::web_json(&episodes::to_json(rows(), as_of)).into_bytes()
            }),
            // A file of its own: its rows link to the organisations' pages by absolute URL.
            keep(kept.as_deref_mut(), svg, timeline, || {
                let options =
                    ChartOptions { links: Some(urls.clone()), absolute_links: true, ..ChartOptions::new(as_of) };
                svg::render(register, &options).into_bytes()
            }),
            keep(kept.as_deref_mut(), sitemap_xml, sitemap_key, sitemap),
            keep(kept, atom, atom_key, || feeds::atom(site).into_bytes()),
        ];
        let records = inputs.key(("search", inputs.records, inputs.papers));
        files.push((search_json.into(), Arc::new(feeds::search_index(site, records, search))));
        // The pictures of the published pages and papers (a private paper's are not copied:
        // its register holds no private paper unless `--publish-private`); the check has
        // read each (OVS509).
        let content = self.site_dir.join("content");
        let pages = site.pages.iter().map(|p| (p.file, &p.body, RecordKind::Page, &p.id));
        let papers = register
            .papers
            .iter()
            .filter(|p| p.attachment().is_none())
            .map(|p| (p.file, p.body(), RecordKind::Paper, &p.id));
        let mut copied = std::collections::BTreeSet::new();
        for (file, body, kind, id) in pages.chain(papers) {
            // With `--publish-private`, a private paper's pictures are in the private folder.
            let content = register.folder_of(file, &content);
            for link in body.scan.links.iter().filter(|l| l.image && images::is_local(&l.dest)) {
                let Ok(path) = images::content_path(&link.dest, &links::doc_dir(kind, id)) else { continue };
                if copied.insert(path.clone())
                    && let Ok(bytes) = images::read(content, &path)
                {
                    files.push((images::output_path(&path), Arc::new(bytes)));
                }
            }
        }
        // Papers written elsewhere, as given (with or without `--no-papers`: nothing is typeset).
        for paper in &register.papers {
            if let Some(attachment) = paper.attachment() {
                files.push((Urls::paper_pdf(&paper.id), Arc::clone(&attachment.pdf.0)));
            }
        }
        files
    }
}

impl PageCache {
    /// Takes in the pages rendered now. Returns the paths of the last render's pages that this
    /// one no longer has.
    fn take_pages(&mut self, jobs: &[pages::Job], fresh: Vec<(u64, Made)>) -> Vec<String> {
        self.pages.extend(fresh);
        let mut removed = Vec::new();
        // Path keys are unique, so a cache holding as many pages as this render holds no others.
        if self.pages.len() != jobs.len() {
            let path_keys: std::collections::HashSet<u64> = jobs.iter().map(|j| j.path_key).collect();
            self.pages.retain(|path_key, made| {
                let keep = path_keys.contains(path_key);
                if !keep {
                    removed.push(std::mem::take(&mut made.path));
                }
                keep
            });
        }
        removed
    }

    /// Hands on those of `files` that differ from what the cache holds, and holds them.
    fn hand_on(&mut self, files: &Files, emit: &Emit) -> Result<(), RenderError> {
        for (path, bytes) in files {
            let same = self.others.get(path).is_some_and(|old| Arc::ptr_eq(old, bytes) || old == bytes);
            if !same {
                emit(path.clone(), Arc::clone(bytes))?;
                self.others.insert(path.clone(), Arc::clone(bytes));
            }
        }
        Ok(())
    }

    /// Forgets the files besides pages that are `gone`, and returns their paths.
    fn forget_others(&mut self, gone: impl Fn(&str) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.others.retain(|path, _| {
            let keep = !gone(path);
            if !keep {
                removed.push(path.clone());
            }
            keep
        });
        removed
    }
}

/// [`Site::published`], and which of them are about each organisation
/// ([`views::pages_about`]), worked out again only if a page's front matter changed or pages
/// came or went: both depend on ids, dates, draft flags and `organisation`, all in
/// [`oversight_model::Page::head`].
fn published<'a>(register: &'a Register, drafts: bool, cache: Option<&mut PageCache>) -> (Vec<&'a Page>, Arc<About>) {
    let Some(cache) = cache else {
        let pages = Site::published(register, drafts);
        let about = Arc::new(views::pages_about(&pages));
        return (pages, about);
    };
    let key = hash::all(std::iter::once(u64::from(drafts)).chain(register.pages.iter().map(|p| p.head)));
    if cache.published.as_ref().is_none_or(|p| p.key != key) {
        let order = Site::published_order(register, drafts);
        let pages: Vec<&Page> = order.iter().map(|&i| &register.pages[i]).collect();
        cache.published = Some(Published { key, about: Arc::new(views::pages_about(&pages)), order });
    }
    let published = cache.published.as_ref().expect("made above");
    (published.order.iter().map(|&i| &register.pages[i]).collect(), Arc::clone(&published.about))
}

/// Files by path, in the order made.
type Files = Vec<(String, Arc<Vec<u8>>)>;

/// Files kept between renders by path, with the key of their inputs.
type KeptFiles = Map<&'static str, (u64, Arc<Vec<u8>>)>;

/// The file at `path`, made by `make` unless `kept` holds it under the same `key`.
fn keep(
    kept: Option<&mut KeptFiles>,
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

/// The URL the site is published at: `--base-url`, else site.yaml's `base_url`, else the root.
pub fn base_url(register: &Register, options: &RenderOptions) -> String {
    options.base_url.clone().or_else(|| register.site.base_url.clone()).unwrap_or_else(|| "/".into())
}

/// The register the website shows: without private meetings and their papers unless `private`
/// (the user asked, loudly), and without draft papers unless `drafts`. What it does not hold,
/// no page, link, feed, search entry or PDF can mention. A private paper whose
/// `restricted_until` is on or before `as_of` is published.
pub fn shown(register: &Register, as_of: Date, private: bool, drafts: bool) -> Cow<'_, Register> {
    let register = match register.without_private(as_of).filter(|_| !private) {
        Some(public) => Cow::Owned(public),
        None => Cow::Borrowed(register),
    };
    match register.without_draft_papers().filter(|_| !drafts) {
        Some(ready) => Cow::Owned(ready),
        None => register,
    }
}

/// A site's own version of a theme asset: `themes/<theme>/style.css` overrides `assets/style.css`.
fn theme_file(site_dir: &Path, register: &Register, asset: &str) -> Option<Vec<u8>> {
    let theme = register.site.theme.as_deref().unwrap_or("nhs");
    let name = asset.strip_prefix("assets/")?;
    let relative = Path::new("themes").join(theme).join(name);
    // A link is never followed out of the site folder (the check reports it as OVS005).
    if oversight_model::config::symbolic_link_in(site_dir, &relative).is_some() {
        return None;
    }
    std::fs::read(site_dir.join(relative)).ok()
}
