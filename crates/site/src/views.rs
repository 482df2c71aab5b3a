//! What the templates see: plain, serializable views of records, with dates formatted and
//! links made, so templates only lay things out. Every figure comes from the register through
//! [`oversight_analysis`].

use serde::Serialize;

use oversight_analysis::{self, Event};
use oversight_model::kinds::RecordKind;
use oversight_model::links::Target;
use oversight_model::urls::Urls;
use oversight_model::{Organisation, Page, Register, RspEpisode, SupportPackage, Undertaking};
use oversight_syntax::date::Date;
use oversight_syntax::hash::Map;

/// A link: text and URL.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub text: String,
    pub url: String,
}

pub(crate) use oversight_syntax::date::DateView;

fn date(d: Option<Date>) -> Option<DateView> {
    d.map(DateView::from)
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgRow {
    pub id: String,
    pub url: String,
    pub name: String,
    pub short_name: Option<String>,
    pub type_name: &'static str,
    pub region: &'static str,
    /// The segment on the as-of date, if recorded.
    pub segment: Option<u32>,
    /// The segment, or why there is none, for a table cell ("Not segmented under NOF 2025/26")
    /// and in full
    /// ("Not segmented: ICBs are not segmented under NOF 2025/26").
    pub segment_short: String,
    pub segment_text: String,
    /// False when no segment is recorded for the day (shown muted, as missing data).
    pub recorded: bool,
    pub in_programme: bool,
    /// "In the programme since 4 November 2024", "Exited 25 April 2022", "Not yet in the programme"
    /// (it enters after the as-of date), "Never in the programme".
    pub status: String,
    /// Days in the current episode, if in the programme.
    pub days: Option<i64>,
    pub entered: Option<DateView>,
}

pub fn org_row(org: &Organisation, urls: &Urls, as_of: Date) -> OrgRow {
    let current = oversight_analysis::episode_on(org, as_of);
    let segment = oversight_analysis::segment_status(org, as_of);
    let last_exit = org.rsp.iter().filter_map(|e| e.exited).filter(|x| *x <= as_of).max();
    let status = match (current, last_exit) {
        (Some(e), _) => format!("In the programme since {}", e.entered.display_long()),
        (None, Some(x)) => format!("Exited {}", x.display_long()),
        // An organisation that enters after the as-of date is not yet in it: "never" would
        // contradict the timeline on a past as-of date.
        (None, None) if org.rsp.iter().any(|e| e.entered > as_of) => "Not yet in the programme".to_string(),
        (None, None) => "Never in the programme".to_string(),
    };
    OrgRow {
        id: org.id.clone(),
        url: urls.target(&Target::Record(RecordKind::Organisation, org.id.clone())),
        name: org.name.clone(),
        short_name: org.short_name.clone(),
        type_name: org.org_type.name(),
        region: org.region.name(),
        segment: oversight_analysis::segment_on(org, as_of),
        segment_short: segment.short_text(),
        segment_text: segment.text(),
        recorded: !matches!(segment, oversight_analysis::SegmentStatus::NotRecorded),
        in_programme: current.is_some(),
        status,
        days: current.map(|e| oversight_analysis::days_in_programme(e, as_of)),
        entered: current.map(|e| e.entered.into()),
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SegmentView {
    pub segment: u32,
    pub from: DateView,
    pub to: Option<DateView>,
    pub framework: &'static str,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CriterionView {
    pub text: String,
    pub met: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EpisodeView {
    pub entered: DateView,
    pub exited: Option<DateView>,
    pub days: i64,
    pub criteria: Vec<&'static str>,
    pub route: Option<&'static str>,
    pub improvement_director: Option<String>,
    pub diagnostic_completed: Option<DateView>,
    pub exit_criteria: Vec<CriterionView>,
    pub met: usize,
    pub transition_support: Option<String>,
    pub note: Option<String>,
    pub segment_after_exit: Option<u32>,
    /// The programme the episode was in, named for the organisation's type: "Recovery Support
    /// Programme", or "Recovery Support Programme, then Provider Improvement Programme" for a
    /// provider's episode that ran on past 30 June 2025.
    pub programme: String,
    /// Why it ended, once it has, if recorded.
    pub exit_reason: Option<&'static str>,
    /// `days` counts from or to a month given without a day: an estimate.
    pub days_approximate: bool,
}

fn episode_view(org: &Organisation, e: &RspEpisode, as_of: Date) -> EpisodeView {
    let exited = e.exited.filter(|x| *x <= as_of);
    EpisodeView {
        entered: e.entered.into(),
        exited: date(exited),
        days: oversight_analysis::days_in_programme(e, as_of),
        criteria: e.criteria.iter().map(|c| c.name()).collect(),
        route: e.route.map(|r| match r {
            oversight_model::EntryRoute::TransferFromSpecialMeasures => "Transferred from special measures",
            oversight_model::EntryRoute::NewEntry => "New entry",
        }),
        improvement_director: e.improvement_director.clone(),
        diagnostic_completed: date(e.diagnostic_completed.filter(|d| *d <= as_of)),
        exit_criteria: e
            .exit_criteria
            .iter()
            .map(|c| CriterionView { text: c.text.clone(), met: date(c.met.filter(|m| *m <= as_of)) })
            .collect(),
        met: e.exit_criteria.iter().filter(|c| c.met.is_some_and(|m| m <= as_of)).count(),
        transition_support: exited.and(e.transition_support.clone()),
        note: e.note.clone(),
        segment_after_exit: exited.and_then(|x| oversight_analysis::segment_on(org, x)),
        programme: episode_programme(org, e, as_of),
        exit_reason: exited.and(e.exit_reason).map(|r| r.name()),
        days_approximate: oversight_analysis::days_are_approximate(e, as_of),
    }
}

/// The programmes an episode was in from entry to its last day in view, in order.
fn episode_programme(org: &Organisation, e: &RspEpisode, as_of: Date) -> String {
    use oversight_rules::editions::programme_at;
    let last = e.exited.filter(|x| *x <= as_of).map_or(as_of, |x| x.previous_day()).max(e.entered);
    let (first, then) = (programme_at(org.org_type, e.entered), programme_at(org.org_type, last));
    if first == then { first.name.to_string() } else { format!("{}, then {}", first.name, then.name) }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SupportRow {
    pub url: String,
    pub title: String,
    pub kind: &'static str,
    pub organisation: LinkView,
    pub start: DateView,
    pub end: Option<DateView>,
    pub status: &'static str,
    pub provider: Option<String>,
    pub funding: Option<String>,
}

pub(crate) fn support_row(s: &SupportPackage, register: &Register, urls: &Urls) -> SupportRow {
    SupportRow {
        url: urls.target(&Target::Record(RecordKind::Support, s.id.clone())),
        title: s.title.clone(),
        kind: s.kind.name(),
        organisation: org_link(register, &s.organisation, urls),
        start: s.start.into(),
        end: date(s.end),
        status: s.status.name(),
        provider: s.provider.clone(),
        funding: s.funding_gbp.map(pounds),
    }
}

/// £250,000
pub(crate) fn pounds(n: u64) -> String {
    format!("£{}", thousands(n))
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UndertakingRow {
    pub url: String,
    pub organisation: LinkView,
    pub regulator: &'static str,
    pub accepted: DateView,
    pub legal_basis: &'static str,
    pub breaches: Vec<String>,
    pub summary: String,
    pub status: String,
    pub items: Vec<UndertakingItemView>,
    pub variations: Vec<VariationView>,
    pub released: Option<DateView>,
    pub document_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UndertakingItemView {
    pub number: String,
    pub text: String,
    pub due: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct VariationView {
    pub date: DateView,
    pub note: String,
}

pub(crate) fn undertaking_row(u: &Undertaking, register: &Register, urls: &Urls, as_of: Date) -> UndertakingRow {
    let released = u.released.filter(|r| *r <= as_of);
    let varied = u.variations.iter().map(|v| v.date).filter(|d| *d <= as_of).max();
    UndertakingRow {
        url: urls.target(&Target::Record(RecordKind::Undertaking, u.id.clone())),
        organisation: org_link(register, &u.organisation, urls),
        regulator: u.regulator.name(),
        accepted: u.accepted.into(),
        legal_basis: u.legal_basis.name(),
        breaches: u.breaches.clone(),
        summary: u.summary.clone(),
        status: match (released, varied) {
            (Some(r), _) => format!("Released {}", r.display_long()),
            (None, Some(v)) => format!("In force (varied {})", v.display_long()),
            (None, None) => "In force".to_string(),
        },
        items: u
            .undertakings
            .iter()
            .map(|i| UndertakingItemView { number: i.number.to_string(), text: i.text.clone(), due: date(i.due) })
            .collect(),
        variations: u.variations.iter().map(|v| VariationView { date: v.date.into(), note: v.note.clone() }).collect(),
        released: date(released),
        document_url: u.document_url.clone().filter(|url| is_web_url(url)),
    }
}

/// Only http(s) links from records reach a page's `href`; anything else is shown as text.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRow {
    pub url: String,
    pub title: String,
    pub date: DateView,
    pub summary: Option<String>,
    pub organisation: Option<LinkView>,
    pub draft: bool,
}

pub(crate) fn page_row(p: &Page, register: &Register, urls: &Urls) -> PageRow {
    PageRow {
        url: urls.target(&Target::Record(RecordKind::Page, p.id.clone())),
        title: p.title.clone(),
        date: p.date.into(),
        summary: p.summary.clone(),
        organisation: p.organisation.as_ref().map(|o| org_link(register, o, urls)),
        draft: p.draft,
    }
}

/// The navigation of one page of a paginated listing, as GOV.UK's pagination component has it:
/// previous and next, the first and last pages, and the pages either side of this one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct PagerView {
    pub number: usize,
    pub count: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The page links in order; `None` stands for pages left out ("…").
    pub items: Vec<Option<PagerItem>>,
    /// "1 to 50 of 10,000": the items on this page, by position in the whole listing.
    pub showing: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct PagerItem {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// Page `number` of `count`; `items` is (how many come before this page, how many are on it,
/// how many in all); `url` gives each page's URL.
pub(crate) fn pager(
    number: usize,
    count: usize,
    items: (usize, usize, usize),
    url: impl Fn(usize) -> String,
) -> PagerView {
    let (before, here, total) = items;
    let mut shown: Vec<usize> = [1, number.saturating_sub(1), number, number + 1, count]
        .into_iter()
        .filter(|n| (1..=count).contains(n))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut links = Vec::new();
    for (i, &n) in shown.iter().enumerate() {
        if i > 0 && n > shown[i - 1] + 1 {
            links.push(None);
        }
        links.push(Some(PagerItem { number: n, url: url(n), current: n == number }));
    }
    let showing = match here {
        0 => format!("0 of {}", thousands(total as u64)),
        _ => format!(
            "{} to {} of {}",
            thousands((before + 1) as u64),
            thousands((before + here) as u64),
            thousands(total as u64)
        ),
    };
    PagerView {
        number,
        count,
        previous: (number > 1).then(|| url(number - 1)),
        next: (number < count).then(|| url(number + 1)),
        items: links,
        showing,
    }
}

/// A count as the NHS style guide writes it: 950, 1,200, 10,000.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file's size as GOV.UK writes it beside a download link: "812 bytes", "45 KB", "1.2 MB".
pub(crate) fn file_size(bytes: usize) -> String {
    const KB: usize = 1024;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < KB * KB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{:.1} MB", b as f64 / (KB * KB) as f64),
    }
}

pub(crate) fn org_link(register: &Register, id: &str, urls: &Urls) -> LinkView {
    LinkView {
        text: register.organisation(id).map_or(id.to_string(), |o| o.name.clone()),
        url: urls.target(&Target::Record(RecordKind::Organisation, id.to_string())),
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    pub title: String,
    pub url: Option<String>,
    pub date: Option<DateView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrgView {
    #[serde(flatten)]
    pub row: OrgRow,
    pub ods_code: Option<String>,
    pub system: Option<LinkView>,
    pub members: Vec<LinkView>,
    pub services: Vec<&'static str>,
    pub licence_breach: bool,
    pub segments: Vec<SegmentView>,
    pub episodes: Vec<EpisodeView>,
    /// The organisation it merged into, and when (once that day has come).
    pub merged_into: Option<MergerView>,
    /// The organisations that merged to form it, from either record's side.
    pub merged_from: Vec<MergerView>,
    pub support: Vec<SupportRow>,
    pub undertakings: Vec<UndertakingRow>,
    pub pages: Vec<PageRow>,
    pub sources: Vec<SourceView>,
}

/// One side of a merger, as an organisation's page links it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MergerView {
    pub organisation: LinkView,
    pub date: DateView,
}

/// What an organisation's page lists from other records: its members (for a system), its
/// support packages and undertakings, and the published pages about it, in register order
/// (pages newest first).
#[derive(Default)]
pub(crate) struct Related<'a> {
    pub members: Vec<&'a Organisation>,
    /// Organisations whose `merged_into` names this one.
    pub predecessors: Vec<&'a Organisation>,
    pub support: Vec<&'a SupportPackage>,
    pub undertakings: Vec<&'a Undertaking>,
    pub pages: Vec<&'a Page>,
}

impl<'a> Related<'a> {
    /// Every organisation's related records, in one pass over the register, so that the
    /// organisation pages together read each record once rather than once each.
    /// `about` is [`pages_about`] of `pages`.
    pub(crate) fn index(register: &'a Register, pages: &[&'a Page], about: &'a About) -> Map<&'a str, Related<'a>> {
        let mut index: Map<&str, Related> =
            Map::with_capacity_and_hasher(register.organisations.len(), Default::default());
        for o in &register.organisations {
            if let Some(system) = o.system.as_deref() {
                index.entry(system).or_default().members.push(o);
            }
            if let Some(into) = &o.merged_into {
                index.entry(&into.organisation).or_default().predecessors.push(o);
            }
        }
        for s in &register.support {
            index.entry(&s.organisation).or_default().support.push(s);
        }
        for u in &register.undertakings {
            index.entry(&u.organisation).or_default().undertakings.push(u);
        }
        for (org, positions) in about {
            index.entry(org).or_default().pages.extend(positions.iter().map(|&i| pages[i]));
        }
        index
    }
}

/// The pages about each organisation (their `organisation`), as positions in a list of pages,
/// in its order: `serve` keeps it while no page's front matter changes.
pub(crate) type About = Vec<(String, Vec<usize>)>;

/// [`About`] of `pages`.
pub(crate) fn pages_about(pages: &[&Page]) -> About {
    let mut slots: Map<&str, usize> = Map::default();
    let mut about: About = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(org) = page.organisation.as_deref() else { continue };
        let slot = *slots.entry(org).or_insert_with(|| {
            about.push((org.to_string(), Vec::new()));
            about.len() - 1
        });
        about[slot].1.push(i);
    }
    about
}

pub(crate) fn org_view(
    org: &Organisation,
    register: &Register,
    urls: &Urls,
    as_of: Date,
    related: &Related,
) -> OrgView {
    use oversight_model::Service;
    OrgView {
        row: org_row(org, urls, as_of),
        ods_code: org.ods_code.clone(),
        system: org.system.as_ref().map(|s| org_link(register, s, urls)),
        members: related.members.iter().map(|o| org_link(register, &o.id, urls)).collect(),
        services: org
            .services
            .iter()
            .map(|s| match s {
                Service::Acute => "Acute",
                Service::MentalHealth => "Mental health",
                Service::Community => "Community",
                Service::Ambulance => "Ambulance",
                Service::Specialist => "Specialist",
            })
            .collect(),
        licence_breach: org.licence_breach,
        segments: org
            .segments
            .iter()
            .filter(|p| p.from <= as_of)
            .map(|p| SegmentView {
                segment: p.segment,
                from: p.from.into(),
                to: date(p.to.filter(|t| *t < as_of)),
                framework: p
                    .framework
                    .map(oversight_rules::editions::edition)
                    .or_else(|| oversight_rules::editions::edition_at(p.from))
                    .map_or("", |e| e.short_name),
                note: p.note.clone(),
            })
            .collect(),
        episodes: org.rsp.iter().filter(|e| e.entered <= as_of).map(|e| episode_view(org, e, as_of)).collect(),
        merged_into: org
            .merged_into
            .as_ref()
            .filter(|m| m.date <= as_of)
            .map(|m| MergerView { organisation: org_link(register, &m.organisation, urls), date: m.date.into() }),
        merged_from: {
            // Both records may say it; each predecessor is listed once, with its own record's day.
            let mut from: Vec<(&str, Date)> = related
                .predecessors
                .iter()
                .filter_map(|p| p.merged_into.as_ref().map(|m| (p.id.as_str(), m.date)))
                .collect();
            for m in &org.merged_from {
                if !from.iter().any(|(id, _)| *id == m.organisation) {
                    from.push((&m.organisation, m.date));
                }
            }
            from.into_iter()
                .filter(|(_, d)| *d <= as_of)
                .map(|(id, d)| MergerView { organisation: org_link(register, id, urls), date: d.into() })
                .collect()
        },
        support: related.support.iter().map(|s| support_row(s, register, urls)).collect(),
        undertakings: related.undertakings.iter().map(|u| undertaking_row(u, register, urls, as_of)).collect(),
        pages: related.pages.iter().map(|p| page_row(p, register, urls)).collect(),
        sources: org
            .sources
            .iter()
            .map(|s| SourceView {
                title: s.title.clone(),
                url: s.url.clone().filter(|u| is_web_url(u)),
                date: date(s.date),
            })
            .collect(),
    }
}

/// One row of a changes list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeView {
    pub date: DateView,
    pub organisation: LinkView,
    pub change: String,
    pub detail: String,
}

pub(crate) fn change_view(e: &Event, register: &Register, urls: &Urls) -> ChangeView {
    ChangeView {
        date: e.date.into(),
        organisation: org_link(register, &e.organisation, urls),
        change: e.label.clone(),
        detail: e.detail.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes() {
        assert_eq!(file_size(812), "812 bytes");
        assert_eq!(file_size(45 * 1024 - 10), "45 KB");
        assert_eq!(file_size(1_300_000), "1.2 MB");
    }

    fn numbers(view: &PagerView) -> Vec<Option<usize>> {
        view.items.iter().map(|i| i.as_ref().map(|i| i.number)).collect()
    }

    #[test]
    fn a_pager_shows_the_ends_and_the_neighbours_with_gaps_between() {
        let url = |n: usize| format!("/p/{n}/");
        let middle = pager(5, 9, (200, 50, 420), url);
        assert_eq!(numbers(&middle), [Some(1), None, Some(4), Some(5), Some(6), None, Some(9)]);
        assert_eq!(middle.previous.as_deref(), Some("/p/4/"));
        assert_eq!(middle.next.as_deref(), Some("/p/6/"));
        assert!(middle.items.iter().flatten().filter(|i| i.current).all(|i| i.number == 5));
        assert_eq!(middle.showing, "201 to 250 of 420");

        let first = pager(1, 3, (0, 50, 120), url);
        assert_eq!(numbers(&first), [Some(1), Some(2), Some(3)]);
        assert_eq!((first.previous, first.next.as_deref()), (None, Some("/p/2/")));

        let last = pager(3, 3, (100, 20, 120), url);
        assert_eq!(last.next, None);
        assert_eq!(last.showing, "101 to 120 of 120");

        let empty = pager(1, 1, (0, 0, 0), url);
        assert_eq!(numbers(&empty), [Some(1)]);
        assert_eq!(empty.showing, "0 of 0");
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (10000, "10,000"), (1234567, "1,234,567")];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
    }
}
