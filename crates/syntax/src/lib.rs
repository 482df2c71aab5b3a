//! The first step of `oversight`: text and where it is. It owns reading files into
//! [`source::Sources`] with byte [`source::Span`]s, the YAML source map and front matter,
//! the lexical [`markdown`] scan (where a body's links and generated blocks are), calendar
//! [`date`]s, hashing, escaping, and [`diagnostics`]: what a problem is, its rule [`diagnostics::Code`],
//! the one "did you mean" ([`suggest`]), and the human, JSON and GitHub renderers.
//!
//! It knows nothing of records, rules or output: which fences are generated blocks and which
//! figures exist are oversight-model's vocabulary, passed in. Everything above (model → rules
//! → analysis → exchange → site and papers → the binary) builds on these types.

pub mod date;
pub mod diagnostics;
pub mod escape;
pub mod hash;
pub mod markdown;
pub mod source;
pub mod suggest;
