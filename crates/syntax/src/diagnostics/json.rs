//! JSON output for scripts. The shape is stable and documented in `docs/diagnostics.md`:
//! `{"version": 1, "diagnostics": [...], "summary": {...}}`.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{Diagnostic, Level, Position, Summary, file_name};
use crate::source::Sources;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: Vec<Item<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Item<'a> {
    code: &'a str,
    name: &'a str,
    level: Level,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
}

pub fn render(diagnostics: &[Diagnostic], sources: &Sources, root: &Path, out: &mut dyn Write) -> io::Result<()> {
    let items = diagnostics
        .iter()
        .map(|d| {
            let p = Position::of(d.span, sources);
            Item {
                code: d.code,
                name: d.name,
                level: d.level,
                message: &d.message,
                file: file_name(sources, d.span.file, root),
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                help: d.help.as_deref(),
            }
        })
        .collect();
    let report = Report { version: 1, diagnostics: items, summary: Summary::of(diagnostics) };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
    writeln!(out)
}
