//! The words a body may use beyond Markdown: the kinds of generated block (a fence's
//! language, `` ```timeline ``), the figures an author may put in a sentence
//! (`{{ exited }}`) and the mark of an unnumbered paragraph (`{-}`). The syntax crate finds
//! where blocks and references are; what they may be called is the register's vocabulary, so
//! it lives here: oversight-rules checks it, oversight-analysis computes what it names.

/// A body's scan ([`oversight_syntax::markdown::scan`]) with its generated blocks' kinds.
pub type Scan = oversight_syntax::markdown::Scan<BlockKind>;

/// A generated block found in a body.
pub type BlockRef = oversight_syntax::markdown::BlockRef<BlockKind>;

/// Scans a body starting at byte `offset` of its file for its links, generated blocks and
/// figure references.
pub fn scan(text: &str, offset: usize) -> Scan {
    oversight_syntax::markdown::scan(text, offset, BlockKind::from_language)
}

/// The kinds of generated block, by the fence's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Timeline,
    Register,
    ChangesSince,
    ExitCriteria,
    Undertakings,
    Stats,
}

impl BlockKind {
    pub fn from_language(language: &str) -> Option<BlockKind> {
        Some(match language {
            "timeline" => BlockKind::Timeline,
            "register" => BlockKind::Register,
            "changes-since" => BlockKind::ChangesSince,
            "exit-criteria" => BlockKind::ExitCriteria,
            "undertakings" => BlockKind::Undertakings,
            "stats" => BlockKind::Stats,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Timeline => "timeline",
            BlockKind::Register => "register",
            BlockKind::ChangesSince => "changes-since",
            BlockKind::ExitCriteria => "exit-criteria",
            BlockKind::Undertakings => "undertakings",
            BlockKind::Stats => "stats",
        }
    }
}

/// The figures an author may put in a sentence, `{{ exited }}`, each computed from the
/// records as at the document's date (a paper's meeting, else the register's as-of date).
pub const FIGURES: &[(&str, &str)] = &[
    ("as_of", "the date the figures are at, as \"1 October 2026\""),
    ("in_programme", "organisations in the programme"),
    ("in_programme.providers", "NHS trusts and foundation trusts in the programme"),
    ("in_programme.icbs", "ICBs in the programme"),
    ("entries", "entries into the programme since it launched"),
    ("exits", "exits from the programme since it launched"),
    ("exited", "organisations that have exited at least once"),
    ("re_entered", "organisations that entered again after an exit"),
    ("re_entries", "entries after an organisation's first"),
    ("median_days", "median days in the programme of those in it now"),
    ("exited_successfully", "exits after the agreed exit criteria were met (or on a CQC recommendation)"),
    ("longest.days", "days in the programme of the organisation in it longest now"),
    ("longest.organisation", "the name of the organisation in the programme longest now"),
];

/// The figures that are not counts, so take no `| count`.
pub const NOT_COUNTS: &[&str] = &["as_of", "longest.organisation"];

/// The form that states a count with its noun, singular for one: `{{ in_programme.icbs | count }}`
/// reads "1 ICB" or "2 ICBs".
pub const COUNT_FORM: &str = "count";

/// What starts a paragraph that is not numbered in a board paper: `{-} Download the data…`.
pub const UNNUMBERED: &str = "{-}";
