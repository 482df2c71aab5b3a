//! Reading one file's YAML: the state of the file being loaded ([`Loader`]: its text,
//! source map and problems), parsing a document into a typed value with every problem
//! located ([`parse_yaml_at`]), giving a record its id, and what a record may do once read
//! ([`Finish`]).
//!
//! It sits below both the kinds table ([`crate::kinds`], which names a reader per kind) and
//! the loader ([`crate::load`], which finds files and reads pages, papers and attachments),
//! so that neither needs the other to read a record.
//!
//! Each YAML document is read twice: once by `yaml_serde` into the typed record, once by the
//! source-map scan that records where each value is. A type error is placed at the path
//! `serde_path_to_error` names, looked up in the source map.

use serde::de::DeserializeOwned;

use crate::format::{INVALID_ID, INVALID_VALUE, UNKNOWN_FIELD, YAML_SYNTAX};
use crate::{DECIMAL_MUST_BE_QUOTED, is_slug, slugify};
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::source::yaml::{self, SourceMap, key_path};
use oversight_syntax::source::{FileId, Span, syntax};
use oversight_syntax::suggest::closest;

/// Ids become file and folder names (`organisations/<id>/index.html`, `.<id>.pdf.partial`),
/// which most file systems cap at 255 bytes; no real id comes near this.
pub(crate) const MAX_ID_LEN: usize = 100;

/// The state of loading one file.
pub(crate) struct Loader {
    pub(crate) file: FileId,
    /// The file's text, shared with the bodies of the page or paper it holds.
    pub(crate) text: std::sync::Arc<str>,
    pub(crate) map: Option<SourceMap>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The hash of a file read as bytes rather than text.
    pub(crate) hash: Option<u64>,
}

impl Loader {
    /// Parses the YAML at `range` of the file (the whole file by default) as a `T`.
    pub(crate) fn parse_yaml<T: DeserializeOwned>(&mut self, range: Option<(usize, usize)>, what: &str) -> Option<T> {
        self.parse_yaml_keeping(range, what, false)
    }

    /// [`Loader::parse_yaml`]; with `keep_known`, a document whose only problems are unknown
    /// keys is read without them (they are still reported).
    pub(crate) fn parse_yaml_keeping<T: DeserializeOwned>(
        &mut self,
        range: Option<(usize, usize)>,
        what: &str,
        keep_known: bool,
    ) -> Option<T> {
        let range = range.unwrap_or((0, self.text.len()));
        match parse_yaml_at(self.file, &self.text, range) {
            Ok(Some((value, map))) => {
                self.map = Some(map);
                Some(value)
            }
            Ok(None) => {
                let d = INVALID_VALUE
                    .at(Span::new(self.file, range.0, range.0), format!("{what} is empty"))
                    .with_help(format!("{what} needs at least its required fields; see docs/record-format.md"));
                self.diagnostics.push(d);
                None
            }
            Err(rejected) => {
                self.diagnostics.extend(rejected.problems);
                let (value, map) = rejected.without_unknown_keys.filter(|_| keep_known)?;
                self.map = Some(map);
                Some(value)
            }
        }
    }
    /// The record's id: `id:` if given, else the file stem; reported if not a slug.
    pub(crate) fn resolve_id(&mut self, explicit: Option<&str>, stem: &str) -> String {
        match explicit {
            Some(id) => self.check_slug("id", id, "an id"),
            None if stem.len() > MAX_ID_LEN && is_slug(stem) => {
                self.diagnostics.push(too_long(
                    Span::file_start(self.file),
                    stem,
                    "rename the file, or give a shorter `id:`",
                ));
            }
            None if !is_slug(stem) => {
                let d = INVALID_ID
                    .at(Span::file_start(self.file), format!("the file name `{stem}` is not a valid id"))
                    .with_help(format!(
                        "rename the file to `{}` (lower-case letters, digits and hyphens), or add an `id:`",
                        slugify(stem)
                    ));
                self.diagnostics.push(d);
            }
            None => {}
        }
        explicit.unwrap_or(stem).to_string()
    }

    pub(crate) fn check_slug(&mut self, path: &str, value: &str, what: &str) {
        if !is_slug(value) {
            let d = INVALID_ID
                .at(self.value_span(path), format!("`{value}` is not valid as {what}"))
                .with_help(format!("use lower-case letters, digits and hyphens, e.g. `{}`", slugify(value)));
            self.diagnostics.push(d);
        } else if value.len() > MAX_ID_LEN {
            self.diagnostics.push(too_long(self.value_span(path), value, "shorten it"));
        }
    }

    pub(crate) fn value_span(&self, path: &str) -> Span {
        self.map.as_ref().and_then(|m| m.nearest(path)).map_or(Span::file_start(self.file), |e| e.value_span(self.file))
    }
}

/// What a [`Record::finish`] may do with the file being loaded: find where a value is and
/// report a problem there.
pub struct Finish<'a> {
    pub(crate) loader: &'a mut Loader,
}

impl Finish<'_> {
    /// Where the value at `path` of the record's YAML is (or its nearest recorded ancestor's).
    pub fn value_span(&self, path: &str) -> Span {
        self.loader.value_span(path)
    }

    /// Reports the value at `path` unless it is a slug of at most [`MAX_ID_LEN`] characters.
    pub fn check_slug(&mut self, path: &str, value: &str, what: &str) {
        self.loader.check_slug(path, value, what);
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.loader.diagnostics.push(d);
    }
}

/// An id longer than [`MAX_ID_LEN`].
pub(crate) fn too_long(span: Span, id: &str, fix: &str) -> Diagnostic {
    INVALID_ID.at(span, format!("the id `{}…` is {} characters long", &id[..20.min(id.len())], id.len())).with_help(
        format!("{fix}: ids are at most {MAX_ID_LEN} characters, as they become file names and web addresses"),
    )
}

/// Parses `text[start..end]` of `file` as one YAML document into a `T`, with its source map.
/// `Ok(None)` if the document is empty (nothing but comments). Used for record files, front
/// matter and the options of generated blocks alike.
pub fn parse_yaml_at<T: DeserializeOwned>(
    file: FileId,
    text: &str,
    (start, end): (usize, usize),
) -> Result<Option<Mapped<T>>, Rejected<Mapped<T>>> {
    let yaml_text = &text[start..end];
    let rejected = |problems| Rejected { problems, without_unknown_keys: None };
    // YAML forbids C0 control characters but tab and line breaks; yaml_serde says so without
    // a position, so find the character here.
    if let Some((at, c)) = yaml_text.char_indices().find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        let span = Span::new(file, start + at, start + at + c.len_utf8());
        return Err(rejected(vec![
            YAML_SYNTAX.at(span, format!("control character U+{:04X} is not allowed in YAML", u32::from(c))).with_help(
                "remove it: it is usually left by a copy and paste or a binary file saved with a .yaml name",
            ),
        ]));
    }
    let map = yaml::scan(yaml_text, start).map_err(|err| {
        let e = syntax::explain(yaml_text, start, &err);
        let d = YAML_SYNTAX.at(Span::new(file, e.start, e.end), e.message).with_help(e.help);
        rejected(vec![match e.label {
            Some((s, end, label)) => d.with_label(Span::new(file, s, end), label),
            None => d,
        }])
    })?;
    if map.is_empty() {
        return Ok(None);
    }
    let result: Result<T, _> = serde_path_to_error::deserialize(yaml_serde::Deserializer::from_str(yaml_text));
    let err = match result {
        Ok(value) => return Ok(Some((value, map))),
        Err(err) => err,
    };
    let diagnostic = |err: &serde_path_to_error::Error<yaml_serde::Error>| {
        let fallback = err.inner().location().map(|l| start + l.index());
        serde_diagnostic(file, &map, (yaml_text, start), &err.path().to_string(), &err.inner().to_string(), fallback)
    };
    let mut problems = vec![diagnostic(&err)];
    // serde stops at the first problem. Every unknown key is worth reporting at once (two
    // typos in one file are common), so each is taken out of the document and it is read
    // again, until a problem of another kind; a missing field then is usually the typo's
    // own key and is not reported twice.
    let Ok(mut document) = yaml_serde::from_str::<yaml_serde::Value>(yaml_text) else {
        return Err(rejected(problems));
    };
    let mut without_unknown_keys = None;
    let mut last = err;
    for _ in 0..MAX_UNKNOWN_KEYS {
        // yaml_serde puts the path before nested messages: `segments[0]: unknown field …`.
        if !last.inner().to_string().contains("unknown field `") || !remove_at(&mut document, last.path()) {
            break;
        }
        match serde_path_to_error::deserialize::<_, T>(document.clone()) {
            Ok(value) => {
                without_unknown_keys = Some(value);
                break;
            }
            Err(err) => {
                let message = err.inner().to_string();
                if message.contains("unknown field `") || !message.contains("missing field `") {
                    problems.push(diagnostic(&err));
                }
                last = err;
            }
        }
    }
    Err(Rejected { problems, without_unknown_keys: without_unknown_keys.map(|value| (value, map)) })
}

/// A document read as a `T`, with its source map.
pub type Mapped<T> = (T, SourceMap);

/// Why a YAML document could not be read as a `T`: every problem found, and the document read
/// without its unknown keys when they were its only problem.
#[derive(Debug)]
pub struct Rejected<T> {
    pub problems: Vec<Diagnostic>,
    pub without_unknown_keys: Option<T>,
}

/// How many unknown keys of one document are reported.
const MAX_UNKNOWN_KEYS: usize = 50;

/// Takes the key at `path` (an unknown field's) out of `document`; false if it is not there.
fn remove_at(document: &mut yaml_serde::Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((Segment::Map { key }, parents)) = segments.split_last() else { return false };
    let mut node = document;
    for segment in parents {
        node = match (segment, node) {
            (Segment::Map { key }, yaml_serde::Value::Mapping(m)) => match m.get_mut(key.as_str()) {
                Some(child) => child,
                None => return false,
            },
            (Segment::Seq { index }, yaml_serde::Value::Sequence(s)) => match s.get_mut(*index) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match node {
        yaml_serde::Value::Mapping(m) => m.remove(key.as_str()).is_some(),
        _ => false,
    }
}

/// Turns a serde error at `path` into a located diagnostic. `yaml` is the document's text and
/// where it starts in the file, for quoting values as written.
fn serde_diagnostic(
    file: FileId,
    map: &SourceMap,
    (yaml, base): (&str, usize),
    path: &str,
    message: &str,
    fallback: Option<usize>,
) -> Diagnostic {
    // yaml_serde appends the position and prefixes the path; the diagnostic shows both itself.
    let message = message.split(" at line ").next().unwrap_or(message);
    let message = plain_words(message.strip_prefix(&format!("{path}: ")).unwrap_or(message));
    let value_at = |p: &str| map.get(p).map(|e| e.value_span(file));
    let key_at = |p: &str| map.get(p).filter(|e| e.key.is_some()).map(|e| e.key_span(file));
    let nearest = |p: &str| map.nearest(p).map(|e| e.key_span(file));
    let fallback = fallback.map(|o| Span::new(file, o, o)).unwrap_or(Span::file_start(file));
    // Name the key (`from`), or the whole path for a list element (`agenda[2]`).
    let field = if path.ends_with(']') { path } else { path.rsplit('.').next().unwrap_or(path) };
    // How messages name it: `from`, or "the first RSP episode's second entry criterion".
    let named = if path.ends_with(']') { readable_path(path) } else { format!("`{field}`") };
    let valid_what = if path.ends_with(']') { format!("value for {named}") } else { named.clone() };

    // libyaml refuses a tab after `- ` (which the source-map scan accepted) with no word of it.
    if message.contains("cannot start any token")
        && let Some(tab) = yaml.find('\t')
    {
        return YAML_SYNTAX
            .at(Span::new(file, base + tab, base + tab + 1), "a tab character, which YAML does not allow here")
            .with_help("replace the tab with a space: YAML separates and indents with spaces only");
    }
    if let Some(name) = backticked(&message, "unknown field `") {
        // The path may or may not already end at the unknown key.
        let key = if path.ends_with(name) { path.to_string() } else { key_path(path, name) };
        let span = key_at(&key).or_else(|| nearest(&key)).unwrap_or(fallback);
        let expected = expected_names(&message);
        let help = match closest(name, expected.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None if expected.is_empty() => "remove this key".to_string(),
            None => format!("valid keys here: {}", expected.join(", ")),
        };
        return UNKNOWN_FIELD.at(span, format!("unknown field `{name}`")).with_help(help);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let span = value_at(path).unwrap_or(fallback);
        let written = yaml.get(span.start.saturating_sub(base)..span.end.saturating_sub(base)).unwrap_or("").trim();
        let what = if written.is_empty() { found.to_string() } else { format!("`{written}`") };
        let help = if expected.contains("whole number") {
            format!("write `{field}` in digits, for example `{field}: 4`")
        } else if expected.contains("list") {
            format!("write `{field}` as a list: `{field}: [a, b]`, or one `- item` per line under it")
        } else if expected.contains("true or false") {
            format!("write `{field}: true` or `{field}: false`")
        } else {
            format!("see docs/record-format.md for what `{field}` holds")
        };
        return INVALID_VALUE.at(span, format!("{named} must be {expected}, but {what} is not")).with_help(help);
    }
    if let Some(name) = backticked(&message, "missing field `") {
        let span = key_at(path).or_else(|| value_at(path)).unwrap_or(fallback);
        let span = if path == "." { Span::new(file, span.start, span.start) } else { span };
        return INVALID_VALUE
            .at(span, format!("missing field `{name}`"))
            .with_help(format!("add `{name}:` here; see docs/record-format.md"));
    }
    if message.contains("more than one document") {
        let span = second_document(yaml).map_or(fallback, |at| Span::new(file, base + at, base + at + 3));
        return YAML_SYNTAX.at(span, "a second YAML document starts here").with_help("a record file holds one YAML document: remove this `---` line and what follows, or move it to its own file");
    }
    if message.contains("recursion limit exceeded") || message.contains("repetition limit exceeded") {
        return YAML_SYNTAX
            .at(fallback, message)
            .with_help("nesting or alias expansion this deep does not occur in records: simplify the YAML");
    }
    let span = value_at(path).unwrap_or(fallback);
    let raw = yaml.get(span.start.saturating_sub(base)..span.end.saturating_sub(base)).unwrap_or_default();
    if message == DECIMAL_MUST_BE_QUOTED {
        return INVALID_VALUE
            .at(
                span,
                format!(
                    "`{field}: {raw}` must be quoted: unquoted, YAML reads it as a number and drops trailing zeros"
                ),
            )
            .with_help(format!("write `{field}: \"{raw}\"`"));
    }
    if let Some(variant) = backticked(&message, "unknown variant `") {
        let expected = expected_names(&message);
        let (message, help) = match closest(variant, expected.iter().map(String::as_str)) {
            _ if variant.is_empty() => (format!("{named} is empty"), format!("write one of: {}", expected.join(", "))),
            Some(near) => (format!("`{variant}` is not a valid {valid_what}"), format!("did you mean `{near}`?")),
            None => {
                (format!("`{variant}` is not a valid {valid_what}"), format!("allowed values: {}", expected.join(", ")))
            }
        };
        return INVALID_VALUE.at(span, message).with_help(help);
    }
    if path == "." {
        return INVALID_VALUE
            .at(span, message)
            .with_help("a record file holds `key: value` lines, such as `name:` and `type:`");
    }
    INVALID_VALUE.at(span, format!("invalid {named}: {message}"))
}

/// Replaces Rust type names in serde's messages with words a record author uses.
fn plain_words(message: &str) -> String {
    let mut m = message.to_string();
    for (rust, plain) in [
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected a nonzero usize", "expected a whole number, 1 or more"),
        ("expected a sequence", "expected a list (`[a, b]`, or one `- item` per line)"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text"),
        ("invalid type: map", "invalid type: a mapping"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: unit value", "invalid type: an empty value"),
    ] {
        m = m.replace(rust, plain);
    }
    if let Some(at) = m.find("expected struct ") {
        m.truncate(at);
        m.push_str("expected `key: value` fields");
    }
    m
}

/// A path into a record as a person reads it: `rsp[0].criteria[1]` → "the first RSP
/// episode's second entry criterion". Keys without list indexes are left out, and a list
/// this does not know is named by its key.
fn readable_path(path: &str) -> String {
    const ORDINALS: [&str; 10] =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    let noun = |key: &str| match key {
        "rsp" => "RSP episode".to_string(),
        "segments" => "segment period".to_string(),
        "criteria" => "entry criterion".to_string(),
        "exit_criteria" => "exit criterion".to_string(),
        "agenda" => "agenda item".to_string(),
        "appendices" => "appendix".to_string(),
        "report_by" => "`report_by` entry".to_string(),
        "breaches" => "breach".to_string(),
        "undertakings" => "undertaking".to_string(),
        "variations" => "variation".to_string(),
        "services" => "service".to_string(),
        "sources" => "source".to_string(),
        other => format!("`{other}` item"),
    };
    let parts: Vec<String> = path
        .split('.')
        .filter_map(|segment| {
            let (key, index) = segment.split_once('[')?;
            let index: usize = index.trim_end_matches(']').parse().ok()?;
            let nth = ORDINALS.get(index).map_or(format!("number {}", index + 1), |o| o.to_string());
            Some(format!("{nth} {}", noun(key)))
        })
        .collect();
    if parts.is_empty() { path.to_string() } else { format!("the {}", parts.join("'s ")) }
}

/// Offset of the `---` line that starts a second document, if any.
fn second_document(yaml: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen_content = false;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") {
            if seen_content {
                return Some(offset);
            }
        } else if !trimmed.trim_start().is_empty() && !trimmed.trim_start().starts_with('#') {
            seen_content = true;
        }
        offset += line.len();
    }
    None
}

/// The text between `prefix` and the next backtick.
fn backticked<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    rest.find('`').map(|end| &rest[..end])
}

/// The names serde lists after "expected one of `a`, `b`" (or "expected `a`").
fn expected_names(message: &str) -> Vec<String> {
    let Some(at) = message.find("expected") else { return Vec::new() };
    message[at..].split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(expected_names("unknown field `x`, expected one of `a`, `b`"), ["a", "b"]);
        assert_eq!(expected_names("unknown field `x`, expected `a`"), ["a"]);
        assert_eq!(readable_path("rsp[0].criteria[1]"), "the first RSP episode's second entry criterion");
        assert_eq!(readable_path("agenda[11]"), "the number 12 agenda item");
        assert_eq!(readable_path("segments[2].from"), "the third segment period");
    }

    #[test]
    fn serde_type_names_become_plain_words() {
        assert_eq!(
            plain_words("invalid value: integer `0`, expected a nonzero usize"),
            "invalid value: integer `0`, expected a whole number, 1 or more"
        );
        assert_eq!(plain_words("invalid type: sequence, expected a string"), "invalid type: a list, expected text");
    }
}
