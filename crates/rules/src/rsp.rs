//! Recovery Support Programme rules (`OVS2xx`): entry, segment, exit and duration of episodes.

use super::{Checker, Rule};
use crate::editions::{EditionId, RSP_LAUNCH, editions_between};
use oversight_model::{EntryCriterion, OrgType, RspEpisode, SupportKind};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static OUTSIDE_PROGRAMME_SEGMENT: Rule = Rule {
    code: Code {
        code: "OVS201",
        name: "rsp-outside-programme-segment",
        level: Level::Error,
        summary: "RSP episode only while the organisation is in segment 4 (segment 5 under NOF 2025/26)",
        explanation: "The Recovery Support Programme is segment 4 of SOF 2021/22 and NOF 2022/23; under NOF 2025/26 its successor, the Provider Improvement Programme, is segment 5. Every segment period recorded during an episode (entered up to the day before exited) must therefore be the programme segment of the edition in force. Periods not recorded are not judged. Segment 4 during an episode under NOF 2025/26 is reported separately as OVS212, a warning. Sources: NHS England segmentation [S2]; RSP board paper [S3]; NOF 2025/26 manual [S15].",
        source: "[S2][S3][S15]",
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
        summary: "On RSP exit the next segment is 3",
        explanation: "An organisation that exits the RSP moves to segment 3 (mandated support) with a transition plan. `exited` is the first day out of the programme, so the segment period covering that day should be segment 3: an exit on 2022-03-16 pairs with a segment-4 period ending 2022-03-15 and a segment-3 period from 2022-03-16. Sources: RSP board paper [S3]; QEH King's Lynn [S36]; NSFT [S42].",
        source: "[S3][S36][S42]",
        configurable: true,
    },
    check: Some(check_exit_segment),
};

pub(crate) static EXIT_WITH_UNMET_CRITERIA: Rule = Rule {
    code: Code {
        code: "OVS206",
        name: "exit-with-unmet-criteria",
        level: Level::Error,
        summary: "Exit recorded while an agreed exit criterion is not met",
        explanation: "To exit the RSP an organisation must show that its agreed exit criteria are met; NHS England then approves the exit nationally. An episode with `exited` therefore needs a `met` date on or before the exit for every exit criterion. Either a `met` date is missing, or the exit date is wrong. Sources: RSP board paper [S3]; NUH mandated intensive support [S34].",
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
        summary: "No exit criteria recorded for an episode older than 6 months",
        explanation: "Exit criteria are agreed after entry, informed by the diagnostic stocktake; six months in, an episode should have them. Record them under `exit_criteria:` with an id, the text and, once met, the date met. Sources: RSP board paper [S3]; Lancashire and South Cumbria ICB [S46].",
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
        summary: "No improvement director recorded",
        explanation: "Oversight and challenge in the RSP includes an NHS England improvement director assigned to the organisation. Record their name in `improvement_director:`. Source: RSP board paper, the five strands [S3].",
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
        summary: "Episode open longer than 3 years",
        explanation: "The RSP is time-limited; special-measures practice aimed for 12 to 18 months, and few episodes should run beyond three years. An episode longer than that (to its exit, or to the as-of date while open) is worth a look: either a missing exit, or a case that needs escalation. Sources: RSP board paper [S3]; HSJ on time in special measures [S31].",
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
        summary: "Segment 4 during a programme episode under NOF 2025/26 (the programme segment is 5)",
        explanation: "Under NOF 2025/26 the intensive programme is segment 5 (the Provider Improvement Programme). Many sources still say 'RSP' and 'segment 4' after July 2025, so a segment-4 period during an episode under that edition is tolerated with this warning rather than an error. A period is judged under every edition it overlaps: one segment-4 period that began in 2024 and is still open in July 2025 gets this warning. Start a segment-5 period from the date the organisation moved. Source: NOF 2025/26 manual [S15].",
        source: "[S15]",
        configurable: true,
    },
    check: None,
};

/// Every episode of every organisation, with its index.
fn episodes<'a>(
    cx: &Checker<'a>,
) -> impl Iterator<Item = (&'a oversight_model::Organisation, usize, &'a RspEpisode)> + 'a {
    cx.register.organisations.iter().flat_map(|o| o.rsp.iter().enumerate().map(move |(i, e)| (o, i, e)))
}

fn check_segment(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        // The last day of the episode in view: the day before exit, or the as-of date.
        let episode_last = episode_end(episode, cx.as_of);
        for (j, period) in org.segments.iter().enumerate() {
            // The days the period and the episode share, up to the as-of date.
            let first = period.from.max(episode.entered);
            let last = period.to.map_or(episode_last, |to| to.min(episode_last));
            if first > last {
                continue;
            }
            // Judged under every edition those days fall in: a segment-4 period that began under
            // NOF 2022/23 and runs on into NOF 2025/26 is checked against both.
            let Some(ed) = editions_between(first, last).find(|ed| period.segment != ed.programme_segment) else {
                continue;
            };
            let span = cx.value(org.file, &format!("segments[{j}].segment"));
            let entered = cx.value(org.file, &format!("rsp[{i}].entered"));
            let d = if ed.id == EditionId::Nof2025 && period.segment == 4 {
                let since = first.max(ed.start);
                SEGMENT_4_UNDER_NOF_2025
                    .at(span, format!("segment 4 from {} during an RSP episode, still in force on {since} under NOF 2025/26, whose programme segment is 5", period.from))
                    .with_help("record a segment-5 period from the date the organisation moved into the Provider Improvement Programme")
            } else {
                OUTSIDE_PROGRAMME_SEGMENT
                    .at(span, format!("`{}` is in segment {} from {} while in the RSP; {} puts programme organisations in segment {}", org.id, period.segment, period.from, ed.short_name, ed.programme_segment))
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
        let Some((j, next)) = org.segments.iter().enumerate().find(|(_, p)| p.covers(exited)) else { continue };
        if next.segment != 3 {
            let d = EXIT_NOT_TO_SEGMENT_3
                .at(cx.value(org.file, &format!("segments[{j}].segment")), format!("`{}` exits the RSP on {exited} into segment {}, not segment 3", org.id, next.segment))
                .with_label(cx.value(org.file, &format!("rsp[{i}].exited")), "exit recorded here")
                .with_help(format!("`exited` is the first day out: end the programme period on {} and start a segment-3 period on {exited}", exited.previous_day()));
            cx.report(d);
        }
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

/// The last day an episode counts for: the day before exit, or the as-of date while open.
fn episode_end(episode: &RspEpisode, as_of: Date) -> Date {
    episode.exited.map_or(as_of, |x| x.previous_day().min(as_of))
}

fn check_exit_criteria_present(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
        let end = episode_end(episode, cx.as_of);
        if episode.exit_criteria.is_empty() && episode.entered.plus_months(6) <= end {
            let d = NO_EXIT_CRITERIA
                .at(
                    cx.value(org.file, &format!("rsp[{i}].entered")),
                    format!(
                        "RSP episode entered {} has run more than 6 months with no exit criteria recorded",
                        episode.entered
                    ),
                )
                .with_help(
                    "add `exit_criteria:` with an `id`, `text` and (once met) `met` date for each agreed criterion",
                );
            cx.report(d);
        }
    }
}

fn check_director(cx: &mut Checker) {
    for (org, i, episode) in episodes(cx) {
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
    for (org, i, episode) in episodes(cx) {
        let end = episode_end(episode, cx.as_of);
        if episode.entered.plus_months(36) <= end {
            let days = episode.entered.days_until(end) + 1;
            let state = if episode.exited.is_some_and(|x| x <= cx.as_of) { "lasted" } else { "has been open for" };
            let d = EPISODE_OVER_THREE_YEARS
                .at(cx.value(org.file, &format!("rsp[{i}].entered")), format!("`{}`'s RSP episode {state} {days} days, more than 3 years", org.id))
                .with_help("the RSP is time-limited; check for a missing `exited`, or re-level OVS210 in site.yaml if long episodes are expected");
            cx.report(d);
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
