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

impl Member {
    /// Whether they vote (and count towards the quorum).
    pub fn votes(&self) -> bool {
        self.voting.unwrap_or(self.kind != MemberKind::Associate)
    }

    /// Whether their term covers `date`.
    pub fn in_term(&self, date: Date) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    Executive,
    NonExecutive,
    Associate,
}

impl MemberKind {
    pub fn name(self) -> &'static str {
        match self {
            MemberKind::Executive => "executive",
            MemberKind::NonExecutive => "non-executive",
            MemberKind::Associate => "associate",
        }
    }
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
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
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
