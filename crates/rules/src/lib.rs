//! The third step: is the register right? It owns the NHS oversight framework as data
//! ([`editions`]), the rule catalogue ([`CATALOGUE`]: every check `oversight check` makes, with
//! a stable code, a kebab-case name, a default level and an explanation citing its source),
//! the published documents those explanations cite ([`sources`]), every check — records, links, site.yaml and generated blocks' options ([`blocks`]) — and
//! [`check::Checked`], the checked site every later step starts from.
//!
//! It must not compute figures for pages or papers (oversight-analysis) or render anything.
//!
//! Rules are data plus a small function. Adding one is a `Rule` static with its function in
//! its family's file, a line in [`CATALOGUE`], and two fixtures under
//! `tests/fixtures/rules/<CODE>/` (one where it fires, one where it does not). Record-format
//! rules (`OVS0xx`) are reported by the loader (oversight-model) and have no check function.

pub mod blocks;
pub mod check;
pub mod editions;
mod governance;
mod integrity;
pub mod publication;
mod rsp;
mod segments;
pub mod sources;
mod support;
mod undertakings;

pub use integrity::UNRESOLVED_REFERENCE;

use std::collections::HashMap;

use oversight_model::Register;
use oversight_model::config::RuleSetting;
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Code, Diagnostic, Level};
use oversight_syntax::source::yaml::SourceMap;
use oversight_syntax::source::{FileId, Sources, Span};

/// One rule of the catalogue: its code and texts, and the function that checks it (none for
/// the record-format rules, which the loader reports, and for rules checked elsewhere in this
/// crate, such as [`blocks`] and links).
#[derive(Debug)]
pub struct Rule {
    pub code: Code,
    pub check: Option<fn(&mut Checker)>,
}

impl Rule {
    /// A diagnostic of this rule at its default level.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.code.at(span, message)
    }
}

/// The record-format rules, which the loader reports (oversight-model's `format`).
mod records {
    use super::Rule;
    use oversight_model::format;

    pub(crate) static YAML_SYNTAX: Rule = Rule { code: format::YAML_SYNTAX, check: None };
    pub(crate) static UNKNOWN_FIELD: Rule = Rule { code: format::UNKNOWN_FIELD, check: None };
    pub(crate) static INVALID_VALUE: Rule = Rule { code: format::INVALID_VALUE, check: None };
    pub(crate) static INVALID_ID: Rule = Rule { code: format::INVALID_ID, check: None };
    pub(crate) static UNREADABLE_FILE: Rule = Rule { code: format::UNREADABLE_FILE, check: None };
    pub(crate) static UNEXPECTED_FILE: Rule = Rule { code: format::UNEXPECTED_FILE, check: None };
    pub(crate) static DOCUMENT_LIMIT: Rule = Rule { code: format::DOCUMENT_LIMIT, check: None };
    pub(crate) static MISSING_TEXT: Rule = Rule { code: format::MISSING_TEXT, check: None };
    pub(crate) static LINKED_CONTENT: Rule = Rule { code: format::LINKED_CONTENT, check: None };
}

/// Every rule, in code order.
pub static CATALOGUE: &[&Rule] = &[
    &records::YAML_SYNTAX,
    &records::UNKNOWN_FIELD,
    &records::INVALID_VALUE,
    &records::INVALID_ID,
    &records::UNREADABLE_FILE,
    &records::UNEXPECTED_FILE,
    &records::DOCUMENT_LIMIT,
    &records::MISSING_TEXT,
    &records::LINKED_CONTENT,
    &segments::SEGMENT_OUT_OF_RANGE,
    &segments::SEGMENT_PERIODS_ORDER,
    &segments::ICB_SEGMENTED_UNDER_NOF_2025,
    &segments::ICB_BEFORE_ICBS,
    &segments::FT_SEGMENT_WITHOUT_BREACH,
    &segments::FRAMEWORK_MISMATCH,
    &segments::UNCONFIRMED_SEGMENT,
    &rsp::OUTSIDE_PROGRAMME_SEGMENT,
    &rsp::ENTRY_BEFORE_LAUNCH,
    &rsp::NO_ENTRY_CRITERIA,
    &rsp::CQC_RECOMMENDATION_ON_ICB,
    &rsp::EXIT_NOT_TO_SEGMENT_3,
    &rsp::EXIT_WITH_UNMET_CRITERIA,
    &rsp::EXIT_WITHOUT_TRANSITION,
    &rsp::NO_EXIT_CRITERIA,
    &rsp::NO_IMPROVEMENT_DIRECTOR,
    &rsp::EPISODE_OVER_THREE_YEARS,
    &rsp::EPISODE_DATES_ORDER,
    &rsp::SEGMENT_4_UNDER_NOF_2025,
    &rsp::SEGMENT_WITHOUT_EPISODE,
    &rsp::MERGER_INCONSISTENT,
    &undertakings::S106_BEFORE_NHS_TRUST_LICENCE,
    &undertakings::FT4_AFTER_NHS2,
    &undertakings::DATES_ORDER,
    &undertakings::REGULATOR_FOR_DATE,
    &support::OUTSIDE_EPISODE,
    &support::DATES_ORDER,
    &support::STATUS_INCONSISTENT,
    &integrity::UNRESOLVED_REFERENCE,
    &integrity::DUPLICATE_ID,
    &integrity::FUTURE_DATED,
    &integrity::BROKEN_LINK,
    &integrity::UNPUBLISHED_LINK,
    &integrity::MISSING_SITE_FILE,
    &integrity::DUPLICATE_ORGANISATION,
    &integrity::OUTPUT_NAME_CLASH,
    &integrity::BROKEN_IMAGE,
    &governance::NOT_QUORATE,
    &governance::OUTSIDE_TERM,
    &governance::NOT_A_MEMBER,
    &governance::UNMANAGED_CONFLICT,
    &governance::NOT_RENEWED,
    &governance::ACTION_OVERDUE,
    &governance::ACTION_STATUS,
    &governance::PRIVATE_WITHOUT_REASON,
    &governance::PAPER_NOT_READY,
    &governance::MINUTES_NOT_PUBLISHED,
    &governance::SENSITIVE_IN_PUBLIC,
    &publication::PROTECTIVE_MARKING,
    &publication::HIDDEN_CONTENT,
    &publication::METADATA_NAMES,
    &publication::NHS_NUMBER,
    &publication::PRIVATE_PAPER_PUBLISHED,
];

/// The rule with this code or name (case-insensitive for codes).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().copied().find(|r| r.code.code.eq_ignore_ascii_case(code_or_name) || r.code.name == code_or_name)
}

/// Effective levels after `rules:` in site.yaml; `None` means silenced.
#[derive(Debug, Default, Clone)]
pub struct Levels {
    overrides: HashMap<&'static str, Option<Level>>,
}

impl Levels {
    /// Applies settings whose keys were already resolved to rules.
    pub fn new(settings: impl IntoIterator<Item = (&'static Rule, RuleSetting)>) -> Levels {
        let overrides = settings
            .into_iter()
            .filter(|(rule, _)| rule.code.configurable)
            .map(|(rule, setting)| {
                let level = match setting {
                    RuleSetting::Error => Some(Level::Error),
                    RuleSetting::Warning => Some(Level::Warning),
                    RuleSetting::Note => Some(Level::Note),
                    RuleSetting::Allow => None,
                };
                (rule.code.code, level)
            })
            .collect();
        Levels { overrides }
    }

    /// Re-levels diagnostics and drops the silenced ones.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| match self.overrides.get(d.code) {
            Some(Some(level)) => {
                d.level = *level;
                true
            }
            Some(None) => false,
            None => true,
        });
    }
}

/// What a rule's check function sees: the register, the dates, and where to report.
pub struct Checker<'a> {
    pub register: &'a Register,
    pub sources: &'a Sources,
    /// The date the register is viewed at: open periods and episodes run to it.
    pub as_of: Date,
    /// Facts dated after this are in the future (site.yaml's `as_of`, else today). A view at
    /// an earlier `--as-of` leaves later facts outside it, not wrong.
    pub horizon: Date,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn map(&self, file: FileId) -> Option<&SourceMap> {
        self.register.maps.get(&file)
    }

    /// Where the value at `path` in `file` is (or its nearest recorded ancestor).
    pub fn value(&self, file: FileId, path: &str) -> Span {
        self.register.value_span(file, path)
    }

    /// Where the value at exactly `path` is, if the record has it.
    pub fn exact(&self, file: FileId, path: &str) -> Option<Span> {
        self.map(file).and_then(|m| m.get(path)).map(|e| e.value_span(file))
    }
}

/// Runs every rule that has a check function over a loaded register. The result is unsorted
/// and not yet re-levelled, in catalogue order.
///
/// The rules run side by side: each reads only the register and reports into a checker of its
/// own, and a check is on the path of every `serve` rebuild.
pub fn run_rules(register: &Register, sources: &Sources, as_of: Date, horizon: Date) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // `collect` keeps the catalogue's order.
    CATALOGUE
        .par_iter()
        .filter_map(|rule| rule.check)
        .flat_map_iter(|check| {
            let mut checker = Checker { register, sources, as_of, horizon, diagnostics: Vec::new() };
            check(&mut checker);
            checker.diagnostics
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn catalogue_is_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in CATALOGUE {
            let (code, check) = (&rule.code, rule.check);
            assert!(codes.insert(code.code), "duplicate code {}", code.code);
            assert!(names.insert(code.name), "duplicate name {}", code.name);
            assert!(code.code.starts_with("OVS") && code.code.len() == 6, "{}", code.code);
            assert!(oversight_model::is_slug(code.name), "{}", code.name);
            assert!(code.explanation.len() > 80, "{} needs a real explanation", code.code);
            // Record-format rules are reported by the loader, never by a check function.
            assert!(!code.code.starts_with("OVS0") || check.is_none(), "{}", code.code);
            // Every source a rule cites has its full reference.
            for key in sources::keys_in(code.explanation).into_iter().chain(sources::keys_in(code.source)) {
                assert!(sources::find(key).is_some(), "{} cites [{key}], which is not in sources::SOURCES", code.code);
            }
        }
        let mut sorted: Vec<_> = CATALOGUE.iter().map(|r| r.code.code).collect();
        sorted.sort();
        assert_eq!(sorted, CATALOGUE.iter().map(|r| r.code.code).collect::<Vec<_>>());
        assert_eq!(find("ovs101").unwrap().code.name, "segment-out-of-range");
        assert_eq!(find("segment-out-of-range").unwrap().code.code, "OVS101");
    }
}
