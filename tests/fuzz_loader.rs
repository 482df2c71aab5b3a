//! Property tests: the loader and checker never panic, whatever the bytes, and every
//! diagnostic points inside the file it names.

use std::fs;

use oversight_rules::check::check_site;
use oversight_syntax::date::Date;
use proptest::prelude::*;

const ORGANISATION: &str = include_str!("../content/organisations/kestrel-bay-university-hospitals.yaml");
const PAGE: &str = include_str!("../content/pages/updates/2022-04-fenmouth-valley-exit.md");

/// Characters that mean something to YAML, plus a few that stress positions.
const ALPHABET: &[char] = &[
    ':', '-', ' ', '\n', '\t', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '#', ',', '?', 'a',
    '1', 'é', '—', '\r', '\u{FEFF}',
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, char),
    Delete(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), proptest::sample::select(ALPHABET)).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match *e {
            Edit::Insert(i, c) => chars.insert(i % (chars.len() + 1), c),
            Edit::Delete(i, n) if !chars.is_empty() => {
                let start = i % chars.len();
                chars.drain(start..(start + n).min(chars.len()));
            }
            Edit::Delete(..) => {}
            Edit::DuplicateLine(i) | Edit::SwapLines(i, _) => {
                let s: String = chars.iter().collect();
                let mut lines: Vec<&str> = s.split('\n').collect();
                let a = i % lines.len();
                if let Edit::SwapLines(_, j) = *e {
                    let b = j % lines.len();
                    lines.swap(a, b);
                } else {
                    lines.insert(a, lines[a]);
                }
                chars = lines.join("\n").chars().collect();
            }
        }
    }
    chars.into_iter().collect()
}

fn check_one(path: &str, text: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("content").join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(dir.path().join("content/site.yaml"), "title: Fuzz\nas_of: 2024-12-05\n").unwrap();
    fs::write(&file, text).unwrap();
    let checked = check_site(dir.path(), None, Date::constant(2024, 12, 5)).unwrap();
    for d in &checked.diagnostics {
        let len = checked.sources.text(d.span.file).len();
        prop_assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?} outside a {len}-byte file");
        let text = checked.sources.text(d.span.file);
        prop_assert!(
            text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
            "{d:?} splits a character"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_organisations_never_panic(edits in proptest::collection::vec(edit(), 1..8)) {
        check_one("organisations/x.yaml", &apply(ORGANISATION, &edits))?;
    }

    #[test]
    fn mutated_pages_never_panic(edits in proptest::collection::vec(edit(), 1..8)) {
        check_one("pages/x.md", &apply(PAGE, &edits))?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..200)) {
        check_one("organisations/x.yaml", &text.into_iter().collect::<String>())?;
    }
}
