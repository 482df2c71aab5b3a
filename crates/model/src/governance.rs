//! The records of a board's own business (docs/record-format.md, "Board governance"): the
//! board and its members ([`Board`]), each member's declarations of interest
//! ([`Declarations`]), the action log ([`Action`]) and decisions ([`Decision`]); and what a
//! meeting records of them ([`Attendance`], [`Conflict`], [`Reason`]). What they mean at a
//! meeting (who is expected, whether it was quorate, the register extract) is
//! oversight-analysis's; whether they are right is oversight-rules'.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::strings;
use crate::{Register, SLUG_PATTERN};
use oversight_syntax::date::Date;
use oversight_syntax::source::FileId;

/// `content/boards/<id>.yaml`: a board (or committee), its quorum and its members.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Board {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// The board's name, e.g. `Example Regional Oversight Board`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub name: String,
    /// How many voting members must be present for the meeting to do business, as its
    /// standing orders say.
    pub quorum: Option<Quorum>,
    /// Its members, past and present.
    #[serde(default)]
    pub members: Vec<Member>,
}

/// `quorum:` of a board: voting members present, of whom some executive and some
/// non-executive members, as NHS standing orders usually put it.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// Voting members present, at least.
    pub members: u32,
    /// Of them, executive members, at least. Default: 0.
    #[serde(default)]
    pub executive: u32,
    /// Of them, non-executive members, at least. Default: 0.
    #[serde(default)]
    pub non_executive: u32,
}

/// One member of a board.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// How meetings, declarations and actions name them: `jane-okafor`. The same person has the
    /// same id on every board.
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub id: String,
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub name: String,
    /// E.g. `Chair`, `Director of Finance`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub role: String,
    /// `executive`, `non-executive`, or `associate` (attends, does not vote unless `voting` says so).
    pub kind: MemberKind,
    /// Whether they vote and count towards the quorum. Default: `true`, `false` for an associate.
    pub voting: Option<bool>,
    /// The first day of their term.
    pub from: Option<Date>,
    /// The last day of their term.
    pub to: Option<Date>,
}

/// Whether the period `from`..=`to` (either end open) covers `date`: a term, an interest.
fn covers(from: Option<Date>, to: Option<Date>, date: Date) -> bool {
    from.is_none_or(|from| from <= date) && to.is_none_or(|to| date <= to)
}

impl Member {
    /// Whether they vote (and count towards the quorum).
    pub fn votes(&self) -> bool {
        self.voting.unwrap_or(self.kind != MemberKind::Associate)
    }

    /// Whether their term covers `date`.
    pub fn in_term(&self, date: Date) -> bool {
        covers(self.from, self.to, date)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    Executive,
    NonExecutive,
    Associate,
}

impl Board {
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }
}

/// `content/interests/<member>.yaml`: one member's declaration of interests, as their last
/// form gave it (a form with no interests is a nil return).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Declarations {
    /// The member's id (the file's name).
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// The day the member last made or confirmed the declaration.
    pub declared: Date,
    /// What they declare; none is a nil return.
    #[serde(default)]
    pub interests: Vec<Interest>,
}

/// One declared interest.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interest {
    /// What it is, e.g. `Non-executive director, Example Care Ltd`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub interest: String,
    /// The type of interest, in NHS England's conflicts of interest guidance's terms.
    #[serde(rename = "type")]
    pub kind: InterestType,
    /// When it began.
    pub from: Option<Date>,
    /// When it ended; none while it lasts.
    pub to: Option<Date>,
    /// The organisations in the register it concerns: a paper about one of them is an item the
    /// member is conflicted on.
    #[serde(default)]
    pub organisations: Vec<String>,
}

impl Interest {
    /// Whether it is held on `date`.
    pub fn held_on(&self, date: Date) -> bool {
        covers(self.from, self.to, date)
    }
}

/// The four types of interest of NHS England's "Managing conflicts of interest in the NHS".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InterestType {
    Financial,
    NonFinancialProfessional,
    NonFinancialPersonal,
    Indirect,
}

impl InterestType {
    pub fn title(self) -> &'static str {
        match self {
            InterestType::Financial => "Financial",
            InterestType::NonFinancialProfessional => "Non-financial professional",
            InterestType::NonFinancialPersonal => "Non-financial personal",
            InterestType::Indirect => "Indirect",
        }
    }
}

/// `content/actions/<id>.yaml`: one action from a meeting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// The meeting it was raised at.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub meeting: String,
    /// The agenda item it was raised under; quote it: `"5.1"`.
    pub item: Option<strings::Label>,
    /// What is to be done.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub action: String,
    /// The member who owns it.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub owner: String,
    /// When it is due.
    pub due: Date,
    pub status: ActionStatus,
    /// The day it was closed (required when it is).
    pub closed: Option<Date>,
    /// Progress, or how it was closed.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    Closed,
}

impl Action {
    /// Whether it is open on `date`: not closed, or closed after it.
    pub fn open_on(&self, date: Date) -> bool {
        match (self.status, self.closed) {
            (ActionStatus::Open, _) => true,
            (ActionStatus::Closed, Some(closed)) => closed > date,
            (ActionStatus::Closed, None) => false,
        }
    }
}

/// `content/decisions/<id>.yaml`: one decision of a meeting.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// The meeting that made it.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub meeting: String,
    /// The agenda item; quote it: `"5.1"`.
    pub item: strings::Label,
    /// The resolution, e.g. `The board approved the contract.`
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub decision: String,
    /// The member who proposed it.
    pub proposer: Option<String>,
    /// The member who seconded it.
    pub seconder: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Approved,
    Rejected,
    Deferred,
    Noted,
}

impl Outcome {
    pub fn title(self) -> &'static str {
        match self {
            Outcome::Approved => "Approved",
            Outcome::Rejected => "Rejected",
            Outcome::Deferred => "Deferred",
            Outcome::Noted => "Noted",
        }
    }
}

/// `attendance:` of a meeting: the members present and those who sent apologies (ids of the
/// board's members), and others in attendance (names and roles, as the minutes give them).
/// Before the meeting, `apologies` alone says who is not expected.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    #[serde(default)]
    pub present: Vec<String>,
    #[serde(default)]
    pub apologies: Vec<String>,
    /// E.g. `Sam Adeyemi, Head of Corporate Governance (minutes)`.
    #[serde(default)]
    pub in_attendance: Vec<String>,
}

/// `conflicts:` entry of an agenda item: how a member's declared interest was managed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// The member.
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub member: String,
    /// How: `withheld` (the paper is left out of their pack and they leave for the item) or
    /// `took-part` (the chair agreed they take part).
    pub managed: Managed,
    /// What the minutes will say, e.g. `Left the meeting for the item.`
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Managed {
    Withheld,
    TookPart,
}

/// `reason:` of a private (Part II) item: why the public is excluded. The Public Bodies
/// (Admission to Meetings) Act 1960, s1(2), allows exclusion where publicity would be
/// prejudicial to the public interest "by reason of the confidential nature of the business"
/// or "for other special reasons stated in the resolution"; it lists no reasons. This
/// vocabulary is the tool's, written the way NHS standing orders commonly give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    CommercialConfidentiality,
    PersonalInformation,
    LegalAdvice,
    Negotiations,
    PolicyInDevelopment,
    Security,
}

impl Reason {
    pub const ALL: [Reason; 6] = [
        Reason::CommercialConfidentiality,
        Reason::PersonalInformation,
        Reason::LegalAdvice,
        Reason::Negotiations,
        Reason::PolicyInDevelopment,
        Reason::Security,
    ];

    /// As a record writes it.
    pub fn slug(self) -> &'static str {
        match self {
            Reason::CommercialConfidentiality => "commercial-confidentiality",
            Reason::PersonalInformation => "personal-information",
            Reason::LegalAdvice => "legal-advice",
            Reason::Negotiations => "negotiations",
            Reason::PolicyInDevelopment => "policy-in-development",
            Reason::Security => "security",
        }
    }

    /// As the resolution to exclude the public gives it.
    pub fn text(self) -> &'static str {
        match self {
            Reason::CommercialConfidentiality => "commercially confidential information",
            Reason::PersonalInformation => "information about identifiable individuals",
            Reason::LegalAdvice => "legal advice, or information subject to legal privilege",
            Reason::Negotiations => "negotiations in progress",
            Reason::PolicyInDevelopment => "the development of policy not yet agreed",
            Reason::Security => "information whose publication would put people or property at risk",
        }
    }
}

impl Register {
    /// The board with this id.
    pub fn board(&self, id: &str) -> Option<&Board> {
        self.boards.iter().find(|b| b.id == id)
    }

    /// The board of a meeting, if it names one.
    pub fn board_of(&self, meeting: &crate::Meeting) -> Option<&Board> {
        meeting.board.as_deref().and_then(|id| self.board(id))
    }

    /// A member's declarations of interest.
    pub fn declarations(&self, member: &str) -> Option<&Declarations> {
        self.interests.iter().find(|d| d.id == member)
    }

    /// The meeting with this id.
    pub fn meeting(&self, id: &str) -> Option<&crate::Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// A member's name, from the first board that has them; else the id as given.
    pub fn member_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.boards.iter().find_map(|b| b.member(id)).map_or(id, |m| m.name.as_str())
    }
}

/// The resolution to exclude the public that a public meeting's agenda ends with: its
/// private session's items, each with the reason for taking it in private.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartTwo {
    /// The private meeting's id.
    pub meeting: String,
    pub items: Vec<PrivateItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateItem {
    pub item: String,
    /// Given only when site.yaml's `publish_private_item_titles` says so.
    pub title: Option<String>,
    /// None when the agenda gives none (OVS609 warns).
    pub reason: Option<Reason>,
}

impl Register {
    /// The private session held with a public meeting: the private meeting of the same board
    /// (or, without one, the same body) on the same day.
    pub fn private_session_of(&self, meeting: &crate::Meeting) -> Option<&crate::Meeting> {
        if meeting.session != crate::Session::Public {
            return None;
        }
        self.meetings.iter().find(|m| {
            m.session == crate::Session::Private
                && m.date == meeting.date
                && match (&m.board, &meeting.board) {
                    (Some(a), Some(b)) => a == b,
                    _ => m.body == meeting.body,
                }
        })
    }

    /// A public meeting's resolution to exclude the public: the items of its private session
    /// that present a paper or give a reason. Computed from the private meeting where the
    /// register holds it, else as [`Register::without_private`] kept it.
    pub fn part_two(&self, meeting: &crate::Meeting) -> Option<PartTwo> {
        let Some(private) = self.private_session_of(meeting) else { return meeting.part_two.clone() };
        let titles = self.site.publish_private_item_titles;
        let items: Vec<PrivateItem> = private
            .agenda
            .iter()
            .filter(|a| a.paper.is_some() || a.reason.is_some())
            .map(|a| PrivateItem {
                item: a.item.to_string(),
                title: titles.then(|| self.agenda_title(a)),
                reason: a.reason,
            })
            .collect();
        Some(PartTwo { meeting: private.id.clone(), items })
    }

    /// Whether a private paper is published from `as_of`: its `restricted_until` has come.
    pub fn is_released(&self, paper: &str, as_of: Date) -> bool {
        self.paper(paper).and_then(|p| p.restricted_until).is_some_and(|until| until <= as_of)
    }
}

/// Who a meeting counts: its board's members in term on the day, as present (once the
/// meeting records who was) or as expected (before: everyone in term but those who sent
/// apologies).
#[derive(Debug)]
pub struct Attendees<'a> {
    pub board: &'a Board,
    /// Whether `present` is recorded (the meeting was held); otherwise `present` is who is
    /// expected.
    pub held: bool,
    /// The members present (or expected), in the board's order.
    pub present: Vec<&'a Member>,
    pub apologies: Vec<&'a Member>,
    pub in_attendance: Vec<String>,
}

impl Attendees<'_> {
    /// The voting members present (or expected): (all, executive, non-executive).
    pub fn voting(&self) -> (u32, u32, u32) {
        let voting = self.present.iter().filter(|m| m.votes());
        let count = |kind| voting.clone().filter(|m| m.kind == kind).count() as u32;
        (voting.clone().count() as u32, count(MemberKind::Executive), count(MemberKind::NonExecutive))
    }

    /// Whether the meeting is (or will be) quorate; `None` when the board states no quorum.
    pub fn quorate(&self) -> Option<bool> {
        let quorum = self.board.quorum?;
        let (all, executive, non_executive) = self.voting();
        Some(all >= quorum.members && executive >= quorum.executive && non_executive >= quorum.non_executive)
    }
}

/// A member's declared interest in an organisation an agenda item's paper is about.
#[derive(Debug)]
pub struct ItemConflict<'a> {
    /// The agenda item's index.
    pub item: usize,
    pub member: &'a Member,
    pub interest: &'a Interest,
    /// The organisation both concern.
    pub organisation: &'a str,
    /// How the meeting records it was managed, if it does.
    pub managed: Option<&'a Conflict>,
}

impl Register {
    /// Who `meeting` counts, if it names a board the register holds.
    pub fn attendees(&self, meeting: &crate::Meeting) -> Option<Attendees<'_>> {
        let board = self.board_of(meeting)?;
        let attendance = meeting.attendance.as_ref();
        let listed = |ids: Option<&Vec<String>>| -> Vec<&Member> {
            board.members.iter().filter(|m| ids.is_some_and(|ids| ids.contains(&m.id))).collect()
        };
        let apologies = listed(attendance.map(|a| &a.apologies));
        let held = attendance.is_some_and(|a| !a.present.is_empty());
        let present = if held {
            listed(attendance.map(|a| &a.present))
        } else {
            let sent: Vec<&str> = apologies.iter().map(|m| m.id.as_str()).collect();
            board.members.iter().filter(|m| m.in_term(meeting.date) && !sent.contains(&m.id.as_str())).collect()
        };
        Some(Attendees {
            board,
            held,
            present,
            apologies,
            in_attendance: attendance.map(|a| a.in_attendance.clone()).unwrap_or_default(),
        })
    }

    /// The organisations agenda item `item` is about: its paper's and its appendices'.
    pub fn item_organisations<'a>(&'a self, item: &'a crate::AgendaItem) -> Vec<&'a str> {
        let papers = item.paper.iter().chain(item.appendices.iter().map(|a| &a.paper));
        let mut orgs: Vec<&str> =
            papers.filter_map(|id| self.paper(id)).flat_map(|p| p.organisations.iter().map(String::as_str)).collect();
        orgs.sort_unstable();
        orgs.dedup();
        orgs
    }

    /// Every declared interest of `meeting`'s members (present or expected, and those who
    /// sent apologies: they receive the pack) that touches an item on its agenda.
    pub fn conflicts<'a>(&'a self, meeting: &'a crate::Meeting) -> Vec<ItemConflict<'a>> {
        let Some(attendees) = self.attendees(meeting) else { return Vec::new() };
        let members = attendees.present.iter().chain(&attendees.apologies);
        let mut found = Vec::new();
        for member in members {
            let Some(declared) = self.declarations(&member.id) else { continue };
            for (k, item) in meeting.agenda.iter().enumerate() {
                let orgs = self.item_organisations(item);
                for interest in declared.interests.iter().filter(|i| i.held_on(meeting.date)) {
                    if let Some(org) = interest.organisations.iter().find(|o| orgs.contains(&o.as_str())) {
                        let managed = item.conflicts.iter().find(|c| c.member == member.id);
                        found.push(ItemConflict { item: k, member, interest, organisation: org, managed });
                    }
                }
            }
        }
        found.sort_by_key(|c| c.item);
        found
    }

    /// The board's meeting before `meeting` in the same session (public or private), if the
    /// register holds one.
    pub fn previous_meeting(&self, meeting: &crate::Meeting) -> Option<&crate::Meeting> {
        self.meetings
            .iter()
            .filter(|m| m.board.is_some() && m.board == meeting.board && m.session == meeting.session)
            .filter(|m| m.date < meeting.date)
            .max_by_key(|m| (m.date, m.id.as_str()))
    }

    /// The action log `meeting` presents: the board's actions raised at its earlier meetings
    /// of the same session (a private session's actions are never in a public log), open on
    /// the day or closed since its previous meeting, by due date.
    pub fn action_log<'a>(&'a self, meeting: &'a crate::Meeting) -> Vec<&'a Action> {
        let Some(board) = meeting.board.as_deref() else { return Vec::new() };
        let since = self.previous_meeting(meeting).map(|m| m.date);
        let mut actions: Vec<&Action> = self
            .actions
            .iter()
            .filter(|a| {
                self.meeting(&a.meeting).is_some_and(|raised| {
                    raised.board.as_deref() == Some(board)
                        && raised.session == meeting.session
                        && raised.date < meeting.date
                })
            })
            .filter(|a| {
                a.open_on(meeting.date) || a.closed.is_some_and(|c| c <= meeting.date && since.is_none_or(|s| c > s))
            })
            .collect();
        actions.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
        actions
    }

    /// The decisions made at `meeting`, in agenda order.
    pub fn decisions_of<'a>(&'a self, meeting: &'a crate::Meeting) -> Vec<&'a Decision> {
        let position = |d: &Decision| meeting.agenda.iter().position(|a| a.item == d.item).unwrap_or(usize::MAX);
        let mut decisions: Vec<&Decision> = self.decisions.iter().filter(|d| d.meeting == meeting.id).collect();
        decisions.sort_by_key(|d| (position(d), d.id.clone()));
        decisions
    }

    /// The approved minutes of `meeting`: the paper that says it records it and is not a draft.
    pub fn minutes_of(&self, meeting: &str) -> Option<&crate::Paper> {
        self.papers.iter().find(|p| p.minutes_of.as_deref() == Some(meeting) && !p.draft)
    }

    /// A `generate: minutes` item with no `paper:` presents the approved minutes of the
    /// board's previous meeting, and a standing item with no `title:` takes its usual one.
    /// Called once the register is loaded, beside [`Register::attach_details`].
    pub fn resolve_standing_items(&mut self) {
        // Undo an earlier resolution first: the minutes or the meetings may have changed since.
        for item in self.meetings.iter_mut().flat_map(|m| m.agenda.iter_mut()) {
            if item.generated.paper {
                item.paper = None;
            }
            if item.generated.title {
                item.title = None;
            }
            item.generated = Default::default();
        }
        let mut resolved: Vec<(usize, usize, Option<String>, Option<String>)> = Vec::new();
        for (i, meeting) in self.meetings.iter().enumerate() {
            for (k, item) in meeting.agenda.iter().enumerate() {
                let Some(generate) = item.generate else { continue };
                let previous = self.previous_meeting(meeting);
                let paper = match (generate, &item.paper) {
                    // A PDF paper's `minutes_of` is in its details, which are attached after
                    // this. Approved minutes come before a draft (a skeleton being written).
                    (crate::Generate::Minutes, None) => previous.and_then(|m| {
                        let of = Some(m.id.as_str());
                        let mut candidates: Vec<(bool, &str)> = self
                            .papers
                            .iter()
                            // A PDF paper's copy of its details' `minutes_of` may be stale here.
                            .filter(|p| p.attachment().is_none() && p.minutes_of.as_deref() == of)
                            .map(|p| (p.draft, p.id.as_str()))
                            .chain(
                                self.paper_details
                                    .iter()
                                    .filter(|d| d.minutes_of.as_deref() == of)
                                    .map(|d| (d.draft, d.id.as_str())),
                            )
                            .collect();
                        candidates.sort();
                        candidates.first().map(|(_, id)| id.to_string())
                    }),
                    _ => None,
                };
                let title = item.title.is_none().then(|| generate.title(previous));
                resolved.push((i, k, paper, title));
            }
        }
        for (i, k, paper, title) in resolved {
            let item = &mut self.meetings[i].agenda[k];
            item.generated = crate::Generated { paper: paper.is_some(), title: title.is_some() };
            item.paper = item.paper.take().or(paper);
            item.title = item.title.take().or(title);
        }
    }
}

impl crate::Generate {
    /// The usual title of the standing item; the minutes' names the previous meeting's date.
    pub fn title(self, previous: Option<&crate::Meeting>) -> String {
        match self {
            crate::Generate::Attendance => "Welcome and apologies".into(),
            crate::Generate::Interests => "Declarations of interest".into(),
            crate::Generate::Minutes => match previous {
                Some(m) => format!("Minutes of the meeting held on {}", m.date.display_long()),
                None => "Minutes of the last meeting".into(),
            },
            crate::Generate::Actions => "Action log and matters arising".into(),
            crate::Generate::Decisions => "Decisions of the last meeting".into(),
        }
    }
}
