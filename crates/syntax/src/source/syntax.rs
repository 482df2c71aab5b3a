//! Turning a YAML parser's error into one that points where the author must edit.
//!
//! A parser notices a problem where it can no longer go on, which is often a line or two after
//! the mistake: after a tab in the indentation, after a bracket that was never closed, at the
//! colon of a key indented one space too far. These heuristics run only on a document that
//! already failed to parse, and move the report to the mistake.

use super::yaml::SyntaxError;

/// A syntax error ready to report: where, what, how to fix it, and a second place if useful.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: String,
    pub label: Option<(usize, usize, &'static str)>,
}

/// "mapping values are not allowed" at `at`, on the line starting at `line_start`: a key
/// indented out of line, or a value holding `: `. Where to point (offset, length), the message
/// and the help.
fn mapping_value_not_allowed(yaml: &str, at: usize, line_start: usize) -> (usize, usize, String, String) {
    let before = &yaml[line_start..at];
    let key = before.trim_start();
    let indent = before.len() - key.len();
    if !key.contains(": ") && !key.starts_with("- ") {
        return (
            line_start + indent,
            key.len(),
            format!("`{}` is not indented like the keys around it", key.trim_end()),
            "align the key with its siblings (spaces only)".into(),
        );
    }
    // The fix, written with the author's own line: the value in quotes.
    let line = yaml[line_start..].split('\n').next().unwrap_or_default().trim_start();
    let help = match line.split_once(": ") {
        Some((k, value)) => {
            let k = k.trim_start_matches("- ");
            format!("put the value in quotes: {k}: \"{}\"", value.trim_end().replace('"', "\\\""))
        }
        None => "put the value in quotes".to_string(),
    };
    (at, 1, "a value contains `: `, which YAML reads as a new key".into(), help)
}

/// Explains `err`, found in `yaml`, which starts at byte `base` of its file.
pub fn explain(yaml: &str, base: usize, err: &SyntaxError) -> Explained {
    let at = err.offset.saturating_sub(base).min(yaml.len());
    let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let next_line_end = yaml[at..].find('\n').map_or(yaml.len(), |i| {
        let after = at + i + 1;
        yaml[after..].find('\n').map_or(yaml.len(), |j| after + j)
    });
    let point = |offset: usize, len: usize, message: String, help: &str| {
        // Keep the span inside the text and on character boundaries.
        let mut end = (offset + len).min(yaml.len());
        while !yaml.is_char_boundary(end) {
            end += 1;
        }
        Explained { start: base + offset, end: base + end, message, help: help.to_string(), label: None }
    };

    if let Some(help) = &err.help {
        return point(at, 1, err.message.clone(), help);
    }
    if let Some((first, first_end)) = err.related {
        return Explained {
            label: Some((first, first_end, "first used here")),
            ..point(
                at,
                key_len(yaml, at),
                err.message.clone(),
                "YAML keys must be unique within a mapping: remove or rename one",
            )
        };
    }
    // A tab in the indentation of any line up to the one after the error.
    if let Some(tab) = tab_in_indentation(&yaml[..next_line_end]) {
        return point(
            tab,
            1,
            "tab character used for indentation".into(),
            "YAML indents with spaces only: replace the tab with spaces",
        );
    }
    // A bracket opened on an earlier line and never closed.
    if let Some((open, bracket)) = unclosed_bracket(&yaml[..at])
        && open < line_start
    {
        let close = if bracket == '[' { ']' } else { '}' };
        return Explained {
            label: Some((base + at, base + at, "the parser gave up here")),
            ..point(
                open,
                1,
                format!("`{bracket}` is never closed"),
                &format!("close it with `{close}`, or write the list one `- item` per line"),
            )
        };
    }
    if err.message.contains("mapping values are not allowed") {
        let (offset, len, message, help) = mapping_value_not_allowed(yaml, at, line_start);
        return point(offset, len, message, &help);
    }
    if err.message.contains("did not find expected '-' indicator") || err.message.contains("did not find expected key")
    {
        let line = &yaml[line_start..];
        let line = line.split('\n').next().unwrap_or(line);
        let key = line.trim_start();
        let indent = line.len() - key.len();
        let name = key.split(':').next().unwrap_or(key).trim_start_matches("- ").trim();
        return point(
            line_start + indent,
            key.trim_end().len().max(1),
            format!("`{name}` is not indented like the lines above it"),
            "the keys of one record or list item start in the same column: line it up with its neighbours (spaces only)",
        );
    }
    if err.message.contains("quoted scalar") {
        return point(
            at,
            1,
            "a quoted value is not closed".into(),
            "add the closing quote; inside \"…\" write \\\" for a quote, inside '…' write ''",
        );
    }
    point(
        at,
        1,
        format!("YAML syntax error: {}", err.message),
        "check indentation, and quote values that contain `: ` or start with `[`, `{`, `&`, `*`, `!`, `|`, `>`, `%` or `@`",
    )
}

/// Length of the key starting at `at` (up to its colon), for underlining.
fn key_len(yaml: &str, at: usize) -> usize {
    yaml[at..].find([':', '\n']).unwrap_or(0)
}

/// Offset of the first tab in the leading white space of a line.
fn tab_in_indentation(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        if let Some(i) = indent.find('\t') {
            return Some(offset + i);
        }
        offset += line.len();
    }
    None
}

/// The innermost flow bracket opened in `text` and not closed, skipping quoted strings and
/// comments.
fn unclosed_bracket(text: &str) -> Option<(usize, char)> {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':') => {
                quote = Some(c)
            }
            (None, '#') if previous.is_whitespace() => while chars.next_if(|&(_, c)| c != '\n').is_some() {},
            (None, '[' | '{') => stack.push((i, c)),
            (None, ']' | '}') => {
                stack.pop();
            }
            _ => {}
        }
        previous = c;
    }
    stack.pop()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::scan;

    fn explained(yaml: &str) -> (String, Explained) {
        let err = scan(yaml, 0).unwrap_err();
        let e = explain(yaml, 0, &err);
        (yaml[e.start..].chars().take(12).collect(), e)
    }

    #[test]
    fn points_at_the_mistake() {
        let (at, e) = explained("name: x\nservices: [acute, community\nsegments:\n  - segment: 2\n");
        assert_eq!((at.as_str(), e.message.as_str()), ("[acute, comm", "`[` is never closed"));
        let (at, e) = explained("name: x\nsegments:\n  - segment: 2\n\tfrom: 2021-01-01\n");
        assert_eq!((at.as_str(), e.message.as_str()), ("\tfrom: 2021-", "tab character used for indentation"));
        let (at, e) = explained("a:\n  b: 1\n   c: 2\n");
        assert_eq!(at, "c: 2\n");
        assert!(e.message.contains("not indented"), "{e:?}");
        let (at, e) = explained("note: Placed in segment 4: CQC\n");
        assert_eq!(e.help, "put the value in quotes: note: \"Placed in segment 4: CQC\"");
        assert!(at.starts_with(": CQC"), "{at}");
        assert!(e.help.contains("quotes"));
        let (at, e) = explained("name: x\nname: y\n");
        assert_eq!((at.as_str(), e.label.map(|l| l.0)), ("name: y\n", Some(0)));
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        assert_eq!(unclosed_bracket("a: \"[x\" # [\nb: [1, 2]\n"), None);
        assert_eq!(unclosed_bracket("a: [1, {b: 2}"), Some((3, '[')));
    }
}
