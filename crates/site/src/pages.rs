//! Every page of the site: what it is called, where it goes, which template renders it and
//! with what context. Building the list is cheap: a page's context (its Markdown above all) is
//! made only when the page is rendered, in parallel, and dropped once it is written.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::deps::Inputs;
use super::views::{self, DateView, LinkView};
use crate::{RenderError, html, records, statutory, templates};
use oversight_analysis::blocks;
use oversight_analysis::svg::{self, ChartOptions};
use oversight_model::config::SiteFile;
use oversight_model::kinds::RecordKind;
use oversight_model::links::Target;
use oversight_model::links::doc_dir;
use oversight_model::urls::Urls;
use oversight_model::vocabulary::BlockKind;
use oversight_model::{Body, Organisation, Page, Register};
use oversight_rules::blocks::{Blocks, Defaults, ResolvedBlock};
use oversight_syntax::date::Date;
use oversight_syntax::hash::{self, Map};
use oversight_syntax::source::{ReadBackError, Sources};

/// Makes a page's template context.
pub(crate) type MakeContext<'a> = Box<dyn Fn() -> Context + Send + Sync + 'a>;

/// One page to render.
pub(crate) struct Job<'a> {
    pub source: PageSource<'a>,
    pub template: &'static str,
    /// A hash of everything the page is made from ([`super::deps`]).
    pub deps: u64,
    /// Stands for the page's path ([`Job::path`]): equal path_keys, equal paths. `serve` keeps
    /// pages by path key, so an unchanged page costs no path at all.
    pub path_key: u64,
    /// Listed in the sitemap.
    pub in_sitemap: bool,
}

/// What a job renders. Narrative pages and organisations, the bulk of a large site, are held
/// by reference, so listing them allocates nothing; the rest carry their path and a closure
/// that makes their context.
pub(crate) enum PageSource<'a> {
    Page(&'a Page),
    Organisation(&'a Organisation),
    Other { path: String, context: MakeContext<'a> },
}

impl<'a> Job<'a> {
    fn new(source: PageSource<'a>, template: &'static str, deps: u64) -> Job<'a> {
        let path_key = match &source {
            PageSource::Page(p) => hash::of(&(0u8, &p.id)),
            PageSource::Organisation(o) => hash::of(&(1u8, &o.id)),
            PageSource::Other { path, .. } => hash::of(&(2u8, path)),
        };
        Job { source, template, deps, path_key, in_sitemap: true }
    }

    /// Where it goes, relative to the output folder: `organisations/uhmb/index.html`.
    pub(crate) fn path(&self) -> Cow<'_, str> {
        match &self.source {
            PageSource::Page(p) => {
                Cow::Owned(format!("{}index.html", Urls::relative(&Target::Record(RecordKind::Page, p.id.clone()))))
            }
            PageSource::Organisation(o) => Cow::Owned(format!(
                "{}index.html",
                Urls::relative(&Target::Record(RecordKind::Organisation, o.id.clone()))
            )),
            PageSource::Other { path, .. } => Cow::Borrowed(path),
        }
    }
}

/// What every page builder needs.
/// A file the website publishes beside a page: a PDF paper as it was given.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FileView {
    pub url: String,
    pub pages: usize,
    /// "45 KB", "1.2 MB".
    pub size: String,
}

pub(crate) struct Site<'a> {
    pub register: &'a Register,
    pub sources: &'a Sources,
    /// The generated blocks of every page and paper, as the check read them.
    pub blocks: &'a Blocks,
    pub urls: &'a Urls,
    pub as_of: Date,
    /// The build makes PDFs of papers and packs, so pages link them.
    pub pdfs: bool,
    /// A hash of what every page depends on besides the records: templates and options.
    pub global: u64,
    /// [`Site::published`], made once: listings, feeds and organisation pages all read it.
    pub pages: Vec<&'a Page>,
    /// What organisation pages list from other records ([`views::Related::index`]).
    pub related: &'a Map<&'a str, views::Related<'a>>,
    /// The pictures site.yaml names (logo, favicon) that the build copies, by where they go.
    pub pictures: Vec<(SiteFile, String)>,
    /// What every page's context holds alike ([`Site::shared_context`]): made once, as the
    /// serialising of it is a cost per page.
    pub shared: Context,
    /// The parts of a page that do not change from page to page, rendered once.
    pub partials: Partials,
    /// Whether each page's context has `nav`: only for a site with page templates of its own
    /// ([`templates::Texts::site_has_page_templates`]). Making it is 4% of a build's
    /// instructions (callgrind, the 1k corpus), and the built-in templates use it only in
    /// `header.html`, which has it.
    pub page_nav: bool,
}

/// The parts of every page made from no more than the site and the section a page is in:
/// `head.html` (the links in the head), `header.html` (the site's name and the navigation) and
/// `footer.html`, each rendered once per variant, as Hugo's `partialCached` renders a partial,
/// and placed by `base.html` as `head_html`, `header_html` and `footer_html`. Tera spends
/// ~6,000 instructions on a dotted lookup (`site.licence.url`) and ~8,000 on an item of a loop:
/// rendered on every page, the three were 13% of a build's instructions (callgrind, the 1k
/// corpus). Each sees the site-wide variables (`site`, `base`, `statutory`) and `nav`; its
/// trailing whitespace (the file's last line break) is dropped, as `base.html` places it
/// inside a line of its own.
#[derive(Default)]
pub(crate) struct Partials {
    head: String,
    /// For pages in no section, then for each of [`SECTIONS`]: which one is current.
    headers: Vec<String>,
    footer: String,
}

impl Partials {
    /// The header of a page in `section`: which entry of [`Partials::headers`] is its.
    fn header(&self, section: Option<&str>) -> &str {
        let index = SECTIONS.iter().position(|(_, p)| section == Some(*p)).map_or(0, |i| i + 1);
        self.headers.get(index).map_or("", String::as_str)
    }
}

/// An item of a meeting's agenda, as its page shows it.
#[derive(Serialize)]
struct AgendaView {
    /// When the item starts, if the agenda is timed ([`oversight_model::schedule`]).
    time: Option<String>,
    item: String,
    title: String,
    url: Option<String>,
    /// The PDF of a paper written elsewhere, as given.
    file: Option<FileView>,
    presenter: Option<String>,
    purpose: Option<String>,
    appendices: Vec<PaperLink>,
    /// A standing item made from the records: its section's anchor and HTML.
    standing: Option<Standing>,
}

/// A standing agenda item's section, made from the records.
#[derive(Serialize)]
struct Standing {
    anchor: String,
    html: String,
}

/// An item the resolution to exclude the public names.
#[derive(Serialize)]
struct Excluded {
    item: String,
    title: Option<String>,
    reason: Option<&'static str>,
}

/// A paper (or appendix) as a meeting lists it.
#[derive(Serialize)]
struct PaperLink {
    item: String,
    title: String,
    url: String,
    file: Option<FileView>,
}

/// A board meeting, as its page and the listing show it.
#[derive(Serialize)]
struct MeetingView {
    id: String,
    url: String,
    title: String,
    body: String,
    date: DateView,
    time: Option<String>,
    /// When the meeting is planned to end, and whether the agenda gives item times.
    end: Option<String>,
    timed: bool,
    venue: Option<String>,
    session: &'static str,
    agenda: Vec<AgendaView>,
    papers: Vec<PaperLink>,
    pack_pdf: Option<String>,
    /// The resolution to exclude the public: its private session's items.
    part_two: Option<Vec<Excluded>>,
}

/// How many updates a page of the Updates listing shows unless site.yaml says otherwise.
pub(crate) const DEFAULT_PAGINATE_BY: usize = 50;

/// Where page `number` (from 1) of the Updates listing goes: `pages/`, then `pages/page/2/`.
pub(crate) fn updates_path(number: usize) -> String {
    if number <= 1 { "pages/".into() } else { format!("pages/page/{number}/") }
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    publisher: String,
    description: Option<String>,
    language: String,
    as_of: DateView,
    logo: Option<statutory::PictureView>,
    favicon: Option<statutory::PictureView>,
    contact_email: Option<String>,
    licence: statutory::LicenceView,
}

/// Where the built-in statutory pages (or a site's own pages in their place) are.
#[derive(Serialize)]
struct StatutoryLinks {
    accessibility: String,
    privacy: String,
    contact: String,
}

#[derive(Serialize)]
struct NavItem {
    text: &'static str,
    url: String,
    current: bool,
}

/// The sections in the header's navigation: (title, site-relative path).
const SECTIONS: [(&str, &str); 7] = [
    ("Organisations", "organisations/"),
    ("Timeline", "timeline/"),
    ("Support", "support/"),
    ("Undertakings", "undertakings/"),
    ("Updates", "pages/"),
    ("Papers", "meetings/"),
    ("Search", "search/"),
];

impl Site<'_> {
    /// The pages a build publishes (drafts only with --drafts), newest first, then by id.
    pub(crate) fn published(register: &Register, drafts: bool) -> Vec<&Page> {
        Site::published_order(register, drafts).into_iter().map(|i| &register.pages[i]).collect()
    }

    /// [`Site::published`] as indices into the register's pages. It depends only on each
    /// page's id, date and draft flag.
    pub(crate) fn published_order(register: &Register, drafts: bool) -> Vec<usize> {
        let pages = &register.pages;
        // Sorted as compact keys, not as indices that every comparison follows into its page
        // (a cache miss each, 50,000 pages deep), on both cores. The index last makes the
        // order total, so an unstable sort gives the order a stable one would.
        let mut keys: Vec<(std::cmp::Reverse<Date>, &str, usize)> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| drafts || !p.draft)
            .map(|(i, p)| (std::cmp::Reverse(p.date), p.id.as_str(), i))
            .collect();
        keys.par_sort_unstable();
        keys.into_iter().map(|(_, _, i)| i).collect()
    }

    /// The context every template gets, for the page at `path` (site-relative, e.g.
    /// `organisations/uhmb/`), under `section` (for the navigation), with breadcrumbs.
    pub(crate) fn context(
        &self,
        title: &str,
        path: &str,
        section: Option<&str>,
        breadcrumbs: Vec<LinkView>,
    ) -> Context {
        let mut c = self.shared.clone();
        c.insert("title", title);
        c.insert("canonical", &self.urls.absolute(path));
        if self.page_nav {
            c.insert("nav", &self.nav(section));
        }
        c.insert("head_html", &self.partials.head);
        c.insert("header_html", self.partials.header(section));
        c.insert("footer_html", &self.partials.footer);
        let mut crumbs = vec![LinkView { text: "Home".into(), url: self.urls.path("") }];
        crumbs.extend(breadcrumbs);
        c.insert("breadcrumbs", &if path.is_empty() { Vec::new() } else { crumbs });
        c
    }

    /// The navigation's items, the one of `section` marked current.
    fn nav(&self, section: Option<&str>) -> Vec<NavItem> {
        SECTIONS
            .iter()
            .map(|(text, p)| NavItem { text, url: self.urls.path(p), current: section == Some(*p) })
            .collect()
    }

    /// [`Site::partials`], rendered. An error names the template it is in.
    pub(crate) fn partials(&self, tera: &tera::Tera) -> Result<Partials, (&'static str, tera::Error)> {
        let [head, header, footer] = templates::PARTIALS;
        let render = |name: &'static str, section: Option<&str>| {
            let mut c = self.shared.clone();
            c.insert("nav", &self.nav(section));
            let mut html = tera.render(name, &c).map_err(|e| (name, e))?;
            html.truncate(html.trim_end().len());
            Ok(html)
        };
        let sections = std::iter::once(None).chain(SECTIONS.iter().map(|(_, p)| Some(*p)));
        Ok(Partials {
            head: render(head, None)?,
            headers: sections.map(|section| render(header, section)).collect::<Result<_, _>>()?,
            footer: render(footer, None)?,
        })
    }

    /// The part of [`Site::context`] that is the same on every page: the site, its base URL,
    /// its description (which a page may replace with its own) and the statutory links.
    pub(crate) fn shared_context(&self) -> Context {
        let site = &self.register.site;
        let mut c = Context::new();
        let publisher = site.publisher.clone().unwrap_or_else(|| site.title.clone());
        let picture = |kind: SiteFile| {
            self.pictures.iter().find(|(k, _)| *k == kind).map(|(_, path)| statutory::picture_view(self.urls, path))
        };
        let description = site.description.clone().unwrap_or_else(|| statutory::default_description(site, &publisher));
        c.insert(
            "site",
            &SiteView {
                title: site.title.clone(),
                publisher,
                description: site.description.clone(),
                language: site.language.clone().unwrap_or_else(|| "en-GB".into()),
                as_of: self.as_of.into(),
                logo: picture(SiteFile::Logo),
                favicon: picture(SiteFile::Favicon),
                contact_email: site.contact_email.clone(),
                licence: statutory::licence(site),
            },
        );
        c.insert("base", self.urls.base());
        // A page may replace it with its own (a narrative page's summary).
        c.insert("description", &description);
        c.insert(
            "statutory",
            &StatutoryLinks {
                accessibility: self.urls.path(&statutory::ACCESSIBILITY.path()),
                privacy: self.urls.path(&statutory::PRIVACY.path()),
                contact: self.urls.path(&statutory::CONTACT.path()),
            },
        );
        c
    }

    pub(crate) fn crumb(&self, text: &str, path: &str) -> LinkView {
        LinkView { text: text.into(), url: self.urls.path(path) }
    }

    /// The job of a page at `path` (site-relative, e.g. `support/`) other than a narrative
    /// page or an organisation.
    pub(crate) fn job<'a>(
        path: &str,
        template: &'static str,
        deps: u64,
        context: impl Fn() -> Context + Send + Sync + 'a,
    ) -> Job<'a> {
        Job::new(PageSource::Other { path: format!("{path}index.html"), context: Box::new(context) }, template, deps)
    }

    /// A job's template context.
    pub(crate) fn context_of(&self, job: &Job) -> Result<Context, RenderError> {
        let (r, as_of) = (self.register, self.as_of);
        let file = job.path();
        // Site-relative, as links have it: `organisations/uhmb/`.
        let path = file.trim_end_matches("index.html");
        match &job.source {
            PageSource::Page(p) => {
                let mut c = self.context(&p.title, path, Some("pages/"), vec![self.crumb("Updates", "pages/")]);
                if let Some(summary) = &p.summary {
                    c.insert("description", summary);
                }
                c.insert("page", &views::page_row(p, r, self.urls));
                // A one-shot build released the page's text after checking it (memory that
                // does not grow with the site): it is read back, and must be what was checked.
                let source = self.sources.get(p.file);
                let text = p.body.read_back(source).map_err(|why| {
                    let path = source.path.display();
                    RenderError::Changed(match why {
                        ReadBackError::Changed => format!("{path} changed after it was checked: run the build again"),
                        ReadBackError::Unreadable(err) => {
                            format!("{path} cannot be read again after it was checked ({err}): run the build again")
                        }
                    })
                })?;
                let body = self.markdown(
                    p.file,
                    &text,
                    doc_dir(RecordKind::Page, &p.id),
                    Defaults { as_of, since: None },
                    false,
                );
                c.insert("body", &body);
                Ok(c)
            }
            PageSource::Organisation(org) => {
                let crumbs = vec![self.crumb("Organisations", "organisations/")];
                let mut c = self.context(&org.name, path, Some("organisations/"), crumbs);
                let none = views::Related::default();
                let related = self.related.get(org.id.as_str()).unwrap_or(&none);
                c.insert("org", &views::org_view(org, r, self.urls, as_of, related));
                // Its own row of the timeline, on an axis of its own, once it has entered.
                let chart = org.rsp.iter().any(|e| e.entered <= as_of).then(|| {
                    let options = ChartOptions {
                        id_prefix: "org-tl".into(),
                        only: Some(org.id.clone()),
                        ..ChartOptions::new(as_of)
                    };
                    let caption = format!(
                        "{} in the Recovery Support Programme, as at {}. The sections below give the dates.",
                        org.name,
                        as_of.display_long()
                    );
                    html::chart(
                        &svg::render(r, &options),
                        Some(&svg::render(r, &options.narrow())),
                        &oversight_syntax::escape::xml(&caption),
                    )
                });
                c.insert("chart", &chart);
                Ok(c)
            }
            PageSource::Other { context, .. } => Ok(context()),
        }
    }

    /// Markdown of a page or paper to HTML, with its generated blocks.
    pub(crate) fn markdown(
        &self,
        file: oversight_syntax::source::FileId,
        body: &Body,
        dir: String,
        defaults: Defaults,
        number: bool,
    ) -> String {
        let blocks = self.blocks.get(&file).map_or(&[][..], Vec::as_slice);
        self.render_markdown(body, dir, blocks, defaults, number)
    }

    pub(crate) fn render_markdown(
        &self,
        body: &Body,
        dir: String,
        blocks: &[ResolvedBlock],
        defaults: Defaults,
        number: bool,
    ) -> String {
        let url = |t: &Target| self.urls.target(t);
        let cx = html::Context {
            register: self.register,
            url: &url,
            links: Some(self.urls),
            doc_dir: dir,
            blocks,
            defaults,
            number_paragraphs: number,
        };
        html::render(body, &cx).html
    }

    /// Every page, keyed by `inputs` (made from this site's register and pages), in the order
    /// the sitemap lists them.
    pub(crate) fn jobs(&self, inputs: &Inputs) -> Vec<Job<'_>> {
        let newest: Vec<u64> = (0..self.pages.len().min(5)).map(|i| inputs.page(i).0).collect();
        let home = inputs.key(("home", inputs.records, newest));
        let mut jobs = vec![Site::job("", "home.html", home, move || self.home_context())];
        jobs.extend(self.organisation_jobs(inputs));
        // Support packages and undertakings: a listing and a page each.
        jobs.extend(records::jobs(self, inputs));
        jobs.extend(self.updates_jobs(inputs));
        // The bulk of a large site: its jobs are made in parallel.
        jobs.par_extend(self.pages.par_iter().enumerate().map(|(i, &p)| {
            // Generated blocks read the records; links need only ids, and a broken one stops
            // the build before rendering.
            let blocks = if p.body.scan.blocks.is_empty() { 0 } else { inputs.records };
            let deps = inputs.key((inputs.file(p.file), blocks, inputs.page(i).1));
            let mut job = Job::new(PageSource::Page(p), "page.html", deps);
            job.in_sitemap = !p.draft;
            job
        }));
        jobs.extend(self.meeting_jobs(inputs.key((inputs.records, inputs.papers))));
        jobs.push(self.timeline_job(inputs.key(inputs.records)));
        jobs.extend(self.statutory_jobs(inputs));
        jobs.push(Site::job("search/", "search.html", inputs.key("search"), || {
            self.context("Search", "search/", Some("search/"), Vec::new())
        }));
        let context = Box::new(|| self.context("Page not found", "404.html", None, Vec::new()));
        let mut job = Job::new(PageSource::Other { path: "404.html".into(), context }, "404.html", inputs.key("404"));
        job.in_sitemap = false;
        jobs.push(job);
        jobs
    }

    /// The home page: the census, the organisations in the programme, the timeline, recent
    /// changes and the newest updates.
    fn home_context(&self) -> Context {
        let (r, as_of) = (self.register, self.as_of);
        let mut c = self.context(&r.site.title, "", None, Vec::new());
        c.insert("census", &oversight_analysis::census(r, as_of));
        c.insert("systems", &oversight_analysis::system_nouns(as_of));
        c.insert("stats", &blocks::stats(r, as_of));
        let in_programme: Vec<_> = oversight_analysis::in_programme(r, as_of)
            .into_iter()
            .map(|o| views::org_row(o, self.urls, as_of))
            .collect();
        c.insert("in_programme", &in_programme);
        // The timeline as at the site's date, every row a link to its organisation.
        let options =
            ChartOptions { id_prefix: "home-tl".into(), links: Some(self.urls.clone()), ..ChartOptions::new(as_of) };
        let caption = format!(
            "Recovery Support Programme entry and exit points, as at {}. The <a href=\"{}\">timeline page</a> gives the same information as a table, with the data to download.",
            oversight_syntax::escape::xml(&as_of.display_long()),
            oversight_syntax::escape::xml(&self.urls.path("timeline/"))
        );
        let chart = html::chart(&svg::render(r, &options), Some(&svg::render(r, &options.narrow())), &caption);
        c.insert("timeline_chart", &chart);
        let since = as_of.plus_months(-6);
        let changes: Vec<_> = oversight_analysis::changes_between(r, since, as_of)
            .iter()
            .rev()
            .take(15)
            .map(|e| views::change_view(e, r, self.urls))
            .collect();
        c.insert("changes", &changes);
        c.insert(
            "changes_caption",
            &format!("Changes in the six months to {}, most recent first", as_of.display_long()),
        );
        c.insert("changes_window", "six months");
        c.insert("pages", &self.pages.iter().take(5).map(|p| views::page_row(p, r, self.urls)).collect::<Vec<_>>());
        c
    }

    /// The organisations' listing, by name, and a page each.
    fn organisation_jobs(&self, inputs: &Inputs) -> Vec<Job<'_>> {
        let as_of = self.as_of;
        let mut orgs: Vec<_> = self.register.organisations.iter().collect();
        orgs.sort_by(|a, b| a.name.cmp(&b.name));
        let orgs = std::sync::Arc::new(orgs);
        let listed = std::sync::Arc::clone(&orgs);
        let mut jobs = vec![Site::job("organisations/", "organisations.html", inputs.key(inputs.records), move || {
            let mut c = self.context("Organisations", "organisations/", Some("organisations/"), Vec::new());
            c.insert("organisations", &listed.iter().map(|o| views::org_row(o, self.urls, as_of)).collect::<Vec<_>>());
            c
        })];
        for &org in orgs.iter() {
            let deps = inputs.key((inputs.file(org.file), inputs.related(org)));
            jobs.push(Job::new(PageSource::Organisation(org), "organisation.html", deps));
        }
        jobs
    }

    /// The Updates listing: the narrative pages `paginate_by` to a page, newest first.
    fn updates_jobs(&self, inputs: &Inputs) -> Vec<Job<'_>> {
        let (r, pages) = (self.register, &self.pages);
        let size = r.site.paginate_by.map_or(DEFAULT_PAGINATE_BY, std::num::NonZeroUsize::get);
        let chunks: Vec<&[&Page]> = if pages.is_empty() { vec![&[]] } else { pages.chunks(size).collect() };
        let count = chunks.len();
        let mut jobs = Vec::with_capacity(count);
        for (i, chunk) in chunks.into_iter().enumerate() {
            let number = i + 1;
            let path = updates_path(number);
            let rows: Vec<(u64, u64)> = (i * size..i * size + chunk.len()).map(|j| inputs.page(j)).collect();
            let deps = inputs.key(("updates", number, count, pages.len(), rows));
            let mut job = Site::job(&path.clone(), "pages-index.html", deps, move || {
                let title =
                    if count == 1 { "Updates".to_string() } else { format!("Updates (page {number} of {count})") };
                let crumbs = if number == 1 { Vec::new() } else { vec![self.crumb("Updates", "pages/")] };
                let mut c = self.context(&title, &path, Some("pages/"), crumbs);
                c.insert("pages", &chunk.iter().map(|p| views::page_row(p, r, self.urls)).collect::<Vec<_>>());
                let url = |n: usize| self.urls.path(&updates_path(n));
                c.insert("pager", &views::pager(number, count, (i * size, chunk.len(), pages.len()), url));
                c
            });
            // Later pages are reached through the first; search engines need only that.
            job.in_sitemap = number == 1;
            jobs.push(job);
        }
        jobs
    }

    /// The statutory pages, unless the site has its own page at the same address.
    fn statutory_jobs(&self, inputs: &Inputs) -> Vec<Job<'_>> {
        let (r, as_of) = (self.register, self.as_of);
        let mut jobs = Vec::new();
        for page in statutory::PAGES {
            if self.pages.iter().any(|p| p.id == page.id) {
                continue;
            }
            let deps = inputs.key(("statutory", page.id, inputs.records, inputs.papers));
            jobs.push(Site::job(&page.path(), page.template, deps, move || {
                let mut c = self.context(page.title, &page.path(), None, Vec::new());
                if page.id == statutory::ACCESSIBILITY.id {
                    // PDFs are published when the build makes them and there is a paper or pack.
                    let pdfs = self.pdfs && !(r.papers.is_empty() && r.meetings.is_empty());
                    c.insert("statement", &statutory::statement(r, self.urls, as_of, pdfs));
                }
                c
            }));
        }
        jobs
    }

    /// Board meetings and papers, all keyed by `deps` (the records and papers).
    fn meeting_jobs(&self, deps: u64) -> Vec<Job<'_>> {
        let r = self.register;
        let mut meetings: Vec<_> = r.meetings.iter().collect();
        meetings.sort_by(|a, b| (b.date, &a.id).cmp(&(a.date, &b.id)));
        let views: Vec<MeetingView> = meetings.iter().map(|m| self.meeting_view(m)).collect();
        let mut jobs = Vec::new();
        let link = |p: &oversight_model::Paper| PaperLink {
            item: String::new(),
            title: p.title.clone(),
            url: self.urls.target(&Target::Record(RecordKind::Paper, p.id.clone())),
            file: self.file_view(p),
        };
        // A paper on no agenda here is either on none, or a private paper past its
        // `restricted_until` (its private meeting is not on the website).
        let (released, unlisted): (Vec<_>, Vec<_>) =
            r.papers.iter().filter(|p| r.meeting_of(&p.id).is_none()).partition(|p| p.restricted_until.is_some());
        let released: Vec<PaperLink> = released.into_iter().map(link).collect();
        let unlisted: Vec<PaperLink> = unlisted.into_iter().map(link).collect();
        let mut c = self.context("Board meetings and papers", "meetings/", Some("meetings/"), Vec::new());
        c.insert("meetings", &views);
        c.insert("unlisted", &unlisted);
        c.insert("released", &released);
        // Meetings are few and their views cheap: their contexts are made here.
        jobs.push(Site::job("meetings/", "meetings-index.html", deps, move || c.clone()));
        for view in views {
            let path = Urls::relative(&Target::Record(RecordKind::Meeting, view.id.clone()));
            let mut c = self.context(
                &view.title,
                &path,
                Some("meetings/"),
                vec![self.crumb("Board meetings and papers", "meetings/")],
            );
            c.insert("meeting", &view);
            jobs.push(Site::job(&path, "meeting.html", deps, move || c.clone()));
        }
        for paper in &r.papers {
            let path = Urls::relative(&Target::Record(RecordKind::Paper, paper.id.clone()));
            jobs.push(Site::job(&path.clone(), "paper.html", deps, move || self.paper_context(paper, &path)));
        }
        jobs
    }

    /// A meeting as its page and the listing show it: its agenda, and its papers in order.
    fn meeting_view(&self, m: &oversight_model::Meeting) -> MeetingView {
        let r = self.register;
        let paper_url = |id: &str| self.urls.target(&Target::Record(RecordKind::Paper, id.to_string()));
        let schedule = m.schedule();
        MeetingView {
            id: m.id.clone(),
            url: self.urls.target(&Target::Record(RecordKind::Meeting, m.id.clone())),
            title: m.title.clone(),
            body: m.body.clone(),
            date: m.date.into(),
            time: m.time.as_ref().map(|t| t.to_string()),
            end: schedule.end.map(oversight_model::schedule::show),
            timed: m.is_timed(),
            venue: m.venue.clone(),
            session: m.session.part(),
            agenda: m
                .agenda
                .iter()
                .zip(&schedule.starts)
                .map(|(a, start)| AgendaView {
                    time: start.map(oversight_model::schedule::show),
                    item: a.item.to_string(),
                    title: r.agenda_title(a),
                    url: a.paper.as_deref().map(paper_url),
                    file: a.paper.as_deref().and_then(|p| self.paper_file(p)),
                    presenter: a.presenter.clone(),
                    purpose: a.purpose.clone(),
                    appendices: self.appendices(a),
                    standing: oversight_analysis::standing::markdown(r, m, a).map(|md| Standing {
                        anchor: format!("item-{}", html::slug(&a.item.to_string())),
                        html: self.render_markdown(
                            &Body::new(md, 0),
                            String::new(),
                            &[],
                            Defaults { as_of: m.date, since: m.previous_meeting },
                            false,
                        ),
                    }),
                })
                .collect(),
            papers: m
                .agenda
                .iter()
                .flat_map(|a| {
                    let paper = a.paper.as_ref().map(|p| PaperLink {
                        item: a.item.to_string(),
                        // A PDF paper is called what this agenda calls it.
                        title: match r.paper(p).and_then(|x| x.attachment()) {
                            Some(_) => r.agenda_title(a),
                            None => r.paper_title(p),
                        },
                        url: paper_url(p),
                        file: self.paper_file(p),
                    });
                    paper.into_iter().chain(self.appendices(a))
                })
                .collect(),
            pack_pdf: self.pdfs.then(|| self.urls.path(&Urls::pack_pdf(&m.id))),
            part_two: r.part_two(m).map(|p| {
                p.items
                    .into_iter()
                    .map(|x| Excluded { item: x.item, title: x.title, reason: x.reason.map(|r| r.text()) })
                    .collect()
            }),
        }
    }

    /// An agenda item's appendices that are in the register (the check reports any other).
    fn appendices(&self, a: &oversight_model::AgendaItem) -> Vec<PaperLink> {
        a.appendices
            .iter()
            .filter(|x| self.register.paper(&x.paper).is_some())
            .map(|x| PaperLink {
                item: a.item.to_string(),
                title: x.title.clone(),
                url: self.urls.target(&Target::Record(RecordKind::Paper, x.paper.clone())),
                file: self.paper_file(&x.paper),
            })
            .collect()
    }

    /// The PDF given for the paper `id`, if it was written elsewhere.
    fn paper_file(&self, id: &str) -> Option<FileView> {
        self.register.paper(id).and_then(|p| self.file_view(p))
    }

    fn paper_context(&self, paper: &oversight_model::Paper, path: &str) -> Context {
        let r = self.register;
        {
            let defaults = Defaults::for_paper(r, &paper.id, self.as_of);
            let view = oversight_model::Cover::of(paper, r);
            let mut c = self.context(
                &paper.title,
                path,
                Some("meetings/"),
                vec![self.crumb("Board meetings and papers", "meetings/")],
            );
            c.insert("paper", &view);
            c.insert("pdf", &self.pdfs.then(|| self.urls.path(&Urls::paper_pdf(&paper.id))));
            // A paper written elsewhere is its PDF: the page gives its cover fields and the file.
            c.insert("file", &self.file_view(paper));
            c.insert(
                "body",
                &self.markdown(paper.file, paper.body(), doc_dir(RecordKind::Paper, &paper.id), defaults, true),
            );
            c
        }
    }

    /// The PDF of a paper written elsewhere, as the website publishes it.
    fn file_view(&self, paper: &oversight_model::Paper) -> Option<FileView> {
        let attachment = paper.attachment()?;
        Some(FileView {
            url: self.urls.path(&Urls::paper_pdf(&paper.id)),
            pages: attachment.pages.len(),
            size: views::file_size(attachment.pdf.0.len()),
        })
    }

    fn timeline_job(&self, deps: u64) -> Job<'_> {
        Site::job("timeline/", "timeline.html", deps, move || {
            let defaults = Defaults { as_of: self.as_of, since: None };
            let block = ResolvedBlock { kind: BlockKind::Timeline, options: Default::default(), block: 0..0 };
            let parts = blocks::expand(self.register, &block, defaults, 0, Some(self.urls));
            let url = |t: &Target| self.urls.target(t);
            let cx = html::Context {
                register: self.register,
                url: &url,
                links: Some(self.urls),
                doc_dir: String::new(),
                blocks: &[],
                defaults,
                number_paragraphs: false,
            };
            let mut c = self.context("Timeline of entry and exit points", "timeline/", Some("timeline/"), Vec::new());
            c.insert("body", &html::generated_html(&parts, &cx));
            c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_pages_are_newest_first_then_by_id_and_drafts_only_when_asked() {
        let page = |id: &str, date: Date, draft: bool| Page {
            id: id.into(),
            file: oversight_syntax::source::FileId::from_index(0),
            body: Body::default(),
            head: 0,
            title: id.into(),
            date,
            summary: None,
            organisation: None,
            draft,
            excerpt: String::new(),
        };
        let (old, new) = (Date::constant(2024, 1, 5), Date::constant(2025, 3, 1));
        let mut register = Register::default();
        register.pages = vec![
            page("b", old, false),
            page("c", new, false),
            page("a", old, false),
            page("d", new, true),
            page("a2", new, false),
        ];
        let ids = |drafts| -> Vec<&str> {
            Site::published_order(&register, drafts).into_iter().map(|i| register.pages[i].id.as_str()).collect()
        };
        assert_eq!(ids(false), ["a2", "c", "a", "b"]);
        assert_eq!(ids(true), ["a2", "c", "d", "a", "b"]);
    }
}
