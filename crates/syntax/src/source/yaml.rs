//! The YAML source map: for every value in a YAML document, where its key and value sit in the
//! file, addressed by the same path strings `serde_path_to_error` prints (`rsp[0].exited`).
//!
//! `yaml_serde` gives typed records but no positions past a syntax error, so the loader scans
//! each document once more with `yaml-rust2`'s event parser, which reports a mark for every
//! event. The scan is iterative and linear in the document's length, never expands aliases,
//! and enforces the limits that keep `yaml_serde` cheap afterwards: nesting depth, and the
//! number of values and the bytes of text once aliases are expanded (an alias bomb is refused
//! here, before `yaml_serde` would build it). Every YAML document the tool reads (site.yaml,
//! records, paper details, front matter, block options) is scanned here first.

use yaml_rust2::parser::{Event, Parser};

use super::{FileId, Span};

/// Collections nest at most this deep. Records need four levels; `yaml_serde` itself gives up
/// at 128, without a position.
pub const MAX_DEPTH: usize = 64;

/// A document holds at most this many values (scalars and collections), counting every alias
/// as a copy of what it names. The largest record in a long-running register holds a few
/// thousand.
pub const MAX_VALUES: usize = 100_000;

/// A document holds at most this many bytes of scalar text, counting every alias as a copy of
/// what it names: twice the largest record file read (16 MiB), so that no file without
/// aliases can reach it, while one anchored value repeated thousands of times (which
/// `yaml_serde` would copy out in full) is refused before it is built. The value count alone
/// does not catch that: a long scalar is one value.
pub const MAX_EXPANDED_BYTES: usize = 32 * 1024 * 1024;

/// Byte offsets (into the whole file) of one value and of its key, if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: Option<(usize, usize)>,
    pub value: (usize, usize),
}

impl Entry {
    /// Where the value is, in `file`.
    pub fn value_span(&self, file: FileId) -> Span {
        Span::new(file, self.value.0, self.value.1)
    }

    /// Where the key is, in `file` (the value, for a list element, which has no key).
    pub fn key_span(&self, file: FileId) -> Span {
        let (start, end) = self.key.unwrap_or(self.value);
        Span::new(file, start, end)
    }
}

/// Path → location, for one YAML document.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    entries: crate::hash::Map<String, Entry>,
}

impl SourceMap {
    /// The entry at `path` (`.` is the document root).
    pub fn get(&self, path: &str) -> Option<Entry> {
        self.entries.get(path).copied()
    }

    /// The entry at `path`, or at its nearest recorded ancestor (for a missing field, the
    /// mapping that should have held it).
    pub fn nearest(&self, path: &str) -> Option<Entry> {
        let mut path = path;
        loop {
            if let Some(entry) = self.get(path) {
                return Some(entry);
            }
            path = parent(path)?;
        }
    }

    /// Keys present in the mapping at `path`, in no particular order.
    pub fn keys_of<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries.keys().filter_map(move |k| child_name(path, k)).filter(|name| !name.starts_with('['))
    }

    /// True if the document has no content (an empty file, or only comments).
    pub fn is_empty(&self) -> bool {
        self.entries.get(".").is_none_or(|root| root.value.0 == root.value.1)
    }
}

/// The parent of a path: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → `.`, `.` → none.
pub fn parent(path: &str) -> Option<&str> {
    if path == "." {
        return None;
    }
    match path.rfind(['.', '[']) {
        Some(0) | None => Some("."),
        Some(i) => Some(&path[..i]),
    }
}

/// `name` if `path` is a direct child `parent.name` of `parent`.
fn child_name<'a>(parent: &str, path: &'a str) -> Option<&'a str> {
    let rest = if parent == "." { path } else { path.strip_prefix(parent)?.strip_prefix('.')? };
    (!rest.is_empty() && rest != "." && !rest.contains(['.', '['])).then_some(rest)
}

/// Path of a mapping value under `parent`.
pub fn key_path(parent: &str, key: &str) -> String {
    if parent == "." { key.to_string() } else { format!("{parent}.{key}") }
}

/// Path of a sequence element under `parent`.
pub fn index_path(parent: &str, index: usize) -> String {
    if parent == "." { format!("[{index}]") } else { format!("{parent}[{index}]") }
}

/// A YAML syntax error: where, and what the parser said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    /// A second place that explains the error (the first of two duplicate keys).
    pub related: Option<(usize, usize)>,
    /// The fix, when the scan knows it (a limit); otherwise it is worked out from the message.
    pub help: Option<String>,
}

impl SyntaxError {
    fn at(offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError { offset, message: message.into(), related: None, help: None }
    }
}

enum Frame {
    Map { path: String, start: usize, key: Option<(String, (usize, usize))>, recorded: bool, anchor: usize, size: Size },
    Seq { path: String, start: usize, index: usize, recorded: bool, anchor: usize, size: Size },
}

impl Frame {
    /// What this collection holds so far, aliases expanded.
    fn size(&mut self) -> &mut Size {
        match self {
            Frame::Map { size, .. } | Frame::Seq { size, .. } => size,
        }
    }
}

/// How much a node holds once its aliases are expanded: values (itself included) and bytes
/// of scalar text.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    values: usize,
    bytes: usize,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.values = self.values.saturating_add(other.values);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// Counts the values and bytes of a document, each alias as a copy of its anchor's value.
#[derive(Default)]
struct Budget {
    /// Anchor id → what its node holds.
    anchored: crate::hash::Map<usize, Size>,
    total: Size,
}

impl Budget {
    /// Adds a finished node of `size` (with `anchor`, if not 0) to its parent and the total;
    /// an error once the document holds more than [`MAX_VALUES`] or [`MAX_EXPANDED_BYTES`].
    fn add(&mut self, stack: &mut [Frame], anchor: usize, size: Size, at: usize) -> Result<(), SyntaxError> {
        if anchor != 0 {
            self.anchored.insert(anchor, size);
        }
        if let Some(parent) = stack.last_mut() {
            parent.size().add(size);
        }
        self.total.add(size);
        if self.total.values > MAX_VALUES {
            return Err(SyntaxError {
                help: Some(format!(
                    "a record holds at most {MAX_VALUES} values, each alias (`*name`) counted as a copy of what it names: split the file, or write the values out instead of repeating large anchors"
                )),
                ..SyntaxError::at(at, format!("the document holds more than {MAX_VALUES} values"))
            });
        }
        if self.total.bytes > MAX_EXPANDED_BYTES {
            let mib = MAX_EXPANDED_BYTES / (1024 * 1024);
            return Err(SyntaxError {
                help: Some(format!(
                    "a record holds at most {mib} MiB of text, each alias (`*name`) counted as a copy of what it names: write the value out once instead of repeating a large anchor"
                )),
                ..SyntaxError::at(
                    at,
                    format!("the document holds more than {mib} MiB of text once its aliases are expanded"),
                )
            });
        }
        Ok(())
    }
}

/// Scans the first YAML document of `yaml`, which starts at byte `base` of its file (front
/// matter starts after `---`), and records where every value is.
pub fn scan(yaml: &str, base: usize) -> Result<SourceMap, SyntaxError> {
    let mut map = SourceMap::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut budget = Budget::default();
    let mut parser = Parser::new_from_str(yaml);
    let offsets = ByteOffsets::new(yaml);
    loop {
        let (event, mark) =
            parser.next_token().map_err(|e| SyntaxError::at(base + offsets.of(e.marker().index()), e.info()))?;
        let at = offsets.of(mark.index());
        match event {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            Event::Scalar(value, _, anchor, _) => {
                let end = scalar_end(yaml, at, &value);
                budget.add(&mut stack, anchor, Size { values: 1, bytes: value.len() }, base + at)?;
                if let Some(Frame::Map { key: key @ None, start, .. }) = stack.last_mut() {
                    // A block mapping's start mark comes after its first key.
                    *start = (*start).min(base + at);
                    *key = Some((value, (base + at, base + end)));
                } else {
                    complete_value(&mut map, &mut stack, (base + at, base + end))?;
                }
            }
            Event::Alias(anchor) => {
                let end = token_end(yaml, at);
                let size = budget.anchored.get(&anchor).copied().unwrap_or(Size { values: 1, bytes: 0 });
                budget.add(&mut stack, 0, size, base + at)?;
                complete_value(&mut map, &mut stack, (base + at, base + end))?;
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        help: Some(format!(
                            "records nest lists and mappings at most {MAX_DEPTH} deep: check the indentation, or flatten the structure"
                        )),
                        ..SyntaxError::at(base + at, format!("lists and mappings nested more than {MAX_DEPTH} deep"))
                    });
                }
                let (path, recorded) = match stack.last() {
                    None => (".".to_string(), true),
                    Some(Frame::Map { path, key, recorded, .. }) => match key {
                        Some((k, _)) => (key_path(path, k), *recorded),
                        // A collection used as a mapping key: legal YAML, meaningless in records.
                        None => (String::new(), false),
                    },
                    Some(Frame::Seq { path, index, recorded, .. }) => (index_path(path, *index), *recorded),
                };
                // A block sequence's start mark may sit on the indentation before its `-`.
                let start = base + at + yaml[at..].len() - yaml[at..].trim_start_matches([' ', '\t']).len();
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map { path, start, key: None, recorded, anchor, size: Size { values: 1, bytes: 0 } }
                } else {
                    Frame::Seq { path, start, index: 0, recorded, anchor, size: Size { values: 1, bytes: 0 } }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (start, anchor, size) = match stack.pop() {
                    Some(Frame::Map { start, anchor, size, .. } | Frame::Seq { start, anchor, size, .. }) => {
                        (start, anchor, size)
                    }
                    None => (base + at, 0, Size { values: 1, bytes: 0 }),
                };
                // Its values were counted in the total as they came; only the anchor and the
                // parent learn the collection's size now.
                if anchor != 0 {
                    budget.anchored.insert(anchor, size);
                }
                if let Some(parent) = stack.last_mut() {
                    parent.size().add(size);
                }
                let end = collection_end(yaml, base, start, base + at);
                match stack.last() {
                    None => {
                        map.entries.insert(".".into(), Entry { key: None, value: (start, end) });
                    }
                    Some(_) => complete_value(&mut map, &mut stack, (start, end))?,
                }
            }
        }
    }
    if !map.entries.contains_key(".") {
        map.entries.insert(".".into(), Entry { key: None, value: (base, base) });
    }
    Ok(map)
}

/// Converts the parser's marks, which count characters, into byte offsets.
struct ByteOffsets {
    /// Byte offset of each character; empty when the text is ASCII and the two agree.
    table: Vec<usize>,
    len: usize,
}

impl ByteOffsets {
    fn new(text: &str) -> ByteOffsets {
        let table = if text.is_ascii() { Vec::new() } else { text.char_indices().map(|(i, _)| i).collect() };
        ByteOffsets { table, len: text.len() }
    }

    fn of(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// Records a finished value (scalar, alias or collection) under its parent frame. A key that
/// is already in its mapping is an error: YAML requires keys to be unique.
fn complete_value(map: &mut SourceMap, stack: &mut [Frame], value: (usize, usize)) -> Result<(), SyntaxError> {
    match stack.last_mut() {
        None => {
            map.entries.insert(".".into(), Entry { key: None, value });
        }
        Some(Frame::Map { path, key, recorded, .. }) => {
            if let Some((name, key_span)) = key.take()
                && *recorded
            {
                // An empty value (`name:`) sits where the next token starts, often on the next
                // line: report it at its key instead.
                let value = if value.0 == value.1 { key_span } else { value };
                let path = key_path(path, &name);
                if let Some(first) = map.entries.get(&path) {
                    return Err(SyntaxError {
                        offset: key_span.0,
                        message: format!("duplicate key `{name}`"),
                        related: first.key,
                        help: None,
                    });
                }
                map.entries.insert(path, Entry { key: Some(key_span), value });
            }
        }
        Some(Frame::Seq { path, index, recorded, .. }) => {
            if *recorded {
                map.entries.insert(index_path(path, *index), Entry { key: None, value });
            }
            *index += 1;
        }
    }
    Ok(())
}

/// End offset of the scalar starting at `at`: through the closing quote of a quoted scalar,
/// the indicator line of a block scalar, or the scalar's own text when plain.
fn scalar_end(yaml: &str, at: usize, value: &str) -> usize {
    let rest = &yaml[at.min(yaml.len())..];
    // An empty value (`name:`) has no text; the parser marks it at the next token.
    if value.is_empty() && !rest.starts_with(['"', '\'', '|', '>']) {
        return at;
    }
    let line_end = at + rest.find(['\n', '\r']).unwrap_or(rest.len());
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, quote @ ('"' | '\''))) => {
            let mut escaped = false;
            let mut chars = chars.peekable();
            while let Some((i, c)) = chars.next() {
                if quote == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == quote && !escaped {
                    if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                        continue;
                    }
                    return at + i + 1;
                }
                escaped = false;
            }
            line_end
        }
        Some((_, '|' | '>')) => line_end,
        _ if !value.is_empty() && rest.starts_with(value) => at + value.len(),
        _ => {
            // A plain scalar folded over lines: underline to the end of the first line, leaving
            // out a trailing comment.
            let line = &yaml[at.min(line_end)..line_end];
            let line = line.find(" #").map_or(line, |i| &line[..i]);
            at + line.trim_end().len()
        }
    }
}

/// End of an alias or similar token: up to white space, a comma or a closing bracket.
fn token_end(yaml: &str, at: usize) -> usize {
    let rest = &yaml[at.min(yaml.len())..];
    at + rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}')).unwrap_or(rest.len())
}

/// End of a collection that closed at `close`: just past a flow collection's bracket; for a
/// block collection (whose end event sits on the next token, often lines later), the end of
/// its last line that holds more than white space or a comment. The search runs backwards from
/// `close`, so it reads only the blank and comment lines between the two.
fn collection_end(yaml: &str, base: usize, start: usize, close: usize) -> usize {
    let (lo, hi) = (start - base, (close - base).min(yaml.len()));
    if yaml[hi..].starts_with([']', '}']) {
        return close + 1;
    }
    let mut end = hi;
    while end > lo {
        let line_start = yaml[lo..end].rfind('\n').map_or(lo, |i| lo + i + 1);
        let content = yaml[line_start..end].trim();
        if !content.is_empty() && !content.starts_with('#') {
            return base + line_start + yaml[line_start..end].trim_end().len();
        }
        end = line_start.saturating_sub(1).max(lo);
        if line_start == lo {
            break;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at(src: &str, span: (usize, usize)) -> &str {
        &src[span.0..span.1]
    }

    const DOC: &str = "\
name: Fenmouth — NHS Trust   # a comment
type: nhs-trust
segments:
  - segment: 3
    from: 2021-07-01
  - segment: 4
    from: \"2021-08-18\"
    note: 'it''s'
rsp: []
tags: [a, b]
empty:
";

    #[test]
    fn records_values_and_keys() {
        let map = scan(DOC, 0).unwrap();
        let name = map.get("name").unwrap();
        assert_eq!(text_at(DOC, name.value), "Fenmouth — NHS Trust");
        assert_eq!(text_at(DOC, name.key.unwrap()), "name");
        assert_eq!(text_at(DOC, map.get("segments[1].segment").unwrap().value), "4");
        assert_eq!(text_at(DOC, map.get("segments[1].from").unwrap().value), "\"2021-08-18\"");
        assert_eq!(text_at(DOC, map.get("segments[1].note").unwrap().value), "'it''s'");
        assert_eq!(text_at(DOC, map.get("tags[1]").unwrap().value), "b");
        assert_eq!(text_at(DOC, map.get("rsp").unwrap().value), "[]");
        let seg = map.get("segments[0]").unwrap();
        assert_eq!(text_at(DOC, seg.value), "segment: 3\n    from: 2021-07-01");
        // An empty value is reported at its key, not at the next line's token.
        assert_eq!(text_at(DOC, map.get("empty").unwrap().value), "empty");
        let mut keys: Vec<_> = map.keys_of(".").collect();
        keys.sort();
        assert_eq!(keys, ["empty", "name", "rsp", "segments", "tags", "type"]);
        assert!(!map.is_empty());
    }

    #[test]
    fn offsets_are_shifted_by_base() {
        let map = scan("a: 1\n", 10).unwrap();
        assert_eq!(map.get("a").unwrap().value, (13, 14));
    }

    #[test]
    fn nearest_walks_up() {
        let map = scan(DOC, 0).unwrap();
        assert_eq!(map.nearest("segments[1].missing"), map.get("segments[1]"));
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a"), Some("."));
        assert_eq!(parent("[0]"), Some("."));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = scan("a: 1\n b: [\n", 0).unwrap_err();
        assert!(err.offset > 0, "{err:?}");
        assert!(scan("", 0).unwrap().is_empty());
        assert!(scan("# only a comment\n", 0).unwrap().is_empty());
    }

    #[test]
    fn aliases_are_recorded_where_written() {
        let doc = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n";
        let map = scan(doc, 0).unwrap();
        assert_eq!(text_at(doc, map.get("d[1]").unwrap().value), "*c");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_where_it_starts() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(scan(&ok, 0).is_ok());
        let deep = "- ".repeat(100_000) + "x\n";
        let err = scan(&deep, 5).unwrap_err();
        assert_eq!(err.offset, 5 + 2 * MAX_DEPTH);
        assert!(err.message.contains("more than 64 deep"), "{err:?}");
        assert!(err.help.is_some());
        let block: String = (0..3000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert!(scan(&block, 0).unwrap_err().message.contains("nested"));
        // Flow brackets: the parser's own limit may come first; either way, an error.
        let flow = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(scan(&flow, 0).is_err());
    }

    #[test]
    fn aliases_count_as_copies_of_what_they_name() {
        // 10 anchors each doubling the last: 2^10 × 100 values once expanded.
        let mut doc = format!("a0: &a0 [{}]\n", vec!["x"; 100].join(", "));
        for i in 1..=10 {
            doc.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
        }
        let err = scan(&doc, 0).unwrap_err();
        assert!(err.message.contains("more than 100000 values"), "{err:?}");
        assert!(doc[err.offset..].starts_with('*'), "at the alias that crossed the limit");
        // Below the limit, the same shape is fine.
        let small: String = doc.lines().take(5).map(|l| format!("{l}\n")).collect();
        assert!(scan(&small, 0).is_ok());
    }

    #[test]
    fn aliases_count_their_bytes() {
        // One long scalar repeated: few values, but gigabytes once expanded.
        let long = "x".repeat(100_000);
        let mut doc = format!("a: &a {long}\nb: [");
        doc.push_str(&vec!["*a"; 1_000].join(", "));
        doc.push_str("]\n");
        let err = scan(&doc, 0).unwrap_err();
        assert!(err.message.contains("MiB of text"), "{err:?}");
        assert!(doc[err.offset..].starts_with("*a"), "at the alias that crossed the limit");
        // A long value without aliases is fine.
        assert!(scan(&format!("a: {}\n", "x".repeat(1_000_000)), 0).is_ok());
    }

    #[test]
    fn block_collection_ends_skip_trailing_comments() {
        let doc = "a:\n  - 1\n  - 2   \n  # trailing\n\nb: 3\n";
        let map = scan(doc, 0).unwrap();
        assert_eq!(text_at(doc, map.get("a").unwrap().value), "- 1\n  - 2");
    }
}
