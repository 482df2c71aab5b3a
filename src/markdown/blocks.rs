//! Generated blocks: fenced code blocks whose language names a block (`timeline`, `register`,
//! `changes-since`, `exit-criteria`, `undertakings`, `stats`) and whose YAML body holds its
//! options. They are computed from the register through [`crate::timeline`] and expand into
//! [`Generated`] parts — a chart, a table, sentences — that the HTML and Typst emitters render,
//! so a page on the website and a board paper show the same figures.
//!
//! Options are checked like records: an unknown or bad option is a diagnostic located in the
//! Markdown file.

use std::ops::Range;

use serde::Deserialize;

use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::framework::RSP_LAUNCH;
use crate::framework::rules::integrity::{UNRESOLVED_REFERENCE, closest};
use crate::framework::rules::records::{INVALID_VALUE, UNKNOWN_FIELD};
use crate::model::load::parse_yaml_at;
use crate::model::{Body, OrgType, Region, Register};
use crate::source::{FileId, Sources, Span};
use crate::timeline::{self, EventKind, episodes, svg};

/// The kinds of generated block, by the fence's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Timeline,
    Register,
    ChangesSince,
    ExitCriteria,
    Undertakings,
    Stats,
}

impl Kind {
    pub fn from_language(language: &str) -> Option<Kind> {
        Some(match language {
            "timeline" => Kind::Timeline,
            "register" => Kind::Register,
            "changes-since" => Kind::ChangesSince,
            "exit-criteria" => Kind::ExitCriteria,
            "undertakings" => Kind::Undertakings,
            "stats" => Kind::Stats,
            _ => return None,
        })
    }
}

/// A generated block found in a document: its kind, where its options are, and where the
/// whole fenced block is (byte offsets into the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub options: Range<usize>,
    pub block: Range<usize>,
}

impl Found {
    /// The block a fenced code block with this info string opens at `range`, if its language
    /// names a kind of generated block.
    pub(super) fn open(info: &str, range: Range<usize>) -> Option<Found> {
        let language = info.split_whitespace().next().unwrap_or_default();
        // Until its text is seen: empty options just inside the block.
        Kind::from_language(language).map(|kind| Found { kind, options: range.start..range.start, block: range })
    }

    /// Takes in a piece of the block's text: the options run from the first to the last.
    pub(super) fn extend(&mut self, range: Range<usize>) {
        if self.options.is_empty() {
            self.options = range;
        } else {
            self.options.end = range.end;
        }
    }
}

/// `order:` of a timeline.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderOption {
    #[default]
    Entry,
    Region,
    Type,
}

/// `show:` of a register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Show {
    /// Organisations in the programme on the date.
    #[default]
    InProgramme,
    /// Every organisation, with its segment and status.
    All,
}

/// `status:` of an undertakings block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UndertakingStatus {
    #[default]
    All,
    /// Not yet released on the date.
    InForce,
    Released,
}

/// The options of every kind of block; which ones a kind accepts is checked per kind.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    pub as_of: Option<Date>,
    pub order: Option<OrderOption>,
    pub show: Option<Show>,
    pub region: Option<Region>,
    #[serde(rename = "type")]
    pub org_type: Option<OrgType>,
    pub since: Option<Date>,
    pub until: Option<Date>,
    pub organisation: Option<String>,
    pub status: Option<UndertakingStatus>,
    pub caption: Option<String>,
}

impl Kind {
    /// The option names this kind accepts.
    pub fn accepts(self) -> &'static [&'static str] {
        match self {
            Kind::Timeline => &["as_of", "order", "caption"],
            Kind::Register => &["as_of", "show", "region", "type", "caption"],
            Kind::ChangesSince => &["since", "until", "organisation", "caption"],
            Kind::ExitCriteria => &["organisation", "as_of", "caption"],
            Kind::Undertakings => &["organisation", "status", "as_of", "caption"],
            Kind::Stats => &["as_of"],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Timeline => "timeline",
            Kind::Register => "register",
            Kind::ChangesSince => "changes-since",
            Kind::ExitCriteria => "exit-criteria",
            Kind::Undertakings => "undertakings",
            Kind::Stats => "stats",
        }
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
            None => Defaults { as_of, since: None },
        }
    }
}

/// A block with its options read and checked, ready to expand.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub kind: Kind,
    pub options: Options,
    pub block: Range<usize>,
}

/// Reads and checks the options of every generated block in a body. Problems are returned
/// as diagnostics; blocks with problems are left out.
pub fn resolve(
    register: &Register,
    sources: &Sources,
    file: FileId,
    body: &Body,
    defaults: Defaults,
) -> (Vec<Resolved>, Vec<Diagnostic>) {
    let text = sources.text(file);
    let mut resolved = Vec::new();
    let mut problems = Vec::new();
    for found in &body.scan.blocks {
        let parsed = parse_yaml_at::<Options>(file, text, (found.options.start, found.options.end));
        let (options, map) = match parsed {
            Ok(Some((options, map))) => (options, Some(map)),
            Ok(None) => (Options::default(), None),
            Err(d) => {
                problems.push(*d);
                continue;
            }
        };
        let at = |key: &str| {
            map.as_ref().and_then(|m| m.get(key)).map_or(Span::new(file, found.block.start, found.block.start), |e| {
                let (s, end) = e.key.unwrap_or(e.value);
                Span::new(file, s, end)
            })
        };
        let mut ok = true;
        if let Some(map) = &map {
            let mut keys: Vec<&str> = map.keys_of(".").collect();
            keys.sort_unstable();
            for key in keys.into_iter().filter(|k| !found.kind.accepts().contains(k)) {
                problems.push(
                    UNKNOWN_FIELD
                        .at(at(key), format!("a `{}` block has no option `{key}`", found.kind.name()))
                        .with_help(format!("its options are: {}", found.kind.accepts().join(", "))),
                );
                ok = false;
            }
        }
        if found.kind == Kind::ChangesSince && options.since.is_none() && defaults.since.is_none() {
            problems.push(
                INVALID_VALUE
                    .at(Span::new(file, found.block.start, found.block.start), "`changes-since` needs a `since:` date")
                    .with_help("add `since: YYYY-MM-DD`, or give the meeting a `previous_meeting:`"),
            );
            ok = false;
        }
        if found.kind == Kind::ExitCriteria && options.organisation.is_none() {
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
            let span = map
                .as_ref()
                .and_then(|m| m.get("organisation"))
                .map_or(at("organisation"), |e| Span::new(file, e.value.0, e.value.1));
            let help = match closest(org, register.organisations.iter().map(|o| o.id.as_str())) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "ids are file names in content/organisations/ without `.yaml`".to_string(),
            };
            problems.push(UNRESOLVED_REFERENCE.at(span, format!("no organisation with id `{org}`")).with_help(help));
            ok = false;
        }
        if ok {
            resolved.push(Resolved { kind: found.kind, options, block: found.block.clone() });
        }
    }
    (resolved, problems)
}

/// Checks the generated blocks of every page and paper.
pub fn check(register: &Register, sources: &Sources, as_of: Date) -> Vec<Diagnostic> {
    let pages = register.pages.iter().map(|p| (p.file, &p.body, Defaults { as_of, since: None }));
    let papers = register.papers.iter().map(|p| (p.file, &p.body, Defaults::for_paper(register, &p.id, as_of)));
    pages.chain(papers).flat_map(|(file, body, defaults)| resolve(register, sources, file, body, defaults).1).collect()
}

// ---- The intermediate form ----

/// What a cell links to; each back end turns it into a URL or plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Organisation(String),
    Undertaking(String),
    Support(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub link: Option<Link>,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), link: None }
    }

    fn link(text: impl Into<String>, link: Link) -> Cell {
        Cell { text: text.into(), link: Some(link) }
    }
}

/// A table with a caption; `numeric[i]` says column i holds numbers (aligned right).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<Cell>>,
}

/// One part of a generated block's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// A chart as SVG, with its caption (the SVG carries its own title and description).
    Chart {
        svg: String,
        caption: String,
    },
    Table(Table),
    /// Sentences, each a paragraph.
    Text(Vec<String>),
}

/// Expands a resolved block. `index` numbers the blocks of one document, to keep element ids
/// of several charts on one page apart.
pub fn expand(register: &Register, block: &Resolved, defaults: Defaults, index: usize) -> Vec<Generated> {
    let o = &block.options;
    let as_of = o.as_of.unwrap_or(defaults.as_of);
    let caption = |default: String| o.caption.clone().unwrap_or(default);
    match block.kind {
        Kind::Timeline => {
            let order = match o.order.unwrap_or_default() {
                OrderOption::Entry => svg::Order::Entry,
                OrderOption::Region => svg::Order::Region,
                OrderOption::Type => svg::Order::Type,
            };
            let options = svg::Options { order, id_prefix: format!("tl{index}"), ..svg::Options::new(as_of) };
            let chart_caption =
                caption(format!("Recovery Support Programme entry and exit points, as at {}", as_of.display_long()));
            vec![
                Generated::Chart { svg: svg::render(register, &options), caption: chart_caption },
                Generated::Table(episode_table(register, as_of)),
            ]
        }
        Kind::Register => vec![Generated::Table(register_table(register, o, as_of, caption))],
        Kind::ChangesSince => {
            let since = o.since.or(defaults.since).unwrap_or(RSP_LAUNCH);
            let until = o.until.unwrap_or(as_of);
            vec![changes(register, since, until, o.organisation.as_deref(), caption)]
        }
        Kind::ExitCriteria => exit_criteria(register, o.organisation.as_deref().unwrap_or_default(), as_of, caption),
        Kind::Undertakings => vec![undertakings(register, o, as_of, caption)],
        Kind::Stats => vec![Generated::Text(stats(register, as_of))],
    }
}

/// The text equivalent of the timeline chart: one row per episode.
fn episode_table(register: &Register, as_of: Date) -> Table {
    let rows = episodes::rows(register, as_of)
        .into_iter()
        .map(|r| {
            let org = register.organisation(&r.organisation_id);
            vec![
                Cell::link(r.name.clone(), Link::Organisation(r.organisation_id.clone())),
                Cell::text(org.map_or("", |o| o.org_type.name())),
                Cell::text(org.map_or("", |o| o.region.name())),
                Cell::text(r.entered.display_long()),
                Cell::text(r.exited.map_or("In the programme".to_string(), |d| d.display_long())),
                Cell::text(r.days_in_programme.to_string()),
            ]
        })
        .collect();
    Table {
        caption: format!("Entry and exit points, as at {}", as_of.display_long()),
        columns: ["Organisation", "Type", "Region", "Entered", "Exited", "Days in programme"]
            .map(String::from)
            .to_vec(),
        numeric: vec![false, false, false, false, false, true],
        rows,
    }
}

fn register_table(register: &Register, o: &Options, as_of: Date, caption: impl Fn(String) -> String) -> Table {
    let show = o.show.unwrap_or_default();
    let mut rows = Vec::new();
    for org in &register.organisations {
        if o.region.is_some_and(|r| r != org.region) || o.org_type.is_some_and(|t| t != org.org_type) {
            continue;
        }
        let episode = timeline::episode_on(org, as_of);
        if show == Show::InProgramme && episode.is_none() {
            continue;
        }
        let segment = timeline::segment_on(org, as_of).map_or("Not recorded".to_string(), |s| s.to_string());
        let mut row = vec![
            Cell::link(org.name.clone(), Link::Organisation(org.id.clone())),
            Cell::text(org.org_type.name()),
            Cell::text(org.region.name()),
            Cell::text(segment),
        ];
        match show {
            Show::InProgramme => {
                let e = episode.expect("filtered to organisations in the programme");
                row.push(Cell::text(e.entered.display_long()));
                row.push(Cell::text(timeline::days_in_programme(e, as_of).to_string()));
            }
            Show::All => {
                row.push(Cell::text(if episode.is_some() { "In the programme" } else { "Not in the programme" }))
            }
        }
        rows.push(row);
    }
    let (columns, numeric, default_caption) = match show {
        Show::InProgramme => (
            vec!["Organisation", "Type", "Region", "Segment", "Entered", "Days in programme"],
            vec![false, false, false, true, false, true],
            format!("Organisations in the Recovery Support Programme, as at {}", as_of.display_long()),
        ),
        Show::All => (
            vec!["Organisation", "Type", "Region", "Segment", "Status"],
            vec![false, false, false, true, false],
            format!("Organisations in the register, as at {}", as_of.display_long()),
        ),
    };
    Table { caption: caption(default_caption), columns: columns.into_iter().map(String::from).collect(), numeric, rows }
}

fn changes(
    register: &Register,
    since: Date,
    until: Date,
    organisation: Option<&str>,
    caption: impl Fn(String) -> String,
) -> Generated {
    let events: Vec<_> = timeline::changes_between(register, since, until)
        .into_iter()
        .filter(|e| organisation.is_none_or(|o| e.organisation == o))
        .collect();
    let period = format!("between {} and {}", since.display_long(), until.display_long());
    if events.is_empty() {
        return Generated::Text(vec![format!("No changes were recorded {period}.")]);
    }
    let rows = events
        .into_iter()
        .map(|e| {
            let name = register.organisation(&e.organisation).map_or(e.organisation.clone(), |o| o.name.clone());
            let detail = match e.kind {
                EventKind::UndertakingsAccepted | EventKind::UndertakingsVaried | EventKind::UndertakingsReleased => {
                    Cell::link(e.detail.clone(), Link::Undertaking(e.record.clone()))
                }
                EventKind::SupportStarted | EventKind::SupportEnded => {
                    Cell::link(e.detail.clone(), Link::Support(e.record.clone()))
                }
                _ => Cell::text(e.detail.clone()),
            };
            vec![
                Cell::text(e.date.display_long()),
                Cell::link(name, Link::Organisation(e.organisation.clone())),
                Cell::text(e.kind.label()),
                detail,
            ]
        })
        .collect();
    Generated::Table(Table {
        caption: caption(format!("Changes {period}")),
        columns: ["Date", "Organisation", "Change", "Detail"].map(String::from).to_vec(),
        numeric: vec![false; 4],
        rows,
    })
}

fn exit_criteria(register: &Register, id: &str, as_of: Date, caption: impl Fn(String) -> String) -> Vec<Generated> {
    let Some(org) = register.organisation(id) else { return Vec::new() };
    // The episode in force on the date, else the latest one begun by then.
    let episode = timeline::episode_on(org, as_of)
        .or_else(|| org.rsp.iter().filter(|e| e.entered <= as_of).max_by_key(|e| e.entered));
    let Some(episode) = episode else {
        return vec![Generated::Text(vec![format!(
            "{} had not entered the Recovery Support Programme by {}.",
            org.name,
            as_of.display_long()
        )])];
    };
    if episode.exit_criteria.is_empty() {
        return vec![Generated::Text(vec![format!(
            "No exit criteria are recorded for {}'s episode that began on {}.",
            org.name,
            episode.entered.display_long()
        )])];
    }
    let met = episode.exit_criteria.iter().filter(|c| c.met.is_some_and(|m| m <= as_of)).count();
    let rows = episode
        .exit_criteria
        .iter()
        .map(|c| {
            let status = match c.met.filter(|m| *m <= as_of) {
                Some(m) => format!("Met ({})", m.display_long()),
                None => "Not yet met".to_string(),
            };
            vec![Cell::text(c.text.clone()), Cell::text(status)]
        })
        .collect();
    vec![
        Generated::Text(vec![format!(
            "{} of {} exit criteria met as at {}.",
            met,
            episode.exit_criteria.len(),
            as_of.display_long()
        )]),
        Generated::Table(Table {
            caption: caption(format!("Exit criteria: {} (entered {})", org.name, episode.entered.display_long())),
            columns: vec!["Exit criterion".into(), "Status".into()],
            numeric: vec![false, false],
            rows,
        }),
    ]
}

fn undertakings(register: &Register, o: &Options, as_of: Date, caption: impl Fn(String) -> String) -> Generated {
    let status = o.status.unwrap_or_default();
    let rows: Vec<Vec<Cell>> = register
        .undertakings
        .iter()
        .filter(|u| u.accepted <= as_of && o.organisation.as_deref().is_none_or(|org| u.organisation == org))
        .filter(|u| {
            let released = u.released.is_some_and(|r| r <= as_of);
            match status {
                UndertakingStatus::All => true,
                UndertakingStatus::InForce => !released,
                UndertakingStatus::Released => released,
            }
        })
        .map(|u| {
            let name = register.organisation(&u.organisation).map_or(u.organisation.clone(), |o| o.name.clone());
            let state = match (
                u.released.filter(|r| *r <= as_of),
                u.variations.iter().filter(|v| v.date <= as_of).map(|v| v.date).max(),
            ) {
                (Some(r), _) => format!("Released {}", r.display_long()),
                (None, Some(v)) => format!("In force (varied {})", v.display_long()),
                (None, None) => "In force".to_string(),
            };
            vec![
                Cell::link(name, Link::Organisation(u.organisation.clone())),
                Cell::link(u.accepted.display_long(), Link::Undertaking(u.id.clone())),
                Cell::text(u.breaches.join(", ")),
                Cell::text(state),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Generated::Text(vec![format!("No undertakings match, as at {}.", as_of.display_long())]);
    }
    Generated::Table(Table {
        caption: caption(format!("Enforcement undertakings, as at {}", as_of.display_long())),
        columns: ["Organisation", "Accepted", "Licence conditions", "Status"].map(String::from).to_vec(),
        numeric: vec![false; 4],
        rows,
    })
}

/// The sentences board papers quote, computed from the census.
pub fn stats(register: &Register, as_of: Date) -> Vec<String> {
    let c = timeline::census(register, as_of);
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let verb = if c.in_programme() == 1 { "is" } else { "are" };
    let mut sentences = vec![format!(
        "As at {}, there {verb} {} and {} in the Recovery Support Programme.",
        as_of.display_long(),
        count(c.providers, "NHS provider", "NHS providers"),
        count(c.icbs, "ICB", "ICBs"),
    )];
    let mut exited = format!(
        "Since the programme launched on {}, {} {} exited",
        RSP_LAUNCH.display_long(),
        count(c.organisations_exited, "organisation", "organisations"),
        if c.organisations_exited == 1 { "has" } else { "have" },
    );
    // Organisations and episodes differ once someone re-enters: name both, so the figures
    // never contradict the timeline's count of exits.
    if c.exits != c.organisations_exited {
        exited.push_str(&format!(" ({} in all)", count(c.exits, "exit", "exits")));
    }
    if c.organisations_reentered > 0 {
        exited.push_str(&format!(
            ", and {} {} re-entered",
            count(c.organisations_reentered, "organisation", "organisations"),
            if c.organisations_reentered == 1 { "has" } else { "have" },
        ));
        if c.re_entries != c.organisations_reentered {
            exited.push_str(&format!(" ({})", count(c.re_entries, "re-entry", "re-entries")));
        }
    }
    exited.push('.');
    sentences.push(exited);
    if let Some(days) = c.median_days_current {
        sentences.push(format!("Organisations now in the programme have been in it for a median of {days} days."));
    }
    sentences
}
