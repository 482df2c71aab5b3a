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
    // Seen after the exit, the episode is history, which OVS210 no longer judges (issue 24 item 5).
    assert_eq!(of(&check(dir.path(), None), "OVS210"), Vec::<String>::new());
}

#[test]
fn issue14_3_an_organisation_that_enters_later_is_not_yet_in_the_programme() {
    // Was: "Never in the programme" on a past as-of date for an organisation that entered later.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = check(root, None);
    let urls = oversight_model::urls::Urls::new("/").unwrap();
    let hollinbrook = checked.register.organisation("hollinbrook-teaching-hospitals").unwrap();
    let row = |d: &str| oversight_site::org_row(hollinbrook, &urls, Date::parse(d).unwrap()).status;
    assert_eq!(row("2022-01-01"), "Not yet in the programme");
    assert_eq!(row("2026-09-30"), "In the programme since 6 October 2025");
    let greywater = checked.register.organisation("greywater-care").unwrap();
    assert_eq!(
        oversight_site::org_row(greywater, &urls, Date::constant(2021, 7, 1)).status,
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

// ---- issue 19: hostile input, overlapping builds, and `check` that predicts `build` ----------

/// Runs the binary in `dir` (colour off): exit code, stdout, stderr.
fn oversight(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the example register: its records, the pictures site.yaml names and its
/// private folder.
fn example() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let folders = ["content", "static", "private"].map(|f| walkdir::WalkDir::new(root.join(f)));
    for entry in folders.into_iter().flatten() {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(root).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// A paper in the example's meeting, with `body` after its front matter.
fn with_paper_body(site: &Path, body: &str) {
    let path = site.join("content/papers/rsp-update.md");
    let text = fs::read_to_string(&path).unwrap();
    let front_end = text[3..].find("\n---\n").unwrap() + 3 + 5;
    fs::write(&path, format!("{}{body}", &text[..front_end])).unwrap();
}

#[test]
fn issue19_1_footnotes_that_cite_each_other_are_found_by_check_and_cheap_to_typeset() {
    // Was: 22 levels of notes each citing the next twice needed > 4 GB; 3,000 chained notes
    // overflowed the stack (exit 134).
    let fan_out = |levels: usize| {
        let mut text = String::from("Text[^n0] and[^n0].\n\n");
        for i in 0..levels {
            text.push_str(&format!("[^n{i}]: Note {i} [^n{}] [^n{}]\n\n", i + 1, i + 1));
        }
        text.push_str(&format!("[^n{levels}]: Last.\n"));
        text
    };
    let site = example();
    with_paper_body(site.path(), &fan_out(22));
    let (code, _, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("OVS007") && stderr.contains("`[^n4]`"), "{stderr}");
    let (code, _, stderr) = oversight(site.path(), &["papers", "--output", "out"]);
    assert_eq!(code, Some(1), "papers refuses as check does: {stderr}");

    // Within the limit, each note is typeset once however often it is cited.
    with_paper_body(site.path(), &fan_out(3));
    let (code, _, stderr) = oversight(site.path(), &["papers", "--output", "out"]);
    assert_eq!(code, Some(0), "{stderr}");

    let mut chain = String::from("Text[^n0].\n\n");
    for i in 0..3000 {
        chain.push_str(&format!("[^n{i}]: Note [^n{}]\n\n", i + 1));
    }
    with_paper_body(site.path(), &chain);
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public"]);
    assert_eq!(code, Some(1), "a located error, no crash: {stderr}");
    assert!(stderr.contains("content/papers/rsp-update.md:"), "{stderr}");
}

#[test]
fn issue19_2_yaml_that_nests_deeply_or_expands_hugely_is_refused_quickly_where_it_starts() {
    // Was: 62 s for 1.6 MB of `- - - …`, 22 s for a 3,000-deep mapping, 16 GB for aliases.
    let dashes = "- ".repeat(800_000) + "x\n";
    let mapping: String = (0..3000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let big = format!("[{}]", vec!["\"a fairly long string value\""; 4000].join(","));
    let aliases = format!("name: &a {big}\nregion:\n{}", "  - *a\n".repeat(2000));
    for (file, text, message) in [
        ("dashes", dashes, "nested more than 64 deep"),
        ("mapping", mapping, "nested more than 64 deep"),
        ("aliases", aliases, "more than 100000 values"),
    ] {
        let dir = site(&[(&format!("organisations/{file}.yaml"), &text)]);
        let checked = check(dir.path(), None);
        let found = of(&checked, "OVS001");
        assert!(found.iter().any(|m| m.contains(message)), "{file}: {found:?}");
    }
}

#[test]
fn issue19_3_twenty_thousand_identical_headings_build() {
    // Was: 28.5 s, the de-duplication of heading ids being quadratic.
    let dir = site(&[(
        "pages/many.md",
        &format!("---\ntitle: Many\ndate: 2025-01-01\n---\n{}", "## Same\n\n".repeat(20_000)),
    )]);
    let (code, _, stderr) = oversight(dir.path(), &["build", "--output", "public"]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = fs::read_to_string(dir.path().join("public/pages/many/index.html")).unwrap();
    assert!(page.contains("id=\"same-19999\""));
}

#[test]
fn issue19_4_two_builds_into_one_folder_take_turns() {
    // Was: one exited 0 leaving 1,420 of 1,891 files and no marker.
    let site = example();
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    assert_eq!(code, Some(0), "{stderr}");
    let count = |dir: &Path| {
        walkdir::WalkDir::new(dir).into_iter().filter(|e| e.as_ref().unwrap().file_type().is_file()).count()
    };
    let expected = count(&site.path().join("public"));
    let builds: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_oversight"))
                .args(["build", "--output", "public", "--no-papers"])
                .current_dir(site.path())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut build in builds {
        assert!(build.wait().unwrap().success());
    }
    assert_eq!(count(&site.path().join("public")), expected);
    assert!(site.path().join("public/.oversight-build").exists());
    // Nothing is left beside the output but the lock file, once the detached deletions of
    // the replaced outputs (#29 item 3: the builds did not wait for them) have finished.
    let beside = || -> Vec<String> {
        fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public"))
            .collect()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while beside().len() > 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(beside(), [".public.lock"]);
}

#[test]
fn issue29_3_a_rebuild_leaves_the_old_output_to_a_detached_deletion_that_a_kill_cannot_harm() {
    let site = example();
    let build = || oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    let (code, _, stderr) = build();
    assert_eq!(code, Some(0), "{stderr}");
    // A deletion killed part way: a replaced folder, still marked, half its files gone; and a
    // folder of that name that no build made (no marker), which is never touched.
    let killed = site.path().join(".public.replaced-1-1");
    fs::create_dir_all(killed.join("organisations")).unwrap();
    fs::write(killed.join(".oversight-build"), "").unwrap();
    fs::write(killed.join("organisations/index.html"), "old").unwrap();
    let foreign = site.path().join(".public.replaced-mine");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let (code, _, stderr) = build();
    assert_eq!(code, Some(0), "{stderr}");
    // The output is complete as soon as the command returns.
    assert!(site.path().join("public/.oversight-build").exists());
    assert!(site.path().join("public/index.html").exists());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let left = || {
        fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.replaced-"))
            .count()
    };
    while left() > 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(!killed.exists(), "the killed deletion's folder is deleted by the next build");
    assert_eq!(left(), 1);
    assert_eq!(fs::read_to_string(foreign.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn issue19_6_no_output_inside_what_the_build_reads_nor_through_a_link() {
    // Was: `--output SITE/templates` accepted (the next build then ran templates from content);
    // a symbolic link replaced by a folder; any `.NAME.staging` deleted.
    let site = example();
    for bad in ["templates", "themes/nhs", "content/pages/x"] {
        let (code, _, stderr) = oversight(site.path(), &["build", "--output", bad, "--no-papers"]);
        assert_eq!(code, Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("which the build reads") || stderr.contains("inside content/"), "{bad}: {stderr}");
    }
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("linked")).unwrap();
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "linked", "--no-papers"]);
    assert_eq!((code, stderr.contains("symbolic link")), (Some(2), true), "{stderr}");
    fs::create_dir(site.path().join(".public.staging")).unwrap();
    fs::write(site.path().join(".public.staging/mine.txt"), "an author's file").unwrap();
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(site.path().join(".public.staging/mine.txt").exists());
}

#[test]
fn issue19_8_what_content_says_cannot_style_the_page_run_in_a_spreadsheet_or_drive_a_terminal() {
    let site = example();
    let c = site.path().join("content");
    // A trust whose name a spreadsheet would run as a formula, in the programme.
    let org = fs::read_to_string(c.join("organisations/kestrel-bay-university-hospitals.yaml")).unwrap();
    let evil = "=HYPERLINK(\"https://evil.example\",\"Kestrel\")";
    fs::write(
        c.join("organisations/kestrel-bay-university-hospitals.yaml"),
        org.replace("name: Kestrel Bay University Hospitals NHS Trust (fictional)", &format!("name: '{evil}'")),
    )
    .unwrap();
    fs::write(
        c.join("pages/styled.md"),
        "---\ntitle: Styled\ndate: 2025-01-01\n---\n<table><tr><td style=\"position:fixed;inset:0;background:url(https://evil.example/x)\">x</td></tr></table>\n",
    )
    .unwrap();
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    assert_eq!(code, Some(0), "{stderr}");
    let csv = fs::read_to_string(site.path().join("public/timeline/episodes.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(") && !csv.contains(",\"=HYPERLINK"), "{csv}");
    let page = fs::read_to_string(site.path().join("public/pages/styled/index.html")).unwrap();
    assert!(!page.contains("position:fixed") && !page.contains("url("), "{page}");

    // An escape sequence in a page is shown, not sent, by `check`.
    fs::write(
        c.join("pages/escape.md"),
        "---\ntitle: Escape\ndate: 2025-01-01\n---\n\u{1b}]0;pwned\u{7}\u{1b}[2J [x](@/pages/nope.md)\n",
    )
    .unwrap();
    let (_, stdout, stderr) = oversight(site.path(), &["check"]);
    assert!(stderr.contains("␛]0;pwned␇␛[2J"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stdout.contains('\u{1b}'));
}

#[test]
fn issue19_9_ids_too_long_for_a_file_name_and_deep_nesting_are_found_by_check() {
    // Was: `check` passed, then `build` failed ("File name too long", "maximum parsing depth").
    let long = "a".repeat(101);
    let dir = site(&[
        (&format!("organisations/{long}.yaml"), &trust("", "  []\n").replace("rsp:\n  []", "rsp: []")),
        ("pages/deep.md", &format!("---\ntitle: Deep\ndate: 2025-01-01\n---\n{} x\n", ">".repeat(300))),
    ]);
    let checked = check(dir.path(), None);
    assert!(of(&checked, "OVS004").iter().any(|m| m.contains("101 characters")), "{:?}", checked.diagnostics);
    assert!(of(&checked, "OVS007").iter().any(|m| m.contains("nested more than 16 deep")), "{:?}", checked.diagnostics);
}

#[test]
fn issue19_10_links_to_drafts_blocks_in_quotes_forged_markers_quoted_paragraphs_and_links() {
    // A link to a draft page would publish a dead link.
    let dir = site(&[
        ("pages/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\nSee [b](@/pages/b.md).\n"),
        ("pages/b.md", "---\ntitle: B\ndate: 2025-01-01\ndraft: true\n---\nDraft.\n"),
    ]);
    assert_eq!(of(&check(dir.path(), None), "OVS505").len(), 1);

    // A generated block with two options inside a quote or a list item reads its options.
    let dir = site(&[(
        "pages/q.md",
        "---\ntitle: Q\ndate: 2025-01-01\n---\n> ```changes-since\n> since: 2024-01-01\n> until: 2025-01-01\n> ```\n\n- item\n\n  ```changes-since\n  since: 2024-01-01\n  until: 2025-01-01\n  ```\n",
    )]);
    let checked = check(dir.path(), None);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);

    // A marker typed by an author is not replaced by a generated block; paragraphs in a quote
    // are numbered in neither the HTML nor the PDF; a colon after `)` is no URL scheme.
    let site = example();
    with_paper_body(
        site.path(),
        "One [x](https://nhs.uk \"\u{E000}generated-0\u{E000}\").\n\n```stats\n```\n\n> Quoted.\n\nTwo [link](foo\\)\\:).\n",
    );
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = fs::read_to_string(site.path().join("public/papers/rsp-update/index.html")).unwrap();
    let title = html.split("title=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert!(!title.contains('<'), "nothing spliced into the title: {title}");
    assert_eq!(html.matches("class=\"generated\"").count(), html.matches("<p class=\"generated\"").count().max(1));
    assert!(html.contains("href=\"foo):\""), "CommonMark example 500");
    let html_numbers = html.matches("class=\"para-number\"").count();
    let pdf = site.path().join("public/papers/rsp-update.pdf");
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap().stdout;
    let text = String::from_utf8_lossy(&text);
    let pdf_numbers = (1..=20).filter(|n| text.lines().any(|l| l.trim() == format!("{n}."))).count();
    assert_eq!(html_numbers, pdf_numbers, "the same paragraphs are numbered: {text}");

    // A content/ that is a symbolic link to the real folder is read without a warning.
    let real = example();
    let linked = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(real.path().join("content"), linked.path().join("content")).unwrap();
    assert_eq!(of(&check(linked.path(), None), "OVS006"), Vec::<String>::new());
}

#[test]
fn issue15_6_an_unknown_figure_is_a_located_error_with_the_nearest_name() {
    let dir = site(&[(
        "pages/p.md",
        "---\ntitle: P\ndate: 2025-01-01\n---\nThere are {{ exitted }} exits and {{ exits }}.\n",
    )]);
    let checked = check(dir.path(), None);
    let found: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == "OVS003").collect();
    assert_eq!(found.len(), 1, "{:?}", checked.diagnostics);
    assert_eq!(found[0].message, "`exitted` is not a figure");
    assert_eq!(found[0].help.as_deref(), Some("did you mean `{{ exited }}`?"));
    let text = checked.sources.text(found[0].span.file);
    assert_eq!(&text[found[0].span.start..found[0].span.end], "{{ exitted }}");
}

// ---- Issue 24: the framework as it stands in 2026 ----

/// The codes of the diagnostics, in order.
fn codes(checked: &Checked) -> Vec<&'static str> {
    checked.diagnostics.iter().map(|d| d.code).collect()
}

const EPISODE: &str = "    criteria: [financial-deficit]\n    improvement_director: Jo Example\n    exit_criteria:\n      - id: a\n        text: A\n";

#[test]
fn issue24_1_icbs_are_segmented_again_under_nof_2026_27_and_a_segment_5_only_warns() {
    // Was: OVS103 on every ICB segment recorded from July 2026 (NOF 2025/26 never ended), and
    // segment 5 under 2026/27 unjudged.
    let icb = "name: Test ICB\ntype: icb\nregion: london\nsegments:\n  - segment: 2\n    from: 2022-07-01\n    to: 2025-06-30\n  - segment: 3\n    from: 2026-07-01\n";
    let five = trust("  - segment: 5\n    from: 2025-07-01\n", &format!("  - entered: 2024-01-15\n{EPISODE}"));
    let dir = site(&[
        ("site.yaml", "title: Regression\nas_of: 2026-12-03\n"),
        ("organisations/icb.yaml", icb),
        ("organisations/t.yaml", &five),
    ]);
    let checked = check(dir.path(), None);
    assert_eq!(codes(&checked), ["OVS107"], "{:?}", of(&checked, "OVS107"));
    assert_eq!(checked.diagnostics[0].level, oversight_syntax::diagnostics::Level::Warning);
}

#[test]
fn issue24_2_an_icb_in_the_rsp_under_nof_2025_26_is_not_told_to_record_segment_5() {
    // Was: OVS212 on the ICB's open episode, whose advice (segment 5) then tripped OVS103.
    let icb = format!(
        "name: Test ICB\ntype: icb\nregion: london\nsegments:\n  - segment: 4\n    from: 2024-01-15\nrsp:\n  - entered: 2024-01-15\n{EPISODE}"
    );
    let dir = site(&[("organisations/icb.yaml", &icb)]);
    let checked = check(dir.path(), None);
    assert!(of(&checked, "OVS212").is_empty() && of(&checked, "OVS201").is_empty(), "{:?}", codes(&checked));
    // Its carried-over segment is OVS103's, once.
    assert_eq!(of(&checked, "OVS103").len(), 1);
}

#[test]
fn issue24_3_the_programme_is_named_for_the_organisation_type_one_name_a_sentence() {
    // Was: "N providers and 2 ICBs in the Provider Improvement Programme (the RSP until July 2025)".
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/recount");
    let checked = check(&dir, None);
    let stats = oversight_analysis::blocks::stats(&checked.register, checked.as_of);
    assert_eq!(stats[0], "As at 3 December 2026, there is 1 NHS provider in the Provider Improvement Programme.");
    assert_eq!(stats[1], "There is 1 ICB in the Recovery Support Programme.");
    let early = oversight_analysis::blocks::stats(&checked.register, Date::constant(2024, 6, 1));
    // Reentry (second episode) and Sameday; Mergeton merged on 1 April 2024.
    assert_eq!(early[0], "As at 1 June 2024, there are 2 NHS providers and 1 ICB in the Recovery Support Programme.");
}

#[test]
fn issue24_4_month_precision_is_judged_as_every_day_it_may_mean() {
    // Was: OVS201 error for `entered: 2022-11` with segment 4 from 15 Nov; OVS208 when not
    // every day of the month had run six months.
    let segments = "  - segment: 3\n    from: 2022-07-01\n    to: 2022-11-14\n  - segment: 4\n    from: 2022-11-15\n";
    let rsp = "  - entered: 2022-11\n    criteria: [financial-deficit]\n    improvement_director: Jo Example\n";
    let dir = site(&[
        ("site.yaml", "title: Regression\nas_of: 2023-05-15\n"),
        ("organisations/t.yaml", &trust(segments, rsp)),
    ]);
    assert_eq!(codes(&check(dir.path(), None)), Vec::<&str>::new());
    // From the month's last day plus six months, OVS208 fires.
    assert_eq!(of(&check(dir.path(), Some("2023-05-31")), "OVS208").len(), 1);
}

#[test]
fn issue24_5_exits_the_framework_allows_are_not_warned_and_unmet_criteria_only_warn() {
    // Was: OVS205 on a segment 5 → 4 exit under NOF 2025/26 and on a same-day re-entry;
    // OVS206 an error.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/recount");
    assert!(of(&check(&dir, None), "OVS205").is_empty());
    assert_eq!(oversight_rules::find("OVS206").unwrap().code.level, oversight_syntax::diagnostics::Level::Warning);
    // Closed episodes are history: no OVS208/209/210 on them (the recount's closed episodes
    // have no directors and no criteria).
    let checked = check(&dir, None);
    assert!(of(&checked, "OVS208").is_empty() && of(&checked, "OVS209").is_empty());
    assert_eq!(of(&checked, "OVS210"), ["`icb`'s RSP episode has been open for 1278 days, more than 36 months"]);
}

#[test]
fn issue24_6_a_programme_segment_with_no_episode_an_impossible_regulator_and_a_late_variation() {
    let segments = "  - segment: 4\n    from: 2022-07-01\n    to: 2023-06-30\n";
    let undertaking = "organisation: t\nregulator: nhs-england\naccepted: 2021-05-10\nlegal_basis: directions-equivalent\nsummary: Governance\nvariations:\n  - date: 2022-01-10\n    note: Varied\nreleased: 2021-12-01\n";
    let dir = site(&[
        ("organisations/t.yaml", &format!("name: T NHS Trust\ntype: nhs-trust\nregion: london\nsegments:\n{segments}")),
        ("undertakings/t-2021.yaml", undertaking),
    ]);
    let checked = check(dir.path(), None);
    assert_eq!(of(&checked, "OVS213").len(), 1, "{:?}", codes(&checked));
    assert_eq!(of(&checked, "OVS304").len(), 1);
    assert_eq!(of(&checked, "OVS303"), ["varied on 2022-01-10, after the undertakings were released on 2021-12-01"]);
}

#[test]
fn issue24_7_recount_by_hand_exits_reasons_and_a_merger() {
    // The fixture's comments give the records; the figures below were counted by hand.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/recount");
    let checked = check(&dir, None);
    let c = oversight_analysis::census(&checked.register, checked.as_of);
    // In: reentry (second episode) and the ICB. Entries: 2 + 2 + 1 + 1 + 1.
    assert_eq!((c.providers, c.icbs, c.entries, c.exits), (1, 1, 7, 5));
    // Exited: reentry, sameday, merged-a, july; re-entered: reentry, sameday.
    assert_eq!((c.organisations_exited, c.organisations_reentered, c.re_entries), (4, 2, 2));
    // Successful: reentry's first, sameday's second, july's. Not the merger, not `other`.
    assert_eq!((c.exits_successful, c.exits_reason_unknown), (3, 0));
    // 1037 days (1 Feb 2024 to 3 Dec 2026) and 1278 (5 Jun 2023 to 3 Dec 2026).
    assert_eq!(c.median_days_current, Some(1158));
    assert_eq!(c.longest_current, Some(("Downs and Coast Integrated Care Board (fixture)".to_string(), 1278)));
    let stats = oversight_analysis::blocks::stats(&checked.register, checked.as_of);
    assert_eq!(
        stats[2..],
        [
            "Since the Recovery Support Programme launched on 13 July 2021, 4 organisations have exited (5 exits in all), and 2 organisations have re-entered.",
            "3 of 5 exits were successful, approved by NHS England once the agreed exit criteria were met or on a CQC recommendation.",
            "Organisations now in the programme have been in it for a median of 1158 days.",
            "The longest in the programme is Downs and Coast Integrated Care Board (fixture), at 1278 days.",
        ]
    );
    // "July 2021" counts from the launch, 13 July, and is marked approximate: 246 days to 16 March 2022.
    let rows = oversight_analysis::episodes::rows(&checked.register, checked.as_of);
    let july = rows.iter().find(|r| r.organisation_id == "july").unwrap();
    assert_eq!((july.days_in_programme, july.days_approximate), (246, true));
}

#[test]
fn issue24_8_a_counted_figure_says_1_icb_never_1_icbs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/recount");
    let checked = check(&dir, None);
    let c = oversight_analysis::census(&checked.register, checked.as_of);
    let figure = |name| oversight_analysis::blocks::figure(&c, name);
    assert_eq!(figure("in_programme.icbs | count").as_deref(), Some("1 ICB"));
    assert_eq!(figure("in_programme | count").as_deref(), Some("2 organisations"));
    assert_eq!(figure("exited_successfully | count").as_deref(), Some("3 exits"));
    assert_eq!(figure("in_programme.icbs").as_deref(), Some("1"));
    assert_eq!(figure("longest.days").as_deref(), Some("1278"));
    assert_eq!(figure("as_of | count"), None);
    // Before 1 July 2022 a system was an integrated care system.
    let early = oversight_analysis::census(&checked.register, Date::constant(2022, 1, 1));
    assert_eq!(
        oversight_analysis::blocks::figure(&early, "in_programme.icbs | count").as_deref(),
        Some("0 integrated care systems")
    );
    // A form that is not one is a located error at check.
    let page =
        "---\ntitle: P\ndate: 2026-01-01\n---\n{{ as_of | count }} and {{ exits | plural }} and {{ exits | count }}\n";
    let dir = site(&[("pages/p.md", page)]);
    let found = of(&check(dir.path(), None), "OVS003");
    assert_eq!(found, ["`as_of` is not a count, so it has no `| count` form", "`plural` is not a form of a figure"]);
}

// ---- issue 32: the new surfaces under hostile input and kills ---------------------------------

/// Address space per command in the hardening issue's runs (3 GB), and its time limit.
const LIMIT_BYTES: u64 = 3_000_000 * 1024;
const LIMIT_TIME: std::time::Duration = std::time::Duration::from_secs(20);

/// [`oversight`] under the issue's limits: a crash (a signal: abort, stack overflow) or a run
/// past the time limit fails the test.
fn limited(dir: &Path, args: &[&str]) -> (i32, String) {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_oversight"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: LIMIT_BYTES, rlim_max: LIMIT_BYTES };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
        });
    }
    let started = std::time::Instant::now();
    let child = command.spawn().unwrap();
    let id = child.id();
    let watchdog = std::thread::spawn(move || {
        while started.elapsed() < LIMIT_TIME {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // The test has ended or the run is over its time: make sure of the second.
        let _ = std::process::Command::new("kill").arg(id.to_string()).status();
    });
    let out = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    drop(watchdog);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(elapsed < LIMIT_TIME, "`oversight {}` took {elapsed:?}: {stderr}", args.join(" "));
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("`oversight {}` crashed: {:?}\n{stderr}", args.join(" "), out.status));
    (code, stderr)
}

/// A PDF of `objects` (object 1 is the catalog), with its cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// A stream object of `data` with the dictionary entries `dict`.
fn stream_of(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// `check` and `build` of the example with its given PDF paper replaced by `pdf`: both refuse
/// it with a located error that says `expected`, within the limits.
fn refused_as_given_pdf(pdf: &[u8], expected: &str) {
    let site = example();
    fs::write(site.path().join("content/papers/2026-07-board-minutes.pdf"), pdf).unwrap();
    for args in [&["check"][..], &["build", "--output", "public"]] {
        let (code, stderr) = limited(site.path(), args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(stderr.contains("content/papers/2026-07-board-minutes.pdf:1:1"), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

/// A one-page PDF whose page is `page` (a dictionary's entries) and whose object 4 is `extra`.
fn one_page(page: &str, extra: Vec<u8>) -> Vec<u8> {
    pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page} >>").into_bytes(),
        extra,
    ])
}

#[test]
fn issue32_5_a_given_pdf_nested_30000_deep_is_refused_by_check() {
    // Was: a stack overflow in `check` (exit 134), and `serve` killed.
    let deep = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
    refused_as_given_pdf(
        &one_page(&format!("/Deep {deep}"), b"null".to_vec()),
        "nests arrays or dictionaries more than 64 deep",
    );
}

#[test]
fn issue32_5_a_given_pdf_that_inflates_to_gigabytes_is_refused_by_check() {
    // Was: a 7 KB content stream compressed twice inflated to 4 GB in `build`. Here 600 MiB,
    // past the 512 MiB bound, compressed twice to a few kilobytes.
    let inner = {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..600 {
            encoder.write_all(&zeros).unwrap();
        }
        encoder.finish().unwrap()
    };
    let content = stream_of("/Filter [/FlateDecode /FlateDecode]", &zlib(&inner));
    assert!(content.len() < 16 * 1024, "{} bytes", content.len());
    refused_as_given_pdf(&one_page("/Contents 4 0 R", content), "more than 512 MiB once decompressed");
}

#[test]
fn issue32_5_a_page_tree_that_lists_a_branch_twice_is_refused_by_check() {
    // Was: 20 levels each listing the next twice, 2^20 pages from 2.7 KB.
    let levels = 20;
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
    for level in 0..levels {
        let kid = 3 + level;
        objects.push(
            format!("<< /Type /Pages /Kids [{kid} 0 R {kid} 0 R] /Count {} >>", 1u64 << (levels - level)).into_bytes(),
        );
    }
    objects.push(b"<< /Type /Page /MediaBox [0 0 595 842] >>".to_vec());
    let pdf = pdf_of(&objects);
    assert!(pdf.len() < 4096);
    refused_as_given_pdf(&pdf, "lists the same page (or group of pages) more than once");
    // A page tree that contains itself.
    let cycle = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /MediaBox [0 0 595 842] >>".to_vec(),
    ]);
    refused_as_given_pdf(&cycle, "lists the same page (or group of pages) more than once");
    // Too many pages, each listed once.
    let mut many = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec()];
    let kids: Vec<String> = (0..2_001).map(|i| format!("{} 0 R", i + 3)).collect();
    many.push(format!("<< /Type /Pages /Kids [{}] /Count 2001 >>", kids.join(" ")).into_bytes());
    many.extend((0..2_001).map(|_| b"<< /Type /Page /MediaBox [0 0 595 842] >>".to_vec()));
    refused_as_given_pdf(&pdf_of(&many), "more than 2000 pages");
}

#[test]
fn issue32_5_a_small_valid_pdf_made_here_is_placed() {
    // The reproducers' own writer makes a placeable PDF: what is refused above is the bound.
    let content = stream_of("/Filter /FlateDecode", &zlib(b"0 0 m 100 100 l S"));
    let site = example();
    fs::write(site.path().join("content/papers/2026-07-board-minutes.pdf"), one_page("/Contents 4 0 R", content))
        .unwrap();
    let (code, stderr) = limited(site.path(), &["check"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn issue32_7_aliases_are_budgeted_in_bytes_in_every_yaml_the_tool_reads() {
    // Was: a 220 KB record with 30,000 aliases of a 100 KB value aborted in 0.3 s (issue 27:
    // an 8 MB value and 2,000 aliases, the same): each alias counted as one value.
    let value = "x".repeat(100_000);
    let aliases = "  - *a\n".repeat(30_000);
    let site_dir = example();
    let c = site_dir.path().join("content");
    let files = [
        ("organisations/bomb.yaml", format!("name: &a {value}\ntype: nhs-trust\nregion: london\nsegments:\n{aliases}")),
        ("papers/2026-07-board-minutes.yaml", format!("title: &a {value}\nrestrictions:\n{aliases}")),
        ("pages/bomb.md", format!("---\ntitle: &a {value}\ndate: 2025-01-01\ntags:\n{aliases}---\nText.\n")),
        (
            "site.yaml",
            format!("{}\nbomb: &a {value}\nmore:\n{aliases}", fs::read_to_string(c.join("site.yaml")).unwrap()),
        ),
    ];
    for (path, text) in &files {
        let before = fs::read(c.join(path)).ok();
        fs::write(c.join(path), text).unwrap();
        assert!(text.len() < 400_000);
        let (code, stderr) = limited(site_dir.path(), &["check"]);
        assert_eq!(code, 1, "{path}: {stderr}");
        assert!(stderr.contains("MiB of text once its aliases are expanded"), "{path}: {stderr}");
        // Reported at the alias that crosses the budget.
        let line =
            stderr.lines().find(|l| l.contains(&format!("content/{path}:"))).unwrap_or_else(|| panic!("{stderr}"));
        let row: usize =
            line.split(&format!("content/{path}:")).nth(1).unwrap().split(':').next().unwrap().parse().unwrap();
        assert!(text.lines().nth(row - 1).unwrap().contains("*a"), "{path}: {line}");
        match before {
            Some(bytes) => fs::write(c.join(path), bytes).unwrap(),
            None => fs::remove_file(c.join(path)).unwrap(),
        }
    }
}

/// A workbook of one sheet whose worksheet XML is `sheet` and whose shared strings are
/// `strings`, written as Excel does (deflated parts).
fn workbook_of(sheet: &[u8], strings: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if strings.is_some() {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", types.into_bytes()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trusts" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", rels.into_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    if let Some(strings) = strings {
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        zip.write_all(strings).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn worksheet(rows: &str) -> Vec<u8> {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#).into_bytes()
}

#[test]
fn issue32_6_a_workbook_whose_used_range_is_huge_is_refused_at_its_far_cell() {
    // Was: a 1.5 KB xlsx with cells A1 and XFD1048576 allocated 512 GB.
    let dir = tempfile::tempdir().unwrap();
    let far = workbook_of(
        &worksheet(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        ),
        None,
    );
    assert!(far.len() < 2048, "{} bytes", far.len());
    fs::write(dir.path().join("far.xlsx"), &far).unwrap();
    let (code, stderr) = limited(dir.path(), &["import", "far.xlsx", "--site", "site", "--dry-run"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("far.xlsx, sheet Trusts, cell XFD1048576") && stderr.contains("used range"), "{stderr}");

    // The same sheet within bounds is read.
    let near = workbook_of(
        &worksheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1"><v>1</v></c></row>"#),
        None,
    );
    fs::write(dir.path().join("near.xlsx"), &near).unwrap();
    let (_, stderr) = limited(dir.path(), &["import", "near.xlsx", "--site", "site", "--dry-run"]);
    assert!(stderr.is_empty() || !stderr.contains("used range"), "{stderr}");
}

#[test]
fn issue32_6_a_workbook_that_inflates_past_the_bound_is_refused_before_it_is_read() {
    // Was: zip bombs in the shared strings or a worksheet aborted `import` in 1.5 s.
    let padding = " ".repeat(300 << 20);
    let strings = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{padding}<si><t>Name</t></si></sst>"#
    );
    let sheet = worksheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let bomb = workbook_of(&sheet, Some(strings.as_bytes()));
    drop(strings);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bomb.xlsx"), &bomb).unwrap();
    let (code, stderr) = limited(dir.path(), &["import", "bomb.xlsx", "--site", "site", "--dry-run"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bomb.xlsx: its part `xl/sharedStrings.xml`") && stderr.contains("256 MiB"), "{stderr}");
    // A worksheet bomb, the same.
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{padding}<sheetData/></worksheet>"#
    );
    fs::write(dir.path().join("bomb.xlsx"), workbook_of(sheet.as_bytes(), None)).unwrap();
    let (code, stderr) = limited(dir.path(), &["import", "bomb.xlsx", "--site", "site", "--dry-run"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`xl/worksheets/sheet1.xml`"), "{stderr}");
}

#[test]
fn issue30_3_export_is_quiet_under_quiet_and_every_command_reports_as_check_does() {
    let run = |args: &[&str], dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_oversight"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // Was: `export` said "Wrote …" even under --quiet.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let book = out.path().join("register.xlsx");
    let quiet = run(&["--quiet", "export", "--output", book.to_str().unwrap()], root);
    assert_eq!(quiet.status.code(), Some(0), "{}", String::from_utf8_lossy(&quiet.stderr));
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "", "--quiet says nothing");
    assert!(book.is_file());
    let chatty = run(&["export", "--output", book.to_str().unwrap()], root);
    assert!(String::from_utf8_lossy(&chatty.stderr).starts_with("Wrote "), "without it, what was written");

    // Was: `timeline` and `export` printed diagnostics their own way; now as `check` does.
    let broken = root.join("tests/fixtures/sites/broken");
    let check = run(&["check"], &broken);
    assert_eq!(check.status.code(), Some(1));
    for command in [&["timeline"][..], &["export", "--output", book.to_str().unwrap()]] {
        let other = run(command, &broken);
        assert_eq!(other.status.code(), Some(1), "{command:?}");
        let stderr = String::from_utf8_lossy(&other.stderr);
        assert!(stderr.starts_with(&*String::from_utf8_lossy(&check.stderr)), "{command:?}:\n{stderr}");
    }
}

// ---- issue 31: first contact, round 2 ---------------------------------------------------------

/// A trust in the programme from 1 Feb 2023 with ODS code `R8A`.
const IN_PROGRAMME: &str = "name: Alder Hospitals NHS Trust\ntype: nhs-trust\nods_code: R8A\nregion: london\nsegments:\n  - segment: 4\n    from: 2023-02-01\nrsp:\n  - entered: 2023-02-01\n    criteria: [financial-deficit]\n    improvement_director: Jo Example\n    exit_criteria:\n      - id: a\n        text: A\n";

#[test]
fn issue31_4_a_copied_organisation_file_is_an_error_at_both_files() {
    // Was: `alder-copy.yaml`, the same trust under a new file name, passed the check and every
    // figure counted the trust twice (entries 12 -> 13 in the report).
    let one = check(site(&[("organisations/alder.yaml", IN_PROGRAMME)]).path(), None);
    assert!(!one.has_errors(), "{:#?}", one.diagnostics);
    assert_eq!(oversight_analysis::census(&one.register, one.as_of).entries, 1);

    let dir = site(&[("organisations/alder.yaml", IN_PROGRAMME), ("organisations/zz-alder-copy.yaml", IN_PROGRAMME)]);
    let copied = check(dir.path(), None);
    // What the error prevents: the loaded register counts the one trust twice.
    assert_eq!(oversight_analysis::census(&copied.register, copied.as_of).entries, 2);
    assert!(copied.has_errors(), "a copy must stop the build");
    let found: Vec<_> = copied.diagnostics.iter().filter(|d| d.code == "OVS507").collect();
    assert_eq!(found.len(), 1, "one error for the pair, naming both fields: {:#?}", copied.diagnostics);
    let d = found[0];
    let path = |span: oversight_syntax::source::Span| copied.sources.path(span.file).display().to_string();
    let position = |span| oversight_syntax::diagnostics::Position::of(span, &copied.sources);
    // At the copy's ODS code, with the original's ODS code and name as the second location.
    assert_eq!(path(d.span), "content/organisations/zz-alder-copy.yaml");
    assert_eq!((position(d.span).line, position(d.span).column), (3, 11));
    assert_eq!(
        d.message,
        "`zz-alder-copy` has the ODS code `R8A` and the name of `alder` (content/organisations/alder.yaml): one organisation in two records is counted twice"
    );
    let labels: Vec<_> = d.labels.iter().map(|l| (path(l.span), position(l.span).line, l.message.as_str())).collect();
    assert_eq!(
        labels,
        [
            ("content/organisations/alder.yaml".to_string(), 3, "the same ODS code here"),
            ("content/organisations/alder.yaml".to_string(), 1, "the same name here"),
        ]
    );

    // A successor that kept its predecessor's name and ODS code (an acquisition) is not a copy.
    let predecessor = format!(
        "{}    exited: 2024-04-01\n    exit_reason: merger\n    transition_support: None needed\nmerged_into:\n  organisation: zz-alder-new\n  date: 2024-04-01\n",
        IN_PROGRAMME.replace(
            "segments:\n  - segment: 4\n    from: 2023-02-01\n",
            "segments:\n  - segment: 4\n    from: 2023-02-01\n    to: 2024-03-31\n"
        )
    );
    let successor = "name: Alder Hospitals NHS Trust\ntype: nhs-trust\nods_code: R8A\nregion: london\nmerged_from:\n  - organisation: alder\n    date: 2024-04-01\n";
    let merged = check(
        site(&[("organisations/alder.yaml", &predecessor), ("organisations/zz-alder-new.yaml", successor)]).path(),
        None,
    );
    assert!(!merged.has_errors(), "{:#?}", merged.diagnostics);
}

#[test]
fn issue31_7_a_meeting_that_fails_to_load_is_the_only_error() {
    // Was: the YAML error, and an OVS003 at the paper it presents: "no meeting's agenda
    // presents `2026-07-board-minutes`", which it does, in the file that failed.
    let dir = example();
    // What the example says of itself unbroken: nothing beyond it may follow from the break.
    let baseline = check(dir.path(), None);
    let before: Vec<String> = baseline.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    let meeting = dir.path().join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting).unwrap();
    fs::write(&meeting, text.replace("    purpose: To approve\n", "    purpose: [To approve\n")).unwrap();
    let checked = check(dir.path(), None);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.level == oversight_syntax::diagnostics::Level::Error)
        .map(|d| format!("{} {}: {}", d.code, checked.sources.path(d.span.file).display(), d.message))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("OVS001 content/meetings/2026-10-board.yaml"), "{errors:#?}");
    // Nor a warning or note that follows from it: elsewhere, only what the example says unbroken.
    let elsewhere: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| checked.sources.path(d.span.file) != Path::new("content/meetings/2026-10-board.yaml"))
        .map(|d| format!("{} {}", d.code, d.message))
        .filter(|d| !before.contains(d))
        .collect();
    assert_eq!(elsewhere, Vec::<String>::new());

    // A support file or undertakings record that fails to load is likewise the only problem:
    // the exit it would have supported, or the segment it would have excused, is not warned.
    let exit = "name: Beta Hospitals NHS Trust\ntype: nhs-trust\nregion: london\nsegments:\n  - segment: 4\n    from: 2023-02-01\n    to: 2024-05-31\n  - segment: 3\n    from: 2024-06-01\nrsp:\n  - entered: 2023-02-01\n    criteria: [financial-deficit]\n    improvement_director: Jo Example\n    exit_criteria:\n      - id: a\n        text: A\n        met: 2024-05-01\n    exited: 2024-06-01\n    exit_reason: criteria-met\n";
    let broken_support = "organisation: beta\nkind: transitional-recovery-support\ntitle: Transition\nstart: 2024-06-01\nstatus: [active\n";
    let ft = "name: Gamma NHS Foundation Trust\ntype: foundation-trust\nregion: london\nsegments:\n  - segment: 3\n    from: 2022-03-01\n    to: 2023-02-28\n";
    let broken_undertakings = "organisation: gamma\nregulator: monitor\naccepted: 2022-01-01\nlegal_basis: hsca-2012-s106\nsummary: [Finance\n";
    let files = [
        ("organisations/beta.yaml", exit),
        ("support/beta-transition.yaml", broken_support),
        ("organisations/gamma.yaml", ft),
        ("undertakings/gamma.yaml", broken_undertakings),
    ];
    let checked = check(site(&files).path(), None);
    let found: Vec<_> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, checked.sources.path(d.span.file).display()))
        .collect();
    assert_eq!(found, ["OVS001 content/support/beta-transition.yaml", "OVS001 content/undertakings/gamma.yaml"]);
}

#[test]
fn issue26_1_a_markdown_table_whose_header_row_is_empty_is_a_located_error() {
    // Was: accepted, and typeset as a table whose header cells said nothing.
    let site = example();
    with_paper_body(site.path(), "Intro.\n\n| | |\n|---|---|\n| Kestrel Bay | 4 |\n");
    let (code, _, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("this table's header row has no text"), "{stderr}");
    assert!(stderr.contains("content/papers/rsp-update.md:") && stderr.contains("OVS008"), "{stderr}");
    with_paper_body(site.path(), "Intro.\n\n| Trust | Segment |\n|---|---|\n| Kestrel Bay | 4 |\n");
    let (code, _, stderr) = oversight(site.path(), &["check"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn issue26_2_an_untagged_given_pdf_is_noted_by_build_and_papers_and_listed_in_the_statement() {
    // Was: placed silently, and the statement said nothing of it.
    let site = example();
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    let note = "note: content/papers/2026-07-board-minutes.pdf is not a tagged PDF";
    assert_eq!(stderr.matches(note).count(), 1, "{stderr}");
    let statement = fs::read_to_string(site.path().join("out/pages/accessibility-statement/index.html")).unwrap();
    let listed = statement.split("id=\"non-accessible\"").nth(1).unwrap();
    assert!(
        listed.contains("Minutes of the meeting held on 2 July 2026")
            && listed.contains("papers/2026-07-board-minutes.pdf")
            && listed.contains("meetings/2026-10-board/pack.pdf"),
        "{listed}"
    );
    let (code, _, stderr) = oversight(site.path(), &["papers", "--meeting", "2026-10-board-private"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains(note), "the private meeting holds no given PDF: {stderr}");
    let (code, _, stderr) = oversight(site.path(), &["papers"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr.matches(note).count(), 1, "{stderr}");
}

#[test]
fn issue32_9_a_build_killed_at_any_moment_never_stops_the_next() {
    // Was: 10 of 70 kills left `.public.staging` without its marker (deleted first, with the
    // old output, after the swap), and every later build refused until a person removed it.
    use std::process::{Command, Stdio};
    use std::time::Instant;
    let pages: Vec<(String, String)> = (0..1500)
        .map(|i| (format!("pages/p{i}.md"), format!("---\ntitle: Page {i}\ndate: 2025-01-01\n---\nText {i}.\n")))
        .collect();
    let files: Vec<(&str, &str)> = pages.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&files);
    let build = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oversight"));
        command.args(["build", "--quiet", "--output", "public"]).current_dir(dir.path());
        command.stdout(Stdio::null()).stderr(Stdio::piped());
        command
    };
    let started = Instant::now();
    let first = build().output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let took = started.elapsed();
    // Kills spread over a whole rebuild: staging, writing, the swap and the old output's removal.
    for i in 0..24u32 {
        let mut child = build().spawn().unwrap();
        std::thread::sleep(took * i / 20);
        let _ = child.kill();
        let _ = child.wait();
        let next = build().output().unwrap();
        assert!(
            next.status.success(),
            "after a kill at {:?}: {}",
            took * i / 20,
            String::from_utf8_lossy(&next.stderr)
        );
        assert!(dir.path().join("public/index.html").exists());
    }
}

#[test]
fn issue32_12_a_paper_named_like_a_pack_is_a_located_error_and_nothing_is_written() {
    // Was: `papers` wrote the paper `2026-10-board-pack` over the meeting's pack, silently.
    let site = example();
    let papers = site.path().join("content/papers");
    fs::rename(papers.join("rsp-update.md"), papers.join("2026-10-board-pack.md")).unwrap();
    let meeting = site.path().join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting).unwrap().replace("paper: rsp-update", "paper: 2026-10-board-pack");
    fs::write(&meeting, text).unwrap();
    // A member's pack name too: `<meeting>-pack-<member>`.
    fs::copy(papers.join("undertakings-and-support.md"), papers.join("2026-10-board-pack-kwame-mensah-darko.md"))
        .unwrap();
    let text = fs::read_to_string(&meeting).unwrap().replace(
        "  - item: \"6\"\n",
        "  - item: \"5.3\"\n    paper: 2026-10-board-pack-kwame-mensah-darko\n  - item: \"6\"\n",
    );
    fs::write(&meeting, text).unwrap();
    let (code, _, stderr) = oversight(site.path(), &["papers", "--output", "out"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/papers/2026-10-board-pack.md:1:1")
            && stderr.contains("would write the paper `2026-10-board-pack` and the pack of meeting `2026-10-board` both as `2026-10-board-pack.pdf`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/papers/2026-10-board-pack-kwame-mensah-darko.md:1:1")
            && stderr.contains("the `--per-member` pack of meeting `2026-10-board` for `kwame-mensah-darko`"),
        "{stderr}"
    );
    assert!(!site.path().join("out").exists(), "nothing is written");
    assert_eq!(of(&check(site.path(), None), "OVS508").len(), 2, "check predicts it");
}

#[test]
fn issue32_14_a_paper_on_a_public_and_a_private_agenda_is_worked_out_at_each_pack_s_meeting() {
    // Was: "As at 15 September 2026" in the 1 October public pack: the paper's figures were
    // worked out at the earliest meeting that presents it, the private one.
    let site = example();
    let private = site.path().join("content/meetings/2026-10-board-private.yaml");
    let text = fs::read_to_string(&private).unwrap().replace("date: 2026-10-01", "date: 2026-09-15").replace(
        "  - item: \"4\"\n    title: Any other business",
        "  - item: \"4\"\n    paper: rsp-update\n    reason: commercial-confidentiality\n  - item: \"5\"\n    title: Any other business",
    );
    fs::write(&private, text).unwrap();
    with_paper_body(site.path(), "As at {{ as_of }} there are {{ in_programme.providers }} providers.\n");
    let (code, _, stderr) = oversight(site.path(), &["papers", "--output", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = |name: &str| {
        let out = std::process::Command::new("pdftotext").arg(site.path().join("out").join(name)).arg("-").output();
        String::from_utf8_lossy(&out.unwrap().stdout).replace('\n', " ")
    };
    let public = text("2026-10-board-pack.pdf");
    assert!(public.contains("As at 1 October 2026") && !public.contains("As at 15 September 2026"), "{public}");
    let private = text("2026-10-board-private-pack.pdf");
    assert!(private.contains("As at 15 September 2026"), "{private}");
}

/// A PNG of `width` × `height` pixels, each row a gradient: a real picture, made here.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    }
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    // Each row: filter type 0 (none), then its pixels.
    let row: Vec<u8> = std::iter::once(0).chain((0..width).flat_map(|x| [(x * 255 / width) as u8, 94, 184])).collect();
    let raw: Vec<u8> = (0..height).flat_map(|_| row.iter().copied()).collect();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &header));
    out.extend(chunk(b"IDAT", &zlib(&raw)));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn issue31_5_a_picture_in_a_paper_is_placed_in_the_pdf_and_copied_to_the_website() {
    // Was: the PDF showed only the description and the picture was "ignored"; the website
    // linked a file it never copied.
    let site = example();
    fs::write(site.path().join("content/papers/entries.png"), png(120, 40)).unwrap();
    with_paper_body(site.path(), "Entries by quarter:\n\n![Entries into the programme by quarter](entries.png)\n");
    let (code, _, stderr) = oversight(site.path(), &["papers", "--meeting", "2026-10-board", "--output", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    for pdf in ["out/rsp-update.pdf", "out/2026-10-board-pack.pdf"] {
        let list = std::process::Command::new("pdfimages").arg("-list").arg(site.path().join(pdf)).output().unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        let found =
            list.lines().skip(2).filter(|l| l.split_whitespace().skip(3).take(2).collect::<Vec<_>>() == ["120", "40"]);
        assert_eq!(found.count(), 1, "{pdf}:\n{list}");
    }
    // Its description is the figure's alternative text in the tagged PDF.
    let pdf = fs::read(site.path().join("out/rsp-update.pdf")).unwrap();
    assert!(
        pdf.windows(b"Entries into the programme by quarter".len())
            .any(|w| w == b"Entries into the programme by quarter"),
        "the /Alt of the figure"
    );
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(fs::read(site.path().join("public/media/papers/entries.png")).unwrap(), png(120, 40));
    let html = fs::read_to_string(site.path().join("public/papers/rsp-update/index.html")).unwrap();
    assert!(
        html.contains("src=\"/rsp/media/papers/entries.png\" alt=\"Entries into the programme by quarter\""),
        "{html}"
    );

    // A path out of content/, a missing file, a file that is not what its name says, and a
    // symbolic link out are each a located error, and nothing is read.
    fs::write(site.path().join("secret.png"), png(2, 2)).unwrap();
    std::os::unix::fs::symlink(site.path().join("secret.png"), site.path().join("content/papers/linked.png")).unwrap();
    fs::write(site.path().join("content/papers/fake.png"), "not a picture").unwrap();
    with_paper_body(site.path(), "![a](../../secret.png) ![b](missing.png)\n\n![c](fake.png) ![d](linked.png)\n");
    let checked = check(site.path(), None);
    let found: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "OVS509")
        .map(|d| format!("{}:{}", checked.sources.path(d.span.file).display(), d.message))
        .collect();
    assert_eq!(found.len(), 4, "{found:?}");
    for expected in [
        "the picture `../../secret.png` points outside content/",
        "there is no picture content/papers/missing.png",
        "content/papers/fake.png is not a PNG file, as its name says",
        "content/papers/linked.png is a symbolic link",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with("content/papers/rsp-update.md:") && f.contains(expected)),
            "{expected}: {found:?}"
        );
    }
}

#[test]
fn issue32_4_symbolic_links_in_static_and_themes_are_refused_not_followed() {
    // Was: `static/logo.svg` and `themes/nhs/style.css` linked to files outside the site were
    // read and published.
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.svg"), "<svg>SECRET-OUTSIDE</svg>").unwrap();
    fs::write(outside.path().join("secret.css"), "/* SECRET-OUTSIDE */").unwrap();
    let dir = site(&[]);
    fs::write(dir.path().join("content/site.yaml"), "title: Regression\nas_of: 2025-12-01\nlogo: static/logo.svg\n")
        .unwrap();
    fs::create_dir_all(dir.path().join("static")).unwrap();
    fs::create_dir_all(dir.path().join("themes/nhs")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.svg"), dir.path().join("static/logo.svg")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.css"), dir.path().join("themes/nhs/style.css")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("static/more")).unwrap();

    let checked = check(dir.path(), None);
    let mut said = of(&checked, "OVS005");
    said.sort();
    assert_eq!(
        said,
        [
            "static/logo.svg is a symbolic link, which a build does not follow",
            "static/more is a symbolic link, which a build does not follow",
            "themes/nhs/style.css is a symbolic link, which a build does not follow",
        ]
    );
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["build", "--output", "public"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!build.status.success(), "the build refuses");
    assert!(!dir.path().join("public").exists(), "nothing is published");
}

#[test]
fn issue32_3_a_support_package_description_links_like_a_page() {
    // Was: a description's links were never checked, so a public page linked a private
    // paper, a private meeting, a draft and a record that does not exist.
    let dir = site(&[
        ("organisations/t.yaml", "name: Test Hospitals NHS Trust\ntype: nhs-trust\nregion: london\n"),
        (
            "support/t-help.yaml",
            "organisation: t\nkind: governance\ntitle: Help\nstart: 2025-01-01\nstatus: active\ndescription: |\n  See [the plan](@/papers/secret-plan), [Part II](@/meetings/2025-01-private),\n  [the draft](@/papers/draft-note) and [a trust](@/organisations/nobody).\n",
        ),
        (
            "meetings/2025-01-private.yaml",
            "body: Test Board\ntitle: Board, Part II\ndate: 2025-01-10\nsession: private\nagenda:\n  - item: 1\n    paper: secret-plan\n",
        ),
        (
            "papers/secret-plan.md",
            "---\ntitle: Secret plan\nreport_by: [A Director]\npaper_type: for-information\naction_required: To note.\n---\nText.\n",
        ),
        (
            "papers/draft-note.md",
            "---\ntitle: Draft note\nreport_by: [A Director]\npaper_type: for-information\naction_required: To note.\ndraft: true\n---\nText.\n",
        ),
    ]);
    let checked = check(dir.path(), None);
    let located = |code: &str| -> Vec<String> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let file = checked.sources.get(d.span.file);
                let (line, _) = file.line_col(d.span.start);
                format!("{}:{line} {}", file.path.display(), d.message)
            })
            .collect()
    };
    assert_eq!(located("OVS003"), Vec::<String>::new(), "every record of the fixture loads");
    assert_eq!(located("OVS504"), ["content/support/t-help.yaml:7 broken link: there is no organisation `nobody`"]);
    assert_eq!(
        located("OVS505"),
        [
            "content/support/t-help.yaml:7 link to an unpublished record: `2025-01-private` is a private meeting, which the website does not publish",
            "content/support/t-help.yaml:7 link to an unpublished record: `draft-note` is a draft paper, which the website publishes only with --drafts",
            "content/support/t-help.yaml:7 link to an unpublished record: `secret-plan` is presented only in private sessions, so the website does not publish it",
        ]
    );
}

#[test]
fn issue31_6_a_pack_a_secretary_would_send() {
    let site = example();
    let (code, _, stderr) = oversight(site.path(), &["papers", "--meeting", "2026-10-board", "--output", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    let pack = site.path().join("out/2026-10-board-pack.pdf");
    let run = |tool: &str, args: &[&str]| {
        let out = std::process::Command::new(tool).args(args).arg(&pack).args(["-"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = run("pdftotext", &[]);
    let pages: Vec<&str> = text.split('\x0c').collect();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The front page: start and computed end; the agenda: each item's start time.
    assert!(flat(pages[0]).contains("1 October 2026, 10:00 to 11:30"), "{}", pages[0]);
    let agenda = flat(pages[1]);
    for time in ["10:00 1 ", "10:05 2 ", "10:10 3 ", "10:15 4 ", "10:30 5.1 ", "11:00 5.2 ", "11:20 6 "] {
        assert!(agenda.contains(time), "{time}: {agenda}");
    }
    assert!(agenda.contains("The meeting is expected to end at 11:30."), "{agenda}");
    // Every agenda line links to the page its item starts on (an internal link of the PDF,
    // read back by poppler), and the page number it shows is that page.
    let xml = {
        let out = std::process::Command::new("pdftohtml")
            .args(["-xml", "-i", "-stdout", "-f", "2", "-l", "2"])
            .arg(&pack)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let links: Vec<(usize, String)> = xml
        .split("<a href=\"")
        .skip(1)
        .map(|a| {
            let (href, rest) = a.split_once("\">").unwrap();
            (href.rsplit('#').next().unwrap().parse().unwrap(), rest.split("</a>").next().unwrap().to_string())
        })
        .collect();
    let numbers: Vec<&(usize, String)> = links.iter().filter(|(_, t)| t.trim().parse::<usize>().is_ok()).collect();
    assert_eq!(numbers.len(), 6, "the items with a page: {links:?}");
    for (page, shown) in &numbers {
        assert_eq!(shown.trim(), page.to_string(), "{links:?}");
    }
    assert!(links.iter().any(|(p, t)| *p == 6 && t.contains("Minutes of the meeting")), "titles link too: {links:?}");
    // The minutes, given as PDF, open with a cover sheet like a Markdown paper's cover block.
    let sheet = flat(pages[5]);
    for field in [
        "Minutes of the meeting held on 2 July 2026",
        "Agenda item 3 (public session)",
        "Presented by Chair",
        "Purpose To approve",
        "Protective marking Official",
        "The paper follows on the next pages, as it was given.",
    ] {
        assert!(sheet.contains(field), "{field}: {sheet}");
    }
    assert!(flat(pages[6]).contains("Minutes of the Board meeting held in public on 2 July 2026"));
    // The marking at the top of each page of a marked paper, at 10 pt: poppler's word boxes
    // put it first on the page, at least 9 pt high.
    let bbox = run("pdftotext", &["-bbox"]);
    let tops: Vec<(f64, f64, String)> = bbox
        .split("<page ")
        .skip(1)
        .filter_map(|page| {
            let word = page.split("<word ").nth(1)?;
            let attr = |k: &str| -> f64 {
                word.split(&format!("{k}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
            };
            let text = word.split('>').nth(1)?.split('<').next()?.to_string();
            Some((attr("yMin"), attr("yMax") - attr("yMin"), text))
        })
        .collect();
    // The pages of the marked papers: those whose footer gives a marking and reference.
    let marked: Vec<(usize, &(f64, f64, String))> =
        tops.iter().enumerate().filter(|(n, _)| flat(pages[*n]).contains("Official · ROB/")).collect();
    assert!(marked.len() >= 8, "{} marked pages", marked.len());
    for (n, (y, height, word)) in marked {
        assert!(word == "Official" && *y < 40.0 && *height >= 9.0, "page {}: {word} at {y}, {height} pt", n + 1);
    }
    // The board's logo (site.yaml's `pack_logo`) on the front page, described.
    let pdf = fs::read(&pack).unwrap();
    let alt = b"Logo of Example Regional Oversight Board (fictional)";
    assert!(pdf.windows(alt.len()).any(|w| w == alt));

    // The meeting's web page gives the same times; the pack's logo is not on the website.
    let (code, _, stderr) = oversight(site.path(), &["build", "--output", "public", "--no-papers"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = fs::read_to_string(site.path().join("public/meetings/2026-10-board/index.html")).unwrap();
    assert!(html.contains("10:00 to 11:30") && html.contains("columnheader\">Time</th>"), "{html}");
    assert!(html.contains("aria-hidden=\"true\">Time </span>10:30</td>"), "{html}");
    assert!(!site.path().join("public/assets/pack_logo.svg").exists());

    // Times out of order are located errors.
    let meeting = site.path().join("content/meetings/2026-10-board.yaml");
    let text = fs::read_to_string(&meeting).unwrap().replace("time: \"10:30\"", "time: \"10:10\"");
    fs::write(&meeting, text.replace("time: \"10:00\"", "time: \"10am\"")).unwrap();
    let messages = of(&check(site.path(), None), "OVS003");
    assert!(messages.iter().any(|m| m == "`10am` is not a time of day (HH:MM)"), "{messages:?}");
    fs::write(&meeting, text).unwrap();
    let messages = of(&check(site.path(), None), "OVS003");
    assert_eq!(messages, ["item 5.1 starts at 10:10, before item 4 (10:15)"]);
}
