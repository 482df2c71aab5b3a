//! `oversight` compiles a register of NHS organisations under the NHS oversight framework,
//! kept as YAML and Markdown in git, into validated output.
//!
//! The stages, each a module with one job (see `docs/` and the README):
//! [`source`] reads files with positions → [`model`] types the records into a [`model::Register`]
//! → [`framework`] checks them against the oversight framework's rules → [`diagnostics`] reports.

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod escape;
pub mod framework;
pub mod generate;
pub mod hash;
pub mod markdown;
pub mod model;
pub mod output;
pub mod papers;
pub mod serve;
pub mod site;
pub mod source;
pub mod timeline;
