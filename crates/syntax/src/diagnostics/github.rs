//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which GitHub shows as
//! annotations on the pull request's changed lines.

use std::io::{self, Write};
use std::path::Path;

use super::{Diagnostic, Level, Position, Summary, file_name};
use crate::source::Sources;

pub fn render(diagnostics: &[Diagnostic], sources: &Sources, root: &Path, out: &mut dyn Write) -> io::Result<()> {
    for d in diagnostics {
        let p = Position::of(d.span, sources);
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let file = file_name(sources, d.span.file, root);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&file),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            property(d.code),
            data(&message)
        )?;
    }
    writeln!(out, "{}", Summary::of(diagnostics))
}

/// Escapes a command's message, as the runner's `escapeData` does; other control characters
/// (which the runner would echo into the log) are shown as pictures.
fn data(s: &str) -> String {
    super::visible(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, as the runner's `escapeProperty` does.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_the_runner() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
