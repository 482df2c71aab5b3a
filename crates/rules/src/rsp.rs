//! Recovery Support Programme rules (`OVS2xx`): entry, segment, exit and duration of episodes.

use super::{Checker, Rule};
use crate::editions::{EditionId, RSP_LAUNCH, edition_at, editions_between};
use oversight_model::kinds::RecordKind;
use oversight_model::{EntryCriterion, ExitReason, OrgType, RspEpisode, SupportKind};
use oversight_syntax::date::{Date, Precision};
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static OUTSIDE_PROGRAMME_SEGMENT: Rule = Rule {
    code: Code {
        code: "OVS201",
        name: "rsp-outside-programme-segment",
        level: Level::Error,
        summary: "RSP episode only while the organisation is in segment 4 (segment 5 under NOF 2025/26)",
        explanation: "The Recovery Support Programme is segment 4 of SOF 2021/22 and NOF 2022/23; under NOF 2025/26 its successor, the Provider Improvement Programme, is segment 5. Every segment period recorded during an episode (entered up to the day before exited) must therefore be the programme segment of the edition in force; under NOF 2026/27, whose intensive-support segment is not yet published in a form this release can cite, segment 4 or 5 (a setting: docs/rules.md). Only the days surely in both are judged: an episode `entered: 2022-11` may have begun on any day of November, so a segment-4 period from 15 November does not break the rule. Periods not recorded are not judged, and ICBs are not judged under NOF 2025/26, which does not segment them. Segment 4 during a provider's episode under NOF 2025/26 is reported separately as OVS212, a warning. Sources: NHS England segmentation [S2]; RSP board paper [S3]; NOF 2025/26 manual [S15]; NOF 2026/27 manual [S70].",
        source: "[S2][S3][S15][S70]",
        configurable: true,
    },
    check: Some(check_segment),
};

pub(crate) static ENTRY_BEFORE_LAUNCH: Rule = Rule {
    code: Code {
        code: "OVS202",
        name: "rsp-entry-before-launch",
        level: Level::Error,
        summary: "RSP entry date not before 13 July 2021",
        explanation: "The Recovery Support Programme was launched on 13 July 2021, replacing quality and financial special measures. Intensive support before that date was special measures, not the RSP. Trusts already in special measures were transferred into the RSP: record their episode from 13 July 2021 (or later) with `route: transfer-from-special-measures`. An entry given as a month (`2021-07`) is an error only if the whole month is before the launch: a source that says \"since July 2021\" may mean any day of it. Source: NHS England RSP launch notice [S1].",
        source: "[S1]",
        configurable: true,
    },
    check: Some(check_launch),
};

pub(crate) static NO_ENTRY_CRITERIA: Rule = Rule {
    code: Code {
        code: "OVS203",
        name: "rsp-entry-criteria-missing",
        level: Level::Error,
        summary: "RSP entry names at least one segment-4 criterion",
        explanation: "Entry to the RSP requires the segment 3 criteria to be met and at least one segment 4 criterion: longstanding-complex-issues, catastrophic-safety-failure, leadership-governance-failure, financial-deficit, or cqc-recommendation (providers only). Record the criteria the decision rested on in `criteria:`. Source: NHS England Board paper, Update on the RSP, 5 December 2024 [S3].",
        source: "[S3]",
        configurable: true,
    },
    check: Some(check_criteria),
};

pub(crate) static CQC_RECOMMENDATION_ON_ICB: Rule = Rule {
    code: Code {
        code: "OVS204",
        name: "cqc-recommendation-on-icb",
        level: Level::Error,
        summary: "`cqc-recommendation` entry criterion on an ICB",
        explanation: "A Care Quality Commission recommendation is an RSP entry criterion for NHS trusts and foundation trusts only: the CQC does not inspect and rate ICBs in a way that triggers RSP entry. An ICB's entry rests on one of the other criteria. Source: NHS England Board paper, Update on the RSP [S3].",
        source: "[S3]",
        configurable: true,
    },
    check: Some(check_cqc_on_icb),
};

pub(crate) static EXIT_NOT_TO_SEGMENT_3: Rule = Rule {
    code: Code {
        code: "OVS205",
        name: "exit-not-to-segment-3",
        level: Level::Warning,
        summary: "On RSP exit the next segment is 3 (under NOF 2025/26, below 5)",
        explanation: "Under SOF 2021/22 and NOF 2022/23 an organisation that exits the RSP moves to segment 3 (mandated support) with a transition plan. `exited` is the first day out of the programme, so the segment period covering that day should be segment 3: an exit on 2022-03-16 pairs with a segment-4 period ending 2022-03-15 and a segment-3 period from 2022-03-16. Under NOF 2025/26 a provider leaving segment 5 (the Provider Improvement Programme) takes the segment its scores give, normally 4, so any segment from 1 to 4 passes; ICBs are not segmented then, and are not judged. Under NOF 2026/27 any segment from 1 to 4 passes (a setting). An exit month (`2022-03`) passes if a segment that fits covers any day of it, and an exit on the day the organisation enters again (a same-day re-entry) is not an exit from intensive support, so it is not judged. Sources: RSP board paper [S3]; QEH King's Lynn [S36]; NSFT [S42]; NOF 2025/26 manual [S15].",
        source: "[S3][S36][S42][S15]",
        configurable: true,
    },
    check: Some(check_exit_segment),
};

pub(crate) static EXIT_WITH_UNMET_CRITERIA: Rule = Rule {
    code: Code {
        code: "OVS206",
        name: "exit-with-unmet-criteria",
        level: Level::Warning,
        summary: "Exit recorded while an agreed exit criterion is not met",
        explanation: "To exit the RSP an organisation must show that its agreed exit criteria are met; NHS England then approves the exit nationally. An episode with `exited` therefore needs a `met` date on or before the exit for every exit criterion. Either a `met` date is missing, or the exit date is wrong. It is a warning, not an error: the exit is NHS England's decision, and a register must be able to record one made with a criterion outstanding (on a CQC recommendation, say: record `exit_reason:`). Sources: RSP board paper [S3]; NUH mandated intensive support [S34].",
        source: "[S3][S34]",
        configurable: true,
    },
    check: Some(check_exit_criteria_met),
};

pub(crate) static EXIT_WITHOUT_TRANSITION: Rule = Rule {
    code: Code {
        code: "OVS207",
        name: "exit-without-transition-support",
        level: Level::Warning,
        summary: "Exit without a recorded transitional support package or transition plan",
        explanation: "On exit NHS England weighs a post-exit (transitional) support package and the organisation moves to segment 3 with a transition plan. Record it as `transition_support:` on the episode, or as a support package of kind `transitional-recovery-support` starting on or after the exit. Sources: RSP board paper [S3]; NUH [S34].",
        source: "[S3][S34]",
        configurable: true,
    },
    check: Some(check_transition),
};

pub(crate) static NO_EXIT_CRITERIA: Rule = Rule {
    code: Code {
        code: "OVS208",
        name: "no-exit-criteria",
        level: Level::Warning,
        summary: "No exit criteria recorded for an open episode older than 6 months (a setting)",
        explanation: "Exit criteria are agreed after entry, informed by the diagnostic stocktake [S3][S46], so an open episode should have them once it has run a while. The sources give no number of months: the threshold is a setting of this tool, `thresholds.exit_criteria_months` in site.yaml (default 6). Only episodes open at the as-of date are judged (a closed historical episode's criteria may simply not have been published), and an entry given as a month counts from its last day. Record them under `exit_criteria:` with an id, the text and, once met, the date met. Sources: RSP board paper [S3]; Lancashire and South Cumbria ICB [S46].",
        source: "[S3][S46]",
        configurable: true,
    },
    check: Some(check_exit_criteria_present),
};

pub(crate) static NO_IMPROVEMENT_DIRECTOR: Rule = Rule {
    code: Code {
        code: "OVS209",
        name: "no-improvement-director",
        level: Level::Warning,
        summary: "No improvement director recorded for an open episode",
        explanation: "Oversight and challenge in the RSP includes an NHS England improvement director assigned to the organisation. Record their name in `improvement_director:`. Only episodes open at the as-of date are judged: a closed episode's director is history that may not have been published. Source: RSP board paper, the five strands [S3].",
        source: "[S3]",
        configurable: true,
    },
    check: Some(check_director),
};

pub(crate) static EPISODE_OVER_THREE_YEARS: Rule = Rule {
    code: Code {
        code: "OVS210",
        name: "episode-over-three-years",
        level: Level::Warning,
        summary: "Episode open longer than 3 years (a setting)",
        explanation: "The RSP is time-limited [S3]; special-measures practice aimed for 12 to 18 months [S31]. Neither gives a limit, so the threshold is a setting of this tool, `thresholds.episode_months` in site.yaml (default 36). An episode still open at the as-of date that has run longer is worth a look: either a missing exit, or a case that needs escalation. Closed episodes are history and are not judged; an entry given as a month counts from its last day, so the days stated are at least that many. Sources: RSP board paper [S3]; HSJ on time in special measures [S31].",
        source: "[S3][S31]",
        configurable: true,
    },
    check: Some(check_duration),
};

pub(crate) static EPISODE_DATES_ORDER: Rule = Rule {
    code: Code {
        code: "OVS211",
        name: "rsp-dates-out-of-order",
        level: Level::Error,
        summary: "RSP episodes ordered and non-overlapping; exit, diagnostic and criteria dates after entry",
        explanation: "An organisation is in the programme at most once at a time, so its episodes are listed oldest first and each exits before the next enters. Within an episode, `exited` comes after `entered`, and the diagnostic stocktake and exit criteria cannot be completed or met before the organisation entered. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_dates),
};

pub(crate) static SEGMENT_4_UNDER_NOF_2025: Rule = Rule {
    code: Code {
        code: "OVS212",
        name: "rsp-segment-4-under-nof-2025-26",
        level: Level::Warning,
        summary: "Segment 4 during a provider's programme episode under NOF 2025/26 (the programme segment is 5)",
        explanation: "Under NOF 2025/26 the intensive programme for providers is segment 5, the Provider Improvement Programme, which only some segment-4 providers enter, by their region's decision using their capability rating. Many sources still say 'RSP' and 'segment 4' after July 2025, so a segment-4 period during a provider's episode under that edition is tolerated with this warning rather than an error: either the region moved the provider into the PIP (record segment 5 from that day) or it left intensive support (record `exited`). A period is judged under every edition it overlaps: one segment-4 period that began in 2024 and is still open in July 2025 gets this warning. ICBs are not segmented under NOF 2025/26 and are never in the Provider Improvement Programme, so this rule does not apply to them. Source: NOF 2025/26 manual [S15].",
        source: "[S15]",
        configurable: true,
    },
    check: None,
};

pub(crate) static SEGMENT_WITHOUT_EPISODE: Rule = Rule {
    code: Code {
        code: "OVS213",
        name: "programme-segment-without-episode",
        level: Level::Warning,
        summary: "Segment 4 (2021–25) or segment 5 (NOF 2025/26) with no programme episode recorded",
        explanation: "Under SOF 2021/22 and NOF 2022/23 segment 4 is the Recovery Support Programme, and under NOF 2025/26 segment 5 is the Provider Improvement Programme: an organisation in that segment is in the programme. Every figure counts episodes (`rsp:`), not segments, so a programme-segment period with no episode covering it leaves the organisation out of every count, silently. Record the episode, or correct the segment. Only days surely in the period and surely outside every episode are judged, from the programme's launch on 13 July 2021; NOF 2026/27 is not judged, since its intensive-support segment is a setting (docs/rules.md). Sources: NHS England segmentation [S2]; RSP board paper [S3]; NOF 2025/26 manual [S15].",
        source: "[S2][S3][S15]",
        configurable: true,
    },
    check: Some(check_segment_without_episode),
};

pub(crate) static MERGER_INCONSISTENT: Rule = Rule {
    code: Code {
        code: "OVS214",
        name: "merger-inconsistent",
        level: Level::Warning,
        summary: "A merger recorded on one side only, on different dates, or with the programme episode left open",
        explanation: "When organisations merge, the predecessor's record says `merged_into:` and the successor's may say `merged_from:`, each with the first day of the merged organisation. Both sides, where given, must name each other with the same date; a predecessor's episode ends at the merger (with `exit_reason: merger`), since the organisation no longer exists; and an exit with `exit_reason: merger` needs the `merged_into:` that says where its history went. A merger is never counted as a successful exit. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_mergers),
};

/// Every episode of every organisation, with its index.
fn episodes<'a>(
    cx: &Checker<'a>,
) -> impl Iterator<Item = (&'a oversight_model::Organisation, usize, &'a RspEpisode)> + 'a {
    cx.register.organisations.iter().flat_map(|o| o.rsp.iter().enumerate().map(move |(i, e)| (o, i, e)))
}

fn check_segment(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        // The days surely in the episode: from the last day `entered` can mean to the day before
        // the first day `exited` can mean, up to the as-of date.
        let (episode_first, episode_last) = (episode.entered.latest(), episode_end(episode, cx.as_of));
        for (j, period) in org.segments.iter().enumerate() {
            // The days surely in both, likewise for a period given in months.
            let first = period.from.latest().max(episode_first);
            let last = period.to.map_or(episode_last, |to| to.earliest().min(episode_last));
            if first > last {
                continue;
            }
            // Judged under every edition those days fall in: a segment-4 period that began under
            // NOF 2022/23 and runs on into NOF 2025/26 is checked against both. An ICB is not
            // judged under an edition that does not segment ICBs (its segment there is OVS103's).
            let Some(ed) = editions_between(first, last).find(|ed| {
                (org.org_type.is_provider() || ed.segments_icbs) && !ed.is_programme_segment(period.segment)
            }) else {
                continue;
            };
            let span = cx.value(org.file, &format!("segments[{j}].segment"));
            let entered = cx.value(org.file, &format!("rsp[{i}].entered"));
            let d = if ed.id == EditionId::Nof2025 && period.segment == 4 {
                let since = first.max(ed.start);
                SEGMENT_4_UNDER_NOF_2025
                    .at(span, format!("segment 4 from {} during an RSP episode, still in force on {since} under NOF 2025/26, whose programme segment is 5", period.from))
                    .with_help("under NOF 2025/26 only some segment-4 providers enter the Provider Improvement Programme: if the region moved this one, record a segment-5 period from that day; if it left intensive support, record `exited`")
            } else {
                let segments = ed.programme_segments.iter().map(u32::to_string).collect::<Vec<_>>().join(" or ");
                OUTSIDE_PROGRAMME_SEGMENT
                    .at(span, format!("`{}` is in segment {} from {} while in the RSP; {} puts programme organisations in segment {segments}", org.id, period.segment, period.from, ed.short_name))
                    .with_help("check the episode's `entered`/`exited` dates against the segment history")
            };
            cx.report(d.with_label(entered, "episode enters here"));
        }
    }
}

fn check_launch(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        // A month is judged as a whole: "July 2021" may mean a day after the launch.
        if episode.entered.surely_before(RSP_LAUNCH) {
            let d = ENTRY_BEFORE_LAUNCH
                .at(cx.value(org.file, &format!("rsp[{i}].entered")), format!("RSP entry on {} is before the programme launched on 13 July 2021", episode.entered))
                .with_help("earlier intensive support was special measures: record the episode from 2021-07-13 with `route: transfer-from-special-measures`");
            cx.report(d);
        }
    }
}

fn check_criteria(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        if episode.criteria.is_empty() {
            let d = NO_ENTRY_CRITERIA
                .at(cx.value(org.file, &format!("rsp[{i}].criteria")), format!("RSP episode entered {} names no segment-4 entry criterion", episode.entered))
                .with_help("add `criteria: [...]` with one or more of longstanding-complex-issues, catastrophic-safety-failure, leadership-governance-failure, financial-deficit, cqc-recommendation");
            cx.report(d);
        }
    }
}

fn check_cqc_on_icb(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        if org.org_type != OrgType::Icb {
            continue;
        }
        for (k, criterion) in episode.criteria.iter().enumerate() {
            if *criterion == EntryCriterion::CqcRecommendation {
                let d = CQC_RECOMMENDATION_ON_ICB
                    .at(
                        cx.value(org.file, &format!("rsp[{i}].criteria[{k}]")),
                        format!("`cqc-recommendation` is not an entry criterion for an ICB (`{}`)", org.id),
                    )
                    .with_help(
                        "a CQC recommendation applies to NHS trusts and foundation trusts; use another criterion",
                    );
                cx.report(d);
            }
        }
    }
}

fn check_exit_segment(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        let Some(exited) = episode.exited else { continue };
        // A same-day exit and re-entry (a transfer between programmes, say) leaves the
        // organisation in intensive support: there is no exit segment to judge.
        if org.rsp.iter().enumerate().any(|(k, e)| k != i && e.covers(exited.latest())) {
            continue;
        }
        let Some(ed) = edition_at(exited.latest()) else { continue };
        if !org.org_type.is_provider() && !ed.segments_icbs {
            continue;
        }
        // The periods covering any day the exit can mean; none recorded is not judged.
        let (first, last) = (exited.earliest(), exited.latest());
        let covering: Vec<_> = org
            .segments
            .iter()
            .enumerate()
            .filter(|(_, p)| p.from <= last && p.to.is_none_or(|to| first <= to))
            .collect();
        let Some(&(j, next)) = covering.first() else { continue };
        if covering.iter().any(|(_, p)| ed.exit_segments.contains(&p.segment)) {
            continue;
        }
        let expected = match ed.exit_segments {
            [only] => format!("segment {only}"),
            many => format!("segments {} to {}", many[0], many[many.len() - 1]),
        };
        let d = EXIT_NOT_TO_SEGMENT_3
            .at(cx.value(org.file, &format!("segments[{j}].segment")), format!("`{}` exits the RSP on {exited} into segment {}; under {} an organisation leaves the programme into {expected}", org.id, next.segment, ed.short_name))
            .with_label(cx.value(org.file, &format!("rsp[{i}].exited")), "exit recorded here")
            .with_help(format!("`exited` is the first day out: end the programme period on {} and start the next period on {exited}", exited.previous_day()));
        cx.report(d);
    }
}

fn check_exit_criteria_met(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        let Some(exited) = episode.exited else { continue };
        for (k, criterion) in episode.exit_criteria.iter().enumerate() {
            let message = match criterion.met {
                None => format!("exit on {exited} but exit criterion `{}` is not met", criterion.id),
                Some(met) if met.surely_after(exited) => {
                    format!("exit on {exited} but exit criterion `{}` was met later, on {met}", criterion.id)
                }
                Some(_) => continue,
            };
            let path = if criterion.met.is_some() {
                format!("rsp[{i}].exit_criteria[{k}].met")
            } else {
                format!("rsp[{i}].exit_criteria[{k}].id")
            };
            let d = EXIT_WITH_UNMET_CRITERIA
                .at(cx.value(org.file, &path), message)
                .with_label(cx.value(org.file, &format!("rsp[{i}].exited")), "exit recorded here")
                .with_help("add the date the criterion was met (`met: YYYY-MM-DD`, on or before the exit), or correct the exit date");
            cx.report(d);
        }
    }
}

fn check_transition(cx: &mut Checker) {
    // The package may be in a support file that could not be read.
    if cx.register.is_incomplete(RecordKind::Support) {
        return;
    }
    for (org, i, episode) in episodes(cx) {
        let Some(exited) = episode.exited else { continue };
        let next_entry = org.rsp.get(i + 1).map(|e| e.entered);
        // A transitional package counts for this exit if it starts after it and before the
        // organisation entered again.
        let package = cx.register.support.iter().any(|s| {
            s.organisation == org.id
                && s.kind == SupportKind::TransitionalRecoverySupport
                && s.start >= exited
                && next_entry.is_none_or(|n| s.start < n)
        });
        if episode.transition_support.is_none() && !package {
            let d = EXIT_WITHOUT_TRANSITION
                .at(
                    cx.value(org.file, &format!("rsp[{i}].exited")),
                    format!("`{}` exits on {exited} with no transitional support or transition plan recorded", org.id),
                )
                .with_help("add `transition_support:` to the episode, or a support package of kind `transitional-recovery-support` starting on or after the exit");
            cx.report(d);
        }
    }
}

/// The last day surely in an episode: the day before the first day `exited` can mean, or the
/// as-of date while open.
fn episode_end(episode: &RspEpisode, as_of: Date) -> Date {
    episode.exited.map_or(as_of, |x| x.earliest().previous_day().min(as_of))
}

/// Whether the episode is open at the as-of date: the only ones the threshold rules judge.
fn is_open(episode: &RspEpisode, as_of: Date) -> bool {
    episode.entered <= as_of && episode.exited.is_none_or(|x| x > as_of)
}

fn check_exit_criteria_present(cx: &mut Checker) {
    let months = cx.register.site.thresholds.exit_criteria_months.get();
    for (org, i, episode) in episodes(cx) {
        if !is_open(episode, cx.as_of) || !episode.exit_criteria.is_empty() {
            continue;
        }
        if episode.entered.latest().plus_months(months as i32) <= cx.as_of {
            let d = NO_EXIT_CRITERIA
                .at(
                    cx.value(org.file, &format!("rsp[{i}].entered")),
                    format!(
                        "RSP episode entered {} has run more than {months} months with no exit criteria recorded",
                        episode.entered
                    ),
                )
                .with_help(format!("add `exit_criteria:` with an `id`, `text` and (once met) `met` date for each agreed criterion; {months} months is `thresholds.exit_criteria_months` in site.yaml"));
            cx.report(d);
        }
    }
}

fn check_director(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        if !is_open(episode, cx.as_of) {
            continue;
        }
        if episode.improvement_director.as_deref().is_none_or(|s| s.trim().is_empty()) {
            let d = NO_IMPROVEMENT_DIRECTOR
                .at(
                    cx.value(org.file, &format!("rsp[{i}].entered")),
                    format!("no improvement director recorded for `{}`'s episode entered {}", org.id, episode.entered),
                )
                .with_help("add `improvement_director: Name`");
            cx.report(d);
        }
    }
}

fn check_duration(cx: &mut Checker) {
    let months = cx.register.site.thresholds.episode_months.get();
    for (org, i, episode) in episodes(cx) {
        if !is_open(episode, cx.as_of) {
            continue;
        }
        // Counted from the last day a month-precision entry can mean: at least this many days.
        let first = episode.entered.latest();
        if first.plus_months(months as i32) <= cx.as_of {
            let days = first.days_until(cx.as_of) + 1;
            let at_least = if episode.entered.precision() == Precision::Month { "at least " } else { "" };
            let d = EPISODE_OVER_THREE_YEARS
                .at(cx.value(org.file, &format!("rsp[{i}].entered")), format!("`{}`'s RSP episode has been open for {at_least}{days} days, more than {months} months", org.id))
                .with_help(format!("the RSP is time-limited; check for a missing `exited`. {months} months is `thresholds.episode_months` in site.yaml"));
            cx.report(d);
        }
    }
}

fn check_segment_without_episode(cx: &mut Checker) {
    for org in &cx.register.organisations {
        // The widest extent of each episode: any day it can mean.
        let episodes: Vec<(Date, Option<Date>)> =
            org.rsp.iter().map(|e| (e.entered.earliest(), e.exited.map(|x| x.latest().previous_day()))).collect();
        for (j, period) in org.segments.iter().enumerate() {
            let (from, to) = (period.from.latest(), period.to.map_or(cx.as_of, |to| to.earliest()).min(cx.as_of));
            let judged = editions_between(from, to).filter(|ed| {
                !ed.programme_basis.is_setting()
                    && ed.is_programme_segment(period.segment)
                    && (org.org_type.is_provider() || ed.segments_icbs)
            });
            for ed in judged {
                // Special measures (SOF 2016) ended the day before the launch: those days are never judged.
                let first = from.max(ed.start).max(RSP_LAUNCH);
                let last = ed.end.map_or(to, |end| end.min(to));
                let Some(day) = first_day_outside(&episodes, first, last) else { continue };
                let d = SEGMENT_WITHOUT_EPISODE
                    .at(
                        cx.value(org.file, &format!("segments[{j}].segment")),
                        format!(
                            "`{}` is in segment {} on {day} under {}, the {}, but no episode covers that day: it is left out of every count",
                            org.id,
                            period.segment,
                            ed.short_name,
                            ed.programme(org.org_type).name
                        ),
                    )
                    .with_help("record the episode under `rsp:` (entered, criteria, exited), or correct the segment");
                cx.report(d);
                break;
            }
        }
    }
}

/// The first day from `first` to `last` that none of the episodes (first day, last day or
/// open) covers.
fn first_day_outside(episodes: &[(Date, Option<Date>)], first: Date, last: Date) -> Option<Date> {
    let mut day = first;
    // Each pass moves `day` past an episode covering it; episodes are few, so this is cheap.
    while day <= last {
        match episodes.iter().find(|(start, end)| *start <= day && end.is_none_or(|end| day <= end)) {
            Some((_, None)) => return None,
            Some((_, Some(end))) => day = end.next_day(),
            None => return Some(day),
        }
    }
    None
}

fn check_mergers(cx: &mut Checker) {
    for org in &cx.register.organisations {
        if let Some(into) = &org.merged_into {
            let at = cx.value(org.file, "merged_into");
            // The successor, if it lists its predecessors, must list this one on the same day.
            if let Some(successor) = cx.register.organisation(&into.organisation)
                && !successor.merged_from.is_empty()
            {
                match successor.merged_from.iter().find(|m| m.organisation == org.id) {
                    None => cx.report(
                        MERGER_INCONSISTENT
                            .at(
                                at,
                                format!(
                                    "`{}` merged into `{}`, whose `merged_from` does not name it",
                                    org.id, successor.id
                                ),
                            )
                            .with_label(cx.value(successor.file, "merged_from"), "the successor's predecessors")
                            .with_help(format!("add `{}` to `{}`'s `merged_from`", org.id, successor.id)),
                    ),
                    Some(m) if m.date.civil() != into.date.civil() => cx.report(
                        MERGER_INCONSISTENT
                            .at(
                                cx.value(org.file, "merged_into.date"),
                                format!(
                                    "`{}` merged into `{}` on {}, but `{}` says {}",
                                    org.id, successor.id, into.date, successor.id, m.date
                                ),
                            )
                            .with_help("give both records the first day of the merged organisation"),
                    ),
                    Some(_) => {}
                }
            }
            for (i, episode) in org.rsp.iter().enumerate() {
                if episode.entered < into.date && episode.exited.is_none_or(|x| x.surely_after(into.date)) {
                    let d = MERGER_INCONSISTENT
                        .at(
                            cx.value(org.file, &format!("rsp[{i}].entered")),
                            format!(
                                "`{}`'s episode entered {} is still open after it merged into `{}` on {}",
                                org.id, episode.entered, into.organisation, into.date
                            ),
                        )
                        .with_label(at, "merged here")
                        .with_help(format!("end the episode with `exited: {}` and `exit_reason: merger`", into.date));
                    cx.report(d);
                }
            }
        }
        for (k, from) in org.merged_from.iter().enumerate() {
            if let Some(predecessor) = cx.register.organisation(&from.organisation)
                && predecessor.merged_into.as_ref().is_some_and(|m| m.organisation != org.id)
            {
                let d = MERGER_INCONSISTENT
                    .at(
                        cx.value(org.file, &format!("merged_from[{k}].organisation")),
                        format!(
                            "`{}` lists `{}` as merged into it, but `{}` says it merged into another organisation",
                            org.id, predecessor.id, predecessor.id
                        ),
                    )
                    .with_label(cx.value(predecessor.file, "merged_into"), "merged into here");
                cx.report(d);
            }
        }
        if org.merged_into.is_none() {
            for (i, episode) in org.rsp.iter().enumerate() {
                if episode.exit_reason == Some(ExitReason::Merger) {
                    let d = MERGER_INCONSISTENT
                        .at(
                            cx.value(org.file, &format!("rsp[{i}].exit_reason")),
                            format!(
                                "`{}` exits with `exit_reason: merger` but no `merged_into:` says what it merged into",
                                org.id
                            ),
                        )
                        .with_help(
                            "add `merged_into:` with the successor's `organisation` id and the `date` of the merger",
                        );
                    cx.report(d);
                }
            }
        }
    }
}

fn check_dates(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        let at = |field: &str| format!("rsp[{i}].{field}");
        if let Some(exited) = episode.exited
            && exited.latest() <= episode.entered.earliest()
        {
            let d = EPISODE_DATES_ORDER
                .at(
                    cx.value(org.file, &at("exited")),
                    format!("exit ({exited}) is not after entry ({})", episode.entered),
                )
                .with_help("`exited` is the first day out of the programme, after `entered`");
            cx.report(d);
        }
        if let Some(done) = episode.diagnostic_completed
            && done.surely_before(episode.entered)
        {
            let d = EPISODE_DATES_ORDER.at(
                cx.value(org.file, &at("diagnostic_completed")),
                format!("diagnostic completed ({done}) before entry ({})", episode.entered),
            );
            cx.report(d);
        }
        for (k, criterion) in episode.exit_criteria.iter().enumerate() {
            if let Some(met) = criterion.met
                && met.surely_before(episode.entered)
            {
                let d = EPISODE_DATES_ORDER.at(
                    cx.value(org.file, &at(&format!("exit_criteria[{k}].met"))),
                    format!("exit criterion `{}` met ({met}) before entry ({})", criterion.id, episode.entered),
                );
                cx.report(d);
            }
        }
        if let Some(previous) = i.checked_sub(1).map(|p| &org.rsp[p]) {
            let problem = match previous.exited {
                _ if episode.entered.surely_before(previous.entered) => {
                    Some("is listed after a later episode: list episodes oldest first".to_string())
                }
                None => Some(format!("starts while the previous episode (entered {}) has no exit", previous.entered)),
                Some(x) if episode.entered.surely_before(x) => {
                    Some(format!("starts before the previous episode's exit on {x}"))
                }
                Some(_) => None,
            };
            if let Some(problem) = problem {
                let d = EPISODE_DATES_ORDER
                    .at(cx.value(org.file, &at("entered")), format!("episode entered {} {problem}", episode.entered))
                    .with_label(cx.value(org.file, &format!("rsp[{}]", i - 1)), "previous episode");
                cx.report(d);
            }
        }
    }
}
