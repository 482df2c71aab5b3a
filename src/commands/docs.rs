//! `oversight docs`: the user documentation, built into the program, so that whoever has only
//! the binary (a release archive, `cargo install`) can read it offline: listed, one document
//! printed as Markdown, or all of them written as a small website of their own.
//!
//! The documents are this repository's README and `docs/` pages as they were when the program
//! was built (`tests/cli.rs` checks that none is missing). Links between them are rewritten to
//! the written pages; a link to a file outside them (the source) keeps its text only.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::{Failure, Outcome};
use crate::output::Staged;

/// One document: the name `oversight docs NAME` takes, its file in the repository, its text.
pub struct Doc {
    pub name: &'static str,
    pub file: &'static str,
    pub text: &'static str,
}

/// Every document, the guide first, then the index of `docs/` and its pages in its order.
pub const DOCS: &[Doc] = &[
    Doc { name: "guide", file: "README.md", text: include_str!("../../README.md") },
    Doc { name: "index", file: "docs/README.md", text: include_str!("../../docs/README.md") },
    Doc { name: "record-format", file: "docs/record-format.md", text: include_str!("../../docs/record-format.md") },
    Doc { name: "blocks", file: "docs/blocks.md", text: include_str!("../../docs/blocks.md") },
    Doc { name: "editors", file: "docs/editors.md", text: include_str!("../../docs/editors.md") },
    Doc { name: "rules", file: "docs/rules.md", text: include_str!("../../docs/rules.md") },
    Doc { name: "figures", file: "docs/figures.md", text: include_str!("../../docs/figures.md") },
    Doc { name: "sources", file: "docs/sources.md", text: include_str!("../../docs/sources.md") },
    Doc { name: "diagnostics", file: "docs/diagnostics.md", text: include_str!("../../docs/diagnostics.md") },
    Doc { name: "timeline-data", file: "docs/timeline-data.md", text: include_str!("../../docs/timeline-data.md") },
    Doc { name: "import-export", file: "docs/import-export.md", text: include_str!("../../docs/import-export.md") },
    Doc { name: "performance", file: "docs/performance.md", text: include_str!("../../docs/performance.md") },
];

/// The files of `docs/` that are for developers of `oversight` itself, not its users: not
/// built in (CONTRIBUTING.md points to them in the source).
pub const DEVELOPER_DOCS: &[&str] = &["docs/architecture.md"];

impl Doc {
    /// The text of its first heading, without Markdown's code marks (a list and a menu show
    /// them as text).
    pub fn title(&self) -> String {
        self.text.lines().find_map(|l| l.strip_prefix("# ")).unwrap_or(self.name).trim().replace('`', "")
    }

    /// Its page in the written website: the index of `docs/` is the home page.
    fn page(&self) -> String {
        if self.name == "index" { "index.html".to_string() } else { format!("{}.html", self.name) }
    }
}

/// `oversight docs`: the list; `oversight docs NAME`: one document's Markdown;
/// `--output DIR`: all of them as a website.
pub fn run(name: Option<&str>, output: Option<&Path>, out: &mut dyn Write) -> Result<Outcome, Failure> {
    if let Some(dir) = output {
        let dir = write_site(dir)?;
        crate::say!("wrote {} documents into {}: open {}", DOCS.len(), dir.display(), dir.join("index.html").display());
        return Ok(Outcome::Success);
    }
    match name {
        Some(name) => {
            let doc = find(name)?;
            out.write_all(doc.text.as_bytes())?;
        }
        None => {
            writeln!(out, "The documentation of oversight {}, built in:\n", env!("OVERSIGHT_VERSION"))?;
            let width = DOCS.iter().map(|d| d.name.len()).max().unwrap_or(0);
            for doc in DOCS {
                writeln!(out, "  {:width$}  {}", doc.name, doc.title())?;
            }
            writeln!(
                out,
                "\n`oversight docs NAME` prints one (Markdown); `oversight docs --output DIR` writes them all"
            )?;
            writeln!(out, "as a website to read offline (open DIR/index.html).")?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn find(name: &str) -> Result<&'static Doc, Failure> {
    let wanted = name.trim_end_matches(".md").trim_start_matches("docs/");
    let wanted = if wanted == "README" { "guide" } else { wanted };
    DOCS.iter().find(|d| d.name == wanted).ok_or_else(|| {
        let near = oversight_syntax::suggest::closest(wanted, DOCS.iter().map(|d| d.name));
        let hint = near.map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
        Failure(format!("no document `{name}`{hint}: `oversight docs` lists them"))
    })
}

/// Writes every document as an HTML page into `dir`, atomically as `build` writes a site.
fn write_site(dir: &Path) -> Result<PathBuf, Failure> {
    let pages: BTreeMap<&str, String> = DOCS.iter().map(|d| (d.file, d.page())).collect();
    let staged = Staged::begin(Path::new("."), dir).map_err(|e| Failure(e.to_string()))?;
    for doc in DOCS {
        let html = page(doc, &pages);
        if let Err(e) = staged.write(&doc.page(), html.as_bytes()) {
            staged.abandon();
            return Err(Failure(e.to_string()));
        }
    }
    staged.commit().map_err(|e| Failure(e.to_string()))
}

/// One document as a whole HTML page: a skip link, the list of documents, the document.
fn page(doc: &Doc, pages: &BTreeMap<&str, String>) -> String {
    let mut nav = String::new();
    for other in DOCS {
        let current = if other.name == doc.name { " aria-current=\"page\"" } else { "" };
        nav.push_str(&format!(
            "<li><a href=\"{}\"{current}>{}</a></li>",
            other.page(),
            oversight_syntax::escape::xml(&other.title())
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} – oversight {version}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the document</a>\n<header><p>oversight {version}: documentation</p></header>\n<div class=\"layout\">\n<nav aria-label=\"Documents\"><ul>{nav}</ul></nav>\n<main id=\"main\">\n{body}</main>\n</div>\n</body>\n</html>\n",
        title = oversight_syntax::escape::xml(&doc.title()),
        version = env!("OVERSIGHT_VERSION"),
        body = body(doc, pages),
    )
}

/// The document's Markdown as HTML: headings with the anchors GitHub gives them (which the
/// documents' links use), links to other documents rewritten to their pages, raw HTML shown
/// as text (comments dropped).
fn body(doc: &Doc, pages: &BTreeMap<&str, String>) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<Event> = Vec::new();
    let mut anchors = Anchors::default();
    // Inside a link whose target is not written: its start and end are left out.
    let mut dropped_links = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;
    for event in Parser::new_ext(doc.text, options) {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => match link(doc.file, &dest_url, pages) {
                Some(dest) => {
                    dropped_links.push(false);
                    Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id })
                }
                None => {
                    dropped_links.push(true);
                    continue;
                }
            },
            Event::End(TagEnd::Link) => {
                if dropped_links.pop().unwrap_or(false) {
                    continue;
                }
                Event::End(TagEnd::Link)
            }
            Event::Html(text) | Event::InlineHtml(text) => {
                if text.trim_start().starts_with("<!--") {
                    continue;
                }
                Event::Text(text)
            }
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, .. })) => heading = Some((level, Vec::new())),
            (Some((level, inner)), Event::End(TagEnd::Heading(_))) => {
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = anchors.next(&text);
                events.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                events.append(inner);
                events.push(Event::End(TagEnd::Heading(*level)));
                heading = None;
            }
            (Some((_, inner)), event) => inner.push(event),
            (None, event) => events.push(event),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// Where a link of the document in `from` goes in the written website: web addresses and
/// fragments as they are, another document to its page, anything else (a file of the source)
/// nowhere.
fn link(from: &str, dest: &str, pages: &BTreeMap<&str, String>) -> Option<String> {
    if dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") {
        return Some(dest.to_string());
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let joined = Path::new(from).parent().unwrap_or(Path::new("")).join(path);
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.components() {
        match part {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    let page = pages.get(parts.join("/").as_str())?;
    Some(match fragment {
        Some(fragment) => format!("{page}#{fragment}"),
        None => page.clone(),
    })
}

/// GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces
/// as `-`; a repeated one numbered `-1`, `-2` ….
#[derive(Default)]
struct Anchors {
    seen: BTreeMap<String, usize>,
}

impl Anchors {
    fn next(&mut self, text: &str) -> String {
        let slug: String = text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let count = self.seen.entry(slug.clone()).or_insert(0);
        let id = if *count == 0 { slug } else { format!("{slug}-{count}") };
        *count += 1;
        id
    }
}

/// The pages' style: NHS colours with contrast above 4.5:1, readable at 390 px and wide
/// screens, a focus ring on every link, tables that scroll rather than overflow.
const STYLE: &str = "body{margin:0;font-family:Arial,'Liberation Sans',sans-serif;font-size:1.0625rem;line-height:1.5;color:#212b32;background:#fff}\
header{background:#005eb8;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:bold}\
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffeb3b;color:#212b32;padding:.5rem;z-index:1}\
.layout{display:flex;flex-wrap:wrap;gap:2rem;padding:1rem;max-width:80rem;margin:0 auto}\
nav{flex:1 1 14rem}nav ul{list-style:none;padding:0;margin:0}nav li{margin:.25rem 0}\
main{flex:3 1 30rem;min-width:0;max-width:52rem}\
a{color:#005eb8}a:visited{color:#330072}a:focus{outline:3px solid #ffeb3b;background:#ffeb3b;color:#212b32;text-decoration:none;box-shadow:0 4px #212b32}\
a[aria-current]{font-weight:bold;color:#212b32}\
table{border-collapse:collapse;display:block;overflow-x:auto;margin:1rem 0}th,td{border:1px solid #768692;padding:.25rem .5rem;text-align:left;vertical-align:top}\
code{background:#f0f4f5;padding:0 .2rem;font-size:.95em}pre{background:#f0f4f5;padding:.75rem;overflow-x:auto}pre code{padding:0}\
h1,h2,h3,h4{line-height:1.25}";

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> BTreeMap<&'static str, String> {
        DOCS.iter().map(|d| (d.file, d.page())).collect()
    }

    #[test]
    fn links_between_documents_go_to_their_pages() {
        let pages = pages();
        assert_eq!(
            link("README.md", "docs/record-format.md#14-board-meetings", &pages).as_deref(),
            Some("record-format.html#14-board-meetings")
        );
        assert_eq!(link("docs/rules.md", "sources.md", &pages).as_deref(), Some("sources.html"));
        assert_eq!(link("docs/blocks.md", "../README.md", &pages).as_deref(), Some("guide.html"));
        assert_eq!(link("docs/blocks.md", "README.md", &pages).as_deref(), Some("index.html"));
        assert_eq!(link("docs/x.md", "https://example.org/a", &pages).as_deref(), Some("https://example.org/a"));
        // Source files and folders are not written: the link keeps its text only.
        assert_eq!(link("README.md", "CONTRIBUTING.md", &pages), None);
        assert_eq!(link("docs/x.md", "../../etc/passwd", &pages), None);
    }

    #[test]
    fn headings_get_githubs_anchors() {
        let mut anchors = Anchors::default();
        assert_eq!(anchors.next("14. Board meetings"), "14-board-meetings");
        assert_eq!(anchors.next("8.2 Segment periods (`segments`)"), "82-segment-periods-segments");
        assert_eq!(anchors.next("Example"), "example");
        assert_eq!(anchors.next("Example"), "example-1");
    }

    #[test]
    fn raw_html_is_shown_as_text_and_comments_dropped() {
        let doc = Doc { name: "t", file: "docs/t.md", text: "# T\n\n<!-- note -->\n\nA <script>x</script> b.\n" };
        let html = body(&doc, &pages());
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("note"), "{html}");
        assert!(html.contains("<h1 id=\"t\">T</h1>"), "{html}");
    }
}
