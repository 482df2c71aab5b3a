//! Regressions, one test per reported problem, named after the issue item it comes from
//! (`issue14_4_…` is item 4 of issue 14). Each builds the smallest site that showed the
//! problem and checks the verdict now given; the old verdict is in the comment.

use std::fs;
use std::path::Path;

use oversight_rules::check::{Checked, check_site};
use oversight_syntax::date::Date;

const TODAY: Date = Date::constant(2026, 1, 1);

/// A site made of `files` (path under content/ → text), with a site.yaml unless one is given.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(content.join("site.yaml"), "title: Regression\nas_of: 2025-12-01\n").unwrap();
    for (path, text) in files {
        let path = content.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &Path, as_of: Option<&str>) -> Checked {
    check_site(dir, as_of.map(|d| Date::parse(d).unwrap()), TODAY).unwrap()
}

/// The diagnostics of one rule: `(line of its message)`.
fn of(checked: &Checked, code: &str) -> Vec<String> {
    checked.diagnostics.iter().filter(|d| d.code == code).map(|d| d.message.clone()).collect()
}

fn trust(segments: &str, rsp: &str) -> String {
    format!("name: Test Hospitals NHS Trust\ntype: nhs-trust\nregion: london\nsegments:\n{segments}rsp:\n{rsp}")
}

#[test]
fn issue14_4_an_entry_given_as_july_2021_is_not_before_the_launch() {
    // Was: OVS202 error, `2021-07` read as 1 July, before the 13 July launch.
    let segments = "  - segment: 4\n    from: 2021-07\n";
    let rsp = |entered: &str| {
        format!(
            "  - entered: {entered}\n    criteria: [financial-deficit]\n    improvement_director: Jo Example\n    exit_criteria:\n      - id: a\n        text: A\n"
        )
    };
    let july = site(&[("organisations/t.yaml", &trust(segments, &rsp("2021-07")))]);
    assert_eq!(of(&check(july.path(), None), "OVS202"), Vec::<String>::new());
    // The whole of June is before the launch.
    let june = site(&[("organisations/t.yaml", &trust("  - segment: 4\n    from: 2021-06\n", &rsp("2021-06")))]);
    assert_eq!(of(&check(june.path(), None), "OVS202").len(), 1);
}

#[test]
fn issue14_5_an_open_foundation_trust_period_from_2019_is_judged_under_later_editions() {
    // Was: no OVS105, because the period's edition was the one in force on its `from` (SOF 2016).
    let ft = "name: Test NHS Foundation Trust\ntype: foundation-trust\nregion: london\nsegments:\n  - segment: 4\n    from: 2019-05-01\n";
    let dir = site(&[("organisations/ft.yaml", ft)]);
    assert_eq!(of(&check(dir.path(), None), "OVS105").len(), 1);
}

#[test]
fn issue14_6_undertakings_count_only_while_in_force() {
    let ft = "name: Test NHS Foundation Trust\ntype: foundation-trust\nregion: london\nsegments:\n  - segment: 3\n    from: 2022-03-01\n    to: 2023-02-28\n  - segment: 2\n    from: 2023-03-01\n";
    let undertakings = |accepted: &str, released: &str| {
        format!(
            "organisation: ft\nregulator: monitor\naccepted: {accepted}\nlegal_basis: hsca-2012-s106\nbreaches: [\"CoS3(1)(a)\"]\nsummary: Finance\nreleased: {released}\n"
        )
    };
    // Was: excused by undertakings released in 2017.
    let old =
        site(&[("organisations/ft.yaml", ft), ("undertakings/u.yaml", &undertakings("2015-02-06", "2017-03-31"))]);
    assert_eq!(of(&check(old.path(), None), "OVS105").len(), 1);
    let current =
        site(&[("organisations/ft.yaml", ft), ("undertakings/u.yaml", &undertakings("2021-11-01", "2023-06-30"))]);
    assert_eq!(of(&check(current.path(), None), "OVS105"), Vec::<String>::new());
}

#[test]
fn issue14_7_a_framework_key_does_not_change_the_segment_range() {
    // Was: segment 5 in 2024 with `framework: nof-2025-26` judged under NOF 2025/26 (no OVS101).
    let org = "name: Test Hospitals NHS Trust\ntype: nhs-trust\nregion: london\nsegments:\n  - segment: 5\n    from: 2024-03-01\n    framework: nof-2025-26\n";
    let checked = check(site(&[("organisations/t.yaml", org)]).path(), None);
    assert_eq!(of(&checked, "OVS101"), ["segment 5 is outside NOF 2022/23 (segments 1–4)"]);
    assert_eq!(of(&checked, "OVS106").len(), 1, "and the key itself is reported");
}

#[test]
fn issue14_8_ft4_is_found_as_a_token_in_any_case() {
    // Was: only a citation starting with exactly `FT4` was reported.
    let org = "name: Test NHS Foundation Trust\ntype: foundation-trust\nregion: london\nlicence_breach: true\n";
    let u = "organisation: ft\nregulator: nhs-england\naccepted: 2023-06-01\nlegal_basis: hsca-2012-s106\nbreaches: [\"Condition FT4(5)(a)\", \"ft4\", \"NHS2(5)(a)\"]\nsummary: Governance\n";
    let checked = check(site(&[("organisations/ft.yaml", org), ("undertakings/u.yaml", u)]).path(), None);
    assert_eq!(of(&checked, "OVS302").len(), 2);
    let help: Vec<_> = checked.diagnostics.iter().filter_map(|d| d.help.clone()).collect();
    assert!(help.contains(&"cite `Condition NHS2(5)(a)`".to_string()), "{help:?}");
}

#[test]
fn issue14_12_as_of_on_the_command_line_is_a_view_not_a_future() {
    // Was: 83 future-date warnings on the README's own example.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = check(root, Some("2024-12-05"));
    assert_eq!(of(&checked, "OVS503"), Vec::<String>::new());
    assert_eq!(checked.as_of, Date::constant(2024, 12, 5));
    // A fact after site.yaml's as_of is still in the future.
    let page = "---\ntitle: Next year\ndate: 2026-06-01\n---\nText.\n";
    assert_eq!(of(&check(site(&[("pages/next.md", page)]).path(), Some("2025-01-01")), "OVS503").len(), 1);
}

#[test]
fn issue14_3_an_episode_open_at_the_as_of_date_has_been_open_not_lasted() {
    // Was: "lasted", because the episode has an `exited` date (after the view).
    let segments = "  - segment: 4\n    from: 2021-07-13\n    to: 2025-08-31\n  - segment: 3\n    from: 2025-09-01\n";
    let rsp = "  - entered: 2021-07-13\n    criteria: [financial-deficit]\n    improvement_director: Jo Example\n    exit_criteria:\n      - id: a\n        text: A\n        met: 2025-08-01\n    exited: 2025-09-01\n    transition_support: Agreed\n";
    let dir = site(&[("organisations/t.yaml", &trust(segments, rsp))]);
    let messages = of(&check(dir.path(), Some("2025-06-01")), "OVS210");
    assert!(messages.len() == 1 && messages[0].contains("has been open for"), "{messages:?}");
    let messages = of(&check(dir.path(), None), "OVS210");
    assert!(messages.len() == 1 && messages[0].contains("lasted"), "{messages:?}");
}

#[test]
fn issue14_3_an_organisation_that_enters_later_is_not_yet_in_the_programme() {
    // Was: "Never in the programme" on a past as-of date for an organisation that entered later.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = check(root, None);
    let urls = oversight_model::urls::Urls::new("/").unwrap();
    let hollinbrook = checked.register.organisation("hollinbrook-teaching-hospitals").unwrap();
    let row = |d: &str| oversight_site::views::org_row(hollinbrook, &urls, Date::parse(d).unwrap()).status;
    assert_eq!(row("2022-01-01"), "Not yet in the programme");
    assert_eq!(row("2026-09-30"), "In the programme since 6 October 2025");
    let greywater = checked.register.organisation("greywater-care").unwrap();
    assert_eq!(
        oversight_site::views::org_row(greywater, &urls, Date::constant(2021, 7, 1)).status,
        "Not yet in the programme"
    );
}

#[test]
fn issue14_9_a_record_that_fails_to_load_causes_no_follow_on_errors() {
    // Was: every reference to it an OVS501 or OVS504 error, advising to add a file that exists.
    let broken_org = "name: Broken Trust\ntype: nhs-trust\nregion: londn\n";
    let support = "organisation: broken\nkind: finance\ntitle: Finance review\nstart: 2024-01-01\nstatus: active\n";
    let page = "---\ntitle: News\ndate: 2024-02-01\norganisation: broken\n---\nSee [the trust](@/organisations/broken) and [the paper](@/papers/late).\n";
    let broken_paper = "---\ntitle: Late paper\n---\nNo cover block.\n";
    let meeting = "body: Board\ntitle: Board meeting held in public\ndate: 2024-03-01\nsession: public\nagenda:\n  - item: \"1\"\n    paper: late\n";
    let dir = site(&[
        ("organisations/broken.yaml", broken_org),
        ("support/s.yaml", support),
        ("pages/news.md", page),
        ("papers/late.md", broken_paper),
        ("meetings/m.yaml", meeting),
    ]);
    let checked = check(dir.path(), None);
    let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"OVS003"), "the real problems are reported: {codes:?}");
    assert!(!codes.contains(&"OVS501") && !codes.contains(&"OVS504"), "{:#?}", checked.diagnostics);
}

#[test]
fn issue14_13_broken_links_and_ods_codes_get_a_suggestion() {
    let org = "name: Alder Trust\ntype: nhs-trust\nregion: london\nods_code: R9Z\n";
    let support = "organisation: R9Z\nkind: finance\ntitle: Finance review\nstart: 2024-01-01\nstatus: active\n";
    let page = "---\ntitle: News\ndate: 2024-02-01\n---\nSee [Alder](@/organisations/aldr).\n";
    let dir = site(&[("organisations/alder.yaml", org), ("support/s.yaml", support), ("pages/news.md", page)]);
    let checked = check(dir.path(), None);
    let link = checked.diagnostics.iter().find(|d| d.code == "OVS504").unwrap();
    assert!(link.message.contains("did you mean `alder`?"), "{}", link.message);
    let ods = checked.diagnostics.iter().find(|d| d.code == "OVS501").unwrap();
    assert!(ods.help.as_deref().unwrap().contains("`R9Z` is the ODS code of `Alder Trust`"), "{:?}", ods.help);
}

#[test]
fn issue14_11_every_unknown_key_in_a_file_is_reported() {
    // Was: the first typo only.
    let org = "nmae: Test Hospitals NHS Trust\ntype: nhs-trust\nregion: london\nsegmnets:\n  - segment: 2\n    from: 2021-07-01\n    frm: 2021-07-01\n";
    let checked = check(site(&[("organisations/t.yaml", org)]).path(), None);
    let messages: Vec<_> = checked.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    assert_eq!(
        messages,
        ["OVS002 unknown field `nmae`", "OVS002 unknown field `segmnets`"],
        "`segmnets` hides `frm` beneath it; `name` is missing because of the typo, so it is not reported again"
    );
    let nested = "name: Test Hospitals NHS Trust\ntype: nhs-trust\nregion: london\nsegments:\n  - segment: 2\n    frm: 2021-07-01\n    form: 2021-07-01\n";
    let checked = check(site(&[("organisations/t.yaml", nested)]).path(), None);
    let unknown = checked.diagnostics.iter().filter(|d| d.code == "OVS002").count();
    assert_eq!(unknown, 2, "{:#?}", checked.diagnostics);
}

#[test]
fn issue14_10_a_typo_in_site_yaml_keeps_its_other_keys() {
    // Was: the whole file dropped, so the run used today's date and no rule levels, and
    // spurious warnings came before the real error.
    let page = "---\ntitle: Old news\ndate: 2024-02-01\n---\nText.\n";
    let dir = site(&[
        ("site.yaml", "title: Regression\nas_of: 2024-03-01\ntheem: nhs\nrules:\n  OVS503: error\n"),
        ("pages/old.md", page),
    ]);
    let checked = check(dir.path(), None);
    assert_eq!(checked.as_of, Date::constant(2024, 3, 1), "as_of kept");
    let codes: Vec<_> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["OVS002"], "{:#?}", checked.diagnostics);
    // Beyond unknown keys, nothing else is checked against guessed settings.
    let dir = site(&[("site.yaml", "title: Regression\nas_of: next tuesday\n"), ("pages/old.md", page)]);
    let codes: Vec<_> = check(dir.path(), None).diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["OVS003"]);
}

#[test]
fn issue14_13_messages_a_board_secretary_can_act_on() {
    let org = |segments: &str| format!("name: T\ntype: nhs-trust\nregion: london\nsegments:\n{segments}");
    let first = |text: &str| {
        let dir = site(&[("organisations/t.yaml", text)]);
        let d = check(dir.path(), None).diagnostics.into_iter().next().unwrap();
        (d.code, d.message, d.help.unwrap_or_default())
    };
    // Was: `invalid type: string "four", expected a whole number`.
    let (code, message, help) = first(&org("  - segment: four\n    from: 2021-07-01\n"));
    assert_eq!((code, message.as_str()), ("OVS003", "`segment` must be a whole number, but `four` is not"));
    assert!(help.contains("segment: 4"), "{help}");
    // Was: libyaml's "did not find expected '-' indicator".
    let (code, message, _) = first(&org("  - segment: 2\n    from: 2021-07-01\n   to: 2022-01-01\n"));
    assert_eq!((code, message.as_str()), ("OVS001", "`to` is not indented like the lines above it"));
    // Was: "found character that cannot start any token", as an invalid `segments`.
    let (code, message, _) = first(&org("  -\tsegment: 2\n    from: 2021-07-01\n"));
    assert_eq!((code, message.as_str()), ("OVS001", "a tab character, which YAML does not allow here"));
    // Was: a fixed example; now the author's own value in quotes.
    let (_, _, help) = first("name: Trust: the best\ntype: nhs-trust\nregion: london\n");
    assert_eq!(help, "put the value in quotes: name: \"Trust: the best\"");
}
