//! Human output: a compiler-style code frame per diagnostic, via `codespan-reporting`.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Frame, Label as FrameLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

use super::{Diagnostic, Level, Summary};
use crate::source::{FileId, Sources};

/// Whether to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Always,
    Never,
}

impl Colour {
    /// Colour only for a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    pub fn detect(stream_is_terminal: bool) -> Colour {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if stream_is_terminal && !no_color { Colour::Always } else { Colour::Never }
    }
}

/// The files as code frames name them: under `root`, relative to the working directory.
struct Located<'s> {
    sources: &'s Sources,
    root: &'s Path,
}

impl<'a> Files<'a> for Located<'_> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(self.root.join(self.sources.path(id)).display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.sources.text(id))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.sources.get(id).line_col(byte_index).0 - 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let range = self.sources.get(id).line_range(line_index + 1);
        // codespan wants the range to include the line break.
        let text = self.sources.text(id);
        let end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i + 1);
        Ok(range.start..end)
    }
}

/// Writes every diagnostic with its code frame, then the summary line. Files are named under
/// `root` (see [`super::file_name`]).
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &Path,
    colour: Colour,
    out: &mut dyn Write,
) -> io::Result<()> {
    let files = Located { sources, root };
    let mut buffer = match colour {
        Colour::Always => termcolor::Buffer::ansi(),
        Colour::Never => termcolor::Buffer::no_color(),
    };
    let config = term::Config::default();
    for diagnostic in diagnostics {
        term::emit_to_write_style(&mut buffer, &config, &files, &frame(diagnostic)).map_err(io::Error::other)?;
    }
    out.write_all(buffer.as_slice())?;
    writeln!(out, "{}", Summary::of(diagnostics))
}

fn frame(d: &Diagnostic) -> Frame<FileId> {
    let severity = match d.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Note,
    };
    let mut labels = vec![FrameLabel::primary(d.span.file, d.span.start..d.span.end)];
    labels.extend(
        d.labels.iter().map(|l| FrameLabel::secondary(l.span.file, l.span.start..l.span.end).with_message(&l.message)),
    );
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    notes.push(format!("rule: {} ({}); `oversight explain {}` says more", d.code, d.name, d.code));
    Frame::new(severity).with_code(d.code).with_message(&d.message).with_labels(labels).with_notes(notes)
}
