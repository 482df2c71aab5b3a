//! Diagnostics: what a run found wrong, where, and how to fix it; and the four ways of
//! printing them (human code frames, JSON for scripts, GitHub Actions annotations, SARIF for
//! code scanning).
//!
//! Every renderer names a file by [`file_name`]: its path under the site folder joined to the
//! site folder as the command was given it, so paths are relative to the working directory
//! (`register/content/x.yaml` for `--site register`), which is what GitHub matches
//! annotations against.

mod github;
mod human;
mod json;
mod sarif;

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::source::{FileId, Sources, Span};

pub use github::render as render_github;
pub use human::{Colour, render as render_human};
pub use json::render as render_json;
pub use sarif::{Tool, render as render_sarif};

/// How diagnostics are printed: every command's `--format` for them (a command that has no
/// such option prints [`Format::Human`]), and the one place that chooses the renderer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

impl Format {
    /// Every format: its name on the command line, and what it is for (`--help`).
    pub const ALL: [(Format, &'static str, &'static str); 4] = [
        (Format::Human, "human", "Code frames for people (colour on a terminal unless NO_COLOR is set)"),
        (Format::Json, "json", "One JSON document for scripts (see docs/diagnostics.md)"),
        (Format::Github, "github", "GitHub Actions workflow commands, shown as annotations"),
        (Format::Sarif, "sarif", "SARIF 2.1.0 for GitHub code scanning and other tools (see docs/diagnostics.md)"),
    ];

    /// Whether it is read by programs: printed to standard output, even with nothing to report
    /// (an empty list is an answer); code frames for people go to standard error.
    pub fn for_programs(self) -> bool {
        self != Format::Human
    }
}

/// Prints `diagnostics` in `format`: code frames (coloured as `colour` says) to `people`, the
/// formats for programs to `programs`. Files are named under `root` ([`file_name`]); `tool`
/// describes the rules for SARIF.
#[allow(clippy::too_many_arguments)]
pub fn render(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &Path,
    colour: Colour,
    tool: &Tool,
    people: &mut dyn std::io::Write,
    programs: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => render_human(diagnostics, sources, root, colour, people),
        Format::Json => render_json(diagnostics, sources, root, programs),
        Format::Github => render_github(diagnostics, sources, root, programs),
        Format::Sarif => render_sarif(diagnostics, sources, root, tool, programs),
    }
}

/// How serious a diagnostic is. `Error` fails a check; `Warning` fails it only under
/// `--deny warnings`; `Note` never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        })
    }
}

/// A rule's identity and texts: what every diagnostic of the rule carries, and what
/// `oversight rules` and `oversight explain` print. The checks themselves live above
/// (oversight-rules); the loader's record-format rules are codes too.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// Stable, `OVS` and three digits.
    pub code: &'static str,
    /// Kebab-case, stable.
    pub name: &'static str,
    /// The default level.
    pub level: Level,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// A paragraph: why, and what to do about it, citing its source.
    pub explanation: &'static str,
    /// Source keys (see docs/sources.md), or "data integrity", or the format reference.
    pub source: &'static str,
    /// Whether `rules:` in site.yaml may re-level it. Record-format rules may not: a record
    /// that cannot be read cannot be checked.
    pub configurable: bool,
}

impl Code {
    /// A diagnostic of this rule at its default level.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            name: self.name,
            level: self.level,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
        }
    }
}

/// A secondary location that explains the primary one ("the overlapping period starts here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `OVS101`.
    pub code: &'static str,
    /// The rule's kebab-case name, e.g. `segment-out-of-range`.
    pub name: &'static str,
    pub level: Level,
    pub message: String,
    /// The offending value.
    pub span: Span,
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, message: message.into() });
        self
    }
}

/// Counts by level, for the summary line and the exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut summary = Summary::default();
        for d in diagnostics {
            match d.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Note => summary.notes += 1,
            }
        }
        summary
    }
}

/// `2 errors, 1 warning` (and notes, when there are any).
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(f, "{}, {}", plural(self.errors, "error"), plural(self.warnings, "warning"))?;
        if self.notes > 0 {
            write!(f, ", {}", plural(self.notes, "note"))?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into a stable order (file, position, code) and drops exact repeats, so
/// output is the same on every run whatever order the checks ran in.
pub fn sort(diagnostics: &mut Vec<Diagnostic>, sources: &Sources) {
    diagnostics.sort_by(|a, b| {
        (sources.path(a.span.file), a.span.start, a.code, &a.message).cmp(&(
            sources.path(b.span.file),
            b.span.start,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

/// A diagnostic's position as people count it: 1-based lines and columns (characters); the end
/// column is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    pub fn of(span: Span, sources: &Sources) -> Position {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        Position { line, column, end_line, end_column }
    }
}

/// The visible stand-in for a control character: its Unicode control picture (`␛` for ESC),
/// or the replacement character for the C1 controls, which have none.
pub(super) fn control_picture(c: char) -> char {
    match u32::from(c) {
        n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// A message, path or help text with its control characters shown as pictures.
pub(super) fn visible(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' { control_picture(c) } else { c }).collect()
}

/// How output names `file`: `root` (the site folder, relative to the working directory) joined
/// to its path under the site folder, with `/` separators on every platform so CI tools can
/// match it.
pub fn file_name(sources: &Sources, file: FileId, root: &Path) -> String {
    root.join(sources.path(file)).to_string_lossy().replace('\\', "/")
}

/// The site folder as output should prefix paths with: relative to the working directory
/// `cwd` where it can be (an absolute `--site` inside it included), without `./` steps; empty
/// for the working directory itself.
pub fn display_root(site: &Path, cwd: Option<&Path>) -> PathBuf {
    let site = match cwd {
        Some(cwd) if site.is_absolute() => site.strip_prefix(cwd).unwrap_or(site),
        _ => site,
    };
    site.components().filter(|c| *c != Component::CurDir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_relative_to_the_working_directory() {
        let cwd = Path::new("/repo");
        let root = |site: &str| display_root(Path::new(site), Some(cwd));
        assert_eq!(root("."), PathBuf::new());
        assert_eq!(root("./register/"), PathBuf::from("register"));
        assert_eq!(root("../other/register"), PathBuf::from("../other/register"));
        assert_eq!(root("/repo/register"), PathBuf::from("register"));
        assert_eq!(root("/elsewhere/register"), PathBuf::from("/elsewhere/register"));
        let mut sources = Sources::default();
        let file = sources.add(PathBuf::from("content/site.yaml"), String::new());
        assert_eq!(file_name(&sources, file, &root("./register")), "register/content/site.yaml");
        assert_eq!(file_name(&sources, file, &root(".")), "content/site.yaml");
    }
}
