//! The NHS oversight framework as data: its editions (dates, segment ranges, programme names),
//! the dates the rules turn on, and the rule catalogue in [`rules`].
//!
//! Rules look editions up by date here rather than comparing dates of their own, so a change
//! to the framework is a change to one table.

pub use oversight_model::EditionId;
use oversight_model::OrgType;
use oversight_syntax::date::Date;

/// The Recovery Support Programme started (and special measures ended) on 13 July 2021 [S1].
pub const RSP_LAUNCH: Date = Date::constant(2021, 7, 13);
/// ICBs were established, replacing CCGs, on 1 July 2022 [S8].
pub const ICBS_ESTABLISHED: Date = Date::constant(2022, 7, 1);
/// NHS trusts hold a provider licence from 1 April 2023 [S57][S58]; the same day, licence
/// condition FT4 became NHS2 [S64].
pub const NHS_TRUST_LICENCE: Date = Date::constant(2023, 4, 1);

/// Where a fact of the edition table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Published: the source keys that say so (`[S15]`).
    Cited(&'static str),
    /// Not yet published in a form this release can cite. The value is a *setting*: chosen to
    /// be conservative (rules warn, never fail, on it), and the text says why. docs/rules.md
    /// lists every one ("Settings"); a release changes it once NHS England publishes the fact.
    Setting(&'static str),
}

impl Basis {
    pub fn is_setting(self) -> bool {
        matches!(self, Basis::Setting(_))
    }

    /// The citation, or the reason for the setting.
    pub fn text(self) -> &'static str {
        match self {
            Basis::Cited(text) | Basis::Setting(text) => text,
        }
    }
}

/// A national intensive-support programme, as NHS England names it.
#[derive(Debug, PartialEq, Eq)]
pub struct Programme {
    /// "Recovery Support Programme".
    pub name: &'static str,
    /// "RSP".
    pub short: &'static str,
}

/// Quality and financial special measures, until 12 July 2021 [S25][S29].
pub static SPECIAL_MEASURES: Programme = Programme { name: "special measures", short: "special measures" };
/// The Recovery Support Programme, from 13 July 2021 [S1].
pub static RSP: Programme = Programme { name: "Recovery Support Programme", short: "RSP" };
/// The Provider Improvement Programme, segment 5 of NOF 2025/26 [S15].
pub static PIP: Programme = Programme { name: "Provider Improvement Programme", short: "PIP" };

/// One edition of the framework (oversight-framework.md §1).
#[derive(Debug)]
pub struct Edition {
    pub id: EditionId,
    /// The id as records write it: `nof-2022-23`.
    pub slug: &'static str,
    pub name: &'static str,
    /// How pages and charts label it: "NOF 2022/23".
    pub short_name: &'static str,
    pub start: Date,
    /// Where the first day in force comes from.
    pub start_basis: Basis,
    /// Last day in force (inclusive); `None` while in force.
    pub end: Option<Date>,
    /// The highest segment the edition publishes.
    pub max_segment: u32,
    /// A segment above `max_segment` that the published documents neither confirm nor rule
    /// out: tolerated with a warning (OVS107), never an error.
    pub unconfirmed_segment: Option<(u32, Basis)>,
    /// Whether the edition segments ICBs (and, before July 2022, systems).
    pub segments_icbs: bool,
    /// The segments that mean the national intensive-support programme: every segment period
    /// during an episode is one of them (OVS201).
    pub programme_segments: &'static [u32],
    pub programme_basis: Basis,
    /// The segments an organisation leaving the programme moves into (OVS205).
    pub exit_segments: &'static [u32],
    /// The programme NHS trusts and foundation trusts in intensive support are in.
    pub provider_programme: &'static Programme,
    /// The programme ICBs in intensive support are in.
    pub icb_programme: &'static Programme,
    pub source: &'static str,
}

impl Edition {
    /// Whether segment `s` means the intensive-support programme under this edition.
    pub fn is_programme_segment(&self, s: u32) -> bool {
        self.programme_segments.contains(&s)
    }

    /// The programme an organisation of type `t` in intensive support is in.
    pub fn programme(&self, t: OrgType) -> &'static Programme {
        if t.is_provider() { self.provider_programme } else { self.icb_programme }
    }
}

/// The first day of NOF 2026/27, a setting (see [`EDITIONS`]): NOF 2025/26 was published on
/// 26 June 2025 as a one-year framework with first assessments in July [S14][S15], so the
/// next edition is taken to start where that year ends.
const NOF_2026_START: Date = Date::constant(2026, 7, 1);

pub static EDITIONS: [Edition; 5] = [
    Edition {
        id: EditionId::Sof2016,
        slug: "sof-2016",
        name: "Single Oversight Framework (NHS Improvement)",
        short_name: "SOF 2016",
        start: Date::constant(2016, 12, 1),
        start_basis: Basis::Cited("[S25][S29]"),
        end: Some(Date::constant(2021, 6, 30)),
        max_segment: 4,
        unconfirmed_segment: None,
        // ICBs did not exist; a system's early dates are OVS104's note, not judged here.
        segments_icbs: true,
        programme_segments: &[4],
        programme_basis: Basis::Cited("[S25][S29]"),
        exit_segments: &[3],
        provider_programme: &SPECIAL_MEASURES,
        icb_programme: &SPECIAL_MEASURES,
        source: "[S25][S29]",
    },
    Edition {
        id: EditionId::Sof2021,
        slug: "sof-2021-22",
        name: "NHS System Oversight Framework 2021/22",
        short_name: "SOF 2021/22",
        start: Date::constant(2021, 7, 1),
        start_basis: Basis::Cited("[S5]"),
        end: Some(Date::constant(2022, 6, 30)),
        max_segment: 4,
        unconfirmed_segment: None,
        segments_icbs: true,
        programme_segments: &[4],
        programme_basis: Basis::Cited("[S2][S3]"),
        exit_segments: &[3],
        provider_programme: &RSP,
        icb_programme: &RSP,
        source: "[S1][S2][S5]",
    },
    Edition {
        id: EditionId::Nof2022,
        slug: "nof-2022-23",
        name: "NHS Oversight Framework 2022/23",
        short_name: "NOF 2022/23",
        start: Date::constant(2022, 7, 1),
        start_basis: Basis::Cited("[S8]"),
        end: Some(Date::constant(2025, 6, 30)),
        max_segment: 4,
        unconfirmed_segment: None,
        segments_icbs: true,
        programme_segments: &[4],
        programme_basis: Basis::Cited("[S3]"),
        exit_segments: &[3],
        provider_programme: &RSP,
        icb_programme: &RSP,
        source: "[S3][S8]",
    },
    Edition {
        id: EditionId::Nof2025,
        slug: "nof-2025-26",
        name: "NHS Oversight Framework 2025/26",
        short_name: "NOF 2025/26",
        start: Date::constant(2025, 7, 1),
        start_basis: Basis::Cited("[S14][S15]"),
        // The day before NOF 2026/27 starts (a setting); the contiguity test keeps them in step.
        end: Some(Date::constant(2026, 6, 30)),
        max_segment: 5,
        unconfirmed_segment: None,
        // "ICBs will not be segmented this year" [S15].
        segments_icbs: false,
        // Segment 5 is "intensive support through the Provider Improvement Programme" [S15];
        // segment 4 during an episode is tolerated with a warning (OVS212).
        programme_segments: &[5],
        programme_basis: Basis::Cited("[S15]"),
        // A provider leaving segment 5 moves to a segment the quartiles give it, normally 4 [S15].
        exit_segments: &[1, 2, 3, 4],
        provider_programme: &PIP,
        // The PIP is for providers [S15]; ICBs, not segmented, keep the RSP's name.
        icb_programme: &RSP,
        source: "[S14][S15][S19]",
    },
    Edition {
        id: EditionId::Nof2026,
        slug: "nof-2026-27",
        name: "NHS Oversight Framework 2026/27",
        short_name: "NOF 2026/27",
        start: NOF_2026_START,
        start_basis: Basis::Setting(
            "the first day in force is not given in a source this release can cite; NOF 2025/26 was a one-year framework from 1 July 2025 [S14][S15], so 1 July 2026 is taken",
        ),
        end: None,
        // "from segment 1 … to segment 4" for each provider and ICB [S70].
        max_segment: 4,
        unconfirmed_segment: Some((
            5,
            Basis::Setting(
                "the 2026/27 manual segments providers and ICBs from 1 to 4 [S70]; whether an intensive-support segment 5 remains is not yet published in a form this release can cite",
            ),
        )),
        segments_icbs: true,
        // Segment 4, "widespread poor performance and likely to require co-ordinated
        // intervention" [S70], or a segment 5 if one remains.
        programme_segments: &[4, 5],
        programme_basis: Basis::Setting(
            "how the intensive-support programme is entered under NOF 2026/27 is not yet published in a form this release can cite; an episode may be in segment 4 [S70] or 5",
        ),
        exit_segments: &[1, 2, 3, 4],
        provider_programme: &PIP,
        icb_programme: &RSP,
        source: "[S70]",
    },
];

/// The programme an organisation of type `t` in intensive support was in on day `d`: the
/// Recovery Support Programme from its launch, the Provider Improvement Programme for
/// providers from NOF 2025/26 (ICBs are never in the *Provider* Improvement Programme).
pub fn programme_at(t: OrgType, d: Date) -> &'static Programme {
    if d < RSP_LAUNCH {
        return &SPECIAL_MEASURES;
    }
    edition_at(d).map_or(&RSP, |ed| ed.programme(t))
}

/// Every fact of the edition table that is a setting rather than a citation, as
/// (edition, what, why): docs/rules.md lists them.
pub fn settings() -> Vec<(&'static Edition, &'static str, &'static str)> {
    let mut out = Vec::new();
    for ed in &EDITIONS {
        if let Basis::Setting(why) = ed.start_basis {
            out.push((ed, "first day in force", why));
        }
        if let Some((_, Basis::Setting(why))) = ed.unconfirmed_segment {
            out.push((ed, "segment 5 (warned on, OVS107)", why));
        }
        if let Basis::Setting(why) = ed.programme_basis {
            out.push((ed, "segments of an episode", why));
        }
    }
    out
}

/// The edition in force on day `d`, if any.
pub fn edition_at(d: Date) -> Option<&'static Edition> {
    EDITIONS.iter().find(|e| e.start <= d && e.end.is_none_or(|end| d <= end))
}

/// The editions in force on some day from `first` to `last` (inclusive), oldest first: a
/// period is judged under every edition it overlaps, not only the one it starts in.
pub fn editions_between(first: Date, last: Date) -> impl Iterator<Item = &'static Edition> {
    EDITIONS.iter().filter(move |e| e.start <= last && e.end.is_none_or(|end| first <= end))
}

pub fn edition(id: EditionId) -> &'static Edition {
    EDITIONS.iter().find(|e| e.id == id).expect("every EditionId has a table row")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_are_contiguous_from_2021() {
        for pair in EDITIONS[1..].windows(2) {
            assert_eq!(pair[0].end.unwrap().next_day(), pair[1].start);
        }
        assert_eq!(edition_at(Date::constant(2021, 7, 13)).unwrap().id, EditionId::Sof2021);
        assert_eq!(edition_at(Date::constant(2022, 6, 30)).unwrap().id, EditionId::Sof2021);
        assert_eq!(edition_at(Date::constant(2022, 7, 1)).unwrap().id, EditionId::Nof2022);
        assert_eq!(edition_at(Date::constant(2026, 6, 30)).unwrap().id, EditionId::Nof2025);
        assert_eq!(edition_at(Date::constant(2026, 7, 1)).unwrap().id, EditionId::Nof2026);
        assert_eq!(edition_at(Date::constant(2030, 1, 1)).unwrap().id, EditionId::Nof2026);
        assert!(edition_at(Date::constant(2015, 1, 1)).is_none());
        assert_eq!(edition(EditionId::Nof2025).max_segment, 5);
        assert!(!edition(EditionId::Nof2025).segments_icbs && edition(EditionId::Nof2026).segments_icbs);
    }

    #[test]
    fn programmes_are_named_by_organisation_type_and_date() {
        let (trust, icb) = (OrgType::NhsTrust, OrgType::Icb);
        assert_eq!(programme_at(trust, Date::constant(2021, 7, 12)).name, "special measures");
        assert_eq!(programme_at(trust, RSP_LAUNCH).short, "RSP");
        assert_eq!(programme_at(trust, Date::constant(2025, 6, 30)).short, "RSP");
        assert_eq!(programme_at(trust, Date::constant(2025, 7, 1)).short, "PIP");
        assert_eq!(programme_at(icb, Date::constant(2025, 7, 1)).short, "RSP");
        assert_eq!(programme_at(icb, Date::constant(2026, 12, 3)).short, "RSP");
    }

    #[test]
    fn every_unverified_fact_is_a_setting_with_its_reason() {
        let settings = settings();
        assert_eq!(settings.len(), 3, "{settings:?}");
        assert!(settings.iter().all(|(ed, _, why)| ed.id == EditionId::Nof2026 && why.len() > 40));
    }
}
