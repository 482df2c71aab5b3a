//! The fourth step: what the register means, as at a date. It owns the timeline of the
//! register: events (RSP entry and exit, segment moves, undertakings,
//! support packages) and the as-of queries that board papers and the website quote — who is
//! in the programme on a date, how many have exited, time in the programme, and what changed
//! between two dates.
//!
//! It also owns the chart ([`svg`]), the episode table and its downloads ([`episodes`]), and
//! what generated blocks show ([`blocks`]).
//!
//! Pure functions over a checked [`Register`]: no I/O, no clock, no HTML or Typst. Every
//! figure a page or paper shows comes from here, so the site, the papers and
//! `oversight timeline` agree.

pub mod blocks;
pub mod episodes;
pub mod standing;
pub mod svg;

use std::collections::BTreeMap;

use serde::Serialize;

use oversight_model::{OrgType, Organisation, Register, RspEpisode};
use oversight_rules::editions::{ICBS_ESTABLISHED, RSP_LAUNCH, programme_at};
use oversight_syntax::date::Date;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// Left the programme (`exited`, the first day out). Sorted first on a shared date so a
    /// same-day exit and re-entry read in order.
    RspExited,
    RspEntered,
    /// Moved to a new segment (the first period of a history counts as a move from nothing).
    SegmentChanged,
    UndertakingsAccepted,
    UndertakingsVaried,
    UndertakingsReleased,
    SupportStarted,
    SupportEnded,
}

impl EventKind {
    /// How a changes list describes it.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::RspEntered => "Entered the RSP",
            EventKind::RspExited => "Exited the RSP",
            EventKind::SegmentChanged => "Segment change",
            EventKind::UndertakingsAccepted => "Undertakings accepted",
            EventKind::UndertakingsVaried => "Undertakings varied",
            EventKind::UndertakingsReleased => "Undertakings released",
            EventKind::SupportStarted => "Support package started",
            EventKind::SupportEnded => "Support package completed",
        }
    }
}

/// One dated event of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub date: Date,
    pub kind: EventKind,
    /// How a changes list names it: [`EventKind::label`], with the programme an entry or exit
    /// concerns named for the organisation's type and the date ("Exited the PIP").
    #[serde(skip)]
    pub label: String,
    /// The organisation's id.
    pub organisation: String,
    /// The record the event comes from: the organisation, support package or undertakings id.
    pub record: String,
    /// One line of detail: "segment 4 → 3", the package title, the undertakings summary.
    pub detail: String,
}

/// Every event of the register, in date order (then organisation, then kind).
pub fn events(register: &Register) -> Vec<Event> {
    events_on(register, |_| true)
}

/// Events dated after `since` and on or before `until`: "changes since the previous meeting".
pub fn changes_between(register: &Register, since: Date, until: Date) -> Vec<Event> {
    events_on(register, |date| since < date && date <= until)
}

/// The events of the register on the days `wanted` takes, in date order (then organisation,
/// then kind). A day is asked about before its event's text is made: a window of six months
/// makes a few of the thousands of events a large register has.
fn events_on(register: &Register, wanted: impl Fn(Date) -> bool) -> Vec<Event> {
    let mut events = Vec::new();
    let event = |date, kind: EventKind, org: &str, record: &str, detail: String| Event {
        date,
        kind,
        label: kind.label().to_string(),
        organisation: org.to_string(),
        record: record.to_string(),
        detail,
    };
    for org in &register.organisations {
        let mut previous: Option<u32> = None;
        for period in &org.segments {
            if previous != Some(period.segment) && wanted(period.from) {
                let detail = match previous {
                    Some(p) => format!("segment {p} → {}", period.segment),
                    None => format!("segment {}", period.segment),
                };
                events.push(event(period.from, EventKind::SegmentChanged, &org.id, &org.id, detail));
            }
            previous = Some(period.segment);
        }
        for episode in &org.rsp {
            if wanted(episode.entered) {
                let programme = programme_at(org.org_type, episode.entered).short;
                let mut entered =
                    event(episode.entered, EventKind::RspEntered, &org.id, &org.id, criteria_text(episode));
                entered.label = format!("Entered the {programme}");
                events.push(entered);
            }
            if let Some(exited) = episode.exited.filter(|&d| wanted(d)) {
                let mut detail = match segment_on(org, exited) {
                    Some(s) => format!("to segment {s}"),
                    None => String::new(),
                };
                if let Some(reason) = episode.exit_reason {
                    let reason = reason.name().to_lowercase();
                    detail = if detail.is_empty() { reason } else { format!("{detail} ({reason})") };
                }
                // The programme it left: the one of its last day in.
                let programme = programme_at(org.org_type, exited.previous_day()).short;
                let mut left = event(exited, EventKind::RspExited, &org.id, &org.id, detail);
                left.label = format!("Exited the {programme}");
                events.push(left);
            }
        }
    }
    for u in &register.undertakings {
        if wanted(u.accepted) {
            events.push(event(u.accepted, EventKind::UndertakingsAccepted, &u.organisation, &u.id, u.summary.clone()));
        }
        for v in u.variations.iter().filter(|v| wanted(v.date)) {
            events.push(event(v.date, EventKind::UndertakingsVaried, &u.organisation, &u.id, v.note.clone()));
        }
        if let Some(released) = u.released.filter(|&d| wanted(d)) {
            events.push(event(released, EventKind::UndertakingsReleased, &u.organisation, &u.id, u.summary.clone()));
        }
    }
    for s in &register.support {
        if wanted(s.start) {
            events.push(event(s.start, EventKind::SupportStarted, &s.organisation, &s.id, s.title.clone()));
        }
        if let Some(end) = s.end.filter(|&d| wanted(d)) {
            events.push(event(end, EventKind::SupportEnded, &s.organisation, &s.id, s.title.clone()));
        }
    }
    events.sort_by(|a, b| {
        (a.date, &a.organisation, a.kind, &a.record).cmp(&(b.date, &b.organisation, b.kind, &b.record))
    });
    events
}

/// The entry criteria of an episode as people read them, separated by semicolons.
pub fn criteria_text(episode: &RspEpisode) -> String {
    episode.criteria.iter().map(|c| c.name()).collect::<Vec<_>>().join("; ")
}

/// The segment an organisation was in on day `d`, if recorded.
pub fn segment_on(org: &Organisation, d: Date) -> Option<u32> {
    org.segments.iter().find(|p| p.covers(d)).map(|p| p.segment)
}

/// An organisation's segment on a day, or why it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentStatus {
    Segment(u32),
    /// An ICB under an edition that segments NHS trusts and foundation trusts only (NOF
    /// 2025/26): no segment is the framework, not missing data.
    NotSegmented,
    /// No segment period of the record covers the day.
    NotRecorded,
}

impl SegmentStatus {
    /// As a table cell: `3`, `Not segmented under NOF 2025/26`, `Not recorded`.
    pub fn short_text(self) -> String {
        match self {
            SegmentStatus::Segment(s) => s.to_string(),
            SegmentStatus::NotSegmented => "Not segmented under NOF 2025/26".into(),
            SegmentStatus::NotRecorded => "Not recorded".into(),
        }
    }

    /// As a sentence says it, with the reason for no segment.
    pub fn text(self) -> String {
        match self {
            SegmentStatus::NotSegmented => "Not segmented: ICBs are not segmented under NOF 2025/26".into(),
            other => other.short_text(),
        }
    }
}

/// [`SegmentStatus`] of an organisation on day `d`.
pub fn segment_status(org: &Organisation, d: Date) -> SegmentStatus {
    match segment_on(org, d) {
        Some(s) => SegmentStatus::Segment(s),
        None if org.org_type == OrgType::Icb
            && oversight_rules::editions::edition_at(d).is_some_and(|e| !e.segments_icbs) =>
        {
            SegmentStatus::NotSegmented
        }
        None => SegmentStatus::NotRecorded,
    }
}

/// The episode an organisation is in on day `d`, if any.
pub fn episode_on(org: &Organisation, d: Date) -> Option<&RspEpisode> {
    org.rsp.iter().find(|e| e.covers(d))
}

/// Organisations in the programme on day `d`, in register order.
pub fn in_programme(register: &Register, d: Date) -> Vec<&Organisation> {
    register.organisations.iter().filter(|o| episode_on(o, d).is_some()).collect()
}

/// Whole days an episode has run by `as_of`: the days d with entered ≤ d < exited and d ≤ as_of,
/// never counting a day before the programme launched on 13 July 2021 (an entry of "July
/// 2021" resolves to 1 July).
pub fn days_in_programme(episode: &RspEpisode, as_of: Date) -> i64 {
    let end = episode.exited.map_or(as_of.next_day(), |x| x.min(as_of.next_day()));
    episode.entered.max(RSP_LAUNCH).days_until(end).max(0)
}

/// Whether [`days_in_programme`] is an estimate: the entry, or an exit on or before `as_of`,
/// was given as a month, so the count is from and to the days those months resolve to.
pub fn days_are_approximate(episode: &RspEpisode, as_of: Date) -> bool {
    let month = |d: Date| d.precision() == oversight_syntax::date::Precision::Month;
    month(episode.entered) || episode.exited.is_some_and(|x| x <= as_of && month(x))
}

/// "1 exit", "2 exits": a count with its noun, in the singular for one. Every count a page,
/// paper or message states goes through here.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1 ICB", "2 ICBs" (or integrated care systems before July 2022): a count of systems.
pub fn count_systems(n: usize, d: Date) -> String {
    let (one, many) = system_nouns(d);
    count(n, one, many)
}

/// What the systems in the programme were called on `d` (one, many): integrated care systems
/// before ICBs were established on 1 July 2022, ICBs after.
pub fn system_nouns(d: Date) -> (&'static str, &'static str) {
    if d < ICBS_ESTABLISHED { ("integrated care system", "integrated care systems") } else { ("ICB", "ICBs") }
}

/// The programme as at one date: the figures board papers quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Census {
    pub as_of: Date,
    /// NHS trusts and foundation trusts in the programme.
    pub providers: usize,
    pub icbs: usize,
    pub by_type: BTreeMap<&'static str, usize>,
    pub by_region: BTreeMap<&'static str, usize>,
    /// Episodes entered on or before `as_of`.
    pub entries: usize,
    /// Exits on or before `as_of`.
    pub exits: usize,
    /// Distinct organisations that have exited at least once by `as_of`.
    pub organisations_exited: usize,
    /// Distinct organisations that entered again after an exit, by `as_of`.
    pub organisations_reentered: usize,
    /// Entries after an organisation's first (its second, third … episodes), by `as_of`.
    pub re_entries: usize,
    /// The median of the days in the programme of those in it on `as_of` (see [`median`]).
    pub median_days_current: Option<i64>,
    /// Exits on or before `as_of` whose `exit_reason` is a success: the agreed exit criteria
    /// met, or a CQC recommendation ([`oversight_model::ExitReason::is_success`]).
    pub exits_successful: usize,
    /// Exits on or before `as_of` that record no `exit_reason`.
    pub exits_reason_unknown: usize,
    /// Of those in the programme on `as_of`, the one in it longest, with its days (the first
    /// in register order on a tie).
    pub longest_current: Option<(String, i64)>,
}

impl Census {
    pub fn in_programme(&self) -> usize {
        self.providers + self.icbs
    }
}

/// Counts the programme as at `d`.
pub fn census(register: &Register, d: Date) -> Census {
    let current = in_programme(register, d);
    let mut by_type = BTreeMap::new();
    let mut by_region = BTreeMap::new();
    for org in &current {
        *by_type.entry(org.org_type.id()).or_insert(0) += 1;
        *by_region.entry(org.region.id()).or_insert(0) += 1;
    }
    // Each current organisation's days, once: the median and the longest both come from them.
    let current_days: Vec<(&Organisation, i64)> =
        current.iter().filter_map(|o| episode_on(o, d).map(|e| (*o, days_in_programme(e, d)))).collect();
    let mut days: Vec<i64> = current_days.iter().map(|(_, n)| *n).collect();
    days.sort_unstable();
    let all = register.organisations.iter().flat_map(|o| o.rsp.iter().map(move |e| (o, e)));
    let exited_by = |e: &RspEpisode| e.exited.is_some_and(|x| x <= d);
    // The first in register order on a tie: only a strictly longer one replaces it.
    let longest = current_days
        .iter()
        .fold(None::<(&Organisation, i64)>, |best, &(o, n)| match best {
            Some((_, most)) if n <= most => best,
            _ => Some((o, n)),
        })
        .map(|(o, n)| (o.name.clone(), n));
    let entries_by = |o: &Organisation| o.rsp.iter().filter(|e| e.entered <= d).count();
    Census {
        as_of: d,
        providers: current.iter().filter(|o| o.org_type.is_provider()).count(),
        icbs: current.iter().filter(|o| o.org_type == OrgType::Icb).count(),
        by_type,
        by_region,
        entries: all.clone().filter(|(_, e)| e.entered <= d).count(),
        exits: all.clone().filter(|(_, e)| exited_by(e)).count(),
        organisations_exited: register.organisations.iter().filter(|o| o.rsp.iter().any(exited_by)).count(),
        organisations_reentered: register.organisations.iter().filter(|o| entries_by(o) > 1).count(),
        re_entries: register.organisations.iter().map(|o| entries_by(o).saturating_sub(1)).sum(),
        median_days_current: median(&days),
        exits_successful: all
            .clone()
            .filter(|(_, e)| exited_by(e) && e.exit_reason.is_some_and(|r| r.is_success()))
            .count(),
        exits_reason_unknown: all.clone().filter(|(_, e)| exited_by(e) && e.exit_reason.is_none()).count(),
        longest_current: longest,
    }
}

/// The statistical median of whole-day counts sorted in ascending order, in whole days: the
/// middle value of an odd count, the mean of the two middle values of an even count, a half
/// day rounded up (10 and 21 days give 16). `None` for no values.
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2] + 1).div_euclid(2)),
    }
}
