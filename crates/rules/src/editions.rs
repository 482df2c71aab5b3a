//! The NHS oversight framework as data: its editions (dates, segment ranges, programme names),
//! the dates the rules turn on, and the rule catalogue in [`rules`].
//!
//! Rules look editions up by date here rather than comparing dates of their own, so a change
//! to the framework is a change to one table.

pub use oversight_model::EditionId;
use oversight_syntax::date::Date;

/// The Recovery Support Programme started (and special measures ended) on 13 July 2021 [S1].
pub const RSP_LAUNCH: Date = Date::constant(2021, 7, 13);
/// ICBs were established, replacing CCGs, on 1 July 2022 [S8].
pub const ICBS_ESTABLISHED: Date = Date::constant(2022, 7, 1);
/// NHS trusts hold a provider licence from 1 April 2023 [S57][S58]; the same day, licence
/// condition FT4 became NHS2 [S64].
pub const NHS_TRUST_LICENCE: Date = Date::constant(2023, 4, 1);

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
    /// Last day in force (inclusive); `None` while in force.
    pub end: Option<Date>,
    pub max_segment: u32,
    /// The segment that means the national intensive support programme.
    pub programme_segment: u32,
    pub programme: &'static str,
    pub source: &'static str,
}

pub static EDITIONS: [Edition; 4] = [
    Edition {
        id: EditionId::Sof2016,
        slug: "sof-2016",
        name: "Single Oversight Framework (NHS Improvement)",
        short_name: "SOF 2016",
        start: Date::constant(2016, 12, 1),
        end: Some(Date::constant(2021, 6, 30)),
        max_segment: 4,
        programme_segment: 4,
        programme: "Special measures",
        source: "[S25][S29]",
    },
    Edition {
        id: EditionId::Sof2021,
        slug: "sof-2021-22",
        name: "NHS System Oversight Framework 2021/22",
        short_name: "SOF 2021/22",
        start: Date::constant(2021, 7, 1),
        end: Some(Date::constant(2022, 6, 30)),
        max_segment: 4,
        programme_segment: 4,
        programme: "Recovery Support Programme",
        source: "[S1][S2][S5]",
    },
    Edition {
        id: EditionId::Nof2022,
        slug: "nof-2022-23",
        name: "NHS Oversight Framework 2022/23",
        short_name: "NOF 2022/23",
        start: Date::constant(2022, 7, 1),
        end: Some(Date::constant(2025, 6, 30)),
        max_segment: 4,
        programme_segment: 4,
        programme: "Recovery Support Programme",
        source: "[S3][S8]",
    },
    Edition {
        id: EditionId::Nof2025,
        slug: "nof-2025-26",
        name: "NHS Oversight Framework 2025/26",
        short_name: "NOF 2025/26",
        start: Date::constant(2025, 7, 1),
        end: None,
        max_segment: 5,
        programme_segment: 5,
        programme: "Provider Improvement Programme",
        source: "[S14][S15][S19]",
    },
];

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
        assert_eq!(edition_at(Date::constant(2030, 1, 1)).unwrap().id, EditionId::Nof2025);
        assert!(edition_at(Date::constant(2015, 1, 1)).is_none());
        assert_eq!(edition(EditionId::Nof2025).max_segment, 5);
    }
}
