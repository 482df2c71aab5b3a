//! Issue 25, the standing items of every board meeting, on the example register: every figure
//! below is counted by hand from content/boards/, content/interests/, content/actions/ and
//! content/meetings/ (the comments say how), and each test is named after the issue's item.

mod common;

use std::path::Path;
use std::process::Command;

use common::{example_copy, root};
use oversight_analysis::standing;
use oversight_model::Reach;
use oversight_model::{Generate, Meeting, Register};
use oversight_rules::check::{Checked, check_site_reaching};
use oversight_syntax::date::Date;

fn example() -> Checked {
    check_site_reaching(&root(), None, Date::constant(2026, 12, 3), Reach::WithPrivate).unwrap()
}

fn meeting<'a>(register: &'a Register, id: &str) -> &'a Meeting {
    register.meeting(id).unwrap_or_else(|| panic!("no meeting {id}"))
}

/// The Markdown of a meeting's `generate:` item.
fn standing_item(register: &Register, id: &str, generate: Generate) -> String {
    let m = meeting(register, id);
    let item = m.agenda.iter().find(|a| a.generate == Some(generate)).unwrap();
    standing::markdown(register, m, item).unwrap()
}

fn oversight(site: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oversight")).current_dir(site).args(args).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils) is installed");
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

#[test]
fn issue25_1_who_is_expected_and_who_was_present_and_the_quorum() {
    let checked = example();
    let r = &checked.register;
    // 1 October 2026, before the meeting: 11 members, of whom Gwen Talbot-Oduya's term ended on
    // 31 August, and Kwame Mensah-Darko sent apologies: 9 expected. Samuel Okonjo-Reid is an
    // associate, so 8 vote: Eleanor, Marcus, Miriam, Owen (executive); Harriet, Fiona, Rajesh,
    // Helena (non-executive).
    let october = r.attendees(meeting(r, "2026-10-board")).unwrap();
    assert!(!october.held);
    assert_eq!(october.present.len(), 9);
    assert_eq!(october.apologies.len(), 1);
    assert_eq!(october.voting(), (8, 4, 4));
    assert_eq!(october.quorate(), Some(true));
    // 2 July 2026, held: 8 present, Samuel among them; 7 vote (3 executive, 4 non-executive).
    let july = r.attendees(meeting(r, "2026-07-board")).unwrap();
    assert!(july.held);
    assert_eq!(july.present.len(), 8);
    assert_eq!(july.voting(), (7, 3, 4));
    let text = standing_item(r, "2026-07-board", Generate::Attendance);
    assert!(
        text.contains("7 voting members were present (3 executive, 4 non-executive): the meeting was quorate."),
        "{text}"
    );
    let text = standing_item(r, "2026-10-board", Generate::Attendance);
    assert!(text.contains("**Members expected**"), "{text}");
    assert!(
        text.contains("8 voting members are expected (4 executive, 4 non-executive): the meeting will be quorate."),
        "{text}"
    );
}

#[test]
fn issue25_2_the_register_extract_flags_old_declarations_and_interests_in_the_agenda() {
    let checked = example();
    let r = &checked.register;
    // Marcus Delacroix-Hale declared on 20 May 2025: more than 12 months before 1 October 2026.
    // No one else did.
    let public = standing_item(r, "2026-10-board", Generate::Interests);
    assert!(
        public.contains("**Not renewed within 12 months:** Marcus Delacroix-Hale (fictional) (declared 20 May 2025)."),
        "{public}"
    );
    // The public agenda's papers name no organisation a member declared an interest in.
    assert!(public.contains("No declared interest concerns an item on this agenda."), "{public}");
    // The private session's contract paper is about Kestrel Bay, where Rajesh Pillai-Montague
    // declared an indirect interest; the meeting records it was withheld.
    let private = standing_item(r, "2026-10-board-private", Generate::Interests);
    assert!(private.contains("Rajesh Pillai-Montague (fictional)"), "{private}");
    assert!(private.contains("the paper is withheld from them and they leave for the item"), "{private}");
    // The same verdicts at check: one OVS605 (Marcus), no OVS604 (every conflict managed).
    let codes: Vec<&str> = checked.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes.iter().filter(|c| **c == "OVS605").count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "OVS604").count(), 0, "{codes:?}");
}

#[test]
fn issue25_3_a_members_pack_leaves_out_what_they_are_conflicted_on() {
    let site = example_copy();
    let (ok, said) =
        oversight(site.path(), &["papers", "--per-member", "--meeting", "2026-10-board-private", "--output", "out"]);
    assert!(ok, "{said}");
    // The private meeting's pack, and one for each of the 10 members in term on 1 October.
    assert!(said.contains("made 11 packs"), "{said}");
    let out = site.path().join("out");
    let full = out.join("2026-10-board-private-pack.pdf");
    let rajesh = out.join("2026-10-board-private-pack-rajesh-pillai-montague.pdf");
    let fiona = out.join("2026-10-board-private-pack-fiona-castellano-reeve.pdf");
    assert!(!out.join("2026-10-board-private-pack-gwen-talbot-oduya.pdf").exists(), "her term ended");
    let (full_text, rajesh_text, fiona_text) = (pdf_text(&full), pdf_text(&rajesh), pdf_text(&fiona));
    // The contract paper's reference, its body and its cover: in the full pack and Fiona's, not in his.
    for words in ["ROB/26/16(Pr)", "bidders", "Report by"] {
        assert!(full_text.contains(words) && fiona_text.contains(words), "{words}");
        assert!(!rajesh_text.contains(words), "his pack holds `{words}`");
    }
    assert!(rajesh_text.contains("Prepared for Rajesh Pillai-Montague (fictional), Non-executive member"));
    assert!(rajesh_text.contains("Withheld from this pack."), "{rajesh_text}");
    assert!(fiona_text.contains("Prepared for Fiona Castellano-Reeve (fictional)"));
    // His pack numbers its own pages: the withheld page stands where the paper's pages were.
    let pages = pdf_pages(&rajesh);
    assert!(rajesh_text.contains(&format!("Page {pages} of {pages}")), "{rajesh_text}");
    assert!(!rajesh_text.contains(&format!("Page {} of", pages + 1)), "{rajesh_text}");
}

#[test]
fn issue25_4_the_action_log_of_a_public_meeting() {
    let checked = example();
    let r = &checked.register;
    // Raised at the public meeting of 2 July: Greywater (closed 20 August, since that meeting),
    // Linford Vale (open, due 15 September: overdue on 1 October), the PIP plan (open, due on
    // the day: not overdue). The private session's action is in no public log.
    let log = standing_item(r, "2026-10-board", Generate::Actions);
    assert!(log.starts_with("2 actions open (1 overdue), 1 closed since the last meeting."), "{log}");
    assert!(log.contains("| Open: overdue |"), "{log}");
    assert!(log.contains("Closed 20 August 2026"), "{log}");
    assert!(!log.contains("evaluation panel"), "{log}");
    let overdue: Vec<&str> =
        checked.diagnostics.iter().filter(|d| d.code == "OVS606").map(|d| d.message.as_str()).collect();
    assert_eq!(
        overdue,
        [
            "action `2026-07-02-linford-girft` was due on 15 September 2026 and is still open at the meeting of 1 October 2026"
        ]
    );
}

#[test]
fn issue25_5_the_minutes_skeleton_and_the_minutes_item() {
    let checked = example();
    let r = &checked.register;
    // The October agenda's `generate: minutes` item presents the July minutes (the PDF whose
    // details say `minutes_of: 2026-07-board`), titled with the July date.
    let item = meeting(r, "2026-10-board").agenda.iter().find(|a| a.generate == Some(Generate::Minutes)).unwrap();
    assert_eq!(item.paper.as_deref(), Some("2026-07-board-minutes"));
    assert_eq!(item.title.as_deref(), Some("Minutes of the meeting held on 2 July 2026"));

    let site = example_copy();
    let (ok, text) = oversight(site.path(), &["minutes", "--meeting", "2026-07-board"]);
    assert!(ok, "{text}");
    assert!(text.contains("minutes_of: 2026-07-board\ndraft: true\n"), "{text}");
    assert!(text.contains("7 voting members were present"), "{text}");
    assert!(text.contains("**Decision (noted):** The Board noted the quarterly report"), "{text}");
    assert!(text.contains("**Action 2026-07-02-linford-girft:**"), "{text}");
    // Written as a paper, it checks; never written over a file.
    let path = site.path().join("content/papers/2026-07-board-minutes-draft.md");
    let (ok, said) =
        oversight(site.path(), &["minutes", "--meeting", "2026-07-board", "--output", path.to_str().unwrap()]);
    assert!(ok, "{said}");
    let (ok, said) = oversight(site.path(), &["check"]);
    assert!(ok && said.contains("0 errors"), "{said}");
    let finished = site.path().join("finished.md");
    std::fs::write(&finished, "finished by hand").unwrap();
    let (ok, said) =
        oversight(site.path(), &["minutes", "--meeting", "2026-07-board", "--output", finished.to_str().unwrap()]);
    assert!(!ok && said.contains("never written over a file"), "{said}");
    assert_eq!(std::fs::read_to_string(&finished).unwrap(), "finished by hand");
}

#[test]
fn issue25_6_the_resolution_names_private_items_only_when_asked() {
    let checked = example();
    let mut r: Register = (*checked.register).clone();
    let part_two = r.part_two(meeting(&r, "2026-10-board")).unwrap();
    assert_eq!(part_two.meeting, "2026-10-board-private");
    // Items 1, 2 and 4 are standing items; item 3 presents the contract paper.
    assert_eq!(part_two.items.len(), 1);
    assert_eq!(part_two.items[0].item, "3");
    assert_eq!(part_two.items[0].title, None);
    assert_eq!(part_two.items[0].reason.map(|r| r.slug()), Some("commercial-confidentiality"));
    r.site.publish_private_item_titles = true;
    let part_two = r.part_two(meeting(&r, "2026-10-board")).unwrap();
    assert_eq!(
        part_two.items[0].title.as_deref(),
        Some("Intensive financial support for Kestrel Bay University Hospitals, contract award (fictional)")
    );
    // The website's register keeps the resolution once the private meetings are gone, and
    // publishes the July paper restricted until 15 September (the as-of date is 30 September).
    let public = checked.register.without_private(checked.as_of).unwrap();
    assert!(public.meeting("2026-10-board-private").is_none());
    assert_eq!(public.part_two(meeting(&public, "2026-10-board")).map(|p| p.items.len()), Some(1));
    assert!(public.paper("kestrel-bay-procurement-approach").is_some());
    assert!(public.paper("kestrel-bay-intensive-support-contract").is_none());
    assert!(public.actions.iter().all(|a| a.meeting != "2026-07-board-private"));
    assert!(public.decisions.iter().all(|d| d.meeting != "2026-07-board-private"));
}
