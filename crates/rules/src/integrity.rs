//! Integrity rules (`OVS5xx`): references resolve, ids are unique, facts are not in the future.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Checker, Rule};
use oversight_model::Changed;
use oversight_model::format::INVALID_VALUE;
use oversight_model::images;
use oversight_model::kinds::{KINDS, RecordKind};
use oversight_model::links;
use oversight_model::links::doc_dir;
use oversight_model::{Body, OrgType, Organisation, Register, Session, SupportStatus};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::{Diagnostic, Level};
use oversight_syntax::hash::Map;
use oversight_syntax::markdown::LinkRef;
use oversight_syntax::source::{FileId, Span};
use oversight_syntax::suggest::closest;
use rayon::prelude::*;

pub static UNRESOLVED_REFERENCE: Rule = Rule {
    code: Code {
        code: "OVS501",
        name: "unresolved-reference",
        level: Level::Error,
        summary: "Every reference (organisation id, system id, paper, page) resolves",
        explanation: "Records refer to each other by id: support packages, undertakings and pages to an organisation, a provider to its `system` (an ICB record), a meeting's agenda to its papers and appendices, a PDF or Word paper's details file (`content/papers/<id>.yaml`) to the paper. Each id must be the id of a record of the right kind in this register; otherwise pages would link nowhere and counts would be wrong. The help line suggests the nearest existing id. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_references),
};

pub(crate) static DUPLICATE_ID: Rule = Rule {
    code: Code {
        code: "OVS502",
        name: "duplicate-id",
        level: Level::Error,
        summary: "Ids unique per record kind (and exit-criterion ids per episode)",
        explanation: "An id names one record: two organisations (or two support packages, undertakings or meetings) with the same id would make references ambiguous and overwrite each other's pages. Ids default to the file name, so duplicates come from an explicit `id:` or from `x.yaml` beside `x.yml`. A paper is one file: `x.md` beside `x.pdf` (or `x.docx`) is two papers with one id. Exit-criterion ids must be unique within their episode. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_duplicates),
};

pub(crate) static DUPLICATE_ORGANISATION: Rule = Rule {
    code: Code {
        code: "OVS507",
        name: "duplicate-organisation",
        level: Level::Error,
        summary: "One record per organisation: no two share an ODS code or a name",
        explanation: "An organisation has one record. Two records with the same ODS code or the same name (a file copied under a new file name, or one trust recorded twice) would count it twice: each of the copy's segment periods, entries and exits is added to every figure again. ODS codes are compared ignoring case, names ignoring case and spacing. A predecessor and its successor may share a name or an ODS code (an acquisition, or a merger that keeps a name) when one record names the other in `merged_into:` or `merged_from:`. Records with the same id are OVS502's. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_duplicate_organisations),
};

pub(crate) static FUTURE_DATED: Rule = Rule {
    code: Code {
        code: "OVS503",
        name: "future-dated",
        level: Level::Warning,
        summary: "Future-dated facts beyond the build's as-of date",
        explanation: "Facts (segment moves, RSP entry and exit, criteria met, undertakings accepted, varied or released, support started or completed, pages published) cannot be dated after the date the register is kept to: `as_of` in site.yaml, or today if it has none. `--as-of` on the command line only views the register as it stood on an earlier day; facts after that day are outside the view, not mistakes. A month (`2026-10`) is in the future only if all of it is. A later date is usually a typo in the year, or `as_of` left behind. Plans may be in the future: meeting dates, undertaking due dates and planned support are not checked. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_future),
};

pub(crate) static BROKEN_LINK: Rule = Rule {
    code: Code {
        code: "OVS504",
        name: "broken-link",
        level: Level::Error,
        summary: "Internal links in pages and papers resolve",
        explanation: "Markdown (pages, papers, and a support package's `description`) may link to records and pages by their place in content/: `@/organisations/uhmb`, `@/pages/updates/feb-2022`, `@/papers/rsp-update`, or a relative link to another page's `.md` file. Each must name a record that exists, so that a renamed or deleted record shows up as an error here rather than as a dead link on the published site. External links (https:, mailto:) are not checked. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    // Kept between edits by [`LinkChecks`], so `serve` checks again only the documents an
    // edit touches.
    check: None,
};

pub(crate) static UNPUBLISHED_LINK: Rule = Rule {
    code: Code {
        code: "OVS505",
        name: "unpublished-link",
        level: Level::Error,
        summary: "Published pages and papers do not link to what the website leaves out",
        explanation: "The website publishes nothing of a private meeting (`session: private`, a board's Part II): not the meeting, nor a paper presented only in private sessions. Draft pages and draft papers (`draft: true`) are published only with `--drafts`. A link from a published page, public paper or support package's description to one of them would be a dead link, and its address would name the private paper. Link to the public record instead, or take the link out. A private paper may link to anything: it is only ever in the pack. Source: data integrity; board papers of a private session are exempt from publication.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_unpublished_links),
};

pub(crate) static MISSING_SITE_FILE: Rule = Rule {
    code: Code {
        code: "OVS506",
        name: "missing-site-file",
        level: Level::Error,
        summary: "Files that site.yaml names (logo, favicon) exist",
        explanation: "`logo` and `favicon` in site.yaml name picture files by their path from the site folder (the folder that holds `content/`), conventionally `static/logo.svg` and `static/favicon.svg`. The build copies them into the website's `assets/`; a path that names no file would leave a broken picture in the header of every page, or no icon. Check the spelling and the folder: the path starts beside `content/`, not inside it. Source: website publishing.",
        source: "website publishing",
        configurable: true,
    },
    // Checked with site.yaml's other values in [`crate::check`], which knows the site folder.
    check: None,
};

pub(crate) static OUTPUT_NAME_CLASH: Rule = Rule {
    code: Code {
        code: "OVS508",
        name: "output-name-clash",
        level: Level::Error,
        summary: "The PDFs `oversight papers` writes have names of their own",
        explanation: "`oversight papers` writes each meeting's pack as `<meeting>-pack.pdf`, with `--per-member` a pack for each member in term as `<meeting>-pack-<member>.pdf`, and each paper as `<paper>.pdf`, all in one folder. A paper whose id is a pack's name (`2026-10-board-pack`) would be written over that pack, or the pack over it, and the board would be sent the wrong file. Names are compared ignoring case, as Windows and macOS folders do. Rename the paper's file (its id). Source: board papers.",
        source: "board papers",
        configurable: false,
    },
    check: Some(check_output_names),
};

pub(crate) static BROKEN_IMAGE: Rule = Rule {
    code: Code {
        code: "OVS509",
        name: "broken-image",
        level: Level::Error,
        summary: "Pictures in pages and papers are PNG, JPEG or SVG files inside content/",
        explanation: "A picture in a page or paper, `![Entries by quarter, 2021 to 2025](entries.png)`, names its file by its path from the document's folder: `entries.png` beside `content/papers/rsp-update.md` is `content/papers/entries.png`, and `../media/map.svg` from a page in `content/pages/updates/` is `content/pages/media/map.svg`. A paper's PDF places the picture, with its description as the alternative text PDF/UA asks for, and the website copies it to `media/`. The file must exist, be a PNG, JPEG or SVG picture as its name says, at most 20 MB, and be inside `content/`: a path that climbs out with `..`, or a symbolic link, is refused, so that nothing outside the register is published. Pictures on the web (`https://…`) and on the website (`/static/…`) are left as they are, and are not placed in PDFs. Source: website publishing.",
        source: "website publishing",
        configurable: true,
    },
    // Checked in [`crate::check`], which knows the site folder.
    check: None,
};

/// The pictures of every page and paper that name no readable picture inside `content/`
/// (OVS509).
pub(crate) fn broken_images(register: &Register, content: &std::path::Path) -> Vec<Diagnostic> {
    let pages = register.pages.iter().map(|p| (p.file, &p.body, RecordKind::Page, &p.id));
    let papers = register.papers.iter().map(|p| (p.file, p.body(), RecordKind::Paper, &p.id));
    let mut found = Vec::new();
    for (file, body, kind, id) in pages.chain(papers) {
        let folder = register.folder_of(file, content);
        for link in body.scan.links.iter().filter(|l| l.image && images::is_local(&l.dest)) {
            let problem = images::content_path(&link.dest, &doc_dir(kind, id))
                .and_then(|path| images::read(folder, &path).map(|_| ()))
                .err();
            if let Some(problem) = problem {
                found.push(
                    BROKEN_IMAGE
                        .at(Span::new(file, link.range.start, link.range.end), problem)
                        .with_help("give the path of a .png, .jpg or .svg file from the document's folder, e.g. `![What it shows](chart.png)` beside the paper, inside content/"),
                );
            }
        }
    }
    found
}

/// Papers (and, in theory, packs) whose PDFs `oversight papers` would write under a name
/// another of its PDFs has (OVS508): every pack and per-member pack it can write counts.
fn check_output_names(cx: &mut Checker) {
    let r = cx.register;
    // Each name (lower case, without `.pdf`) with what writes it and the file to point at.
    let mut names: HashMap<String, (String, FileId)> = HashMap::new();
    let mut clashes = Vec::new();
    let mut claim =
        |name: String, what: String, file: FileId, clashes: &mut Vec<_>| match names.get(&name.to_lowercase()) {
            Some((first, _)) => clashes.push((file, name, what, first.clone())),
            None => {
                names.insert(name.to_lowercase(), (what, file));
            }
        };
    // Two meetings with one id are OVS502's.
    let mut seen = std::collections::HashSet::new();
    for m in r.meetings.iter().filter(|m| seen.insert(m.id.as_str())) {
        claim(format!("{}-pack", m.id), format!("the pack of meeting `{}`", m.id), m.file, &mut clashes);
        for x in r.board_of(m).map_or(&[][..], |b| b.members.as_slice()).iter().filter(|x| x.in_term(m.date)) {
            let what = format!("the `--per-member` pack of meeting `{}` for `{}`", m.id, x.id);
            claim(format!("{}-pack-{}", m.id, x.id), what, m.file, &mut clashes);
        }
    }
    for p in &r.papers {
        claim(p.id.clone(), format!("the paper `{}`", p.id), p.file, &mut clashes);
    }
    for (file, name, what, first) in clashes {
        cx.report(
            OUTPUT_NAME_CLASH
                .at(Span::file_start(file), format!("`oversight papers` would write {what} and {first} both as `{name}.pdf`"))
                .with_help("rename the paper's file (its id is its file name): a pack is `<meeting>-pack.pdf`, a member's pack `<meeting>-pack-<member>.pdf`"),
        );
    }
}

/// The broken internal links (OVS504) of each page, paper and Markdown field that has any. Links resolve
/// against the ids of every record, so all documents are checked again when ids change;
/// otherwise only the documents read again.
#[derive(Debug, Default)]
pub(crate) struct LinkChecks {
    broken: Map<FileId, Vec<Diagnostic>>,
}

impl LinkChecks {
    /// Checks the links of every page, paper and Markdown field.
    pub(crate) fn new(register: &Register) -> LinkChecks {
        let documents = Document::all(register, |_| true);
        let found = documents.par_iter().map(|d| (d.file, broken_links(register, d)));
        LinkChecks { broken: found.filter(|(_, found)| !found.is_empty()).collect() }
    }

    /// Takes in what an update of the loaded site changed.
    pub(crate) fn update(&mut self, register: &Register, change: &Changed) {
        if change.ids_changed {
            *self = LinkChecks::new(register);
            return;
        }
        for &file in &change.reread {
            self.broken.remove(&file);
        }
        // Only the documents read again: building all of them would allocate for every page.
        for document in Document::all(register, |file| change.reread.contains(&file)) {
            let found = broken_links(register, &document);
            if !found.is_empty() {
                self.broken.entry(document.file).or_default().extend(found);
            }
        }
    }

    /// Every broken link found, in no particular order.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.broken.values().flatten().cloned()
    }
}

/// Markdown the website renders and links from: a page's or paper's body, or a record's
/// Markdown field (a support package's `description`), whose links are checked alike.
struct Document<'a> {
    file: FileId,
    body: Cow<'a, Body>,
    /// Relative links start from this folder under content/.
    dir: String,
    /// The YAML key of a Markdown field, where its links are reported (the text of a YAML
    /// string is not where it sits in the file); `None` for a body, reported at the link.
    field: Option<&'static str>,
    /// Whether the website publishes it (not a draft, not a paper presented only in private).
    published: bool,
}

impl<'a> Document<'a> {
    /// The documents of the files `keep` picks.
    fn all(r: &'a Register, keep: impl Fn(FileId) -> bool) -> Vec<Document<'a>> {
        let pages = r.pages.iter().filter(|p| keep(p.file)).map(|p| Document {
            file: p.file,
            body: Cow::Borrowed(&p.body),
            dir: doc_dir(RecordKind::Page, &p.id),
            field: None,
            published: !p.draft,
        });
        let papers = r.papers.iter().filter(|p| keep(p.file)).map(|p| Document {
            file: p.file,
            body: Cow::Borrowed(p.body()),
            dir: doc_dir(RecordKind::Paper, &p.id),
            field: None,
            published: !p.draft && !r.is_private_paper(&p.id),
        });
        let support = r.support.iter().filter(|s| keep(s.file)).filter_map(|s| {
            Some(Document {
                file: s.file,
                body: Cow::Owned(Body::new(s.description.clone()?, 0)),
                dir: doc_dir(RecordKind::Support, &s.id),
                field: Some("description"),
                published: true,
            })
        });
        pages.chain(papers).chain(support).collect()
    }

    /// Where a link of this document is reported.
    fn at(&self, register: &Register, link: &LinkRef) -> Span {
        match self.field {
            Some(key) => register.value_span(self.file, key),
            None => Span::new(self.file, link.range.start, link.range.end),
        }
    }

    fn internal_links(&self) -> impl Iterator<Item = &LinkRef> {
        self.body.scan.links.iter().filter(|l| links::is_internal(&l.dest))
    }
}

/// The broken internal links (OVS504) of a document.
fn broken_links(register: &Register, document: &Document) -> Vec<Diagnostic> {
    document
        .internal_links()
        .filter_map(|link| {
            let problem = links::resolve(&link.dest, &document.dir, register).err()?;
            Some(BROKEN_LINK.at(document.at(register, link), format!("broken link: {problem}")).with_help(
                "link to a record as @/organisations/<id> (or @/pages/…, @/papers/…), or to another page's .md file",
            ))
        })
        .collect()
}

/// Links from what the website publishes to what it leaves out (OVS505): private meetings,
/// papers presented only in private, draft pages and papers.
fn check_unpublished_links(cx: &mut Checker) {
    let r = cx.register;
    let private = r.meetings.iter().any(|m| m.session == Session::Private);
    let drafts = r.pages.iter().any(|p| p.draft) || r.papers.iter().any(|p| p.draft);
    if !private && !drafts {
        return;
    }
    for document in Document::all(r, |_| true).iter().filter(|d| d.published) {
        for link in document.internal_links() {
            let problem = match links::resolve(&link.dest, &document.dir, r) {
                Ok((links::Target::Record(RecordKind::Meeting, m), _))
                    if r.meetings.iter().any(|x| x.id == m && x.session == Session::Private) =>
                {
                    format!("`{m}` is a private meeting, which the website does not publish")
                }
                Ok((links::Target::Record(RecordKind::Paper, p), _)) if r.is_private_paper(&p) => {
                    format!("`{p}` is presented only in private sessions, so the website does not publish it")
                }
                Ok((links::Target::Record(RecordKind::Page, p), _)) if r.page(&p).is_some_and(|p| p.draft) => {
                    format!("`{p}` is a draft page, which the website publishes only with --drafts")
                }
                Ok((links::Target::Record(RecordKind::Paper, p), _)) if r.paper(&p).is_some_and(|p| p.draft) => {
                    format!("`{p}` is a draft paper, which the website publishes only with --drafts")
                }
                _ => continue,
            };
            let d = UNPUBLISHED_LINK
                .at(document.at(r, link), format!("link to an unpublished record: {problem}"))
                .with_help("link to a published record instead, or remove the link");
            cx.report(d);
        }
    }
}

/// OVS501 at `span` for `id`, which names no organisation: the help suggests the nearest id,
/// or the organisation whose ODS code it is. None if the organisation's file could not be read:
/// that file's own problem is the one to fix, and a second error here would mislead.
pub(crate) fn unknown_organisation(register: &Register, span: Span, id: &str) -> Option<Diagnostic> {
    if register.is_unreadable(RecordKind::Organisation, id) {
        return None;
    }
    let d = UNRESOLVED_REFERENCE.at(span, format!("no organisation with id `{id}`"));
    let by_ods =
        register.organisations.iter().find(|o| o.ods_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(id)));
    if let Some(org) = by_ods {
        return Some(
            d.with_help(format!("`{id}` is the ODS code of `{}`: refer to it by its id, `{}`", org.name, org.id)),
        );
    }
    Some(match closest(id, register.organisations.iter().map(|o| o.id.as_str())) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help("ids are file names in content/organisations/ without `.yaml`"),
    })
}

fn check_references(cx: &mut Checker) {
    let register = cx.register;
    // (file, path, organisation id); most paths are fixed keys, so they are not allocated.
    let mut wanted: Vec<(FileId, Cow<str>, &str)> = Vec::new();
    for org in &register.organisations {
        if let Some(system) = &org.system {
            match register.organisation(system) {
                Some(target) if target.org_type != OrgType::Icb => {
                    let d = UNRESOLVED_REFERENCE
                        .at(
                            cx.value(org.file, "system"),
                            format!("`{system}` is an {}, not an ICB", target.org_type.name()),
                        )
                        .with_help("`system` names the ICB the provider belongs to");
                    cx.report(d);
                }
                Some(_) => {}
                None => wanted.push((org.file, "system".into(), system)),
            }
        }
        if let Some(into) = &org.merged_into {
            wanted.push((org.file, "merged_into.organisation".into(), &into.organisation));
        }
        for (k, from) in org.merged_from.iter().enumerate() {
            wanted.push((org.file, format!("merged_from[{k}].organisation").into(), &from.organisation));
        }
    }
    for s in &register.support {
        wanted.push((s.file, "organisation".into(), &s.organisation));
    }
    for u in &register.undertakings {
        wanted.push((u.file, "organisation".into(), &u.organisation));
    }
    for p in &register.pages {
        if let Some(org) = &p.organisation {
            wanted.push((p.file, "organisation".into(), org));
        }
    }
    for (file, path, id) in wanted {
        if register.organisation(id).is_none() {
            cx.diagnostics.extend(unknown_organisation(register, cx.value(file, &path), id));
        }
    }
    for meeting in &register.meetings {
        for (k, item) in meeting.agenda.iter().enumerate() {
            if let Some(paper) = &item.paper {
                match register.paper(paper) {
                    // A private meeting's paper is in the private folder, which was not read.
                    None if meeting.session == Session::Private && register.private_unread() => {}
                    None => {
                        let at = cx.value(meeting.file, &format!("agenda[{k}].paper"));
                        let fix =
                            format!("add content/papers/{paper}.md (or .pdf), or remove `paper:` for a standing item");
                        cx.diagnostics.extend(unknown_paper(register, at, paper, &fix));
                    }
                    // A paper written elsewhere has no title of its own to show in the agenda.
                    Some(p) if p.attachment().is_some() && item.title.is_none() => {
                        let d = INVALID_VALUE
                            .at(
                                cx.value(meeting.file, &format!("agenda[{k}]")),
                                format!(
                                    "agenda item {} presents `{paper}`, a paper written elsewhere, and has no `title`",
                                    item.item
                                ),
                            )
                            .with_help(
                                "add a `title:` to the item: a PDF or Word paper takes its title from the agenda",
                            );
                        cx.report(d);
                    }
                    Some(_) => {}
                }
            }
            for (j, appendix) in item.appendices.iter().enumerate() {
                let at = || cx.value(meeting.file, &format!("agenda[{k}].appendices[{j}].paper"));
                match register.paper(&appendix.paper) {
                    None if meeting.session == Session::Private && register.private_unread() => {}
                    None => {
                        let fix = format!("add content/papers/{}.pdf", appendix.paper);
                        let found = unknown_paper(register, at(), &appendix.paper, &fix);
                        cx.diagnostics.extend(found);
                    }
                    Some(p) if p.attachment().is_none() => {
                        let d = INVALID_VALUE
                            .at(
                                at(),
                                format!("`{}` is a Markdown paper; an appendix is a PDF or Word paper", appendix.paper),
                            )
                            .with_help("present a Markdown paper as an agenda item of its own (`paper:`)");
                        cx.report(d);
                    }
                    Some(_) => {}
                }
            }
        }
    }
    // With a meeting unread, the agenda that presents a paper may be the one that failed.
    let meetings_read = !register.is_incomplete(RecordKind::Meeting);
    for paper in register.papers.iter().filter(|p| p.attachment().is_some() && meetings_read) {
        if register.meeting_of(&paper.id).is_none() {
            let d = INVALID_VALUE
                .at(Span::file_start(paper.file), format!("no meeting's agenda presents `{}`, and a paper written elsewhere takes its title from the agenda", paper.id))
                .with_help(format!("name it in a meeting's agenda (`paper: {}` with a `title:`), or under an item's `appendices:`", paper.id));
            cx.report(d);
        }
    }
    for details in &register.paper_details {
        let d = match register.paper(&details.id) {
            Some(p) if p.attachment().is_some() => continue,
            Some(_) => INVALID_VALUE
                .at(
                    Span::file_start(details.file),
                    format!("`{}` is a Markdown paper, whose details are in its front matter", details.id),
                )
                .with_help(format!(
                    "move these fields into the front matter of content/papers/{}.md, and remove this file",
                    details.id
                )),
            None if register.is_unreadable(RecordKind::Paper, &details.id) => continue,
            None => UNRESOLVED_REFERENCE
                .at(
                    Span::file_start(details.file),
                    format!(
                        "these are the details of a paper `{}`, and there is no content/papers/{0}.pdf or .docx",
                        details.id
                    ),
                )
                .with_help("name the file as its paper is named, with .yaml in place of .pdf or .docx"),
        };
        cx.report(d);
    }
}

/// OVS501 at `span` for a paper `id` that does not exist (`fix` says how to add one). None if
/// its file could not be read: that file's own problem is the one to fix.
fn unknown_paper(register: &Register, span: Span, id: &str, fix: &str) -> Option<Diagnostic> {
    if register.is_unreadable(RecordKind::Paper, id) {
        return None;
    }
    let d = UNRESOLVED_REFERENCE.at(span, format!("no paper with id `{id}` in content/papers/"));
    Some(match closest(id, register.papers.iter().map(|p| p.id.as_str())) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help(fix.to_string()),
    })
}

fn check_duplicates(cx: &mut Checker) {
    let r = cx.register;
    for kind in KINDS.iter() {
        let Some(help) = kind.unique_ids else { continue };
        let mut first: HashMap<&str, FileId> = HashMap::new();
        for (id, file) in r.records(kind.kind) {
            let Some(&original) = first.get(id) else {
                first.insert(id, file);
                continue;
            };
            // Report at the explicit `id:` that makes the clash; if both or neither have one,
            // at the later file.
            let id_at = |f: FileId| cx.exact(f, "id");
            let (here, there) = match (id_at(original), id_at(file)) {
                (Some(_), None) => (original, file),
                _ => (file, original),
            };
            let d = DUPLICATE_ID
                .at(
                    id_at(here).unwrap_or(Span::file_start(here)),
                    format!("{} id `{id}` is also used by {}", kind.singular, cx.sources.path(there).display()),
                )
                .with_label(id_at(there).unwrap_or(Span::file_start(there)), "also used here")
                .with_help(help);
            cx.report(d);
        }
    }
    for org in &r.organisations {
        for (i, episode) in org.rsp.iter().enumerate() {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, criterion) in episode.exit_criteria.iter().enumerate() {
                if let Some(&earlier) = seen.get(criterion.id.as_str()) {
                    let d = DUPLICATE_ID
                        .at(
                            cx.value(org.file, &format!("rsp[{i}].exit_criteria[{k}].id")),
                            format!("exit criterion id `{}` appears twice in this episode", criterion.id),
                        )
                        .with_label(
                            cx.value(org.file, &format!("rsp[{i}].exit_criteria[{earlier}].id")),
                            "first used here",
                        );
                    cx.report(d);
                } else {
                    seen.insert(&criterion.id, k);
                }
            }
        }
    }
}

/// Organisations recorded twice (OVS507): the same ODS code or name in two records that are
/// not a predecessor and its successor. Reported at the later record in path order, with the
/// earlier one's matching values as labels.
fn check_duplicate_organisations(cx: &mut Checker) {
    let orgs = &cx.register.organisations;
    // The earlier records (indexes) with each ODS code and each name, compared as people
    // read them: `r8a` is `R8A`, and a double space or a capital is not another trust.
    let mut by_code: Map<String, Vec<usize>> = Map::with_capacity_and_hasher(orgs.len(), Default::default());
    let mut by_name: Map<String, Vec<usize>> = Map::with_capacity_and_hasher(orgs.len(), Default::default());
    for (i, org) in orgs.iter().enumerate() {
        let code = ods_key(org);
        let name = name_key(&org.name);
        let mut earlier: Vec<usize> =
            code.iter().flat_map(|c| by_code.get(c)).chain(by_name.get(&name)).flatten().copied().collect();
        earlier.sort_unstable();
        earlier.dedup();
        for j in earlier {
            let first = &orgs[j];
            // The same id is OVS502's; a merger may hand a name or code on.
            if first.id == org.id || merged(first, org) {
                continue;
            }
            let same_code = code.is_some() && code == ods_key(first);
            let same_name = name == name_key(&first.name);
            let shared = match (same_code, same_name) {
                (true, true) => {
                    format!("the ODS code `{}` and the name", org.ods_code.as_deref().unwrap_or_default().trim())
                }
                (true, false) => format!("the ODS code `{}`", org.ods_code.as_deref().unwrap_or_default().trim()),
                _ => "the name".to_string(),
            };
            let at = if same_code { "ods_code" } else { "name" };
            let mut d = DUPLICATE_ORGANISATION
                .at(
                    cx.value(org.file, at),
                    format!(
                        "`{}` has {shared} of `{}` ({}): one organisation in two records is counted twice",
                        org.id,
                        first.id,
                        cx.sources.path(first.file).display()
                    ),
                )
                .with_help("keep one record per organisation and remove the copy; if one merged into the other, say so with `merged_into:` in the predecessor");
            if same_code {
                d = d.with_label(cx.value(first.file, "ods_code"), "the same ODS code here");
            }
            if same_name {
                d = d.with_label(cx.value(first.file, "name"), "the same name here");
            }
            cx.report(d);
        }
        if let Some(code) = code {
            by_code.entry(code).or_default().push(i);
        }
        by_name.entry(name).or_default().push(i);
    }
}

/// An organisation's ODS code as compared: trimmed, upper case; none if blank.
fn ods_key(org: &Organisation) -> Option<String> {
    org.ods_code.as_deref().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty())
}

/// A name as compared: lower case, runs of spaces as one.
fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            // Most names: no allocation for the word's lower case.
            key.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            key.push_str(&word.to_lowercase());
        }
    }
    key
}

/// Whether one of the two records names the other as its predecessor or successor.
fn merged(a: &Organisation, b: &Organisation) -> bool {
    let names = |x: &Organisation, y: &Organisation| {
        x.merged_into.as_ref().is_some_and(|m| m.organisation == y.id)
            || x.merged_from.iter().any(|m| m.organisation == y.id)
    };
    names(a, b) || names(b, a)
}

fn check_future(cx: &mut Checker) {
    let r = cx.register;
    // Not the date the register is viewed at: a view at an earlier `--as-of` leaves later
    // facts outside it, and they are not mistakes.
    let horizon = cx.horizon;
    // (file, path, date) of each fact surely after the horizon. Every dated fact of the
    // register is looked at on each check, so a path is written out only for a fact reported.
    let mut late: Vec<(FileId, String, Date)> = Vec::new();
    let mut fact = |file: FileId, date: Option<Date>, path: &dyn Fn() -> String| {
        if let Some(date) = date.filter(|d| d.surely_after(horizon)) {
            late.push((file, path(), date));
        }
    };
    for org in &r.organisations {
        for (i, p) in org.segments.iter().enumerate() {
            fact(org.file, Some(p.from), &|| format!("segments[{i}].from"));
            fact(org.file, p.to, &|| format!("segments[{i}].to"));
        }
        for (i, e) in org.rsp.iter().enumerate() {
            fact(org.file, Some(e.entered), &|| format!("rsp[{i}].entered"));
            fact(org.file, e.exited, &|| format!("rsp[{i}].exited"));
            fact(org.file, e.diagnostic_completed, &|| format!("rsp[{i}].diagnostic_completed"));
            for (k, c) in e.exit_criteria.iter().enumerate() {
                fact(org.file, c.met, &|| format!("rsp[{i}].exit_criteria[{k}].met"));
            }
        }
        for (i, s) in org.sources.iter().enumerate() {
            fact(org.file, s.date, &|| format!("sources[{i}].date"));
        }
    }
    for u in &r.undertakings {
        fact(u.file, Some(u.accepted), &|| "accepted".into());
        for (k, v) in u.variations.iter().enumerate() {
            fact(u.file, Some(v.date), &|| format!("variations[{k}].date"));
        }
        fact(u.file, u.released, &|| "released".into());
    }
    for s in &r.support {
        if s.status != SupportStatus::Planned {
            fact(s.file, Some(s.start), &|| "start".into());
        }
        if s.status == SupportStatus::Completed {
            fact(s.file, s.end, &|| "end".into());
        }
    }
    for p in r.pages.iter().filter(|p| !p.draft) {
        fact(p.file, Some(p.date), &|| "date".into());
    }
    for (file, path, date) in late {
        let d = FUTURE_DATED
            .at(cx.value(file, &path), format!("{date} is after {horizon}, the date the register is kept to"))
            .with_help("check the year; or move `as_of` in site.yaml (the date the register is kept to; today if it has none) if the register has moved on");
        cx.report(d);
    }
}
