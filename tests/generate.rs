//! The synthetic register: valid by construction, and the same for the same seed.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use oversight::generate::{Spec, generate};
use oversight_rules::check::check_site;
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Level;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn generated_registers_check_clean_and_repeat() {
    let spec = Spec { organisations: 120, pages: 20, papers: 9, papers_per_meeting: 8, seed: 42 };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(a.path(), &spec).unwrap();
    generate(b.path(), &spec).unwrap();
    assert_eq!(files(a.path()), files(b.path()), "same seed, same register");

    let checked = check_site(a.path(), None, Date::constant(2026, 1, 1)).unwrap();
    let problems: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.level != Level::Note)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let r = &checked.register;
    assert_eq!((r.organisations.len(), r.pages.len(), r.papers.len(), r.meetings.len()), (120, 20, 9, 2));
    assert!(r.organisations.iter().any(|o| o.rsp.iter().any(|e| e.exited.is_some())), "some episodes exit");
    assert!(r.organisations.iter().any(|o| o.rsp.iter().any(|e| e.exited.is_none())), "some are still open");
}
