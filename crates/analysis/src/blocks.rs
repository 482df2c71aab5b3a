//! What generated blocks show: each [`ResolvedBlock`] expands into [`Generated`] parts — a
//! chart, a table, sentences — computed from the register as at a date, that the HTML and
//! Typst emitters render, so a page on the website and a board paper show the same figures.

use oversight_model::kinds::RecordKind;
use oversight_model::links::Target;
use oversight_model::urls::Urls;
use oversight_model::vocabulary::BlockKind;
use oversight_model::{OrgType, Register};
use oversight_rules::blocks::{BlockOptions, Defaults, ResolvedBlock, Show, UndertakingStatus};
use oversight_rules::editions::{RSP_LAUNCH, programme_at};
use oversight_syntax::date::Date;

use crate::svg::{self, ChartOptions};
use crate::{EventKind, count, episodes};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// What it links to; each back end turns it into a URL or plain text.
    pub link: Option<Target>,
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), link: None }
    }

    fn link(text: impl Into<String>, kind: RecordKind, id: &str) -> Cell {
        let link = Target::Record(kind, id.to_string());
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
    /// A chart as SVG, with its caption (the SVG carries its own title and description): the
    /// wide layout, and for the website the narrow one too (see [`svg`]).
    Chart {
        svg: String,
        narrow: Option<String>,
        caption: String,
    },
    Table(Table),
    /// Sentences, each a paragraph.
    Text(Vec<String>),
}

/// Expands a resolved block. `index` numbers the blocks of one document, to keep element ids
/// of several charts on one page apart. With `links` (the website's URLs), a chart links each
/// row to its organisation and comes in both layouts.
pub fn expand(
    register: &Register,
    block: &ResolvedBlock,
    defaults: Defaults,
    index: usize,
    links: Option<&Urls>,
) -> Vec<Generated> {
    let o = &block.options;
    let as_of = o.as_of.unwrap_or(defaults.as_of);
    let caption = |default: String| o.caption.clone().unwrap_or(default);
    match block.kind {
        BlockKind::Timeline => {
            let order = o.order.unwrap_or_default();
            let options = ChartOptions {
                order,
                id_prefix: format!("tl{index}"),
                links: links.cloned(),
                ..ChartOptions::new(as_of)
            };
            let chart_caption =
                caption(format!("Recovery Support Programme entry and exit points, as at {}", as_of.display_long()));
            vec![
                Generated::Chart {
                    svg: svg::render(register, &options),
                    narrow: links.map(|_| svg::render(register, &options.narrow())),
                    caption: chart_caption,
                },
                Generated::Table(episode_table(register, as_of)),
            ]
        }
        BlockKind::Register => vec![Generated::Table(register_table(register, o, as_of, caption))],
        BlockKind::ChangesSince => {
            let since = o.since.or(defaults.since).unwrap_or(RSP_LAUNCH);
            let until = o.until.unwrap_or(as_of);
            vec![changes(register, since, until, o.organisation.as_deref(), caption)]
        }
        BlockKind::ExitCriteria => {
            exit_criteria(register, o.organisation.as_deref().unwrap_or_default(), as_of, caption)
        }
        BlockKind::Undertakings => vec![undertakings(register, o, as_of, caption)],
        BlockKind::Stats => vec![Generated::Text(stats(register, as_of))],
    }
}

/// The text equivalent of the timeline chart: one row per episode.
fn episode_table(register: &Register, as_of: Date) -> Table {
    let rows = episodes::rows(register, as_of)
        .into_iter()
        .map(|r| {
            let org = register.organisation(&r.organisation_id);
            vec![
                Cell::link(r.name.clone(), RecordKind::Organisation, &r.organisation_id),
                Cell::text(org.map_or("", |o| o.org_type.name())),
                Cell::text(org.map_or("", |o| o.region.name())),
                Cell::text(r.entered.display_long()),
                Cell::text(r.exited.map_or("In the programme".to_string(), |d| d.display_long())),
                Cell::text(if r.days_approximate {
                    format!("about {}", r.days_in_programme)
                } else {
                    r.days_in_programme.to_string()
                }),
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

fn register_table(register: &Register, o: &BlockOptions, as_of: Date, caption: impl Fn(String) -> String) -> Table {
    let show = o.show.unwrap_or_default();
    let mut rows = Vec::new();
    for org in &register.organisations {
        if o.region.is_some_and(|r| r != org.region) || o.org_type.is_some_and(|t| t != org.org_type) {
            continue;
        }
        let episode = crate::episode_on(org, as_of);
        if show == Show::InProgramme && episode.is_none() {
            continue;
        }
        let segment = crate::segment_status(org, as_of).short_text();
        let mut row = vec![
            Cell::link(org.name.clone(), RecordKind::Organisation, &org.id),
            Cell::text(org.org_type.name()),
            Cell::text(org.region.name()),
            Cell::text(segment),
        ];
        match show {
            Show::InProgramme => {
                let e = episode.expect("filtered to organisations in the programme");
                row.push(Cell::text(e.entered.display_long()));
                row.push(Cell::text(crate::days_in_programme(e, as_of).to_string()));
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
    let events: Vec<_> = crate::changes_between(register, since, until)
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
                    Cell::link(e.detail.clone(), RecordKind::Undertaking, &e.record)
                }
                EventKind::SupportStarted | EventKind::SupportEnded => {
                    Cell::link(e.detail.clone(), RecordKind::Support, &e.record)
                }
                _ => Cell::text(e.detail.clone()),
            };
            vec![
                Cell::text(e.date.display_long()),
                Cell::link(name, RecordKind::Organisation, &e.organisation),
                Cell::text(e.label.clone()),
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
    let episode = crate::episode_on(org, as_of)
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

fn undertakings(register: &Register, o: &BlockOptions, as_of: Date, caption: impl Fn(String) -> String) -> Generated {
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
                Cell::link(name, RecordKind::Organisation, &u.organisation),
                Cell::link(u.accepted.display_long(), RecordKind::Undertaking, &u.id),
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

/// The value of figure reference `reference` (a name of [`oversight_model::vocabulary::FIGURES`],
/// optionally with `| count`) in the census `c`, as a sentence shows it; `None` for a name
/// that is not a figure, or a form it does not have.
pub fn figure(c: &crate::Census, reference: &str) -> Option<String> {
    use oversight_model::vocabulary::COUNT_FORM;
    use oversight_syntax::markdown::figure_form;
    let (name, form) = figure_form(reference);
    let (n, one, many): (usize, &str, &str) = match name {
        "as_of" => return form.is_none().then(|| c.as_of.display_long()),
        "longest.organisation" => {
            return form.is_none().then(|| c.longest_current.as_ref().map_or("–".to_string(), |(o, _)| o.clone()));
        }
        // With no one in the programme there is no median, nor a longest, to state.
        "median_days" | "longest.days" => {
            let days =
                if name == "median_days" { c.median_days_current } else { c.longest_current.as_ref().map(|l| l.1) };
            let Some(days) = days else { return Some("–".to_string()) };
            (usize::try_from(days).unwrap_or(0), "day", "days")
        }
        "in_programme" => (c.in_programme(), "organisation", "organisations"),
        "in_programme.providers" => (c.providers, "NHS provider", "NHS providers"),
        "in_programme.icbs" => {
            let (one, many) = crate::system_nouns(c.as_of);
            (c.icbs, one, many)
        }
        "entries" => (c.entries, "entry", "entries"),
        "exits" => (c.exits, "exit", "exits"),
        "exited" => (c.organisations_exited, "organisation", "organisations"),
        "re_entered" => (c.organisations_reentered, "organisation", "organisations"),
        "re_entries" => (c.re_entries, "re-entry", "re-entries"),
        "exited_successfully" => (c.exits_successful, "exit", "exits"),
        _ => return None,
    };
    match form {
        None => Some(n.to_string()),
        Some(COUNT_FORM) => Some(count(n, one, many)),
        Some(_) => None,
    }
}

/// "is" or "are", for a count.
fn is_are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

/// The sentences board papers quote, computed from the census. Each names one programme, as
/// NHS England does: before NOF 2025/26 one sentence for everyone in the Recovery Support
/// Programme; from it, providers in the Provider Improvement Programme and ICBs in the RSP in
/// sentences of their own.
pub fn stats(register: &Register, as_of: Date) -> Vec<String> {
    let c = crate::census(register, as_of);
    let date = as_of.display_long();
    // Before 1 July 2022 the systems in the programme were integrated care systems, not boards.
    let systems = crate::count_systems(c.icbs, as_of);
    let providers = count(c.providers, "NHS provider", "NHS providers");
    let provider_programme = programme_at(OrgType::NhsTrust, as_of);
    let icb_programme = programme_at(OrgType::Icb, as_of);
    let one_programme = provider_programme == icb_programme;
    let mut sentences = if one_programme {
        vec![format!(
            "As at {date}, there {} {providers} and {systems} in the {}.",
            is_are(c.in_programme()),
            provider_programme.name
        )]
    } else {
        vec![
            format!("As at {date}, there {} {providers} in the {}.", is_are(c.providers), provider_programme.name),
            format!("There {} {systems} in the {}.", is_are(c.icbs), icb_programme.name),
        ]
    };
    // With one programme already named, "the programme"; with two, the one that launched.
    let launched = if one_programme { "the programme" } else { "the Recovery Support Programme" };
    let mut exited = format!(
        "Since {launched} launched on {}, {} {} exited",
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
    // Only where reasons are recorded: a count of successes among exits nobody explained
    // would understate them.
    if c.exits > c.exits_reason_unknown {
        let mut successful = format!(
            "{} of {} {} successful, approved by NHS England once the agreed exit criteria were met or on a CQC recommendation",
            c.exits_successful,
            count(c.exits, "exit", "exits"),
            if c.exits_successful == 1 { "was" } else { "were" },
        );
        if c.exits_reason_unknown > 0 {
            successful.push_str(&format!(" (the reason is not recorded for {})", c.exits_reason_unknown));
        }
        successful.push('.');
        sentences.push(successful);
    }
    if let Some(days) = c.median_days_current {
        sentences.push(format!("Organisations now in the programme have been in it for a median of {days} days."));
    }
    if let Some((name, days)) = &c.longest_current
        && c.in_programme() > 1
    {
        sentences.push(format!(
            "The longest in the programme is {name}, at {}.",
            count(usize::try_from(*days).unwrap_or(0), "day", "days")
        ));
    }
    sentences
}
