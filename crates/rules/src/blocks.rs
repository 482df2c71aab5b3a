//! The options of generated blocks: fenced code blocks whose language names a block
//! (`timeline`, `register`, `changes-since`, `exit-criteria`, `undertakings`, `stats`) and whose
//! YAML body holds its options. They are read and checked here, once, when the register is
//! checked, like records: an unknown or bad option is a diagnostic located in the Markdown
//! file. What the blocks show is oversight-analysis's; rendering takes the [`ResolvedBlock`]s
//! and cannot fail on them.

use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::integrity::unknown_organisation;
use oversight_model::format::{INVALID_VALUE, UNKNOWN_FIELD};
use oversight_model::kinds::RecordKind;
use oversight_model::parse_yaml_at;
use oversight_model::vocabulary::BlockKind;
use oversight_model::{Body, OrgType, Region, Register};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Diagnostic;
use oversight_syntax::hash::Map;
use oversight_syntax::source::{FileId, Sources, Span};

/// How a timeline orders its rows (`order:` of a timeline block, `--order` of
/// `oversight timeline`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TimelineOrder {
    /// By first entry date.
    #[default]
    Entry,
    /// By region, then first entry.
    Region,
    /// By type (NHS trust, foundation trust, ICB), then first entry.
    Type,
}

/// `show:` of a register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Show {
    /// Organisations in the programme on the date.
    #[default]
    InProgramme,
    /// Every organisation, with its segment and status.
    All,
}

/// `status:` of an undertakings block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UndertakingStatus {
    #[default]
    All,
    /// Not yet released on the date.
    InForce,
    Released,
}

/// The options of every kind of block; which ones a kind accepts is checked per kind. The
/// doc comments are what the language server says of each (docs/blocks.md in full).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockOptions {
    /// The date the block is worked out at. Default: the paper's meeting date, else the
    /// register's as-of date.
    pub as_of: Option<Date>,
    /// How a timeline orders its rows: by first entry, by region or by type.
    pub order: Option<TimelineOrder>,
    /// Which organisations a register lists: those in the programme on the date, or all.
    pub show: Option<Show>,
    /// Only organisations of this NHS England region.
    pub region: Option<Region>,
    /// Only organisations of this type.
    #[serde(rename = "type")]
    pub org_type: Option<OrgType>,
    /// The first day of the changes listed. Default: the meeting's previous meeting.
    pub since: Option<Date>,
    /// The last day of the changes listed. Default: the as-of date.
    pub until: Option<Date>,
    /// Only this organisation, by its id.
    pub organisation: Option<String>,
    /// Which undertakings: all, those in force on the date, or those released by it.
    pub status: Option<UndertakingStatus>,
    /// The table's caption, in place of the one the block gives itself.
    pub caption: Option<String>,
}

/// The JSON Schema of [`BlockOptions`] (draft 7, as the records' schemas).
pub fn options_schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<BlockOptions>()
}

/// The option names a kind of block accepts.
pub fn accepted_options(kind: BlockKind) -> &'static [&'static str] {
    match kind {
        BlockKind::Timeline => &["as_of", "order", "caption"],
        BlockKind::Register => &["as_of", "show", "region", "type", "caption"],
        BlockKind::ChangesSince => &["since", "until", "organisation", "caption"],
        BlockKind::ExitCriteria => &["organisation", "as_of", "caption"],
        BlockKind::Undertakings => &["organisation", "status", "as_of", "caption"],
        BlockKind::Stats => &["as_of"],
    }
}

/// Dates a document's blocks default to: the meeting's date and previous meeting for a
/// paper on an agenda, the register's as-of date otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub as_of: Date,
    pub since: Option<Date>,
}

impl Defaults {
    /// The defaults for a paper: from the earliest meeting whose agenda has it.
    pub fn for_paper(register: &Register, paper: &str, as_of: Date) -> Defaults {
        match register.meeting_of(paper) {
            Some((m, _)) => Defaults { as_of: m.date, since: m.previous_meeting },
            // The meeting may be in a file that could not be read, whose error stops the
            // build: `since` stands at the as-of date rather than report the missing previous
            // meeting as a second problem.
            None if register.is_incomplete(RecordKind::Meeting) => Defaults { as_of, since: Some(as_of) },
            None => Defaults { as_of, since: None },
        }
    }
}

/// A block with its options read and checked, ready to expand.
#[derive(Debug, Clone)]
pub struct ResolvedBlock {
    pub kind: BlockKind,
    pub options: BlockOptions,
    pub block: Range<usize>,
}

/// Reads and checks the options of every generated block in a body. Problems are returned
/// as diagnostics; blocks with problems are left out.
pub fn resolve_blocks(
    register: &Register,
    sources: &Sources,
    file: FileId,
    body: &Body,
    defaults: Defaults,
) -> (Vec<ResolvedBlock>, Vec<Diagnostic>) {
    let text = sources.text(file);
    let mut resolved = Vec::new();
    let mut problems = Vec::new();
    for found in &body.scan.blocks {
        let (source, range) = found.options_source(text);
        let parsed = parse_yaml_at::<BlockOptions>(file, &source, (range.start, range.end));
        let (options, map) = match parsed {
            Ok(Some((options, map))) => (options, Some(map)),
            Ok(None) => (BlockOptions::default(), None),
            Err(rejected) => {
                problems.extend(rejected.problems);
                continue;
            }
        };
        let at = |key: &str| {
            map.as_ref()
                .and_then(|m| m.get(key))
                .map_or(Span::new(file, found.block.start, found.block.start), |e| e.key_span(file))
        };
        let mut ok = true;
        if let Some(map) = &map {
            let mut keys: Vec<&str> = map.keys_of(".").collect();
            keys.sort_unstable();
            for key in keys.into_iter().filter(|k| !accepted_options(found.kind).contains(k)) {
                problems.push(
                    UNKNOWN_FIELD
                        .at(at(key), format!("a `{}` block has no option `{key}`", found.kind.name()))
                        .with_help(format!("its options are: {}", accepted_options(found.kind).join(", "))),
                );
                ok = false;
            }
        }
        if found.kind == BlockKind::ChangesSince && options.since.is_none() && defaults.since.is_none() {
            problems.push(
                INVALID_VALUE
                    .at(Span::new(file, found.block.start, found.block.start), "`changes-since` needs a `since:` date")
                    .with_help("add `since: YYYY-MM-DD`, or give the meeting a `previous_meeting:`"),
            );
            ok = false;
        }
        if found.kind == BlockKind::ExitCriteria && options.organisation.is_none() {
            problems.push(
                INVALID_VALUE
                    .at(
                        Span::new(file, found.block.start, found.block.start),
                        "`exit-criteria` needs an `organisation:`",
                    )
                    .with_help("add `organisation: <id>`"),
            );
            ok = false;
        }
        if let Some(org) = &options.organisation
            && register.organisation(org).is_none()
        {
            let span =
                map.as_ref().and_then(|m| m.get("organisation")).map_or(at("organisation"), |e| e.value_span(file));
            problems.extend(unknown_organisation(register, span, org));
            ok = false;
        }
        if ok {
            resolved.push(ResolvedBlock { kind: found.kind, options, block: found.block.clone() });
        }
    }
    (resolved, problems)
}

/// The resolved blocks of every page and paper that has any, by file.
pub type Blocks = Map<FileId, Vec<ResolvedBlock>>;

/// Reads and checks the generated blocks of every page and paper: the blocks that can be
/// expanded, and the problems with the rest.
pub fn check_blocks(register: &Register, sources: &Sources, as_of: Date) -> (Blocks, Vec<Diagnostic>) {
    let pages = register.pages.iter().map(|p| (p.file, &p.body, Defaults { as_of, since: None }));
    let papers = register.papers.iter().map(|p| (p.file, p.body(), Defaults::for_paper(register, &p.id, as_of)));
    let mut blocks = Blocks::default();
    let mut problems = Vec::new();
    for (file, body, defaults) in pages.chain(papers).filter(|(_, body, _)| !body.scan.blocks.is_empty()) {
        let (resolved, found) = resolve_blocks(register, sources, file, body, defaults);
        blocks.insert(file, resolved);
        problems.extend(found);
    }
    (blocks, problems)
}
