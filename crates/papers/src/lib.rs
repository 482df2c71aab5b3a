//! Board papers and packs as PDF: `oversight papers`, and the PDFs `oversight build` puts on
//! the website ([`website_pdfs`]). The only crate that depends on Typst.
//!
//! A paper's Markdown becomes Typst through [`markup`] (the same event stream and generated
//! blocks as the website); the layout is a Typst template (`templates/papers.typ`, built in,
//! overridable by a site's own file); metadata goes in as JSON. Everything compiles in an
//! in-memory [`world`] with embedded fonts. PDFs are tagged, and reproducible: the document
//! date is the meeting's (or `SOURCE_DATE_EPOCH`), never the clock.
//!
//! A paper written elsewhere (a PDF, or Word made PDF) is not typeset: its own PDF is its
//! PDF, and in a pack each of its pages goes under the pack's running header and footer
//! ([`Papers::pack_pdf`]): grafted in with its structure when it is tagged ([`graft`]), else
//! placed as an image by Typst.

mod graft;
mod markup;
mod world;

use std::path::Path;

use serde::Serialize;
use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use oversight_analysis::standing;
use oversight_model::Attachment;
use oversight_model::Cover;
use oversight_model::governance::Managed;
use oversight_model::images;
use oversight_model::kinds::RecordKind;
use oversight_model::links;
use oversight_model::links::doc_dir;
use oversight_model::urls::Urls;
use oversight_model::{AgendaItem, Meeting, Paper, Register};
use oversight_rules::blocks::{Blocks, Defaults};
use oversight_syntax::date::Date;
use world::PaperWorld;

/// The standards every paper and every pack that places no given PDF claims, and Typst
/// enforces: PDF/UA-1 (accessible) and PDF/A-2a (archivable, level A: tagged, with Unicode
/// text), both on PDF 1.7. PDF/A-2a is the highest PDF/A level Typst can claim beside UA-1:
/// PDF/A-3 only adds embedded files, and PDF/A-4 is PDF 2.0, which PDF/UA-1 does not allow.
pub const STANDARDS: [PdfStandard; 2] = [PdfStandard::A_2a, PdfStandard::Ua_1];

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
    /// When the meeting is planned to end (see [`oversight_model::schedule`]).
    end: Option<String>,
    venue: Option<String>,
    session: &'static str,
    /// A private (Part II) meeting: every page of its pack says so.
    private: bool,
    /// The member a per-member pack is for: its front page names them.
    recipient: Option<String>,
    /// The body's logo (site.yaml's `pack_logo`), as its path in the compilation.
    logo: Option<String>,
}

#[derive(Serialize)]
struct ExcludedData {
    item: String,
    title: Option<String>,
    reason: Option<&'static str>,
}

#[derive(Serialize)]
struct AgendaData {
    /// When the item starts, if the agenda is timed.
    time: Option<String>,
    item: String,
    title: String,
    presenter: Option<String>,
    purpose: Option<String>,
    paper: Option<String>,
    /// The item's appendices in the pack, each with the page it starts on.
    appendices: Vec<AppendixData>,
}

#[derive(Serialize)]
struct AppendixData {
    title: String,
    paper: String,
}

#[derive(Serialize)]
struct Data {
    author: String,
    /// Typst reads `date` through the Rust side (see `compile`); kept for templates.
    date_text: String,
    meeting: Option<MeetingData>,
    agenda: Vec<AgendaData>,
    papers: Vec<Cover>,
    /// A public meeting's resolution to exclude the public: its private items and reasons.
    part_two: Option<Vec<ExcludedData>>,
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
    /// The site's `content/` folder, which the pictures in papers are read from.
    pub content: std::path::PathBuf,
}

impl<'a> Papers<'a> {
    pub fn new(site_dir: &Path, register: &'a Register, blocks: &'a Blocks, as_of: Date) -> Papers<'a> {
        let template = std::fs::read_to_string(site_dir.join("templates/papers.typ")).ok();
        let base = register.site.base_url.clone().unwrap_or_else(|| "/".into());
        let urls = Urls::new(&base).unwrap_or_else(|_| Urls::new("/").expect("/ is a valid base"));
        Papers { register, blocks, as_of, template, urls, content: site_dir.join("content") }
    }

    /// A paper written elsewhere as an agenda item of `meeting` places it: its title as the
    /// item gives it; as an appendix (of `parent`, if the item has a paper), the parent's
    /// marking and reference where it has none of its own.
    fn attached_cover(&self, paper: &Paper, meeting: &Meeting, item: &AgendaItem, parent: Option<&Paper>) -> Cover {
        let mut cover = Cover::presented(paper, Some((meeting, item)));
        cover.title = item.title_of(&paper.id).map_or_else(|| paper.title.clone(), str::to_string);
        if let Some(parent) = parent {
            cover.classification = cover.classification.or_else(|| parent.classification.clone());
            cover.publication_reference = cover.publication_reference.or_else(|| parent.publication_reference.clone());
        }
        cover
    }

    /// The markup that places `attachment` page by page, as `data.papers.at(index)`, bookmarked
    /// at `level`; its PDF goes into `files`. The markup's `graft:` argument is left for the
    /// caller to write, at the offset returned ([`Placed`]).
    fn place(attachment: &Attachment, index: usize, level: u8, files: &mut Vec<(String, Bytes)>) -> (String, usize) {
        let path = format!("/attached/{index}.pdf");
        files.push((path.clone(), Bytes::new(attachment.pdf.clone())));
        let sizes: Vec<String> = attachment.pages.iter().map(|p| format!("({}, {})", p.width, p.height)).collect();
        // A cover sheet first, in a pack: the paper's own first page says nothing of the
        // meeting, who presents it and why.
        let head = format!(
            "#attached-paper(data.papers.at({index}), \"{path}\", ({},), level: {level}, sheet: true, graft: ",
            sizes.join(", ")
        );
        (format!("{head})\n"), head.len())
    }

    /// The body of a paper as Typst, with its chart files. In a pack (`meeting`), its figures
    /// and blocks are as at that meeting's date, since its previous meeting: a paper on a
    /// public and a private agenda is worked out for each pack at its own meeting. On its own,
    /// as at the earliest meeting that presents it.
    fn body(&self, paper: &Paper, index: usize, meeting: Option<&Meeting>) -> markup::Emitted {
        let earliest = Defaults::for_paper(self.register, &paper.id, self.as_of);
        // A meeting with no `previous_meeting` keeps the one the check found the paper's
        // `changes-since` blocks complete with.
        let defaults = match meeting {
            Some(m) => Defaults { as_of: m.date, since: m.previous_meeting.or(earliest.since) },
            None => earliest,
        };
        let blocks = self.blocks.get(&paper.file).map_or(&[][..], Vec::as_slice);
        let dir = doc_dir(RecordKind::Paper, &paper.id);
        // A private paper's pictures are beside it in the private folder.
        let folder = self.register.folder_of(paper.file, &self.content);
        let link = |dest: &str| -> Option<String> {
            let (target, fragment) = links::resolve(dest, &dir, self.register).ok()?;
            let url = self.urls.absolute(&Urls::relative(&target));
            Some(fragment.map_or(url.clone(), |f| format!("{url}#{f}")))
        };
        // The check has read each picture (OVS509); one that cannot be read now is described.
        let image = |dest: &str| -> Option<(String, Vec<u8>)> {
            if !images::is_local(dest) {
                return None;
            }
            let path = images::content_path(dest, &dir).ok()?;
            let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
            Some((ext, images::read(folder, &path).ok()?))
        };
        let cx = markup::Context {
            register: self.register,
            blocks,
            defaults,
            number_paragraphs: true,
            link: &link,
            prefix: format!("paper{index}"),
            image: &image,
        };
        markup::emit(paper.body(), &cx)
    }

    /// One paper as a PDF. A paper written elsewhere is its own PDF, as it was given (a Word
    /// paper's, as LibreOffice made it).
    pub fn paper_pdf(&self, paper: &Paper) -> Result<Vec<u8>, PaperError> {
        if let Some(attachment) = paper.attachment() {
            return Ok(attachment.pdf.0.to_vec());
        }
        let meeting = self.register.meeting_of(&paper.id);
        let date = meeting.map_or(self.as_of, |(m, _)| m.date);
        let body = self.body(paper, 0, None);
        let data = Data {
            author: self.register.site.publisher.clone().unwrap_or_else(|| self.register.site.title.clone()),
            date_text: date.display_long(),
            meeting: None,
            agenda: Vec::new(),
            papers: vec![Cover::presented(paper, meeting)],
            part_two: None,
        };
        let main = format!(
            "#import \"/papers.typ\": *\n#let data = json(\"/data.json\")\n#let data = data + (date: {})\n#show: paper-document.with(data)\n{}",
            typst_date(date),
            body.markup
        );
        let files = body.files.into_iter().map(|(path, bytes)| (path, Bytes::new(bytes))).collect();
        self.compile(main, &data, files, date, Claim::Standards, &format!("paper `{}`", paper.id))
    }

    /// A meeting's pack as a PDF: front page, agenda with page numbers, every paper, each
    /// item's appendices after its paper, and the standing items made from the records.
    pub fn pack_pdf(&self, meeting: &Meeting) -> Result<Vec<u8>, PaperError> {
        self.pack_pdf_for(meeting, None)
    }

    /// The items `member` is conflicted on and does not take part in: their papers are left
    /// out of the member's pack.
    pub fn withheld_from(&self, meeting: &Meeting, member: &str) -> Vec<usize> {
        let mut items: Vec<usize> = self
            .register
            .conflicts(meeting)
            .into_iter()
            .filter(|c| c.member.id == member && c.managed.is_none_or(|m| m.managed == Managed::Withheld))
            .map(|c| c.item)
            .collect();
        items.dedup();
        items
    }

    /// A meeting's pack for one member (`for_member`: their id and how the front page names
    /// them), or for everyone (`None`). A member's pack replaces each item they are conflicted
    /// on with a page saying it is withheld: nothing of its papers is in the file.
    pub fn pack_pdf_for(&self, meeting: &Meeting, for_member: Option<(&str, String)>) -> Result<Vec<u8>, PaperError> {
        let withheld = for_member.as_ref().map(|(id, _)| self.withheld_from(meeting, id)).unwrap_or_default();
        let mut markup = String::new();
        let mut files: Vec<(String, Bytes)> = Vec::new();
        let mut papers = Vec::new();
        // Where each item starts in the pack: the id its agenda line looks up.
        let mut starts: Vec<Option<String>> = Vec::new();
        let mut placed = Placed::default();
        for (index, item) in meeting.agenda.iter().enumerate() {
            if withheld.contains(&index) {
                let id = format!("withheld-{index}");
                let data_index = papers.len();
                papers.push(Cover::item_page(id.clone(), self.register.agenda_title(item), meeting, item));
                markup.push_str(&format!("#pagebreak()\n#paper-start(data.papers.at({data_index}))\n#withheld(data.papers.at({data_index}))\n"));
                starts.push(Some(id));
                continue;
            }
            if let Some(md) = standing::markdown(self.register, meeting, item) {
                let id = format!("standing-{index}");
                let data_index = papers.len();
                papers.push(Cover::item_page(id.clone(), self.register.agenda_title(item), meeting, item));
                let body = self.standing_body(&md, meeting, index);
                markup.push_str(&format!(
                    "#pagebreak()\n#paper-start(data.papers.at({data_index}))\n#standing-item(data.papers.at({data_index}))\n{}\n",
                    body.markup
                ));
                files.extend(body.files.into_iter().map(|(path, bytes)| (path, Bytes::new(bytes))));
                starts.push(Some(id));
                continue;
            }
            let paper = item.paper.as_deref().and_then(|id| self.register.paper(id));
            if let Some(paper) = paper {
                let data_index = papers.len();
                match paper.attachment() {
                    None => {
                        let body = self.body(paper, index, Some(meeting));
                        papers.push(Cover::presented(paper, Some((meeting, item))));
                        markup.push_str(&format!(
                            "#pagebreak()\n#paper-start(data.papers.at({data_index}))\n#cover(data.papers.at({data_index}))\n{}\n",
                            body.markup
                        ));
                        files.extend(body.files.into_iter().map(|(path, bytes)| (path, Bytes::new(bytes))));
                    }
                    Some(attachment) => {
                        papers.push(self.attached_cover(paper, meeting, item, None));
                        placed.push(&mut markup, attachment, Self::place(attachment, data_index, 1, &mut files));
                    }
                }
            }
            for appendix in &item.appendices {
                let Some(appended) = self.register.paper(&appendix.paper) else { continue };
                let Some(attachment) = appended.attachment() else { continue };
                let data_index = papers.len();
                papers.push(self.attached_cover(appended, meeting, item, paper));
                // Under its paper's bookmark; an item without a paper bookmarks it on its own.
                let level = if paper.is_some() { 2 } else { 1 };
                placed.push(&mut markup, attachment, Self::place(attachment, data_index, level, &mut files));
            }
            // The page an item starts on: its paper's, else its first appendix's.
            starts.push(
                item.paper
                    .iter()
                    .chain(item.appendices.iter().map(|x| &x.paper))
                    .find(|p| self.register.paper(p).is_some())
                    .cloned(),
            );
        }
        let recipient = for_member.as_ref().map(|(_, name)| name.clone());
        let schedule = meeting.schedule();
        let logo = self.pack_logo().map(|(ext, bytes)| {
            let path = format!("/pack-logo.{ext}");
            files.push((path.clone(), Bytes::new(bytes)));
            path
        });
        let data = Data {
            author: meeting.body.clone(),
            date_text: meeting.date.display_long(),
            meeting: Some(MeetingData {
                body: meeting.body.clone(),
                title: meeting.title.clone(),
                date_text: meeting.date.display_long(),
                time: meeting.time.as_ref().map(|t| t.to_string()),
                end: schedule.end.map(oversight_model::schedule::show),
                venue: meeting.venue.clone(),
                session: meeting.session.part(),
                private: meeting.session == oversight_model::Session::Private,
                recipient,
                logo,
            }),
            agenda: meeting
                .agenda
                .iter()
                .zip(starts)
                .enumerate()
                .map(|(index, (a, start))| AgendaData {
                    time: schedule.starts[index].map(oversight_model::schedule::show),
                    item: a.item.to_string(),
                    title: self.register.agenda_title(a),
                    presenter: a.presenter.clone(),
                    purpose: a.purpose.clone(),
                    paper: start,
                    appendices: if withheld.contains(&index) {
                        Vec::new()
                    } else {
                        a.appendices
                            .iter()
                            .filter(|x| self.register.paper(&x.paper).is_some_and(|p| p.attachment().is_some()))
                            .map(|x| AppendixData { title: x.title.clone(), paper: x.paper.clone() })
                            .collect()
                    },
                })
                .collect(),
            papers,
            part_two: self.register.part_two(meeting).map(|p| {
                p.items
                    .into_iter()
                    .map(|x| ExcludedData { item: x.item, title: x.title, reason: x.reason.map(|r| r.text()) })
                    .collect()
            }),
        };
        let what = match &for_member {
            Some((id, _)) => format!("the pack for meeting `{}` for member `{id}`", meeting.id),
            None => format!("the pack for meeting `{}`", meeting.id),
        };
        let main = |graft: bool| {
            format!(
                "#import \"/papers.typ\": *\n#let data = json(\"/data.json\")\n#let data = data + (date: {})\n#show: pack-document.with(data)\n{}",
                typst_date(meeting.date),
                placed.markup(&markup, graft)
            )
        };
        // Tagged given PDFs are grafted in, structure and all (see [`graft`]), and the pack
        // claims PDF/UA-1; one that cannot be is placed as Typst places it, and the pack claims
        // no standard.
        if placed.graftable()
            && let Ok(pdf) = self.compile(main(true), &data, files.clone(), meeting.date, Claim::Accessible, &what)
        {
            let given: Vec<&[u8]> = placed.at.iter().map(|(_, a)| &a.pdf.0[..]).collect();
            if let Ok(pdf) = graft::graft(&pdf, &given) {
                return Ok(pdf);
            }
        }
        let claim = placed.newest().map_or(Claim::Standards, Claim::Placed);
        self.compile(main(false), &data, files, meeting.date, claim, &what)
    }

    /// The body's logo for the front page of packs, as its extension and bytes, if site.yaml
    /// names one (the check has read it: OVS506).
    fn pack_logo(&self) -> Option<(String, Vec<u8>)> {
        use oversight_model::config::SiteFile;
        let path = SiteFile::PackLogo.value(&self.register.site)?;
        let ext = SiteFile::PackLogo.checked(path).ok()?;
        let site_dir = self.content.parent()?;
        Some((ext, std::fs::read(site_dir.join(path.trim())).ok()?))
    }

    /// A standing item's Markdown as Typst (no paragraph numbers: it is a record, not a paper).
    fn standing_body(&self, md: &str, meeting: &Meeting, index: usize) -> markup::Emitted {
        let body = oversight_model::Body::new(md.to_string(), 0);
        let defaults = Defaults { as_of: meeting.date, since: meeting.previous_meeting };
        let link = |_: &str| -> Option<String> { None };
        let cx = markup::Context {
            register: self.register,
            blocks: &[],
            defaults,
            number_paragraphs: false,
            link: &link,
            prefix: format!("standing{index}"),
            image: &|_| None,
        };
        markup::emit(&body, &cx)
    }

    /// Typesets `main`, claiming what `claim` says.
    fn compile(
        &self,
        main: String,
        data: &Data,
        mut files: Vec<(String, Bytes)>,
        date: Date,
        claim: Claim,
        what: &str,
    ) -> Result<Vec<u8>, PaperError> {
        let template = self.template.clone().unwrap_or_else(|| TEMPLATE.to_string());
        let template_name = if self.template.is_some() { "templates/papers.typ" } else { "the built-in papers.typ" };
        let mut value = serde_json::to_value(data).map_err(|e| PaperError { message: format!("{what}: {e}") })?;
        drawable_strings(&mut value);
        let json = serde_json::to_vec(&value).map_err(|e| PaperError { message: format!("{what}: {e}") })?;
        files.push(("/data.json".into(), Bytes::new(json)));
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
        // PDF/UA-1 and PDF/A-2a together (see [`STANDARDS`]): Typst then checks what each
        // requires (a title, the language, tagged tables, a description for every image,
        // embedded fonts, a date) and refuses a document that falls short. A pack that places
        // PDFs can claim neither (see [`Claim::Placed`]): it is tagged all the same, and
        // written as PDF 2.0 if it places a PDF 2.0 file.
        let standards = match claim {
            Claim::Standards => PdfStandards::new(&STANDARDS),
            Claim::Accessible => PdfStandards::new(&[PdfStandard::Ua_1]),
            Claim::Placed(version) if version > (1, 7) => PdfStandards::new(&[PdfStandard::V_2_0]),
            Claim::Placed(_) => Ok(PdfStandards::default()),
        }
        .map_err(|e| PaperError { message: format!("cannot write the PDF of {what}: {}", e.message()) })?;
        let options = PdfOptions {
            ident: Smart::Custom(what.to_string()),
            timestamp: Some(Timestamp::new_utc(today)),
            standards,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| PaperError {
            message: format!(
                "cannot write the PDF of {what}: {}",
                errors.first().map(|e| e.message.to_string()).unwrap_or_default()
            ),
        })?;
        match claim {
            Claim::Standards | Claim::Accessible => Ok(pdf),
            // Typst asks viewers to show the title only in a document that claims PDF/UA-1.
            Claim::Placed(_) => oversight_model::show_title(&pdf)
                .map_err(|e| PaperError { message: format!("cannot write the PDF of {what}: {e}") }),
        }
    }
}

/// What a PDF claims to meet.
#[derive(Clone, Copy)]
enum Claim {
    /// [`STANDARDS`]: PDF/UA-1 and PDF/A-2a.
    Standards,
    /// PDF/UA-1 alone: a pack with given PDFs grafted in, which are tagged, but which this
    /// tool cannot prove archivable (their colours, transparency and metadata are theirs).
    Accessible,
    /// Nothing: a pack that places given PDFs through Typst, which refuses to place a PDF in
    /// a document that claims a standard (the placed pages' tags are not kept). The newest
    /// version of the PDFs placed: a PDF 2.0 file can only be placed in a PDF 2.0 document.
    Placed((u8, u8)),
}

/// The given PDFs a pack places, in order, each with where its `graft:` argument goes in the
/// pack's markup.
#[derive(Default)]
struct Placed<'a> {
    at: Vec<(usize, &'a Attachment)>,
}

impl<'a> Placed<'a> {
    /// Appends the markup `placing` (from [`Papers::place`]) of `attachment` to `markup`.
    fn push(&mut self, markup: &mut String, attachment: &'a Attachment, (placing, offset): (String, usize)) {
        self.at.push((markup.len() + offset, attachment));
        markup.push_str(&placing);
    }

    /// The newest version of the PDFs placed, if any.
    fn newest(&self) -> Option<(u8, u8)> {
        self.at.iter().map(|(_, a)| a.version).max()
    }

    /// Whether every PDF placed is one [`graft`] can keep tagged in a PDF/UA-1 pack.
    fn graftable(&self) -> bool {
        !self.at.is_empty() && self.at.iter().all(|(_, a)| a.tagged && a.version <= (1, 7))
    }

    /// `markup` with each `graft:` argument written: the PDF's number if `graft`, else none.
    fn markup(&self, markup: &str, graft: bool) -> String {
        let mut out = markup.to_string();
        for (number, (offset, _)) in self.at.iter().enumerate().rev() {
            out.insert_str(*offset, &if graft { number.to_string() } else { "none".to_string() });
        }
        out
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
    // A paper written elsewhere is published by the website as it was given.
    let typeset = register.papers.par_iter().filter(|p| p.attachment().is_none());
    let papers = typeset.map(|p| maker.paper_pdf(p).map(|pdf| (Urls::paper_pdf(&p.id), pdf)));
    let packs = register.meetings.par_iter().map(|m| maker.pack_pdf(m).map(|pdf| (Urls::pack_pdf(&m.id), pdf)));
    papers.chain(packs).collect()
}
