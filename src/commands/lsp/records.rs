//! Finding a record by what a document calls it (an id, an `@/…` link) and saying what it is:
//! what hover shows and where definition goes.

use oversight_model::kinds::{KINDS, RecordKind};
use oversight_model::links::{self, Target};
use oversight_model::{Organisation, Register};
use oversight_syntax::date::Date;
use oversight_syntax::source::FileId;

/// A record a document names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) kind: RecordKind,
    pub(crate) id: String,
    pub(crate) file: FileId,
}

/// The kinds a bare id may name, in the order an id is looked for: organisations first (the
/// ids records name most), then meetings and papers, the rest after. Paper details share their
/// paper's id, and pages are named by their path, so neither is looked for by a bare id.
const BY_ID: [RecordKind; 8] = [
    RecordKind::Organisation,
    RecordKind::Meeting,
    RecordKind::Paper,
    RecordKind::Support,
    RecordKind::Undertaking,
    RecordKind::Board,
    RecordKind::Action,
    RecordKind::Decision,
];

/// The record of `kind` with `id`, or the file that should hold it if it cannot be read (the
/// author is mid-edit there, and that is where the definition is).
pub(crate) fn of_kind(register: &Register, kind: RecordKind, id: &str) -> Option<Found> {
    let read = register.records(kind).into_iter().find(|(i, _)| *i == id).map(|(_, file)| file);
    let file =
        read.or_else(|| register.unreadable.iter().find(|(_, (k, i))| *k == kind && i == id).map(|(f, _)| *f))?;
    Some(Found { kind, id: id.to_string(), file })
}

/// The record `word` names: an `@/…` link (resolved as the website resolves it, from the
/// document's folder `doc_dir`) or a bare id.
pub(crate) fn named(register: &Register, word: &str, doc_dir: &str) -> Option<Found> {
    if word.starts_with("@/") || word.ends_with(".md") {
        return match links::resolve(word, doc_dir, register).ok()?.0 {
            Target::Record(kind, id) => of_kind(register, kind, &id),
            Target::Home | Target::Organisations | Target::Timeline => None,
        };
    }
    if !oversight_model::is_slug(word) {
        return None;
    }
    BY_ID.iter().find_map(|&kind| of_kind(register, kind, word))
}

/// What hover says of a record, in Markdown: an organisation's name, type, region, ICB,
/// segment and programme as at `as_of`; any other record's kind and title.
pub(crate) fn describe(register: &Register, found: &Found, as_of: Date, path: &str) -> String {
    if found.kind == RecordKind::Organisation
        && let Some(org) = register.organisation(&found.id)
    {
        return organisation(register, org, as_of, path);
    }
    let row = found.kind.row();
    let title = match found.kind {
        RecordKind::Paper => register.paper(&found.id).map(|p| p.title.clone()),
        RecordKind::Page => register.page(&found.id).map(|p| p.title.clone()),
        RecordKind::Meeting => register.meeting(&found.id).map(|m| format!("{}: {}", m.body, m.title)),
        RecordKind::Support => register.support.iter().find(|s| s.id == found.id).map(|s| s.title.clone()),
        _ => None,
    };
    let mut text = format!("**{}** `{}`", capitalised(row.singular), found.id);
    if let Some(title) = title {
        text.push_str(&format!("\n\n{title}"));
    }
    text.push_str(&format!("\n\n`{path}`"));
    text
}

fn organisation(register: &Register, org: &Organisation, as_of: Date, path: &str) -> String {
    let mut text = format!("**{}** `{}`\n\n{} · {}", org.name, org.id, org.org_type.name(), org.region.name());
    if let Some(system) = org.system.as_deref() {
        let name = register.organisation(system).map_or(system, |icb| icb.name.as_str());
        text.push_str(&format!(" · {name}"));
    }
    let segment = oversight_analysis::segment_status(org, as_of);
    text.push_str(&format!("\n\nSegment as at {as_of}: {}", segment.text()));
    match oversight_analysis::episode_on(org, as_of) {
        Some(episode) => text.push_str(&format!(
            "\n\nIn the Recovery Support Programme since {} ({})",
            episode.entered,
            oversight_analysis::criteria_text(episode)
        )),
        None => text.push_str("\n\nNot in the Recovery Support Programme"),
    }
    if org.licence_breach {
        text.push_str("\n\nIn breach, or suspected breach, of its provider licence");
    }
    text.push_str(&format!("\n\n`{path}`"));
    text
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The folder under `content/` of the document at `rel` (its path under `content/`), from
/// which its relative links resolve.
pub(crate) fn doc_dir(rel: &std::path::Path) -> String {
    let parent = rel.parent().unwrap_or(std::path::Path::new(""));
    parent.iter().filter_map(|p| p.to_str()).collect::<Vec<_>>().join("/")
}

/// The kinds whose pages `@/` links may name, with their folder (`organisations`).
pub(crate) fn linked_folders() -> impl Iterator<Item = (&'static str, RecordKind)> {
    KINDS.iter().filter_map(|k| Some((k.url?.trim_end_matches('/'), k.kind)))
}
