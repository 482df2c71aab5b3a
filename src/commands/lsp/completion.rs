//! Completion: organisation (and paper and meeting) ids where a key names one, the values a
//! key allows (type, region, route, criteria, levels, edition names: from the record types'
//! schemas), the keys a mapping may hold, `@/` paths, generated blocks' names after a fence
//! and their options and values inside one, `{{ figure }}` names, and rule codes under
//! site.yaml's `rules:`.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, TextEdit};
use oversight_model::kinds::RecordKind;
use oversight_model::vocabulary::{BlockKind, FIGURES};

use super::context;
use super::records;
use super::{Site, View};

/// Keys whose value is an organisation's id (or a list of them).
const ORGANISATION_KEYS: [&str; 3] = ["organisation", "organisations", "system"];

/// The generated blocks, by the name a fence gives them.
const BLOCKS: [BlockKind; 6] = [
    BlockKind::Timeline,
    BlockKind::Register,
    BlockKind::ChangesSince,
    BlockKind::ExitCriteria,
    BlockKind::Undertakings,
    BlockKind::Stats,
];

struct Items<'v> {
    view: &'v View,
    /// What the items replace: the word typed so far.
    replace: (usize, usize),
    items: Vec<CompletionItem>,
}

impl Items<'_> {
    fn add(&mut self, label: &str, kind: CompletionItemKind, detail: Option<String>, documentation: Option<String>) {
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: documentation.map(Documentation::String),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: self.view.range(self.replace),
                new_text: label.to_string(),
            })),
            ..Default::default()
        });
    }
}

/// In a generated block's body: the options its kind accepts, or the values the option being
/// written allows (an organisation's id for `organisation:`).
fn block_option(site: &mut Site, items: &mut Items, block: BlockKind, before: &str) {
    let accepted = oversight_rules::blocks::accepted_options(block);
    match before.split_once(':') {
        None => {
            let keys = site.schemas.block_option(None).map(|k| k.keys()).unwrap_or_default();
            for (key, description) in keys.into_iter().filter(|(k, _)| accepted.contains(&k.as_str())) {
                items.add(&key, CompletionItemKind::PROPERTY, Some(format!("{} option", block.name())), description);
            }
        }
        Some((key, _)) => {
            let key = key.trim();
            if !accepted.contains(&key) {
                return;
            }
            if key == "organisation" {
                let register = site.register();
                for (id, _) in register.records(RecordKind::Organisation) {
                    let name = register.organisation(id).map(|o| o.name.clone());
                    items.add(id, CompletionItemKind::REFERENCE, name, None);
                }
            } else if let Some(schema) = site.schemas.block_option(Some(key)) {
                for (value, description) in schema.values() {
                    items.add(&value, CompletionItemKind::ENUM_MEMBER, description, None);
                }
            }
        }
    }
}

/// What may be written at byte `offset` of the document.
pub(crate) fn at(site: &mut Site, view: &View, offset: usize) -> Vec<CompletionItem> {
    let typed = context::typed_at(&view.text, offset);
    let (_, before) = context::line_before(&view.text, offset);
    let mut items = Items { view, replace: (typed.start, offset), items: Vec::new() };
    let register = site.register();
    let yaml = context::yaml_range(&view.text, view.markdown());
    let in_yaml = yaml.is_some_and(|(start, end)| (start..=end).contains(&offset));

    if let Some(rest) = typed.text.strip_prefix("@/") {
        // `@/organisations/…`: the ids of that kind; `@/…`: the folders.
        match rest.split_once('/') {
            Some((folder, _)) => {
                if let Some((_, kind)) = records::linked_folders().find(|(f, _)| *f == folder) {
                    items.replace = (typed.start + 2 + folder.len() + 1, offset);
                    for (id, _) in register.records(kind) {
                        let detail = (kind == RecordKind::Organisation)
                            .then(|| register.organisation(id).map(|o| o.name.clone()))
                            .flatten();
                        items.add(id, CompletionItemKind::REFERENCE, detail, None);
                    }
                }
            }
            None => {
                items.replace = (typed.start + 2, offset);
                for (folder, kind) in records::linked_folders() {
                    items.add(&format!("{folder}/"), CompletionItemKind::FOLDER, Some(kind.row().plural.into()), None);
                }
            }
        }
        return items.items;
    }
    if let Some(open) = before.rfind("{{")
        && !before[open..].contains("}}")
    {
        for (name, what) in FIGURES {
            items.add(name, CompletionItemKind::VALUE, Some((*what).to_string()), None);
        }
        return items.items;
    }
    if !in_yaml && view.markdown() {
        if let Some(block) = context::block_at(&view.text, offset) {
            block_option(site, &mut items, block, before);
            return items.items;
        }
        let line = before.trim_start();
        if let Some(language) = line.strip_prefix("```").or_else(|| line.strip_prefix("~~~"))
            && language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            for block in BLOCKS {
                items.add(block.name(), CompletionItemKind::MODULE, Some("generated block".into()), None);
            }
        }
        return items.items;
    }
    let Some(place) = view.yaml_place(offset) else { return items.items };
    let Some(kind) = view.kind else { return items.items };
    if place.on_key {
        // The keys of the mapping the place is in; under site.yaml's `rules:`, the rules.
        let parent =
            if place.key.is_some() { &place.path[..place.path.len().saturating_sub(1)] } else { &place.path[..] };
        if kind == RecordKind::Site && parent == ["rules"] {
            for rule in oversight_rules::CATALOGUE {
                items.add(
                    rule.code.code,
                    CompletionItemKind::CONSTANT,
                    Some(rule.code.name.into()),
                    Some(rule.code.summary.into()),
                );
            }
            return items.items;
        }
        let keys = if parent.is_empty() {
            site.schemas.at(kind, &[]).map(|k| k.keys())
        } else {
            site.schemas.at(kind, parent).map(|k| k.keys())
        };
        for (key, description) in keys.unwrap_or_default() {
            items.add(&key, CompletionItemKind::PROPERTY, None, description);
        }
        return items.items;
    }
    let Some(key) = place.path.last() else { return items.items };
    let register = site.register();
    let ids = if ORGANISATION_KEYS.contains(&key.as_str()) {
        Some(RecordKind::Organisation)
    } else if key == "paper" {
        Some(RecordKind::Paper)
    } else if key == "minutes_of" || key == "meeting" {
        Some(RecordKind::Meeting)
    } else {
        None
    };
    if let Some(ids) = ids {
        for (id, _) in register.records(ids) {
            let detail = match ids {
                RecordKind::Organisation => register.organisation(id).map(|o| o.name.clone()),
                RecordKind::Paper => register.paper(id).map(|p| p.title.clone()),
                _ => None,
            };
            items.add(id, CompletionItemKind::REFERENCE, detail, None);
        }
        return items.items;
    }
    if let Some(schema) = site.schemas.at(kind, &place.path) {
        for (value, description) in schema.values() {
            items.add(&value, CompletionItemKind::ENUM_MEMBER, description, None);
        }
    }
    items.items
}
