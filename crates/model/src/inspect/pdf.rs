//! A given PDF read for what it carries besides its pages, with lopdf (already in the build
//! for viewer.rs), after [`pdf_limits`](crate::pdf_limits) has bounded its nesting, decoded
//! size and page count, so nothing here can exhaust the machine.
//!
//! Every object is looked at, not only those a page reaches: an annotation, a script or an
//! embedded file a viewer can open is in the published file wherever it hangs. Found: comments
//! (`Text` and `FreeText` annotations) and other annotations but links and form widgets,
//! embedded files (`/Type /EmbeddedFile`), JavaScript and launch actions, form fields holding a
//! value (signatures aside), the author in the document information dictionary and in the XMP
//! metadata (`dc:creator`), and protective markings in the pages' text and the metadata.

use lopdf::{Dictionary, Document, Object};

use super::docx::{Leaves, walk};
use super::{Finding, Inspection, names_someone};

/// The text of a page, and the XMP metadata, decompress to at most this many bytes each.
const MAX_STREAM: usize = 64 * 1024 * 1024;

/// Reads the PDF `pdf`, which is within the bounds of `pdf_limits`.
pub fn inspect(pdf: &[u8]) -> Inspection {
    let mut out = Inspection::default();
    let doc = match Document::load_mem(pdf) {
        Ok(doc) => doc,
        Err(e) => {
            out.unreadable = Some(format!("it cannot be read for inspection: {e}"));
            return out;
        }
    };
    objects(&doc, &mut out);
    let mut metadata = String::new();
    info(&doc, &mut out, &mut metadata);
    xmp(&doc, &mut out, &mut metadata);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = String::new();
    for chunk in doc.extract_text_chunks_with_limit(&pages, MAX_STREAM).into_iter().flatten() {
        text.push_str(&chunk);
        if !chunk.ends_with('\n') {
            text.push('\n');
        }
    }
    out.mark(&text, "the text");
    out.mark(&metadata, "the metadata");
    out.text = text + &metadata;
    out
}

/// Annotations, embedded files, actions and form fields, in every object of the file.
fn objects(doc: &Document, out: &mut Inspection) {
    let (mut comments, mut annotations, mut embedded, mut fields) = (0, 0, 0, 0);
    let mut kinds: Vec<String> = Vec::new();
    let mut active: Vec<&'static str> = Vec::new();
    // Direct objects nest inside each other; an explicit stack, as pdf_limits bounds the depth.
    let mut stack: Vec<&Object> = doc.objects.values().collect();
    while let Some(object) = stack.pop() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            Object::Array(items) => {
                stack.extend(items.iter());
                continue;
            }
            _ => continue,
        };
        stack.extend(dict.iter().map(|(_, v)| v));
        let name = |key: &[u8]| dict.get(key).ok().and_then(|v| v.as_name().ok());
        if name(b"Type") == Some(b"EmbeddedFile") {
            embedded += 1;
        }
        match name(b"S") {
            Some(b"JavaScript") => active.push("a JavaScript action"),
            Some(b"Launch") => active.push("a launch action (it opens another file or program)"),
            _ if dict.has(b"JS") => active.push("a JavaScript action"),
            _ => {}
        }
        let is_annotation = name(b"Type") == Some(b"Annot") || (dict.has(b"Rect") && dict.has(b"Subtype"));
        if is_annotation && let Some(subtype) = name(b"Subtype") {
            match subtype {
                b"Link" | b"Widget" | b"Popup" | b"PrinterMark" | b"TrapNet" => {}
                b"Text" | b"FreeText" => comments += 1,
                other => {
                    annotations += 1;
                    let kind = String::from_utf8_lossy(other).into_owned();
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
        }
        if (dict.has(b"FT") || dict.has(b"T")) && name(b"FT") != Some(b"Sig") && has_value(doc, dict) {
            fields += 1;
        }
    }
    let findings = &mut out.findings;
    if comments > 0 {
        findings.push(Finding::Comments(comments));
    }
    if annotations > 0 {
        findings.push(Finding::Annotations(annotations, kinds));
    }
    if embedded > 0 {
        findings.push(Finding::EmbeddedFiles(embedded));
    }
    if fields > 0 {
        findings.push(Finding::FormFields(fields));
    }
    active.sort();
    active.dedup();
    findings.extend(active.into_iter().map(Finding::Active));
}

/// Whether a form field holds a value a reader could see: not empty, and not a check box's `Off`.
fn has_value(doc: &Document, field: &Dictionary) -> bool {
    let Ok(value) = field.get(b"V") else { return false };
    let value = doc.dereference(value).map(|(_, v)| v).unwrap_or(value);
    match value {
        Object::String(s, _) => !s.is_empty() && lopdf::decode_text_string(value).is_ok_and(|t| !t.trim().is_empty()),
        Object::Name(n) => n.as_slice() != b"Off",
        Object::Array(items) => !items.is_empty(),
        Object::Null => false,
        _ => true,
    }
}

/// The document information dictionary: its `Author` names a person; its title, subject and
/// keywords are read for markings. (`Creator` and `Producer` name programs.)
fn info(doc: &Document, out: &mut Inspection, metadata: &mut String) {
    let Ok(info) = doc.trailer.get(b"Info") else { return };
    let Ok((_, Object::Dictionary(info))) = doc.dereference(info) else { return };
    let text = |key: &[u8]| {
        let value = info.get(key).ok()?;
        let value = doc.dereference(value).map(|(_, v)| v).unwrap_or(value);
        lopdf::decode_text_string(value).ok()
    };
    if let Some(author) = text(b"Author").filter(|a| names_someone(a)) {
        out.findings.push(Finding::MetadataName { field: "author", value: author.trim().to_string() });
    }
    for key in [&b"Title"[..], b"Subject", b"Keywords"] {
        if let Some(value) = text(key) {
            metadata.push_str(&value);
            metadata.push('\n');
        }
    }
}

/// The XMP metadata of the catalog: `dc:creator`'s names are people; the rest is read for
/// markings (a title, a description, keywords, a sensitivity label).
fn xmp(doc: &Document, out: &mut Inspection, metadata: &mut String) {
    let Ok(catalog) = doc.catalog() else { return };
    let Ok(reference) = catalog.get(b"Metadata") else { return };
    let Ok((_, Object::Stream(stream))) = doc.dereference(reference) else { return };
    let xml = match stream.decompressed_content_with_limit(MAX_STREAM) {
        Ok(xml) => xml,
        // An uncompressed stream: lopdf decompresses only filtered ones.
        Err(_) if stream.dict.get(b"Filter").is_err() => stream.content.clone(),
        Err(_) => return,
    };
    let mut leaves = Leaves::default();
    if walk(&xml, "the XMP metadata", &mut leaves).is_err() {
        return;
    }
    let mut creators: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for (element, ancestors, value) in leaves.found {
        if element == "li" && ancestors.iter().any(|e| e.as_slice() == b"creator") {
            creators.push(value.trim().to_string());
        } else {
            values.push(value);
        }
    }
    let named: Vec<String> = creators.into_iter().filter(|c| names_someone(c)).collect();
    let already =
        out.findings.iter().any(|f| matches!(f, Finding::MetadataName { value, .. } if named.contains(value)));
    if !named.is_empty() && !already {
        out.findings.push(Finding::MetadataName { field: "XMP dc:creator", value: named.join(", ") });
    }
    for value in values {
        metadata.push_str(&value);
        metadata.push('\n');
    }
}
