//! Issue 26: papers and packs that are accessible (PDF/UA-1) and archivable (PDF/A-2a), read
//! back here from the PDF's own structure with hayro-syntax (the PDF reader already in the
//! build), independently of the Typst code that wrote it. `.ci/run` also runs an outside checker
//! (pdfua, tests/pdfua/check.py) over every PDF of the example; these tests check what that
//! checker cannot see or skips (the row headers' scope, the PDF/A claim, empty headings), and
//! do not depend on it being installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use hayro_syntax::Pdf;
use hayro_syntax::object::{Dict, Name, Object, Stream};
use oversight_papers::Papers;
use oversight_rules::check::{Checked, check_site};
use oversight_syntax::date::Date;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn checked(site: &Path) -> Checked {
    check_site(site, None, Date::constant(2026, 1, 1)).unwrap()
}

/// A structure element as read from the PDF: its role, its attributes' `/Scope`, whether it
/// marks any content itself, and its child elements.
#[derive(Debug)]
struct Element {
    role: String,
    scope: Option<String>,
    content: bool,
    kids: Vec<Element>,
}

impl Element {
    fn all(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for kid in &self.kids {
            out.extend(kid.all());
        }
        out
    }

    /// Whether it or anything under it marks page content.
    fn has_content(&self) -> bool {
        self.content || self.kids.iter().any(Element::has_content)
    }
}

/// What the tests read of a PDF.
#[derive(Debug)]
struct Read {
    marked: bool,
    lang: Option<String>,
    display_doc_title: bool,
    xmp: String,
    outlines: bool,
    tree: Option<Element>,
}

fn name(object: Option<Name>) -> Option<String> {
    object.map(|n| n.as_str().to_string())
}

fn element(dict: &Dict, depth: usize) -> Element {
    assert!(depth < 200, "the structure tree nests absurdly deep");
    let role = name(dict.get::<Name>(b"S")).unwrap_or_default();
    let attributes: Vec<Dict> = match dict.get::<Object>(b"A") {
        Some(Object::Dict(a)) => vec![a],
        Some(Object::Array(a)) => {
            a.iter::<Object>().filter_map(|o| if let Object::Dict(d) = o { Some(d) } else { None }).collect()
        }
        _ => Vec::new(),
    };
    let scope = attributes.iter().find_map(|a| name(a.get::<Name>(b"Scope")));
    let mut out = Element { role, scope, content: false, kids: Vec::new() };
    let kids: Vec<Object> = match dict.get::<Object>(b"K") {
        Some(Object::Array(a)) => a.iter::<Object>().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    };
    for kid in kids {
        match kid {
            Object::Number(_) => out.content = true,
            Object::Dict(d) if d.contains_key(b"S") => out.kids.push(element(&d, depth + 1)),
            // A marked-content or object reference (MCR, OBJR).
            Object::Dict(_) => out.content = true,
            _ => {}
        }
    }
    out
}

fn read(pdf: &[u8]) -> Read {
    let document = Pdf::new(Arc::new(pdf.to_vec())).expect("a readable PDF");
    let catalog: Dict = document.xref().get(document.xref().root_id()).expect("a catalog");
    let marked = catalog.get::<Dict>(b"MarkInfo").and_then(|m| m.get::<bool>(b"Marked")).unwrap_or(false);
    let lang = catalog
        .get::<hayro_syntax::object::String>(b"Lang")
        .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned());
    let display_doc_title =
        catalog.get::<Dict>(b"ViewerPreferences").and_then(|v| v.get::<bool>(b"DisplayDocTitle")).unwrap_or(false);
    let xmp = catalog
        .get::<Stream>(b"Metadata")
        .and_then(|s| s.decoded().ok().map(|d| String::from_utf8_lossy(&d).into_owned()))
        .unwrap_or_default();
    let tree = catalog.get::<Dict>(b"StructTreeRoot").map(|root| {
        let mut top = element(&root, 0);
        top.role = "StructTreeRoot".into();
        top
    });
    Read { marked, lang, display_doc_title, xmp, outlines: catalog.contains_key(b"Outlines"), tree }
}

/// What PDF/UA-1 and PDF/A-2a ask of every paper oversight typesets and every pack that places
/// no given PDF, as far as the file's own structure shows it.
fn assert_accessible_and_archivable(what: &str, pdf: &[u8]) -> Element {
    let r = read(pdf);
    assert!(r.marked, "{what}: /MarkInfo << /Marked true >>");
    assert_eq!(r.lang.as_deref(), Some("en-GB"), "{what}: the document's language");
    assert!(r.display_doc_title, "{what}: viewers asked to show the title");
    assert!(r.outlines, "{what}: bookmarks");
    assert!(r.xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{what}: claims PDF/UA-1: {}", r.xmp);
    assert!(
        r.xmp.contains("<pdfaid:part>2</pdfaid:part>") && r.xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{what}: claims PDF/A-2a: {}",
        r.xmp
    );
    assert!(r.xmp.contains("<dc:title>"), "{what}: a title");
    let tree = r.tree.unwrap_or_else(|| panic!("{what}: a structure tree"));
    let all = tree.all();
    let tables: Vec<&&Element> = all.iter().filter(|e| e.role == "Table").collect();
    assert!(!tables.is_empty(), "{what}: has tables (the cover block, the agenda)");
    for table in tables {
        let cells: Vec<&Element> = table.all().into_iter().filter(|e| e.role == "TH" || e.role == "TD").collect();
        let headers: Vec<&&Element> = cells.iter().filter(|e| e.role == "TH").collect();
        assert!(!headers.is_empty(), "{what}: a table with no header cell: {table:#?}");
        assert!(headers.iter().all(|h| h.scope.is_some()), "{what}: every header cell has a scope: {table:#?}");
    }
    for heading in all.iter().filter(|e| e.role.len() == 2 && e.role.starts_with('H') || e.role == "H") {
        assert!(heading.has_content(), "{what}: an empty heading: {heading:#?}");
    }
    tree
}

/// The cover block: the first table, whose every row is a label (TH, Scope Row) and a value.
fn assert_cover_labels_are_row_headers(what: &str, tree: &Element) {
    let all = tree.all();
    let cover = all.iter().find(|e| e.role == "Table").expect("a cover block");
    let rows: Vec<&Element> = cover.all().into_iter().filter(|e| e.role == "TR").collect();
    assert!(rows.len() >= 3, "{what}: the cover block has its rows: {cover:#?}");
    for row in rows {
        let cells: Vec<&Element> = row.kids.iter().filter(|e| e.role == "TH" || e.role == "TD").collect();
        assert_eq!(cells.len(), 2, "{what}: label and value: {row:#?}");
        assert_eq!((cells[0].role.as_str(), cells[0].scope.as_deref()), ("TH", Some("Row")), "{what}: {row:#?}");
        assert_eq!(cells[1].role, "TD", "{what}: the value is data: {row:#?}");
    }
}

#[test]
fn issue26_1_3_every_typeset_paper_is_pdf_ua_1_and_pdf_a_2a_with_row_headers_on_its_cover() {
    let c = checked(&root());
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let mut typeset = 0;
    for paper in c.register.papers.iter().filter(|p| p.attachment().is_none()) {
        let what = format!("paper {}", paper.id);
        let tree = assert_accessible_and_archivable(&what, &papers.paper_pdf(paper).unwrap());
        assert_cover_labels_are_row_headers(&what, &tree);
        typeset += 1;
    }
    assert!(typeset >= 3, "the example's Markdown papers were all read: {typeset}");
}

#[test]
fn issue26_1_3_a_pack_without_given_pdfs_is_pdf_ua_1_and_pdf_a_2a_and_its_agenda_has_column_headers() {
    let c = checked(&root());
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "2026-10-board-private").unwrap();
    let tree = assert_accessible_and_archivable("the private pack", &papers.pack_pdf(meeting).unwrap());
    let all = tree.all();
    let agenda =
        all.iter().filter(|e| e.role == "Table").find(|t| t.all().iter().any(|e| e.scope.as_deref() == Some("Column")));
    assert!(agenda.is_some(), "the agenda's header row: TH, Scope Column");
}

#[test]
fn issue26_2_a_pack_holding_an_untagged_given_pdf_is_tagged_shows_its_title_and_claims_nothing() {
    let c = checked(&root());
    let minutes = c.register.paper("2026-07-board-minutes").unwrap();
    assert!(!minutes.attachment().unwrap().tagged, "the example's minutes are an untagged PDF");
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "2026-10-board").unwrap();
    let pack = papers.pack_pdf(meeting).unwrap();
    let r = read(&pack);
    // Before: no DisplayDocTitle, so viewers showed the file name.
    assert!(r.marked && r.tree.is_some() && r.outlines, "tagged, with bookmarks");
    assert!(r.display_doc_title, "viewers asked to show the title");
    assert_eq!(r.lang.as_deref(), Some("en-GB"));
    assert!(!r.xmp.contains("pdfuaid") && !r.xmp.contains("pdfaid"), "claims no standard it cannot meet: {}", r.xmp);
    // Still one readable file: poppler reads every page, the minutes' among them.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.pdf");
    std::fs::write(&path, &pack).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (Debian poppler-utils; .ci/run installs it)");
    let info = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && info.contains("Tagged:          yes"), "{info}");
}

/// The roles of a structure tree's elements, in reading order, below its root.
fn roles(tree: &Element) -> Vec<&str> {
    tree.all().into_iter().skip(1).map(|e| e.role.as_str()).collect()
}

#[test]
fn issue26_2_a_pack_holding_a_tagged_given_pdf_keeps_its_structure_and_claims_pdf_ua_1() {
    // A tagged PDF written elsewhere: one of the example's papers as oversight typesets it,
    // given in place of the example's untagged minutes.
    let c = checked(&root());
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let tagged = papers.paper_pdf(c.register.paper("rsp-update").unwrap()).unwrap();
    let given = read(&tagged).tree.expect("the given PDF is tagged");
    let site = common::example_copy();
    std::fs::write(site.path().join("content/papers/2026-07-board-minutes.pdf"), &tagged).unwrap();
    let c = checked(site.path());
    assert!(c.register.paper("2026-07-board-minutes").unwrap().attachment().unwrap().tagged);
    let papers = Papers::new(site.path(), &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "2026-10-board").unwrap();
    let pack = papers.pack_pdf(meeting).unwrap();

    let r = read(&pack);
    assert!(r.marked && r.display_doc_title && r.outlines, "tagged, titled, bookmarked");
    assert_eq!(r.lang.as_deref(), Some("en-GB"));
    assert!(r.xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "claims PDF/UA-1: {}", r.xmp);
    assert!(!r.xmp.contains("pdfaid"), "claims no PDF/A level it cannot prove: {}", r.xmp);
    assert!(!pack.windows(15).any(|w| w == b"oversight-graft"), "no placeholder is left");
    // The given structure, element for element, as a Part of the pack's.
    let tree = r.tree.unwrap();
    let parts: Vec<&Element> = tree.all().into_iter().filter(|e| e.role == "Part").collect();
    assert_eq!(parts.len(), 1, "one given PDF, one Part: {tree:#?}");
    assert_eq!(roles(parts[0]), roles(&given), "the given PDF's elements, in its order");
    assert!(parts[0].has_content(), "and they mark the given pages' content");

    // The given pages' text is the pack's: poppler reads the paper's words on its pages.
    let dir = tempfile::tempdir().unwrap();
    let text = |name: &str, pdf: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, pdf).unwrap();
        let out = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let given_text = text("given.pdf", &tagged);
    let pack_text = text("pack.pdf", &pack);
    let sentence: String = given_text.split(". ").nth(3).expect("the given paper has sentences").to_string();
    assert!(pack_text.contains(&sentence), "the pack holds the given paper's text: {sentence}");
}
