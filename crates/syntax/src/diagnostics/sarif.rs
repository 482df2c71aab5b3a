//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the log GitHub code scanning
//! and other tools take in: one run, its tool with the metadata of every rule, and one result
//! per diagnostic with its location.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{Code, Diagnostic, Level, Position, file_name};
use crate::source::{Sources, Span};

/// The tool that made the log, and the rules it can report, each with its help text (the
/// explanation with its sources spelt out, which only the layer that knows them can write).
pub struct Tool<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub information_uri: Option<&'a str>,
    pub rules: &'a [(Code, String)],
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: ToolComponent<'a>,
    /// Columns count characters, as in every other output.
    column_kind: &'static str,
    results: Vec<Result<'a>>,
}

#[derive(Serialize)]
struct ToolComponent<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    semantic_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'a str>,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Text<'a>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Result<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: OwnedText,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<OwnedText>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// Writes the SARIF log: every rule of `tool` with its metadata, and a result per diagnostic
/// at its (re-levelled) level. Files are named under `root` (see [`file_name`]), as URIs.
pub fn render(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    root: &Path,
    tool: &Tool<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules = tool
        .rules
        .iter()
        .map(|(code, help)| Rule {
            id: code.code,
            name: code.name,
            short_description: Text { text: code.summary },
            full_description: Text { text: code.explanation },
            help: Text { text: help },
            default_configuration: Configuration { level: level(code.level) },
        })
        .collect();
    let location = |span: Span, id: Option<usize>, message: Option<String>| {
        let p = Position::of(span, sources);
        Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: uri(&file_name(sources, span.file, root)) },
                region: Region {
                    start_line: p.line,
                    start_column: p.column,
                    end_line: p.end_line,
                    end_column: p.end_column,
                },
            },
            message: message.map(|text| OwnedText { text }),
        }
    };
    let results = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            Result {
                rule_id: d.code,
                rule_index: tool.rules.iter().position(|(code, _)| code.code == d.code),
                level: level(d.level),
                message: OwnedText { text },
                locations: [location(d.span, None, None)],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(l.span, Some(i), Some(l.message.clone())))
                    .collect(),
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: ToolComponent {
                driver: Driver {
                    name: tool.name,
                    version: tool.version,
                    semantic_version: tool.version,
                    information_uri: tool.information_uri,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

/// A relative path as a URI reference: `/` kept, everything but unreserved characters
/// percent-encoded (a space, `#`, `%`, non-ASCII letters).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("register/content/organisations/x.yaml"), "register/content/organisations/x.yaml");
        assert_eq!(super::uri("my register/content/a#b é.yaml"), "my%20register/content/a%23b%20%C3%A9.yaml");
    }
}
