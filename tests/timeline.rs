//! The timeline: figures counted by hand on the example register, properties over random
//! registers, and a snapshot of the example chart.

use std::path::Path;

use oversight_analysis::{self, EventKind, census, changes_between, episodes, svg};
use oversight_model::{EntryCriterion, OrgType, Organisation, Region, Register, RspEpisode, SegmentPeriod};
use oversight_rules::check::check_site;
use oversight_syntax::date::Date;
use proptest::prelude::*;

fn example() -> Register {
    let checked = check_site(Path::new(env!("CARGO_MANIFEST_DIR")), None, Date::constant(2026, 1, 1)).unwrap();
    assert!(!checked.has_errors());
    std::sync::Arc::unwrap_or_clone(checked.register)
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn hand_counted_example_figures() {
    let r = example();
    // As at 30 September 2026 (site.yaml): in the programme are Kestrel Bay (second episode),
    // Linford Vale, Ashmere and Hollinbrook (providers) and Westerby Coast (ICB). Twelve
    // episodes have started; seven have ended, one each for seven organisations; Kestrel Bay
    // re-entered once.
    let c = census(&r, d("2026-09-30"));
    assert_eq!((c.providers, c.icbs, c.in_programme()), (4, 1, 5));
    assert_eq!((c.entries, c.exits, c.organisations_exited, c.re_entries), (12, 7, 7, 1));
    assert_eq!(c.by_region.get("london"), Some(&2));
    // At the Dec 2024 RSP board paper's date: Linford Vale, Stourwick and Kestrel Bay (second
    // episode) are in; six exits so far.
    let c = census(&r, d("2024-12-05"));
    assert_eq!((c.providers, c.icbs, c.exits), (3, 0, 6));
    // The day before and the day of an exit (exited is the first day out).
    assert_eq!(census(&r, d("2022-04-24")).exits, 0);
    assert_eq!(census(&r, d("2022-04-25")).exits, 1);
}

#[test]
fn changes_between_meetings() {
    let r = example();
    // Between the meeting of 2 July 2026 and 30 September 2026 nothing entered or exited; Stourwick's
    // exit (1 June 2026) falls in the window before.
    let changes = changes_between(&r, d("2026-03-31"), d("2026-07-02"));
    assert!(changes.iter().any(|e| e.kind == EventKind::RspExited && e.organisation == "stourwick-community-services"));
    let since = changes_between(&r, d("2026-07-02"), d("2026-09-30"));
    assert!(since.iter().all(|e| e.date > d("2026-07-02") && e.date <= d("2026-09-30")));
}

#[test]
fn episode_rows_and_downloads() {
    let r = example();
    let rows = episodes::rows(&r, d("2026-09-30"));
    assert_eq!(rows.len(), 12);
    let first = &rows[0];
    assert_eq!((first.organisation_id.as_str(), first.days_in_programme), ("fenmouth-valley-hospitals", 286));
    assert_eq!(first.segment_after_exit, Some(3));
    // As at a date before an exit, the exit is not yet known.
    let earlier = episodes::rows(&r, d("2022-01-01"));
    assert!(earlier.iter().all(|row| row.exited.is_none()));
    let csv = episodes::to_csv(&rows);
    assert!(csv.starts_with(
        "organisation_id,name,type,region,entered,exited,days_in_programme,entry_criteria,segment_after_exit,days_approximate,exit_reason\r\n"
    ));
    let json: serde_json::Value = serde_json::from_str(&episodes::to_json(&rows, d("2026-09-30"))).unwrap();
    assert_eq!(json["episodes"].as_array().unwrap().len(), 12);
    assert_eq!(json["episodes"][0]["type"], "foundation-trust");
    // Lists are lists in JSON, not joined strings; CSV joins them in one cell.
    let criteria =
        json["episodes"].as_array().unwrap().iter().find(|e| e["entry_criteria"].as_array().unwrap().len() > 1);
    let criteria = criteria.expect("an episode with several criteria")["entry_criteria"].clone();
    assert!(criteria.as_array().unwrap().iter().all(|c| c.as_str().is_some_and(|c| !c.contains(','))), "{criteria}");
    let joined: Vec<&str> = criteria.as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
    assert!(csv.contains(&format!("\"{}\"", joined.join(", "))), "{csv}");
}

#[test]
fn example_chart_snapshot() {
    let chart = svg::render(&example(), &svg::ChartOptions::new(d("2026-09-30")));
    roxmltree::Document::parse(&chart).expect("well-formed XML");
    insta::assert_snapshot!(chart);
}

#[test]
fn chart_orders_and_sizes() {
    let r = example();
    for order in [TimelineOrder::Entry, TimelineOrder::Region, TimelineOrder::Type] {
        let chart = svg::render(&r, &svg::ChartOptions { order, ..svg::ChartOptions::new(d("2026-09-30")) });
        let doc = roxmltree::Document::parse(&chart).unwrap();
        let rows = doc.descendants().filter(|n| n.attribute("class") == Some("row")).count();
        assert_eq!(rows, 11, "one row per organisation with an episode");
    }
    // Both layouts name every organisation in full (wrapped, never shortened), each row
    // linking to its organisation when the chart has URLs.
    let urls = oversight_model::urls::Urls::new("https://example.nhs.uk/rsp/").unwrap();
    let wide = svg::ChartOptions { links: Some(urls), ..svg::ChartOptions::new(d("2026-09-30")) };
    for options in [wide.clone(), wide.narrow()] {
        let chart = svg::render(&r, &options);
        let doc = roxmltree::Document::parse(&chart).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some(options.width.to_string().as_str()));
        assert_eq!(root.attribute("font-size"), Some("12"), "every label 12 units, never scaled below its size");
        assert_eq!(root.attribute("role"), Some("group"), "links cannot sit inside role=img");
        let names: Vec<String> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("name"))
            .map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect::<String>())
            .collect();
        let mut expected: Vec<&str> = r
            .organisations
            .iter()
            .filter(|o| o.rsp.iter().any(|e| e.entered <= d("2026-09-30")))
            .map(|o| o.name.as_str())
            .collect();
        let mut shown: Vec<&str> = names.iter().map(String::as_str).collect();
        expected.sort_unstable();
        shown.sort_unstable();
        assert_eq!(shown, expected, "full names, none cut");
        assert!(!chart.contains('…'));
        let links: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("a")).filter_map(|n| n.attribute("href")).collect();
        assert_eq!(links.len(), 11);
        assert!(links.iter().all(|l| l.starts_with("/rsp/organisations/") && l.ends_with('/')), "{links:?}");
        // Every label starts inside the chart.
        let width: f64 = options.width.into();
        for text in doc.descendants().filter(|n| n.has_tag_name("text") || n.has_tag_name("tspan")) {
            if let Some(x) = text.attribute("x").and_then(|x| x.parse::<f64>().ok()) {
                assert!((0.0..width).contains(&x), "{x} outside {width}: {:?}", text.text());
            }
        }
    }
    // One organisation's own row, on its page: its axis, its name and no link to itself.
    let one = svg::ChartOptions { only: Some("greywater-care".into()), ..svg::ChartOptions::new(d("2026-09-30")) };
    let chart = svg::render(&r, &one);
    let doc = roxmltree::Document::parse(&chart).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.attribute("class") == Some("row")).count(), 1);
    assert!(chart.contains(
        "Greywater Mental Health and Community Care NHS Foundation Trust (fictional) in the Recovery Support Programme"
    ));
    assert!(!chart.contains("<a ") && chart.contains(r#"role="img""#));

    // Nobody in the programme yet: still a valid, labelled chart.
    let empty = svg::render(&r, &svg::ChartOptions::new(d("2021-01-01")));
    assert!(roxmltree::Document::parse(&empty).is_ok());
    assert!(empty.contains("No organisation has entered"));
}

// ---- Random registers ----

/// A random organisation: episodes in order, each exited or (the last) open.
fn organisation(i: usize, starts: Vec<(u16, u16, bool)>) -> Organisation {
    let mut day = d("2021-07-13");
    let mut rsp = Vec::new();
    let mut segments = Vec::new();
    for (gap, length, exits) in starts {
        let entered = day.plus_months(0).add_days(i64::from(gap));
        let exited = entered.add_days(i64::from(length) + 1);
        rsp.push(RspEpisode {
            entered,
            criteria: vec![EntryCriterion::FinancialDeficit],
            route: None,
            improvement_director: Some("Jo Example".into()),
            diagnostic_completed: None,
            exit_criteria: Vec::new(),
            exited: exits.then_some(exited),
            transition_support: None,
            exit_reason: None,
            note: None,
        });
        segments.push(SegmentPeriod {
            segment: 4,
            from: entered,
            to: exits.then(|| exited.previous_day()),
            framework: None,
            note: None,
        });
        if !exits {
            break;
        }
        segments.push(SegmentPeriod { segment: 3, from: exited, to: None, framework: None, note: None });
        day = exited;
    }
    // Only the last period may be open.
    let n = segments.len();
    for k in 0..n.saturating_sub(1) {
        if segments[k].to.is_none() {
            segments[k].to = Some(segments[k + 1].from.previous_day());
        }
    }
    Organisation {
        id: format!("org-{i}"),
        file: Default::default(),
        explicit_id: None,
        name: format!("Organisation {i} & <Partners> \"Trust\", Ltd"),
        short_name: None,
        org_type: [OrgType::NhsTrust, OrgType::FoundationTrust, OrgType::Icb][i % 3],
        ods_code: None,
        region: [Region::London, Region::NorthWest, Region::Midlands][i % 3],
        system: None,
        services: Vec::new(),
        segments,
        rsp,
        licence_breach: true,
        merged_into: None,
        merged_from: Vec::new(),
        sources: Vec::new(),
    }
}

fn register() -> impl Strategy<Value = Register> {
    proptest::collection::vec(proptest::collection::vec((0u16..400, 0u16..900, any::<bool>()), 0..4), 0..25).prop_map(
        |orgs| {
            let mut r = Register::default();
            r.organisations = orgs.into_iter().enumerate().map(|(i, eps)| organisation(i, eps)).collect();
            r.reindex();
            r
        },
    )
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i64..2400).prop_map(|n| d("2021-01-01").add_days(n))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn in_programme_is_entries_minus_exits(r in register(), day in any_date()) {
        let c = census(&r, day);
        let all: Vec<&RspEpisode> = r.organisations.iter().flat_map(|o| &o.rsp).collect();
        let entries = all.iter().filter(|e| e.entered <= day).count();
        let exits = all.iter().filter(|e| e.exited.is_some_and(|x| x <= day)).count();
        prop_assert_eq!(c.entries, entries);
        prop_assert_eq!(c.exits, exits);
        prop_assert_eq!(c.in_programme(), entries - exits);
        prop_assert_eq!(oversight_analysis::in_programme(&r, day).len(), entries - exits);
    }

    #[test]
    fn every_exit_is_a_change_in_its_window(r in register(), before in 1i64..400, after in 0i64..400) {
        for org in &r.organisations {
            for x in org.rsp.iter().filter_map(|e| e.exited) {
                let changes = changes_between(&r, x.add_days(-before), x.add_days(after));
                prop_assert!(changes.iter().any(|e| e.kind == EventKind::RspExited && e.organisation == org.id && e.date == x));
            }
        }
    }

    #[test]
    fn chart_is_xml_and_csv_round_trips(r in register(), day in any_date()) {
        let chart = svg::render(&r, &svg::ChartOptions::new(day));
        prop_assert!(roxmltree::Document::parse(&chart).is_ok());
        let rows = episodes::rows(&r, day);
        let csv = episodes::to_csv(&rows);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let read: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        prop_assert_eq!(read.len(), rows.len());
        for (record, row) in read.iter().zip(&rows) {
            prop_assert_eq!(&record[0], row.organisation_id.as_str());
            prop_assert_eq!(&record[1], row.name.as_str());
            prop_assert_eq!(&record[4], row.entered.to_string());
            prop_assert_eq!(&record[6], row.days_in_programme.to_string());
        }
    }
}

// ---- Generated blocks ----

use oversight_analysis::blocks::{self, Generated};
use oversight_rules::blocks::{Defaults, TimelineOrder, resolve_blocks};

#[test]
fn example_paper_blocks_expand_from_the_meeting_date() {
    let checked = check_site(Path::new(env!("CARGO_MANIFEST_DIR")), None, Date::constant(2026, 1, 1)).unwrap();
    let r = &checked.register;
    let paper = r.paper("rsp-update").unwrap();
    // The paper is on the 1 October 2026 meeting's agenda; its previous meeting was 2 July 2026.
    let defaults = Defaults::for_paper(r, &paper.id, checked.as_of);
    assert_eq!((defaults.as_of, defaults.since), (d("2026-10-01"), Some(d("2026-07-02"))));
    let (resolved, problems) = resolve_blocks(r, &checked.sources, paper.file, paper.body(), defaults);
    assert!(problems.is_empty(), "{problems:?}");
    let kinds: Vec<_> = resolved.iter().map(|b| b.kind.name()).collect();
    assert_eq!(kinds, ["stats", "register", "changes-since", "timeline"]);
    let out: Vec<Vec<Generated>> =
        resolved.iter().enumerate().map(|(i, b)| blocks::expand(r, b, defaults, i, None)).collect();
    let Generated::Text(stats) = &out[0][0] else { panic!("stats are sentences") };
    assert_eq!(stats[0], "As at 1 October 2026, there are 4 NHS providers in the Provider Improvement Programme.");
    // One programme a sentence: ICBs are never in the *Provider* Improvement Programme.
    assert_eq!(stats[1], "There is 1 ICB in the Recovery Support Programme.");
    assert_eq!(
        stats[2],
        "Since the Recovery Support Programme launched on 13 July 2021, 7 organisations have exited, and 1 organisation has re-entered."
    );
    let Generated::Table(register) = &out[1][0] else { panic!("register is a table") };
    assert_eq!(register.rows.len(), 5);
    // Nothing entered or exited between the meetings; support or undertakings may have moved.
    match &out[2][0] {
        Generated::Text(t) => {
            assert!(t[0].starts_with("No changes were recorded between 2 July 2026 and 1 October 2026"))
        }
        Generated::Table(t) => assert!(t.rows.iter().all(|row| !row[2].text.contains("RSP"))),
        other => panic!("{other:?}"),
    }
    let [Generated::Chart { svg, .. }, Generated::Table(table)] = out[3].as_slice() else { panic!("chart and table") };
    assert!(svg.contains(r#"aria-labelledby="tl3-title tl3-desc""#));
    assert_eq!(table.rows.len(), 12);
}

#[test]
fn stats_sentences_agree_with_the_census() {
    let r = example();
    let s = blocks::stats(&r, d("2024-12-05"));
    assert_eq!(s[0], "As at 5 December 2024, there are 3 NHS providers and 0 ICBs in the Recovery Support Programme.");
    assert!(s[1].contains("6 organisations have exited"), "{}", s[1]);
}

// ---- Figures counted by hand: an even count, a re-entry, dates on edition boundaries ----

/// An organisation with the given episodes (entered, exited) and nothing else.
fn with_episodes(id: &str, org_type: OrgType, episodes: &[(&str, Option<&str>)]) -> Organisation {
    let mut org = organisation(0, Vec::new());
    org.id = id.to_string();
    org.org_type = org_type;
    org.rsp = episodes
        .iter()
        .map(|(entered, exited)| RspEpisode {
            entered: d(entered),
            criteria: vec![EntryCriterion::FinancialDeficit],
            route: None,
            improvement_director: None,
            diagnostic_completed: None,
            exit_criteria: Vec::new(),
            exited: exited.map(d),
            transition_support: None,
            exit_reason: None,
            note: None,
        })
        .collect();
    org
}

fn hand_register() -> Register {
    let mut r = Register::default();
    r.organisations = vec![
        // Three episodes: out on 1 July 2022 (NOF 2022/23's first day), back in 2023, and in
        // again on 1 July 2025 (NOF 2025/26's first day).
        with_episodes(
            "thrice",
            OrgType::NhsTrust,
            &[("2021-07-13", Some("2022-07-01")), ("2023-01-10", Some("2024-01-10")), ("2025-07-01", None)],
        ),
        with_episodes("icb", OrgType::Icb, &[("2025-06-21", None)]),
    ];
    r.reindex();
    r
}

#[test]
fn median_is_the_statistical_median_rounded_half_up() {
    assert_eq!(oversight_analysis::median(&[]), None);
    assert_eq!(oversight_analysis::median(&[7]), Some(7));
    assert_eq!(oversight_analysis::median(&[10, 20]), Some(15));
    assert_eq!(oversight_analysis::median(&[10, 21]), Some(16));
    assert_eq!(oversight_analysis::median(&[1, 2, 90]), Some(2));
    assert_eq!(oversight_analysis::median(&[1, 2, 3, 90]), Some(3));
}

#[test]
fn hand_counted_even_count_and_re_entries() {
    let r = hand_register();
    // 10 July 2025: "thrice" in for 1–10 Jul (10 days), the ICB for 21 Jun–10 Jul (20 days).
    let c = census(&r, d("2025-07-10"));
    assert_eq!((c.providers, c.icbs), (1, 1));
    assert_eq!(c.median_days_current, Some(15));
    assert_eq!((c.entries, c.exits, c.organisations_exited), (4, 2, 1));
    assert_eq!((c.organisations_reentered, c.re_entries), (1, 2));
    // 30 June 2025, the last day of NOF 2022/23: only the ICB is in, for 10 days.
    let c = census(&r, d("2025-06-30"));
    assert_eq!((c.providers, c.icbs, c.median_days_current), (0, 1, Some(10)));
    assert_eq!((c.organisations_reentered, c.re_entries), (1, 1));
    // 30 June 2022: in since 13 July 2021, 353 days; 1 July 2022 is the first day out.
    let c = census(&r, d("2022-06-30"));
    assert_eq!((c.providers, c.exits, c.median_days_current), (1, 0, Some(353)));
    let c = census(&r, d("2022-07-01"));
    assert_eq!((c.providers, c.exits, c.organisations_exited, c.median_days_current), (0, 1, 1, None));
}

#[test]
fn stats_sentences_count_organisations_and_episodes_apart() {
    let s = blocks::stats(&hand_register(), d("2025-07-10"));
    assert!(
        s[2].ends_with("1 organisation has exited (2 exits in all), and 1 organisation has re-entered (2 re-entries)."),
        "{}",
        s[2]
    );
    // No exit records a reason, so no count of successful exits is stated.
    assert_eq!(s[3], "Organisations now in the programme have been in it for a median of 15 days.");
    // Under NOF 2025/26 each sentence names one programme: providers the PIP, ICBs the RSP.
    assert!(s[0].ends_with("in the Provider Improvement Programme."), "{}", s[0]);
    assert!(s[1].ends_with("in the Recovery Support Programme."), "{}", s[1]);
    // Before 1 July 2022 the systems were integrated care systems.
    let s = blocks::stats(&hand_register(), d("2022-06-30"));
    assert_eq!(
        s[0],
        "As at 30 June 2022, there is 1 NHS provider and 0 integrated care systems in the Recovery Support Programme."
    );
    assert!(s[1].starts_with("Since the programme launched on 13 July 2021, 0 organisations have exited"), "{}", s[1]);
}
