//! Support package rules (`OVS4xx`): when packages run relative to RSP episodes.

use super::{Checker, Rule};
use oversight_model::{SupportKind, SupportPackage, SupportProgramme, SupportStatus};
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static OUTSIDE_EPISODE: Rule = Rule {
    code: Code {
        code: "OVS401",
        name: "support-outside-episode",
        level: Level::Warning,
        summary: "Support package dates inside an RSP episode (or after exit for transitional support)",
        explanation: "The support packages of the RSP (governance, finance, MSSP, GIRFT and the rest of the catalogue) are given to organisations in the programme, so a package's start and end should fall within one of the organisation's episodes. A `transitional-recovery-support` package follows an exit, so it starts on or after one. A package outside those dates is usually a date typo or a package recorded against the wrong organisation. Support that NHS England agrees through separate processes, inside or outside the RSP (maternity safety support, tiering, investigation and intervention [S3], paragraph 8), is not judged: those kinds default to `programme: separate`, and any package can say `programme: separate` (or `rsp`). Source: NHS England Board paper, Update on the RSP [S3].",
        source: "[S3]",
        configurable: true,
    },
    check: Some(check_inside_episode),
};

pub(crate) static DATES_ORDER: Rule = Rule {
    code: Code {
        code: "OVS402",
        name: "support-dates-out-of-order",
        level: Level::Error,
        summary: "Support package ends before it starts",
        explanation: "A support package runs from `start` to `end` inclusive; an `end` before `start` is a typo in one of them. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_dates),
};

pub(crate) static STATUS_INCONSISTENT: Rule = Rule {
    code: Code {
        code: "OVS403",
        name: "support-status-inconsistent",
        level: Level::Warning,
        summary: "Support package status disagrees with its dates at the as-of date",
        explanation: "`status` says where a package stands: `planned` has not started, `active` has started and not ended, `completed` has an `end` on or before the as-of date. A status that disagrees with the dates shows a record that was not updated; the site and papers would show conflicting facts. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_status),
};

fn check_inside_episode(cx: &mut Checker) {
    for s in &cx.register.support {
        let Some(org) = cx.register.organisation(&s.organisation) else { continue };
        if s.programme() == SupportProgramme::Separate {
            continue;
        }
        if s.kind == SupportKind::TransitionalRecoverySupport {
            // It must start after an exit and before the organisation entered again.
            let after_exit = org.rsp.iter().enumerate().any(|(i, e)| {
                e.exited.is_some_and(|x| x <= s.start) && org.rsp.get(i + 1).is_none_or(|next| s.start < next.entered)
            });
            if !after_exit {
                let d = OUTSIDE_EPISODE
                    .at(
                        cx.value(s.file, "start"),
                        format!(
                            "transitional recovery support starting {} does not follow an RSP exit of `{}`",
                            s.start, org.id
                        ),
                    )
                    .with_help("transitional support starts on or after the episode's `exited` date");
                cx.report(d);
            }
            continue;
        }
        match org.rsp.iter().find(|e| e.covers(s.start)) {
            None => {
                let d = OUTSIDE_EPISODE
                    .at(cx.value(s.file, "start"), format!("support package starts {} when `{}` is not in the RSP", s.start, org.id))
                    .with_help("check the start date against the organisation's `rsp:` episodes, or use kind `transitional-recovery-support` after an exit");
                cx.report(d);
            }
            Some(episode) => {
                if let (Some(end), Some(exited)) = (s.end, episode.exited)
                    && end >= exited
                {
                    let d = OUTSIDE_EPISODE
                        .at(cx.value(s.file, "end"), format!("support package ends {end}, after `{}` exited the RSP on {exited}", org.id))
                        .with_help("end the package by the day before the exit, and record support after exit as a separate `transitional-recovery-support` package");
                    cx.report(d);
                }
            }
        }
    }
}

fn check_dates(cx: &mut Checker) {
    for s in &cx.register.support {
        if let Some(end) = s.end
            && end.surely_before(s.start)
        {
            let d = DATES_ORDER
                .at(cx.value(s.file, "end"), format!("support package ends ({end}) before it starts ({})", s.start))
                .with_label(cx.value(s.file, "start"), "starts here");
            cx.report(d);
        }
    }
}

fn status_problem(s: &SupportPackage, as_of: oversight_syntax::date::Date) -> Option<(&'static str, String)> {
    // `end` is the last day of the package, so on that day it is still running.
    let ended = s.end.is_some_and(|end| end < as_of);
    let ended_by = s.end.is_some_and(|end| end <= as_of);
    match s.status {
        SupportStatus::Planned if s.start <= as_of => {
            Some(("start", format!("status is `planned` but the package started on {}", s.start)))
        }
        SupportStatus::Active if s.start > as_of => {
            Some(("start", format!("status is `active` but the package starts on {}, after {as_of}", s.start)))
        }
        SupportStatus::Active if ended => {
            Some(("end", format!("status is `active` but the package ended on {}", s.end?)))
        }
        SupportStatus::Completed if s.end.is_none() => {
            Some(("status", "status is `completed` but no `end` date is recorded".to_string()))
        }
        SupportStatus::Completed if !ended_by => {
            Some(("end", format!("status is `completed` but the package ends on {}, after {as_of}", s.end?)))
        }
        _ => None,
    }
}

fn check_status(cx: &mut Checker) {
    for s in &cx.register.support {
        // A status is recorded as the register stands now, so it is judged at that date, not
        // at an earlier `--as-of` view.
        if let Some((field, message)) = status_problem(s, cx.horizon) {
            let d = STATUS_INCONSISTENT
                .at(cx.value(s.file, field), message)
                .with_help(format!("as at {} the status should follow the dates: planned before `start`, active until `end`, completed after", cx.horizon));
            cx.report(d);
        }
    }
}
