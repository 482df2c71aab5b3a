//! Machine-readable files beside the pages: sitemap.xml, the Atom feed, robots.txt and the
//! search index.

use std::borrow::Cow;

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
struct Item<'a> {
    t: Cow<'a, str>,
    u: String,
    k: &'static str,
    x: Cow<'a, str>,
}

/// Search items kept between builds of one `serve` session: with thousands of pages, making
/// every item again after each save would cost more than the rest of the rebuild.
#[derive(Default)]
pub(crate) struct SearchMemo {
    /// Each page's item, by the page's head (its id, which makes its URL, and front matter),
    /// its file and the options every page depends on.
    pages: oversight_syntax::hash::Map<u64, String>,
    /// The records' and the papers' items as JSON joined by commas, by the key of the files
    /// they are made from.
    records: Option<(u64, (String, String))>,
}

/// The search index the search page loads: every organisation, package, undertaking, page
/// and paper, with a line of text, in that order. `records` is the key of the record and
/// paper files.
pub(crate) fn search_index(site: &Site, records: u64, memo: Option<&mut SearchMemo>) -> Vec<u8> {
    let mut list = JsonList::new();
    let Some(memo) = memo else {
        // A one-shot build writes each item straight into the index: made apart and then
        // joined, the items and the index were both held at once (at 50,000 pages, ~18 MB
        // each).
        let (items, papers) = record_items(site);
        for item in &items {
            list.item(item);
        }
        for p in &site.pages {
            list.item(&page_item(site, p));
        }
        for item in &papers {
            list.item(item);
        }
        return list.finish();
    };
    if memo.records.as_ref().is_none_or(|(key, _)| *key != records) {
        let (items, papers) = record_items(site);
        let joined = |items: &[Item]| items.iter().map(item_json).collect::<Vec<_>>().join(",");
        memo.records = Some((records, (joined(&items), joined(&papers))));
    }
    // Only this build's pages stay (keys are unique, as ids are, and heads hold ids, so when
    // the memo holds as many it holds no others).
    let keys: Vec<u64> = site
        .pages
        .iter()
        .map(|p| oversight_syntax::hash::of(&(p.head, site.sources.get(p.file).hash, site.global)))
        .collect();
    for (p, key) in site.pages.iter().zip(&keys) {
        memo.pages.entry(*key).or_insert_with(|| item_json(&page_item(site, p)));
    }
    if memo.pages.len() != keys.len() {
        let keys: std::collections::HashSet<&u64> = keys.iter().collect();
        memo.pages.retain(|key, _| keys.contains(key));
    }
    let (items, papers) = &memo.records.as_ref().expect("made above").1;
    list.json(items);
    for key in &keys {
        list.json(&memo.pages[key]);
    }
    list.json(papers);
    list.finish()
}

/// A page's search item: its summary, else the start of its text.
fn page_item<'a>(site: &Site, p: &'a Page) -> Item<'a> {
    Item {
        t: Cow::Borrowed(&p.title),
        u: site.urls.target(&Target::Record(RecordKind::Page, p.id.clone())),
        k: "Update",
        x: Cow::Borrowed(p.summary.as_deref().unwrap_or(&p.excerpt)),
    }
}

/// The records' search items (organisations, support packages, undertakings), and the
/// papers'.
fn record_items<'a>(site: &Site<'a>) -> (Vec<Item<'a>>, Vec<Item<'a>>) {
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
            t: Cow::Borrowed(&o.name),
            u: u(Target::Record(RecordKind::Organisation, o.id.clone())),
            k: "Organisation",
            x: Cow::Owned(text),
        });
    }
    for s in &r.support {
        let org = r.organisation(&s.organisation).map_or("", |o| o.name.as_str());
        items.push(Item {
            t: Cow::Borrowed(&s.title),
            u: u(Target::Record(RecordKind::Support, s.id.clone())),
            k: "Support package",
            x: Cow::Owned(format!("{} · {org}", s.kind.name())),
        });
    }
    for x in &r.undertakings {
        let org = r.organisation(&x.organisation).map_or("", |o| o.name.as_str());
        items.push(Item {
            t: Cow::Owned(format!("Undertakings: {org}")),
            u: u(Target::Record(RecordKind::Undertaking, x.id.clone())),
            k: "Undertakings",
            x: Cow::Borrowed(&x.summary),
        });
    }
    let papers = r
        .papers
        .iter()
        .map(|p| Item {
            t: Cow::Borrowed(&p.title),
            u: u(Target::Record(RecordKind::Paper, p.id.clone())),
            k: "Board paper",
            // A paper written elsewhere has no cover block: the search says what it is.
            x: match (&p.action_required, p.attachment()) {
                (Some(action), _) => Cow::Borrowed(action.as_str()),
                (None, Some(a)) => Cow::Owned(format!(
                    "PDF, {}",
                    if a.pages.len() == 1 { "1 page".into() } else { format!("{} pages", a.pages.len()) }
                )),
                (None, None) => Cow::Borrowed(""),
            },
        })
        .collect();
    (items, papers)
}

/// A JSON list written item by item, safe to serve ([`WebFormatter`]).
struct JsonList {
    json: Vec<u8>,
}

impl JsonList {
    fn new() -> JsonList {
        JsonList { json: vec![b'['] }
    }

    fn comma(&mut self) {
        if self.json.len() > 1 {
            self.json.push(b',');
        }
    }

    fn item(&mut self, item: &Item) {
        self.comma();
        write_item(&mut self.json, item);
    }

    /// Items already written as JSON and joined by commas; none, nothing.
    fn json(&mut self, items: &str) {
        if !items.is_empty() {
            self.comma();
            self.json.extend_from_slice(items.as_bytes());
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.json.push(b']');
        self.json
    }
}

/// An item as compact JSON, as `serde_json` writes it inside a list, safe to serve.
fn item_json(item: &Item) -> String {
    let mut json = Vec::new();
    write_item(&mut json, item);
    String::from_utf8(json).expect("serde_json writes UTF-8")
}

fn write_item(out: &mut Vec<u8>, item: &Item) {
    let mut writer = serde_json::Serializer::with_formatter(out, WebFormatter);
    item.serialize(&mut writer).expect("search items are plain strings, written to memory");
}

/// `serde_json`'s compact JSON with `<`, `>` and `&` written as `\u003c`-style escapes, as
/// [`web_json`] writes them, but as the text is written rather than in passes over it after.
struct WebFormatter;

impl serde_json::ser::Formatter for WebFormatter {
    /// Only strings can hold the three characters: everything else JSON writes is
    /// punctuation, numbers and literals.
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut plain = 0;
        for (i, byte) in fragment.bytes().enumerate() {
            let escape: &[u8] = match byte {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[plain..i])?;
            writer.write_all(escape)?;
            plain = i + 1;
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(t: &'a str, x: &'a str) -> Item<'a> {
        Item { t: Cow::Borrowed(t), u: "/pages/a/".into(), k: "Update", x: Cow::Borrowed(x) }
    }

    #[test]
    fn items_are_written_as_serde_json_writes_them_made_safe_to_serve() {
        let tricky = item("</script><b>A & B</b>", "\"quoted\" \\ back\tslash \u{1} é \u{2028} &amp;");
        let expected = web_json(&serde_json::to_string(&tricky).unwrap());
        assert_eq!(item_json(&tricky), expected);
        assert!(!expected.contains('<') && !expected.contains('>') && !expected.contains('&'));
        assert!(expected.contains(r"\u003c/script\u003e") && expected.contains(r"A \u0026 B"));
    }

    #[test]
    fn a_list_joins_items_and_skips_empty_runs() {
        assert_eq!(JsonList::new().finish(), b"[]");
        let mut list = JsonList::new();
        list.json("");
        list.item(&item("a", "x"));
        list.json("");
        list.json(r#"{"t":"b"},{"t":"c"}"#);
        list.item(&item("d", ""));
        let json = String::from_utf8(list.finish()).unwrap();
        let parsed: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
        let titles: Vec<&str> = parsed.iter().map(|v| v["t"].as_str().unwrap()).collect();
        assert_eq!(titles, ["a", "b", "c", "d"]);
    }
}
