//! The check's diagnostics as the protocol carries them: per file, with the rule code and
//! name, severity, range (in UTF-16 positions), related locations (the labels) and the help.
//! What was published is remembered, so a check publishes only the files whose diagnostics
//! changed, and an empty list for a file that became clean.

use std::collections::BTreeMap;
use std::path::Path;

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Url,
};
use oversight_rules::check::Checked;
use oversight_syntax::diagnostics::{Diagnostic, Level};
use oversight_syntax::source::{FileId, Sources, Span};
use serde_json::json;

use super::position::LineIndex;

/// What `source` says on every diagnostic.
pub(crate) const SOURCE: &str = "oversight";

/// Line indexes of the files of one check, made as they are needed.
pub(crate) struct Lines<'a> {
    sources: &'a Sources,
    made: BTreeMap<FileId, LineIndex>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(sources: &'a Sources) -> Lines<'a> {
        Lines { sources, made: BTreeMap::new() }
    }

    pub(crate) fn range(&mut self, span: Span) -> Range {
        let text = self.sources.text(span.file);
        self.made.entry(span.file).or_insert_with(|| LineIndex::new(text)).range(text, span.start, span.end)
    }
}

/// The URI of a file of the site in `site` (the folder holding `content/`).
pub(crate) fn uri_of(site: &Path, sources: &Sources, file: FileId) -> Option<Url> {
    Url::from_file_path(site.join(sources.path(file))).ok()
}

/// Every diagnostic of `checked`, by the URI of its file.
pub(crate) fn by_file(checked: &Checked, site: &Path) -> BTreeMap<Url, Vec<LspDiagnostic>> {
    let sources = &checked.sources;
    let mut lines = Lines::new(sources);
    let mut files: BTreeMap<Url, Vec<LspDiagnostic>> = BTreeMap::new();
    for d in &checked.diagnostics {
        let Some(uri) = uri_of(site, sources, d.span.file) else { continue };
        let converted = convert(d, site, sources, &mut lines);
        files.entry(uri).or_default().push(converted);
    }
    files
}

fn convert(d: &Diagnostic, site: &Path, sources: &Sources, lines: &mut Lines) -> LspDiagnostic {
    let severity = match d.level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Note => DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|label| {
            let uri = uri_of(site, sources, label.span.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range: lines.range(label.span) },
                message: label.message.clone(),
            })
        })
        .collect();
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let fix = match suggestion(d, sources) {
        Some((span, text)) => Some((span, format!("Change to `{text}`"), text)),
        None => missing_key(d, sources).map(|(span, key, text)| (span, format!("Add `{key}:`"), text)),
    };
    let fix = fix.map(|(span, title, text)| json!({ "range": lines.range(span), "title": title, "text": text }));
    LspDiagnostic {
        range: lines.range(d.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({ "name": d.name, "help": d.help, "fix": fix })),
    }
}

/// The edit that adds the key a "missing field `x`" diagnostic asks for, with an empty value
/// to fill in: a line of its own at the top of the document, or in the mapping under the
/// diagnostic's key (indented as that mapping's keys are). The key, and the text to insert.
pub(crate) fn missing_key(d: &Diagnostic, sources: &Sources) -> Option<(Span, String, String)> {
    let rest = d.message.strip_prefix("missing field `")?;
    let key = &rest[..rest.find('`')?];
    let text = sources.text(d.span.file);
    let line_start = text.get(..d.span.start)?.rfind('\n').map_or(0, |i| i + 1);
    if d.span.start == d.span.end && line_start == d.span.start {
        return Some((Span::new(d.span.file, line_start, line_start), key.to_string(), format!("{key}: \n")));
    }
    // `parent:` with its mapping on the lines below it, indented further.
    let line_end = text[d.span.start..].find('\n').map(|i| d.span.start + i + 1)?;
    let line = &text[line_start..line_end];
    let next = text[line_end..].lines().next()?;
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let inner = next.trim_start_matches(' ');
    if !line.trim_end().ends_with(':') || indent(next) <= indent(line) || inner.starts_with('-') {
        return None;
    }
    let at = Span::new(d.span.file, line_end, line_end);
    Some((at, key.to_string(), format!("{}{key}: \n", &next[..indent(next)])))
}

/// The edit a "did you mean `x`?" help makes: the mistaken word in the diagnostic's span and
/// the word suggested. Offered only where the span holds one word (quotes and a path's
/// folders kept), so applying it cannot replace more than the mistake.
pub(crate) fn suggestion(d: &Diagnostic, sources: &Sources) -> Option<(Span, String)> {
    let help = d.help.as_deref()?;
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    let suggested = &rest[..rest.find('`')?];
    let text = sources.text(d.span.file).get(d.span.start..d.span.end)?;
    let (mut start, mut end) = (d.span.start, d.span.end);
    let inner = text.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    if inner.is_empty() || inner.contains(char::is_whitespace) || inner.contains(['(', ')', '[', ']', ':', ',']) {
        return None;
    }
    start += text.find(inner)?;
    end = end.min(start + inner.len());
    // `@/organisations/kestrel-bya` suggesting `kestrel-bay`: only the last part changes.
    if inner.contains('/') && !suggested.contains('/') {
        start += inner.rfind('/')? + 1;
    }
    Some((Span::new(d.span.file, start, end), suggested.to_string()))
}
