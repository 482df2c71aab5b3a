//! The `oversight` application: the command line ([`cli`], one module per command in
//! [`commands`]), what a build makes ([`outputs`], the one list `build` and `serve` both
//! make), the preview server ([`serve`]), the language server for editors ([`lsp`]), and
//! writing output atomically ([`output`]).
//! The pipeline itself is the crates under `crates/`, one step each:
//! `oversight-syntax` → `oversight-model` → `oversight-rules` → `oversight-analysis` →
//! `oversight-exchange` → `oversight-site` and `oversight-papers` (docs/architecture.md).

pub mod cli;
pub mod commands;
pub mod generate;
mod output;
mod outputs;
mod published;
pub mod serve;
pub mod ui;

pub use output::{detach_removals, remove_replaced};
