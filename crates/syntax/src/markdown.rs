//! The lexical Markdown scan: the CommonMark options every document is read with, and where a
//! body's links, generated blocks and `{{ figure }}` references are. What they mean (which
//! record a link names, which fences are blocks and what their options say, which figures
//! exist) is for the crates above.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The CommonMark extensions every document is read with: tables, footnotes, strikethrough,
/// task lists and `{#id}` heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A figure reference's name and form: `in_programme.icbs | count` → (`in_programme.icbs`,
/// Some(`count`)).
pub fn figure_form(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('|') {
        Some((name, form)) => (name.trim(), Some(form.trim())),
        None => (reference.trim(), None),
    }
}

/// The figure references `{{ name }}` in a run of text: where each is (offsets into `text`)
/// and the name inside it.
pub fn figure_refs(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = find_pair(text, from, '{') {
        let Some(close) = find_pair(text, open + 2, '}') else { break };
        let name = text[open + 2..close].trim();
        let word =
            |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        let plain = match figure_form(name) {
            (figure, None) => word(figure),
            (figure, Some(form)) => word(figure) && word(form),
        };
        if plain {
            found.push((open..close + 2, name));
            from = close + 2;
        } else {
            from = open + 2;
        }
    }
    found
}

/// Where the next `cc` (`{{` or `}}`) is in `text`, from byte `from`. A search for the one
/// character (memchr) and a look at the next: `str::find` with a two-character pattern sets up a
/// substring search for every run of text, and most runs have no brace at all.
fn find_pair(text: &str, from: usize, c: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(c) {
        let i = at + i;
        if bytes.get(i + 1) == Some(&bytes[i]) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// `text` with each `{{ name }}` replaced by `value(name)`; a name it has no value for stays as
/// written (`oversight check` reports it).
pub fn with_figures<'t>(text: &'t str, value: &dyn Fn(&str) -> Option<String>) -> std::borrow::Cow<'t, str> {
    let refs = figure_refs(text);
    if refs.is_empty() {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, name) in refs {
        out.push_str(&text[last..range.start]);
        match value(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&text[range.clone()]),
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    out.into()
}

/// Events with their offsets, each run of adjacent text joined into one: pulldown-cmark may
/// split text (at `_`, `{`), and a `{{ figure }}` must be seen whole. Both renderers read a
/// body through this; `source` is the text the events were parsed from.
pub fn coalesce<'a>(
    source: &'a str,
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (event, range) in events {
        if let (Event::Text(t), Some((Event::Text(before), r))) = (&event, out.last_mut()) {
            join(source, (before, r), (t, &range));
            continue;
        }
        out.push((event, range));
    }
    out
}

/// Appends the text `t` at `range` to the text `before` at `r`. Most runs are plain text cut
/// where pulldown-cmark looked at a character: two pieces that are `source`'s own bytes, one
/// after the other, join as the slice of `source` they cover, with nothing copied. Others (an
/// escape, an entity) are copied into one string that the rest of the run is added to.
fn join<'a>(
    source: &'a str,
    (before, r): (&mut CowStr<'a>, &mut Range<usize>),
    (t, range): (&CowStr<'a>, &Range<usize>),
) {
    let in_place = |text: &CowStr, at: &Range<usize>| matches!(text, CowStr::Borrowed(b) if source.get(at.clone()).is_some_and(|s| std::ptr::eq(s, *b)));
    *before = if r.end == range.start && in_place(before, r) && in_place(t, range) {
        CowStr::Borrowed(&source[r.start..range.end])
    } else {
        let mut joined = std::mem::replace(before, CowStr::Borrowed("")).into_string();
        joined.push_str(t);
        joined.into()
    };
    r.end = range.end;
}

/// Block quotes and lists nest at most this deep: enough for any paper, and shallow enough that
/// no renderer (the HTML sanitiser, Typst's parser) meets its own limits.
pub const MAX_NESTING: usize = 16;

/// Footnotes that cite footnotes nest at most this deep in a PDF, where a note cited from
/// inside another is printed inside it.
pub const MAX_NOTE_DEPTH: usize = 4;

/// A heading, an image's description and a link's address hold at most this many characters.
/// Each becomes one string in a PDF (a bookmark, an alternative text, a link), which PDF/A
/// limits to 32,767 bytes and Typst, for an address, to 8,000: a real one is a line or two.
pub const MAX_PDF_TEXT: usize = 2000;

/// What checking and rendering need to know of a body before rendering it: its links and its
/// generated blocks, and where it goes past the limits every renderer can honour. Found in one
/// pass when the file is loaded, so checking a large site does not parse every document again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan<K> {
    /// Every link and image, in document order.
    pub links: Vec<LinkRef>,
    /// Every generated block, in document order.
    pub blocks: Vec<BlockRef<K>>,
    /// Where block quotes and lists first nest deeper than [`MAX_NESTING`].
    pub too_deep: Option<Range<usize>>,
    /// Where a footnote is first cited from a chain of notes deeper than [`MAX_NOTE_DEPTH`]
    /// (so a PDF could only show its marker), and its label.
    pub note_too_deep: Option<(String, Range<usize>)>,
    /// Images with no description (`![](chart.png)`): nothing a screen reader, or a PDF,
    /// which prints the description in place of the image, could say for them.
    pub undescribed_images: Vec<Range<usize>>,
    /// Headings with no text (`##` alone): nothing to navigate by.
    pub empty_headings: Vec<Range<usize>>,
    /// Tables whose header row has no text (`| | |`): nothing names their columns, to a
    /// screen reader or in a PDF's table headers. Each is the header row's range.
    pub headless_tables: Vec<Range<usize>>,
    /// Every figure reference `{{ name }}` in the text (not in code), with its name.
    pub figures: Vec<(String, Range<usize>)>,
    /// Headings, image descriptions and link addresses longer than [`MAX_PDF_TEXT`]
    /// characters (and images' addresses), each with what it is (`"heading"`,
    /// `"image description"`, `"link address"`, `"image address"`).
    pub too_long: Vec<(&'static str, Range<usize>)>,
}

impl<K> Default for Scan<K> {
    fn default() -> Scan<K> {
        Scan {
            links: Vec::new(),
            blocks: Vec::new(),
            too_deep: None,
            note_too_deep: None,
            undescribed_images: Vec::new(),
            empty_headings: Vec::new(),
            headless_tables: Vec::new(),
            figures: Vec::new(),
            too_long: Vec::new(),
        }
    }
}

/// Scans `text`, a body starting at byte `offset` of its file; ranges are file offsets. A
/// fenced block is a generated block if `kind_of` its language is a kind.
pub fn scan<K>(text: &str, offset: usize, kind_of: impl Fn(&str) -> Option<K>) -> Scan<K> {
    let mut scan = Scan::default();
    let mut block: Option<BlockRef<K>> = None;
    let mut nesting = 0usize;
    let mut notes = Notes::default();
    // The image or heading being read: where it is, and whether any of it is text.
    let mut image: Option<(Range<usize>, bool)> = None;
    let mut heading: Option<(Range<usize>, bool)> = None;
    let mut table_head: Option<(Range<usize>, bool)> = None;
    // The characters of the image's description or heading being read.
    let (mut image_chars, mut heading_chars) = (0usize, 0usize);
    // A run of text outside code, which pulldown-cmark may hand over in pieces.
    let mut run: Option<(Range<usize>, String)> = None;
    let mut in_code = false;
    // Joining the runs costs a copy of the text: only a body with a `{{`, or with an entity
    // (`&#123;`), can need it.
    let has_figures = text.contains("{{") || text.contains('&');
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let at = offset + range.start..offset + range.end;
        match (&event, run.as_mut()) {
            _ if !has_figures => {}
            (Event::Text(t), Some((r, joined))) if !in_code && r.end == at.start => {
                r.end = at.end;
                joined.push_str(t);
            }
            (Event::Text(t), _) if !in_code => {
                scan.figures.extend(figures_of(run.take()));
                run = Some((at.clone(), t.to_string()));
            }
            _ => scan.figures.extend(figures_of(run.take())),
        }
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                nesting += 1;
                if nesting > MAX_NESTING && scan.too_deep.is_none() {
                    scan.too_deep = Some(at.clone());
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => nesting = nesting.saturating_sub(1),
            Event::Start(Tag::FootnoteDefinition(label)) => notes.define(label),
            Event::End(TagEnd::FootnoteDefinition) => notes.open = None,
            Event::FootnoteReference(label) => notes.cite(label, at.clone()),
            Event::Start(Tag::Image { .. }) => {
                image = Some((at.clone(), false));
                image_chars = 0;
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((at.clone(), false));
                heading_chars = 0;
            }
            Event::Start(Tag::TableHead) => table_head = Some((at.clone(), false)),
            Event::Text(t) | Event::Code(t) => {
                if image.is_some() || heading.is_some() {
                    let chars = t.chars().count();
                    image_chars += if image.is_some() { chars } else { 0 };
                    heading_chars += if heading.is_some() { chars } else { 0 };
                }
                if !t.trim().is_empty() {
                    for (_, has_text) in image.iter_mut().chain(heading.iter_mut()).chain(table_head.iter_mut()) {
                        *has_text = true;
                    }
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some((range, false)) = table_head.take() {
                    scan.headless_tables.push(range);
                }
            }
            Event::End(TagEnd::Heading(_)) => match heading.take() {
                Some((range, false)) => scan.empty_headings.push(range),
                Some((range, true)) if heading_chars > MAX_PDF_TEXT => scan.too_long.push(("heading", range)),
                _ => {}
            },
            Event::End(TagEnd::Image) => match image.take() {
                Some((range, false)) => scan.undescribed_images.push(range),
                Some((range, true)) if image_chars > MAX_PDF_TEXT => scan.too_long.push(("image description", range)),
                _ => {}
            },
            _ => {}
        }
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.chars().count() > MAX_PDF_TEXT => {
                scan.too_long.push(("link address", at.clone()))
            }
            Event::Start(Tag::Image { dest_url, .. }) if dest_url.chars().count() > MAX_PDF_TEXT => {
                scan.too_long.push(("image address", at.clone()))
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                scan.links.push(LinkRef::new(text, offset, &dest_url, range, false))
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                scan.links.push(LinkRef::new(text, offset, &dest_url, range, true))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => block = BlockRef::open(&info, at, &kind_of),
            Event::Text(_) => {
                if let Some(b) = block.as_mut() {
                    b.extend(at);
                }
            }
            Event::End(TagEnd::CodeBlock) => scan.blocks.extend(block.take()),
            _ => {}
        }
    }
    scan.figures.extend(figures_of(run.take()));
    scan.note_too_deep = notes.too_deep();
    scan
}

/// The figure references in a run of text that starts at `range.start` of the file. The text
/// is as pulldown-cmark gives it; a reference with an escape or entity inside is not one.
fn figures_of(run: Option<(Range<usize>, String)>) -> Vec<(String, Range<usize>)> {
    let Some((range, text)) = run else { return Vec::new() };
    // Offsets within the run hold when its text is the file's text, which is the case unless
    // it holds escapes or entities; then the whole run is pointed at.
    let exact = text.len() == range.len();
    figure_refs(&text)
        .into_iter()
        .map(|(r, name)| {
            let at = if exact { range.start + r.start..range.start + r.end } else { range.clone() };
            (name.to_string(), at)
        })
        .collect()
}

/// A footnote's label, and where it is cited.
type Citation = (String, Range<usize>);

/// The footnote citations of a document: from the text, and from inside each note.
#[derive(Default)]
struct Notes {
    /// The note whose definition is being read.
    open: Option<String>,
    from_text: Vec<Citation>,
    from_notes: std::collections::HashMap<String, Vec<Citation>>,
}

impl Notes {
    fn define(&mut self, label: &str) {
        self.from_notes.entry(label.to_string()).or_default();
        self.open = Some(label.to_string());
    }

    fn cite(&mut self, label: &str, at: Range<usize>) {
        match &self.open {
            Some(note) => self.from_notes.entry(note.clone()).or_default().push((label.to_string(), at)),
            None => self.from_text.push((label.to_string(), at)),
        }
    }

    /// The first citation a PDF would print as a bare marker because it sits in a chain of
    /// notes deeper than [`MAX_NOTE_DEPTH`]. Walks the notes as the PDF writer does: each note
    /// is written out where it is first cited, depth first, without recursion.
    fn too_deep(&self) -> Option<Citation> {
        let mut written = std::collections::HashSet::new();
        // (citations still to visit at this depth, in reverse order; the note they are in)
        let mut stack: Vec<(Vec<&Citation>, Option<&str>)> = vec![(self.from_text.iter().rev().collect(), None)];
        while let Some((pending, _)) = stack.last_mut() {
            let Some((label, at)) = pending.pop() else {
                stack.pop();
                continue;
            };
            let inside = stack.iter().filter_map(|(_, note)| *note).any(|n| n == label);
            if inside || written.contains(label.as_str()) || !self.from_notes.contains_key(label) {
                continue;
            }
            // Depth so far: the notes being written out around this citation.
            if stack.len() > MAX_NOTE_DEPTH {
                return Some((label.clone(), at.clone()));
            }
            written.insert(label.as_str());
            let inner = self.from_notes.get(label).map_or_else(Vec::new, |refs| refs.iter().rev().collect());
            stack.push((inner, Some(label.as_str())));
        }
        None
    }
}

/// A link found in a body: where it points as written, and where the link sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub range: Range<usize>,
    /// An image (`![…](…)`) rather than a link.
    pub image: bool,
}

impl LinkRef {
    /// The link or image to `dest` that pulldown-cmark found at `range` of `text`, a body
    /// starting at `offset` of its file.
    fn new(text: &str, offset: usize, dest: &str, range: Range<usize>, image: bool) -> LinkRef {
        // Narrow the range to the destination as written, where the author would edit.
        let start = text[range.clone()].rfind(dest).map_or(range.start, |i| range.start + i);
        let end = if start == range.start { range.end } else { start + dest.len() };
        LinkRef { dest: dest.to_string(), range: offset + start..offset + end, image }
    }
}

/// A generated block found in a document: its kind, where its options are, and where the
/// whole fenced block is (byte offsets into the file). Which fences are generated blocks, and
/// of which kind `K`, is for the caller of [`scan`] to say (oversight-model's `BlockKind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRef<K> {
    pub kind: K,
    pub options: Range<usize>,
    /// Inside `options`, what belongs to the block quotes or list items around the block
    /// (`> `, indentation), not to the options.
    pub gaps: Vec<Range<usize>>,
    pub block: Range<usize>,
}

impl<K> BlockRef<K> {
    /// The block a fenced code block with this info string opens at `range`, if `kind_of` its
    /// language names a kind of generated block.
    fn open(info: &str, range: Range<usize>, kind_of: &impl Fn(&str) -> Option<K>) -> Option<BlockRef<K>> {
        let language = info.split_whitespace().next().unwrap_or_default();
        // Until its text is seen: empty options just inside the block.
        kind_of(language).map(|kind| BlockRef {
            kind,
            options: range.start..range.start,
            gaps: Vec::new(),
            block: range,
        })
    }

    /// Takes in a piece of the block's text: the options run from the first to the last, and
    /// what lies between two pieces is a gap.
    fn extend(&mut self, range: Range<usize>) {
        if self.options.is_empty() {
            self.options = range;
        } else {
            if range.start > self.options.end {
                self.gaps.push(self.options.end..range.start);
            }
            self.options.end = range.end;
        }
    }

    /// The options as YAML: the file's text, with what the enclosing block quotes or list
    /// items put before each line (the gaps, and the first line's prefix) blanked out, and the
    /// range of the options in it. Offsets stay those of the file, so a diagnostic points at
    /// the author's text; a block inside `> ` or a list item is then uniformly indented YAML.
    pub fn options_source<'t>(&self, file_text: &'t str) -> (std::borrow::Cow<'t, str>, Range<usize>) {
        if self.gaps.is_empty() {
            return (file_text.into(), self.options.clone());
        }
        let start = file_text[..self.options.start].rfind('\n').map_or(0, |i| i + 1);
        let mut text = file_text[..self.options.end.min(file_text.len())].to_string();
        for gap in std::iter::once(start..self.options.start).chain(self.gaps.iter().cloned()) {
            let blank: String = text[gap.clone()]
                .chars()
                .map(|c| if c == '\n' { "\n".to_string() } else { " ".repeat(c.len_utf8()) })
                .collect();
            text.replace_range(gap, &blank);
        }
        (text.into(), start..self.options.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`super::scan`], with `stats` the only kind of block.
    fn scan(text: &str, offset: usize) -> Scan<()> {
        super::scan(text, offset, |language| (language == "stats").then_some(()))
    }

    /// The texts [`coalesce`] gives for `source`, with whether each is `source`'s own bytes.
    fn joined_texts(source: &str) -> Vec<(String, bool)> {
        coalesce(source, Parser::new_ext(source, options()).into_offset_iter())
            .into_iter()
            .filter_map(|(event, range)| match event {
                Event::Text(t) => Some((t.to_string(), matches!(t, CowStr::Borrowed(_)) && source[range] == *t)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn coalesce_joins_each_run_of_text_in_place_when_it_can() {
        // Cut at `_` and `{`: joined as the slice of the source, with nothing copied.
        assert_eq!(
            joined_texts("There are {{ rsp_count }} in_rsp today."),
            [("There are {{ rsp_count }} in_rsp today.".to_string(), true)]
        );
        // An escape and an entity are not the source's bytes: the run is copied, whole.
        assert_eq!(joined_texts("a \\*b\\* &amp; {{ c }}"), [("a *b* & {{ c }}".to_string(), false)]);
        // Runs apart stay apart.
        assert_eq!(
            joined_texts("one *two* three"),
            [("one ".to_string(), true), ("two".to_string(), true), (" three".to_string(), true)]
        );
    }

    #[test]
    fn a_block_in_a_quote_or_list_item_has_its_options_without_the_markers() {
        for text in [
            "> ```stats\n> as_of: 2024-01-01\n> since: 2023-01-01\n> ```\n",
            "- x\n\n  ```stats\n  as_of: 2024-01-01\n  since: 2023-01-01\n  ```\n",
        ] {
            let block = &scan(text, 0).blocks[0];
            let (source, range) = block.options_source(text);
            let options = &source[range];
            assert!(!options.contains('>') && options.contains("  as_of: 2024-01-01\n  since"), "{options:?}");
        }
        let plain = "```stats\nas_of: 2024-01-01\n```\n";
        assert!(scan(plain, 0).blocks[0].gaps.is_empty());
    }

    #[test]
    fn images_without_a_description_are_found() {
        let found =
            scan("![](a.png) ![ ](b.png) ![A chart of entries](c.png) ![`code`](d.png)\n", 5).undescribed_images;
        assert_eq!(found, [5..15, 16..27]);
        let text = "## \n\n## Text\n\n#\n";
        let empty: Vec<&str> = scan(text, 0).empty_headings.into_iter().map(|r| text[r].trim_end()).collect();
        assert_eq!(empty, ["##", "#"]);
    }

    #[test]
    fn text_a_pdf_cannot_hold_in_one_string_is_found() {
        let long = "é".repeat(MAX_PDF_TEXT + 1);
        let fits = "é".repeat(MAX_PDF_TEXT);
        let text = format!(
            "## {long}\n\n## {fits}\n\n![{long}](a.png) ![{fits}](b.png)\n\n[x](https://e.org/{long}) [y](https://e.org/{})\n\n![z](/{long}.png)\n",
            &fits[..fits.len() - 30]
        );
        let found: Vec<String> = scan(&text, 0)
            .too_long
            .into_iter()
            .map(|(what, r)| format!("{what}: {}", text[r].chars().take(4).collect::<String>()))
            .collect();
        assert_eq!(found, ["heading: ## é", "image description: ![éé", "link address: [x](", "image address: ![z]"]);
    }

    #[test]
    fn tables_whose_header_row_has_no_text_are_found() {
        let text = "| | |\n|---|---|\n| a | b |\n\n| Trust | `x` |\n|---|---|\n| a | b |\n\n|  | Segment |\n|--|--|\n| a | 1 |\n";
        let found: Vec<&str> = scan(text, 0).headless_tables.into_iter().map(|r| text[r].trim_end()).collect();
        assert_eq!(found, ["| | |"], "a header with any text names its table");
    }

    #[test]
    fn figures_written_with_entities_are_found() {
        let names: Vec<String> =
            scan("&#123;&#123; in_programme.icbs }}", 0).figures.into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["in_programme.icbs"]);
    }

    #[test]
    fn figures_are_found_in_text_but_not_in_code() {
        let text = "There are {{ in_programme.providers }} providers and {{exited}} exits.\n\n`{{ code }}`\n\n```\n{{ block }}\n```\n\n{{ not a name }} {{ in_programme }}\n";
        let found: Vec<(String, &str)> = scan(text, 0).figures.into_iter().map(|(name, r)| (name, &text[r])).collect();
        assert_eq!(
            found,
            [
                ("in_programme.providers".to_string(), "{{ in_programme.providers }}"),
                ("exited".to_string(), "{{exited}}"),
                ("in_programme".to_string(), "{{ in_programme }}"),
            ]
        );
        let value = |name: &str| (name == "exited").then(|| "7".to_string());
        assert_eq!(with_figures("{{ exited }} and {{ nope }}", &value), "7 and {{ nope }}");
    }

    #[test]
    fn a_brace_pair_is_found_where_a_substring_search_finds_it() {
        // Every string of up to six characters from braces, a letter and a two-byte character.
        let alphabet = ['{', '}', 'a', 'é'];
        let (mut texts, mut longest) = (vec![String::new()], vec![String::new()]);
        for _ in 0..6 {
            longest = longest.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            texts.extend(longest.iter().cloned());
        }
        assert_eq!(texts.len(), 5461);
        for text in &texts {
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for (c, pair) in [('{', "{{"), ('}', "}}")] {
                    assert_eq!(
                        find_pair(text, from, c),
                        text[from..].find(pair).map(|i| from + i),
                        "{text:?} from {from}"
                    );
                }
            }
        }
        let found: Vec<&str> = figure_refs("{{{a}}} {{ b }}} {{c} }} {d}}").into_iter().map(|(_, name)| name).collect();
        assert_eq!(found, ["b"]);
    }

    #[test]
    fn nesting_past_the_limit_is_found_where_it_starts() {
        let ok = ">".repeat(MAX_NESTING) + " x\n";
        assert_eq!(scan(&ok, 0).too_deep, None);
        let deep = ">".repeat(MAX_NESTING + 5) + " x\n";
        assert_eq!(scan(&deep, 10).too_deep.map(|r| r.start), Some(10 + MAX_NESTING));
        let lists: String = (0..MAX_NESTING + 1).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert!(scan(&lists, 0).too_deep.is_some());
    }

    #[test]
    fn a_chain_of_notes_deeper_than_the_pdf_shows_is_found() {
        let chain = |n: usize| {
            let mut text = String::from("Text[^n0].\n\n");
            for i in 0..n {
                text.push_str(&format!("[^n{i}]: Note [^n{}]\n\n", i + 1));
            }
            text.push_str(&format!("[^n{n}]: Last.\n"));
            text
        };
        // n0 … n3 are printed, each inside the one before: four deep.
        assert_eq!(scan(&chain(MAX_NOTE_DEPTH - 1), 0).note_too_deep, None);
        let text = chain(MAX_NOTE_DEPTH);
        let (label, at) = scan(&text, 0).note_too_deep.unwrap();
        assert_eq!(label, format!("n{MAX_NOTE_DEPTH}"));
        assert_eq!(&text[at], format!("[^n{MAX_NOTE_DEPTH}]"));
        // Cited first from the text, the same note is printed there, and is not too deep.
        let early = format!("First[^n{MAX_NOTE_DEPTH}].\n\n{text}");
        assert_eq!(scan(&early, 0).note_too_deep, None);
        // A note citing itself is a loop the PDF shows as a marker, not a chain.
        assert_eq!(scan("A[^a]\n\n[^a]: see [^a]\n", 0).note_too_deep, None);
        // 3,000 notes in a chain: no recursion.
        assert!(scan(&chain(3000), 0).note_too_deep.is_some());
    }
}
