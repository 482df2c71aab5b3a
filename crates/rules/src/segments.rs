//! Segmentation rules (`OVS1xx`): segment values, the order of periods, and what each edition
//! allows for each type of organisation.

use super::{Checker, Rule};
use crate::editions::{EDITIONS, EditionId, ICBS_ESTABLISHED, edition, edition_at, editions_between};
use oversight_model::OrgType;
use oversight_model::kinds::RecordKind;
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static SEGMENT_OUT_OF_RANGE: Rule = Rule {
    code: Code {
        code: "OVS101",
        name: "segment-out-of-range",
        level: Level::Error,
        summary: "Segment value within the range of the edition in force at that date",
        explanation: "Each edition of the oversight framework defines its own segments: SOF 2016, SOF 2021/22 and NOF 2022/23 use segments 1 to 4; NOF 2025/26 (1 July 2025 to 30 June 2026) uses 1 to 5, segment 5 being the Provider Improvement Programme; NOF 2026/27 publishes segments 1 to 4 for providers and ICBs [S70], and a segment 5 under it is OVS107's warning, not this error. A period's segment is judged by the edition in force on its `from` date, whatever its `framework:` key says (a mismatched key is OVS106); a `from` given as a month is judged at the month's last day, so a source that says \"July 2025\" may mean a day under NOF 2025/26. A period before December 2016 has no edition at all. Source: NHS England, NHS oversight framework segmentation [S2]; NOF 2025/26 methodology manual [S15].",
        source: "[S2][S15][S70]",
        configurable: true,
    },
    check: Some(check_range),
};

pub(crate) static SEGMENT_PERIODS_ORDER: Rule = Rule {
    code: Code {
        code: "OVS102",
        name: "segment-periods-order",
        level: Level::Error,
        summary: "Segment periods of one organisation ordered, non-overlapping; `to` after `from`",
        explanation: "An organisation is in exactly one segment at a time. Its `segments:` list is its history, oldest first; each period runs from `from` to `to` inclusive, and only the last may be open (no `to`). A period that starts before the previous one ends would put the organisation in two segments at once. Gaps are allowed: they are history nobody recorded. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_order),
};

pub(crate) static ICB_SEGMENTED_UNDER_NOF_2025: Rule = Rule {
    code: Code {
        code: "OVS103",
        name: "icb-segmented-under-nof-2025-26",
        level: Level::Warning,
        summary: "ICB given a segment under NOF 2025/26",
        explanation: "The NHS Oversight Framework 2025/26 segments NHS trusts and foundation trusts only: integrated care boards are not segmented from 1 July 2025 to 30 June 2026. A segment period for an ICB with days under NOF 2025/26 is probably a provider's segment recorded on the wrong record, or a carried-over 2024/25 segment that should end on 30 June 2025. NOF 2026/27 segments ICBs again, from 1 July 2026 (the day is a setting: see docs/rules.md), so an ICB's segment from then is not reported. Sources: NOF 2025/26 methodology manual [S15]; NOF 2026/27 methodology manual [S70].",
        source: "[S15][S70]",
        configurable: true,
    },
    check: Some(check_icb_nof_2025),
};

pub(crate) static ICB_BEFORE_ICBS: Rule = Rule {
    code: Code {
        code: "OVS104",
        name: "icb-before-july-2022",
        level: Level::Note,
        summary: "ICB record dated before 1 July 2022 (the system was an ICS then)",
        explanation: "Integrated care boards were established on 1 July 2022, replacing clinical commissioning groups. Before that date a 'system' was a non-statutory integrated care system (ICS). A system that entered the RSP in 2021 and left as an ICB is one record, so earlier dates are legitimate; this note reminds readers that those dates refer to the ICS. Source: HFMA, oversight framework updated for system start [S8].",
        source: "[S8]",
        configurable: true,
    },
    check: Some(check_icb_before_icbs),
};

pub(crate) static FT_SEGMENT_WITHOUT_BREACH: Rule = Rule {
    code: Code {
        code: "OVS105",
        name: "ft-segment-without-breach",
        level: Level::Warning,
        summary: "Foundation trust in segment 3 or 4 (2021-2025 editions) with no licence breach recorded",
        explanation: "Under SOF 2021/22 and NOF 2022/23 a foundation trust is only placed in segment 3 or 4 where it is in breach, or suspected breach, of its provider licence. A period is judged under every edition it overlaps, so one open period from 2019 counts from July 2021. Record the breach with `licence_breach: true` on the organisation, or record the enforcement undertakings it gave: undertakings count only if they were in force during the period (accepted before it ended, not released before it began). Source: Lincolnshire Partnership NHS FT annual reports, oversight framework disclosure [S32].",
        source: "[S32]",
        configurable: true,
    },
    check: Some(check_ft_breach),
};

pub(crate) static FRAMEWORK_MISMATCH: Rule = Rule {
    code: Code {
        code: "OVS106",
        name: "framework-mismatch",
        level: Level::Warning,
        summary: "A period's `framework` is not the edition in force on its `from` date",
        explanation: "`framework:` on a segment period is optional because the edition follows from the date. When it is given and names another edition than the one in force on `from`, either the date or the edition is wrong. Edition dates: SOF 2016 December 2016 to 30 June 2021, SOF 2021/22 1 July 2021 to 30 June 2022, NOF 2022/23 1 July 2022 to 30 June 2025, NOF 2025/26 1 July 2025 to 30 June 2026, NOF 2026/27 from 1 July 2026 (a setting until NHS England confirms the day). Source: oversight-framework.md §1 [S2][S8][S14][S70].",
        source: "[S2][S8][S14][S70]",
        configurable: true,
    },
    check: Some(check_framework_mismatch),
};

pub(crate) static UNCONFIRMED_SEGMENT: Rule = Rule {
    code: Code {
        code: "OVS107",
        name: "segment-unconfirmed-by-edition",
        level: Level::Warning,
        summary: "Segment 5 under NOF 2026/27, which publishes segments 1 to 4",
        explanation: "The NHS Oversight Framework 2026/27 methodology manual scores each provider and ICB into a segment from 1 (high performer with a narrow range of challenges) to 4 (widespread poor performance and likely to require co-ordinated intervention). Whether an intensive-support segment 5, like NOF 2025/26's Provider Improvement Programme, remains under it is not yet published in a form this release can cite, so a segment 5 with days under NOF 2026/27 is kept and counted, with this warning, never an error: check it against NHS England's published segmentation, and re-level the rule in site.yaml once confirmed. A segment-5 period that began under NOF 2025/26 and is still open on 1 July 2026 is reported once. Source: NOF 2026/27 methodology manual [S70].",
        source: "[S70]",
        configurable: true,
    },
    check: Some(check_unconfirmed),
};

fn check_range(cx: &mut Checker) {
    for org in &cx.register.organisations {
        for (i, period) in org.segments.iter().enumerate() {
            let path = format!("segments[{i}].segment");
            // The edition in force on the date decides, not a `framework:` key (OVS106 checks
            // that). Segment ranges only widen, so a month is judged at its last day.
            let Some(ed) = edition_at(period.from.latest()) else {
                let d = SEGMENT_OUT_OF_RANGE
                    .at(
                        cx.value(org.file, &format!("segments[{i}].from")),
                        format!("no oversight framework was in force on {}", period.from),
                    )
                    .with_help(
                        "segmentation began with the Single Oversight Framework in December 2016; check the date",
                    );
                cx.report(d);
                continue;
            };
            // A segment the edition neither confirms nor rules out is OVS107's warning.
            let unconfirmed = ed.unconfirmed_segment.is_some_and(|(s, _)| s == period.segment);
            if !(1..=ed.max_segment).contains(&period.segment) && !unconfirmed {
                let d = SEGMENT_OUT_OF_RANGE
                    .at(
                        cx.value(org.file, &path),
                        format!(
                            "segment {} is outside {} (segments 1–{})",
                            period.segment, ed.short_name, ed.max_segment
                        ),
                    )
                    .with_help(if period.segment == 5 {
                        "segment 5 exists only from NOF 2025/26 (1 July 2025); before that the RSP was segment 4"
                            .to_string()
                    } else {
                        format!("use a segment from 1 to {}", ed.max_segment)
                    });
                cx.report(d);
            }
        }
    }
}

fn check_order(cx: &mut Checker) {
    for org in &cx.register.organisations {
        for (i, period) in org.segments.iter().enumerate() {
            if let Some(to) = period.to
                && to.surely_before(period.from)
            {
                let d = SEGMENT_PERIODS_ORDER
                    .at(
                        cx.value(org.file, &format!("segments[{i}].to")),
                        format!("period ends ({to}) before it starts ({})", period.from),
                    )
                    .with_label(cx.value(org.file, &format!("segments[{i}].from")), "starts here")
                    .with_help("`to` is the last day of the period, on or after `from`");
                cx.report(d);
            }
            let Some(previous) = i.checked_sub(1).map(|p| &org.segments[p]) else { continue };
            let here = cx.value(org.file, &format!("segments[{i}].from"));
            if period.from.surely_before(previous.from) {
                let d = SEGMENT_PERIODS_ORDER
                    .at(here, format!("period starting {} is listed after one starting {}", period.from, previous.from))
                    .with_label(
                        cx.value(org.file, &format!("segments[{}].from", i - 1)),
                        "the previous period starts here",
                    )
                    .with_help("list segment periods oldest first");
                cx.report(d);
            } else if previous.to.is_none_or(|to| !to.surely_before(period.from)) {
                let end = previous.to.map_or("open-ended".to_string(), |to| format!("running to {to}"));
                let d = SEGMENT_PERIODS_ORDER
                    .at(here, format!("period starting {} overlaps the previous period ({end})", period.from))
                    .with_label(cx.value(org.file, &format!("segments[{}]", i - 1)), "previous period")
                    .with_help(format!("end the previous period on {} at the latest", period.from.previous_day()));
                cx.report(d);
            }
        }
    }
}

fn check_icb_nof_2025(cx: &mut Checker) {
    // The editions that do not segment ICBs (NOF 2025/26 alone), with their last day.
    let unsegmented = EDITIONS.iter().filter(|e| !e.segments_icbs && e.start >= ICBS_ESTABLISHED);
    for ed in unsegmented {
        // Days are judged up to the as-of date, so an edition still in force ends there.
        let ed_end = ed.end.unwrap_or(cx.as_of);
        if cx.as_of < ed.start {
            continue;
        }
        for org in cx.register.organisations.iter().filter(|o| o.org_type == OrgType::Icb) {
            for (i, period) in org.segments.iter().enumerate() {
                // The days surely in the period, an open one running to the as-of date.
                let (first, last) = (period.from.latest(), period.to.map_or(cx.as_of, |to| to.earliest()));
                if first > ed_end || last < ed.start {
                    continue;
                }
                let (path, message) = if first >= ed.start {
                    (
                        format!("segments[{i}].segment"),
                        format!(
                            "ICB `{}` is given segment {} under {}, which does not segment ICBs",
                            org.id, period.segment, ed.short_name
                        ),
                    )
                } else {
                    // A period carried over from NOF 2022/23 into the edition with no ICB segments.
                    let path =
                        if period.to.is_some() { format!("segments[{i}].to") } else { format!("segments[{i}].from") };
                    let runs = period.to.map_or("is still open".to_string(), |to| format!("runs to {to}"));
                    (
                        path,
                        format!(
                            "ICB `{}`'s segment {} period from {} {runs}, into {}, which does not segment ICBs",
                            org.id, period.segment, period.from, ed.short_name
                        ),
                    )
                };
                let mut help = format!("end the ICB's segment period on {} at the latest", ed.start.previous_day());
                if let Some(end) = ed.end {
                    help.push_str(&format!("; segments from {} are fine", end.next_day()));
                }
                let d = ICB_SEGMENTED_UNDER_NOF_2025.at(cx.value(org.file, &path), message).with_help(help);
                cx.report(d);
            }
        }
    }
}

fn check_unconfirmed(cx: &mut Checker) {
    for org in &cx.register.organisations {
        for (i, period) in org.segments.iter().enumerate() {
            let (first, last) = (period.from.latest(), period.to.map_or(cx.as_of, |to| to.earliest()));
            let Some((ed, basis)) = editions_between(first, last)
                .find_map(|ed| ed.unconfirmed_segment.filter(|(s, _)| *s == period.segment).map(|(_, b)| (ed, b)))
            else {
                continue;
            };
            let since = first.max(ed.start);
            let d = UNCONFIRMED_SEGMENT
                .at(
                    cx.value(org.file, &format!("segments[{i}].segment")),
                    format!(
                        "segment {} from {} has days under {} (from {since}), which publishes segments 1 to {}",
                        period.segment, period.from, ed.short_name, ed.max_segment
                    ),
                )
                .with_help(format!(
                    "kept and counted: {}. Check it against NHS England's published segmentation",
                    basis.text()
                ));
            cx.report(d);
        }
    }
}

fn check_icb_before_icbs(cx: &mut Checker) {
    for org in cx.register.organisations.iter().filter(|o| o.org_type == OrgType::Icb) {
        // One note per organisation, at its earliest such date: the point is made once.
        let dates = org
            .segments
            .iter()
            .enumerate()
            .map(|(i, p)| (p.from, format!("segments[{i}].from")))
            .chain(org.rsp.iter().enumerate().map(|(i, e)| (e.entered, format!("rsp[{i}].entered"))));
        if let Some((date, path)) = dates.filter(|(d, _)| d.surely_before(ICBS_ESTABLISHED)).min_by_key(|(d, _)| *d) {
            let d = ICB_BEFORE_ICBS
                .at(
                    cx.value(org.file, &path),
                    format!(
                        "{date} is before ICBs were established (1 July 2022): `{}` was an integrated care system then",
                        org.id
                    ),
                )
                .with_help("no change needed if the record follows the system from ICS to ICB");
            cx.report(d);
        }
    }
}

fn check_ft_breach(cx: &mut Checker) {
    // Only SOF 2021/22 and NOF 2022/23 tie segments 3 and 4 to a licence breach [S32].
    let window = (edition(EditionId::Sof2021).start, edition(EditionId::Nof2022).end.expect("NOF 2022/23 has ended"));
    // The undertakings may be in a file that could not be read.
    if cx.register.is_incomplete(RecordKind::Undertaking) {
        return;
    }
    for org in cx.register.organisations.iter().filter(|o| o.org_type == OrgType::FoundationTrust) {
        if org.licence_breach {
            continue;
        }
        // The first segment-3 or 4 period with days under those editions (an open period runs to
        // the as-of date) when no undertakings were in force.
        let first = org.segments.iter().enumerate().find(|(_, p)| {
            let (first, last) = (p.from.max(window.0), p.to.unwrap_or(cx.as_of).min(window.1));
            matches!(p.segment, 3 | 4)
                && first <= last
                && !cx
                    .register
                    .undertakings_of(&org.id)
                    .any(|u| u.accepted.earliest() <= last && u.released.is_none_or(|r| r.latest() >= first))
        });
        if let Some((i, period)) = first {
            let d = FT_SEGMENT_WITHOUT_BREACH
                .at(cx.value(org.file, &format!("segments[{i}].segment")), format!("foundation trust `{}` is in segment {} from {} but no licence breach is recorded, and no undertakings were in force then", org.id, period.segment, period.from))
                .with_help("add `licence_breach: true` to the organisation, or record its enforcement undertakings in content/undertakings/");
            cx.report(d);
        }
    }
}

fn check_framework_mismatch(cx: &mut Checker) {
    for org in &cx.register.organisations {
        for (i, period) in org.segments.iter().enumerate() {
            let (Some(given), Some(in_force)) = (period.framework, edition_at(period.from)) else { continue };
            // A month may straddle two editions (July 2021, July 2022, July 2025): either will do.
            if !editions_between(period.from.earliest(), period.from.latest()).any(|e| e.id == given) {
                let d = FRAMEWORK_MISMATCH
                    .at(
                        cx.value(org.file, &format!("segments[{i}].framework")),
                        format!("`{given}` was not in force on {}; {} was", period.from, in_force.short_name),
                    )
                    .with_label(cx.value(org.file, &format!("segments[{i}].from")), "period starts here")
                    .with_help(format!(
                        "write `framework: {}` or remove the key to infer it from the date",
                        in_force.slug
                    ));
                cx.report(d);
            }
        }
    }
}
