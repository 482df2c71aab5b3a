//! The cover block of a board paper: what it says is decided once, here, and the website page
//! and the PDF lay it out (NHS England's board-paper format: agenda item, report by, paper
//! type, date, objectives, working with people and communities, action required).

use serde::Serialize;

use oversight_syntax::date::DateView;

use crate::{AgendaItem, Meeting, Paper, Register};

/// A paper's cover block, with the meeting that presents it (its first, if several do).
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub id: String,
    pub title: String,
    /// The agenda item number: `5.1`.
    pub item: Option<String>,
    /// As the cover shows it: `5.1 (public session)`.
    pub agenda_item: Option<String>,
    pub report_by: Vec<String>,
    /// Who presents it, and for what (`To note`), as its agenda item says.
    pub presenter: Option<String>,
    pub purpose: Option<String>,
    /// Always given for a Markdown paper; a paper written elsewhere may have none.
    pub paper_type: Option<&'static str>,
    /// The date of the meeting.
    pub date: Option<DateView>,
    /// "Organisation objective", or "Organisation objectives" for more than one.
    pub objectives_label: &'static str,
    pub organisation_objectives: Vec<String>,
    /// The question the paper answers under "Working with people and communities", if given.
    pub people_and_communities_prompt: Option<String>,
    pub working_with_people_and_communities: Vec<String>,
    /// Always given for a Markdown paper; a paper written elsewhere has none (its own pages
    /// say what the board is asked to do).
    pub action_required: Option<String>,
    pub publication_reference: Option<String>,
    /// The protective marking, after "Draft" for a draft paper (made only with `--drafts`), so
    /// every page of a draft says so.
    pub classification: Option<String>,
}

impl Cover {
    /// The cover as the website and a paper's own PDF show it: with the first meeting that
    /// presents the paper.
    pub fn of(paper: &Paper, register: &Register) -> Cover {
        Cover::presented(paper, register.meeting_of(&paper.id))
    }

    /// The cover as presented at `meeting`'s agenda item (in that meeting's pack).
    pub fn presented(paper: &Paper, presented: Option<(&Meeting, &AgendaItem)>) -> Cover {
        Cover {
            id: paper.id.clone(),
            title: paper.title.clone(),
            item: presented.map(|(_, a)| a.item.to_string()),
            agenda_item: presented.map(|(m, a)| format!("{} ({})", a.item, m.session.name())),
            report_by: paper.report_by.clone(),
            presenter: presented.and_then(|(_, a)| a.presenter.clone()),
            purpose: presented.and_then(|(_, a)| a.purpose.clone()),
            paper_type: paper.paper_type.map(|t| t.title()),
            date: presented.map(|(m, _)| m.date.into()),
            objectives_label: if paper.organisation_objectives.len() > 1 {
                "Organisation objectives"
            } else {
                "Organisation objective"
            },
            organisation_objectives: paper.organisation_objectives.clone(),
            people_and_communities_prompt: paper.working_with_people_and_communities_prompt.clone(),
            working_with_people_and_communities: paper.working_with_people_and_communities.clone(),
            action_required: paper.action_required.clone(),
            publication_reference: paper.publication_reference.clone(),
            classification: match (paper.draft, &paper.classification) {
                (true, Some(marking)) => Some(format!("Draft · {marking}")),
                (true, None) => Some("Draft".to_string()),
                (false, marking) => marking.clone(),
            },
        }
    }
}

impl Cover {
    /// What a pack's data says of a page that is not a paper: a standing item made from the
    /// records, or an item withheld from one member's pack. `id` marks where it starts.
    pub fn item_page(id: String, title: String, meeting: &Meeting, item: &AgendaItem) -> Cover {
        Cover {
            id,
            title,
            item: Some(item.item.to_string()),
            agenda_item: Some(format!("{} ({})", item.item, meeting.session.name())),
            report_by: Vec::new(),
            presenter: item.presenter.clone(),
            purpose: item.purpose.clone(),
            paper_type: None,
            date: Some(meeting.date.into()),
            objectives_label: "Organisation objective",
            organisation_objectives: Vec::new(),
            people_and_communities_prompt: None,
            working_with_people_and_communities: Vec::new(),
            action_required: None,
            publication_reference: None,
            classification: None,
        }
    }
}
