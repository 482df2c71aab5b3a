//! Board papers and packs as PDF: `oversight papers`, and the PDFs `oversight build` puts on
//! the website ([`website_pdfs`]). The only crate that depends on Typst.
//!
//! A paper's Markdown becomes Typst through [`markup`] (the same event stream and generated
//! blocks as the website); the layout is a Typst template (`templates/papers.typ`, built in,
//! overridable by a site's own file); metadata goes in as JSON. Everything compiles in an
//! in-memory [`world`] with embedded fonts. PDFs are tagged, and reproducible: the document
//! date is the meeting's (or `SOURCE_DATE_EPOCH`), never the clock.

pub mod markup;
pub mod world;

use std::path::Path;

use serde::Serialize;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use oversight_model::cover::Cover;
use oversight_model::links;
use oversight_model::links::doc_dir;
use oversight_model::urls::Urls;
use oversight_model::{Meeting, Paper, Register};
use oversight_rules::blocks::{Blocks, Defaults};
use oversight_syntax::date::Date;
use world::PaperWorld;

/// The built-in layout.
pub const TEMPLATE: &str = include_str!("../../../templates/papers.typ");

/// Why a PDF could not be made. Typst errors are mapped to the paper or template they came
/// from.
#[derive(Debug)]
pub struct PaperError {
    pub message: String,
}

impl std::fmt::Display for PaperError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PaperError {}

#[derive(Serialize)]
struct MeetingData {
    body: String,
    title: String,
    date_text: String,
    time: Option<String>,
    venue: Option<String>,
    session: &'static str,
    /// A private (Part II) meeting: every page of its pack says so.
    private: bool,
}

#[derive(Serialize)]
struct AgendaData {
    item: String,
    title: String,
    presenter: Option<String>,
    purpose: Option<String>,
    paper: Option<String>,
}

#[derive(Serialize)]
struct Data {
    author: String,
    /// Typst reads `date` through the Rust side (see `compile`); kept for templates.
    date_text: String,
    meeting: Option<MeetingData>,
    agenda: Vec<AgendaData>,
    papers: Vec<Cover>,
}

/// Everything papers need from a checked site.
pub struct Papers<'a> {
    pub register: &'a Register,
    /// The generated blocks of every paper, as the check read them.
    pub blocks: &'a Blocks,
    pub as_of: Date,
    /// The site's own `templates/papers.typ`, if it has one.
    pub template: Option<String>,
    /// For links in papers: internal links become absolute URLs of the website.
    pub urls: Urls,
}

impl<'a> Papers<'a> {
    pub fn new(site_dir: &Path, register: &'a Register, blocks: &'a Blocks, as_of: Date) -> Papers<'a> {
        let template = std::fs::read_to_string(site_dir.join("templates/papers.typ")).ok();
        let base = register.site.base_url.clone().unwrap_or_else(|| "/".into());
        let urls = Urls::new(&base).unwrap_or_else(|_| Urls::new("/").expect("/ is a valid base"));
        Papers { register, blocks, as_of, template, urls }
    }

    /// The body of a paper as Typst, with its chart files.
    fn body(&self, paper: &Paper, index: usize) -> markup::Emitted {
        let defaults = Defaults::for_paper(self.register, &paper.id, self.as_of);
        let blocks = self.blocks.get(&paper.file).map_or(&[][..], Vec::as_slice);
        let dir = doc_dir("papers", &paper.id);
        let link = |dest: &str| -> Option<String> {
            let (target, fragment) = links::resolve(dest, &dir, self.register).ok()?;
            let url = self.urls.absolute(&Urls::relative(&target));
            Some(fragment.map_or(url.clone(), |f| format!("{url}#{f}")))
        };
        let cx = markup::Context {
            register: self.register,
            blocks,
            defaults,
            number_paragraphs: true,
            link: &link,
            prefix: format!("paper{index}"),
        };
        markup::emit(&paper.body, &cx)
    }

    /// One paper as a PDF.
    pub fn paper_pdf(&self, paper: &Paper) -> Result<Vec<u8>, PaperError> {
        let meeting = self.register.meeting_of(&paper.id);
        let date = meeting.map_or(self.as_of, |(m, _)| m.date);
        let body = self.body(paper, 0);
        let data = Data {
            author: self.register.site.publisher.clone().unwrap_or_else(|| self.register.site.title.clone()),
            date_text: date.display_long(),
            meeting: None,
            agenda: Vec::new(),
            papers: vec![Cover::presented(paper, meeting)],
        };
        let main = format!(
            "#import \"/papers.typ\": *\n#let data = json(\"/data.json\")\n#let data = data + (date: {})\n#show: paper-document.with(data)\n{}",
            typst_date(date),
            body.markup
        );
        self.compile(main, &data, body.files, date, &format!("paper `{}`", paper.id))
    }

    /// A meeting's pack as a PDF: front page, agenda with page numbers, every paper.
    pub fn pack_pdf(&self, meeting: &Meeting) -> Result<Vec<u8>, PaperError> {
        let mut markup = String::new();
        let mut files = Vec::new();
        let mut papers = Vec::new();
        for (index, item) in meeting.agenda.iter().enumerate() {
            let Some(paper) = item.paper.as_deref().and_then(|id| self.register.paper(id)) else { continue };
            let body = self.body(paper, index);
            let data_index = papers.len();
            papers.push(Cover::presented(paper, Some((meeting, item))));
            markup.push_str(&format!(
                "#pagebreak()\n#paper-start(data.papers.at({data_index}))\n#cover(data.papers.at({data_index}))\n{}\n",
                body.markup
            ));
            files.extend(body.files);
        }
        let data = Data {
            author: meeting.body.clone(),
            date_text: meeting.date.display_long(),
            meeting: Some(MeetingData {
                body: meeting.body.clone(),
                title: meeting.title.clone(),
                date_text: meeting.date.display_long(),
                time: meeting.time.as_ref().map(|t| t.to_string()),
                venue: meeting.venue.clone(),
                session: meeting.session.part(),
                private: meeting.session == oversight_model::Session::Private,
            }),
            agenda: meeting
                .agenda
                .iter()
                .map(|a| AgendaData {
                    item: a.item.to_string(),
                    title: self.register.agenda_title(a),
                    presenter: a.presenter.clone(),
                    purpose: a.purpose.clone(),
                    paper: a.paper.clone().filter(|p| self.register.paper(p).is_some()),
                })
                .collect(),
            papers,
        };
        let main = format!(
            "#import \"/papers.typ\": *\n#let data = json(\"/data.json\")\n#let data = data + (date: {})\n#show: pack-document.with(data)\n{markup}",
            typst_date(meeting.date)
        );
        self.compile(main, &data, files, meeting.date, &format!("the pack for meeting `{}`", meeting.id))
    }

    fn compile(
        &self,
        main: String,
        data: &Data,
        mut files: Vec<(String, Vec<u8>)>,
        date: Date,
        what: &str,
    ) -> Result<Vec<u8>, PaperError> {
        let template = self.template.clone().unwrap_or_else(|| TEMPLATE.to_string());
        let template_name = if self.template.is_some() { "templates/papers.typ" } else { "the built-in papers.typ" };
        let mut value = serde_json::to_value(data).map_err(|e| PaperError { message: format!("{what}: {e}") })?;
        drawable_strings(&mut value);
        let json = serde_json::to_vec(&value).map_err(|e| PaperError { message: format!("{what}: {e}") })?;
        files.push(("/data.json".into(), json));
        let today = datetime(source_date().unwrap_or(date));
        let world = PaperWorld::new(main, vec![("/papers.typ", template)], files, today);
        let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
            let first = errors.first().map(|e| {
                let place = e.span.id().map_or("", |id| {
                    if id == world.main_source().id() { "the generated paper" } else { template_name }
                });
                let line = e.span.id().and_then(|id| world.lookup(id)).and_then(|source| {
                    let start = typst::WorldExt::range(&world, e.span)?.start;
                    Some(source.text().get(..start)?.matches('\n').count() + 1)
                });
                match line {
                    Some(line) => format!("{} (in {place}, line {line})", e.message),
                    None => format!("{} (in {place})", e.message),
                }
            });
            PaperError { message: format!("cannot typeset {what}: {}", first.unwrap_or_default()) }
        })?;
        // PDF/UA-1: Typst then checks what the standard requires (a title, the language, tagged
        // tables, a description for every image) and refuses a document that falls short.
        let standards = PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| PaperError { message: format!("cannot write the PDF of {what}: {}", e.message()) })?;
        let options = PdfOptions {
            ident: Smart::Custom(what.to_string()),
            timestamp: Some(Timestamp::new_utc(today)),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| PaperError {
            message: format!(
                "cannot write the PDF of {what}: {}",
                errors.first().map(|e| e.message.to_string()).unwrap_or_default()
            ),
        })
    }
}

/// Every string in `value` with what no embedded font can draw shown as `�` (see
/// [`world::drawable`]): titles and names reach the PDF through the data as well as the body.
fn drawable_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(drawn) = world::drawable(s) {
                *s = drawn;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drawable_strings),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(drawable_strings),
        _ => {}
    }
}

/// `SOURCE_DATE_EPOCH` (https://reproducible-builds.org), as a date, if set.
fn source_date() -> Option<Date> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    let ts = jiff::Timestamp::from_second(seconds).ok()?;
    Some(Date::from_civil(ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
}

fn datetime(d: Date) -> Datetime {
    let c = d.civil();
    Datetime::from_ymd(i32::from(c.year()), c.month() as u8, c.day() as u8)
        .unwrap_or(Datetime::from_ymd(2000, 1, 1).expect("a valid date"))
}

/// A Typst `datetime(...)` expression for a date.
fn typst_date(d: Date) -> String {
    let c = d.civil();
    format!("datetime(year: {}, month: {}, day: {})", c.year(), c.month(), c.day())
}

/// Every paper's PDF and every meeting's pack of `register` (the register the website shows),
/// at their places in the site ([`Urls::paper_pdf`], [`Urls::pack_pdf`]), typeset in parallel.
/// Internal links in them point at `urls`.
pub fn website_pdfs(
    site_dir: &Path,
    register: &Register,
    blocks: &Blocks,
    as_of: Date,
    urls: &Urls,
) -> Result<Vec<(String, Vec<u8>)>, PaperError> {
    use rayon::prelude::*;
    let mut maker = Papers::new(site_dir, register, blocks, as_of);
    maker.urls = urls.clone();
    let papers = register.papers.par_iter().map(|p| maker.paper_pdf(p).map(|pdf| (Urls::paper_pdf(&p.id), pdf)));
    let packs = register.meetings.par_iter().map(|m| maker.pack_pdf(m).map(|pdf| (Urls::pack_pdf(&m.id), pdf)));
    papers.chain(packs).collect()
}
