//! Board papers and packs as PDF: read back with poppler's pdftotext, rebuilt for identical
//! bytes, and typeset from hostile Markdown.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use oversight_papers::Papers;
use oversight_rules::check::{Checked, check_site};
use oversight_syntax::date::Date;
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn checked(site: &Path) -> Checked {
    check_site(site, None, Date::constant(2026, 1, 1)).unwrap()
}

/// The text of each page of a PDF (poppler-utils' pdftotext, which .ci/run installs).
fn pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (Debian poppler-utils; .ci/run installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\x0c').map(String::from).collect();
    pages.pop(); // after the last form feed
    pages
}

/// A page's text with runs of white space (line breaks in wrapped text) as single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pack_has_a_front_page_an_agenda_with_true_page_numbers_and_every_paper() {
    let c = checked(&root());
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "2026-10-board").unwrap();
    let pdf = papers.pack_pdf(meeting).unwrap();
    let pages = pages(&pdf);
    let total = pages.len();
    assert!(total >= 5, "{total} pages");
    assert!(
        flat(&pages[0]).contains(
            "Example Regional Oversight Board (fictional) Board meeting held in public 1 October 2026, 10:00"
        ),
        "front page:\n{}",
        pages[0]
    );
    assert!(pages[1].contains("Agenda"));
    for (n, page) in pages.iter().enumerate().skip(1) {
        assert!(page.contains(&format!("Page {} of {total}", n + 1)), "page {} footer:\n{page}", n + 1);
    }
    // Each paper's agenda row ends in the page it starts on; that page opens with its cover
    // (a PDF paper's, with its own first page).
    // pdftotext gives a row's cells in reading order, as blank-line-separated chunks: the
    // item, its title, presenter and purpose, then the page.
    let chunks: Vec<String> = pages[1].split("\n\n").map(flat).filter(|c| !c.is_empty()).collect();
    for item in meeting.agenda.iter().filter(|a| a.paper.is_some()) {
        let paper = c.register.paper(item.paper.as_deref().unwrap()).unwrap();
        // The row is the item's number followed by its title (a page number may be the same
        // number as an item).
        let title: String = c.register.agenda_title(item).split_whitespace().take(2).collect::<Vec<_>>().join(" ");
        let row = (0..chunks.len().saturating_sub(1))
            // (after its start time, on a timed agenda: `10:10 3`).
            .find(|&i| {
                let number = chunks[i].rsplit(' ').next().unwrap_or_default();
                number == item.item.to_string() && chunks[i + 1].starts_with(&title)
            })
            .unwrap_or_else(|| panic!("no agenda row {}", item.item));
        let start: usize = chunks[row + 1..].iter().find_map(|c| c.parse().ok()).expect("a page number");
        let page = flat(&pages[start - 1]);
        let Some(attachment) = paper.attachment() else {
            let first_words: String = paper.title.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
            assert!(
                page.contains(&first_words),
                "agenda says {} starts on page {start}, which reads:\n{page}",
                item.item
            );
            assert!(page.contains("Agenda item") && page.contains(&format!("{} (public session)", item.item)));
            assert!(
                !flat(&pages[start - 2]).contains(&format!("{} (public session)", item.item)),
                "{} starts on a new page",
                item.item
            );
            continue;
        };
        // A PDF paper (the minutes): the page is its cover sheet, and the next its first
        // page, placed under the pack's header.
        assert!(page.contains("Presented by") && page.contains(&format!("{} (public session)", item.item)), "{page}");
        let own: String = flat(&self::pages(&attachment.pdf.0)[0]).split(' ').take(12).collect::<Vec<_>>().join(" ");
        let next = flat(&pages[start]);
        assert!(next.contains(&own), "the paper's first page follows its cover sheet, page {}:\n{next}", start + 1);
        assert!(next.contains(&format!("Item {}", item.item)), "{next}");
        assert!(!page.contains(&own));
    }
    // The cover block and numbered paragraphs of the RSP update.
    let text = flat(&pages.join("\n"));
    for field in [
        "Report by",
        "Paper type",
        "For information and discussion",
        "Organisation objective",
        "Working with people and communities",
        "Action required",
    ] {
        assert!(text.contains(field), "{field} missing");
    }
    assert!(text.contains("1. This paper updates the Board"), "paragraph 1");
    assert!(text.contains("2. The RSP was launched on 13 July 2021"), "paragraph 2, after a heading");
    // Generated blocks, computed at the meeting date.
    assert!(text.contains("As at 1 October 2026, there are 4 NHS providers in the Provider Improvement Programme."));
}

#[test]
fn pdfs_are_reproducible_and_tagged() {
    let c = checked(&root());
    let papers = Papers::new(&root(), &c.register, &c.blocks, c.as_of);
    let meeting = &c.register.meetings[0];
    let a = papers.pack_pdf(meeting).unwrap();
    let b = papers.pack_pdf(meeting).unwrap();
    assert!(a == b, "two runs give identical bytes");
    let paper = c.register.paper("rsp-update").unwrap();
    assert!(papers.paper_pdf(paper).unwrap() == papers.paper_pdf(paper).unwrap());
    let pdf = String::from_utf8_lossy(&a);
    assert!(pdf.contains("/StructTreeRoot"), "tagged PDF");
    assert!(pdf.contains("/Outlines"), "bookmarks");
    assert!(pdf.contains("en-GB"), "language");
}

#[test]
fn a_broken_template_is_reported_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("templates")).unwrap();
    let template = oversight_papers::TEMPLATE.replacen(
        "#let numbered(n, body) =",
        "#let numbered(n, body) = #undefined-thing +",
        1,
    );
    fs::write(dir.path().join("templates/papers.typ"), template).unwrap();
    let c = checked(&root());
    let papers = Papers::new(dir.path(), &c.register, &c.blocks, c.as_of);
    let err = papers.paper_pdf(c.register.paper("rsp-update").unwrap()).unwrap_err().to_string();
    assert!(err.contains("templates/papers.typ") && err.contains("line"), "{err}");
    assert!(err.contains("rsp-update"), "names the paper: {err}");
}

/// Markdown made of what Typst and Markdown treat specially.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("#import \"x.typ\": *"),
        Just("#set text(red)"),
        Just("#let x = 1"),
        Just("$x^2$"),
        Just("$"),
        Just("@ref"),
        Just("<label>"),
        Just("\\"),
        Just("\""),
        Just("]"),
        Just("["),
        Just(")"),
        Just("("),
        Just("{"),
        Just("}"),
        Just(";"),
        Just("*"),
        Just("_"),
        Just("`"),
        Just("```"),
        Just("~"),
        Just("="),
        Just("- "),
        Just("+ "),
        Just("1. "),
        Just("> "),
        Just("| a | b |\n|---|--:|\n| 1 | 2 |\n"),
        Just("[^n]"),
        Just("[^n]: note\n"),
        Just("[link](https://x.example/a\"b)"),
        Just("[link](@/organisations/kestrel-bay-university-hospitals)"),
        Just("![img](x.png)"),
        Just("<script>alert(1)</script>"),
        Just("**b**"),
        Just("~~s~~"),
        Just("- [x] t"),
        Just("\n"),
        Just("\n\n"),
        Just("    code"),
        Just("\t"),
        Just("é—"),
        Just("word"),
        Just(" "),
        Just("//"),
        Just("/*"),
        Just("```stats\n```\n"),
        Just("```timeline\norder: type\n```\n"),
        Just("# H\n"),
        Just("#"),
        Just("'"),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_typesets(body in hostile_markdown()) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(content.join("papers")).unwrap();
        fs::create_dir_all(content.join("organisations")).unwrap();
        fs::write(content.join("site.yaml"), "title: T\nas_of: 2024-12-05\n").unwrap();
        fs::write(content.join("organisations/kestrel-bay-university-hospitals.yaml"), "name: K\ntype: nhs-trust\nregion: london\n").unwrap();
        let paper = format!("---\ntitle: \"P #x $y\"\nreport_by: [\"A \\\"B\\\" [c]\"]\npaper_type: for-information\naction_required: \"Note #this ]\"\n---\n{body}");
        fs::write(content.join("papers/p.md"), paper).unwrap();
        let c = check_site(dir.path(), None, Date::constant(2024, 12, 5)).unwrap();
        let p = c.register.paper("p").expect("the paper loads");
        let papers = Papers::new(dir.path(), &c.register, &c.blocks, c.as_of);
        let pdf = papers.paper_pdf(p);
        prop_assert!(pdf.is_ok(), "{body:?} failed: {}", pdf.err().map(|e| e.to_string()).unwrap_or_default());
    }
}

#[test]
fn a_pack_carries_each_papers_marking_and_a_private_packs_every_page_says_so() {
    let site = root().join("tests/fixtures/sites/private");
    let c = checked(&site);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    let papers = Papers::new(&site, &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "zqx-2026-10-private").unwrap();
    let private_pages = pages(&papers.pack_pdf(meeting).unwrap());
    assert!(private_pages.len() >= 4, "front page, agenda and three papers");
    for (n, page) in private_pages.iter().enumerate() {
        assert!(flat(page).contains("Part II (private): not for publication"), "page {} is not marked", n + 1);
    }
    // The papers' own markings, on their pages of the pack (the fixture's private papers are
    // Official-Sensitive, the shared one Official).
    let sensitive = private_pages.iter().filter(|p| flat(p).contains("Official-Sensitive")).count();
    assert!(sensitive >= 2, "{sensitive} pages carry Official-Sensitive");
    // A public pack is not marked private.
    let public = c.register.meetings.iter().find(|m| m.id == "2026-10-public").unwrap();
    let public_pages = pages(&papers.pack_pdf(public).unwrap());
    assert!(public_pages.iter().all(|p| !p.contains("not for publication")));
    assert!(public_pages.iter().skip(2).all(|p| flat(p).contains("Official")));
}
