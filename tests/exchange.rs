//! Spreadsheets in and out, end to end through the binary: the export imports back as the
//! same register (the example and a generated 1,000-organisation one), importing twice
//! changes nothing, the export's figures are the site's, a workbook written the way a team
//! keeps one imports, and its mistakes are reported at their cells.

mod common;

use common::root;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, open_workbook_auto};
use oversight::generate::{Spec, generate};
use oversight_analysis::{blocks, census, episodes};
use oversight_rules::check::check_site;
use oversight_syntax::date::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const AS_OF: &str = "2026-09-30";

fn oversight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oversight")).args(args).env("NO_COLOR", "1").output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = oversight(args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{args:?}: {text}");
    text
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn timeline_csv(site: &Path) -> String {
    let out = oversight(&["timeline", "--format", "csv", "--as-of", AS_OF, "--site", s(site)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every file under `dir/content`, by path (as bytes: a PDF paper is not text).
fn content(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// Exports `site`, imports the workbook into an empty folder, and checks the timelines agree
/// and that a second import changes nothing.
fn round_trip(site: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("register.xlsx");
    ok(&["export", "--format", "xlsx", "--output", s(&book), "--site", s(site)]);
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    ok(&["import", s(&book), "--site", s(&empty)]);
    let original = timeline_csv(site);
    assert!(original.lines().count() > 5, "{original}");
    assert_eq!(timeline_csv(&empty), original);
    let before = content(&empty);
    let again = ok(&["import", s(&book), "--site", s(&empty), "--update"]);
    assert!(again.contains("Nothing to write."), "{again}");
    assert_eq!(content(&empty), before, "the second import changed nothing");
}

#[test]
fn example_register_round_trips() {
    round_trip(&root());
}

#[test]
fn generated_register_of_1000_organisations_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec { organisations: 1000, pages: 0, papers: 0, papers_per_meeting: 8, seed: 7 };
    generate(dir.path(), &spec).unwrap();
    round_trip(dir.path());
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_exports_figures_are_the_sites() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("register.xlsx");
    ok(&["export", "--output", s(&book), "--site", s(&root()), "--as-of", "2024-12-05"]);
    let again = dir.path().join("again.xlsx");
    ok(&["export", "--output", s(&again), "--site", s(&root()), "--as-of", "2024-12-05"]);
    assert_eq!(fs::read(&book).unwrap(), fs::read(&again).unwrap(), "the same register gives the same bytes");

    let as_of = Date::constant(2024, 12, 5);
    let checked = check_site(&root(), Some(as_of), Date::constant(2026, 1, 1)).unwrap();
    let c = census(&checked.register, as_of);
    let mut workbook = open_workbook_auto(&book).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Organisations",
            "Segment periods",
            "RSP episodes",
            "Exit criteria",
            "Support packages",
            "Undertakings",
            "Timeline",
            "Figures"
        ]
    );
    let figures = workbook.worksheet_range("Figures").unwrap();
    let value = |label: &str| -> Data {
        let row = figures.rows().find(|r| cell_text(&r[0]) == label).unwrap_or_else(|| panic!("no {label}"));
        row[1].clone()
    };
    let number = |label: &str| match value(label) {
        Data::Float(f) => f as usize,
        other => panic!("{label}: {other:?}"),
    };
    assert!(matches!(value("As at"), Data::DateTime(_)), "a real date cell");
    assert_eq!(number("NHS providers in the programme"), c.providers);
    assert_eq!(number("ICBs in the programme"), c.icbs);
    assert_eq!(number("In the programme: NHS trust"), c.by_type.get("nhs-trust").copied().unwrap_or(0));
    assert_eq!(number("Exits from the programme"), c.exits);
    assert_eq!(number("Organisations that have exited"), c.organisations_exited);
    assert_eq!(number("Median days in the programme of those in it"), c.median_days_current.unwrap() as usize);
    let stated: Vec<String> =
        figures.rows().filter(|r| cell_text(&r[0]) == "As the website states it").map(|r| cell_text(&r[1])).collect();
    assert_eq!(stated, blocks::stats(&checked.register, as_of));

    let timeline = workbook.worksheet_range("Timeline").unwrap();
    let rows = episodes::rows(&checked.register, as_of);
    // A title row, the header, then one row per episode, its dates real date cells.
    assert_eq!(timeline.height(), rows.len() + 2);
    assert!(matches!(timeline.get((2, 4)), Some(Data::DateTime(_))));
    assert_eq!(cell_text(timeline.get((2, 0)).unwrap()), rows[0].organisation_id);
}

/// A workbook as a team keeps one: a title, a blank row, group labels merged over the
/// header, mixed date styles, ODS codes instead of ids. `region` and `exited` are what the
/// tests vary.
fn messy_workbook(path: &Path, region: &str, exited: &str) {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let day = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    let trusts = book.add_worksheet().set_name("Trusts").unwrap();
    trusts.write_string_with_format(0, 0, "Oversight register, north (fictional)", &bold).unwrap();
    trusts.merge_range(2, 0, 2, 3, "Organisation", &bold).unwrap();
    trusts.merge_range(2, 4, 2, 6, "Segment history", &bold).unwrap();
    for (c, h) in ["Organisation name", "ODS", "Type", "Region", "Segment", "Date from", "Date to"].iter().enumerate() {
        trusts.write_string_with_format(3, c as u16, *h, &bold).unwrap();
    }
    // Row 5: Alderbrook's first period, with a date cell and a day-first text date.
    trusts.write_string(4, 0, "Alderbrook Hospitals NHS Trust (fictional)").unwrap();
    trusts.write_string(4, 1, "R8A").unwrap();
    trusts.write_string(4, 2, "NHS trust").unwrap();
    trusts.write_string(4, 3, region).unwrap();
    trusts.write_number(4, 4, 3).unwrap();
    trusts.write_datetime_with_format(4, 5, day(2021, 7, 1), &date).unwrap();
    trusts.write_string(4, 6, "12/07/2021").unwrap();
    // Row 6 blank; rows 7 and 8: more of Alderbrook's history, named by its code alone.
    trusts.write_string(6, 1, "R8A").unwrap();
    trusts.write_string(6, 4, "Segment 4").unwrap();
    trusts.write_string(6, 5, "13/07/2021").unwrap();
    trusts.write_string(6, 6, "2022-10-31").unwrap();
    trusts.write_string(7, 1, "r8a").unwrap();
    trusts.write_number(7, 4, 3).unwrap();
    trusts.write_string(7, 5, "1 November 2022").unwrap();
    // A foundation trust known only to the month, and an ICB.
    trusts.write_string(8, 0, "Birchfield Community Health NHS Foundation Trust (fictional)").unwrap();
    trusts.write_string(8, 1, "R8B").unwrap();
    trusts.write_string(8, 2, "Foundation trust").unwrap();
    trusts.write_string(8, 3, "Midlands").unwrap();
    trusts.write_number(8, 4, 2).unwrap();
    trusts.write_string(8, 5, "Jul 2021").unwrap();
    trusts.write_string(9, 0, "Cobble Vale Integrated Care Board (fictional)").unwrap();
    trusts.write_string(9, 1, "Q8C").unwrap();
    trusts.write_string(9, 2, "ICB").unwrap();
    trusts.write_string(9, 3, "North East & Yorkshire").unwrap();
    trusts.write_number(9, 4, 2).unwrap();
    trusts.write_datetime_with_format(9, 5, day(2022, 7, 1), &date).unwrap();
    trusts.write_string(9, 6, "30/06/2025").unwrap();

    let rsp = book.add_worksheet().set_name("RSP").unwrap();
    rsp.write_string(0, 0, "Recovery Support Programme").unwrap();
    for (c, h) in
        ["ODS code", "Date entered", "Date exited", "Entry criteria", "Improvement director", "Transition support"]
            .iter()
            .enumerate()
    {
        rsp.write_string(2, c as u16, *h).unwrap();
    }
    rsp.write_string(3, 0, "R8A").unwrap();
    rsp.write_string(3, 1, "13/07/2021").unwrap();
    if exited.is_empty() {
        rsp.write_datetime_with_format(3, 2, day(2022, 11, 1), &date).unwrap();
    } else {
        rsp.write_string(3, 2, exited).unwrap();
    }
    rsp.write_string(3, 3, "Leadership; finance").unwrap();
    rsp.write_string(3, 4, "A Director (fictional)").unwrap();
    rsp.write_string(3, 5, "Transitional support agreed with the region").unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_messy_workbook_imports_into_an_empty_site() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("messy.xlsx");
    messy_workbook(&book, "North West", "");
    let site = dir.path().join("site");
    fs::create_dir(&site).unwrap();
    let out = ok(&["import", s(&book), "--site", s(&site)]);
    assert!(out.contains("sheet Trusts: segment periods, 5 rows; sheet RSP: RSP episodes, 1 row"), "{out}");
    let csv = timeline_csv(&site);
    assert_eq!(
        csv,
        "organisation_id,name,type,region,entered,exited,days_in_programme,entry_criteria,segment_after_exit,days_approximate,exit_reason\r\n\
         alderbrook-hospitals-nhs-trust-fictional,Alderbrook Hospitals NHS Trust (fictional),nhs-trust,north-west,2021-07-13,2022-11-01,476,\"leadership-governance-failure, financial-deficit\",3,false,\r\n"
    );
    let birchfield = fs::read_to_string(
        site.join("content/organisations/birchfield-community-health-nhs-foundation-trust-fictional.yaml"),
    )
    .unwrap();
    assert!(
        birchfield.starts_with("# Imported by `oversight import` from messy.xlsx: sheet Trusts, row 9.\n"),
        "{birchfield}"
    );
    assert!(birchfield.contains("    from: 2021-07\n"), "a month stays a month: {birchfield}");
    let icb = fs::read_to_string(site.join("content/organisations/cobble-vale-integrated-care-board-fictional.yaml"))
        .unwrap();
    assert!(icb.contains("region: north-east-and-yorkshire\n") && icb.contains("to: 2025-06-30\n"), "{icb}");
}

/// Imports `book` into an empty site expecting errors: the JSON diagnostics, and that nothing
/// was written.
fn failing_import(book: &Path) -> Vec<serde_json::Value> {
    let site = book.parent().unwrap().join("site");
    fs::create_dir_all(&site).unwrap();
    let out = oversight(&["import", s(book), "--site", s(&site), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!site.join("content").exists(), "nothing written");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn a_typod_region_is_reported_at_its_cell_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("messy.xlsx");
    messy_workbook(&book, "Nort West", "");
    let diagnostics = failing_import(&book);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["file"], "messy.xlsx, sheet Trusts, cell D5");
    assert_eq!(d["code"], "OVS003");
    assert_eq!(d["message"], "`Nort West` is not a valid region");
    assert_eq!(d["help"], "did you mean `North West` (north-west)?");

    // The same in the human and GitHub formats.
    let site = dir.path().join("site");
    let human = oversight(&["import", s(&book), "--site", s(&site)]);
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(stderr.contains("error[OVS003]: `Nort West` is not a valid region"), "{stderr}");
    assert!(stderr.contains("messy.xlsx, sheet Trusts, cell D5"), "{stderr}");
    let github = oversight(&["import", s(&book), "--site", s(&site), "--format", "github"]);
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(stdout.starts_with("::error file=messy.xlsx%2C sheet Trusts%2C cell D5,"), "{stdout}");
}

#[test]
fn an_impossible_date_is_reported_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("messy.xlsx");
    messy_workbook(&book, "North West", "31/02/2022");
    let diagnostics = failing_import(&book);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["file"], "messy.xlsx, sheet RSP, cell C4");
    assert_eq!(diagnostics[0]["message"], "\"31/02/2022\" is not a date: February 2022 has no day 31");
}

#[test]
fn a_rule_broken_by_the_spreadsheet_is_reported_at_its_cell() {
    // Exiting before entering: OVS211 from the rule set, at the exit date's cell.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("messy.xlsx");
    messy_workbook(&book, "North West", "01/07/2021");
    let diagnostics = failing_import(&book);
    let d = diagnostics.iter().find(|d| d["code"] == "OVS211").unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(d["file"], "messy.xlsx, sheet RSP, cell C4");
}

#[test]
fn differences_are_reported_and_applied_only_with_update() {
    let site = common::example_copy();
    let csv = site.path().join("changes.csv");
    // Fenmouth Valley (R9A): its open period ends, and a new one begins; a new organisation.
    fs::write(
        &csv,
        "Segment history,,,,,,\n\
         Organisation,ODS code,Type,Region,Segment,From,To\n\
         ,R9A,,,2,01/07/2025,31/12/2025\n\
         ,R9A,,,3,Jan 2026,\n\
         Ormsby Hospitals NHS Trust (fictional),R9Y,NHS trust,London,2,2021-07-01,\n",
    )
    .unwrap();
    let file = site.path().join("content/organisations/fenmouth-valley-hospitals.yaml");
    let original = fs::read_to_string(&file).unwrap();
    let out = ok(&["import", s(&csv), "--site", s(site.path())]);
    assert!(out.contains("pass --update"), "{out}");
    assert!(out.contains("+ segment period from 2025-07-01: to: 2025-12-31"), "{out}");
    assert_eq!(fs::read_to_string(&file).unwrap(), original, "not applied without --update");
    assert!(site.path().join("content/organisations/ormsby-hospitals-nhs-trust-fictional.yaml").exists());

    ok(&["import", s(&csv), "--site", s(site.path()), "--update"]);
    let updated = fs::read_to_string(&file).unwrap();
    let expected = original.replace(
        "  - segment: 2\n    from: 2025-07-01\n    note: First NOF 2025/26 segmentation\n",
        "  - segment: 2\n    from: 2025-07-01\n    to: 2025-12-31\n    note: First NOF 2025/26 segmentation\n  # imported from changes.csv: row 4\n  - segment: 3\n    from: 2026-01\n",
    );
    assert_ne!(expected, original);
    assert_eq!(updated, expected, "only the changed keys are written; comments and order stay");
    let again = ok(&["import", s(&csv), "--site", s(site.path()), "--update"]);
    assert!(again.contains("Nothing to write."), "{again}");
    ok(&["check", "--site", s(site.path())]);
}

#[test]
fn an_update_that_breaks_a_rule_writes_nothing() {
    let site = common::example_copy();
    let csv = site.path().join("bad.csv");
    // The period from 1 July 2025 would end before it starts (OVS102).
    fs::write(&csv, "ODS code,Segment,From,To\nR9A,2,01/07/2025,01/01/2025\n").unwrap();
    let file = site.path().join("content/organisations/fenmouth-valley-hospitals.yaml");
    let original = fs::read_to_string(&file).unwrap();
    let out = oversight(&["import", s(&csv), "--site", s(site.path()), "--update", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["file"].as_str()), (Some("OVS102"), Some("bad.csv, cell D2")), "{report:#}");
    assert_eq!(fs::read_to_string(&file).unwrap(), original, "the check never writes through to the register");
    let leftovers: Vec<_> = fs::read_dir(site.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().starts_with(".oversight-import-")), "{leftovers:?}");
}

/// A tracker as a regional team keeps one: two title rows, group labels merged over the
/// header, a label merged down over two rows, UK dates as text, date cells and months, and one
/// row per trust with its ODS code, type, region, current segment and RSP entry and exit.
fn tracker_workbook(path: &Path) {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet().set_name("Tracker").unwrap();
    sheet.write_string_with_format(0, 0, "Recovery Support Programme tracker (fictional)", &bold).unwrap();
    sheet.write_string(1, 0, "Prepared by the regional oversight team; not for circulation").unwrap();
    sheet.merge_range(3, 0, 3, 3, "Organisation", &bold).unwrap();
    sheet.merge_range(3, 5, 3, 6, "RSP", &bold).unwrap();
    sheet.merge_range(3, 9, 4, 9, "RAG", &bold).unwrap();
    let headers =
        ["Trust name", "ODS code", "Trust type", "Region", "Segment", "Entry", "Exit", "Reason for entry", "Notes"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(4, c as u16, *h, &bold).unwrap();
    }
    sheet.write_string_with_format(4, 10, "Lead analyst", &bold).unwrap();
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, f64, &'a str, &'a str, &'a str);
    let rows: [Row; 5] = [
        (
            "Alderbrook Hospitals NHS Trust (fictional)",
            "R8A",
            "NHS trust",
            "North West",
            3.0,
            "13/07/2021",
            "01/11/2022",
            "Leadership; finance",
        ),
        (
            "Birchfield Community Health NHS Foundation Trust (fictional)",
            "r8b",
            "Foundation trust",
            "Midlands",
            4.0,
            "Jul 2021",
            "",
            "Financial deficit",
        ),
        ("Cobble Vale Hospitals NHS Trust (fictional)", "R8C", "NHS trust", "London", 4.0, "", "", "Leadership"),
        ("Dunmore Healthcare NHS Trust (fictional)", "R8D", "NHS trust", "South West", 2.0, "", "", ""),
        (
            "Elmstead NHS Foundation Trust (fictional)",
            "R8E",
            "Foundation trust",
            "East of England",
            3.0,
            "01/04/2022",
            "Mar 2024",
            "Finance",
        ),
    ];
    for (i, (name, code, kind, region, segment, entry, exit, reason)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        sheet.write_string(r, 0, *name).unwrap();
        sheet.write_string(r, 1, *code).unwrap();
        sheet.write_string(r, 2, *kind).unwrap();
        sheet.write_string(r, 3, *region).unwrap();
        sheet.write_number(r, 4, *segment).unwrap();
        if !entry.is_empty() {
            sheet.write_string(r, 5, *entry).unwrap();
        }
        if !exit.is_empty() {
            sheet.write_string(r, 6, *exit).unwrap();
        }
        if !reason.is_empty() {
            sheet.write_string(r, 7, *reason).unwrap();
        }
        sheet.write_string(r, 9, ["Red", "Red", "Amber", "Green", "Amber"][i]).unwrap();
        sheet.write_string(r, 10, "A. Analyst").unwrap();
    }
    // Cobble Vale's entry as a date cell.
    sheet.write_datetime_with_format(7, 5, ExcelDateTime::from_ymd(2022, 3, 15).unwrap(), &date).unwrap();
    sheet.write_string(7, 8, "Entered after the CQC inspection").unwrap();
    book.save(path).unwrap();
}

#[test]
fn issue31_1_a_tracker_creates_its_organisations_and_names_every_column_it_does_not_read() {
    // Was: "no organisation `R8A` in the spreadsheet or the register" for every row, and the
    // region and segment columns dropped without a word.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("tracker.xlsx");
    tracker_workbook(&book);
    let site = dir.path().join("site");
    let out = ok(&["import", s(&book), "--site", s(&site)]);
    assert!(out.contains("sheet Tracker: RSP episodes, 5 rows"), "{out}");
    assert!(out.contains("ignored column `RAG` (tracker.xlsx, sheet Tracker, cell J5)"), "{out}");
    assert!(out.contains("ignored column `Lead analyst` (tracker.xlsx, sheet Tracker, cell K5)"), "{out}");
    // Dunmore has no RSP dates: its segment has no date, and says so.
    assert!(out.contains("this segment is not imported: the row gives no date it applies from"), "{out}");
    assert!(out.contains("Wrote 6 new files"), "five organisations and site.yaml: {out}");
    ok(&["check", "--site", s(&site), "--as-of", AS_OF]);

    // Every organisation as its row says.
    let org = |id: &str| fs::read_to_string(site.join(format!("content/organisations/{id}.yaml"))).unwrap();
    let alderbrook = org("alderbrook-hospitals-nhs-trust-fictional");
    for line in [
        "name: Alderbrook Hospitals NHS Trust (fictional)\n",
        "type: nhs-trust\n",
        "ods_code: R8A\n",
        "region: north-west\n",
        "segments:\n  - segment: 3\n    from: 2022-11-01\n",
        "  - entered: 2021-07-13\n",
        "    exited: 2022-11-01\n",
    ] {
        assert!(alderbrook.contains(line), "{line:?} in {alderbrook}");
    }
    let birchfield = org("birchfield-community-health-nhs-foundation-trust-fictional");
    assert!(birchfield.contains("ods_code: R8B\n") && birchfield.contains("region: midlands\n"), "{birchfield}");
    assert!(birchfield.contains("segments:\n  - segment: 4\n    from: 2021-07\n"), "{birchfield}");
    let cobble = org("cobble-vale-hospitals-nhs-trust-fictional");
    assert!(cobble.contains("    note: Entered after the CQC inspection\n"), "{cobble}");
    assert!(cobble.contains("segments:\n  - segment: 4\n    from: 2022-03-15\n"), "{cobble}");
    let dunmore = org("dunmore-healthcare-nhs-trust-fictional");
    assert!(!dunmore.contains("segments:") && !dunmore.contains("rsp:"), "{dunmore}");
    assert!(dunmore.contains("region: south-west\n"), "{dunmore}");

    // The figures, counted by hand from the rows: four entries (Alderbrook, Birchfield, Cobble
    // Vale, Elmstead), two exits (Alderbrook, Elmstead), two still in the programme.
    let csv = timeline_csv(&site);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    let exited: Vec<&&str> = rows.iter().filter(|r| r.split(',').nth(5).is_some_and(|e| !e.is_empty())).collect();
    assert_eq!(exited.len(), 2, "{csv}");
    assert!(
        rows.contains(&"alderbrook-hospitals-nhs-trust-fictional,Alderbrook Hospitals NHS Trust (fictional),nhs-trust,north-west,2021-07-13,2022-11-01,476,\"leadership-governance-failure, financial-deficit\",3,false,"),
        "{csv}"
    );
    // A second import of the same tracker changes nothing.
    let again = ok(&["import", s(&book), "--site", s(&site)]);
    assert!(again.contains("Nothing to write."), "{again}");
}

/// Every file an interrupted import could leave under `dir/content`.
fn import_leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(oversight_model::is_import_leftover))
        .collect()
}

/// Lines of `after` not in `before`, and of `before` not in `after` (as multisets).
fn line_changes(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let minus = |a: &str, b: &str| {
        let mut rest: Vec<&str> = b.lines().collect();
        let mut out = Vec::new();
        for line in a.lines() {
            match rest.iter().position(|l| *l == line) {
                Some(i) => {
                    rest.remove(i);
                }
                None => out.push(line.to_string()),
            }
        }
        out
    };
    (minus(after, before), minus(before, after))
}

#[test]
fn issue32_2_cells_cannot_write_keys_and_the_diff_is_what_is_written() {
    // Was: a cell's line break started a key of its own (`licence_breach: true`, `short_name:
    // INJECTED`), and `--update` wrote more than its diff said.
    let site = common::example_copy();
    let csv = site.path().join("hostile.csv");
    fs::write(
        &csv,
        "ODS code,Name,Short name,Type,Region\n\
         R9A,,\"x\nlicence_breach: true\",,\n\
         R9Z,\"x\nlicence_breach: true\",\"INJECTED\u{2028}short_name: INJECTED\",NHS trust,London\n\
         R9W,\"Wyvern\u{2029}short_name: INJECTED\",\"W\r\nlicence_breach: true\",NHS trust,London\n",
    )
    .unwrap();
    let fenmouth = site.path().join("content/organisations/fenmouth-valley-hospitals.yaml");
    let before = fs::read_to_string(&fenmouth).unwrap();
    let dry = ok(&["import", s(&csv), "--site", s(site.path()), "--update", "--dry-run"]);
    assert_eq!(fs::read_to_string(&fenmouth).unwrap(), before, "a dry run writes nothing");
    ok(&["import", s(&csv), "--site", s(site.path()), "--update"]);
    ok(&["check", "--site", s(site.path())]);
    assert_eq!(import_leftovers(site.path()), Vec::<PathBuf>::new());

    // Re-read what was written, as the loader reads it: the cells' text, on one line, and no
    // key the spreadsheet did not name.
    let read =
        |path: &Path| -> yaml_serde::Mapping { yaml_serde::from_str(&fs::read_to_string(path).unwrap()).unwrap() };
    let organisations = site.path().join("content/organisations");
    let new = read(&organisations.join("x-licence-breach-true.yaml"));
    assert_eq!(new.get("name").and_then(|v| v.as_str()), Some("x licence_breach: true"));
    assert_eq!(new.get("short_name").and_then(|v| v.as_str()), Some("INJECTED short_name: INJECTED"));
    assert!(new.get("licence_breach").is_none(), "{new:?}");
    let wyvern = read(&organisations.join("wyvern-short-name-injected.yaml"));
    assert_eq!(wyvern.get("short_name").and_then(|v| v.as_str()), Some("W licence_breach: true"));
    assert!(wyvern.get("licence_breach").is_none(), "{wyvern:?}");
    let after = fs::read_to_string(&fenmouth).unwrap();
    let updated: yaml_serde::Mapping = yaml_serde::from_str(&after).unwrap();
    let original: yaml_serde::Mapping = yaml_serde::from_str(&before).unwrap();
    assert_eq!(updated.get("short_name").and_then(|v| v.as_str()), Some("x licence_breach: true"));
    assert_eq!(updated.get("licence_breach"), original.get("licence_breach"), "not set by a cell");
    let keys = |m: &yaml_serde::Mapping| m.keys().filter_map(|k| k.as_str().map(str::to_string)).collect::<Vec<_>>();
    let mut expected_keys = keys(&original);
    if !expected_keys.contains(&"short_name".to_string()) {
        expected_keys.push("short_name".into());
    }
    let mut got = keys(&updated);
    got.sort();
    expected_keys.sort();
    assert_eq!(got, expected_keys, "only the key the diff names is added");

    // The dry run's diff is exactly what was written: its + and - lines are the lines that
    // changed, and each new file is printed whole.
    let section = dry.split("--- content/organisations/fenmouth-valley-hospitals.yaml\n").nth(1).unwrap();
    let section = section.split("\n--- ").next().unwrap();
    let plus: Vec<String> =
        section.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).map(|l| l[1..].to_string()).collect();
    let minus: Vec<String> = section.lines().filter(|l| l.starts_with('-')).map(|l| l[1..].to_string()).collect();
    assert_eq!((plus, minus), line_changes(&before, &after), "{dry}");
    for name in ["x-licence-breach-true.yaml", "wyvern-short-name-injected.yaml"] {
        let written = fs::read_to_string(organisations.join(name)).unwrap();
        assert!(dry.contains(&format!("--- new file content/organisations/{name}\n{written}")), "{dry}");
    }
}

#[test]
fn issue32_10_an_interrupted_import_is_finished_or_undone_by_the_next_and_reported_by_check() {
    // Was: thousands of `.NAME.import-partial` files left, passed over by `check`, or a
    // register half renamed into place.
    let site = common::example_copy();
    let organisations = site.path().join("content/organisations");
    let fenmouth = organisations.join("fenmouth-valley-hospitals.yaml");
    let original = fs::read_to_string(&fenmouth).unwrap();
    // Killed during the renames: the journal names three files, one already in place.
    let changed = original.replacen("short_name: FVH\n", "short_name: Fenmouth\n", 1);
    assert_ne!(changed, original);
    fs::write(organisations.join(".fenmouth-valley-hospitals.yaml.import-partial"), &changed).unwrap();
    let new_org = "name: Ormsby Hospitals NHS Trust (fictional)\ntype: nhs-trust\nregion: london\n";
    fs::write(organisations.join(".ormsby.yaml.import-partial"), new_org).unwrap();
    fs::write(organisations.join("placed.yaml"), new_org.replace("Ormsby", "Placed")).unwrap();
    fs::write(
        site.path().join("content/.oversight-import-journal"),
        "# oversight import\ncontent/organisations/fenmouth-valley-hospitals.yaml\ncontent/organisations/ormsby.yaml\ncontent/organisations/placed.yaml\n",
    )
    .unwrap();
    let checked = oversight(&["check", "--site", s(site.path()), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let leftovers: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"] == "OVS006" && d["message"].as_str().unwrap().contains("`oversight import` was interrupted")
        })
        .map(|d| d["file"].as_str().unwrap().strip_prefix(s(site.path())).unwrap())
        .collect();
    assert_eq!(
        leftovers,
        [
            "/content/.oversight-import-journal",
            "/content/organisations/.fenmouth-valley-hospitals.yaml.import-partial",
            "/content/organisations/.ormsby.yaml.import-partial"
        ],
        "{report:#}"
    );

    // A dry run says what it would do, and does nothing.
    let csv = site.path().join("none.csv");
    fs::write(&csv, "ODS code,Segment,From\nR9A,2,01/07/2025\n").unwrap();
    let dry = ok(&["import", s(&csv), "--site", s(site.path()), "--dry-run"]);
    assert!(dry.contains("would finish it (2 files put in place)"), "{dry}");
    assert_eq!(import_leftovers(site.path()).len(), 3);

    let out = ok(&["import", s(&csv), "--site", s(site.path())]);
    assert!(
        out.contains(
            "An earlier import was interrupted after writing all its files: finished it (2 files put in place)."
        ),
        "{out}"
    );
    assert_eq!(fs::read_to_string(&fenmouth).unwrap(), changed);
    assert_eq!(fs::read_to_string(organisations.join("ormsby.yaml")).unwrap(), new_org);
    assert_eq!(import_leftovers(site.path()), Vec::<PathBuf>::new());

    // Killed while writing, before the journal: nothing was in place, so what it wrote goes.
    fs::write(organisations.join(".half.yaml.import-partial"), "name: Half wri").unwrap();
    fs::create_dir_all(site.path().join("content/pages/deep")).unwrap();
    fs::write(site.path().join("content/pages/deep/.page.md.import-partial"), "---\ntitle: Ha").unwrap();
    let out = ok(&["import", s(&csv), "--site", s(site.path())]);
    assert!(out.contains("before it put anything in place: removed the 2 partial files it left"), "{out}");
    assert_eq!(import_leftovers(site.path()), Vec::<PathBuf>::new());
    assert!(!organisations.join("half.yaml").exists());
    let checked = ok(&["check", "--site", s(site.path())]);
    assert!(!checked.contains("OVS006"), "{checked}");

    // A journal that names a file outside content/ is refused, and nothing is moved.
    fs::write(site.path().join("content/.oversight-import-journal"), "content/../escaped.yaml\n").unwrap();
    let out = oversight(&["import", s(&csv), "--site", s(site.path())]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file under content/"));
}

#[test]
fn issue32_10_inits_gitignore_keeps_an_interrupted_imports_files_out_of_git() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("register");
    ok(&["init", s(&site)]);
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == ".*.import-partial"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "/content/.oversight-import-journal"), "{ignore}");
}

#[test]
fn issue32_15_an_import_into_a_folder_not_made_yet_makes_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("tracker.xlsx");
    tracker_workbook(&book);
    let site = dir.path().join("not/made/yet");
    let out = ok(&["import", s(&book), "--site", s(&site)]);
    assert!(out.contains("Wrote 6 new files"), "{out}");
    ok(&["check", "--site", s(&site)]);
}

#[test]
fn issue32_15_an_import_with_a_relative_site_checks_its_static_pictures() {
    // Was: the check mirror's `static` link was relative to the mirror, so a site.yaml logo
    // was "missing" and every import with a relative --site failed.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["content", "static", "private"] {
        common::copy_dir(&root().join(folder), &dir.path().join("register").join(folder));
    }
    assert!(fs::read_to_string(dir.path().join("register/content/site.yaml")).unwrap().contains("static/"));
    fs::write(
        dir.path().join("new.csv"),
        "Name,Type,Region\nOrmsby Hospitals NHS Trust (fictional),NHS trust,London\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["import", "new.csv", "--site", "register"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(dir.path().join("register/content/organisations/ormsby-hospitals-nhs-trust-fictional.yaml").is_file());
}

#[test]
fn issue32_8_a_text_longer_than_an_excel_cell_is_cut_with_a_note_and_not_imported_back() {
    // Was: `check` passed, then `export` (and `build`, which writes the same workbook) failed
    // with "String exceeds Excel's limit", naming no file.
    let site = common::example_copy();
    let fenmouth = site.path().join("content/organisations/fenmouth-valley-hospitals.yaml");
    let original = fs::read_to_string(&fenmouth).unwrap();
    let long = "A long note. ".repeat(3_000);
    let old_note = "    note: In quality special measures since 2019 (fictional); transferred to segment 4 when SOF 2021/22 took effect\n";
    let changed = original.replacen(old_note, &format!("    note: {}\n", long.trim()), 1);
    assert_ne!(changed, original);
    fs::write(&fenmouth, &changed).unwrap();
    ok(&["check", "--site", s(site.path())]);
    let book = site.path().join("register.xlsx");
    ok(&["export", "--format", "xlsx", "--output", s(&book), "--site", s(site.path()), "--as-of", AS_OF]);
    let mut workbook = open_workbook_auto(&book).unwrap();
    let periods = workbook.worksheet_range("Segment periods").unwrap();
    let cut: Vec<String> =
        periods.cells().map(|(_, _, c)| cell_text(c)).filter(|t| t.starts_with("A long note.")).collect();
    assert_eq!(cut.len(), 1);
    assert_eq!(cut[0].chars().count(), 32_767);
    assert!(cut[0].ends_with(oversight_exchange::CUT_NOTE), "{}", &cut[0][cut[0].len() - 200..]);
    // Imported back, the cut text is named and not read: the record keeps its whole note.
    let out = ok(&["import", s(&book), "--site", s(site.path()), "--update"]);
    assert!(out.contains("was cut to fit an Excel cell by `oversight export`; it is not read"), "{out}");
    assert_eq!(fs::read_to_string(&fenmouth).unwrap(), changed);
}
