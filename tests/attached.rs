//! Papers written elsewhere: PDF and Word papers on an agenda, placed page by page in the pack
//! under its running header and footer, bookmarked, published on the website as given (never
//! a private one), and refused by `oversight check` when they cannot be placed. Packs are read
//! back with poppler (pdftotext, pdfinfo, pdftohtml), which .ci/run installs; Word papers need
//! LibreOffice (Debian's libreoffice-writer, which .ci/run installs too).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use oversight_papers::Papers;
use oversight_rules::check::{Checked, check_site};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Position;

/// A PDF written by hand: one line of Helvetica text on each page, each page `(text, width,
/// height)` in points. With `password`, it is encrypted (RC4, revision 2) with a user
/// password that is not empty, so it cannot be opened without one.
fn pdf(pages: &[(&str, u32, u32)], password: bool) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for (i, (text, w, h)) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        let stream = format!("BT /F1 14 Tf 56 {} Td ({text}) Tj ET", h - 80);
        objects.push(format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()));
    }
    if password {
        objects.push(format!(
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <{}> /U <{}> >>",
            "7a".repeat(32),
            "c3".repeat(32)
        ));
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        write!(out, "{} 0 obj\n{object}\nendobj\n", i + 1).unwrap();
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    let encrypt = if password {
        format!(" /Encrypt {} 0 R /ID [<{}> <{}>]", objects.len(), "01".repeat(16), "01".repeat(16))
    } else {
        String::new()
    };
    write!(out, "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).unwrap();
    out
}

const A4: (u32, u32) = (595, 842);

/// A Markdown paper's file.
fn markdown_paper(title: &str) -> String {
    format!(
        "---\ntitle: {title}\nreport_by: [A Director (fictional)]\npaper_type: for-information\naction_required: The Board is asked to note this paper.\nclassification: Official\n---\n## Purpose\n\nThis paper is written here.\n"
    )
}

/// A site with a public meeting presenting a Markdown paper with a PDF appendix, a PDF paper
/// (three pages, the last landscape) with its details and an appendix, and a private meeting
/// presenting a PDF paper of its own.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    for folder in ["papers", "meetings"] {
        fs::create_dir_all(content.join(folder)).unwrap();
    }
    fs::write(content.join("site.yaml"), "title: Register (fictional)\nas_of: 2026-09-01\n").unwrap();
    fs::write(content.join("papers/written.md"), markdown_paper("Written here paper")).unwrap();
    let alpha = [("Alpha page one", A4.0, A4.1), ("Alpha page two", A4.0, A4.1), ("Alpha page three", A4.1, A4.0)];
    fs::write(content.join("papers/alpha.pdf"), pdf(&alpha, false)).unwrap();
    fs::write(
        content.join("papers/alpha.yaml"),
        "report_by: [Board Secretary (fictional)]\npaper_type: for-approval\nclassification: Official\npublication_reference: ALPHA/26/1\n",
    )
    .unwrap();
    fs::write(content.join("papers/beta.pdf"), pdf(&[("Beta appendix page", A4.0, A4.1)], false)).unwrap();
    let gamma = [("Gamma appendix page one", A4.0, A4.1), ("Gamma appendix page two", A4.0, A4.1)];
    fs::write(content.join("papers/gamma.pdf"), pdf(&gamma, false)).unwrap();
    fs::write(content.join("papers/zqxsecret.pdf"), pdf(&[("Zqx secret terms", A4.0, A4.1)], false)).unwrap();
    fs::write(
        content.join("meetings/public.yaml"),
        r#"body: Board (fictional)
title: Board meeting held in public
date: 2026-10-01
session: public
agenda:
  - item: "1"
    title: Welcome
  - item: "2"
    paper: written
    appendices:
      - { paper: gamma, title: Gamma appendix }
  - item: "3"
    title: Alpha minutes
    paper: alpha
    appendices:
      - paper: beta
        title: Beta appendix
  - item: "4"
    title: Any other business
"#,
    )
    .unwrap();
    fs::write(
        content.join("meetings/zqx-private.yaml"),
        r#"body: Board (fictional)
title: Zqxprivate session
date: 2026-10-01
session: private
agenda:
  - item: "1"
    title: Zqxsecret settlement terms
    paper: zqxsecret
    reason: legal-advice
"#,
    )
    .unwrap();
    dir
}

fn checked(site: &Path) -> Checked {
    check_site(site, None, Date::constant(2026, 9, 1)).unwrap()
}

/// `CODE file:line:col message` of each diagnostic.
fn located(c: &Checked) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| {
            let p = Position::of(d.span, &c.sources);
            format!("{} {}:{}:{} {}", d.code, c.sources.path(d.span.file).display(), p.line, p.column, d.message)
        })
        .collect()
}

fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    fs::write(&path, pdf).unwrap();
    let out = Command::new(name)
        .args(args)
        .arg(&path)
        .args(if name == "pdfinfo" { &[][..] } else { &["-"][..] })
        .output()
        .unwrap_or_else(|_| panic!("{name} must be installed (Debian poppler-utils; .ci/run installs it)"));
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text of each page (pdftotext), with runs of white space as single spaces.
fn pages(pdf: &[u8]) -> Vec<String> {
    let text = tool("pdftotext", &[], pdf);
    let mut pages: Vec<String> =
        text.split('\x0c').map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    pages.pop();
    pages
}

/// The bookmarks as pdftohtml's XML gives them: `(depth, title, page)`.
fn bookmarks(pdf: &[u8]) -> Vec<(usize, String, usize)> {
    let xml = tool("pdftohtml", &["-xml", "-i", "-q", "-stdout"], pdf);
    let mut depth = 0;
    let mut found = Vec::new();
    for line in xml.lines() {
        if line.starts_with("<outline") {
            depth += 1;
        } else if line.starts_with("</outline") {
            depth -= 1;
        } else if let Some(rest) = line.strip_prefix("<item page=\"") {
            let (page, rest) = rest.split_once("\">").unwrap();
            let title = rest.trim_end_matches("</item>").to_string();
            found.push((depth, title, page.parse().unwrap()));
        }
    }
    found
}

/// The page the agenda (page 2 of `pack`, laid out as it prints) gives the row that starts with
/// `head` (an item's number, or an appendix's title): the last figure on its line.
fn agenda_page(pack: &[u8], head: &str) -> usize {
    let text = tool("pdftotext", &["-layout", "-f", "2", "-l", "2"], pack);
    let line = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|line| line.starts_with(&format!("{head} ")))
        .unwrap_or_else(|| panic!("no agenda row {head}:\n{text}"));
    line.rsplit(' ').next().and_then(|w| w.parse().ok()).unwrap_or_else(|| panic!("no page in {line}"))
}

#[test]
fn a_pdf_paper_takes_its_place_in_the_pack_stamped_and_bookmarked() {
    let site = site();
    let c = checked(site.path());
    assert!(!c.has_errors() && !c.has_warnings(), "{:#?}", located(&c));
    let papers = Papers::new(site.path(), &c.register, &c.blocks, c.as_of);
    let meeting = c.register.meetings.iter().find(|m| m.id == "public").unwrap();
    let pack = papers.pack_pdf(meeting).unwrap();
    let pages = pages(&pack);
    let total = pages.len();
    // Front page, agenda, the Markdown paper (one page), its appendix (two), the PDF paper
    // (three) and its appendix (one): every page of every PDF is there, one pack page each,
    // each given PDF after its cover sheet.
    assert_eq!(total, 2 + 1 + (1 + 2) + (1 + 3) + (1 + 1), "{pages:#?}");

    // The agenda's page for each item is the page its first page is on: for a given PDF,
    // its cover sheet, with the given pages straight after it.
    let written = agenda_page(&pack, "2");
    assert!(pages[written - 1].contains("Written here paper") && pages[written - 1].contains("Agenda item"));
    let alpha = agenda_page(&pack, "3");
    let cover = &pages[alpha - 1];
    assert!(cover.contains("Alpha minutes") && cover.contains("follows on the next pages"), "page {alpha}: {cover}");
    assert_eq!(alpha, written + 4, "after the paper, its appendix's cover sheet and its two pages");
    // Appendices have rows of their own under their item, with their pages (their cover sheets).
    assert_eq!(agenda_page(&pack, "Gamma appendix"), written + 1);
    assert_eq!(agenda_page(&pack, "Beta appendix"), alpha + 4);
    for (page, what) in [(written + 1, "Gamma appendix"), (alpha + 4, "Beta appendix")] {
        assert!(
            pages[page - 1].contains(what) && pages[page - 1].contains("Protective marking"),
            "{}",
            pages[page - 1]
        );
    }
    assert!(
        pages[written + 1].contains("Gamma appendix page one")
            && pages[written + 2].contains("Gamma appendix page two")
    );

    // Every placed page carries the running header (the item), its paper's marking and
    // reference, and "Page N of M"; an appendix carries its paper's marking.
    for (page, text) in [
        (alpha + 1, "Alpha page one"),
        (alpha + 2, "Alpha page two"),
        (alpha + 3, "Alpha page three"),
        (alpha + 5, "Beta appendix page"),
    ] {
        let found = &pages[page - 1];
        assert!(found.contains(text), "page {page}: {found}");
        assert!(found.contains("Board meeting held in public, 1 October 2026 Item 3"), "header: {found}");
        assert!(found.contains("Official · ALPHA/26/1"), "marking: {found}");
        assert!(found.contains(&format!("Page {page} of {total}")), "footer: {found}");
    }
    for page in [written + 1, written + 2, written + 3] {
        assert!(pages[page - 1].contains("Item 2") && pages[page - 1].contains("Official ·"), "{}", pages[page - 1]);
    }

    // The landscape page is on a landscape page of the pack; the others are A4 portrait.
    let sizes = tool("pdfinfo", &["-f", "1", "-l", &total.to_string()], &pack);
    let size_of = |n: usize| -> (f64, f64) {
        let line = sizes.lines().find(|l| l.starts_with(&format!("Page {n:>4} size:"))).unwrap();
        let words: Vec<f64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        (words[1], words[2])
    };
    let (w, h) = size_of(alpha + 3);
    assert!(w > h, "page {} is {w} x {h}", alpha + 3);
    for page in [alpha, alpha + 1] {
        let (w, h) = size_of(page);
        assert!(w < h, "page {page} is {w} x {h}");
    }

    // Bookmarks: each paper at the top level where it starts, each appendix under its paper.
    let marks = bookmarks(&pack);
    let at = |title: &str| marks.iter().find(|(_, t, _)| t == title).unwrap_or_else(|| panic!("{title}: {marks:?}"));
    assert_eq!(at("Alpha minutes"), &(1, "Alpha minutes".into(), alpha));
    assert_eq!(at("Beta appendix"), &(2, "Beta appendix".into(), alpha + 4));
    assert_eq!(at("Gamma appendix"), &(2, "Gamma appendix".into(), written + 1));
    let beta = marks.iter().position(|(_, t, _)| t == "Beta appendix").unwrap();
    let alpha_mark = marks.iter().position(|(_, t, _)| t == "Alpha minutes").unwrap();
    assert!(alpha_mark < beta && marks[alpha_mark + 1..beta].iter().all(|(d, _, _)| *d > 1), "{marks:?}");

    // Reproducible, attachments and all.
    assert!(papers.pack_pdf(meeting).unwrap() == pack, "two runs give identical bytes");
    // On its own, a PDF paper is its PDF as given.
    let given = fs::read(site.path().join("content/papers/alpha.pdf")).unwrap();
    assert!(papers.paper_pdf(c.register.paper("alpha").unwrap()).unwrap() == given);
}

#[test]
fn a_pdf_2_paper_makes_a_pdf_2_pack() {
    let site = site();
    let path = site.path().join("content/papers/beta.pdf");
    let newer = String::from_utf8(fs::read(&path).unwrap()).unwrap().replacen("%PDF-1.7", "%PDF-2.0", 1);
    fs::write(&path, newer).unwrap();
    let c = checked(site.path());
    let papers = Papers::new(site.path(), &c.register, &c.blocks, c.as_of);
    let pack = papers.pack_pdf(c.register.meetings.iter().find(|m| m.id == "public").unwrap()).unwrap();
    let info = tool("pdfinfo", &[], &pack);
    assert!(info.lines().any(|l| l.starts_with("PDF version:") && l.ends_with(" 2.0")), "{info}");
}

fn oversight(args: &[&str], site: &Path, path: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_oversight"));
    command.args(args).arg("--site").arg(site).env("NO_COLOR", "1");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.output().unwrap()
}

#[test]
fn an_encrypted_or_damaged_pdf_is_a_located_error_and_nothing_is_written() {
    for (bytes, says) in [
        (pdf(&[("Locked", A4.0, A4.1)], true), "encrypted"),
        (b"%PDF-1.7\nthis is not really a PDF\n".to_vec(), "not a readable PDF"),
        (pdf(&[], false), "no pages"),
    ] {
        let site = site();
        fs::write(site.path().join("content/papers/alpha.pdf"), &bytes).unwrap();
        let c = checked(site.path());
        let found = located(&c);
        assert!(
            found.iter().any(|d| d.starts_with("OVS005 content/papers/alpha.pdf:1:1") && d.contains(says)),
            "{says}: {found:#?}"
        );
        // The agenda item that names it is not reported again.
        assert!(!found.iter().any(|d| d.contains("meetings/public.yaml")), "{found:#?}");
        let check = oversight(&["check"], site.path(), None);
        assert_eq!(check.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&check.stderr);
        assert!(stderr.contains("content/papers/alpha.pdf:1:1") && stderr.contains(says), "{stderr}");
        for command in ["build", "papers"] {
            let output = site.path().join(format!("out-{command}"));
            let out = oversight(&[command, "--output", output.to_str().unwrap()], site.path(), None);
            assert_eq!(out.status.code(), Some(1), "{command}");
            assert!(!output.exists(), "{command} wrote {}", output.display());
        }
    }
}

#[test]
fn the_website_publishes_a_pdf_paper_as_given_and_never_a_private_one() {
    let site = site();
    let output = site.path().join("public");
    let out = oversight(&["build", "--output", output.to_str().unwrap()], site.path(), None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for id in ["alpha", "beta", "gamma"] {
        let given = fs::read(site.path().join(format!("content/papers/{id}.pdf"))).unwrap();
        assert!(fs::read(output.join(format!("papers/{id}.pdf"))).unwrap() == given, "{id} as given");
    }
    let meeting = fs::read_to_string(output.join("meetings/public/index.html")).unwrap();
    for link in
        ["papers/alpha.pdf\" class=\"file-link\">PDF, 3 pages", "papers/beta.pdf", "papers/gamma.pdf", "Beta appendix"]
    {
        assert!(meeting.contains(link), "meeting page lacks {link}");
    }
    let index = fs::read_to_string(output.join("meetings/index.html")).unwrap();
    assert!(index.contains("papers/alpha.pdf") && index.contains("3 Alpha minutes"));
    let page = fs::read_to_string(output.join("papers/alpha/index.html")).unwrap();
    for shown in
        ["<h1>Alpha minutes</h1>", "papers/alpha.pdf", "For approval", "Board Secretary (fictional)", "ALPHA/26/1"]
    {
        assert!(page.contains(shown), "paper page lacks {shown}");
    }
    let search = fs::read_to_string(output.join("search/index.json")).unwrap();
    assert!(search.contains("Alpha minutes") && search.contains("PDF, 3 pages"));
    // Nothing of the private PDF paper: not the file, its id, nor its title.
    for file in walkdir::WalkDir::new(&output).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let bytes = fs::read(file.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("zqx"), "{} mentions the private paper", file.path().display());
    }
    // `oversight papers` still makes the private pack, with the PDF paper in it.
    let packs = site.path().join("packs");
    let out = oversight(&["papers", "--output", packs.to_str().unwrap()], site.path(), None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let private = pages(&fs::read(packs.join("zqx-private-pack.pdf")).unwrap());
    // Page 3 is the PDF paper's cover sheet; its own first page follows.
    assert!(private[3].contains("Zqx secret terms") && private[3].contains("Part II (private): not for publication"));
    assert!(packs.join("zqxsecret.pdf").exists() && packs.join("alpha.pdf").exists());
}

#[test]
fn what_a_pdf_paper_needs_from_its_agenda_and_details_is_checked() {
    let site = site();
    let content = site.path().join("content");
    let meeting = fs::read_to_string(content.join("meetings/public.yaml")).unwrap();
    // An item presenting a PDF paper without a title; an appendix that is a Markdown paper.
    let meeting = meeting.replace("    title: Alpha minutes\n", "").replace("paper: gamma", "paper: other");
    fs::write(content.join("meetings/public.yaml"), meeting).unwrap();
    fs::write(content.join("papers/other.md"), markdown_paper("Other")).unwrap();
    // A PDF paper on no agenda; details of no paper; a paper given twice.
    fs::write(content.join("papers/lonely.pdf"), pdf(&[("Lonely", A4.0, A4.1)], false)).unwrap();
    fs::write(content.join("papers/nothing.yaml"), "paper_type: for-information\n").unwrap();
    fs::write(content.join("papers/written.yaml"), "paper_type: for-information\n").unwrap();
    fs::write(content.join("papers/beta.md"), markdown_paper("Beta again")).unwrap();
    fs::write(content.join("papers/alpha.yaml"), "clasification: Official\n").unwrap();
    let found = located(&checked(site.path()));
    for expected in [
        "OVS003 content/meetings/public.yaml:12:5 agenda item 3 presents `alpha`",
        "OVS003 content/meetings/public.yaml:11:18 `other` is a Markdown paper; an appendix is a PDF or Word paper",
        "OVS003 content/papers/gamma.pdf:1:1 no meeting's agenda presents `gamma`",
        "OVS003 content/papers/lonely.pdf:1:1 no meeting's agenda presents `lonely`",
        "OVS501 content/papers/nothing.yaml:1:1 these are the details of a paper `nothing`",
        "OVS003 content/papers/written.yaml:1:1 `written` is a Markdown paper",
        "OVS502 content/papers/beta.pdf:1:1 paper id `beta` is also used by content/papers/beta.md",
        "OVS002 content/papers/alpha.yaml:1:1 unknown field `clasification`",
    ] {
        assert!(found.iter().any(|f| f.starts_with(expected)), "expected {expected}, found:\n{}", found.join("\n"));
    }
}

/// A Word document written by hand: the three parts of OOXML a word processor needs, in a
/// zip (stored, not compressed: any reader takes that).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let body: String = paragraphs.iter().map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>")).collect();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A site whose PDF paper `alpha` is a Word paper instead.
fn word_site(text: &str) -> tempfile::TempDir {
    let site = site();
    let papers = site.path().join("content/papers");
    fs::remove_file(papers.join("alpha.pdf")).unwrap();
    fs::write(papers.join("alpha.docx"), docx(&["Minutes written in Word (fictional)", text])).unwrap();
    site
}

fn soffice_installed() -> bool {
    Command::new("soffice").arg("--version").output().is_ok_and(|o| o.status.success())
}

#[test]
fn a_word_paper_is_converted_by_libreoffice_once_and_placed() {
    assert!(soffice_installed(), "LibreOffice must be installed (Debian libreoffice-writer; .ci/run installs it)");
    let site = word_site("Wordly paragraph");
    let c = checked(site.path());
    assert!(!c.has_errors(), "{:#?}", located(&c));
    let cache: Vec<PathBuf> =
        fs::read_dir(site.path().join(".oversight-cache/word")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(cache.len(), 1, "one conversion, kept: {cache:?}");
    assert!(cache[0].extension().is_some_and(|e| e == "pdf"));
    // Issue 26 item 5: LibreOffice exports a tagged PDF that claims PDF/UA-1, so the paper's
    // own PDF reaches screen readers with its structure and nothing notes it as untagged.
    let alpha = c.register.paper("alpha").unwrap().attachment().unwrap();
    assert!(alpha.tagged, "the converted PDF has a structure tree and /MarkInfo << /Marked true >>");
    let converted = String::from_utf8_lossy(&alpha.pdf.0);
    assert!(converted.contains("<pdfuaid:part>1</pdfuaid:part>"), "LibreOffice claims PDF/UA-1");
    let papers = Papers::new(site.path(), &c.register, &c.blocks, c.as_of);
    let pack = papers.pack_pdf(c.register.meetings.iter().find(|m| m.id == "public").unwrap()).unwrap();
    let alpha = agenda_page(&pack, "3");
    let pack = pages(&pack);
    // The agenda's page is the cover sheet; the converted paper's first page follows it.
    assert!(
        pack[alpha - 1].contains("Presented by") || pack[alpha - 1].contains("Protective marking"),
        "{}",
        pack[alpha - 1]
    );
    assert!(pack[alpha].contains("Wordly paragraph") && pack[alpha].contains("Item 3"), "{}", pack[alpha]);
    assert!(pack[alpha].contains("Official · ALPHA/26/1"), "{}", pack[alpha]);

    // The next check reads the kept PDF: LibreOffice is not needed again for the same file.
    let empty = tempfile::tempdir().unwrap();
    let out = oversight(&["check"], site.path(), Some(empty.path()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The website publishes the PDF, not the Word file.
    let output = site.path().join("public");
    let out = oversight(&["build", "--output", output.to_str().unwrap()], site.path(), Some(empty.path()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("alpha.docx is not a tagged PDF"));
    assert!(fs::read(output.join("papers/alpha.pdf")).unwrap() == fs::read(&cache[0]).unwrap());
    assert!(
        !walkdir::WalkDir::new(&output).into_iter().any(|e| e.unwrap().path().extension().is_some_and(|x| x == "docx"))
    );
}

#[test]
fn without_libreoffice_a_word_paper_is_a_located_error_naming_what_to_install() {
    let site = word_site("Never converted");
    let empty = tempfile::tempdir().unwrap();
    let out = oversight(&["check"], site.path(), Some(empty.path()));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/papers/alpha.docx:1:1"), "{stderr}");
    assert!(stderr.contains("LibreOffice") && stderr.contains("libreoffice-writer"), "{stderr}");
    assert!(!site.path().join(".oversight-cache").exists());
}

#[test]
fn issue32_15_an_import_reads_a_word_papers_cached_pdf_without_libreoffice() {
    // Was: the import's check mirror left out .oversight-cache, so without LibreOffice every
    // import into a register with a Word paper failed on that paper.
    let site = word_site("Cached, never converted here");
    let docx_bytes = fs::read(site.path().join("content/papers/alpha.docx")).unwrap();
    let cached = oversight_model::cached_path(site.path(), &docx_bytes);
    fs::create_dir_all(cached.parent().unwrap()).unwrap();
    fs::write(&cached, pdf(&[("Cached page", A4.0, A4.1)], false)).unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = oversight(&["check"], site.path(), Some(empty.path()));
    assert_eq!(out.status.code(), Some(0), "the cached PDF reads: {}", String::from_utf8_lossy(&out.stderr));
    let csv = site.path().join("new.csv");
    fs::write(&csv, "Name,Type,Region\nOrmsby Hospitals NHS Trust (fictional),NHS trust,London\n").unwrap();
    let out = oversight(&["import", csv.to_str().unwrap()], site.path(), Some(empty.path()));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(site.path().join("content/organisations/ormsby-hospitals-nhs-trust-fictional.yaml").is_file(), "{said}");
}
