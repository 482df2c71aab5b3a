//! The record kinds: one table ([`KINDS`]) saying, for each kind, where its files live, what
//! it is called, where its pages go, its JSON Schema, which ids must be unique, and what else
//! depends on it. Every consumer (the loader's file classification, `@/…` links, URLs, the
//! schemas, live updates, the duplicate-id check, `serve`'s dependency keys, `--verbose`
//! counts) reads this table rather than naming kinds, so a new kind is one entry here, its
//! type and [`Record`] impl, and its views (docs/architecture.md, "Adding a record kind").

use crate::governance::{Action, Board, Decision, Declarations};
use crate::reader::Finish;
use crate::{AnyRecord, Meeting, Organisation, Register, SupportPackage, Undertaking};
use oversight_syntax::source::FileId;

/// The record kinds, in the order of [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Site,
    Organisation,
    Support,
    Undertaking,
    Meeting,
    Paper,
    /// `content/papers/<id>.yaml`: a PDF or Word paper's cover fields.
    PaperDetails,
    Page,
    Board,
    /// `content/interests/<member>.yaml`: one member's declarations of interest.
    Declarations,
    Action,
    Decision,
}

/// A record kind as a Rust type: what every kind's records share, so the loader, live updates
/// and the table's functions work on any kind.
pub trait Record: serde::de::DeserializeOwned + Clone + Send + Sync + 'static {
    const KIND: RecordKind;
    fn id(&self) -> &str;
    fn file(&self) -> FileId;
    /// Its records in a register, in path order.
    fn all(register: &Register) -> &Vec<Self>;
    fn all_mut(register: &mut Register) -> &mut Vec<Self>;
    /// The record with this id (with duplicate ids, the first in path order). Kinds looked up
    /// often keep an index ([`Register::reindex`]); a search otherwise.
    fn get<'a>(register: &'a Register, id: &str) -> Option<&'a Self> {
        Self::all(register).iter().find(|r| r.id() == id)
    }
    /// As a file's record.
    fn into_any(self) -> AnyRecord;
    /// The `id:` the record gives itself, if its kind lets it.
    fn explicit_id(&self) -> Option<&str> {
        None
    }
    /// Gives a record just read its id and file.
    fn identify(&mut self, id: String, file: FileId);
    /// What the loader does once the record is read: normalise values (a month as its last
    /// day) and report what its type cannot say (an exit criterion's id is not a slug).
    fn finish(&mut self, _cx: &mut Finish) {}
}

impl RecordKind {
    /// Its row of [`KINDS`].
    pub fn row(self) -> &'static Kind {
        // The table is in enum order (checked by a test), so this is a lookup, not a search.
        &KINDS[self as usize]
    }
}

/// What else a kind's records feed, so `serve` knows what to make again when one changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feeds {
    /// site.yaml: every page.
    Everything,
    /// The figures: listings, the timeline, the home page and generated blocks.
    Figures,
    /// Meeting pages, which show papers' titles.
    Meetings,
    /// Only its own pages and what listings show of it (narrative pages).
    Listings,
}

/// A kind's JSON Schema: its file name (`<name>.schema.json`), its title, the files it
/// applies to (globs relative to the site folder; none for Markdown front matter, which
/// editors do not validate) and how to make it from the kind's type, titled.
#[derive(Debug, Clone, Copy)]
pub struct SchemaSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub files: &'static [&'static str],
    /// The schema's own title, e.g. `content/organisations/<id>.yaml: an organisation`.
    pub description: &'static str,
    pub make: fn(&str) -> serde_json::Value,
}

/// How the loader reads a kind's files.
#[derive(Clone, Copy)]
pub(crate) enum Load {
    /// `content/site.yaml`.
    Site,
    /// A narrative page: front matter and Markdown, its id its path under `pages/`.
    Page,
    /// A board paper: front matter and Markdown, or a PDF or Word file.
    Paper,
    /// A PDF or Word paper's cover fields.
    PaperDetails,
    /// One YAML document holding one record of a [`Record`] type ([`yaml`]).
    Yaml(fn(&mut Finish, &str, &str) -> Option<AnyRecord>),
}

/// One record kind.
pub struct Kind {
    pub kind: RecordKind,
    /// Its folder under `content/` (empty for site.yaml, which is one file).
    pub folder: &'static str,
    /// The extensions of its files.
    pub extensions: &'static [&'static str],
    /// Whether its files may sit in folders under its folder (narrative pages).
    pub nested: bool,
    /// How messages name one and several: "support package", "support packages".
    pub singular: &'static str,
    pub plural: &'static str,
    /// How the loader names one in "… is empty": "a support package".
    pub article: &'static str,
    /// Where its records' pages are on the website, relative to the root: `support/`, then
    /// `<id>/`. `None`: it has no pages and `@/` links cannot name it.
    pub url: Option<&'static str>,
    pub schema: Option<SchemaSpec>,
    /// Whether two records may not share an id (OVS502), and if not, how to fix a clash.
    pub unique_ids: Option<&'static str>,
    pub feeds: Feeds,
    /// Counted in `--verbose`'s "read … files" line.
    pub counted: bool,
    /// Its records in a register: (id, file) of each, in path order (none for site.yaml).
    pub records: for<'a> fn(&'a Register) -> Vec<(&'a str, FileId)>,
    /// Whether a record of this kind has the id (through the register's indexes where it has them).
    pub has: fn(&Register, &str) -> bool,
    /// The id of the record in `file`, if it holds one of this kind.
    pub id_in: for<'a> fn(&'a Register, FileId) -> Option<&'a str>,
    /// Drops the records `file` held.
    pub(crate) remove: fn(&mut Register, FileId),
    pub(crate) load: Load,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// Reads a file holding one YAML document as a `T`: its id from `id:` or the file name
/// `stem`, then [`Record::finish`].
fn yaml<T: Record>(cx: &mut Finish, stem: &str, article: &str) -> Option<AnyRecord> {
    let mut record = cx.loader.parse_yaml::<T>(None, article)?;
    let id = cx.loader.resolve_id(record.explicit_id(), stem);
    record.identify(id, cx.loader.file);
    record.finish(cx);
    Some(record.into_any())
}

fn records<T: Record>(register: &Register) -> Vec<(&str, FileId)> {
    T::all(register).iter().map(|r| (r.id(), r.file())).collect()
}

fn has<T: Record>(register: &Register, id: &str) -> bool {
    T::get(register, id).is_some()
}

fn id_in<T: Record>(register: &Register, file: FileId) -> Option<&str> {
    T::all(register).iter().find(|r| r.file() == file).map(|r| r.id())
}

fn remove<T: Record>(register: &mut Register, file: FileId) {
    T::all_mut(register).retain(|r| r.file() != file);
}

/// The draft-7 JSON Schema of `T`, titled.
fn schema<T: schemars::JsonSchema>(title: &str) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("title".into(), serde_json::Value::from(title));
    schema.to_value()
}

/// `.yaml` and `.yml`.
const YAML: &[&str] = &["yaml", "yml"];

/// Every record kind, in [`RecordKind`] order.
pub const KINDS: [Kind; 12] = [
    Kind {
        kind: RecordKind::Site,
        folder: "",
        extensions: YAML,
        nested: false,
        singular: "site settings",
        plural: "site settings",
        article: "site.yaml",
        url: None,
        schema: Some(SchemaSpec {
            name: "site",
            title: "content/site.yaml",
            files: &["content/site.yaml"],
            description: "content/site.yaml: the register's settings",
            make: schema::<crate::config::SiteConfig>,
        }),
        unique_ids: None,
        feeds: Feeds::Everything,
        counted: false,
        records: |_| Vec::new(),
        has: |_, _| false,
        id_in: |_, _| None,
        remove: |r, file| {
            if r.site.file == file {
                r.site = Default::default();
            }
        },
        load: Load::Site,
    },
    Kind {
        kind: RecordKind::Organisation,
        folder: "organisations",
        extensions: YAML,
        nested: false,
        singular: "organisation",
        plural: "organisations",
        article: "an organisation",
        url: Some("organisations/"),
        schema: Some(SchemaSpec {
            name: "organisation",
            title: "An organisation",
            files: &["content/organisations/*.yaml", "content/organisations/*.yml"],
            description: "content/organisations/<id>.yaml: an organisation",
            make: schema::<Organisation>,
        }),
        unique_ids: Some("give one of them another `id:` (or rename its file)"),
        feeds: Feeds::Figures,
        counted: true,
        records: records::<Organisation>,
        has: has::<Organisation>,
        id_in: id_in::<Organisation>,
        remove: remove::<Organisation>,
        load: Load::Yaml(yaml::<Organisation>),
    },
    Kind {
        kind: RecordKind::Support,
        folder: "support",
        extensions: YAML,
        nested: false,
        singular: "support package",
        plural: "support packages",
        article: "a support package",
        url: Some("support/"),
        schema: Some(SchemaSpec {
            name: "support",
            title: "A support package",
            files: &["content/support/*.yaml", "content/support/*.yml"],
            description: "content/support/<id>.yaml: a support package",
            make: schema::<SupportPackage>,
        }),
        unique_ids: Some("give one of them another `id:` (or rename its file)"),
        feeds: Feeds::Figures,
        counted: true,
        records: records::<SupportPackage>,
        has: has::<SupportPackage>,
        id_in: id_in::<SupportPackage>,
        remove: remove::<SupportPackage>,
        load: Load::Yaml(yaml::<SupportPackage>),
    },
    Kind {
        kind: RecordKind::Undertaking,
        folder: "undertakings",
        extensions: YAML,
        nested: false,
        singular: "undertakings record",
        plural: "undertakings records",
        article: "an undertakings record",
        url: Some("undertakings/"),
        schema: Some(SchemaSpec {
            name: "undertaking",
            title: "Enforcement undertakings",
            files: &["content/undertakings/*.yaml", "content/undertakings/*.yml"],
            description: "content/undertakings/<id>.yaml: enforcement undertakings",
            make: schema::<Undertaking>,
        }),
        unique_ids: Some("give one of them another `id:` (or rename its file)"),
        feeds: Feeds::Figures,
        counted: true,
        records: records::<Undertaking>,
        has: has::<Undertaking>,
        id_in: id_in::<Undertaking>,
        remove: remove::<Undertaking>,
        load: Load::Yaml(yaml::<Undertaking>),
    },
    Kind {
        kind: RecordKind::Meeting,
        folder: "meetings",
        extensions: YAML,
        nested: false,
        singular: "meeting",
        plural: "meetings",
        article: "a meeting",
        url: Some("meetings/"),
        schema: Some(SchemaSpec {
            name: "meeting",
            title: "A board meeting",
            files: &["content/meetings/*.yaml", "content/meetings/*.yml"],
            description: "content/meetings/<id>.yaml: a board meeting",
            make: schema::<Meeting>,
        }),
        unique_ids: Some("give one of them another `id:` (or rename its file)"),
        feeds: Feeds::Figures,
        counted: true,
        records: records::<Meeting>,
        has: has::<Meeting>,
        id_in: id_in::<Meeting>,
        remove: remove::<Meeting>,
        load: Load::Yaml(yaml::<Meeting>),
    },
    Kind {
        kind: RecordKind::Paper,
        folder: "papers",
        extensions: &["md", "pdf", "docx"],
        nested: false,
        singular: "paper",
        plural: "papers",
        article: "a board paper",
        url: Some("papers/"),
        schema: Some(SchemaSpec {
            name: "paper",
            title: "A board paper's front matter",
            files: &[],
            description: "content/papers/<id>.md: front matter",
            make: schema::<crate::Paper>,
        }),
        // `x.md` beside `x.pdf` or `x.docx`: which is the paper?
        unique_ids: Some("keep one of them: a paper is one file, Markdown (.md), PDF (.pdf) or Word (.docx)"),
        feeds: Feeds::Meetings,
        counted: true,
        records: records::<crate::Paper>,
        has: has::<crate::Paper>,
        id_in: id_in::<crate::Paper>,
        remove: remove::<crate::Paper>,
        load: Load::Paper,
    },
    Kind {
        kind: RecordKind::PaperDetails,
        folder: "papers",
        extensions: YAML,
        nested: false,
        singular: "paper details",
        plural: "paper details",
        article: "a paper's details",
        url: None,
        schema: Some(SchemaSpec {
            name: "paper-details",
            title: "The cover fields of a PDF or Word paper",
            files: &["content/papers/*.yaml", "content/papers/*.yml"],
            description: "content/papers/<id>.yaml: the cover fields of a PDF or Word paper",
            make: schema::<crate::PaperDetails>,
        }),
        unique_ids: None,
        feeds: Feeds::Meetings,
        counted: false,
        records: records::<crate::PaperDetails>,
        has: has::<crate::PaperDetails>,
        id_in: id_in::<crate::PaperDetails>,
        remove: remove::<crate::PaperDetails>,
        load: Load::PaperDetails,
    },
    Kind {
        kind: RecordKind::Page,
        folder: "pages",
        extensions: &["md"],
        nested: true,
        singular: "page",
        plural: "pages",
        article: "a page",
        url: Some("pages/"),
        schema: Some(SchemaSpec {
            name: "page",
            title: "A narrative page's front matter",
            files: &[],
            description: "content/pages/**/*.md: front matter",
            make: schema::<crate::Page>,
        }),
        // An id is the page's path, so two pages cannot share one.
        unique_ids: None,
        feeds: Feeds::Listings,
        counted: true,
        records: records::<crate::Page>,
        has: has::<crate::Page>,
        id_in: id_in::<crate::Page>,
        remove: remove::<crate::Page>,
        load: Load::Page,
    },
    Kind {
        kind: RecordKind::Board,
        folder: "boards",
        extensions: YAML,
        nested: false,
        singular: "board",
        plural: "boards",
        article: "a board",
        url: None,
        schema: Some(SchemaSpec {
            name: "board",
            title: "A board and its members",
            files: &["content/boards/*.yaml", "content/boards/*.yml"],
            description: "content/boards/<id>.yaml: a board, its quorum and its members",
            make: schema::<Board>,
        }),
        unique_ids: Some("keep one of them: `<id>.yaml` and `<id>.yml` name the same record"),
        feeds: Feeds::Meetings,
        counted: true,
        records: records::<Board>,
        has: has::<Board>,
        id_in: id_in::<Board>,
        remove: remove::<Board>,
        load: Load::Yaml(yaml::<Board>),
    },
    Kind {
        kind: RecordKind::Declarations,
        folder: "interests",
        extensions: YAML,
        nested: false,
        singular: "declaration of interests",
        plural: "declarations of interests",
        article: "a declaration of interests",
        url: None,
        schema: Some(SchemaSpec {
            name: "interests",
            title: "A member's declarations of interest",
            files: &["content/interests/*.yaml", "content/interests/*.yml"],
            description: "content/interests/<member>.yaml: one member's declarations of interest",
            make: schema::<Declarations>,
        }),
        unique_ids: Some("keep one of them: `<id>.yaml` and `<id>.yml` name the same record"),
        feeds: Feeds::Meetings,
        counted: true,
        records: records::<Declarations>,
        has: has::<Declarations>,
        id_in: id_in::<Declarations>,
        remove: remove::<Declarations>,
        load: Load::Yaml(yaml::<Declarations>),
    },
    Kind {
        kind: RecordKind::Action,
        folder: "actions",
        extensions: YAML,
        nested: false,
        singular: "action",
        plural: "actions",
        article: "an action",
        url: None,
        schema: Some(SchemaSpec {
            name: "action",
            title: "An action from a meeting",
            files: &["content/actions/*.yaml", "content/actions/*.yml"],
            description: "content/actions/<id>.yaml: an action from a board meeting",
            make: schema::<Action>,
        }),
        unique_ids: Some("keep one of them: `<id>.yaml` and `<id>.yml` name the same record"),
        feeds: Feeds::Meetings,
        counted: true,
        records: records::<Action>,
        has: has::<Action>,
        id_in: id_in::<Action>,
        remove: remove::<Action>,
        load: Load::Yaml(yaml::<Action>),
    },
    Kind {
        kind: RecordKind::Decision,
        folder: "decisions",
        extensions: YAML,
        nested: false,
        singular: "decision",
        plural: "decisions",
        article: "a decision",
        url: None,
        schema: Some(SchemaSpec {
            name: "decision",
            title: "A decision of a meeting",
            files: &["content/decisions/*.yaml", "content/decisions/*.yml"],
            description: "content/decisions/<id>.yaml: a decision of a board meeting",
            make: schema::<Decision>,
        }),
        unique_ids: Some("keep one of them: `<id>.yaml` and `<id>.yml` name the same record"),
        feeds: Feeds::Meetings,
        counted: true,
        records: records::<Decision>,
        has: has::<Decision>,
        id_in: id_in::<Decision>,
        remove: remove::<Decision>,
        load: Load::Yaml(yaml::<Decision>),
    },
];

/// The kind of the file at `rel` (its path under `content/`), if it is a record's.
pub fn classify(rel: &std::path::Path) -> Option<RecordKind> {
    let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
    let ext = rel.extension().and_then(|e| e.to_str())?;
    if parts == ["site.yaml"] {
        return Some(RecordKind::Site);
    }
    let (folder, rest) = parts.split_first()?;
    KINDS
        .iter()
        .filter(|k| !k.folder.is_empty() && k.folder == *folder)
        .filter(|k| rest.len() == 1 || (k.nested && !rest.is_empty()))
        .find(|k| k.extensions.contains(&ext))
        .map(|k| k.kind)
}

/// The kind whose pages are at `folder` on the website (and whose records `@/<folder>/<id>`
/// names).
pub fn with_pages_at(folder: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.url.is_some_and(|url| url.trim_end_matches('/') == folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_enum_order() {
        for (i, kind) in KINDS.iter().enumerate() {
            assert_eq!(kind.kind as usize, i, "{:?}", kind.kind);
            assert_eq!(kind.kind.row().kind, kind.kind);
        }
    }
}
