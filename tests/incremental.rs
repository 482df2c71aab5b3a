//! `serve` keeps the site loaded and re-reads only changed files, and renders again only the
//! pages whose inputs changed. These tests make the edits an author makes (in place, rename
//! saves, new and removed files and folders, broken and fixed records) and check after each
//! that the diagnostics and every output file are exactly what a fresh build makes.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oversight_rules::check::{Checked, Workspace, check_site};
use oversight_site::{self as site, PageCache, RenderOptions};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Colour, render_human};

const TODAY: Date = Date::constant(2026, 11, 22);

fn diagnostics(checked: &Checked) -> String {
    let mut out = Vec::new();
    render_human(&checked.diagnostics, &checked.sources, std::path::Path::new(""), Colour::Never, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// Renders into `files`: through a cache, what changed since the last render through it is
/// applied to the files that render left, as `serve` does, checking that what is handed on
/// before the pages are done is no file made later ([`site::made_later`]) and what after, is.
/// Returns how many pages were rendered and how many files handed on.
fn render(site: &Path, checked: &Checked, cache: Option<&mut PageCache>, files: &mut Files) -> (usize, usize) {
    let options = RenderOptions { base_url: Some("/".into()), ..Default::default() };
    let changed = Mutex::new(Vec::new());
    let emit = |path: String, bytes: Arc<Vec<u8>>| {
        changed.lock().unwrap().push((path, bytes));
        Ok(())
    };
    // How many files were handed on when the pages were done, and the pages removed.
    let done = Mutex::new(None);
    let pages_done = |removed: Vec<String>| {
        assert!(done.lock().unwrap().replace((changed.lock().unwrap().len(), removed)).is_none(), "called once");
    };
    let staged = cache.is_some();
    let rendered = site::render(site, checked, &options, cache, Some(&pages_done), &emit).unwrap();
    let changed = changed.into_inner().unwrap();
    let mut removed = rendered.removed;
    match done.into_inner().unwrap() {
        Some((before, pages_removed)) => {
            for (i, (path, _)) in changed.iter().enumerate() {
                assert_eq!(site::made_later(path), i >= before, "{path} is handed on on the wrong side of the pages");
            }
            for path in &removed {
                assert!(site::made_later(path), "{path} is removed after the pages, but is not made later");
            }
            removed.extend(pages_removed);
        }
        None => assert!(!staged, "a render with a cache calls pages_done"),
    }
    for path in &removed {
        assert!(files.remove(path).is_some(), "{path} is removed but was not there");
    }
    let count = changed.len();
    files.extend(changed);
    (rendered.rendered, count)
}

struct Session {
    site: PathBuf,
    live: Workspace,
    cache: PageCache,
    /// The files as the renders through `cache` left them.
    files: Files,
    /// How many files the last render handed on.
    handed_on: usize,
}

impl Session {
    fn start(site: &Path) -> Session {
        let live = Workspace::load(site, oversight_model::Reach::Public).unwrap();
        let mut s =
            Session { site: site.to_path_buf(), live, cache: PageCache::default(), files: Files::new(), handed_on: 0 };
        s.compare("the first build");
        s
    }

    /// Takes in a change to `paths` (relative to the site) and compares with a fresh build.
    /// Returns how many pages were rendered again.
    fn changed(&mut self, what: &str, paths: &[&str]) -> usize {
        let paths: Vec<PathBuf> = paths.iter().map(|p| self.site.join(p)).collect();
        self.live.update(&paths).unwrap();
        self.compare(what)
    }

    fn compare(&mut self, what: &str) -> usize {
        let incremental = self.live.check(None, TODAY);
        let fresh = check_site(&self.site, None, TODAY).unwrap();
        assert_eq!(diagnostics(&incremental), diagnostics(&fresh), "diagnostics differ after {what}");
        if fresh.has_errors() {
            return 0;
        }
        let rendered;
        (rendered, self.handed_on) = render(&self.site, &incremental, Some(&mut self.cache), &mut self.files);
        let mut theirs = Files::new();
        render(&self.site, &fresh, None, &mut theirs);
        let ours = &self.files;
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "files differ after {what}");
        for (path, bytes) in ours {
            assert!(bytes == &theirs[path], "{path} differs from a fresh build after {what}");
        }
        rendered
    }
}

fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The organisation and the page the edits below go back to.
const ORG: &str = "content/organisations/kestrel-bay-university-hospitals.yaml";
const PAGE: &str = "content/pages/about.md";

#[test]
fn incremental_rebuilds_match_fresh_builds() {
    let dir = common::example_copy();
    let site = dir.path();
    let mut s = Session::start(site);
    // One session through every edit, in this order: each step edits the site the last left.
    records_and_pages(&mut s, site);
    site_yaml_and_renames(&mut s, site);
    listings_and_other_files(&mut s, site);
    a_paper_written_elsewhere(&mut s, site);
}

fn records_and_pages(s: &mut Session, site: &Path) {
    let (org, page) = (ORG, PAGE);
    edit(site, org, "name: ", "name: Renamed ");
    let rendered = s.changed("an organisation renamed", &[org]);
    assert!(rendered > 0, "a renamed organisation renders its pages again");

    // A rename save: the editor writes a temporary file and renames it over the page.
    let text = fs::read_to_string(site.join(page)).unwrap() + "\nA new closing line.\n";
    fs::write(site.join("content/pages/.about.md.swp"), &text).unwrap();
    fs::rename(site.join("content/pages/.about.md.swp"), site.join(page)).unwrap();
    let rendered = s.changed("a rename save of a page", &["content/pages/.about.md.swp", page]);
    assert!(rendered < 10, "editing one page's body rendered {rendered} pages");
    // The page and the search index (which shows the start of its body).
    assert!(s.handed_on <= 3, "editing one page's body changed {} files", s.handed_on);

    assert_eq!(s.changed("nothing", &[]), 0, "nothing changed, nothing rendered");
    assert_eq!(s.handed_on, 0, "nothing changed, nothing handed on");

    // A link broken and mended in a page whose id stays: only that page's links are checked.
    let mended = fs::read_to_string(site.join(page)).unwrap();
    fs::write(site.join(page), format!("{mended}\nSee [a trust](@/organisations/no-such-trust).\n")).unwrap();
    s.changed("a broken link added", &[page]);
    fs::write(site.join(page), &mended).unwrap();
    s.changed("the link removed", &[page]);

    fs::create_dir_all(site.join("content/pages/news")).unwrap();
    fs::write(
        site.join("content/pages/news/first.md"),
        "---\ntitle: First news\ndate: 2026-09-01\n---\n\nSee [the about page](../about.md).\n",
    )
    .unwrap();
    s.changed("a new folder with a page", &["content/pages/news"]);

    let broken = fs::read_to_string(site.join(org)).unwrap();
    fs::write(site.join(org), broken.replacen("name: ", "name: [unclosed ", 1)).unwrap();
    s.changed("a broken record", &[org]);
    fs::write(site.join(org), &broken).unwrap();
    s.changed("the record fixed", &[org]);

    fs::remove_file(site.join("content/pages/news/first.md")).unwrap();
    s.changed("a page removed", &["content/pages/news/first.md"]);

    fs::remove_dir_all(site.join("content/pages/organisations")).unwrap();
    s.changed("a folder of pages removed", &["content/pages/organisations"]);
}

fn site_yaml_and_renames(s: &mut Session, site: &Path) {
    let (org, page) = (ORG, PAGE);
    edit(site, "content/site.yaml", "title: ", "title: Retitled ");
    s.changed("the site retitled", &["content/site.yaml"]);

    let site_yaml = fs::read_to_string(site.join("content/site.yaml")).unwrap();
    fs::remove_file(site.join("content/site.yaml")).unwrap();
    s.changed("site.yaml removed", &["content/site.yaml"]);
    fs::write(site.join("content/site.yaml"), site_yaml).unwrap();
    s.changed("site.yaml restored", &["content/site.yaml"]);

    // Renaming an organisation's file changes its id: references to it break, then mend.
    let moved = "content/organisations/kestrel-bay-hospitals.yaml";
    fs::rename(site.join(org), site.join(moved)).unwrap();
    s.changed("an organisation's file renamed", &[org, moved]);
    fs::rename(site.join(moved), site.join(org)).unwrap();
    s.changed("and renamed back", &[moved, org]);

    // A copy of a page: the same text under another id, so another URL.
    fs::copy(site.join(page), site.join("content/pages/about-copy.md")).unwrap();
    s.changed("a page copied", &["content/pages/about-copy.md"]);
    // Renamed: the same front matter under another id, so listings link another URL.
    fs::rename(site.join("content/pages/about-copy.md"), site.join("content/pages/about-moved.md")).unwrap();
    s.changed("a page renamed", &["content/pages/about-copy.md", "content/pages/about-moved.md"]);
}

fn listings_and_other_files(s: &mut Session, site: &Path) {
    // A paginated listing: a retitled page changes its pager; a redated one moves across them.
    edit(site, "content/site.yaml", "paginate_by: 5", "paginate_by: 2");
    s.changed("the listing paginated", &["content/site.yaml"]);
    let moved = "content/pages/about-moved.md";
    edit(site, moved, "title: ", "title: Retitled ");
    let rendered = s.changed("a listed page retitled", &[moved]);
    assert!(rendered < 6, "retitling one page rendered {rendered} pages");
    edit(site, moved, "date: 2026-09-30", "date: 2020-01-01");
    s.changed("a listed page redated", &[moved]);

    fs::write(site.join("content/notes.txt"), "not a record").unwrap();
    s.changed("a file that is no record", &["content/notes.txt"]);
    fs::remove_file(site.join("content/notes.txt")).unwrap();
    s.changed("and removed", &["content/notes.txt"]);

    let support = "content/support";
    let first = fs::read_dir(site.join(support)).unwrap().next().unwrap().unwrap().path();
    fs::write(site.join("content/support/zz-copy.yaml"), fs::read(&first).unwrap()).unwrap();
    s.changed("a duplicate support package", &["content/support/zz-copy.yaml"]);

    // The site's own files, handed on with the pages that use them: the theme's stylesheet
    // overridden, and the logo taken out of site.yaml and put back.
    fs::create_dir_all(site.join("themes/nhs")).unwrap();
    fs::write(site.join("themes/nhs/style.css"), "body { color: #212b32; }\n").unwrap();
    s.changed("the stylesheet overridden", &["themes/nhs/style.css"]);
    assert!(s.files["assets/style.css"].starts_with(b"body { color"), "the override is served");
    fs::remove_file(site.join("themes/nhs/style.css")).unwrap();
    s.changed("and the override removed", &["themes/nhs/style.css"]);
    edit(site, "content/site.yaml", "logo: static/logo.svg", "# no logo");
    s.changed("the logo taken out", &["content/site.yaml"]);
    assert!(!s.files.contains_key("assets/logo.svg"), "the logo is gone");
    edit(site, "content/site.yaml", "# no logo", "logo: static/logo.svg");
    s.changed("and put back", &["content/site.yaml"]);
}

/// A paper written elsewhere: its title comes from its meeting, its details from its .yaml,
/// and the website publishes its file as given.
fn a_paper_written_elsewhere(s: &mut Session, site: &Path) {
    let meeting = "content/meetings/2026-10-board.yaml";
    edit(site, meeting, "generate: minutes", "title: Minutes of 2 July 2026\n    generate: minutes");
    s.changed("a PDF paper retitled by its agenda", &[meeting]);
    let details = "content/papers/2026-07-board-minutes.yaml";
    edit(site, details, "paper_type: for-approval", "paper_type: for-information");
    s.changed("a PDF paper's details edited", &[details]);
    let kept = fs::read(site.join(details)).unwrap();
    fs::remove_file(site.join(details)).unwrap();
    s.changed("its details removed", &[details]);
    fs::write(site.join(details), kept).unwrap();
    s.changed("and restored", &[details]);
    let pdf = "content/papers/2026-07-board-minutes.pdf";
    let given = fs::read(site.join(pdf)).unwrap();
    fs::write(site.join(pdf), [&given[..], b"\n% saved again\n"].concat()).unwrap();
    s.changed("a PDF paper saved again", &[pdf]);
    fs::write(site.join(pdf), b"%PDF-1.7 damaged").unwrap();
    s.changed("a PDF paper damaged", &[pdf]);
    fs::write(site.join(pdf), given).unwrap();
    s.changed("and mended", &[pdf]);
}
