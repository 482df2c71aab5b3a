//! Go to definition (an organisation, paper or meeting id, an `@/…` link: the record's file)
//! and document links (every `@/…` link of a document, and the files its `paper:` values and
//! site.yaml's pictures name).

use lsp_types::{DocumentLink, Location, Position, Range, Url};

use super::context;
use super::records::{self, Found};
use super::{Site, View};

/// Where the record named at `offset` is defined: the start of its file.
pub(crate) fn at(site: &Site, view: &View, offset: usize) -> Option<Location> {
    let word = context::word_at(&view.text, offset)?;
    let found = records::named(site.register(), word.text, &view.doc_dir)?;
    location(site, &found)
}

fn location(site: &Site, found: &Found) -> Option<Location> {
    let uri = site.uri_of(found.file)?;
    Some(Location { uri, range: Range { start: Position::new(0, 0), end: Position::new(0, 0) } })
}

/// Every link of the document: `@/…` links to their record's file, `paper:` values to the
/// paper's file (a PDF or Word paper's own), `logo:` and `favicon:` to the picture.
pub(crate) fn links(site: &Site, view: &View) -> Vec<DocumentLink> {
    let register = site.register();
    let mut links = Vec::new();
    let mut add = |(start, end): (usize, usize), target: Option<Url>, tooltip: String| {
        if let Some(target) = target {
            links.push(DocumentLink {
                range: view.range((start, end)),
                target: Some(target),
                tooltip: Some(tooltip),
                data: None,
            });
        }
    };
    for (at, _) in view.text.match_indices("@/") {
        let Some(word) = context::word_at(&view.text, at + 2).filter(|w| w.start == at) else { continue };
        if let Some(found) = records::named(register, word.text, &view.doc_dir) {
            add((word.start, word.end), site.uri_of(found.file), site.sources_path(found.file));
        }
    }
    if let Some((start, end)) = context::yaml_range(&view.text, view.markdown()) {
        let mut line_start = start;
        for line in view.text[start..end].split_inclusive('\n') {
            let trimmed = line.trim_start_matches([' ', '-']);
            let key_at = line_start + (line.len() - trimmed.len());
            line_start += line.len();
            let Some((key, value)) = trimmed.split_once(':') else { continue };
            let value_text = value.trim().trim_matches(['"', '\'']);
            if value_text.is_empty() {
                continue;
            }
            let value_at = key_at + key.len() + 1 + value.find(value_text).unwrap_or(0);
            let span = (value_at, value_at + value_text.len());
            match key {
                "paper" => {
                    if let Some(found) =
                        records::of_kind(register, oversight_model::kinds::RecordKind::Paper, value_text)
                    {
                        add(span, site.uri_of(found.file), site.sources_path(found.file));
                    }
                }
                "logo" | "favicon" if view.rel == std::path::Path::new("site.yaml") => {
                    // Only a file inside the register: `../` cannot reach out of it.
                    let file = super::documents::canonical(&site.dir.join(value_text));
                    if file.is_file() && file.starts_with(&site.dir) {
                        add(span, Url::from_file_path(&file).ok(), value_text.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    links
}
