//! Machine-readable files beside the pages: sitemap.xml, the Atom feed, robots.txt and the
//! search index.

use rayon::prelude::*;
use serde::Serialize;

use super::pages::Site;
use oversight_analysis::{self, EventKind};
use oversight_model::Page;
use oversight_model::kinds::RecordKind;
use oversight_model::links::Target;
use oversight_model::urls::Urls;
use oversight_syntax::escape::xml as esc;

/// sitemap.xml: every page in the sitemap, by absolute URL.
pub(crate) fn sitemap(urls: &Urls, paths: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", esc(&urls.absolute(path))));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// robots.txt: everything may be crawled; the sitemap is named.
pub(crate) fn robots(urls: &Urls) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute("sitemap.xml"))
}

/// How many entries the Atom feed holds.
const FEED_LENGTH: usize = 50;

/// The pages that can be in the feed. Only the newest 50 entries are kept: pages older than
/// the 50th page to be published cannot be among them, so the rest of a large site is not
/// looked at (`site.pages` is newest first; pages of the 50th's day all stay, as ties are
/// broken by URL).
pub(crate) fn atom_pages<'a>(site: &Site<'a>) -> Vec<&'a Page> {
    let due = || site.pages.iter().filter(|p| !p.draft && p.date <= site.as_of);
    let oldest = due().nth(FEED_LENGTH - 1).map(|p| p.date);
    due().take_while(|p| oldest.is_none_or(|oldest| p.date >= oldest)).copied().collect()
}

/// The Atom feed: narrative pages and programme entries and exits, newest first, dated at
/// midnight UTC of their day (the records have no times). It reads the records and the front
/// matter of [`atom_pages`].
pub(crate) fn atom(site: &Site) -> String {
    let r = site.register;
    struct Entry {
        date: oversight_syntax::date::Date,
        title: String,
        url: String,
        summary: String,
    }
    let mut entries: Vec<Entry> = atom_pages(site)
        .into_iter()
        .map(|p| Entry {
            date: p.date,
            title: p.title.clone(),
            url: site.urls.absolute(&Urls::relative(&Target::Record(RecordKind::Page, p.id.clone()))),
            summary: p.summary.clone().unwrap_or_default(),
        })
        .collect();
    for e in oversight_analysis::events(r).into_iter().filter(|e| e.date <= site.as_of) {
        if !matches!(e.kind, EventKind::RspEntered | EventKind::RspExited) {
            continue;
        }
        let name = r.organisation(&e.organisation).map_or(e.organisation.clone(), |o| o.name.clone());
        let url =
            site.urls.absolute(&Urls::relative(&Target::Record(RecordKind::Organisation, e.organisation.clone())));
        entries.push(Entry {
            date: e.date,
            title: format!("{name}: {}", lower_first(&e.label)),
            url: format!("{url}#{}", e.date),
            summary: e.detail.clone(),
        });
    }
    entries.sort_by(|a, b| (b.date, &a.url).cmp(&(a.date, &b.url)));
    entries.truncate(FEED_LENGTH);
    let stamp = |d: oversight_syntax::date::Date| format!("{}T00:00:00Z", d.civil());
    let home = site.urls.absolute("");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        esc(r.site.language.as_deref().unwrap_or("en-GB")),
        esc(&r.site.title),
        esc(&home),
        esc(&home),
        esc(&site.urls.absolute("atom.xml")),
        stamp(site.as_of),
        esc(r.site.publisher.as_deref().unwrap_or(&r.site.title)),
    );
    for e in entries {
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            esc(&e.title),
            esc(&e.url),
            esc(&e.url),
            stamp(e.date),
            esc(&e.summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// One search result: short keys keep the index small.
#[derive(Serialize)]
struct Item {
    t: String,
    u: String,
    k: &'static str,
    x: String,
}

/// Search items kept between builds of one `serve` session: with thousands of pages, making
/// every item again after each save would cost more than the rest of the rebuild.
#[derive(Default)]
pub(crate) struct SearchMemo {
    /// Each page's item, by the page's head (its id, which makes its URL, and front matter),
    /// its file and the options every page depends on.
    pages: oversight_syntax::hash::Map<u64, String>,
    /// The records' and the papers' items, by the key of the files they are made from.
    records: Option<(u64, Items)>,
}

/// The items of the records (organisations, support packages, undertakings) and of the
/// papers, each kind as JSON items joined by commas.
type Items = (String, String);

/// The search index the search page loads: every organisation, package, undertaking, page
/// and paper, with a line of text. `records` is the key of the record and paper files.
pub(crate) fn search_index(site: &Site, records: u64, memo: Option<&mut SearchMemo>) -> String {
    let u = |t: Target| site.urls.target(&t);
    let page_item = |p: &oversight_model::Page| {
        let text = p.summary.clone().unwrap_or_else(|| p.excerpt.clone());
        to_json(&Item {
            t: p.title.clone(),
            u: u(Target::Record(RecordKind::Page, p.id.clone())),
            k: "Update",
            x: text,
        })
    };
    let made: (Items, Vec<String>);
    let (items, pages): (&Items, Vec<&str>) = match memo {
        None => {
            made = (record_items(site), site.pages.par_iter().map(|p| page_item(p)).collect());
            (&made.0, made.1.iter().map(String::as_str).collect())
        }
        Some(memo) => {
            if memo.records.as_ref().is_none_or(|(key, _)| *key != records) {
                memo.records = Some((records, record_items(site)));
            }
            // Only this build's pages stay (keys are unique, as ids are, and heads hold ids, so
            // when the memo holds as many it holds no others).
            let keys: Vec<u64> = site
                .pages
                .iter()
                .map(|p| oversight_syntax::hash::of(&(p.head, site.sources.get(p.file).hash, site.global)))
                .collect();
            for (p, key) in site.pages.iter().zip(&keys) {
                memo.pages.entry(*key).or_insert_with(|| page_item(p));
            }
            if memo.pages.len() != keys.len() {
                let keys: std::collections::HashSet<&u64> = keys.iter().collect();
                memo.pages.retain(|key, _| keys.contains(key));
            }
            let memo: &SearchMemo = memo;
            let items = &memo.records.as_ref().expect("made above").1;
            (items, keys.iter().map(|k| memo.pages[k].as_str()).collect())
        }
    };
    // One list: the records, the pages, then the papers.
    let parts: Vec<&str> = std::iter::once(items.0.as_str())
        .chain(pages)
        .chain(std::iter::once(items.1.as_str()))
        .filter(|part| !part.is_empty())
        .collect();
    let mut json = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 2);
    json.push('[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(part);
    }
    json.push(']');
    json
}

/// The records' and the papers' search items.
fn record_items(site: &Site) -> Items {
    let r = site.register;
    let u = |t: Target| site.urls.target(&t);
    let mut items = Vec::new();
    for o in &r.organisations {
        let text = [o.short_name.as_deref(), o.ods_code.as_deref(), Some(o.org_type.name()), Some(o.region.name())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        items.push(Item {
            t: o.name.clone(),
            u: u(Target::Record(RecordKind::Organisation, o.id.clone())),
            k: "Organisation",
            x: text,
        });
    }
    for s in &r.support {
        let org = r.organisation(&s.organisation).map_or("", |o| o.name.as_str());
        items.push(Item {
            t: s.title.clone(),
            u: u(Target::Record(RecordKind::Support, s.id.clone())),
            k: "Support package",
            x: format!("{} · {org}", s.kind.name()),
        });
    }
    for x in &r.undertakings {
        let org = r.organisation(&x.organisation).map_or("", |o| o.name.as_str());
        items.push(Item {
            t: format!("Undertakings: {org}"),
            u: u(Target::Record(RecordKind::Undertaking, x.id.clone())),
            k: "Undertakings",
            x: x.summary.clone(),
        });
    }
    let papers: Vec<Item> = r
        .papers
        .iter()
        .map(|p| Item {
            t: p.title.clone(),
            u: u(Target::Record(RecordKind::Paper, p.id.clone())),
            k: "Board paper",
            // A paper written elsewhere has no cover block: the search says what it is.
            x: match (&p.action_required, p.attachment()) {
                (Some(action), _) => action.clone(),
                (None, Some(a)) => format!(
                    "PDF, {}",
                    if a.pages.len() == 1 { "1 page".into() } else { format!("{} pages", a.pages.len()) }
                ),
                (None, None) => String::new(),
            },
        })
        .collect();
    let json = |items: &[Item]| items.iter().map(to_json).collect::<Vec<_>>().join(",");
    (json(&items), json(&papers))
}

/// An item as compact JSON, as `serde_json` writes it inside a list, made safe to serve
/// ([`web_json`]) item by item, so kept items need no second pass.
fn to_json(item: &Item) -> String {
    web_json(&serde_json::to_string(item).expect("search items are plain strings"))
}

/// JSON safe to serve beside HTML: `<`, `>` and `&` (which JSON allows only inside strings)
/// are written as `\u003c`-style escapes, so no text can be read as markup if the file is
/// ever sniffed or inlined as HTML.
pub(crate) fn web_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// `text` with its first letter in lower case, for a label inside a sentence: "Exited the RSP"
/// → "exited the RSP" (an acronym keeps its capitals).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}
