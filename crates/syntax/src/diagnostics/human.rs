//! Human output: a compiler-style code frame per diagnostic, via `codespan-reporting`.
//!
//! What reaches the terminal is made safe to show first: control characters in a file or a
//! message (an escape sequence in a Markdown file would otherwise drive the terminal) are
//! printed as their Unicode control pictures (`␛`), and a very long line is shown as a window
//! around the mistake rather than in full.

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as Frame, Label as FrameLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};

use super::{Diagnostic, Label, Level, Summary, control_picture, visible};
use crate::source::{FileId, SourceFile, Sources, Span};

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

/// Lines longer than this (in bytes) are shown as a window around what the diagnostic marks.
const MAX_LINE: usize = 240;
/// How much of a long line is kept on each side of the marked text.
const CONTEXT: usize = 80;

/// The files as the terminal is shown them: the run's own, named under the site folder, except
/// those rewritten to be safe to print.
struct Shown<'a> {
    sources: &'a Sources,
    /// Files are named under it: the site folder, relative to the working directory.
    root: &'a Path,
    rewritten: HashMap<FileId, Rewritten>,
}

/// A file rewritten to be safe to print, with maps between its offsets and the original's.
struct Rewritten {
    file: SourceFile,
    /// Original offset → shown offset, for every byte offset of the original and its end.
    forward: Vec<usize>,
    /// Shown offset → original offset, likewise.
    back: Vec<usize>,
}

impl<'a> Shown<'a> {
    fn new(sources: &'a Sources, root: &'a Path, diagnostics: &[Diagnostic]) -> Shown<'a> {
        let mut marked: HashMap<FileId, Vec<usize>> = HashMap::new();
        for d in diagnostics {
            for span in std::iter::once(&d.span).chain(d.labels.iter().map(|l| &l.span)) {
                marked.entry(span.file).or_default().extend([span.start, span.end]);
            }
        }
        let rewritten = marked
            .into_iter()
            .filter_map(|(file, marks)| {
                let original = sources.get(file);
                let (text, forward, back) = printable(original.text(), &marks)?;
                Some((file, Rewritten { file: SourceFile::new(original.path.clone(), text), forward, back }))
            })
            .collect();
        Shown { sources, root, rewritten }
    }

    fn file(&self, id: FileId) -> &SourceFile {
        self.rewritten.get(&id).map_or_else(|| self.sources.get(id), |r| &r.file)
    }

    /// Where an original offset is in the shown text.
    fn offset(&self, id: FileId, offset: usize) -> usize {
        match self.rewritten.get(&id) {
            Some(r) => r.forward.get(offset).or(r.forward.last()).copied().unwrap_or(0),
            None => offset,
        }
    }
}

impl<'a> Files<'a> for Shown<'_> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        Ok(visible(&self.root.join(self.sources.path(id)).display().to_string()))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.file(id).text())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.file(id).line_col(byte_index).0 - 1)
    }

    /// Line and column as in the original file, so the location names the author's column.
    fn location(&'a self, id: FileId, byte_index: usize) -> Result<codespan_reporting::files::Location, FilesError> {
        let original = match self.rewritten.get(&id) {
            Some(r) => r.back.get(byte_index).or(r.back.last()).copied().unwrap_or(0),
            None => byte_index,
        };
        let (line_number, column_number) = self.sources.get(id).line_col(original);
        Ok(codespan_reporting::files::Location { line_number, column_number })
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.file(id);
        let range = file.line_range(line_index + 1);
        // codespan wants the range to include the line break.
        let text = file.text();
        let end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i + 1);
        Ok(range.start..end)
    }
}

/// `text` made safe to print, with the maps from offsets in `text` to offsets in the result and
/// back; `None` if it is safe as it is. Control characters other than tab and
/// line breaks become control pictures; a line longer than [`MAX_LINE`] keeps only the part
/// around the offsets in `marks`, with `…` for what is left out.
fn printable(text: &str, marks: &[usize]) -> Option<(String, Vec<usize>, Vec<usize>)> {
    let unsafe_char = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    let long_line = text.split('\n').any(|line| line.len() > MAX_LINE);
    if !long_line && !text.chars().any(unsafe_char) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = vec![0; text.len() + 1];
    let mut back = Vec::with_capacity(text.len() + 1);
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        // The kept window of this line, in original offsets.
        let (keep_from, keep_to) = if line.len() > MAX_LINE {
            let here: Vec<usize> = marks.iter().copied().filter(|m| (line_start..=line_end).contains(m)).collect();
            let first = here.iter().min().copied().unwrap_or(line_start);
            let last = here.iter().max().copied().unwrap_or(first).min(first + MAX_LINE);
            (first.saturating_sub(CONTEXT).max(line_start), (last + CONTEXT).min(line_end))
        } else {
            (line_start, line_end)
        };
        let mut elided = false;
        for (i, c) in line.char_indices() {
            let at = line_start + i;
            let kept = (keep_from..keep_to).contains(&at) || c == '\n';
            if !kept {
                if !elided {
                    out.push('…');
                    back.resize(out.len(), at);
                    elided = true;
                }
                map[at..at + c.len_utf8()].fill(out.len());
                continue;
            }
            elided = false;
            map[at..at + c.len_utf8()].fill(out.len());
            out.push(if unsafe_char(c) { control_picture(c) } else { c });
            back.resize(out.len(), at);
        }
        line_start = line_end;
    }
    map[text.len()] = out.len();
    back.push(text.len());
    Some((out, map, back))
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
    let mut buffer = match colour {
        Colour::Always => termcolor::Buffer::ansi(),
        Colour::Never => termcolor::Buffer::no_color(),
    };
    let config = term::Config::default();
    let shown = Shown::new(sources, root, diagnostics);
    for diagnostic in diagnostics {
        let d = Diagnostic {
            span: shown_span(&shown, &diagnostic.span),
            labels: diagnostic
                .labels
                .iter()
                .map(|l| Label { span: shown_span(&shown, &l.span), ..l.clone() })
                .collect(),
            ..diagnostic.clone()
        };
        term::emit_to_write_style(&mut buffer, &config, &shown, &frame(&d)).map_err(io::Error::other)?;
    }
    out.write_all(buffer.as_slice())?;
    writeln!(out, "{}", Summary::of(diagnostics))
}

fn shown_span(shown: &Shown, span: &Span) -> Span {
    Span::new(span.file, shown.offset(span.file, span.start), shown.offset(span.file, span.end))
}

fn frame(d: &Diagnostic) -> Frame<FileId> {
    let severity = match d.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Note,
    };
    let mut labels = vec![FrameLabel::primary(d.span.file, d.span.start..d.span.end)];
    labels.extend(
        d.labels
            .iter()
            .map(|l| FrameLabel::secondary(l.span.file, l.span.start..l.span.end).with_message(visible(&l.message))),
    );
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {}", visible(help)));
    }
    notes.push(format!("rule: {} ({}); `oversight explain {}` says more", d.code, d.name, d.code));
    Frame::new(severity).with_code(d.code).with_message(visible(&d.message)).with_labels(labels).with_notes(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    const CODE: Code = Code {
        code: "OVS999",
        name: "test",
        level: Level::Error,
        summary: "",
        explanation: "",
        source: "",
        configurable: false,
    };

    fn rendered(text: &str, start: usize, end: usize, message: &str) -> String {
        let mut sources = Sources::default();
        let file = sources.add("content/pages/x.md".into(), text.to_string());
        let d = CODE.at(Span::new(file, start, end), message.to_string());
        let mut out = Vec::new();
        render(&[d], &sources, Path::new(""), Colour::Never, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        let text = "title: x\nbody \u{1b}[2J\u{1b}]0;pwned\u{7}here\n";
        let at = text.find("here").unwrap();
        let out = rendered(text, at, at + 4, "found \u{1b}[31m");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("body ␛[2J␛]0;pwned␇here"), "{out}");
        assert!(out.contains("found ␛[31m"), "{out}");
        // The caret still sits under `here`: the pictures are one column each.
        let line = out.lines().find(|l| l.contains("pwned")).unwrap();
        let caret = out.lines().find(|l| l.contains("^^^^")).unwrap();
        assert_eq!(line.chars().position(|c| c == 'h').unwrap(), caret.chars().position(|c| c == '^').unwrap());
    }

    #[test]
    fn a_long_line_is_shown_around_the_mistake() {
        let text = format!("{}MISTAKE{}\n", "a".repeat(100_000), "b".repeat(100_000));
        let at = text.find("MISTAKE").unwrap();
        let out = rendered(&text, at, at + 7, "here");
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains("…aaaa") && out.contains("MISTAKEbbbb") && out.contains("bbbb…"), "{out}");
        assert!(out.contains(":1:100001"), "the location is still the original column: {out}");
    }
}
