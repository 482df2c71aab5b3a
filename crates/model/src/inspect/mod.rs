//! What a paper given as a PDF or Word file carries besides the pages a reader sees, found
//! before anything given is published: protective markings in its text and metadata, Word's
//! tracked changes, comments and hidden text, a PDF's annotations, embedded files, scripts,
//! launch actions and filled-in form fields, and metadata that names people. The website
//! publishes a given paper exactly as given, so whatever is in the file is published with it.
//!
//! This module only finds things ([`Inspection`]); whether each finding stops a build depends on
//! the paper (its `classification`, whether the website publishes it, and the `allow:` of its
//! details file), which the rules decide (oversight-rules, `OVS7xx`). A Word file that links
//! content outside itself is refused here, before LibreOffice would fetch it ([`docx::inspect`]).

pub mod docx;
pub mod pdf;

use schemars::JsonSchema;
use serde::Deserialize;

/// A protective marking, from the lowest to the highest. `OFFICIAL` itself is no finding: it
/// is what may be public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Marking {
    /// OFFICIAL-SENSITIVE (Government Security Classifications, 2014 and 2023).
    OfficialSensitive,
    /// "Commercial in confidence": a handling caveat of OFFICIAL-SENSITIVE information.
    CommercialInConfidence,
    /// RESTRICTED (the Government Protective Marking Scheme before 2014; still seen on NHS papers).
    Restricted,
    /// CONFIDENTIAL (likewise), and "Private and confidential".
    Confidential,
    Secret,
    TopSecret,
}

impl Marking {
    /// How it is named in a diagnostic.
    pub fn name(self) -> &'static str {
        match self {
            Marking::OfficialSensitive => "OFFICIAL-SENSITIVE",
            Marking::CommercialInConfidence => "Commercial in confidence",
            Marking::Restricted => "Restricted",
            Marking::Confidential => "Confidential",
            Marking::Secret => "SECRET",
            Marking::TopSecret => "TOP SECRET",
        }
    }

    /// Its level: 0 is what may be public (OFFICIAL, or no marking); "Commercial in
    /// confidence" is a caveat of OFFICIAL-SENSITIVE, so the same level.
    pub fn level(self) -> u8 {
        match self {
            Marking::OfficialSensitive | Marking::CommercialInConfidence => 1,
            Marking::Restricted => 2,
            Marking::Confidential => 3,
            Marking::Secret => 4,
            Marking::TopSecret => 5,
        }
    }

    /// The words of the marking, lower case, as [`find_markings`] looks for them (hyphens,
    /// colons and underscores read as spaces). Longer phrases first, so "top secret" is not
    /// also read as "secret".
    const PHRASES: [(&'static [&'static str], Marking); 6] = [
        (&["official", "sensitive"], Marking::OfficialSensitive),
        (&["commercial", "in", "confidence"], Marking::CommercialInConfidence),
        (&["top", "secret"], Marking::TopSecret),
        (&["restricted"], Marking::Restricted),
        (&["confidential"], Marking::Confidential),
        (&["secret"], Marking::Secret),
    ];

    /// The level a paper's own `classification:` gives it ("Official-Sensitive (commercial)"
    /// is 1; "Official", or none, is 0): the highest marking named anywhere in it.
    pub fn level_of_classification(classification: Option<&str>) -> u8 {
        let Some(text) = classification else { return 0 };
        let words = words(text);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        Marking::PHRASES
            .iter()
            .filter(|(phrase, _)| (0..lower.len()).any(|i| starts_with(&lower[i..], phrase)))
            .map(|(_, m)| m.level())
            .max()
            .unwrap_or(0)
    }
}

/// Words that may stand beside a marking on a line that is a marking (a header or footer, a
/// label): "Private and confidential", "Classification: Restricted", "Page 3 of 12 Restricted".
const LABEL_WORDS: [&str; 12] = [
    "classification",
    "protective",
    "marking",
    "security",
    "status",
    "private",
    "and",
    "strictly",
    "personal",
    "page",
    "of",
    "document",
];

/// The words of a line: letters and digits, with hyphens, colons, slashes, underscores and
/// other punctuation read as spaces.
fn words(line: &str) -> Vec<&str> {
    line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

fn starts_with(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

/// The protective markings a text states, each with the line it is on. Ordinary prose uses
/// these words too ("confidential patient information", "restricted access"), so a marking
/// counts when it is written in capitals (`RESTRICTED`, `OFFICIAL-SENSITIVE`, as markings are),
/// when its line is only the marking and label words (a footer saying "Restricted", "Private
/// and confidential", "Classification: Official Sensitive"), or, for OFFICIAL-SENSITIVE, which
/// is never anything but a marking, anywhere. Metadata values are read as lines of their own.
pub fn find_markings(text: &str) -> Vec<(Marking, String)> {
    let mut found: Vec<(Marking, String)> = Vec::new();
    for line in text.lines() {
        let words = words(line);
        if words.is_empty() {
            continue;
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut i = 0;
        let mut on_line: Vec<(Marking, usize, usize)> = Vec::new();
        while i < lower.len() {
            match Marking::PHRASES.iter().find(|(phrase, _)| starts_with(&lower[i..], phrase)) {
                Some((phrase, marking)) => {
                    on_line.push((*marking, i, phrase.len()));
                    i += phrase.len();
                }
                None => i += 1,
            }
        }
        if on_line.is_empty() {
            continue;
        }
        let marked: Vec<usize> = on_line.iter().flat_map(|&(_, start, len)| start..start + len).collect();
        let only_labels = lower.iter().enumerate().all(|(i, w)| {
            marked.contains(&i) || LABEL_WORDS.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit())
        });
        for (marking, start, len) in on_line {
            let capitals = words[start..start + len].iter().all(|w| w.chars().all(|c| !c.is_lowercase()));
            if (capitals || only_labels || marking == Marking::OfficialSensitive)
                && !found.iter().any(|(m, _)| *m == marking)
            {
                let mut excerpt: String = line.trim().chars().take(80).collect();
                if line.trim().chars().count() > 80 {
                    excerpt.push('…');
                }
                found.push((marking, excerpt));
            }
        }
    }
    found
}

/// What a paper's details file (`content/papers/<id>.yaml`) may allow its given file to carry,
/// in `allow:`. A script, a launch action and content linked from outside the file are never
/// allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Allow {
    /// A protective marking above the paper's `classification` (or above OFFICIAL, for a paper
    /// the website publishes): for a word the check reads as a marking that is not one.
    ProtectiveMarking,
    /// Word's tracked changes (insertions, deletions and moves not yet accepted).
    TrackedChanges,
    /// Comments (Word's, or a PDF's comment annotations).
    Comments,
    /// Word's hidden text.
    HiddenText,
    /// A PDF's annotations other than links and comments (highlights, stamps, drawings).
    Annotations,
    /// Files embedded in a PDF (attachments).
    EmbeddedFiles,
    /// A PDF's form fields that hold values.
    FormFields,
    /// Metadata that names people: a document's author, a Word file's "last modified by".
    MetadataNames,
}

impl Allow {
    pub const ALL: [Allow; 8] = [
        Allow::ProtectiveMarking,
        Allow::TrackedChanges,
        Allow::Comments,
        Allow::HiddenText,
        Allow::Annotations,
        Allow::EmbeddedFiles,
        Allow::FormFields,
        Allow::MetadataNames,
    ];

    /// As `allow:` spells it.
    pub fn key(self) -> &'static str {
        match self {
            Allow::ProtectiveMarking => "protective-marking",
            Allow::TrackedChanges => "tracked-changes",
            Allow::Comments => "comments",
            Allow::HiddenText => "hidden-text",
            Allow::Annotations => "annotations",
            Allow::EmbeddedFiles => "embedded-files",
            Allow::FormFields => "form-fields",
            Allow::MetadataNames => "metadata-names",
        }
    }
}

/// Something a given file carries that a reader of its pages may not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Word's tracked changes: how many insertions, deletions and moves.
    TrackedChanges(usize),
    /// How many comments.
    Comments(usize),
    /// How many runs of hidden text.
    HiddenText(usize),
    /// How many annotations that are not links or comments, and their kinds.
    Annotations(usize, Vec<String>),
    /// How many embedded files.
    EmbeddedFiles(usize),
    /// How many form fields hold a value.
    FormFields(usize),
    /// A script or launch action: what it is (never allowed).
    Active(&'static str),
    /// A metadata field that names a person: the field and its value.
    MetadataName { field: &'static str, value: String },
}

impl Finding {
    /// The `allow:` key that lets a paper carry it, if any does.
    pub fn allowed_by(&self) -> Option<Allow> {
        Some(match self {
            Finding::TrackedChanges(_) => Allow::TrackedChanges,
            Finding::Comments(_) => Allow::Comments,
            Finding::HiddenText(_) => Allow::HiddenText,
            Finding::Annotations(..) => Allow::Annotations,
            Finding::EmbeddedFiles(_) => Allow::EmbeddedFiles,
            Finding::FormFields(_) => Allow::FormFields,
            Finding::MetadataName { .. } => Allow::MetadataNames,
            Finding::Active(_) => return None,
        })
    }

    /// What was found, as a diagnostic says it.
    pub fn describe(&self) -> String {
        let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        match self {
            Finding::TrackedChanges(c) => {
                format!("{} (tracked changes)", n(*c, "unaccepted change", "unaccepted changes"))
            }
            Finding::Comments(c) => n(*c, "comment", "comments"),
            Finding::HiddenText(c) => format!("hidden text ({})", n(*c, "run", "runs")),
            Finding::Annotations(c, kinds) => {
                format!("{} ({})", n(*c, "annotation", "annotations"), kinds.join(", "))
            }
            Finding::EmbeddedFiles(c) => n(*c, "embedded file", "embedded files"),
            Finding::FormFields(c) => n(*c, "form field with a value", "form fields with values"),
            Finding::Active(what) => (*what).to_string(),
            Finding::MetadataName { field, value } => format!("its metadata names a person: {field} `{value}`"),
        }
    }

    /// How to remove it.
    pub fn help(&self) -> &'static str {
        match self {
            Finding::TrackedChanges(_) => "accept or reject every change (Review > Accept All Changes) and save again",
            Finding::Comments(_) => "delete the comments (Review > Delete All Comments) and save again",
            Finding::HiddenText(_) => "show hidden text (File > Options > Display), delete it, and save again",
            Finding::Annotations(..) | Finding::FormFields(_) => {
                "flatten or remove them: print the file to PDF (Print to PDF), which keeps only the pages"
            }
            Finding::EmbeddedFiles(_) => "remove the attachments, or print the file to PDF (Print to PDF)",
            Finding::Active(_) => "print the file to PDF (Print to PDF), which keeps only the pages",
            Finding::MetadataName { .. } => {
                "remove the names (Word: File > Info > Check for Issues > Inspect Document; a PDF reader's document properties)"
            }
        }
    }
}

/// What inspecting a given file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    pub findings: Vec<Finding>,
    /// The protective markings in its text and metadata, each with the line it is on and
    /// where that line is ("the text", "the metadata").
    pub markings: Vec<(Marking, String, &'static str)>,
    /// Its text and metadata as read (a line per paragraph or metadata value), for the NHS
    /// number check of what the website publishes.
    pub text: String,
    /// The file could not be read for inspection (why): nothing in it can be vouched for.
    pub unreadable: Option<String>,
}

impl Inspection {
    /// Adds the markings of `text`, found in `place`.
    fn mark(&mut self, text: &str, place: &'static str) {
        for (marking, line) in find_markings(text) {
            if !self.markings.iter().any(|(m, _, _)| *m == marking) {
                self.markings.push((marking, line, place));
            }
        }
    }
}

/// A metadata value that names a person, rather than a program or nobody: not empty and not
/// a placeholder.
fn names_someone(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !matches!(v.to_lowercase().as_str(), "unknown" | "author" | "user" | "administrator" | "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<Marking> {
        find_markings(text).into_iter().map(|(m, _)| m).collect()
    }

    #[test]
    fn markings_are_read_as_markings_not_as_prose() {
        assert_eq!(found("Restricted"), [Marking::Restricted]);
        assert_eq!(found("Page 3 of 12 Restricted"), [Marking::Restricted]);
        assert_eq!(found("Private and Confidential"), [Marking::Confidential]);
        assert_eq!(found("Classification: Official-Sensitive"), [Marking::OfficialSensitive]);
        assert_eq!(found("This paper is official sensitive in part."), [Marking::OfficialSensitive]);
        assert_eq!(found("COMMERCIAL IN CONFIDENCE until the contract is signed"), [Marking::CommercialInConfidence]);
        assert_eq!(found("Commercial in confidence"), [Marking::CommercialInConfidence]);
        assert_eq!(found("TOP SECRET"), [Marking::TopSecret]);
        // Prose.
        assert_eq!(found("Confidential patient information is shared under section 251."), []);
        assert_eq!(found("Visiting was restricted during the outbreak."), []);
        assert_eq!(found("The bids are commercial in confidence and are not included."), []);
        assert_eq!(found("The secret shopper exercise reported in May."), []);
        assert_eq!(found("OFFICIAL"), []);
    }

    #[test]
    fn a_classification_has_a_level() {
        assert_eq!(Marking::level_of_classification(None), 0);
        assert_eq!(Marking::level_of_classification(Some("Official")), 0);
        assert_eq!(Marking::level_of_classification(Some("Official-Sensitive (commercial)")), 1);
        assert_eq!(Marking::level_of_classification(Some("OFFICIAL SENSITIVE")), 1);
        assert_eq!(Marking::level_of_classification(Some("Restricted")), 2);
    }
}
