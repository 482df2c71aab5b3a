//! Board governance rules (`OVS6xx`): attendance and quorum, members' terms, declarations of
//! interest and conflicts on agenda items, the action log, private (Part II) items and
//! publishing papers and minutes on time.

use super::{Checker, Rule};
use crate::integrity::UNRESOLVED_REFERENCE;
use oversight_model::format::INVALID_VALUE;
use oversight_model::governance::{ActionStatus, Board, Reason};
use oversight_model::kinds::RecordKind;
use oversight_model::{Generate, Meeting, Session};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Code, Level};
use oversight_syntax::source::{FileId, Span};
use oversight_syntax::suggest::closest;

pub(crate) static NOT_QUORATE: Rule = Rule {
    code: Code {
        code: "OVS601",
        name: "meeting-not-quorate",
        level: Level::Warning,
        summary: "A meeting whose voting members present (or expected) fall short of its board's quorum",
        explanation: "A board may do business only when quorate, as its standing orders set: `quorum:` in content/boards/<id>.yaml gives the voting members who must be present, and of them how many executive and non-executive members. Once a meeting records `attendance.present`, those members are counted; before that, the board's members in term on the day less those who sent apologies. Associates (and members with `voting: false`) are not counted. Source: the board's standing orders, as its record states them.",
        source: "the board's record",
        configurable: true,
    },
    check: Some(check_quorum),
};

pub(crate) static OUTSIDE_TERM: Rule = Rule {
    code: Code {
        code: "OVS602",
        name: "member-outside-term",
        level: Level::Error,
        summary: "A member recorded at a meeting outside their term of office",
        explanation: "A member named in a meeting's `attendance` (present or sending apologies) must hold office on the meeting's date: on or after their `from` and on or before their `to` in the board's record. Someone who attended after their term ended attended as a guest: list them under `in_attendance`. Otherwise a date is wrong. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_terms),
};

pub(crate) static NOT_A_MEMBER: Rule = Rule {
    code: Code {
        code: "OVS603",
        name: "not-a-member",
        level: Level::Error,
        summary: "A member id that is not a member of the board",
        explanation: "Attendance (present, apologies), declarations of interest, how a conflict was managed, an action's owner and a decision's proposer and seconder name members by their id in the board's `members:`. Someone who is not a member but attends is listed by name under `in_attendance`. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_members),
};

pub(crate) static UNMANAGED_CONFLICT: Rule = Rule {
    code: Code {
        code: "OVS604",
        name: "unmanaged-conflict",
        level: Level::Warning,
        summary: "A member with a declared interest in an item the meeting does not say how it managed",
        explanation: "NHS England's conflicts of interest guidance asks that a conflict at a meeting be declared and managed, and the management recorded: often the member leaves for the item and does not receive its paper. A member of the meeting (present, expected or sending apologies) whose declared interest, held on the day, concerns an organisation an item's paper is about (`organisations:` in the paper) has a conflict on that item; the item's `conflicts:` records how it was managed (`managed: withheld`, which also leaves the paper out of their pack, or `took-part`). Source: NHS England, Managing conflicts of interest in the NHS [S73].",
        source: "[S73]",
        configurable: true,
    },
    check: Some(check_conflicts),
};

pub(crate) static NOT_RENEWED: Rule = Rule {
    code: Code {
        code: "OVS605",
        name: "declaration-not-renewed",
        level: Level::Warning,
        summary: "A serving member's declaration of interests not renewed within a year",
        explanation: "NHS England's conflicts of interest guidance asks decision-making staff to declare their interests at least once a year, and when they change. A member in term at the as-of date whose `declared` date is more than `thresholds.interests_renewal_months` (default 12) earlier is warned, and the register extract in a pack flags it. A member in term with no declaration at all is warned too. Source: NHS England, Managing conflicts of interest in the NHS [S73]; the number of months is a setting.",
        source: "[S73]",
        configurable: true,
    },
    check: Some(check_renewal),
};

pub(crate) static ACTION_OVERDUE: Rule = Rule {
    code: Code {
        code: "OVS606",
        name: "action-overdue",
        level: Level::Warning,
        summary: "An action still open at a meeting after its due date",
        explanation: "An action in a meeting's action log (a `generate: actions` item) that is open on the meeting's date and was due before it is overdue: the board will ask why. It is reported once, at the latest such meeting. Close it (`status: closed` and `closed:`), or agree a new `due` date and say so in its `note`. Source: the board's action log.",
        source: "the board's action log",
        configurable: true,
    },
    check: Some(check_overdue),
};

pub(crate) static ACTION_STATUS: Rule = Rule {
    code: Code {
        code: "OVS607",
        name: "action-status-inconsistent",
        level: Level::Error,
        summary: "An action closed without a date, open with one, or closed before it was raised",
        explanation: "A closed action says when it was closed (`closed:`); an open one has no `closed` date; and an action cannot close before the meeting that raised it. Source: data integrity.",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_action_status),
};

pub(crate) static PRIVATE_WITHOUT_REASON: Rule = Rule {
    code: Code {
        code: "OVS608",
        name: "private-item-without-reason",
        level: Level::Warning,
        summary: "A private (Part II) item that gives no reason for excluding the public",
        explanation: "Under the Public Bodies (Admission to Meetings) Act 1960 a meeting may exclude the public only by a resolution stating why publicity would be prejudicial to the public interest. The public agenda ends with that resolution, giving the reason for each private item that presents a paper: write it as `reason:` on the item (commercial-confidentiality, personal-information, legal-advice, negotiations, policy-in-development or security). Source: Public Bodies (Admission to Meetings) Act 1960, s1(2) [S72]; the vocabulary is a setting of this tool.",
        source: "[S72]",
        configurable: true,
    },
    check: Some(check_reasons),
};

pub(crate) static PAPER_NOT_READY: Rule = Rule {
    code: Code {
        code: "OVS609",
        name: "paper-not-ready",
        level: Level::Warning,
        summary: "A public meeting's paper still a draft fewer than the notice's clear days before it",
        explanation: "The Public Bodies (Admission to Meetings) Act 1960 requires public notice of a meeting three clear days before it (clear days leave out the day of publishing and the day of the meeting), and NHS boards publish their public papers with it. A paper on a public agenda that is still `draft: true` when fewer than `thresholds.notice_clear_days` (default 3) clear days remain before the meeting, counted from the as-of date, is late. Source: Public Bodies (Admission to Meetings) Act 1960, s1(4)(a) [S72]; applying it to papers is a setting.",
        source: "[S72]",
        configurable: true,
    },
    check: Some(check_ready),
};

pub(crate) static MINUTES_NOT_PUBLISHED: Rule = Rule {
    code: Code {
        code: "OVS610",
        name: "minutes-not-published",
        level: Level::Warning,
        summary: "A public meeting whose approved minutes are not published within the set period",
        explanation: "The minutes of a meeting held in public are approved at the next meeting and then published. A public meeting of a board more than `thresholds.minutes_months` (default 3) before the as-of date with no paper giving `minutes_of:` its id (and not a draft) is warned. No source sets the period: it is a setting of this tool.",
        source: "a setting",
        configurable: true,
    },
    check: Some(check_minutes),
};

/// A meeting's times (see [`oversight_model::schedule`]): each `HH:MM`, and in order: no item
/// starts before the meeting or the item before it, and the meeting does not end before its
/// last item starts.
fn check_timings(cx: &mut Checker, meeting: &Meeting) {
    use oversight_model::schedule::{clock, show};
    let help = "write a 24-hour time in quotes, e.g. `time: \"10:20\"`";
    let mut times: Vec<(String, Option<&str>)> = vec![("time".into(), meeting.time.as_ref().map(|t| t.0.as_str()))];
    times.extend(
        meeting
            .agenda
            .iter()
            .enumerate()
            .map(|(k, a)| (format!("agenda[{k}].time"), a.time.as_ref().map(|t| t.0.as_str()))),
    );
    times.push(("end".into(), meeting.end.as_ref().map(|t| t.0.as_str())));
    for (path, text) in &times {
        if let Some(text) = text.filter(|t| clock(t).is_none()) {
            cx.report(
                INVALID_VALUE
                    .at(cx.value(meeting.file, path), format!("`{text}` is not a time of day (HH:MM)"))
                    .with_help(help),
            );
        }
    }
    // The planned start of each item, and the meeting's end, against the latest start before.
    let schedule = meeting.schedule();
    let mut latest: Option<(u16, String)> =
        meeting.time.as_ref().and_then(|t| clock(&t.0)).map(|t| (t, "the meeting".to_string()));
    let given = meeting.agenda.iter().map(|a| a.time.as_ref().and_then(|t| clock(&t.0)));
    for (k, (item, start)) in meeting.agenda.iter().zip(given).enumerate() {
        if let (Some(start), Some((before, what))) = (start, &latest)
            && start < *before
        {
            let message = format!("item {} starts at {}, before {what} ({})", item.item, show(start), show(*before));
            cx.report(
                INVALID_VALUE
                    .at(cx.value(meeting.file, &format!("agenda[{k}].time")), message)
                    .with_help("put the items' times in agenda order, or correct the time"),
            );
        }
        if let Some(start) = schedule.starts[k] {
            latest = Some((start, format!("item {}", item.item)));
        }
    }
    if let (Some(end), Some((before, what))) = (meeting.end.as_ref().and_then(|t| clock(&t.0)), &latest)
        && end < *before
    {
        let message = format!("the meeting ends at {}, before {what} starts ({})", show(end), show(*before));
        cx.report(
            INVALID_VALUE
                .at(cx.value(meeting.file, "end"), message)
                .with_help("give the time the meeting is planned to end"),
        );
    }
}

pub(crate) static SENSITIVE_IN_PUBLIC: Rule = Rule {
    code: Code {
        code: "OVS611",
        name: "sensitive-paper-in-public",
        level: Level::Error,
        summary: "A paper classified OFFICIAL-SENSITIVE (or higher) on a public agenda",
        explanation: "A paper on the agenda of a meeting held in public is published with it, on the website and in the public pack. A paper whose `classification:` is OFFICIAL-SENSITIVE (\"Official-Sensitive (commercial)\", \"Commercial in confidence\", or a higher marking: Restricted, Confidential) is by its own marking not for the public: either it belongs on the private (Part II) agenda, with the reason the public is excluded, or its classification is wrong (OFFICIAL). Each public agenda item that presents such a paper, as its paper or an appendix, is an error. Source: Cabinet Office, Government Security Classifications [S74]; Public Bodies (Admission to Meetings) Act 1960, s1(2) [S72].",
        source: "[S74], [S72]",
        configurable: false,
    },
    check: Some(check_sensitive_in_public),
};

fn check_sensitive_in_public(cx: &mut Checker) {
    use oversight_model::inspect::Marking;
    let register = cx.register;
    for meeting in register.meetings.iter().filter(|m| m.session == Session::Public) {
        for (k, item) in meeting.agenda.iter().enumerate() {
            let presented = item.paper.iter().map(|p| (p.as_str(), format!("agenda[{k}].paper"))).chain(
                item.appendices
                    .iter()
                    .enumerate()
                    .map(|(j, a)| (a.paper.as_str(), format!("agenda[{k}].appendices[{j}].paper"))),
            );
            for (id, path) in presented {
                let Some(paper) = register.paper(id) else { continue };
                let Some(classification) = paper.classification.as_deref() else { continue };
                if Marking::level_of_classification(Some(classification)) == 0 {
                    continue;
                }
                let d = SENSITIVE_IN_PUBLIC
                    .at(
                        cx.value(meeting.file, &path),
                        format!("paper `{id}` is classified `{classification}`, and item {} is on the agenda of a meeting held in public", item.item),
                    )
                    .with_help(format!(
                        "present it at a private meeting (`session: private`, with a `reason:`), or correct its `classification:` (in {}) if it may be public",
                        match paper.given_file() {
                            Some(_) => format!("content/papers/{id}.yaml"),
                            None => format!("content/papers/{id}.md"),
                        }
                    ));
                cx.report(d);
            }
        }
    }
}

/// `generate:` items that need the meeting's board.
fn check_board(cx: &mut Checker, meeting: &Meeting) {
    let register = cx.register;
    match &meeting.board {
        Some(id) if register.board(id).is_none() && !register.is_unreadable(RecordKind::Board, id) => {
            let d = UNRESOLVED_REFERENCE.at(cx.value(meeting.file, "board"), format!("no board with id `{id}`"));
            let d = match closest(id, register.boards.iter().map(|b| b.id.as_str())) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help("add content/boards/<id>.yaml with the board's `name`, `quorum` and `members`"),
            };
            cx.report(d);
        }
        Some(_) => {}
        None => {
            for (k, item) in meeting.agenda.iter().enumerate() {
                let Some(generate) = item.generate.filter(|g| *g != Generate::Minutes) else { continue };
                let d = INVALID_VALUE
                    .at(
                        cx.value(meeting.file, &format!("agenda[{k}].generate")),
                        format!(
                            "`generate: {}` needs the meeting's board, and the meeting names none",
                            generate.slug()
                        ),
                    )
                    .with_help("add `board: <id>` to the meeting, naming a board in content/boards/");
                cx.report(d);
            }
            if meeting.attendance.is_some() {
                let d = INVALID_VALUE
                    .at(
                        cx.value(meeting.file, "attendance"),
                        "`attendance` names members of the meeting's board, and the meeting names none",
                    )
                    .with_help("add `board: <id>` to the meeting, naming a board in content/boards/");
                cx.report(d);
            }
        }
    }
}

fn check_quorum(cx: &mut Checker) {
    let register = cx.register;
    for meeting in &register.meetings {
        check_board(cx, meeting);
        check_timings(cx, meeting);
        let Some(attendees) = register.attendees(meeting) else { continue };
        let Some(quorum) = attendees.board.quorum else { continue };
        if attendees.quorate() != Some(false) {
            continue;
        }
        let (all, executive, non_executive) = attendees.voting();
        let (verb, at) = if attendees.held {
            ("were present", cx.value(meeting.file, "attendance.present"))
        } else {
            ("are expected", cx.value(meeting.file, "attendance"))
        };
        let d = NOT_QUORATE
            .at(
                at,
                format!(
                    "the meeting of {} is not quorate: {all} voting {} {verb} ({executive} executive, {non_executive} non-executive), and the quorum is {} ({} executive, {} non-executive)",
                    meeting.date.display_long(),
                    if all == 1 { "member" } else { "members" },
                    quorum.members,
                    quorum.executive,
                    quorum.non_executive
                ),
            )
            .with_label(cx.value(attendees.board.file, "quorum"), "the quorum")
            .with_help("record who attended under `attendance.present`; a meeting that is not quorate cannot make decisions");
        cx.report(d);
    }
}

fn check_terms(cx: &mut Checker) {
    let register = cx.register;
    for meeting in &register.meetings {
        let (Some(board), Some(attendance)) = (register.board_of(meeting), &meeting.attendance) else { continue };
        for (field, ids) in [("present", &attendance.present), ("apologies", &attendance.apologies)] {
            for (k, id) in ids.iter().enumerate() {
                let Some((j, member)) = board.members.iter().enumerate().find(|(_, m)| &m.id == id) else { continue };
                if member.in_term(meeting.date) {
                    continue;
                }
                let term = match (member.from, member.to) {
                    (Some(from), Some(to)) => format!("from {} to {}", from.display_long(), to.display_long()),
                    (Some(from), None) => format!("from {}", from.display_long()),
                    (None, Some(to)) => format!("until {}", to.display_long()),
                    (None, None) => continue,
                };
                let d = OUTSIDE_TERM
                    .at(
                        cx.value(meeting.file, &format!("attendance.{field}[{k}]")),
                        format!(
                            "{} ({}) is recorded at the meeting of {}, and their term is {term}",
                            member.name,
                            member.id,
                            meeting.date.display_long()
                        ),
                    )
                    .with_label(cx.value(board.file, &format!("members[{j}]")), "their term")
                    .with_help("list a former member under `in_attendance` by name, or correct the term's dates");
                cx.report(d);
            }
        }
    }
}

/// OVS603 at `span` if `id` is not a member of `board`.
fn member_of(cx: &mut Checker, board: &Board, span: Span, id: &str, what: &str) {
    if board.member(id).is_some() {
        return;
    }
    let d = NOT_A_MEMBER.at(span, format!("{what} `{id}` is not a member of {}", board.name));
    let d = match closest(id, board.members.iter().map(|m| m.id.as_str())) {
        Some(near) => d.with_help(format!("did you mean `{near}`?")),
        None => d.with_help(format!(
            "add them to `members:` in content/boards/{}.yaml, or list a guest by name under `in_attendance`",
            board.id
        )),
    };
    cx.report(d);
}

/// The board whose meeting `meeting` (an id) is, if both exist; OVS501 if the meeting does not.
fn board_of_meeting<'a>(cx: &mut Checker<'a>, file: FileId, meeting: &str) -> Option<&'a Board> {
    let register = cx.register;
    match register.meeting(meeting) {
        Some(m) => register.board_of(m),
        None => {
            if !register.is_unreadable(RecordKind::Meeting, meeting) {
                let d = UNRESOLVED_REFERENCE.at(cx.value(file, "meeting"), format!("no meeting with id `{meeting}`"));
                let d = match closest(meeting, register.meetings.iter().map(|m| m.id.as_str())) {
                    Some(near) => d.with_help(format!("did you mean `{near}`?")),
                    None => d.with_help("ids are file names in content/meetings/ without `.yaml`"),
                };
                cx.report(d);
            }
            None
        }
    }
}

fn check_members(cx: &mut Checker) {
    let register = cx.register;
    for meeting in &register.meetings {
        let Some(board) = register.board_of(meeting) else { continue };
        if let Some(attendance) = &meeting.attendance {
            for (field, ids) in [("present", &attendance.present), ("apologies", &attendance.apologies)] {
                for (k, id) in ids.iter().enumerate() {
                    let at = cx.value(meeting.file, &format!("attendance.{field}[{k}]"));
                    member_of(cx, board, at, id, "attendee");
                }
            }
            for (k, id) in attendance.present.iter().enumerate() {
                if attendance.apologies.contains(id) {
                    let d = INVALID_VALUE
                        .at(
                            cx.value(meeting.file, &format!("attendance.present[{k}]")),
                            format!("`{id}` is both present and sending apologies"),
                        )
                        .with_help("keep them in one of `present` and `apologies`");
                    cx.report(d);
                }
            }
        }
        for (k, item) in meeting.agenda.iter().enumerate() {
            for (j, conflict) in item.conflicts.iter().enumerate() {
                let at = cx.value(meeting.file, &format!("agenda[{k}].conflicts[{j}].member"));
                member_of(cx, board, at, &conflict.member, "member");
            }
        }
    }
    for declared in &register.interests {
        if !register.boards.iter().any(|b| b.member(&declared.id).is_some()) {
            let d = NOT_A_MEMBER
                .at(
                    Span::file_start(declared.file),
                    format!("these are the declarations of `{}`, who is a member of no board", declared.id),
                )
                .with_help("name the file after the member's id in a board's `members:`");
            cx.report(d);
        }
        for (k, interest) in declared.interests.iter().enumerate() {
            for (j, org) in interest.organisations.iter().enumerate() {
                if register.organisation(org).is_none() {
                    let at = cx.value(declared.file, &format!("interests[{k}].organisations[{j}]"));
                    cx.diagnostics.extend(crate::integrity::unknown_organisation(register, at, org));
                }
            }
        }
    }
    for paper in &register.papers {
        for (j, org) in paper.organisations.iter().enumerate() {
            if register.organisation(org).is_none() {
                let at = register.value_span(paper.file, &format!("organisations[{j}]"));
                cx.diagnostics.extend(crate::integrity::unknown_organisation(register, at, org));
            }
        }
        if let Some(meeting) = &paper.minutes_of
            && register.meeting(meeting).is_none()
            && !register.is_unreadable(RecordKind::Meeting, meeting)
        {
            let d = UNRESOLVED_REFERENCE
                .at(register.value_span(paper.file, "minutes_of"), format!("no meeting with id `{meeting}`"))
                .with_help(
                    "`minutes_of` names the meeting these minutes record, by its file name in content/meetings/",
                );
            cx.report(d);
        }
    }
    for action in &register.actions {
        let Some(board) = board_of_meeting(cx, action.file, &action.meeting) else { continue };
        let at = cx.value(action.file, "owner");
        member_of(cx, board, at, &action.owner, "owner");
    }
    for decision in &register.decisions {
        let Some(board) = board_of_meeting(cx, decision.file, &decision.meeting) else { continue };
        for (field, id) in [("proposer", &decision.proposer), ("seconder", &decision.seconder)] {
            if let Some(id) = id {
                let at = cx.value(decision.file, field);
                member_of(cx, board, at, id, field);
            }
        }
        let item_exists =
            register.meeting(&decision.meeting).is_some_and(|m| m.agenda.iter().any(|a| a.item == decision.item));
        if !item_exists {
            let d = UNRESOLVED_REFERENCE
                .at(
                    cx.value(decision.file, "item"),
                    format!("meeting `{}` has no agenda item {}", decision.meeting, decision.item),
                )
                .with_help("`item` is the number of the agenda item the decision was made under");
            cx.report(d);
        }
    }
}

fn check_conflicts(cx: &mut Checker) {
    let register = cx.register;
    for meeting in &register.meetings {
        for conflict in register.conflicts(meeting) {
            if conflict.managed.is_some() {
                continue;
            }
            let item = &meeting.agenda[conflict.item];
            let d = UNMANAGED_CONFLICT
                .at(
                    cx.value(meeting.file, &format!("agenda[{}]", conflict.item)),
                    format!(
                        "{} has declared an interest in `{}` ({}), which item {} is about, and the meeting does not record how it was managed",
                        conflict.member.name, conflict.organisation, conflict.interest.interest, item.item
                    ),
                )
                .with_help(format!(
                    "add to the item `conflicts: [{{ member: {}, managed: withheld }}]` (their pack leaves the paper out), or `managed: took-part` if the chair agreed they take part",
                    conflict.member.id
                ));
            cx.report(d);
        }
    }
}

fn check_renewal(cx: &mut Checker) {
    let register = cx.register;
    let months = register.site.thresholds.interests_renewal_months.get();
    let as_of = cx.as_of;
    let mut seen: Vec<&str> = Vec::new();
    for board in &register.boards {
        for (j, member) in board.members.iter().enumerate().filter(|(_, m)| m.in_term(as_of)) {
            if seen.contains(&member.id.as_str()) {
                continue;
            }
            seen.push(&member.id);
            match register.declarations(&member.id) {
                None if !register.is_unreadable(RecordKind::Declarations, &member.id) => {
                    let d = NOT_RENEWED
                        .at(cx.value(board.file, &format!("members[{j}]")), format!("{} has no declaration of interests", member.name))
                        .with_help(format!(
                            "add content/interests/{}.yaml with the `declared` date and their `interests` (none is a nil return)",
                            member.id
                        ));
                    cx.report(d);
                }
                None => {}
                Some(declared) if declared.declared.plus_months(months as i32) < cx.as_of => {
                    let d = NOT_RENEWED
                        .at(
                            cx.value(declared.file, "declared"),
                            format!(
                                "{}'s declaration of interests was made on {}, more than {months} months before {}",
                                member.name,
                                declared.declared.display_long(),
                                cx.as_of.display_long()
                            ),
                        )
                        .with_help(format!(
                            "ask them to confirm or update it and record the new `declared` date; {months} months is `thresholds.interests_renewal_months` in site.yaml"
                        ));
                    cx.report(d);
                }
                Some(_) => {}
            }
        }
    }
}

fn check_overdue(cx: &mut Checker) {
    let register = cx.register;
    // Each action once: at the latest meeting whose log shows it open and overdue.
    let mut latest: Vec<(&str, Date, FileId)> = Vec::new();
    for meeting in &register.meetings {
        if !meeting.agenda.iter().any(|a| a.generate == Some(Generate::Actions)) {
            continue;
        }
        for action in register.action_log(meeting) {
            if !(action.open_on(meeting.date) && action.due < meeting.date) {
                continue;
            }
            match latest.iter_mut().find(|(id, _, _)| *id == action.id) {
                Some(entry) if entry.1 < meeting.date => *entry = (&action.id, meeting.date, action.file),
                Some(_) => {}
                None => latest.push((&action.id, meeting.date, action.file)),
            }
        }
    }
    for (id, date, file) in latest {
        let Some(action) = register.actions.iter().find(|a| a.id == id) else { continue };
        let d = ACTION_OVERDUE
            .at(
                cx.value(file, "due"),
                format!(
                    "action `{id}` was due on {} and is still open at the meeting of {}",
                    action.due.display_long(),
                    date.display_long()
                ),
            )
            .with_help("close it (`status: closed` with the `closed:` date), or agree a new `due` date and record why in `note`");
        cx.report(d);
    }
}

fn check_action_status(cx: &mut Checker) {
    let register = cx.register;
    for action in &register.actions {
        let problem = match (action.status, action.closed) {
            (ActionStatus::Closed, None) => Some((
                cx.value(action.file, "status"),
                format!("action `{}` is closed and says not when", action.id),
                "add the day it was closed: `closed: YYYY-MM-DD`",
            )),
            (ActionStatus::Open, Some(_)) => Some((
                cx.value(action.file, "closed"),
                format!("action `{}` is open and has a `closed` date", action.id),
                "write `status: closed`, or remove `closed:` if it is still open",
            )),
            (ActionStatus::Closed, Some(closed))
                if register.meeting(&action.meeting).is_some_and(|m| closed < m.date) =>
            {
                Some((
                    cx.value(action.file, "closed"),
                    format!(
                        "action `{}` was closed on {}, before the meeting that raised it",
                        action.id,
                        closed.display_long()
                    ),
                    "check the `closed` date and the `meeting`",
                ))
            }
            _ => None,
        };
        if let Some((at, message, help)) = problem {
            cx.report(ACTION_STATUS.at(at, message).with_help(help));
        }
    }
}

fn check_reasons(cx: &mut Checker) {
    let register = cx.register;
    for meeting in &register.meetings {
        for (k, item) in meeting.agenda.iter().enumerate() {
            match meeting.session {
                Session::Private if item.reason.is_none() && item.paper.is_some() && !item.generated.paper => {
                    let d = PRIVATE_WITHOUT_REASON
                        .at(
                            cx.value(meeting.file, &format!("agenda[{k}]")),
                            format!("private item {} gives no reason for excluding the public", item.item),
                        )
                        .with_help(format!(
                            "add `reason:` (one of {}); the public agenda's resolution to exclude the public gives it",
                            Reason::ALL.map(Reason::slug).join(", ")
                        ));
                    cx.report(d);
                }
                Session::Public if item.reason.is_some() => {
                    let d = INVALID_VALUE
                        .at(
                            cx.value(meeting.file, &format!("agenda[{k}].reason")),
                            format!(
                                "item {} is in a public meeting, and `reason` is for excluding the public",
                                item.item
                            ),
                        )
                        .with_help("move the item to the private meeting (`session: private`), or remove `reason:`");
                    cx.report(d);
                }
                _ => {}
            }
        }
    }
}

fn check_ready(cx: &mut Checker) {
    let register = cx.register;
    let days = i64::from(register.site.thresholds.notice_clear_days);
    for meeting in register.meetings.iter().filter(|m| m.session == Session::Public) {
        let left = cx.as_of.days_until(meeting.date);
        // Clear days between today and the meeting leave both out: `left - 1` of them.
        if !(0..=days).contains(&left) {
            continue;
        }
        for (k, item) in meeting.agenda.iter().enumerate() {
            let Some(paper) = item.paper.as_deref().and_then(|id| register.paper(id)) else { continue };
            if !paper.draft {
                continue;
            }
            let d = PAPER_NOT_READY
                .at(
                    cx.value(meeting.file, &format!("agenda[{k}].paper")),
                    format!(
                        "`{}` is still a draft with {} left before the meeting of {}, which needs {days} clear days' notice",
                        paper.id,
                        match (left - 1).max(0) {
                            1 => "1 clear day".to_string(),
                            n => format!("{n} clear days"),
                        },
                        meeting.date.display_long()
                    ),
                )
                .with_label(register.value_span(paper.file, "draft"), "still a draft")
                .with_help(format!(
                    "finish the paper and remove `draft: true`, or publish the agenda with the item as \"paper to follow\"; {days} is `thresholds.notice_clear_days` in site.yaml"
                ));
            cx.report(d);
        }
    }
}

fn check_minutes(cx: &mut Checker) {
    let register = cx.register;
    let months = register.site.thresholds.minutes_months.get();
    for meeting in register.meetings.iter().filter(|m| m.session == Session::Public && m.board.is_some()) {
        if meeting.date.plus_months(months as i32) >= cx.as_of || register.minutes_of(&meeting.id).is_some() {
            continue;
        }
        let d = MINUTES_NOT_PUBLISHED
            .at(
                Span::file_start(meeting.file),
                format!(
                    "the minutes of the meeting of {} are not published, more than {months} months after it",
                    meeting.date.display_long()
                ),
            )
            .with_help(format!(
                "add the approved minutes as a paper with `minutes_of: {}`; {months} months is `thresholds.minutes_months` in site.yaml",
                meeting.id
            ));
        cx.report(d);
    }
}
