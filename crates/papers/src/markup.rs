//! Markdown to Typst markup for papers: the same pulldown-cmark event stream the website
//! renders, emitted as Typst.
//!
//! No author text is ever written as Typst markup. Every run of text becomes a string literal
//! in an embedded expression, `#"…";`, where only `\` and `"` (and line breaks) need escaping,
//! and the `;` ends the expression so nothing after it can extend it. Structure is emitted as
//! calls to Typst functions (`#emph[…]`, `#list(…)`, `#table(…)`) whose arguments are
//! generated here. So no paper can inject Typst code or break compilation.

use std::collections::HashMap;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Parser, Tag, TagEnd};

use oversight_analysis::blocks::{self, Generated};
use oversight_model::vocabulary::UNNUMBERED;
use oversight_model::{Body, Register};
use oversight_rules::blocks::{Defaults, ResolvedBlock};
use oversight_syntax::markdown::{MAX_NOTE_DEPTH, coalesce, with_figures};

/// A Typst string literal, escaped, with what no embedded font can draw shown as `�`.
pub(crate) fn string(text: &str) -> String {
    let text = crate::world::drawable(text);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text as markup: an embedded string expression, ended.
pub(crate) fn text(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!("#{};", string(text)) }
}

/// A picture for the PDF: its file extension and its bytes.
pub(crate) type Picture = (String, Vec<u8>);

/// What the emitter needs besides the text.
pub(crate) struct Context<'a> {
    pub register: &'a Register,
    /// The document's checked generated blocks.
    pub blocks: &'a [ResolvedBlock],
    pub defaults: Defaults,
    /// Top-level paragraphs numbered 1, 2, 3 … (board papers).
    pub number_paragraphs: bool,
    /// Resolves an internal link destination to an absolute URL; `None` leaves it as text.
    pub link: &'a dyn Fn(&str) -> Option<String>,
    /// Unique within a pack: names this document's chart files and footnote labels.
    pub prefix: String,
    /// The picture an image's destination names, as its extension and bytes; `None` leaves
    /// its description in place of it.
    pub image: &'a dyn Fn(&str) -> Option<Picture>,
}

/// A document as Typst markup, with the chart files it refers to.
#[derive(Debug, Default)]
pub(crate) struct Emitted {
    pub markup: String,
    /// Virtual path → the bytes of a chart's SVG or a picture.
    pub files: Vec<(String, Vec<u8>)>,
}

type Events<'a> = Vec<(Event<'a>, std::ops::Range<usize>)>;

pub(crate) fn emit(body: &Body, cx: &Context) -> Emitted {
    let events: Events =
        coalesce(body.text(), Parser::new_ext(body.text(), oversight_syntax::markdown::options()).into_offset_iter());
    // Footnote definitions are emitted where they are first referenced.
    let mut main = Vec::new();
    let mut notes: HashMap<String, Events> = HashMap::new();
    let mut current: Option<(String, Events)> = None;
    for (event, range) in events {
        match (&mut current, event) {
            (None, Event::Start(Tag::FootnoteDefinition(label))) => current = Some((label.to_string(), Vec::new())),
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) => {
                let (label, body) = current.take().unwrap_or_default();
                notes.insert(label, body);
            }
            (Some((_, body)), event) => body.push((event, range)),
            (None, event) => main.push((event, range)),
        }
    }
    let mut emitter = Emitter {
        cx,
        body,
        notes: &notes,
        expanding: Vec::new(),
        emitted: HashMap::new(),
        quotes: 0,
        heading: 1,
        census: std::cell::OnceCell::new(),
        unnumbered: false,
        out: Emitted::default(),
        paragraph: 0,
        charts: 0,
        images: 0,
    };
    let markup = emitter.events(&main, 0);
    emitter.out.markup = markup;
    emitter.out
}

struct Emitter<'a, 'b> {
    cx: &'a Context<'b>,
    body: &'a Body,
    notes: &'a HashMap<String, Events<'b>>,
    /// Footnotes being expanded, innermost last: a note that refers to itself (directly or
    /// through another) is shown as its marker instead of being expanded for ever, and notes
    /// nest at most [`MAX_NOTE_DEPTH`] deep (`oversight check` reports deeper chains).
    expanding: Vec<String>,
    /// Footnotes already emitted, by label → their Typst label: a note is written out once,
    /// and every later reference points at it, so the work is linear in the notes' size.
    emitted: HashMap<String, String>,
    /// Block quotes open around the current event: their paragraphs are not numbered, as on
    /// the website.
    quotes: usize,
    /// The level of the last heading (the paper's title is level 1).
    heading: u8,
    /// The programme as at the document's date, for its `{{ figures }}`, once one is met.
    census: std::cell::OnceCell<oversight_analysis::Census>,
    /// The paragraph just opened starts with the `{-}` that keeps it unnumbered: its first
    /// text drops it.
    unnumbered: bool,
    out: Emitted,
    paragraph: usize,
    charts: usize,
    images: usize,
}

/// A container being built: lists collect items, tables collect cells.
enum Frame {
    /// Plain content: paragraphs, headings, quotes, emphasis … closed with a fixed suffix.
    Content(String),
    List {
        ordered: Option<u64>,
        items: Vec<String>,
    },
    Table {
        columns: usize,
        aligns: Vec<Alignment>,
        header: Vec<String>,
        cells: Vec<String>,
        in_head: bool,
    },
    CodeBlock {
        lang: String,
        text: String,
    },
    /// Content that is dropped (raw HTML blocks carry no text worth printing).
    Skip,
}

impl Emitter<'_, '_> {
    /// Emits a run of events; `depth` counts enclosing block containers (0 = top level).
    fn events(&mut self, events: &[(Event, std::ops::Range<usize>)], depth: usize) -> String {
        let mut out = String::new();
        // (frame, text before the frame's content, suffix)
        let mut stack: Vec<(Frame, String)> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let (event, range) = &events[i];
            i += 1;
            let level = depth + stack.iter().filter(|(f, _)| !matches!(f, Frame::Content(_))).count();
            // Where content goes: the innermost frame, or the output.
            macro_rules! sink {
                () => {
                    match stack.last_mut() {
                        Some((Frame::Content(_), buf))
                        | Some((Frame::List { .. }, buf))
                        | Some((Frame::Table { .. }, buf)) => buf,
                        Some((Frame::CodeBlock { text, .. }, _)) => text,
                        Some((Frame::Skip, buf)) => buf,
                        None => &mut out,
                    }
                };
            }
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let start = self.body.offset + range.start;
                    if let Some(block) = self.cx.blocks.iter().find(|b| b.block.start == start) {
                        let parts = blocks::expand(self.cx.register, block, self.cx.defaults, self.charts, None);
                        let markup = self.generated(&parts);
                        sink!().push_str(&markup);
                        // Skip the block's own text.
                        while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::CodeBlock)) {
                            i += 1;
                        }
                        i += 1;
                        continue;
                    }
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    stack.push((Frame::CodeBlock { lang, text: String::new() }, String::new()));
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((Frame::CodeBlock { lang, text }, _)) = stack.pop() {
                        let lang = if lang.is_empty() { String::new() } else { format!("lang: {}, ", string(&lang)) };
                        let code = format!("#raw(block: true, {lang}{})\n\n", string(text.trim_end_matches('\n')));
                        sink!().push_str(&code);
                    }
                }
                Event::Start(Tag::Paragraph) => {
                    self.unnumbered = matches!(events.get(i), Some((Event::Text(t), _)) if t.starts_with(UNNUMBERED));
                    let open = if self.cx.number_paragraphs && level == 0 && self.quotes == 0 && !self.unnumbered {
                        self.paragraph += 1;
                        format!("#numbered({})[", self.paragraph)
                    } else {
                        String::new()
                    };
                    stack.push((Frame::Content(if open.is_empty() { "\n\n".into() } else { "]\n\n".into() }), open));
                }
                Event::Start(Tag::Heading { level: h, .. }) => {
                    // Levels never skip (PDF/UA requires it): a `###` straight after the
                    // title is a second-level heading.
                    let n = (*h as u8).min(self.heading + 1).min(6);
                    self.heading = n;
                    stack.push((Frame::Content("]\n\n".into()), format!("#heading(level: {n})[")));
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    self.quotes += 1;
                    stack.push((Frame::Content("]\n\n".into()), "#quote(block: true)[".into()))
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    self.quotes -= 1;
                    if let Some((Frame::Content(suffix), content)) = stack.pop() {
                        let done = format!("{content}{suffix}");
                        sink!().push_str(&done);
                    }
                }
                Event::Start(Tag::Emphasis) => stack.push((Frame::Content("]".into()), "#emph[".into())),
                Event::Start(Tag::Strong) => stack.push((Frame::Content("]".into()), "#strong[".into())),
                Event::Start(Tag::Strikethrough) => stack.push((Frame::Content("]".into()), "#strike[".into())),
                Event::Start(Tag::Superscript) => stack.push((Frame::Content("]".into()), "#super[".into())),
                Event::Start(Tag::Subscript) => stack.push((Frame::Content("]".into()), "#sub[".into())),
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let url = if oversight_model::links::is_internal(dest_url) {
                        (self.cx.link)(dest_url)
                    } else {
                        Some(dest_url.to_string())
                    };
                    // Struck-through text is not also underlined as a link: PDF/UA forbids
                    // combining the two, so where they meet the text stays struck, unlinked.
                    let in_strike = stack.iter().any(|(_, open)| open.starts_with("#strike["));
                    let strike_inside = events[i..]
                        .iter()
                        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Link)))
                        .any(|(e, _)| matches!(e, Event::Start(Tag::Strikethrough)));
                    match url.filter(|u| is_safe_url(u) && !in_strike && !strike_inside) {
                        Some(u) => stack.push((Frame::Content("]".into()), format!("#link({})[", string(&u)))),
                        None => stack.push((Frame::Content(String::new()), String::new())),
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    // A picture of the register is placed, its description the PDF's
                    // alternative text (PDF/UA's figure description); one on the web cannot be
                    // fetched, and its description stands in, in italics.
                    match (self.cx.image)(dest_url) {
                        Some((ext, bytes)) => {
                            let mut alt = String::new();
                            while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::Image)) {
                                if let Event::Text(t) | Event::Code(t) = &events[i].0 {
                                    alt.push_str(t);
                                }
                                i += 1;
                            }
                            i += 1;
                            let path = format!("/{}-image-{}.{ext}", self.cx.prefix, self.images);
                            self.images += 1;
                            self.out.files.push((path.clone(), bytes));
                            let image = format!("#paper-image({}, {});", string(&path), string(alt.trim()));
                            sink!().push_str(&image);
                        }
                        None => stack.push((Frame::Content("]".into()), "#emph[".into())),
                    }
                }
                Event::Start(Tag::List(start)) => {
                    stack.push((Frame::List { ordered: *start, items: Vec::new() }, String::new()))
                }
                Event::Start(Tag::Item) => stack.push((Frame::Content(String::new()), String::new())),
                Event::Start(Tag::Table(aligns)) => stack.push((
                    Frame::Table {
                        columns: aligns.len(),
                        aligns: aligns.clone(),
                        header: Vec::new(),
                        cells: Vec::new(),
                        in_head: false,
                    },
                    String::new(),
                )),
                Event::Start(Tag::TableHead) => {
                    if let Some((Frame::Table { in_head, .. }, _)) = stack.last_mut() {
                        *in_head = true;
                    }
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some((Frame::Table { in_head, .. }, _)) = stack.last_mut() {
                        *in_head = false;
                    }
                }
                Event::Start(Tag::TableRow) | Event::End(TagEnd::TableRow) => {}
                Event::Start(Tag::TableCell) => stack.push((Frame::Content(String::new()), String::new())),
                Event::Start(Tag::HtmlBlock) => stack.push((Frame::Skip, String::new())),
                Event::End(TagEnd::HtmlBlock) => {
                    stack.pop();
                }
                Event::Start(Tag::FootnoteDefinition(_)) | Event::Start(Tag::MetadataBlock(_)) => {
                    stack.push((Frame::Skip, String::new()))
                }
                Event::Start(Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition) => {
                    stack.push((Frame::Content("\n\n".into()), String::new()))
                }
                Event::End(TagEnd::List(_)) => {
                    if let Some((Frame::List { ordered, items }, _)) = stack.pop() {
                        let args: Vec<String> = items.iter().map(|item| format!("[{item}]")).collect();
                        let call = match ordered {
                            Some(start) => format!("#enum(start: {start}, {})\n\n", args.join(", ")),
                            None => format!("#list({})\n\n", args.join(", ")),
                        };
                        sink!().push_str(&call);
                    }
                }
                Event::End(TagEnd::Item) => {
                    if let Some((Frame::Content(_), content)) = stack.pop()
                        && let Some((Frame::List { items, .. }, _)) = stack.last_mut()
                    {
                        items.push(content.trim().to_string());
                    }
                }
                Event::End(TagEnd::TableCell) => {
                    if let Some((Frame::Content(_), content)) = stack.pop()
                        && let Some((Frame::Table { header, cells, in_head, .. }, _)) = stack.last_mut()
                    {
                        let cell = format!("[{}]", content.trim());
                        if *in_head { header.push(cell) } else { cells.push(cell) }
                    }
                }
                Event::End(TagEnd::Table) => {
                    if let Some((Frame::Table { columns, aligns, header, cells, .. }, _)) = stack.pop() {
                        let markup = table(columns, &aligns, &header, &cells, None);
                        sink!().push_str(&markup);
                    }
                }
                Event::End(TagEnd::FootnoteDefinition | TagEnd::MetadataBlock(_)) => {
                    stack.pop();
                }
                Event::End(TagEnd::Heading(_)) => {
                    // A heading with no text is no heading (PDF/UA refuses one); `oversight
                    // check` reports it (OVS008).
                    if let Some((Frame::Content(suffix), content)) = stack.pop()
                        && !content.ends_with(")[")
                    {
                        let done = format!("{content}{suffix}");
                        sink!().push_str(&done);
                    }
                }
                Event::End(_) => {
                    if let Some((Frame::Content(suffix), content)) = stack.pop() {
                        let done = format!("{content}{suffix}");
                        sink!().push_str(&done);
                    }
                }
                Event::Text(t) => {
                    let markup = match stack.last() {
                        Some((Frame::CodeBlock { .. }, _)) => t.to_string(),
                        Some((Frame::Skip, _)) => String::new(),
                        _ => {
                            let t = match std::mem::take(&mut self.unnumbered) {
                                true => t.strip_prefix(UNNUMBERED).unwrap_or(t).trim_start(),
                                false => t,
                            };
                            text(&self.with_figures(t))
                        }
                    };
                    sink!().push_str(&markup);
                }
                Event::Code(c) => {
                    let code = format!("#raw({});", string(c));
                    sink!().push_str(&code);
                }
                Event::InlineMath(m) | Event::DisplayMath(m) => {
                    let math = text(m);
                    sink!().push_str(&math);
                }
                Event::Html(_) | Event::InlineHtml(_) => {}
                Event::SoftBreak => sink!().push(' '),
                Event::HardBreak => sink!().push_str("#linebreak();"),
                Event::Rule => sink!().push_str("#line(length: 100%)\n\n"),
                Event::TaskListMarker(done) => sink!().push_str(if *done { "#\"☒ \";" } else { "#\"☐ \";" }),
                Event::FootnoteReference(label) => {
                    let note = self.footnote(label);
                    sink!().push_str(&note);
                }
            }
        }
        // Unclosed frames cannot happen with pulldown-cmark's balanced events; flush anyway.
        while let Some((_, content)) = stack.pop() {
            out.push_str(&content);
        }
        out
    }

    /// A reference to footnote `label`: the note itself the first time, a reference to it
    /// after; its marker as text if there is no such note, or it is being expanded, or the
    /// chain of notes is deeper than [`MAX_NOTE_DEPTH`].
    fn footnote(&mut self, label: &str) -> String {
        let marker = || text(&format!("[^{label}]"));
        if self.expanding.iter().any(|l| l == label) {
            return marker();
        }
        if let Some(typst_label) = self.emitted.get(label) {
            return format!("#footnote(<{typst_label}>);");
        }
        let Some(events) = self.notes.get(label).filter(|_| self.expanding.len() < MAX_NOTE_DEPTH) else {
            return marker();
        };
        let typst_label = format!("{}-note-{}", self.cx.prefix, self.emitted.len());
        self.emitted.insert(label.to_string(), typst_label.clone());
        self.expanding.push(label.to_string());
        let quotes = std::mem::take(&mut self.quotes);
        let inner = self.events(events, 1);
        self.quotes = quotes;
        self.expanding.pop();
        format!("#footnote[{}] <{typst_label}>", inner.trim())
    }

    /// `text` with its `{{ figures }}` as at the document's date.
    fn with_figures<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let value = |name: &str| {
            let census =
                self.census.get_or_init(|| oversight_analysis::census(self.cx.register, self.cx.defaults.as_of));
            blocks::figure(census, name)
        };
        with_figures(text, &value)
    }

    /// Typst for a generated block's parts.
    fn generated(&mut self, parts: &[Generated]) -> String {
        let mut out = String::new();
        for part in parts {
            match part {
                Generated::Chart { svg, caption, .. } => {
                    let path = format!("/{}-{}.svg", self.cx.prefix, self.charts);
                    self.charts += 1;
                    self.out.files.push((path.clone(), svg.clone().into_bytes()));
                    let alt = svg_description(svg);
                    out.push_str(&format!(
                        "#figure(image({}, width: 100%, alt: {}), caption: [{}])\n\n",
                        string(&path),
                        string(&alt),
                        text(caption)
                    ));
                }
                Generated::Table(t) => {
                    let aligns: Vec<Alignment> =
                        t.numeric.iter().map(|n| if *n { Alignment::Right } else { Alignment::Left }).collect();
                    let header: Vec<String> = t.columns.iter().map(|c| format!("[{}]", text(c))).collect();
                    let cells: Vec<String> = t.rows.iter().flatten().map(|c| format!("[{}]", text(&c.text))).collect();
                    out.push_str(&table(t.columns.len(), &aligns, &header, &cells, Some(&t.caption)));
                }
                Generated::Text(sentences) => {
                    for s in sentences {
                        out.push_str(&text(s));
                        out.push_str("\n\n");
                    }
                }
            }
        }
        out
    }
}

/// A Typst table with a repeated header row, optionally as a captioned figure. Generated
/// tables (with a caption) lead with a name, so their first column gets twice the room.
fn table(columns: usize, aligns: &[Alignment], header: &[String], cells: &[String], caption: Option<&str>) -> String {
    let columns = columns.max(1);
    let widths = if caption.is_some() {
        std::iter::once("2fr").chain(std::iter::repeat_n("1fr", columns - 1)).collect::<Vec<_>>().join(", ")
    } else {
        columns.to_string()
    };
    let align: Vec<&str> = (0..columns)
        .map(|i| match aligns.get(i) {
            Some(Alignment::Right) => "right",
            Some(Alignment::Center) => "center",
            _ => "left",
        })
        .collect();
    let widths = if caption.is_some() { format!("({widths},)") } else { widths };
    let mut t = format!("#table(columns: {widths}, align: ({},), ", align.join(", "));
    if !header.is_empty() {
        t.push_str(&format!("table.header({}), ", header.join(", ")));
    }
    t.push_str(&cells.join(", "));
    t.push(')');
    match caption {
        Some(c) => format!("#figure(kind: table, caption: [{}], {})\n\n", text(c), &t[1..]),
        None => format!("{t}\n\n"),
    }
}

/// The `<desc>` of a chart, as its alternative text.
fn svg_description(svg: &str) -> String {
    let start = svg.find("<desc").and_then(|i| svg[i..].find('>').map(|j| i + j + 1));
    let text = start.and_then(|s| svg[s..].find("</desc>").map(|e| &svg[s..s + e])).unwrap_or("Chart");
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// Only web and mail links go into a PDF.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footnote_that_refers_to_itself_is_not_expanded_for_ever() {
        let out = paper("Text[^n]\n\n[^n]: note\nsee [^n] again\n");
        assert_eq!(out.matches("#footnote[").count(), 1, "{out}");
        assert!(out.contains("[^n]"), "the inner reference stays a marker: {out}");
    }

    fn paper(text: &str) -> String {
        let register = Register::default();
        let link = |_: &str| None;
        let cx = Context {
            register: &register,
            blocks: &[],
            defaults: Defaults { as_of: oversight_syntax::date::Date::constant(2024, 1, 1), since: None },
            number_paragraphs: true,
            link: &link,
            prefix: "c".into(),
            image: &|_| None,
        };
        emit(&Body::new(text.into(), 0), &cx).markup
    }

    #[test]
    fn each_footnote_is_written_once_however_often_it_is_cited() {
        // Each note cites the next twice: 2^22 copies if notes were expanded at every citation.
        let mut text = String::from("Text[^n0] and again[^n0].\n\n");
        for i in 0..22 {
            text.push_str(&format!("[^n{i}]: Note {i} [^n{}] [^n{}]\n\n", i + 1, i + 1));
        }
        let out = paper(&text);
        assert!(out.len() < 10_000, "{} bytes", out.len());
        assert_eq!(out.matches("#footnote[").count(), MAX_NOTE_DEPTH, "{out}");
        assert!(out.contains("#footnote(<c-note-0>);"), "the second citation points at the first: {out}");
    }

    #[test]
    fn a_long_chain_of_footnotes_does_not_recurse_deeply() {
        let mut text = String::from("Text[^n0].\n\n");
        for i in 0..3000 {
            text.push_str(&format!("[^n{i}]: Note [^n{}]\n\n", i + 1));
        }
        let out = paper(&text);
        assert_eq!(out.matches("#footnote[").count(), MAX_NOTE_DEPTH);
        assert!(out.contains(&format!("[^n{MAX_NOTE_DEPTH}]")), "deeper notes stay markers");
    }

    #[test]
    fn figures_are_filled_in_and_a_paragraph_can_opt_out_of_numbering() {
        let out = paper(
            "As at {{ as_of }} there are {{ in_programme.providers }} providers.\n\n{-} Download the data.\n\nTwo `{{ exited }}`.\n",
        );
        assert!(out.contains("#numbered(1)[#\"As at 1 January 2024 there are 0 providers.\";]"), "{out}");
        assert!(out.contains("#\"Download the data.\";") && !out.contains("{-}"), "{out}");
        assert!(out.contains("#numbered(2)[") && out.contains("#raw(\"{{ exited }}\")"), "{out}");
    }

    #[test]
    fn struck_text_is_not_also_a_link() {
        for text in ["~~[link](https://x.example/a)~~\n", "[~~link~~](https://x.example/a)\n"] {
            let out = paper(text);
            assert!(out.contains("#strike[") && !out.contains("#link("), "{out}");
        }
        assert!(paper("[link](https://x.example/a)\n").contains("#link("));
    }

    #[test]
    fn paragraphs_in_a_quote_are_not_numbered() {
        let out = paper("One.\n\n> Quoted.\n\nTwo.\n");
        assert!(out.contains("#numbered(2)[") && !out.contains("#numbered(3)"), "{out}");
    }

    #[test]
    fn strings_escape_everything_that_matters() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("x\ny"), r#""x\ny""#);
        assert_eq!(text("#import \"evil\"; $x$ <l> @ref"), r##"#"#import \"evil\"; $x$ <l> @ref";"##);
    }
}
