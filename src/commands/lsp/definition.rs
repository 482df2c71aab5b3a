//! Go to definition (an organisation, paper or meeting id, an `@/…` link: the record's file;
//! a `{{ figure }}`: its row in the documentation's list of figures) and document links (every `@/…` link of a document, and the files its `paper:` values and
//! site.yaml's pictures name).

use lsp_types::{DocumentLink, Location, Position, Range, Url};

use super::context;
use super::records::{self, Found};
use super::{Site, View};

/// Where the record named at `offset` is defined: the start of its file; for a figure, its
/// row in the documentation.
pub(crate) fn at(site: &Site, view: &View, offset: usize) -> Option<Location> {
    let word = context::word_at(&view.text, offset)?;
    if let Some((name, _)) = super::hover::figure_at(&view.text, word.start, word.text) {
        return figure(site, name);
    }
    let found = records::named(site.register(), word.text, &view.doc_dir)?;
    location(site, &found)
}

/// A figure's row in the table of figures of docs/blocks.md, as built into the program: the
/// page is written to the site's `.oversight-cache/docs/` (once for each version) for the
/// editor to open, since a user with only the program has no copy of `docs/`.
fn figure(site: &Site, name: &str) -> Option<Location> {
    let doc = crate::commands::docs::DOCS.iter().find(|d| d.name == "blocks")?;
    let row = format!("| `{name}` |");
    let table = doc.text.find("| Figure | What it is |")?;
    let line = doc.text[..table + doc.text[table..].find(&row)?].matches('\n').count();
    let folder = site.dir.join(oversight_model::WORD_CACHE).parent()?.join("docs");
    let file = folder.join("blocks.md");
    if std::fs::read_to_string(&file).ok().as_deref() != Some(doc.text) {
        std::fs::create_dir_all(&folder).ok()?;
        std::fs::write(&file, doc.text).ok()?;
    }
    let at = Position::new(u32::try_from(line).ok()?, 0);
    Some(Location { uri: Url::from_file_path(&file).ok()?, range: Range { start: at, end: at } })
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
