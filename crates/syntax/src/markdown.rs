//! The lexical Markdown scan: the CommonMark options every document is read with, and where a
//! body's links and generated blocks are. What they mean (which record a link names, what a
//! block's options say) is for the crates above.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The CommonMark extensions every document is read with: tables, footnotes, strikethrough,
/// task lists and `{#id}` heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What checking and rendering need to know of a body before rendering it: its links and its
/// generated blocks. Found in one pass when the file is loaded, so checking a large site does
/// not parse every document again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every link and image, in document order.
    pub links: Vec<LinkRef>,
    /// Every generated block, in document order.
    pub blocks: Vec<BlockRef>,
}

/// Scans `text`, a body starting at byte `offset` of its file; ranges are file offsets.
pub fn scan(text: &str, offset: usize) -> Scan {
    let mut scan = Scan::default();
    let mut block: Option<BlockRef> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let at = offset + range.start..offset + range.end;
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                scan.links.push(LinkRef::new(text, offset, &dest_url, range));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => block = BlockRef::open(&info, at),
            Event::Text(_) => {
                if let Some(b) = block.as_mut() {
                    b.extend(at);
                }
            }
            Event::End(TagEnd::CodeBlock) => scan.blocks.extend(block.take()),
            _ => {}
        }
    }
    scan
}

/// A link found in a body: where it points as written, and where the link sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub range: Range<usize>,
}

impl LinkRef {
    /// The link or image to `dest` that pulldown-cmark found at `range` of `text`, a body
    /// starting at `offset` of its file.
    fn new(text: &str, offset: usize, dest: &str, range: Range<usize>) -> LinkRef {
        // Narrow the range to the destination as written, where the author would edit.
        let start = text[range.clone()].rfind(dest).map_or(range.start, |i| range.start + i);
        let end = if start == range.start { range.end } else { start + dest.len() };
        LinkRef { dest: dest.to_string(), range: offset + start..offset + end }
    }
}

/// The kinds of generated block, by the fence's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Timeline,
    Register,
    ChangesSince,
    ExitCriteria,
    Undertakings,
    Stats,
}

impl BlockKind {
    pub fn from_language(language: &str) -> Option<BlockKind> {
        Some(match language {
            "timeline" => BlockKind::Timeline,
            "register" => BlockKind::Register,
            "changes-since" => BlockKind::ChangesSince,
            "exit-criteria" => BlockKind::ExitCriteria,
            "undertakings" => BlockKind::Undertakings,
            "stats" => BlockKind::Stats,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Timeline => "timeline",
            BlockKind::Register => "register",
            BlockKind::ChangesSince => "changes-since",
            BlockKind::ExitCriteria => "exit-criteria",
            BlockKind::Undertakings => "undertakings",
            BlockKind::Stats => "stats",
        }
    }
}

/// A generated block found in a document: its kind, where its options are, and where the
/// whole fenced block is (byte offsets into the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRef {
    pub kind: BlockKind,
    pub options: Range<usize>,
    pub block: Range<usize>,
}

impl BlockRef {
    /// The block a fenced code block with this info string opens at `range`, if its language
    /// names a kind of generated block.
    fn open(info: &str, range: Range<usize>) -> Option<BlockRef> {
        let language = info.split_whitespace().next().unwrap_or_default();
        // Until its text is seen: empty options just inside the block.
        BlockKind::from_language(language).map(|kind| BlockRef {
            kind,
            options: range.start..range.start,
            block: range,
        })
    }

    /// Takes in a piece of the block's text: the options run from the first to the last.
    fn extend(&mut self, range: Range<usize>) {
        if self.options.is_empty() {
            self.options = range;
        } else {
            self.options.end = range.end;
        }
    }
}
