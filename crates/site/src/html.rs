//! Markdown to HTML for the website: the pulldown-cmark event stream with heading ids,
//! internal links resolved to URLs, paragraphs numbered (for board papers), raw HTML
//! sanitised, and generated blocks spliced in.
//!
//! Without raw HTML, pulldown-cmark's writer escapes every text and attribute, so the only
//! dangers are URLs (`javascript:`) and custom heading attributes (`{onclick=…}`), which the
//! emitter filters itself. A document that holds raw HTML is sanitised as a whole by ammonia,
//! with an allow-list; that parse is most of the cost of a page, so plain documents skip it.
//! Generated blocks are inserted after sanitising: they are computed by this program from
//! records and already escaped, so they are trusted, and the SVG of a chart does not have to
//! pass an HTML filter.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use oversight_analysis::blocks::{self, Generated};
use oversight_model::links::{self, Target};
use oversight_model::vocabulary::UNNUMBERED;
use oversight_model::{Body, Register};
use oversight_rules::blocks::{Defaults, ResolvedBlock};
use oversight_syntax::escape::xml;
use oversight_syntax::markdown::{coalesce, with_figures};

/// Everything the emitter needs besides the text.
pub struct Context<'a> {
    pub register: &'a Register,
    /// The URL of a link target (a path under the site's base URL).
    pub url: &'a dyn Fn(&Target) -> String,
    /// The website's URLs, for charts whose rows link to organisations (none in tests).
    pub links: Option<&'a oversight_model::urls::Urls>,
    /// The document's folder under content/, for relative links.
    pub doc_dir: String,
    /// The document's generated blocks, with their options already checked.
    pub blocks: &'a [ResolvedBlock],
    pub defaults: Defaults,
    /// Board papers number their top-level paragraphs 1, 2, 3 … across headings.
    pub number_paragraphs: bool,
}

/// A heading of the document, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// Marks where generated block `i` goes. `nonce` is a hash of the document, so an author
/// cannot type a marker (in text, a title or raw HTML) that the splice would take for one: to
/// know the hash they would have to know the document they have not finished writing.
fn placeholder(nonce: u64, i: usize) -> String {
    format!("\u{E000}generated-{nonce:016x}-{i}\u{E000}")
}

pub fn render(body: &Body, cx: &Context) -> Rendered {
    let events =
        coalesce(body.text(), Parser::new_ext(body.text(), oversight_syntax::markdown::options()).into_offset_iter());
    let author_html = events.iter().any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut emitter = Emitter::new(body, cx, events.len());
    for (i, (event, range)) in events.iter().enumerate() {
        emitter.event(event, range, &events[i + 1..]);
    }
    let Emitter { out, headings, generated, nonce, .. } = emitter;
    let mut html = String::with_capacity(body.text().len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if author_html {
        html = sanitiser().clean(&html).to_string();
    }
    for (i, part) in generated.iter().enumerate() {
        let token = placeholder(nonce, i);
        // A block on its own line comes out as a bare token; inside a list item, the same.
        html = html.replacen(&token, part, 1);
    }
    Rendered { html, headings }
}

/// One document's events on their way to HTML, and what the conversion has seen so far.
struct Emitter<'a, 'e> {
    cx: &'a Context<'a>,
    /// Where the body starts in its file: generated blocks are found by their file offset.
    offset: usize,
    /// A hash of the document, for the markers of its generated blocks ([`placeholder`]).
    nonce: u64,
    /// The programme as at the document's date, for its `{{ figures }}`, once one is met.
    census: std::cell::OnceCell<oversight_analysis::Census>,
    out: Vec<Event<'e>>,
    headings: Vec<Heading>,
    ids: HeadingIds,
    /// Each generated block's HTML, spliced in after sanitising.
    generated: Vec<String>,
    /// How deep in block quotes, lists, tables and code the events are: only paragraphs at
    /// depth 0 are numbered.
    depth: usize,
    paragraph: usize,
    in_code: bool,
    /// The paragraph just opened starts with [`UNNUMBERED`], which its text drops.
    unnumbered: bool,
    /// Inside a generated block's fence, whose events its HTML replaces.
    skipping_block: bool,
    /// The Markdown table being written: its column names and alignments, the head-or-body
    /// state and the index of the cell in its row.
    table: MarkdownTable,
}

impl<'a, 'e> Emitter<'a, 'e> {
    fn new(body: &Body, cx: &'a Context<'a>, events: usize) -> Emitter<'a, 'e> {
        Emitter {
            cx,
            offset: body.offset,
            nonce: oversight_syntax::hash::of(body.text()),
            census: std::cell::OnceCell::new(),
            out: Vec::with_capacity(events),
            headings: Vec::new(),
            ids: HeadingIds::default(),
            generated: Vec::new(),
            depth: 0,
            paragraph: 0,
            in_code: false,
            unnumbered: false,
            skipping_block: false,
            table: MarkdownTable::default(),
        }
    }

    /// Takes in one event at `range` of the body; `rest` are the events after it.
    fn event(
        &mut self,
        event: &Event<'e>,
        range: &std::ops::Range<usize>,
        rest: &[(Event<'e>, std::ops::Range<usize>)],
    ) {
        if self.skipping_block {
            self.skipping_block = !matches!(event, Event::End(TagEnd::CodeBlock));
            return;
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                if !self.generated_block(self.offset + range.start) {
                    self.depth += 1;
                    self.in_code = true;
                    self.out.push(event.clone());
                }
            }
            Event::Start(Tag::Heading { level, id, classes, .. }) => self.heading(*level, id.as_deref(), classes, rest),
            Event::Start(Tag::Paragraph) if self.cx.number_paragraphs && self.depth == 0 => {
                self.top_level_paragraph(event, rest);
            }
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell) => {
                self.table_event(event, rest);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = rewrite(dest_url, self.cx);
                self.out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: dest.into(),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = match (oversight_model::images::is_local(dest_url), self.cx.links) {
                    // A picture of the register: the website has its copy in `media/`.
                    (true, Some(urls)) => {
                        match oversight_model::images::content_path(dest_url, &self.cx.doc_dir) {
                            Ok(path) => CowStr::from(urls.path(&oversight_model::images::output_path(&path))),
                            // `oversight check` reports it (OVS509); a build stops before here.
                            Err(_) => CowStr::Borrowed(""),
                        }
                    }
                    _ if safe_url(dest_url) => dest_url.clone(),
                    _ => CowStr::Borrowed(""),
                };
                self.out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: dest,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(tag) => {
                self.in_code |= matches!(tag, Tag::CodeBlock(_));
                if !matches!(
                    tag,
                    Tag::Paragraph
                        | Tag::Heading { .. }
                        | Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Link { .. }
                        | Tag::Image { .. }
                        | Tag::Superscript
                        | Tag::Subscript
                ) {
                    self.depth += 1;
                }
                self.out.push(event.clone());
            }
            Event::End(end) => {
                self.in_code &= !matches!(end, TagEnd::CodeBlock);
                if !matches!(
                    end,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                ) {
                    self.depth = self.depth.saturating_sub(1);
                }
                self.out.push(event.clone());
            }
            Event::Text(t) if !self.in_code => self.text(t),
            _ => self.out.push(event.clone()),
        }
    }

    /// The generated block whose fence opens at file offset `start`, if there is one: its
    /// marker goes in, its fence's events are skipped.
    fn generated_block(&mut self, start: usize) -> bool {
        let cx = self.cx;
        let Some(block) = cx.blocks.iter().find(|b| b.block.start == start) else { return false };
        let parts = blocks::expand(cx.register, block, cx.defaults, self.generated.len(), cx.links);
        self.out.push(Event::Text(CowStr::from(placeholder(self.nonce, self.generated.len()))));
        self.generated.push(generated_html(&parts, cx));
        self.skipping_block = true;
        true
    }

    /// A heading, with an id unique in the document (its own `{#id}`, else a slug of its text,
    /// which `rest` holds up to its end).
    fn heading(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr<'e>],
        rest: &[(Event<'e>, std::ops::Range<usize>)],
    ) {
        let mut text = String::new();
        for (event, _) in rest.iter().take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_)))) {
            if let Event::Text(t) | Event::Code(t) = event {
                text.push_str(t);
            }
        }
        let base = id.map(str::to_string).unwrap_or_else(|| slug(&text));
        let id = self.ids.unique(&base);
        self.headings.push(Heading { level: level as u8, id: id.clone(), text });
        // Custom attributes (`{onclick=…}`) are dropped: only the id and classes stay.
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.into()),
            classes: classes.to_vec(),
            attrs: Vec::new(),
        }));
    }

    /// A paragraph of a board paper outside any block: numbered, unless its text starts with
    /// [`UNNUMBERED`].
    fn top_level_paragraph(&mut self, event: &Event<'e>, rest: &[(Event<'e>, std::ops::Range<usize>)]) {
        if matches!(rest.first(), Some((Event::Text(t), _)) if t.starts_with(UNNUMBERED)) {
            self.unnumbered = true;
            self.out.push(event.clone());
            return;
        }
        self.paragraph += 1;
        let paragraph = self.paragraph;
        self.out.push(Event::Html(CowStr::from(format!(
            "<p class=\"numbered\" id=\"para-{paragraph}\"><span class=\"para-number\">{paragraph}</span> "
        ))));
    }

    /// Tables are written here rather than by pulldown-cmark, as NHS.UK's responsive table:
    /// roles that survive `display: block`, and each body cell labelled with its column for
    /// narrow screens, where the rows stack.
    fn table_event(&mut self, event: &Event<'e>, rest: &[(Event<'e>, std::ops::Range<usize>)]) {
        let html: CowStr<'static> = match event {
            Event::Start(Tag::Table(alignments)) => {
                self.depth += 1;
                self.table = MarkdownTable::new(rest, alignments);
                CowStr::from("<table class=\"nhsuk-table-responsive\" role=\"table\">")
            }
            Event::Start(Tag::TableHead) => {
                self.table.head = true;
                self.table.cell = 0;
                CowStr::from("<thead role=\"rowgroup\"><tr role=\"row\">")
            }
            Event::End(TagEnd::TableHead) => {
                self.table.head = false;
                CowStr::from("</tr></thead><tbody>")
            }
            Event::Start(Tag::TableRow) => {
                self.table.cell = 0;
                CowStr::from("<tr role=\"row\">")
            }
            Event::End(TagEnd::TableRow) => CowStr::from("</tr>"),
            Event::Start(Tag::TableCell) => {
                let cell = self.table.open_cell();
                self.table.cell += 1;
                CowStr::from(cell)
            }
            Event::End(TagEnd::TableCell) => CowStr::from(if self.table.head { "</th>" } else { "</td>" }),
            Event::End(TagEnd::Table) => {
                self.depth = self.depth.saturating_sub(1);
                CowStr::from("</tbody></table>\n")
            }
            _ => return,
        };
        self.out.push(Event::Html(html));
    }

    /// Text outside code, its `{{ figures }}` filled in.
    fn text(&mut self, event: &CowStr<'e>) {
        let t = match std::mem::take(&mut self.unnumbered) {
            true => event.strip_prefix(UNNUMBERED).unwrap_or(event).trim_start(),
            false => event,
        };
        let (census, cx) = (&self.census, self.cx);
        let figure = |name: &str| blocks::figure(census.get_or_init(|| census_at(cx)), name);
        let text = match with_figures(t, &figure) {
            // Nothing dropped or filled in (the text is a suffix of the event's, as long): the
            // event's own text, which mostly borrows from the body, rather than a copy.
            std::borrow::Cow::Borrowed(same) if same.len() == event.len() => event.clone(),
            text => text.into_owned().into(),
        };
        self.out.push(Event::Text(text));
    }
}

/// The census of the programme at the document's date.
fn census_at(cx: &Context) -> oversight_analysis::Census {
    oversight_analysis::census(cx.register, cx.defaults.as_of)
}

/// A Markdown table as it is written out.
#[derive(Default)]
struct MarkdownTable {
    /// The start tag of each column's header cell, and of its body cells (which carry the
    /// column's name for narrow screens): made once per table, not once per cell.
    head_cells: Vec<String>,
    body_cells: Vec<String>,
    head: bool,
    cell: usize,
}

impl MarkdownTable {
    /// `rest`: the events after the table's start, whose head row names the columns.
    fn new(rest: &[(Event, std::ops::Range<usize>)], alignments: &[pulldown_cmark::Alignment]) -> MarkdownTable {
        let mut columns = Vec::new();
        for (event, _) in rest {
            match event {
                Event::Start(Tag::TableCell) => columns.push(String::new()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(column) = columns.last_mut() {
                        column.push_str(t);
                    }
                }
                Event::End(TagEnd::TableHead) => break,
                _ => {}
            }
        }
        let width = columns.len().max(alignments.len());
        let style = |cell: usize| {
            use pulldown_cmark::Alignment;
            match alignments.get(cell) {
                Some(Alignment::Left) => " style=\"text-align: left\"",
                Some(Alignment::Center) => " style=\"text-align: center\"",
                Some(Alignment::Right) => " style=\"text-align: right\"",
                _ => "",
            }
        };
        let head_cells = (0..width).map(|cell| cell_tag(true, style(cell), "")).collect();
        let body_cells = (0..width)
            .map(|cell| {
                let column = columns.get(cell).map_or("", |c: &String| c.trim());
                let heading = if column.is_empty() { String::new() } else { responsive_heading(column) };
                cell_tag(false, style(cell), &heading)
            })
            .collect();
        MarkdownTable { head_cells, body_cells, head: false, cell: 0 }
    }

    /// The start tag of the next cell, and in the body its column's name for narrow screens.
    fn open_cell(&self) -> String {
        let cells = if self.head { &self.head_cells } else { &self.body_cells };
        cells.get(self.cell).cloned().unwrap_or_else(|| cell_tag(self.head, "", ""))
    }
}

/// A table cell's start tag: a column header, or a body cell led by its column's name.
fn cell_tag(head: bool, style: &str, heading: &str) -> String {
    if head {
        format!("<th scope=\"col\" role=\"columnheader\"{style}>")
    } else {
        format!("<td role=\"cell\"{style}>{heading}")
    }
}

/// A link's destination as the site serves it: internal links become URLs; the rest stay.
fn rewrite(dest: &str, cx: &Context) -> String {
    if !links::is_internal(dest) {
        return if safe_url(dest) { dest.to_string() } else { String::new() };
    }
    match links::resolve(dest, &cx.doc_dir, cx.register) {
        Ok((target, fragment)) => {
            let url = (cx.url)(&target);
            match fragment {
                Some(f) => format!("{url}#{f}"),
                None => url,
            }
        }
        // `oversight check` reports it (OVS504); a build stops before here.
        Err(_) => dest.to_string(),
    }
}

/// The URL schemes a link or image may use: ammonia's default list, so a link is treated the
/// same whether or not its document holds raw HTML. URLs without a scheme are relative.
const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Whether a link destination is relative or uses an allowed scheme. Browsers ignore tabs,
/// line breaks and leading spaces in a URL (`java\tscript:`), so those are ignored here too.
fn safe_url(dest: &str) -> bool {
    let url: String = dest.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    let Some(colon) = url.find(':') else { return true };
    // As the URL standard reads a scheme: a letter, then letters, digits, `+`, `-` or `.`.
    // Anything else before the colon (`foo):`) means there is no scheme: a relative URL.
    let scheme = &url[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

/// The `style` values of aligned table columns, as pulldown-cmark writes them.
const ALIGNMENTS: [&str; 3] = ["text-align: left", "text-align: center", "text-align: right"];

/// The allow-list for author HTML: CommonMark's output plus what footnotes, task lists, table
/// alignment and heading ids need. No scripts, styles elsewhere, event handlers or
/// `javascript:` URLs.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input", "span"])
            .add_generic_attributes(["id", "class"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            // A table cell keeps `style` only as pulldown-cmark writes a column's alignment;
            // any other author style (a full-page overlay, a `url()` fetched from elsewhere)
            // goes.
            .attribute_filter(|_, attribute, value| match attribute {
                "style" => ALIGNMENTS.contains(&value).then_some(value.into()),
                _ => Some(value.into()),
            })
            // What responsive tables need (see `MarkdownTable`): their roles, and the column
            // names hidden from screen readers.
            .add_tag_attribute_values("span", "aria-hidden", ["true"])
            .add_tag_attribute_values("table", "role", ["table"])
            .add_tag_attribute_values("thead", "role", ["rowgroup"])
            .add_tag_attribute_values("tr", "role", ["row"])
            .add_tag_attribute_values("th", "role", ["columnheader", "rowheader"])
            .add_tag_attribute_values("td", "role", ["cell"])
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// The HTML of a generated block's parts.
pub fn generated_html(parts: &[Generated], cx: &Context) -> String {
    let mut html = String::new();
    for part in parts {
        match part {
            Generated::Chart { svg, narrow, caption } => html.push_str(&chart(svg, narrow.as_deref(), &xml(caption))),
            Generated::Table(table) => {
                // A focusable region, so keyboard users can scroll a wide table; on a narrow
                // screen the rows stack instead, each cell labelled with its column (see
                // `responsive_heading`).
                html.push_str(&format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"{0}\" tabindex=\"0\"><table class=\"generated nhsuk-table-responsive\" role=\"table\"><caption>{0}</caption><thead role=\"rowgroup\"><tr role=\"row\">",
                    xml(&table.caption)
                ));
                for (i, column) in table.columns.iter().enumerate() {
                    let class = if table.numeric.get(i) == Some(&true) { " class=\"numeric\"" } else { "" };
                    html.push_str(&format!("<th scope=\"col\" role=\"columnheader\"{class}>{}</th>", xml(column)));
                }
                html.push_str("</tr></thead><tbody>");
                for row in &table.rows {
                    html.push_str("<tr role=\"row\">");
                    for (i, cell) in row.iter().enumerate() {
                        let class = if table.numeric.get(i) == Some(&true) { " class=\"numeric\"" } else { "" };
                        let text = xml(&cell.text);
                        let content = match &cell.link {
                            Some(link) => format!("<a href=\"{}\">{text}</a>", xml(&(cx.url)(link))),
                            None => text,
                        };
                        let heading = responsive_heading(table.columns.get(i).map_or("", String::as_str));
                        html.push_str(&format!("<td role=\"cell\"{class}>{heading}{content}</td>"));
                    }
                    html.push_str("</tr>");
                }
                html.push_str("</tbody></table></div>\n");
            }
            Generated::Text(sentences) => {
                for s in sentences {
                    html.push_str(&format!("<p class=\"generated\">{}</p>\n", xml(s)));
                }
            }
        }
    }
    html
}

/// A chart in a figure with its caption (HTML). With a narrow layout too, both are in the
/// page and the theme shows the one that fits (a container query on `.chart-two`), so no
/// chart is ever drawn smaller than its own size and its text stays at 12 pixels or more.
pub fn chart(wide: &str, narrow: Option<&str>, caption_html: &str) -> String {
    match narrow {
        Some(narrow) => format!(
            "<figure class=\"chart chart-two\"><div class=\"chart-wide\">{wide}</div><div class=\"chart-narrow\">{narrow}</div><figcaption>{caption_html}</figcaption></figure>\n"
        ),
        None => format!("<figure class=\"chart\">{wide}<figcaption>{caption_html}</figcaption></figure>\n"),
    }
}

/// The column's name at the start of a cell, shown only when a narrow screen stacks the table
/// (NHS.UK's responsive table). Screen readers hear the column header from `<th>` instead.
fn responsive_heading(column: &str) -> String {
    format!("<span class=\"nhsuk-table-responsive__heading\" aria-hidden=\"true\">{} </span>", xml(column))
}

/// A heading id from its text: lower case, words joined by hyphens.
pub fn slug(text: &str) -> String {
    let s = oversight_model::slugify(text);
    if s.is_empty() { "section".to_string() } else { s }
}

/// Heading ids given so far, and for each base the last number tried after it, so that the
/// next `background-n` is found without trying every earlier one again.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    /// `base`, or `base-1`, `base-2` … if it is taken.
    fn unique(&mut self, base: &str) -> String {
        let mut candidate = base.to_string();
        let n = self.next.entry(base.to_string()).or_insert(0);
        while self.used.contains(&candidate) {
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, number: bool) -> Rendered {
        let register = Register::default();
        let url = |t: &Target| format!("/x/{t:?}/");
        let cx = Context {
            register: &register,
            url: &url,
            links: None,
            doc_dir: "pages".into(),
            blocks: &[],
            defaults: Defaults { as_of: oversight_syntax::date::Date::constant(2024, 1, 1), since: None },
            number_paragraphs: number,
        };
        render(&Body::new(text.into(), 0), &cx)
    }

    #[test]
    fn sanitises_author_html() {
        let r = html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(1)\">y</a>\n\n<iframe src=\"https://evil\"></iframe>",
            false,
        );
        for bad in ["<script", "onerror", "javascript:", "JaVaScRiPt", "<iframe"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
    }

    #[test]
    fn filters_urls_and_attributes_without_raw_html() {
        let r = html(
            "# Title {#t onclick=alert(1) .big}\n\n[a](javascript:alert(1)) [b](<java\tscript:x>) ![c](vbscript:x) [d](https://nhs.uk/a:b) [e](../x:y) [f](mailto:a@b.nhs.uk) [g](data:text/html,x)\n",
            false,
        );
        for bad in ["onclick", "javascript", "script:x", "vbscript", "data:"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        for good in ["id=\"t\"", "class=\"big\"", "https://nhs.uk/a:b", "../x:y", "mailto:a@b.nhs.uk"] {
            assert!(r.html.contains(good), "{good} missing from {}", r.html);
        }
    }

    #[test]
    fn author_styles_go_but_column_alignment_stays() {
        let r = html(
            "<b>raw</b>\n\n| a |\n|--:|\n| 1 |\n\n<table><tr><td style=\"position:fixed;inset:0;background:url(https://evil/x)\">x</td><th style=\"text-align: center\">y</th></tr></table>\n",
            false,
        );
        assert!(!r.html.contains("position") && !r.html.contains("url("), "{}", r.html);
        assert!(r.html.contains("style=\"text-align: right\"") && r.html.contains("style=\"text-align: center\""));
    }

    #[test]
    fn a_colon_after_punctuation_is_no_scheme() {
        // CommonMark 0.31.2 example 500.
        let r = html("[link](foo\\)\\:)\n", false);
        assert!(r.html.contains("href=\"foo):\""), "{}", r.html);
    }

    #[test]
    fn twenty_thousand_identical_headings_get_ids_in_linear_time() {
        let r = html(&"## Same\n\n".repeat(20_000), false);
        assert_eq!(r.headings.last().unwrap().id, "same-19999");
        let mine = html("## A {#a-1}\n\n## A\n\n## A\n", false);
        let ids: Vec<_> = mine.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a", "a-2"]);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = html("## Background\n\n## Background\n\n## Custom {#mine}\n", false);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["background", "background-1", "mine"]);
        assert!(r.html.contains("<h2 id=\"background-1\">"), "{}", r.html);
    }

    #[test]
    fn figures_are_filled_in_and_a_paragraph_can_opt_out_of_numbering() {
        let r = html(
            "There are {{ in_programme.providers }} providers.\n\n{-} Download the data.\n\n`{{ exited }}`\n\n    {{ exited }}\n",
            true,
        );
        assert!(r.html.contains("</span> There are 0 providers.</p>"), "{}", r.html);
        assert!(r.html.contains("<p>Download the data.</p>"), "{}", r.html);
        assert!(
            r.html.contains("<code>{{ exited }}</code>") && r.html.contains("<pre><code>{{ exited }}"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"para-2\"") && !r.html.contains("id=\"para-3\""), "{}", r.html);
    }

    #[test]
    fn numbers_top_level_paragraphs_across_headings() {
        let r = html("One.\n\n## Head\n\nTwo.\n\n- a list\n\n  with a paragraph\n\n> quoted\n\nThree.\n", true);
        assert!(r.html.contains("id=\"para-1\""));
        assert!(r.html.contains("id=\"para-3\""), "{}", r.html);
        assert!(!r.html.contains("id=\"para-4\""), "{}", r.html);
    }

    #[test]
    fn keeps_commonmark_extensions() {
        let r = html("| a | b |\n|--:|---|\n| 1 | 2 |\n\n- [x] done\n\nText[^1]\n\n[^1]: Note.\n\n~~old~~\n", false);
        for good in
            ["<table class=", "style=\"text-align: right\"", "type=\"checkbox\"", "footnote-definition", "<del>"]
        {
            assert!(r.html.contains(good), "{good} missing from {}", r.html);
        }
    }

    #[test]
    fn markdown_tables_stack_with_each_cell_labelled_by_its_column() {
        let text = "| Edition | `Segments` |\n|---|--:|\n| NOF <b>2025/26</b> | 1 to 5 |\n| SOF | |\n";
        // With raw HTML in it the document is sanitised; the labels and roles must survive.
        for text in [text.replace("<b>", "").replace("</b>", ""), text.to_string()] {
            let r = html(&text, false);
            assert!(r.html.contains("<table class=\"nhsuk-table-responsive\" role=\"table\">"), "{}", r.html);
            assert!(
                r.html.contains("<th scope=\"col\" role=\"columnheader\" style=\"text-align: right\">"),
                "{}",
                r.html
            );
            let label = "<td role=\"cell\" style=\"text-align: right\"><span class=\"nhsuk-table-responsive__heading\" aria-hidden=\"true\">Segments </span>1 to 5</td>";
            assert!(r.html.contains(label), "{}", r.html);
            assert_eq!(r.html.matches("nhsuk-table-responsive__heading").count(), 4, "{}", r.html);
            assert!(r.html.contains("</tr></thead><tbody>") && r.html.ends_with("</tbody></table>\n"), "{}", r.html);
        }
    }
}
