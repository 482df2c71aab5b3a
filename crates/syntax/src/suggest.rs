//! "Did you mean …?": the one way every diagnostic suggests a nearby name, for ids, keys,
//! enum values, rule codes and block options alike, so the same typo gets the same answer.

/// The candidate nearest to `wanted`, if any is near enough to suggest. Case is ignored. A
/// candidate qualifies within a few edits (Damerau–Levenshtein distance at most 2, or a third
/// of its length if longer) or when it starts with what was typed (at least three characters:
/// an id typed short). The fewest edits win; on a tie, one that starts with what was typed,
/// then the first.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = wanted;
    let wanted = wanted.to_lowercase();
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = strsim::damerau_levenshtein(&wanted, &lower);
            let near = distance <= 2.max(lower.chars().count() / 3);
            let prefix = wanted.chars().count() >= 3 && lower.starts_with(&wanted);
            (candidate != typed && (near || prefix)).then_some((distance, !prefix, candidate))
        })
        .min_by_key(|&(distance, not_prefix, _)| (distance, not_prefix))
        .map(|(_, _, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_names_only() {
        let names = ["segments", "rsp", "region", "licence_breach"];
        assert_eq!(closest("segmnets", names), Some("segments"));
        assert_eq!(closest("Region", names), Some("region"));
        assert_eq!(closest("licence", names), Some("licence_breach"));
        assert_eq!(closest("zzzzzz", names), None);
        assert_eq!(closest("rsp", names), None, "an exact match is no suggestion");
        assert_eq!(closest("fenmouth-valey", ["fenmouth-valley-hospitals", "kestrel-bay"]), None);
        assert_eq!(
            closest("fenmouth-valley", ["fenmouth-valley-hospitals", "kestrel-bay"]),
            Some("fenmouth-valley-hospitals")
        );
        assert_eq!(closest("OVS10", ["OVS101", "OVS102"]), Some("OVS101"));
        assert_eq!(closest("OVS21", ["OVS201", "OVS210"]), Some("OVS210"), "what was typed, continued");
    }
}
