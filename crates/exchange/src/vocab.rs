//! The fixed vocabularies of the record format (types, regions, criteria, kinds…) as a
//! spreadsheet writes them: the record's own word (`east-of-england`), the name people read
//! ("East of England"), or a common alias ("FT"), in any case and spacing.
//!
//! Every table pairs the model's enum with its record word, so an export writes exactly what
//! the loader reads (a test checks each word deserialises to its variant), and an import
//! turns whatever a team typed into that word or a "did you mean".

use std::sync::LazyLock;

use oversight_model::{
    EditionId, EntryCriterion, EntryRoute, ExitReason, LegalBasis, OrgType, Region, Regulator, Service, SupportKind,
    SupportStatus,
};
use oversight_syntax::suggest::closest;

/// One allowed value: the record's word, its name, and other spellings people use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    pub word: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

/// The allowed values of one field.
#[derive(Debug)]
pub(crate) struct Vocab {
    /// What a value is, for messages: "region".
    pub what: &'static str,
    pub terms: Vec<Term>,
}

/// Why a written value is not in a vocabulary, with the nearest allowed one if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
    pub suggestion: Option<&'static Term>,
}

/// Lower case, `&` as "and", every run of other characters as one hyphen: "North East &
/// Yorkshire" and "north-east-and-yorkshire" compare equal.
pub(crate) fn normalise(s: &str) -> String {
    let s = s.replace('&', " and ");
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl Vocab {
    /// The record word for what was written, or the nearest term to suggest.
    pub(crate) fn find(&'static self, written: &str) -> Result<&'static str, Unknown> {
        let wanted = normalise(written);
        let spellings = || {
            self.terms.iter().flat_map(|t| {
                [t.word, t.name].into_iter().chain(t.aliases.iter().copied()).map(move |s| (normalise(s), t))
            })
        };
        if let Some((_, term)) = spellings().find(|(s, _)| *s == wanted) {
            return Ok(term.word);
        }
        let all: Vec<(String, &Term)> = spellings().collect();
        let suggestion = closest(&wanted, all.iter().map(|(s, _)| s.as_str()))
            .and_then(|near| all.iter().find(|(s, _)| s == near).map(|(_, t)| *t));
        Err(Unknown { suggestion })
    }

    /// "`east-of-england` (East of England), `london` (London), …": for help lines.
    pub(crate) fn listing(&self) -> String {
        self.terms.iter().map(|t| format!("{} ({})", t.name, t.word)).collect::<Vec<_>>().join(", ")
    }
}

fn term(word: &'static str, name: &'static str, aliases: &'static [&'static str]) -> Term {
    Term { word, name, aliases }
}

pub(crate) static ORG_TYPE: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "organisation type",
    terms: vec![
        term(OrgType::NhsTrust.id(), OrgType::NhsTrust.name(), &["trust", "nhs trust", "acute trust"]),
        term(
            OrgType::FoundationTrust.id(),
            OrgType::FoundationTrust.name(),
            &["ft", "nhs ft", "foundation trust", "nhs foundation trust"],
        ),
        term(OrgType::Icb.id(), OrgType::Icb.name(), &["icb", "integrated care board"]),
    ],
});

pub(crate) const REGIONS: [Region; 7] = [
    Region::EastOfEngland,
    Region::London,
    Region::Midlands,
    Region::NorthEastAndYorkshire,
    Region::NorthWest,
    Region::SouthEast,
    Region::SouthWest,
];

pub(crate) static REGION: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "region",
    terms: REGIONS
        .iter()
        .map(|r| {
            let aliases: &'static [&'static str] = match r {
                Region::EastOfEngland => &["east", "eoe"],
                Region::NorthEastAndYorkshire => &["ney", "north east", "north east and yorkshire and the humber"],
                _ => &[],
            };
            term(r.id(), r.name(), aliases)
        })
        .collect(),
});

pub(crate) const CRITERIA: [EntryCriterion; 5] = [
    EntryCriterion::LongstandingComplexIssues,
    EntryCriterion::CatastrophicSafetyFailure,
    EntryCriterion::LeadershipGovernanceFailure,
    EntryCriterion::FinancialDeficit,
    EntryCriterion::CqcRecommendation,
];

pub(crate) static CRITERION: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "entry criterion",
    terms: CRITERIA
        .iter()
        .map(|c| {
            let aliases: &'static [&'static str] = match c {
                EntryCriterion::LongstandingComplexIssues => &["longstanding issues", "complex issues"],
                EntryCriterion::CatastrophicSafetyFailure => &["safety failure", "safety"],
                EntryCriterion::LeadershipGovernanceFailure => &["leadership", "governance", "leadership failure"],
                EntryCriterion::FinancialDeficit => &["finance", "financial", "deficit"],
                EntryCriterion::CqcRecommendation => &["cqc", "cqc recommendation"],
            };
            term(c.id(), c.name(), aliases)
        })
        .collect(),
});

/// The record word of each variant of the enums the model names no word for.
pub(crate) fn route_word(r: EntryRoute) -> &'static str {
    match r {
        EntryRoute::TransferFromSpecialMeasures => "transfer-from-special-measures",
        EntryRoute::NewEntry => "new-entry",
    }
}

pub(crate) static ROUTE: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "entry route",
    terms: vec![
        term(
            route_word(EntryRoute::TransferFromSpecialMeasures),
            "Transfer from special measures",
            &["special measures", "transfer", "transferred from special measures"],
        ),
        term(route_word(EntryRoute::NewEntry), "New entry", &["new", "direct entry"]),
    ],
});

pub(crate) static EXIT_REASON: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "exit reason",
    terms: [
        (ExitReason::CriteriaMet, &["criteria met", "exit criteria met", "met"][..]),
        (ExitReason::CqcRecommendation, &["cqc", "cqc recommendation", "on cqc recommendation"][..]),
        (ExitReason::Merger, &["merged", "merger", "acquisition"][..]),
        (ExitReason::TransferToPip, &["pip", "transfer to pip", "provider improvement programme"][..]),
        (ExitReason::Other, &["other"][..]),
    ]
    .into_iter()
    .map(|(r, aliases)| term(r.id(), r.name(), aliases))
    .collect(),
});

pub(crate) fn service_word(s: Service) -> &'static str {
    match s {
        Service::Acute => "acute",
        Service::MentalHealth => "mental-health",
        Service::Community => "community",
        Service::Ambulance => "ambulance",
        Service::Specialist => "specialist",
    }
}

pub(crate) static SERVICE: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "service",
    terms: vec![
        term("acute", "Acute", &[]),
        term("mental-health", "Mental health", &["mh"]),
        term("community", "Community", &[]),
        term("ambulance", "Ambulance", &[]),
        term("specialist", "Specialist", &[]),
    ],
});

pub(crate) const SUPPORT_KINDS: [(SupportKind, &str); 18] = [
    (SupportKind::Governance, "governance"),
    (SupportKind::Workforce, "workforce"),
    (SupportKind::Pmo, "pmo"),
    (SupportKind::Finance, "finance"),
    (SupportKind::Cqc, "cqc"),
    (SupportKind::BetterTomorrow, "better-tomorrow"),
    (SupportKind::MedicalDirector, "medical-director"),
    (SupportKind::MakingDataCount, "making-data-count"),
    (SupportKind::NhsImpact, "nhs-impact"),
    (SupportKind::Girft, "girft"),
    (SupportKind::Ecist, "ecist"),
    (SupportKind::TieringElective, "tiering-elective"),
    (SupportKind::TieringCancer, "tiering-cancer"),
    (SupportKind::TieringUec, "tiering-uec"),
    (SupportKind::Mssp, "mssp"),
    (SupportKind::InvestigationAndIntervention, "investigation-and-intervention"),
    (SupportKind::TransitionalRecoverySupport, "transitional-recovery-support"),
    (SupportKind::Other, "other"),
];

pub(crate) fn support_kind_word(k: SupportKind) -> &'static str {
    SUPPORT_KINDS.iter().find(|(v, _)| *v == k).map_or("other", |(_, w)| w)
}

pub(crate) static SUPPORT_KIND: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "support kind",
    terms: SUPPORT_KINDS.iter().map(|(k, w)| term(w, k.name(), &[])).collect(),
});

pub(crate) fn status_word(s: SupportStatus) -> &'static str {
    match s {
        SupportStatus::Planned => "planned",
        SupportStatus::Active => "active",
        SupportStatus::Completed => "completed",
    }
}

pub(crate) static STATUS: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "support status",
    terms: [SupportStatus::Planned, SupportStatus::Active, SupportStatus::Completed]
        .iter()
        .map(|s| {
            let aliases: &'static [&'static str] = match s {
                SupportStatus::Completed => &["complete", "closed", "finished", "ended"],
                SupportStatus::Active => &["open", "ongoing", "in progress", "live"],
                SupportStatus::Planned => &["proposed", "agreed"],
            };
            term(status_word(*s), s.name(), aliases)
        })
        .collect(),
});

pub(crate) fn regulator_word(r: Regulator) -> &'static str {
    match r {
        Regulator::Monitor => "monitor",
        Regulator::NhsImprovement => "nhs-improvement",
        Regulator::NhsEngland => "nhs-england",
    }
}

pub(crate) static REGULATOR: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "regulator",
    terms: vec![
        term("monitor", Regulator::Monitor.name(), &[]),
        term("nhs-improvement", Regulator::NhsImprovement.name(), &["nhsi"]),
        term("nhs-england", Regulator::NhsEngland.name(), &["nhse", "nhsei", "nhs england and nhs improvement"]),
    ],
});

pub(crate) fn legal_basis_word(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Hsca2012S106 => "hsca-2012-s106",
        LegalBasis::DirectionsEquivalent => "directions-equivalent",
        LegalBasis::Other => "other",
    }
}

pub(crate) static LEGAL_BASIS: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "legal basis",
    terms: vec![
        term("hsca-2012-s106", LegalBasis::Hsca2012S106.name(), &["s106", "section 106"]),
        term("directions-equivalent", LegalBasis::DirectionsEquivalent.name(), &["directions"]),
        term("other", LegalBasis::Other.name(), &[]),
    ],
});

pub(crate) const EDITIONS: [EditionId; 5] =
    [EditionId::Sof2016, EditionId::Sof2021, EditionId::Nof2022, EditionId::Nof2025, EditionId::Nof2026];

pub(crate) static FRAMEWORK: LazyLock<Vocab> = LazyLock::new(|| Vocab {
    what: "framework edition",
    terms: EDITIONS
        .iter()
        .map(|e| {
            let (name, aliases): (&'static str, &'static [&'static str]) = match e {
                EditionId::Sof2016 => ("SOF 2016", &["sof 2016 17", "single oversight framework"]),
                EditionId::Sof2021 => ("SOF 2021/22", &["sof 2021", "sof 21 22"]),
                EditionId::Nof2022 => ("NOF 2022/23", &["nof 2022", "sof 2022 23", "nof 22 23"]),
                EditionId::Nof2025 => ("NOF 2025/26", &["nof 2025", "nof 25 26"]),
                EditionId::Nof2026 => ("NOF 2026/27", &["nof 2026", "nof 26 27"]),
            };
            term(e.slug(), name, aliases)
        })
        .collect(),
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};

    fn parses<'de, T: Deserialize<'de> + PartialEq + std::fmt::Debug>(word: &'de str, variant: T) {
        let got = T::deserialize(StrDeserializer::<Error>::new(word)).unwrap_or_else(|e| panic!("{word}: {e}"));
        assert_eq!(got, variant, "{word}");
    }

    #[test]
    fn every_word_is_the_records_word() {
        for (k, w) in SUPPORT_KINDS {
            parses(w, k);
        }
        for r in [EntryRoute::TransferFromSpecialMeasures, EntryRoute::NewEntry] {
            parses(route_word(r), r);
        }
        for s in [Service::Acute, Service::MentalHealth, Service::Community, Service::Ambulance, Service::Specialist] {
            parses(service_word(s), s);
            assert!(SERVICE.terms.iter().any(|t| t.word == service_word(s)));
        }
        for s in [SupportStatus::Planned, SupportStatus::Active, SupportStatus::Completed] {
            parses(status_word(s), s);
        }
        for r in [Regulator::Monitor, Regulator::NhsImprovement, Regulator::NhsEngland] {
            parses(regulator_word(r), r);
        }
        for b in [LegalBasis::Hsca2012S106, LegalBasis::DirectionsEquivalent, LegalBasis::Other] {
            parses(legal_basis_word(b), b);
        }
        for r in REGIONS {
            parses(r.id(), r);
        }
        for c in CRITERIA {
            parses(c.id(), c);
        }
        for e in EDITIONS {
            parses(e.slug(), e);
        }
    }

    #[test]
    fn finds_words_names_and_aliases() {
        assert_eq!(REGION.find("North East & Yorkshire"), Ok("north-east-and-yorkshire"));
        assert_eq!(REGION.find("east-of-england"), Ok("east-of-england"));
        assert_eq!(ORG_TYPE.find("NHS Foundation Trust"), Ok("foundation-trust"));
        assert_eq!(ORG_TYPE.find("FT"), Ok("foundation-trust"));
        assert_eq!(ORG_TYPE.find("ICB"), Ok("icb"));
        assert_eq!(CRITERION.find("CQC recommendation"), Ok("cqc-recommendation"));
        assert_eq!(FRAMEWORK.find("NOF 2022/23"), Ok("nof-2022-23"));
        assert_eq!(STATUS.find("Complete"), Ok("completed"));
        let typo = REGION.find("Nort West").unwrap_err();
        assert_eq!(typo.suggestion.map(|t| t.word), Some("north-west"));
        assert_eq!(REGION.find("Atlantis").unwrap_err().suggestion.map(|t| t.word), None);
    }
}
