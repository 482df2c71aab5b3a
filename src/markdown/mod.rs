//! The Markdown pipeline shared by the website and the papers: one pulldown-cmark event
//! stream, with generated blocks ([`blocks`]) expanded into an intermediate form that each
//! back end renders in its own way.

pub mod blocks;
pub mod html;
pub mod links;

use pulldown_cmark::Options;

/// The CommonMark extensions every document is read with: tables, footnotes, strikethrough,
/// task lists and `{#id}` heading attributes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}
