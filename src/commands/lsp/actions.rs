//! Code actions where the fix is known: a diagnostic whose help says "did you mean `x`?"
//! offers to write `x` in place of the mistake, and a missing key's to add it with an empty
//! value (the edits worked out when they were published: [`super::diagnostics::suggestion`],
//! [`super::diagnostics::missing_key`]).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, Range, TextEdit, WorkspaceEdit,
};

use super::Site;

/// The quick fixes for the diagnostics the editor sends (or, if it sends none, those
/// published for the range).
pub(crate) fn for_range(site: &Site, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let published = site.published.get(uri).map(Vec::as_slice).unwrap_or_default();
    let overlaps = |r: &Range| r.start <= params.range.end && params.range.start <= r.end;
    let asked: Vec<&Diagnostic> = if params.context.diagnostics.is_empty() {
        published.iter().filter(|d| overlaps(&d.range)).collect()
    } else {
        params.context.diagnostics.iter().collect()
    };
    let mut actions = Vec::new();
    for diagnostic in asked {
        // The editor may send the diagnostic back without its data: the published one has it.
        let data = diagnostic.data.as_ref().or_else(|| {
            published.iter().find(|d| d.range == diagnostic.range && d.code == diagnostic.code)?.data.as_ref()
        });
        let Some(fix) = data.and_then(|d| d.get("fix")).filter(|f| !f.is_null()) else { continue };
        let (Some(range), Some(text)) =
            (fix.get("range").and_then(|r| serde_json::from_value::<Range>(r.clone()).ok()), fix["text"].as_str())
        else {
            continue;
        };
        let edit = TextEdit { range, new_text: text.to_string() };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: fix["title"].as_str().map_or_else(|| format!("Change to `{text}`"), str::to_string),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..Default::default()
            }),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    actions
}
