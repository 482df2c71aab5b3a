//! The Markdown pipeline shared by the website and the papers: one pulldown-cmark event
//! stream, with generated blocks ([`blocks`]) expanded into an intermediate form that each
//! back end renders in its own way.

pub mod blocks;
pub mod html;
pub mod links;

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
    pub links: Vec<links::Found>,
    /// Every generated block, in document order.
    pub blocks: Vec<blocks::Found>,
}

/// Scans `text`, a body starting at byte `offset` of its file; ranges are file offsets.
pub fn scan(text: &str, offset: usize) -> Scan {
    let mut scan = Scan::default();
    let mut block: Option<blocks::Found> = None;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let at = offset + range.start..offset + range.end;
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                scan.links.push(links::Found::new(text, offset, &dest_url, range));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => block = blocks::Found::open(&info, at),
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
