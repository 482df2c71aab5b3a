//! Hover: on a diagnostic or a rule code, the rule's explanation and source (what
//! `oversight explain` prints); on an organisation id or an `@/…` link, what the record is; on
//! a key, what it means and the values it allows; on a `{{ figure }}`, what it counts.

use oversight_model::vocabulary::FIGURES;

use super::context::{self, Word};
use super::{Site, View};

/// The hover at byte `offset` of the document `view`, in Markdown, with the range it is about.
pub(crate) fn at(site: &mut Site, view: &View, offset: usize) -> Option<(String, Option<(usize, usize)>)> {
    let mut parts = Vec::new();
    let mut range = None;
    // The rules of the diagnostics here.
    parts.extend(site.codes_at(&view.uri, view.position(offset)).iter().filter_map(|code| explain(code)));
    let word = context::word_at(&view.text, offset);
    if let Some(Word { start, end, text }) = word {
        if let Some(rule) = oversight_rules::find(text)
            && !parts.iter().any(|p| p.starts_with(&format!("**{}", rule.code.code)))
        {
            parts.extend(explain(rule.code.code));
            range = Some((start, end));
        } else if let Some(found) = super::records::named(site.register(), text, &view.doc_dir) {
            let path = site.sources_path(found.file);
            parts.push(super::records::describe(site.register(), &found, site.as_of(), &path));
            range = Some((start, end));
        } else if let Some((name, what)) = figure_at(&view.text, start, text) {
            parts.push(format!("**`{{{{ {name} }}}}`**: {what}"));
            range = Some((start, end));
        }
    }
    if parts.is_empty()
        && let Some(place) = view.yaml_place(offset).filter(|p| p.on_key)
        && let Some(key) = site.schemas.at(view.kind?, &place.path)
    {
        let name = place.path.last()?;
        let mut text = format!("**`{name}`**");
        if let Some(description) = key.description() {
            text.push_str(&format!("\n\n{description}"));
        }
        let values = key.values();
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|(v, _)| format!("`{v}`")).collect();
            text.push_str(&format!("\n\nAllowed values: {}", list.join(", ")));
        }
        parts.push(text);
        range = place.key;
    }
    (!parts.is_empty()).then(|| (parts.join("\n\n---\n\n"), range))
}

/// `oversight explain CODE`, as Markdown: the first line bold, the rest as it prints.
fn explain(code: &str) -> Option<String> {
    let mut out = Vec::new();
    crate::commands::rules::explain(code, &mut out).ok()?;
    let text = String::from_utf8(out).ok()?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    Some(format!("**{first}**\n{rest}"))
}

/// The figure a word names when it sits in `{{ … }}`.
pub(crate) fn figure_at(text: &str, start: usize, word: &str) -> Option<(&'static str, &'static str)> {
    let (_, before) = context::line_before(text, start);
    if !before.trim_end().ends_with("{{") {
        return None;
    }
    FIGURES.iter().find(|(name, _)| *name == word).copied()
}
