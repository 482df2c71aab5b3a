//! A Word paper (`.docx`, a zip of WordprocessingML parts) read for what it carries besides its
//! pages, with the `zip` crate and quick-xml's streaming reader: every part is inflated
//! against a bound and read once, never built into a tree.
//!
//! What it finds: tracked changes (`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`), comments
//! (`word/comments.xml`), hidden text (`w:vanish` on a run), the names in `docProps/core.xml`
//! (`dc:creator`, `cp:lastModifiedBy`) and `docProps/app.xml` (`Manager`), protective markings
//! in the text (body, headers, footers, notes) and the metadata (core, app and custom
//! properties, where sensitivity labels live), and content linked from outside the file: a
//! relationship with `TargetMode="External"` other than a hyperlink, and `INCLUDEPICTURE`,
//! `INCLUDETEXT`, `LINK`, `DDE` and `IMPORT` fields. LibreOffice would fetch linked content
//! (from the disk or the network) into the PDF it makes, so such a file is refused before
//! LibreOffice runs.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Finding, Inspection, names_someone};

/// A part of a Word file inflates to at most this many bytes (a long paper's document.xml is a
/// few MiB), and all the parts read together to at most [`MAX_TOTAL`]: a zip bomb is refused.
const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_TOTAL: u64 = 256 * 1024 * 1024;

/// Elements nest at most this deep in a part (Word's nest a few tens: tables in tables).
const MAX_DEPTH: usize = 256;

/// The fields that bring in content from outside the document.
const LINKING_FIELDS: [&str; 7] = ["INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT"];

/// What a Word file carries, and what it links from outside ([`Inspection::linked`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordInspection {
    pub inspection: Inspection,
    /// Content it links from outside the file: each relationship target or field, as found.
    pub linked: Vec<String>,
}

/// Reads the Word file `docx`.
pub fn inspect(docx: &[u8]) -> WordInspection {
    let mut out = WordInspection::default();
    if let Err(why) = read(docx, &mut out) {
        out.inspection.unreadable = Some(why);
    }
    out
}

fn read(docx: &[u8], out: &mut WordInspection) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| format!("it is not a Word file (a zip): {e}"))?;
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let mut budget = MAX_TOTAL;
    let mut part = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str| -> Result<Option<Vec<u8>>, String> {
        let Ok(file) = zip.by_name(name) else { return Ok(None) };
        let mut bytes = Vec::new();
        let limit = MAX_PART.min(budget);
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {name}: {e}"))?;
        if bytes.len() as u64 > limit {
            return Err(format!("{name} inflates to more than {} MiB", limit / (1024 * 1024)));
        }
        budget -= bytes.len() as u64;
        Ok(Some(bytes))
    };
    let mut sorted = names.clone();
    sorted.sort();
    for name in sorted.iter().filter(|n| n.ends_with(".rels")) {
        if let Some(xml) = part(&mut zip, name)? {
            relationships(&xml, name, &mut out.linked)?;
        }
    }
    let mut body = Body::default();
    let is_story = |n: &str| {
        n == "word/document.xml"
            || n == "word/footnotes.xml"
            || n == "word/endnotes.xml"
            || (n.starts_with("word/header") || n.starts_with("word/footer"))
                && n.ends_with(".xml")
                && !n[5..].contains('/')
    };
    for name in sorted.iter().filter(|n| is_story(n)) {
        if let Some(xml) = part(&mut zip, name)? {
            body.read(&xml, name)?;
        }
    }
    let mut comments = 0;
    if let Some(xml) = part(&mut zip, "word/comments.xml")? {
        let mut count = Count(b"comment", 0);
        walk(&xml, "word/comments.xml", &mut count)?;
        comments = count.1;
    }
    let inspection = &mut out.inspection;
    inspection.mark(&body.text, "the text");
    inspection.text.push_str(&body.text);
    out.linked.extend(body.linked);
    if body.changes > 0 {
        inspection.findings.push(Finding::TrackedChanges(body.changes));
    }
    let comments = comments.max(body.comment_references);
    if comments > 0 {
        inspection.findings.push(Finding::Comments(comments));
    }
    if body.hidden > 0 {
        inspection.findings.push(Finding::HiddenText(body.hidden));
    }
    let mut metadata = String::new();
    for (name, people) in [
        ("docProps/core.xml", &[("creator", "author"), ("lastModifiedBy", "last modified by")][..]),
        ("docProps/app.xml", &[("Manager", "manager")][..]),
        ("docProps/custom.xml", &[][..]),
    ] {
        let Some(xml) = part(&mut zip, name)? else { continue };
        for (element, value) in leaf_texts(&xml, name)? {
            match people.iter().find(|(e, _)| *e == element) {
                Some((_, field)) if names_someone(&value) => {
                    inspection.findings.push(Finding::MetadataName { field, value: value.trim().to_string() });
                }
                Some(_) => {}
                // Dates, counts and the application's name hold no marking; a line each.
                None => {
                    metadata.push_str(&value);
                    metadata.push('\n');
                }
            }
        }
    }
    inspection.mark(&metadata, "the metadata");
    inspection.text.push_str(&metadata);
    Ok(())
}

/// What a walk through a part's elements is told: each start (or empty) element with the
/// names of the elements it is inside (innermost last), character data, and each end.
pub(super) trait Visit {
    fn start(&mut self, _stack: &[Vec<u8>], _element: &BytesStart) {}
    fn text(&mut self, _stack: &[Vec<u8>], _text: &str) {}
    fn end(&mut self, _stack: &[Vec<u8>], _element: &[u8]) {}
}

/// Reads `xml` (the part `name`) with quick-xml's streaming reader, telling `visit`.
pub(super) fn walk(xml: &[u8], name: &str, visit: &mut impl Visit) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let bad = |e: &dyn std::fmt::Display| format!("{name} is not well-formed XML: {e}");
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| bad(&e))? {
            Event::Start(e) => {
                visit.start(&stack, &e);
                stack.push(e.local_name().as_ref().to_vec());
                if stack.len() > MAX_DEPTH {
                    return Err(format!("{name} nests elements more than {MAX_DEPTH} deep"));
                }
            }
            Event::Empty(e) => {
                visit.start(&stack, &e);
                visit.end(&stack, e.local_name().as_ref());
            }
            Event::End(e) => {
                stack.pop();
                visit.end(&stack, e.local_name().as_ref());
            }
            Event::Text(t) => visit.text(&stack, &t.decode().map_err(|e| bad(&e))?),
            Event::CData(t) => visit.text(&stack, &t.decode().map_err(|e| bad(&e))?),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => Some(c),
                    None => match &*r {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    visit.text(&stack, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Counts the elements of one local name.
struct Count<'a>(&'a [u8], usize);

impl Visit for Count<'_> {
    fn start(&mut self, _: &[Vec<u8>], e: &BytesStart) {
        if e.local_name().as_ref() == self.0 {
            self.1 += 1;
        }
    }
}

/// The text of each element that holds only text, by its local name and the names of the
/// elements it is inside.
#[derive(Default)]
pub(super) struct Leaves {
    current: String,
    /// (element, its ancestors, its text).
    pub(super) found: Vec<(String, Vec<Vec<u8>>, String)>,
}

impl Visit for Leaves {
    fn start(&mut self, _: &[Vec<u8>], _: &BytesStart) {
        self.current.clear();
    }
    fn text(&mut self, _: &[Vec<u8>], t: &str) {
        self.current.push_str(t);
    }
    fn end(&mut self, stack: &[Vec<u8>], element: &[u8]) {
        let text = std::mem::take(&mut self.current);
        if !text.trim().is_empty() {
            self.found.push((String::from_utf8_lossy(element).into_owned(), stack.to_vec(), text));
        }
    }
}

/// An attribute's value by its local name (`w:val` → `val`), unescaped.
fn attribute(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn leaf_texts(xml: &[u8], name: &str) -> Result<Vec<(String, String)>, String> {
    let mut leaves = Leaves::default();
    walk(xml, name, &mut leaves)?;
    Ok(leaves.found.into_iter().map(|(element, _, text)| (element, text)).collect())
}

/// The targets of a relationships part that point outside the file, but for hyperlinks (a
/// link a reader may follow, never fetched) and the template the document was made from
/// (a name LibreOffice does not open).
fn relationships(xml: &[u8], name: &str, linked: &mut Vec<String>) -> Result<(), String> {
    struct Relationships<'a>(&'a mut Vec<String>);
    impl Visit for Relationships<'_> {
        fn start(&mut self, _: &[Vec<u8>], e: &BytesStart) {
            if e.local_name().as_ref() == b"Relationship" {
                external(e, self.0);
            }
        }
    }
    walk(xml, name, &mut Relationships(linked))
}

fn external(e: &BytesStart, linked: &mut Vec<String>) {
    {
        let external = attribute(e, b"TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
        let kind = attribute(e, b"Type").unwrap_or_default();
        let kind = kind.rsplit('/').next().unwrap_or_default();
        if external && kind != "hyperlink" && kind != "attachedTemplate" {
            let target = attribute(e, b"Target").unwrap_or_default();
            linked.push(format!("a linked {kind} (`{target}`)"));
        }
    }
}

/// What the text parts (body, headers, footers, notes) hold.
#[derive(Default)]
struct Body {
    /// A line per paragraph.
    text: String,
    paragraph: String,
    changes: usize,
    hidden: usize,
    comment_references: usize,
    /// The instructions of the field being read (complex fields: `w:instrText` between
    /// `w:fldChar` begin and separate).
    field: Option<String>,
    linked: Vec<String>,
}

impl Body {
    fn read(&mut self, xml: &[u8], name: &str) -> Result<(), String> {
        walk(xml, name, self)
    }

    fn element(&mut self, stack: &[Vec<u8>], e: &BytesStart) {
        let parent = |n: usize| stack.len().checked_sub(n).and_then(|i| stack.get(i)).map(Vec::as_slice);
        match e.local_name().as_ref() {
            b"ins" | b"del" | b"moveFrom" | b"moveTo" => self.changes += 1,
            b"commentReference" => self.comment_references += 1,
            b"vanish" if parent(1) == Some(b"rPr") && parent(2) == Some(b"r") => {
                let off = attribute(e, b"val").is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
                if !off {
                    self.hidden += 1;
                }
            }
            b"tab" if parent(1) == Some(b"r") => self.paragraph.push(' '),
            b"br" | b"cr" if parent(1) == Some(b"r") => self.paragraph.push('\n'),
            b"fldChar" => match attribute(e, b"fldCharType").as_deref() {
                Some("begin") => self.field = Some(String::new()),
                Some("separate") | Some("end") => {
                    if let Some(instr) = self.field.take() {
                        self.field_instruction(&instr);
                    }
                }
                _ => {}
            },
            b"fldSimple" => {
                if let Some(instr) = attribute(e, b"instr") {
                    self.field_instruction(&instr);
                }
            }
            _ => {}
        }
    }

    fn chars(&mut self, stack: &[Vec<u8>], t: &str) {
        match stack.last().map(Vec::as_slice) {
            Some(b"t") | Some(b"delText") => self.paragraph.push_str(t),
            Some(b"instrText") => {
                if let Some(field) = self.field.as_mut() {
                    field.push_str(t);
                }
            }
            _ => {}
        }
    }

    fn field_instruction(&mut self, instr: &str) {
        let mut words = instr.split_whitespace();
        let Some(first) = words.next() else { return };
        let first = first.to_ascii_uppercase();
        if LINKING_FIELDS.contains(&first.as_str()) {
            let target: String = words.collect::<Vec<_>>().join(" ");
            self.linked.push(format!("an {first} field (`{}`)", target.trim()));
        }
    }
}

impl Visit for Body {
    fn start(&mut self, stack: &[Vec<u8>], e: &BytesStart) {
        self.element(stack, e);
    }
    fn text(&mut self, stack: &[Vec<u8>], t: &str) {
        self.chars(stack, t);
    }
    fn end(&mut self, _: &[Vec<u8>], element: &[u8]) {
        if element == b"p" {
            let paragraph = std::mem::take(&mut self.paragraph);
            self.text.push_str(paragraph.trim_end());
            self.text.push('\n');
        }
    }
}
