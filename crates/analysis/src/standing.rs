//! The standing items of a meeting made from the records (`generate:` on an agenda item):
//! attendance and the quorum, the register of interests of its members, the action log and
//! the last meeting's decisions. Each is Markdown, so the website and the pack lay it out
//! with everything else (tables with header rows, escaping, sanitising). The minutes item is
//! not here: it presents a paper ([`Register::resolve_standing_items`]).

use oversight_model::governance::{Action, ActionStatus, Attendees, Managed, Member};
use oversight_model::{AgendaItem, Generate, Meeting, Register};
use oversight_syntax::date::Date;

/// The Markdown of a standing item, if it is one this module makes.
pub fn markdown(register: &Register, meeting: &Meeting, item: &AgendaItem) -> Option<String> {
    let text = match item.generate? {
        Generate::Attendance => attendance(register, meeting),
        Generate::Interests => interests(register, meeting),
        Generate::Actions => actions(register, meeting),
        Generate::Decisions => decisions(register, meeting),
        Generate::Minutes => return None,
    };
    Some(text)
}

/// Text as Markdown shows it literally, and as readable as it can stay (the minutes skeleton
/// is edited by hand): what could open emphasis, code, a link, HTML, a table cell or a
/// figure (`{{ }}`) is escaped, and so is what would start a list or a heading; line breaks
/// become spaces (a table cell is one line).
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in text.chars().enumerate() {
        let starts_block =
            (i == 0 && matches!(c, '#' | '-' | '+' | '=')) || (i == digits && digits > 0 && matches!(c, '.' | ')'));
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ if starts_block => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn name_and_role(m: &Member) -> String {
    format!("{}, {}", literal(&m.name), literal(&m.role))
}

fn list(out: &mut String, heading: &str, items: &[String]) {
    out.push_str(&format!("**{heading}**\n\n"));
    if items.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    for item in items {
        out.push_str(&format!("- {item}\n"));
    }
    out.push('\n');
}

fn attendance(register: &Register, meeting: &Meeting) -> String {
    let Some(who) = register.attendees(meeting) else { return String::new() };
    let mut out = String::new();
    let members: Vec<String> = who.present.iter().map(|m| name_and_role(m)).collect();
    list(&mut out, if who.held { "Present" } else { "Members expected" }, &members);
    let apologies: Vec<String> = who.apologies.iter().map(|m| name_and_role(m)).collect();
    list(&mut out, "Apologies", &apologies);
    if !who.in_attendance.is_empty() {
        let others: Vec<String> = who.in_attendance.iter().map(|s| literal(s)).collect();
        list(&mut out, "In attendance", &others);
    }
    out.push_str(&quorum_sentence(&who));
    out
}

/// "The quorum is 5 voting members, of whom at least 2 executive and 2 non-executive. 6 voting
/// members are expected (3 executive, 3 non-executive): the meeting will be quorate."
fn quorum_sentence(who: &Attendees) -> String {
    let Some(quorum) = who.board.quorum else { return String::new() };
    let (all, executive, non_executive) = who.voting();
    let mut of_whom = Vec::new();
    if quorum.executive > 0 {
        of_whom.push(format!("{} executive", quorum.executive));
    }
    if quorum.non_executive > 0 {
        of_whom.push(format!("{} non-executive", quorum.non_executive));
    }
    let of_whom =
        if of_whom.is_empty() { String::new() } else { format!(", of whom at least {}", of_whom.join(" and ")) };
    let (verb, verdict) = match (who.held, who.quorate() == Some(true)) {
        (true, true) => (if all == 1 { "was present" } else { "were present" }, "the meeting was quorate"),
        (true, false) => (if all == 1 { "was present" } else { "were present" }, "the meeting was not quorate"),
        (false, true) => (if all == 1 { "is expected" } else { "are expected" }, "the meeting will be quorate"),
        (false, false) => (if all == 1 { "is expected" } else { "are expected" }, "the meeting will not be quorate"),
    };
    format!(
        "The quorum is {}{of_whom}. {} {verb} ({executive} executive, {non_executive} non-executive): {verdict}.\n",
        plural(quorum.members, "voting member", "voting members"),
        capitalise(&plural(all, "voting member", "voting members")),
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn date(d: Date) -> String {
    d.display_long()
}

fn interests(register: &Register, meeting: &Meeting) -> String {
    let Some(who) = register.attendees(meeting) else { return String::new() };
    let months = register.site.thresholds.interests_renewal_months.get();
    let mut out = String::from(
        "The register of interests of the meeting's members, as declared on the meeting's date.\n\n\
         | Member | Interest | Type | From | Declared |\n|---|---|---|---|---|\n",
    );
    let mut members: Vec<&Member> = who.present.iter().chain(&who.apologies).copied().collect();
    members.sort_by_key(|m| who.board.members.iter().position(|x| x.id == m.id));
    let mut stale = Vec::new();
    for member in &members {
        let name = literal(&member.name);
        let Some(declared) = register.declarations(&member.id) else {
            out.push_str(&format!("| {name} | No declaration recorded | | | |\n"));
            continue;
        };
        let when = date(declared.declared);
        if declared.declared.plus_months(months as i32) < meeting.date {
            stale.push(format!("{name} (declared {when})"));
        }
        let held: Vec<_> = declared.interests.iter().filter(|i| i.held_on(meeting.date)).collect();
        if held.is_empty() {
            out.push_str(&format!("| {name} | Nil return | | | {when} |\n"));
        }
        for interest in held {
            out.push_str(&format!(
                "| {name} | {} | {} | {} | {when} |\n",
                literal(&interest.interest),
                interest.kind.title(),
                interest.from.map(date).unwrap_or_default()
            ));
        }
    }
    out.push('\n');
    if !stale.is_empty() {
        out.push_str(&format!("**Not renewed within {months} months:** {}.\n\n", stale.join("; ")));
    }
    let conflicts = register.conflicts(meeting);
    if conflicts.is_empty() {
        out.push_str("No declared interest concerns an item on this agenda.\n");
    } else {
        out.push_str("**Interests that concern items on this agenda**\n\n");
        for c in conflicts {
            let item = &meeting.agenda[c.item];
            let managed = match c.managed.map(|m| m.managed) {
                Some(Managed::Withheld) => "the paper is withheld from them and they leave for the item",
                Some(Managed::TookPart) => "the chair agreed they take part",
                None => "how it is managed is not yet recorded",
            };
            let org = register.organisation(c.organisation).map_or(c.organisation, |o| o.name.as_str());
            out.push_str(&format!(
                "- Item {}, {}: {} ({}, concerning {}): {managed}.\n",
                literal(&item.item.to_string()),
                literal(&register.agenda_title(item)),
                literal(&c.member.name),
                literal(&c.interest.interest),
                literal(org)
            ));
        }
    }
    out
}

fn status(action: &Action, on: Date) -> String {
    match (action.status, action.closed) {
        (ActionStatus::Closed, Some(closed)) if closed <= on => format!("Closed {}", date(closed)),
        _ if action.due < on => "Open: overdue".to_string(),
        _ => "Open".to_string(),
    }
}

fn actions(register: &Register, meeting: &Meeting) -> String {
    let log = register.action_log(meeting);
    if log.is_empty() {
        return "There are no open actions, and none was closed since the last meeting.\n".to_string();
    }
    let open = log.iter().filter(|a| a.open_on(meeting.date)).count() as u32;
    let overdue = log.iter().filter(|a| a.open_on(meeting.date) && a.due < meeting.date).count() as u32;
    let closed = log.len() as u32 - open;
    let mut out = format!(
        "{} open ({overdue} overdue), {} since the last meeting.\n\n| Ref | Raised | Action | Owner | Due | Status | Note |\n|---|---|---|---|---|---|---|\n",
        capitalise(&plural(open, "action", "actions")),
        plural(closed, "closed", "closed"),
    );
    for action in log {
        let raised = register.meeting(&action.meeting).map(|m| date(m.date)).unwrap_or_default();
        let raised = match &action.item {
            Some(item) => format!("{raised}, item {}", literal(&item.to_string())),
            None => raised,
        };
        out.push_str(&format!(
            "| {} | {raised} | {} | {} | {} | {} | {} |\n",
            literal(&action.id),
            literal(&action.action),
            literal(register.member_name(&action.owner)),
            date(action.due),
            status(action, meeting.date),
            action.note.as_deref().map(literal).unwrap_or_default()
        ));
    }
    out
}

fn decisions(register: &Register, meeting: &Meeting) -> String {
    let Some(previous) = register.previous_meeting(meeting) else {
        return "There is no earlier meeting of the board in the register.\n".to_string();
    };
    let made = register.decisions_of(previous);
    if made.is_empty() {
        return format!("The meeting of {} recorded no decisions.\n", date(previous.date));
    }
    let mut out = format!(
        "Decisions of the meeting of {}.\n\n| Item | Decision | Proposed | Seconded | Outcome |\n|---|---|---|---|---|\n",
        date(previous.date)
    );
    for d in made {
        let who = |id: &Option<String>| id.as_deref().map(|id| literal(register.member_name(id))).unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            literal(&d.item.to_string()),
            literal(&d.decision),
            who(&d.proposer),
            who(&d.seconder),
            d.outcome.title()
        ));
    }
    out
}

/// A YAML string in double quotes: front matter values of the minutes skeleton.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The minutes of `meeting` as a Markdown paper for the secretary to finish: front matter
/// (a draft, `minutes_of:` the meeting), who attended, then a section per agenda item with its
/// declarations, decisions and actions from the records, and a placeholder for the discussion.
pub fn minutes_skeleton(register: &Register, meeting: &Meeting) -> String {
    let title = format!("Minutes of the {}, {}", lowercase_first(&meeting.title), date(meeting.date));
    let mut out = format!(
        "---\ntitle: {}\nreport_by:\n  - {}\npaper_type: for-approval\naction_required: {}\nminutes_of: {}\ndraft: true\n---\n\n",
        yaml_string(&title),
        yaml_string("Board secretary"),
        yaml_string("The board is asked to approve these minutes as a correct record."),
        meeting.id
    );
    if let Some(who) = register.attendees(meeting) {
        let names = |ms: &[&Member]| -> String {
            if ms.is_empty() {
                "None.".to_string()
            } else {
                ms.iter().map(|m| name_and_role(m)).collect::<Vec<_>>().join("; ")
            }
        };
        let present = if who.held { names(&who.present) } else { "\\[Record who was present.\\]".to_string() };
        out.push_str(&format!("**Present:** {present}\n\n**Apologies:** {}\n\n", names(&who.apologies)));
        if !who.in_attendance.is_empty() {
            let others: Vec<String> = who.in_attendance.iter().map(|s| literal(s)).collect();
            out.push_str(&format!("**In attendance:** {}\n\n", others.join("; ")));
        }
        if who.held {
            out.push_str(&quorum_sentence(&who));
            out.push('\n');
        }
    }
    let conflicts = register.conflicts(meeting);
    for item in &meeting.agenda {
        out.push_str(&format!("## {}. {}\n\n", literal(&item.item.to_string()), literal(&register.agenda_title(item))));
        if let Some(presenter) = &item.presenter {
            out.push_str(&format!("Presented by: {}.\n\n", literal(presenter)));
        }
        if item.generate == Some(Generate::Interests) {
            if conflicts.is_empty() {
                out.push_str("No member declared an interest in an item on the agenda.\n\n");
            }
            for c in &conflicts {
                let on = &meeting.agenda[c.item];
                let how = match c.managed.and_then(|m| m.note.clone()) {
                    Some(note) => literal(&note),
                    None => match c.managed.map(|m| m.managed) {
                        Some(Managed::Withheld) => "They left the meeting for the item.".to_string(),
                        Some(Managed::TookPart) => "The chair agreed that they take part.".to_string(),
                        None => "\\[Record how the conflict was managed.\\]".to_string(),
                    },
                };
                out.push_str(&format!(
                    "- {} declared an interest in item {} ({}). {how}\n",
                    literal(&c.member.name),
                    literal(&on.item.to_string()),
                    literal(&c.interest.interest)
                ));
            }
            if !conflicts.is_empty() {
                out.push('\n');
            }
        }
        out.push_str("\\[Record the board's discussion.\\]\n\n");
        for d in register.decisions_of(meeting).into_iter().filter(|d| d.item == item.item) {
            let mut moved = Vec::new();
            if let Some(p) = &d.proposer {
                moved.push(format!("proposed by {}", literal(register.member_name(p))));
            }
            if let Some(s) = &d.seconder {
                moved.push(format!("seconded by {}", literal(register.member_name(s))));
            }
            let moved = if moved.is_empty() { String::new() } else { format!(" ({})", moved.join(", ")) };
            out.push_str(&format!(
                "**Decision ({}):** {}{moved}\n\n",
                d.outcome.title().to_lowercase(),
                literal(&d.decision)
            ));
        }
        let raised: Vec<&Action> = register
            .actions
            .iter()
            .filter(|a| a.meeting == meeting.id && a.item.as_ref() == Some(&item.item))
            .collect();
        for a in raised {
            out.push_str(&format!(
                "**Action {}:** {} (owner: {}; due {}).\n\n",
                literal(&a.id),
                literal(&a.action),
                literal(register.member_name(&a.owner)),
                date(a.due)
            ));
        }
    }
    out
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_cannot_open_a_table_cell_a_link_or_html() {
        assert_eq!(literal("a | b"), "a \\| b");
        assert_eq!(literal("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(literal("Ashworth-Lyle (fictional)"), "Ashworth-Lyle (fictional)");
        assert_eq!(literal("# 1. x"), "\\# 1. x");
        assert_eq!(literal("2026. x"), "2026\\. x");
        assert_eq!(literal("{{ exits }}"), "\\{\\{ exits \\}\\}");
        assert_eq!(literal("<script>\nx"), "\\<script\\> x");
    }
}
