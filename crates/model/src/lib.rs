//! The second step: what the records say. It owns every record kind of the record format
//! (docs/record-format.md) as Rust types, the [`Register`] that holds one site's records,
//! site.yaml ([`config`]), the vocabulary of editions ([`EditionId`]), addresses ([`links`]:
//! `@/organisations/x` → a record; [`urls`]: a record → its place on the website), and the
//! loader ([`load`], [`live`]) with the record-format problems it reports ([`format`]). Papers
//! written elsewhere are read as PDF ([`attached`]), Word ones converted first ([`word`]).
//! What a body may name beyond Markdown, generated blocks and figures, is in [`vocabulary`].
//!
//! It must not know the framework's rules (oversight-rules), how figures are computed
//! (oversight-analysis) or any output. Field names and spellings are the user-facing contract; `deny_unknown_fields`
//! makes a typo an error rather than a silently ignored key.
//!
//! Records carry the file they came from; where
//! in the file each field sits is in that file's [`SourceMap`](oversight_syntax::source::yaml::SourceMap),
//! kept beside the model in [`Register::maps`].

mod attached;
pub mod config;
mod cover;
pub mod format;
pub mod governance;
pub mod images;
pub mod inspect;
pub mod kinds;
pub mod links;
mod live;
mod load;
pub mod nhs_number;
mod pdf_limits;
mod reader;
pub mod schedule;
mod schema;
mod strings;
pub mod urls;
mod viewer;
pub mod vocabulary;
mod word;

pub use attached::Attachment;
pub use cover::Cover;
pub use live::{Changed, LoadedSite, Reach, Texts};
pub use load::{IMPORT_JOURNAL, IMPORT_PARTIAL, LoadError, discover, is_editor_litter, is_import_leftover};
pub use reader::{Mapped, Rejected, parse_yaml_at};
pub use schema::{SchemaFile, schemas};
pub use viewer::show_title;
pub use word::{CACHE as WORD_CACHE, cached_path};

use std::path::PathBuf;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::SiteConfig;
use crate::governance::{Action, Attendance, Board, Conflict, Decision, Declarations, Reason};
use crate::kinds::{Record, RecordKind};
use crate::reader::Finish;
use oversight_syntax::date::Date;
use oversight_syntax::hash::Map;
use oversight_syntax::source::yaml::SourceMap;
use oversight_syntax::source::{FileId, Span};

pub use strings::{DECIMAL_MUST_BE_QUOTED, Label, required_text};

/// An edition of the NHS oversight framework, as records name it (`framework:` on a segment
/// period). What each edition says (dates, segments, programme) is oversight-rules' table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[schemars(
    description = "An edition of the oversight framework: sof-2016 (Dec 2016 to 30 Jun 2021), sof-2021-22 (1 Jul 2021 to 30 Jun 2022), nof-2022-23 (1 Jul 2022 to 30 Jun 2025), nof-2025-26 (1 Jul 2025 to 30 Jun 2026), nof-2026-27 (from 1 Jul 2026, a setting until NHS England confirms the day)."
)]
pub enum EditionId {
    #[serde(rename = "sof-2016")]
    Sof2016,
    #[serde(rename = "sof-2021-22")]
    Sof2021,
    #[serde(rename = "nof-2022-23")]
    Nof2022,
    #[serde(rename = "nof-2025-26")]
    Nof2025,
    #[serde(rename = "nof-2026-27")]
    Nof2026,
}

impl EditionId {
    /// As records write it: `nof-2022-23`.
    pub fn slug(self) -> &'static str {
        match self {
            EditionId::Sof2016 => "sof-2016",
            EditionId::Sof2021 => "sof-2021-22",
            EditionId::Nof2022 => "nof-2022-23",
            EditionId::Nof2025 => "nof-2025-26",
            EditionId::Nof2026 => "nof-2026-27",
        }
    }
}

impl std::fmt::Display for EditionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

/// `nhs-trust | foundation-trust | icb`
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[schemars(description = "NHS trust, NHS foundation trust or integrated care board (ICB).")]
#[serde(rename_all = "kebab-case")]
pub enum OrgType {
    NhsTrust,
    FoundationTrust,
    Icb,
}

impl OrgType {
    pub fn is_provider(self) -> bool {
        !matches!(self, OrgType::Icb)
    }

    /// As records write it: `foundation-trust`.
    pub fn id(self) -> &'static str {
        match self {
            OrgType::NhsTrust => "nhs-trust",
            OrgType::FoundationTrust => "foundation-trust",
            OrgType::Icb => "icb",
        }
    }

    /// As people read it: "NHS foundation trust".
    pub fn name(self) -> &'static str {
        match self {
            OrgType::NhsTrust => "NHS trust",
            OrgType::FoundationTrust => "NHS foundation trust",
            OrgType::Icb => "Integrated care board",
        }
    }
}

/// The seven NHS England regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    EastOfEngland,
    London,
    Midlands,
    NorthEastAndYorkshire,
    NorthWest,
    SouthEast,
    SouthWest,
}

impl Region {
    /// As records write it: `north-west`.
    pub fn id(self) -> &'static str {
        match self {
            Region::EastOfEngland => "east-of-england",
            Region::London => "london",
            Region::Midlands => "midlands",
            Region::NorthEastAndYorkshire => "north-east-and-yorkshire",
            Region::NorthWest => "north-west",
            Region::SouthEast => "south-east",
            Region::SouthWest => "south-west",
        }
    }

    /// As people read it: "North West".
    pub fn name(self) -> &'static str {
        match self {
            Region::EastOfEngland => "East of England",
            Region::London => "London",
            Region::Midlands => "Midlands",
            Region::NorthEastAndYorkshire => "North East and Yorkshire",
            Region::NorthWest => "North West",
            Region::SouthEast => "South East",
            Region::SouthWest => "South West",
        }
    }
}

/// A kind of service an organisation provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    Acute,
    MentalHealth,
    Community,
    Ambulance,
    Specialist,
}

/// `content/organisations/<id>.yaml`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// Sets the id. Default: the file name without `.yaml`.
    #[serde(rename = "id", default)]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub explicit_id: Option<String>,
    /// Full name, e.g. `Greywater Mental Health and Community Care NHS Foundation Trust`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub name: String,
    /// Abbreviation, e.g. `GMHCC`.
    pub short_name: Option<String>,
    /// NHS trust, NHS foundation trust or integrated care board.
    #[serde(rename = "type")]
    pub org_type: OrgType,
    /// Organisation Data Service code, e.g. `R9C`. Quote it if it is all digits.
    pub ods_code: Option<String>,
    /// The NHS England region.
    pub region: Region,
    /// The id of the ICB (an organisation of type `icb`) this provider belongs to.
    pub system: Option<String>,
    /// The kinds of service it provides.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Its segmentation history, oldest first.
    #[serde(default)]
    pub segments: Vec<SegmentPeriod>,
    /// Its episodes in the Recovery Support Programme, oldest first.
    #[serde(default)]
    pub rsp: Vec<RspEpisode>,
    /// `true` if it is in breach, or suspected breach, of its provider licence. Default: `false`.
    #[serde(default)]
    pub licence_breach: bool,
    /// The organisation this one merged into (or was acquired by), and the day the merged
    /// organisation took over: its successor's page then links this one's history.
    pub merged_into: Option<Merger>,
    /// The organisations that merged to form this one (or that it acquired), each with the day.
    #[serde(default)]
    pub merged_from: Vec<Merger>,
    /// Where the facts in the record come from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// One side of a merger: the other organisation's id and the first day of the merged
/// organisation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Merger {
    /// The other organisation's id.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub organisation: String,
    /// The first day of the merged organisation.
    pub date: Date,
}

/// One period of a segmentation history: `from` to `to` inclusive; no `to` = still in force.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(description = "One period of a segmentation history: `from` to `to`, both days included.")]
#[serde(deny_unknown_fields)]
pub struct SegmentPeriod {
    /// The segment: 1 to 4; 1 to 5 under NOF 2025/26 (from 1 Jul 2025).
    #[schemars(range(min = 1, max = 5))]
    pub segment: u32,
    /// The first day of the period.
    pub from: Date,
    /// The last day of the period, included. Leave it out while the period is in force. A month means its last day.
    pub to: Option<Date>,
    /// The edition of the oversight framework. Default: the edition in force on `from`.
    pub framework: Option<EditionId>,
    /// Any remark, e.g. why the segment changed.
    pub note: Option<String>,
}

impl SegmentPeriod {
    /// Whether the period covers day `d`.
    pub fn covers(&self, d: Date) -> bool {
        self.from <= d && self.to.is_none_or(|to| d <= to)
    }
}

/// The RSP segment-4 entry criteria (oversight-framework.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[schemars(description = "An RSP entry criterion: the segment-4 criteria an entry decision rests on.")]
#[serde(rename_all = "kebab-case")]
pub enum EntryCriterion {
    LongstandingComplexIssues,
    CatastrophicSafetyFailure,
    LeadershipGovernanceFailure,
    FinancialDeficit,
    CqcRecommendation,
}

impl EntryCriterion {
    /// As records write it: `financial-deficit`.
    pub fn id(self) -> &'static str {
        match self {
            EntryCriterion::LongstandingComplexIssues => "longstanding-complex-issues",
            EntryCriterion::CatastrophicSafetyFailure => "catastrophic-safety-failure",
            EntryCriterion::LeadershipGovernanceFailure => "leadership-governance-failure",
            EntryCriterion::FinancialDeficit => "financial-deficit",
            EntryCriterion::CqcRecommendation => "cqc-recommendation",
        }
    }
}

impl EntryCriterion {
    /// As a page or paper states it.
    pub fn name(self) -> &'static str {
        match self {
            EntryCriterion::LongstandingComplexIssues => "Longstanding or complex issues",
            EntryCriterion::CatastrophicSafetyFailure => "Catastrophic safety failure",
            EntryCriterion::LeadershipGovernanceFailure => "Catastrophic failure in leadership or governance",
            EntryCriterion::FinancialDeficit => "Significant financial deficit or gap to plan",
            EntryCriterion::CqcRecommendation => "Care Quality Commission recommendation",
        }
    }
}

/// How an organisation entered the RSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EntryRoute {
    TransferFromSpecialMeasures,
    NewEntry,
}

/// One episode in the Recovery Support Programme: `entered` ≤ d < `exited`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(
    description = "One episode in the Recovery Support Programme, from `entered` (first day in) to `exited` (first day out)."
)]
#[serde(deny_unknown_fields)]
pub struct RspEpisode {
    /// The first day in the programme (13 Jul 2021 or later).
    pub entered: Date,
    /// The segment-4 entry criteria the decision rested on (at least one: OVS203).
    #[serde(default)]
    pub criteria: Vec<EntryCriterion>,
    /// How it entered: trusts in special measures on 13 Jul 2021 transferred in.
    pub route: Option<EntryRoute>,
    /// The NHS England improvement director's name.
    pub improvement_director: Option<String>,
    /// When the diagnostic stocktake was completed.
    pub diagnostic_completed: Option<Date>,
    /// The exit criteria agreed for this episode.
    #[serde(default)]
    pub exit_criteria: Vec<ExitCriterion>,
    /// The first day out of the programme. Leave it out while the organisation is still in.
    pub exited: Option<Date>,
    /// Why the episode ended; the "successfully exited" figure counts `criteria-met` and
    /// `cqc-recommendation` only.
    pub exit_reason: Option<ExitReason>,
    /// The transition plan or transitional support agreed on exit.
    pub transition_support: Option<String>,
    /// Any remark.
    pub note: Option<String>,
}

impl RspEpisode {
    /// Whether the organisation was in the programme on day `d`.
    pub fn covers(&self, d: Date) -> bool {
        self.entered <= d && self.exited.is_none_or(|exited| d < exited)
    }
}

/// Why an episode of the programme ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ExitReason {
    /// NHS England approved the exit: the agreed exit criteria were met.
    CriteriaMet,
    /// NHS England approved the exit on a Care Quality Commission recommendation.
    CqcRecommendation,
    /// The organisation merged into another (record `merged_into:`); not a successful exit.
    Merger,
    /// A provider moved from the RSP into the Provider Improvement Programme (record the PIP
    /// episode from the same day); not an exit from intensive support.
    TransferToPip,
    /// Any other reason; say which in the episode's `note`.
    Other,
}

impl ExitReason {
    /// As records write it: `criteria-met`.
    pub fn id(self) -> &'static str {
        match self {
            ExitReason::CriteriaMet => "criteria-met",
            ExitReason::CqcRecommendation => "cqc-recommendation",
            ExitReason::Merger => "merger",
            ExitReason::TransferToPip => "transfer-to-pip",
            ExitReason::Other => "other",
        }
    }

    /// As a page or paper states it.
    pub fn name(self) -> &'static str {
        match self {
            ExitReason::CriteriaMet => "Exit criteria met",
            ExitReason::CqcRecommendation => "On a CQC recommendation",
            ExitReason::Merger => "Merger",
            ExitReason::TransferToPip => "Transfer to the Provider Improvement Programme",
            ExitReason::Other => "Other",
        }
    }

    /// Whether the exit counts as successful: NHS England approved it because the organisation
    /// improved, not because it ceased to exist or moved to another programme.
    pub fn is_success(self) -> bool {
        matches!(self, ExitReason::CriteriaMet | ExitReason::CqcRecommendation)
    }
}

/// An exit criterion agreed for an RSP episode.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitCriterion {
    /// A short name for the criterion, unique within the episode, e.g. `cqc-reinspection`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub id: String,
    /// The criterion as agreed.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub text: String,
    /// The date it was met. Leave it out until then.
    pub met: Option<Date>,
}

/// Where a fact comes from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Who published it and its title.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// Its web address.
    pub url: Option<String>,
    /// Its date of publication.
    pub date: Option<Date>,
}

/// Support-package catalogue (oversight-framework.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupportKind {
    Governance,
    Workforce,
    Pmo,
    Finance,
    Cqc,
    BetterTomorrow,
    MedicalDirector,
    MakingDataCount,
    NhsImpact,
    Girft,
    Ecist,
    TieringElective,
    TieringCancer,
    TieringUec,
    Mssp,
    InvestigationAndIntervention,
    TransitionalRecoverySupport,
    Other,
}

impl SupportKind {
    /// Support that NHS England agrees through processes of its own, inside or outside the
    /// RSP: maternity safety support, tiering, investigation and intervention (the RSP board
    /// paper of 5 December 2024, paragraph 8).
    pub fn agreed_separately(self) -> bool {
        matches!(
            self,
            SupportKind::Mssp
                | SupportKind::TieringElective
                | SupportKind::TieringCancer
                | SupportKind::TieringUec
                | SupportKind::InvestigationAndIntervention
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            SupportKind::Governance => "Governance and well-led",
            SupportKind::Workforce => "Workforce",
            SupportKind::Pmo => "Programme management (PMO)",
            SupportKind::Finance => "Finance",
            SupportKind::Cqc => "Responding to CQC inspection",
            SupportKind::BetterTomorrow => "Better Tomorrow (learning from deaths)",
            SupportKind::MedicalDirector => "Medical director support",
            SupportKind::MakingDataCount => "Making Data Count",
            SupportKind::NhsImpact => "NHS IMPACT",
            SupportKind::Girft => "Getting It Right First Time (GIRFT)",
            SupportKind::Ecist => "Emergency Care Improvement Support Team (ECIST)",
            SupportKind::TieringElective => "Elective tiering",
            SupportKind::TieringCancer => "Cancer tiering",
            SupportKind::TieringUec => "Urgent and emergency care tiering",
            SupportKind::Mssp => "Maternity Safety Support Programme",
            SupportKind::InvestigationAndIntervention => "Investigation and intervention",
            SupportKind::TransitionalRecoverySupport => "Transitional recovery support",
            SupportKind::Other => "Other",
        }
    }
}

/// Where a support package stands: `planned` has not started, `active` has started and not
/// ended, `completed` has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupportStatus {
    Planned,
    Active,
    Completed,
}

/// `content/support/<id>.yaml`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportPackage {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// Sets the id. Default: the file name without `.yaml`.
    #[serde(rename = "id", default)]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub explicit_id: Option<String>,
    /// The id of the organisation that receives the support.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub organisation: String,
    /// Which package of the national catalogue it is.
    pub kind: SupportKind,
    /// A short description, shown as the package's title.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// Who gives the support.
    pub provider: Option<String>,
    /// The first day of the package.
    pub start: Date,
    /// The last day of the package, included. A month means its last day.
    pub end: Option<Date>,
    /// Where the package stands; it must agree with the dates (OVS403).
    pub status: SupportStatus,
    /// Funding in whole pounds: `250000`, not `£250,000`.
    pub funding_gbp: Option<u64>,
    /// What the package did (Markdown), shown on the package's page.
    pub description: Option<String>,
    /// How the package was agreed: `rsp` (as part of the organisation's programme episode) or
    /// `separate` (through a process of its own, outside the programme). Default: `separate`
    /// for MSSP, tiering and investigation and intervention, `rsp` for the rest.
    pub programme: Option<SupportProgramme>,
}

/// How a support package was agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SupportProgramme {
    /// As part of the organisation's Recovery Support Programme (or PIP) episode.
    Rsp,
    /// Through a separate process, whether or not the organisation is in the programme.
    Separate,
}

impl SupportPackage {
    /// How the package was agreed: `programme:`, else what its kind usually means.
    pub fn programme(&self) -> SupportProgramme {
        self.programme.unwrap_or(if self.kind.agreed_separately() {
            SupportProgramme::Separate
        } else {
            SupportProgramme::Rsp
        })
    }
}

impl SupportStatus {
    pub fn name(self) -> &'static str {
        match self {
            SupportStatus::Planned => "Planned",
            SupportStatus::Active => "Active",
            SupportStatus::Completed => "Completed",
        }
    }
}

/// The regulator that accepted undertakings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Regulator {
    Monitor,
    NhsImprovement,
    NhsEngland,
}

impl Regulator {
    pub fn name(self) -> &'static str {
        match self {
            Regulator::Monitor => "Monitor",
            Regulator::NhsImprovement => "NHS Improvement",
            Regulator::NhsEngland => "NHS England",
        }
    }
}

/// The legal basis of undertakings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LegalBasis {
    #[serde(rename = "hsca-2012-s106")]
    Hsca2012S106,
    DirectionsEquivalent,
    Other,
}

impl LegalBasis {
    pub fn name(self) -> &'static str {
        match self {
            LegalBasis::Hsca2012S106 => "Section 106, Health and Social Care Act 2012",
            LegalBasis::DirectionsEquivalent => "Formal undertakings under directions (before the NHS trust licence)",
            LegalBasis::Other => "Other",
        }
    }
}

/// `content/undertakings/<id>.yaml`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Undertaking {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// Sets the id. Default: the file name without `.yaml`.
    #[serde(rename = "id", default)]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub explicit_id: Option<String>,
    /// The id of the organisation that gave the undertakings (the licensee).
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub organisation: String,
    /// Who accepted them.
    pub regulator: Regulator,
    /// The date they were accepted.
    pub accepted: Date,
    /// The legal basis: section 106 of the Health and Social Care Act 2012 (foundation trusts; NHS trusts from 1 Apr 2023), directions before the NHS trust licence, or other.
    pub legal_basis: LegalBasis,
    /// The licence conditions breached, as the document writes them, e.g. `"FT4(5)(a)"`, `"NHS2(5)(d)"`.
    #[serde(default)]
    pub breaches: Vec<String>,
    /// One or two sentences on the grounds.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub summary: String,
    /// The numbered undertakings.
    #[serde(default)]
    pub undertakings: Vec<UndertakingItem>,
    /// Changes agreed to the terms later.
    #[serde(default)]
    pub variations: Vec<Variation>,
    /// The date of the compliance certificate. Leave it out while they are in force.
    pub released: Option<Date>,
    /// The web address of the published undertakings.
    pub document_url: Option<String>,
}

/// One numbered undertaking.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UndertakingItem {
    /// The number as written in the document; quote it if it has a decimal point: `"2.1"`.
    pub number: Label,
    /// What the licensee undertakes to do.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub text: String,
    /// When it is due (may be in the future).
    pub due: Option<Date>,
}

/// A change agreed to the terms of undertakings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variation {
    /// The date the variation was agreed.
    pub date: Date,
    /// What changed.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub note: String,
}

/// `content/pages/**/*.md` front matter, plus the body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(description = "The front matter of a narrative page, content/pages/**/*.md.")]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// Path under `pages/` without `.md`, e.g. `updates/feb-2022`.
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    #[serde(skip)]
    pub body: Body,
    /// A fingerprint of the id and the front matter: all that listings show of the page, so
    /// `serve` can tell whether they must be made again without reading the text.
    #[serde(skip)]
    pub head: u64,
    /// The page's title.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// The date of publication; the Updates listing is sorted by it, newest first.
    pub date: Date,
    /// One or two sentences, shown in listings.
    pub summary: Option<String>,
    /// The id of an organisation: its page then lists this one.
    pub organisation: Option<String>,
    /// `true` keeps the page off the website unless built with `--drafts`. Default: `false`.
    #[serde(default)]
    pub draft: bool,
    /// The first words of the body ([`excerpt`]), for search results, when there is no
    /// summary: taken at load, since a build may release the text (see [`Body::release`]).
    #[serde(skip)]
    pub excerpt: String,
}

/// The first words of a Markdown body, without its markup, for a search result.
/// Written into one string as the words are read (every page of a build has one made).
pub fn excerpt(markdown: &str) -> String {
    let words = markdown
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('|') && !l.starts_with("```"))
        .flat_map(|l| l.split_whitespace())
        .take(40);
    let mut text = String::new();
    for (i, word) in words.enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.extend(word.chars().filter(|c| !matches!(c, '*' | '_' | '`' | '[' | ']')));
    }
    text
}

/// The Markdown body of a page or paper and where it starts in its file.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The text the body is the end of, from byte `start`: its file's whole text, shared with
    /// the file's [`SourceFile`](oversight_syntax::source::SourceFile) rather than copied, or
    /// a text of its own. `None` once released ([`Body::release`]).
    text: Option<Arc<str>>,
    start: usize,
    /// Where the body starts in its file: its spans are offsets in the file.
    pub offset: usize,
    pub scan: vocabulary::Scan,
}

impl Body {
    /// The body `text`, starting at byte `offset` of its file, scanned for links and blocks.
    pub fn new(text: String, offset: usize) -> Body {
        let scan = vocabulary::scan(&text, offset);
        Body { text: Some(text.into()), start: 0, offset, scan }
    }

    /// The body of the file whose text is `file`: from byte `offset` to the end.
    pub fn in_file(file: Arc<str>, offset: usize) -> Body {
        let scan = vocabulary::scan(&file[offset..], offset);
        Body { text: Some(file), start: offset, offset, scan }
    }

    /// The Markdown; empty once released (render from [`Body::read_back`]).
    pub fn text(&self) -> &str {
        self.text.as_deref().map_or("", |text| &text[self.start..])
    }

    /// Drops the text (what the scan found is kept), when its file's text is released too.
    pub fn release(&mut self) {
        self.text = None;
    }

    /// The body with its text: itself, or, once released, its text read back from `source`
    /// (its file), if that is still the text that was checked.
    pub fn read_back(
        &self,
        source: &oversight_syntax::source::SourceFile,
    ) -> Result<std::borrow::Cow<'_, Body>, oversight_syntax::source::ReadBackError> {
        if self.text.is_some() {
            return Ok(std::borrow::Cow::Borrowed(self));
        }
        let file = source.read_back()?;
        Ok(std::borrow::Cow::Owned(Body { text: Some(file), start: self.offset, ..self.clone() }))
    }
}

/// What the board is asked to do with a paper, printed on its cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PaperType {
    ForInformation,
    ForDiscussion,
    ForInformationAndDiscussion,
    ForDecision,
    ForApproval,
    ForAssurance,
}

impl PaperType {
    /// As a cover block prints it: "For information and discussion".
    pub fn title(self) -> &'static str {
        match self {
            PaperType::ForInformation => "For information",
            PaperType::ForDiscussion => "For discussion",
            PaperType::ForInformationAndDiscussion => "For information and discussion",
            PaperType::ForDecision => "For decision",
            PaperType::ForApproval => "For approval",
            PaperType::ForAssurance => "For assurance",
        }
    }
}

/// A board paper: `content/papers/<id>.md`, its cover block as front matter and its body in
/// Markdown; or a paper written elsewhere, `content/papers/<id>.pdf` (or `.docx`), whose title
/// comes from the agenda that presents it and whose other cover fields come from its
/// [`PaperDetails`] (see [`Register::attach_details`]).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(description = "The front matter of a board paper, content/papers/<id>.md: its cover block.")]
#[serde(deny_unknown_fields)]
pub struct Paper {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// What its pages are made from.
    #[serde(skip)]
    pub source: PaperSource,
    /// The paper's title.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// Who the report is by: one item per person, name and role.
    pub report_by: Vec<String>,
    /// Printed on the cover, e.g. "For decision".
    // Required in front matter (`deserialize_with` makes serde ask for it, `with` makes the
    // schema say so); a PDF paper may have none.
    #[serde(deserialize_with = "strings::some")]
    #[schemars(with = "PaperType")]
    pub paper_type: Option<PaperType>,
    /// The organisation objectives the paper supports.
    #[serde(default)]
    pub organisation_objectives: Vec<String>,
    /// How the paper worked with people and communities.
    #[serde(default)]
    pub working_with_people_and_communities: Vec<String>,
    /// The question heading that list on the cover, as NHS England's papers give it ("What
    /// approaches have been used to ensure people and communities have informed this
    /// programme of work?").
    pub working_with_people_and_communities_prompt: Option<String>,
    /// What the board is asked to do; printed in bold on the cover.
    // Required in front matter; a PDF paper has none (its own pages say what is asked).
    #[serde(deserialize_with = "strings::some_required_text")]
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub action_required: Option<String>,
    /// The paper's reference, e.g. `ROB/26/14(Pu)`; printed in the PDF footer.
    pub publication_reference: Option<String>,
    /// The protective marking, e.g. `Official`; printed in the PDF footer.
    pub classification: Option<String>,
    /// `true` while the paper is not ready: the website and the packs leave it out (its agenda
    /// item says "paper to follow") unless made with `--drafts`. Default: `false`.
    #[serde(default)]
    pub draft: bool,
    /// The organisations the paper is about: a member with a declared interest in one is
    /// conflicted on its item.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// For minutes: the id of the meeting they record.
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub minutes_of: Option<String>,
    /// A private paper the website publishes from this day (the register of Part II papers
    /// published later).
    pub restricted_until: Option<Date>,
    /// For a paper written elsewhere: what its given file may carry (its details file's
    /// `allow:`). A Markdown paper has no given file.
    #[serde(skip)]
    pub allow: Vec<inspect::Allow>,
}

/// What a paper's pages are made from.
#[derive(Debug, Clone)]
pub enum PaperSource {
    /// Written here in Markdown, typeset by oversight. Boxed: a body and what its scan found
    /// are several times the size of an attachment's description.
    Markdown(Box<Body>),
    /// Written elsewhere: a PDF placed page by page as it was given.
    Attached(Attachment),
}

impl Default for PaperSource {
    fn default() -> Self {
        PaperSource::Markdown(Box::default())
    }
}

impl Paper {
    /// The Markdown body; a paper written elsewhere has none (an empty body, so links and
    /// generated blocks are looked for in it and none are found).
    pub fn body(&self) -> &Body {
        static NONE: std::sync::LazyLock<Body> = std::sync::LazyLock::new(Body::default);
        match &self.source {
            PaperSource::Markdown(body) => body,
            PaperSource::Attached(_) => &NONE,
        }
    }

    /// The PDF of a paper written elsewhere.
    pub fn attachment(&self) -> Option<&Attachment> {
        match &self.source {
            PaperSource::Attached(a) => Some(a),
            PaperSource::Markdown(_) => None,
        }
    }

    /// The file a paper written elsewhere was given as, `content/papers/<id>.pdf` (or `.docx`).
    pub fn given_file(&self) -> Option<String> {
        self.attachment().map(|a| format!("content/papers/{}.{}", self.id, a.given.extension()))
    }

    /// A paper written elsewhere, before [`Register::attach_details`] gives it a title and
    /// its details.
    pub fn attached(id: String, file: FileId, attachment: Attachment) -> Paper {
        Paper {
            id,
            file,
            source: PaperSource::Attached(attachment),
            title: String::new(),
            report_by: Vec::new(),
            paper_type: None,
            organisation_objectives: Vec::new(),
            working_with_people_and_communities: Vec::new(),
            working_with_people_and_communities_prompt: None,
            action_required: None,
            publication_reference: None,
            classification: None,
            draft: false,
            organisations: Vec::new(),
            minutes_of: None,
            restricted_until: None,
            allow: Vec::new(),
        }
    }
}

/// `content/papers/<id>.yaml`: the cover fields of the PDF or Word paper `<id>`, which has
/// no front matter of its own. All optional.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(
    description = "The cover fields of a PDF or Word paper, content/papers/<id>.pdf or .docx: its title comes from the agenda item that presents it."
)]
#[serde(deny_unknown_fields)]
pub struct PaperDetails {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// Who the report is by: one item per person, name and role.
    #[serde(default)]
    pub report_by: Vec<String>,
    /// E.g. "For decision", shown on its web page.
    pub paper_type: Option<PaperType>,
    /// The protective marking, e.g. `Official`; printed on each of its pages in the pack.
    pub classification: Option<String>,
    /// The paper's reference, e.g. `ROB/26/13(Pu)`; printed on each of its pages in the pack.
    pub publication_reference: Option<String>,
    /// `true` while the paper is not ready: the website and the packs leave it out (its agenda
    /// item says "paper to follow") unless made with `--drafts`. Default: `false`.
    #[serde(default)]
    pub draft: bool,
    /// The organisations the paper is about.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// For minutes: the id of the meeting they record.
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub minutes_of: Option<String>,
    /// A private paper the website publishes from this day.
    pub restricted_until: Option<Date>,
    /// What the given file may carry that the check would otherwise refuse to publish, each
    /// after a person has looked: `protective-marking` (a word read as a marking above the
    /// paper's `classification` that is not one), `tracked-changes`, `comments`,
    /// `hidden-text`, `annotations`, `embedded-files`, `form-fields`, `metadata-names` (an
    /// author or "last modified by" the paper may name). Scripts, launch actions and linked
    /// content are never allowed. Default: none.
    #[serde(default)]
    pub allow: Vec<inspect::Allow>,
}

/// A meeting held in public (Part I) or in private (Part II).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Session {
    Public,
    Private,
}

impl Session {
    /// How a pack's front page and the website name it: "Part I (public)".
    pub fn part(self) -> &'static str {
        match self {
            Session::Public => "Part I (public)",
            Session::Private => "Part II (private)",
        }
    }

    /// How an agenda item names it: "4.2 (public session)".
    pub fn name(self) -> &'static str {
        match self {
            Session::Public => "public session",
            Session::Private => "private session",
        }
    }
}

/// `content/meetings/<id>.yaml`: one board meeting, one pack.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub file: FileId,
    /// Sets the id. Default: the file name without `.yaml`.
    #[serde(rename = "id", default)]
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub explicit_id: Option<String>,
    /// The board or committee, e.g. `NHS England Board`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub body: String,
    /// E.g. `Board meeting held in public`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// The meeting date; generated blocks in its papers are worked out as at this date.
    pub date: Date,
    /// The start time; quote it: `"10:00"`.
    pub time: Option<Label>,
    /// When the meeting is planned to end, `"12:30"`. Default: when its last item ends, if the
    /// agenda gives that item's start and `duration` (see [`schedule`]).
    pub end: Option<Label>,
    /// Where the meeting is held.
    pub venue: Option<String>,
    /// `public`, or `private` for a board's Part II: never on the website unless built with `--publish-private`.
    pub session: Session,
    /// The date of the previous meeting; `changes-since` blocks in its papers start from it.
    pub previous_meeting: Option<Date>,
    /// The board (`content/boards/<id>.yaml`) whose meeting it is: its members, quorum and
    /// the standing items generated from them.
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub board: Option<String>,
    /// Who was present and who sent apologies (before the meeting: apologies received).
    pub attendance: Option<Attendance>,
    /// The agenda, in order.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// A public meeting's resolution to exclude the public, kept when the register drops
    /// private meetings ([`Register::without_private`]); see [`Register::part_two`].
    #[serde(skip)]
    pub part_two: Option<governance::PartTwo>,
}

/// One item on a meeting's agenda: a standing item with a `title`, or a `paper`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// The item number; quote it if it has a decimal point: `"5.1"`.
    pub item: Label,
    /// The item's title (for a paper, default: the paper's title). `title` or `paper` is required.
    pub title: Option<String>,
    /// The id of the paper in `content/papers/` presented under this item.
    pub paper: Option<String>,
    /// Who presents it.
    pub presenter: Option<String>,
    /// E.g. `To note`.
    pub purpose: Option<String>,
    /// When the item starts, `"10:20"`. Default: when the item before it ends (the meeting's
    /// start for the first), where the agenda gives that (see [`schedule`]).
    pub time: Option<Label>,
    /// How many minutes the item is planned to take: the next item starts after it.
    pub duration: Option<u16>,
    /// PDF or Word papers attached to this item, placed after its paper in the pack.
    #[serde(default)]
    pub appendices: Vec<Appendix>,
    /// A standing item made from the records: `attendance`, `interests`, `minutes` (the
    /// last meeting's approved minutes), `actions` or `decisions`.
    pub generate: Option<Generate>,
    /// Why the public is excluded from a private (Part II) item.
    pub reason: Option<Reason>,
    /// How members' declared interests in the item were managed.
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// What [`Register::resolve_standing_items`] filled in.
    #[serde(skip)]
    pub generated: Generated,
}

/// The fields of a standing item the register filled in rather than its record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    pub paper: bool,
    pub title: bool,
}

/// `generate:` of a standing agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Generate {
    /// Members expected, apologies and whether the meeting is quorate.
    Attendance,
    /// The register of interests of the meeting's members.
    Interests,
    /// The approved minutes of the board's last meeting.
    Minutes,
    /// The action log: open actions and those closed since the last meeting.
    Actions,
    /// The decisions of the last meeting.
    Decisions,
}

impl Generate {
    pub fn slug(self) -> &'static str {
        match self {
            Generate::Attendance => "attendance",
            Generate::Interests => "interests",
            Generate::Minutes => "minutes",
            Generate::Actions => "actions",
            Generate::Decisions => "decisions",
        }
    }
}

/// `appendices:` entry of an agenda item: a PDF (or Word) paper placed after the item's
/// paper, bookmarked under it with this title.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// The id of a PDF or Word paper in `content/papers/`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub paper: String,
    /// Its title, e.g. `Appendix A: action log`.
    #[serde(deserialize_with = "strings::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
}

impl AgendaItem {
    /// Whether the item presents the paper `id`, as its paper or an appendix.
    pub fn presents(&self, id: &str) -> bool {
        self.paper.as_deref() == Some(id) || self.appendices.iter().any(|a| a.paper == id)
    }

    /// The title the item gives the paper `id`: an appendix's own, else the item's.
    pub fn title_of(&self, id: &str) -> Option<&str> {
        match self.appendices.iter().find(|a| a.paper == id) {
            Some(appendix) if self.paper.as_deref() != Some(id) => Some(&appendix.title),
            _ => self.title.as_deref(),
        }
    }
}

/// Every record of one site, in a stable order (sorted by file path), plus where each field is.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub site: SiteConfig,
    pub organisations: Vec<Organisation>,
    pub support: Vec<SupportPackage>,
    pub undertakings: Vec<Undertaking>,
    pub pages: Vec<Page>,
    pub papers: Vec<Paper>,
    /// The cover fields of PDF and Word papers, from `content/papers/<id>.yaml`.
    pub paper_details: Vec<PaperDetails>,
    pub meetings: Vec<Meeting>,
    pub boards: Vec<Board>,
    /// Members' declarations of interest, one record a member.
    pub interests: Vec<Declarations>,
    pub actions: Vec<Action>,
    pub decisions: Vec<Decision>,
    /// The source map of every YAML document read, by file.
    pub maps: Map<FileId, SourceMap>,
    /// Files that should hold a record but could not be read as one, with the kind and id of
    /// that record: references to it are left to the file's own problem.
    pub unreadable: Map<FileId, (RecordKind, String)>,
    /// The private papers' folder (site.yaml's `private:`), as the load saw it.
    pub private: PrivateFolder,
    organisation_index: Map<String, usize>,
    paper_index: Map<String, usize>,
    page_index: Map<String, usize>,
}

/// The folder of Part II papers that site.yaml's `private:` names, outside the repository the
/// website is published from, as one load saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PrivateFolder {
    /// site.yaml names none: private papers, if any, are in `content/`.
    #[default]
    Unnamed,
    /// Read: its papers are in the register, from these files.
    Read { root: PathBuf, files: std::collections::BTreeSet<FileId> },
    /// Named and not read: the command does not read it (`build`, `serve`), or it is not there
    /// (`missing`).
    Unread { root: PathBuf, missing: bool },
}

impl Register {
    /// Whether a paper that no record holds may be in the private folder, which this load did
    /// not read: then an agenda of a private meeting may present it.
    pub fn private_unread(&self) -> bool {
        matches!(self.private, PrivateFolder::Unread { .. })
    }

    /// The folder `file`'s relative paths (its pictures) start from: `content` for a file in
    /// `content/`, the private folder for a paper read from there.
    pub fn folder_of<'a>(&'a self, file: FileId, content: &'a std::path::Path) -> &'a std::path::Path {
        match &self.private {
            PrivateFolder::Read { root, files } if files.contains(&file) => root,
            _ => content,
        }
    }
}

/// What a file holds: a record of one kind ([`kinds::KINDS`]).
#[derive(Debug, Clone)]
pub enum AnyRecord {
    Site(SiteConfig),
    Organisation(Organisation),
    Support(SupportPackage),
    Undertaking(Undertaking),
    Meeting(Meeting),
    Page(Page),
    Paper(Paper),
    PaperDetails(PaperDetails),
    Board(Board),
    Declarations(Declarations),
    Action(Action),
    Decision(Decision),
}

/// The [`Record`] impl of a kind's type: its id and file, and its records in the register
/// (`field`), plus any of the trait's provided functions it overrides.
macro_rules! record {
    ($ty:ident, $kind:ident, $field:ident $(, $extra:item)*) => {
        impl Record for $ty {
            const KIND: RecordKind = RecordKind::$kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn file(&self) -> FileId {
                self.file
            }
            fn all(register: &Register) -> &Vec<Self> {
                &register.$field
            }
            fn all_mut(register: &mut Register) -> &mut Vec<Self> {
                &mut register.$field
            }
            fn into_any(self) -> AnyRecord {
                AnyRecord::$kind(self)
            }
            fn identify(&mut self, id: String, file: FileId) {
                self.id = id;
                self.file = file;
            }
            $($extra)*
        }
    };
}

record!(
    Organisation,
    Organisation,
    organisations,
    fn get<'a>(register: &'a Register, id: &str) -> Option<&'a Self> {
        register.organisation(id)
    },
    fn explicit_id(&self) -> Option<&str> {
        self.explicit_id.as_deref()
    },
    fn finish(&mut self, cx: &mut Finish) {
        for period in &mut self.segments {
            period.to = period.to.map(|to| to.as_inclusive_end());
        }
        for (i, episode) in self.rsp.iter().enumerate() {
            for (k, criterion) in episode.exit_criteria.iter().enumerate() {
                cx.check_slug(&format!("rsp[{i}].exit_criteria[{k}].id"), &criterion.id, "an exit-criterion id");
            }
        }
    }
);

record!(
    SupportPackage,
    Support,
    support,
    fn explicit_id(&self) -> Option<&str> {
        self.explicit_id.as_deref()
    },
    fn finish(&mut self, _cx: &mut Finish) {
        self.end = self.end.map(|end| end.as_inclusive_end());
    }
);

record!(
    Undertaking,
    Undertaking,
    undertakings,
    fn explicit_id(&self) -> Option<&str> {
        self.explicit_id.as_deref()
    }
);

record!(
    Meeting,
    Meeting,
    meetings,
    fn explicit_id(&self) -> Option<&str> {
        self.explicit_id.as_deref()
    },
    fn finish(&mut self, cx: &mut Finish) {
        for (k, item) in self.agenda.iter().enumerate() {
            if item.title.is_none() && item.paper.is_none() && item.generate.is_none() {
                let span = cx.value_span(&format!("agenda[{k}]"));
                let d = format::INVALID_VALUE
                    .at(span, format!("agenda item {} has neither a `title` nor a `paper`", item.item))
                    .with_help(
                        "give a standing item a `title:` (or `generate:`), or name the paper it presents with `paper:`",
                    );
                cx.report(d);
            }
        }
    }
);

record!(
    Page,
    Page,
    pages,
    fn get<'a>(register: &'a Register, id: &str) -> Option<&'a Self> {
        register.page(id)
    }
);
record!(
    Paper,
    Paper,
    papers,
    fn get<'a>(register: &'a Register, id: &str) -> Option<&'a Self> {
        register.paper(id)
    }
);
record!(PaperDetails, PaperDetails, paper_details);
record!(Board, Board, boards);
record!(Declarations, Declarations, interests);
record!(Action, Action, actions);
record!(Decision, Decision, decisions);

/// Position of each id in `items`; with duplicates, the first (duplicates are OVS502 errors).
fn index_by<T>(items: &[T], id: impl Fn(&T) -> &str) -> Map<String, usize> {
    let mut index = Map::with_capacity_and_hasher(items.len(), Default::default());
    for (i, item) in items.iter().enumerate() {
        index.entry(id(item).to_string()).or_insert(i);
    }
    index
}

impl Register {
    /// Adds a record after those of its kind (loading adds them in path order); site.yaml
    /// replaces the site's settings.
    pub fn push(&mut self, record: AnyRecord) {
        self.add(record, None);
    }

    /// Adds a record where a fresh load would have put it: in path order among its kind.
    pub(crate) fn insert(&mut self, record: AnyRecord, sources: &oversight_syntax::source::Sources) {
        self.add(record, Some(sources));
    }

    /// Adds a record at the end of its kind, or (with the sources, to know paths) where its
    /// path puts it.
    fn add(&mut self, record: AnyRecord, sources: Option<&oversight_syntax::source::Sources>) {
        fn at<T: Record>(register: &mut Register, item: T, sources: Option<&oversight_syntax::source::Sources>) {
            let items = T::all_mut(register);
            let i = match sources {
                Some(sources) => {
                    let path = sources.path(item.file());
                    items.partition_point(|x| sources.path(x.file()) < path)
                }
                None => items.len(),
            };
            items.insert(i, item);
        }
        match record {
            AnyRecord::Site(site) => self.site = site,
            AnyRecord::Organisation(o) => at(self, o, sources),
            AnyRecord::Support(s) => at(self, s, sources),
            AnyRecord::Undertaking(u) => at(self, u, sources),
            AnyRecord::Meeting(m) => at(self, m, sources),
            AnyRecord::Page(p) => at(self, p, sources),
            AnyRecord::Paper(p) => at(self, p, sources),
            AnyRecord::PaperDetails(d) => at(self, d, sources),
            AnyRecord::Board(b) => at(self, b, sources),
            AnyRecord::Declarations(d) => at(self, d, sources),
            AnyRecord::Action(a) => at(self, a, sources),
            AnyRecord::Decision(d) => at(self, d, sources),
        }
    }

    /// The (id, file) of every record of `kind`, in path order.
    pub fn records(&self, kind: RecordKind) -> Vec<(&str, FileId)> {
        (kind.row().records)(self)
    }

    /// The organisation with this id. (With duplicate ids, the first in path order.)
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisation_index.get(id).map(|&i| &self.organisations[i])
    }

    pub fn paper(&self, id: &str) -> Option<&Paper> {
        self.paper_index.get(id).map(|&i| &self.papers[i])
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.page_index.get(id).map(|&i| &self.pages[i])
    }

    /// Rebuilds lookup indexes after records were added or removed. Links resolve through them
    /// once per link, so a linear search here would make large sites quadratic.
    pub fn reindex(&mut self) {
        self.organisation_index = index_by(&self.organisations, |o| &o.id);
        self.paper_index = index_by(&self.papers, |p| &p.id);
        self.page_index = index_by(&self.pages, |p| &p.id);
    }

    /// Where the value at `path` of the YAML in `file` is (or its nearest recorded ancestor's;
    /// the start of the file if nothing is recorded).
    pub fn value_span(&self, file: FileId, path: &str) -> Span {
        self.maps.get(&file).and_then(|m| m.nearest(path)).map_or(Span::file_start(file), |e| e.value_span(file))
    }

    /// Whether a record of `kind` with `id` is in a file that could not be read.
    pub fn is_unreadable(&self, kind: RecordKind, id: &str) -> bool {
        self.unreadable.values().any(|(k, i)| *k == kind && i == id)
    }

    /// Whether some file that should hold a record of `kind` could not be read. A check that
    /// needs every record of a kind to say something is missing (no meeting's agenda presents
    /// this paper, no support package follows this exit) cannot tell while one is unread, and
    /// the file's own problem is the one to fix.
    pub fn is_incomplete(&self, kind: RecordKind) -> bool {
        self.unreadable.values().any(|(k, _)| *k == kind)
    }

    /// A paper's title, or its id if there is no such paper (an OVS501 error).
    pub fn paper_title(&self, id: &str) -> String {
        self.paper(id).map_or(id.to_string(), |p| p.title.clone())
    }

    /// What an agenda item is called: its own title, else the title of the paper it presents.
    pub fn agenda_title(&self, item: &AgendaItem) -> String {
        item.title.clone().or_else(|| item.paper.as_deref().map(|p| self.paper_title(p))).unwrap_or_default()
    }

    /// The meeting that presents a paper (as an item's paper or appendix), with its agenda
    /// item: the earliest by date (then id) if several do.
    pub fn meeting_of(&self, paper: &str) -> Option<(&Meeting, &AgendaItem)> {
        self.meetings
            .iter()
            .filter_map(|m| m.agenda.iter().find(|a| a.presents(paper)).map(|a| (m, a)))
            .min_by(|(a, _), (b, _)| (a.date, &a.id).cmp(&(b.date, &b.id)))
    }

    /// Whether the paper `id` is private: on the agenda of at least one meeting (as an item's
    /// paper or appendix), and of private meetings only. A paper on any public agenda, or on
    /// none, is public.
    pub fn is_private_paper(&self, id: &str) -> bool {
        let mut on = self.meetings.iter().filter(|m| m.agenda.iter().any(|a| a.presents(id)));
        on.next().is_some_and(|first| first.session == Session::Private) && on.all(|m| m.session == Session::Private)
    }

    /// Gives each paper written elsewhere what it has no front matter for: its title, from
    /// the agenda item that presents it ([`Register::meeting_of`]; empty if none does, which
    /// the check reports), and its cover fields from its `content/papers/<id>.yaml`. Run after
    /// every load, as they come from other files.
    pub fn attach_details(&mut self) {
        let mut filled: Vec<(usize, String, Option<&PaperDetails>)> = Vec::new();
        for (i, paper) in self.papers.iter().enumerate().filter(|(_, p)| p.attachment().is_some()) {
            let title = match self.meeting_of(&paper.id) {
                Some((_, item)) => item.title_of(&paper.id).unwrap_or_default(),
                None => paper.title.as_str(),
            };
            let details = self.paper_details.iter().find(|d| d.id == paper.id);
            filled.push((i, title.to_string(), details));
        }
        let filled: Vec<(usize, String, Option<PaperDetails>)> =
            filled.into_iter().map(|(i, title, details)| (i, title, details.cloned())).collect();
        for (i, title, details) in filled {
            let paper = &mut self.papers[i];
            paper.title = title;
            let details = details.unwrap_or(PaperDetails {
                id: String::new(),
                file: paper.file,
                report_by: Vec::new(),
                paper_type: None,
                classification: None,
                publication_reference: None,
                draft: false,
                organisations: Vec::new(),
                minutes_of: None,
                restricted_until: None,
                allow: Vec::new(),
            });
            paper.report_by = details.report_by;
            paper.paper_type = details.paper_type;
            paper.classification = details.classification;
            paper.publication_reference = details.publication_reference;
            paper.draft = details.draft;
            paper.organisations = details.organisations;
            paper.minutes_of = details.minutes_of;
            paper.restricted_until = details.restricted_until;
            paper.allow = details.allow;
        }
    }

    /// The register as the public website shows it: without private meetings and the papers
    /// only they present. `None` when nothing is private, so a site without private meetings
    /// pays nothing for the copy.
    pub fn without_private(&self, as_of: Date) -> Option<Register> {
        if self.meetings.iter().all(|m| m.session == Session::Public) {
            return None;
        }
        let withheld = |id: &str| self.is_private_paper(id) && !self.is_released(id, as_of);
        let mut public = self.clone();
        for meeting in public.meetings.iter_mut() {
            meeting.part_two = self.part_two(meeting);
        }
        public.papers.retain(|p| !withheld(&p.id));
        // What private meetings raised and decided is theirs.
        let private = |id: &str| self.meeting(id).is_some_and(|m| m.session == Session::Private);
        public.actions.retain(|a| !private(&a.meeting));
        public.decisions.retain(|d| !private(&d.meeting));
        public.meetings.retain(|m| m.session == Session::Public);
        public.reindex();
        // A PDF paper's title comes from an agenda: on the website, from a public one (a
        // released private paper keeps the title its own meeting gave it).
        public.attach_details();
        public.paper_details.retain(|d| !withheld(&d.id));
        Some(public)
    }

    /// The register without its draft papers (`draft: true`), as the website and the packs
    /// show it unless asked for drafts. An agenda item that presents a draft keeps its place,
    /// called by its own `title:` (the draft's title may change) and marked "paper to follow";
    /// a draft appendix is left out. `None` when there are no drafts, so a site without them
    /// pays nothing for the copy.
    pub fn without_draft_papers(&self) -> Option<Register> {
        if !self.papers.iter().any(|p| p.draft) {
            return None;
        }
        let is_draft = |id: &str| self.paper(id).is_some_and(|p| p.draft);
        let mut shown = self.clone();
        for item in shown.meetings.iter_mut().flat_map(|m| m.agenda.iter_mut()) {
            if item.paper.as_deref().is_some_and(is_draft) {
                item.paper = None;
                item.title = Some(match item.title.take() {
                    Some(title) => format!("{title} (paper to follow)"),
                    None => "Paper to follow".to_string(),
                });
            }
            item.appendices.retain(|a| !is_draft(&a.paper));
        }
        shown.papers.retain(|p| !p.draft);
        shown.paper_details.retain(|d| !is_draft(&d.id));
        shown.reindex();
        Some(shown)
    }

    /// How many papers are drafts, which the website and packs leave out unless asked.
    pub fn draft_papers(&self) -> usize {
        self.papers.iter().filter(|p| p.draft).count()
    }

    /// Papers written elsewhere whose PDF is not tagged ([`Attachment::tagged`]): a screen
    /// reader gets no structure from their pages, in their own PDF or in a pack.
    pub fn untagged_papers(&self) -> impl Iterator<Item = &Paper> + '_ {
        self.papers.iter().filter(|p| p.attachment().is_some_and(|a| !a.tagged))
    }

    /// What the site leaves out of the website unless asked: (private meetings, private papers).
    /// A private paper whose `restricted_until` has come by `as_of` is published, so not counted.
    pub fn private_counts(&self, as_of: Date) -> (usize, usize) {
        let meetings = self.meetings.iter().filter(|m| m.session == Session::Private).count();
        let withheld = |id: &str| self.is_private_paper(id) && !self.is_released(id, as_of);
        (meetings, self.papers.iter().filter(|p| withheld(&p.id)).count())
    }

    /// Undertakings given by this organisation.
    pub fn undertakings_of<'a>(&'a self, org: &'a str) -> impl Iterator<Item = &'a Undertaking> + 'a {
        self.undertakings.iter().filter(move |u| u.organisation == org)
    }
}

/// The shape of an id, for JSON Schemas: what [`is_slug`] accepts.
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";

/// True for a slug: `[a-z0-9][a-z0-9-]*`.
pub fn is_slug(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug suggestion for an invalid id: lower case, runs of anything else as one hyphen.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_the_first_forty_words_without_markup() {
        // Heading, table and fence lines are left out (not what a fence holds); emphasis,
        // code and brackets go from the words, and a word that was only markup leaves its space.
        let markdown =
            "# Title\n\nThe *trust* entered [RSP](@/organisations/x) in `2024`.\n| a | b |\n```\ncode\n```\n** two";
        assert_eq!(excerpt(markdown), "The trust entered RSP(@/organisations/x) in 2024. code  two");
        let long: String = (0..50).map(|i| format!("w{i} ")).collect();
        assert_eq!(excerpt(&long).split(' ').count(), 40);
        assert!(excerpt(&long).ends_with("w39"));
    }

    #[test]
    fn slugs() {
        for ok in ["uhmb", "a", "0", "north-west-2"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "A", "a_b", "a b", "é", "a/b", ".."] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert_eq!(slugify("Morecambe Bay_FT!"), "morecambe-bay-ft");
    }
}
