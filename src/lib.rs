//! The `oversight` application: the command line ([`cli`], one module per command in
//! [`commands`]), the preview server ([`serve`]), and writing output atomically ([`output`]).
//! The pipeline itself is the crates under `crates/`, one step each:
//! `oversight-syntax` → `oversight-model` → `oversight-rules` → `oversight-analysis` →
//! `oversight-site` and `oversight-papers` (docs/architecture.md).

pub mod cli;
pub mod commands;
pub mod generate;
pub mod output;
pub mod serve;
pub mod ui;
