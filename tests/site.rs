//! `oversight build` on the example and on hostile fixtures: pages, links, escaping,
//! determinism and atomicity.

mod common;

use common::root;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use oversight::commands::build::{self as site, BuildOptions};
use oversight_rules::check::check_site;
use oversight_site::RenderOptions;
use oversight_syntax::date::Date;

fn build(site_dir: &Path, out: &Path, base_url: Option<&str>) -> Result<site::Report, site::BuildError> {
    build_with(site_dir, out, base_url, false)
}

fn build_with(
    site_dir: &Path,
    out: &Path,
    base_url: Option<&str>,
    private: bool,
) -> Result<site::Report, site::BuildError> {
    let checked = check_site(site_dir, None, Date::constant(2026, 1, 1)).unwrap();
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    site::build(
        site_dir,
        &checked,
        &BuildOptions {
            output: out.to_path_buf(),
            render: RenderOptions { base_url: base_url.map(String::from), papers: true, private, ..Default::default() },
        },
    )
}

/// Every file of a built site, by relative path.
fn files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
            map.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    map
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The values of `attr="…"` in an HTML text, unescaped.
fn attributes<'a>(html: &'a str, attr: &'a str) -> impl Iterator<Item = String> + 'a {
    let needle = format!(" {attr}=\"");
    html.match_indices(needle.clone().leak() as &str).filter_map(move |(i, _)| {
        let rest = &html[i + needle.len()..];
        rest.find('"').map(|end| rest[..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'"))
    })
}

#[test]
fn example_builds_with_key_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let report = build(&root(), &out, None).unwrap();
    assert!(report.pages > 40, "{report:?}");
    let home = read(&out, "index.html");
    assert!(home.contains("<span class=\"stat-number\">4</span> NHS providers in the programme"), "home figures");
    assert!(home.contains("<span class=\"stat-number\">1</span> ICB in the programme"));
    assert!(home.contains("Kestrel Bay University Hospitals NHS Trust (fictional)"));
    let org = read(&out, "organisations/kestrel-bay-university-hospitals/index.html");
    assert!(org.contains("Recovery Support Programme: entered 13 July 2021"));
    // A provider's episode that ran on past 30 June 2025 names both programmes, in order.
    assert!(org.contains("Recovery Support Programme, then Provider Improvement Programme: entered 4 November 2024"));
    assert!(org.contains("<dt>Reason for exit</dt><dd>Exit criteria met</dd>"));
    assert!(org.contains("Exit criteria:"));
    let timeline = read(&out, "timeline/index.html");
    assert!(timeline.contains("<svg") && timeline.contains("Entry and exit points, as at 30 September 2026"));
    assert!(read(&out, "timeline/episodes.csv").starts_with("organisation_id,name,type,"));
    let paper = read(&out, "papers/rsp-update/index.html");
    assert!(
        paper.contains("id=\"para-1\"") && paper.contains("5.1 (public session)"),
        "numbered paper with its agenda item"
    );
    assert!(
        paper.contains("As at 1 October 2026, there are 4 NHS providers in the Provider Improvement Programme."),
        "blocks at the meeting date"
    );
    for f in [
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "search/index.json",
        "assets/style.css",
        "assets/site.js",
        ".oversight-build",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    // Drafts are left out unless asked for.
    assert!(!out.join("pages/updates/2026-09-hollinbrook-progress/index.html").exists());
    let feed = read(&out, "atom.xml");
    roxmltree::Document::parse(&feed).expect("the feed is XML");
    roxmltree::Document::parse(&read(&out, "sitemap.xml")).expect("the sitemap is XML");
    let index: serde_json::Value = serde_json::from_str(&read(&out, "search/index.json")).unwrap();
    assert!(index.as_array().unwrap().len() > 30);
}

/// Checks that every root-relative `href` and `src` under `base` names a file of the build
/// (and, with a `#fragment`, an element with that id).
fn assert_links_resolve(out: &Path, base: &str) {
    let all = files(out);
    let mut broken = Vec::new();
    let mut checked = 0;
    for (rel, bytes) in all.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for url in attributes(&html, "href").chain(attributes(&html, "src")) {
            let (path, fragment) = url.split_once('#').map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                rel.clone()
            } else if let Some(inside) = path.strip_prefix(base) {
                if inside.is_empty() || inside.ends_with('/') {
                    format!("{inside}index.html")
                } else {
                    inside.to_string()
                }
            } else {
                assert!(!path.starts_with('/'), "{rel}: {url} is outside the base path {base}");
                continue; // external
            };
            checked += 1;
            match all.get(&target) {
                None => broken.push(format!("{rel}: {url} (no {target})")),
                Some(body) => {
                    if let Some(f) = fragment.filter(|f| !f.is_empty())
                        && !String::from_utf8_lossy(body).contains(&format!("id=\"{f}\""))
                    {
                        broken.push(format!("{rel}: {url} (no id {f} in {target})"));
                    }
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
}

#[test]
fn every_internal_link_resolves_with_a_sub_path_base() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&root(), &out, Some("https://example.nhs.uk/rsp/")).unwrap();
    assert_links_resolve(&out, "/rsp/");
    assert!(read(&out, "sitemap.xml").contains("<loc>https://example.nhs.uk/rsp/organisations/</loc>"));
}

#[test]
fn every_internal_link_resolves_at_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&root(), &out, Some("/")).unwrap();
    assert_links_resolve(&out, "/");
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&root(), &a, None).unwrap();
    build(&root(), &b, None).unwrap();
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (path, bytes) in &fa {
        assert!(bytes == &fb[path], "{path} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = common::example_copy();
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();
    let before = files(&out);
    // A template that fails to render (an unknown variable) stops the build.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_thing.field }}{% endblock content %}",
    )
    .unwrap();
    let err = build(site.path(), &out, None).unwrap_err().to_string();
    assert!(err.contains("page.html"), "the error names the template: {err}");
    assert_eq!(files(&out), before, "the old output is exactly as it was");
    // A template that does not parse names its file too.
    fs::write(site.path().join("templates/page.html"), "{% if %}").unwrap();
    let err = build(site.path(), &out, None).unwrap_err().to_string();
    assert!(err.contains("templates/page.html"), "{err}");
    assert_eq!(files(&out), before);
    // Never into the site or content folder.
    for bad in [site.path().to_path_buf(), site.path().join("content")] {
        fs::remove_file(site.path().join("templates/page.html")).ok();
        assert!(build(site.path(), &bad, None).is_err());
    }
}

#[test]
fn a_sites_own_header_and_footer_are_rendered_once_and_placed_on_every_page() {
    let site = common::example_copy();
    let out = site.path().join("public");
    fs::create_dir_all(site.path().join("templates")).unwrap();
    // The site-wide variables are there; the current section is marked in `nav`.
    fs::write(
        site.path().join("templates/header.html"),
        "<header data-site=\"{{ site.title }}\">{% for item in nav %}{% if item.current %}[{{ item.text }}]{% endif %}{% endfor %}</header>\n\n",
    )
    .unwrap();
    fs::write(site.path().join("templates/footer.html"), "<footer>{{ statutory.privacy }}</footer>\n").unwrap();
    build(site.path(), &out, None).unwrap();
    let checked = check_site(site.path(), None, Date::constant(2026, 1, 1)).unwrap();
    let title = &checked.register.site.title;
    let home = read(&out, "index.html");
    assert!(
        home.contains(&format!("<header data-site=\"{title}\"></header>\n")),
        "no section is current, and the trailing lines are dropped"
    );
    assert!(home.contains("pages/privacy/</footer>\n</body>"), "{home}");
    let updates = read(&out, "pages/index.html");
    assert!(updates.contains(&format!("<header data-site=\"{title}\">[Updates]</header>\n")));
    let page = checked.register.pages.iter().find(|p| !p.draft).unwrap();
    let page_html = read(&out, &format!("pages/{}/index.html", page.id));
    assert!(page_html.contains("[Updates]</header>"), "a narrative page is in Updates");
    assert!(page_html.contains("pages/privacy/</footer>"));
    assert!(read(&out, "organisations/index.html").contains("[Organisations]</header>"));
    // A page template of the site's own has `nav` too (the built-in ones use it only in the header).
    fs::write(
        site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p>{{ nav | length }} sections, {% for item in nav %}{% if item.current %}in {{ item.text }}{% endif %}{% endfor %}</p>{% endblock content %}",
    )
    .unwrap();
    build(site.path(), &out, None).unwrap();
    assert!(read(&out, &format!("pages/{}/index.html", page.id)).contains("<p>7 sections, in Updates</p>"));
    fs::remove_file(site.path().join("templates/page.html")).unwrap();
    // One that fails to render names its file, and nothing is published.
    let before = files(&out);
    for name in ["head.html", "header.html", "footer.html"] {
        fs::write(site.path().join("templates").join(name), "{{ title }}").unwrap();
        let err = build(site.path(), &out, None).unwrap_err().to_string();
        assert!(err.contains(&format!("templates/{name}")), "{err}");
        assert_eq!(files(&out), before);
        fs::remove_file(site.path().join("templates").join(name)).unwrap();
    }
}

#[test]
fn the_updates_listing_is_paginated_by_site_yaml() {
    let site = common::example_copy();
    let yaml = fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    assert!(yaml.contains("paginate_by: 5"), "the example paginates");
    fs::write(site.path().join("content/site.yaml"), yaml.replacen("paginate_by: 5", "paginate_by: 3", 1)).unwrap();
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();
    let checked = check_site(site.path(), None, Date::constant(2026, 1, 1)).unwrap();
    let published = checked.register.pages.iter().filter(|p| !p.draft).count();
    let count = published.div_ceil(3);
    assert!(count >= 2, "the example has {published} pages");
    let cards = |html: &str| html.matches("<li class=\"card\">").count();

    let first = read(&out, "pages/index.html");
    assert_eq!(cards(&first), 3);
    assert!(first.contains("<title>Updates (page 1 of "), "{first}");
    assert!(first.contains(&format!("Showing updates 1 to 3 of {published}, newest first.")));
    assert!(first.contains("href=\"/rsp/pages/page/2/\" rel=\"next\""));
    assert!(!first.contains("rel=\"prev\""));

    let last = read(&out, &format!("pages/page/{count}/index.html"));
    assert_eq!(cards(&last), published - 3 * (count - 1));
    assert!(last.contains(&format!("aria-label=\"Page {count}\" aria-current=\"page\"")));
    assert!(!last.contains("rel=\"next\""));
    assert!(last.contains("<link rel=\"canonical\" href=\"https://"), "canonical is the pager's own URL");

    // Every page is on exactly one pager, in order, newest first.
    let all: String = (1..=count)
        .map(|n| if n == 1 { first.clone() } else { read(&out, &format!("pages/page/{n}/index.html")) })
        .collect();
    assert_eq!(cards(&all), published);
    assert!(!out.join(format!("pages/page/{}", count + 1)).exists());
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("/pages/</loc>") && !sitemap.contains("/pages/page/2/"), "{sitemap}");
    assert_links_resolve(&out, "/rsp/");
}

#[test]
fn the_feed_holds_the_newest_fifty_entries_with_ties_broken_by_url() {
    let site = common::example_copy();
    // 70 pages on one day, so the 50th entry falls among them; `p7-x` sorts before `p7` by URL
    // (`-` < `/`) but after it by id, so choosing by id order would be caught.
    fs::create_dir_all(site.path().join("content/pages/feed")).unwrap();
    for i in 0..35 {
        for id in [format!("p{i}"), format!("p{i}-x")] {
            let text = format!("---\ntitle: Feed {id}\ndate: 2026-09-29\n---\nBody.\n");
            fs::write(site.path().join(format!("content/pages/feed/{id}.md")), text).unwrap();
        }
    }
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();
    let feed = read(&out, "atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let text = |e: roxmltree::Node, tag: &str| {
        e.children().find(|c| c.has_tag_name(tag)).and_then(|c| c.text()).unwrap_or_default().to_string()
    };
    let entries: Vec<(String, String)> =
        doc.descendants().filter(|e| e.has_tag_name("entry")).map(|e| (text(e, "updated"), text(e, "id"))).collect();
    assert_eq!(entries.len(), 50);
    let mut sorted = entries.clone();
    sorted.sort_by(|a, b| (&b.0, &a.1).cmp(&(&a.0, &b.1)));
    assert_eq!(entries, sorted, "newest first, then by URL");
    // Every page left out is older than the last entry, or as old with a later URL.
    let last = entries.last().unwrap().clone();
    for i in 0..35 {
        for id in [format!("p{i}"), format!("p{i}-x")] {
            let url = format!("https://example.nhs.uk/rsp/pages/feed/{id}/");
            let entry = ("2026-09-29T00:00:00Z".to_string(), url.clone());
            let included = entries.contains(&entry);
            assert_eq!(included, (&entry.0, &last.1) > (&last.0, &entry.1) || entry == last, "{url}");
        }
    }
}

#[test]
fn hostile_text_never_reaches_the_output_unescaped() {
    let site = common::example_copy();
    let c = site.path().join("content");
    fs::write(
        c.join("organisations/evil.yaml"),
        "name: \"<script>alert('name')</script> Trust\"\ntype: nhs-trust\nregion: london\nsources:\n  - title: \"<img src=x onerror=alert(1)>\"\n    url: \"javascript:alert('source')\"\n",
    )
    .unwrap();
    fs::write(
        c.join("undertakings/evil.yaml"),
        "organisation: evil\nregulator: nhs-england\naccepted: 2023-06-01\nlegal_basis: hsca-2012-s106\nsummary: \"<script>alert('summary')</script>\"\ndocument_url: \"javascript:alert('doc')\"\n",
    )
    .unwrap();
    fs::write(
        c.join("pages/evil.md"),
        "---\ntitle: \"<script>alert('title')</script>\"\ndate: 2024-01-01\norganisation: evil\n---\n<script>alert('body')</script>\n\n[click](javascript:alert('link'))\n\n<a href=\"JAVASCRIPT:alert('a')\" onclick=\"alert('c')\">x</a> <img src=x onerror=\"alert('img')\">\n\n<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n",
    )
    .unwrap();
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();
    for (path, bytes) in files(&out) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for bad in ["<script>alert", "<iframe", "<style>"] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
        // Escaped, these are harmless text on the page; inside a real tag they would run.
        for bad in ["javascript:", "onerror=", "onclick="] {
            for (i, _) in text.match_indices(bad) {
                assert!(!inside_tag(&text, i), "{path}: {bad} inside a tag: …{}…", &text[i.saturating_sub(60)..i + 20]);
            }
        }
    }
    let page = read(&out, "organisations/evil/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"),
        "the name is shown, escaped"
    );
}

/// Whether offset `i` of `html` is inside a tag (after a `<` with no `>` since). Escaped text
/// uses `&lt;`, so every real `<` opens a tag.
fn inside_tag(html: &str, i: usize) -> bool {
    let before = &html[..i];
    before.rfind('<').is_some_and(|open| before.rfind('>').is_none_or(|close| open > close))
}

#[test]
fn snapshots_of_key_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&root(), &out, None).unwrap();
    insta::assert_snapshot!("home", read(&out, "index.html"));
    insta::assert_snapshot!("organisation", read(&out, "organisations/kestrel-bay-university-hospitals/index.html"));
    insta::assert_snapshot!("paper", read(&out, "papers/rsp-update/index.html"));
}

/// The text of every file of a built site, PDFs read back with pdftotext (which .ci/run
/// installs), lower-cased: what a search of the published folder would find.
fn published_text(out: &Path) -> BTreeMap<String, String> {
    let mut texts = BTreeMap::new();
    for (rel, bytes) in files(out) {
        let text = if rel.ends_with(".pdf") {
            let output = std::process::Command::new("pdftotext")
                .arg(out.join(&rel))
                .arg("-")
                .output()
                .expect("pdftotext must be installed (Debian poppler-utils; .ci/run installs it)");
            String::from_utf8_lossy(&output.stdout).into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        texts.insert(rel.to_lowercase(), text.to_lowercase());
    }
    texts
}

#[test]
fn a_private_meeting_leaves_no_trace_on_the_website() {
    // Every private title, id, venue and text in the fixture holds "zqx".
    let site_dir = root().join("tests/fixtures/sites/private");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&site_dir, &out, None).unwrap();
    let texts = published_text(&out);
    for (path, text) in &texts {
        assert!(!path.contains("zqx"), "{path} is published");
        assert!(
            !text.contains("zqx"),
            "{path} mentions the private meeting: {}",
            &text[text.find("zqx").unwrap()..][..40.min(text.len() - text.find("zqx").unwrap())]
        );
    }
    // What is public is still there: a paper on both agendas is public, and so is its PDF.
    assert!(texts.contains_key("papers/both-report/index.html"));
    assert!(texts.contains_key("papers/both-report.pdf"));
    assert!(texts.contains_key("papers/open-report/index.html"));
    assert!(texts["search/index.json"].contains("risk register summary"));

    // Asked loudly, the build publishes them: the search above can find what it looks for.
    let out = dir.path().join("with-private");
    build_with(&site_dir, &out, None, true).unwrap();
    let texts = published_text(&out);
    assert!(texts.contains_key("papers/zqx-tender/index.html"));
    assert!(texts.values().filter(|t| t.contains("zqxtender consultancy tender evaluation")).count() > 3);
}

#[test]
fn the_examples_private_meeting_leaves_no_trace_on_its_website() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&root(), &out, None).unwrap();
    let texts = published_text(&out);
    // The meeting's id, title and venue time, its paper's id, title, reference and text, and
    // what the private sessions decided and asked for (the board's members are public: they
    // are on the public meetings' attendance).
    let private = [
        "2026-10-board-private",
        "2026-07-board-private",
        "held in private",
        "14:00",
        "kestrel-bay-intensive-support-contract",
        "intensive financial support",
        "rob/26/16",
        "bidder",
        "evaluation panel",
        "and its budget",
    ];
    for (path, text) in &texts {
        for word in private {
            assert!(!path.contains(word) && !text.contains(word), "{path} mentions `{word}`");
        }
    }
    // The public meeting, held the same day, is all there, ending with the resolution to
    // exclude the public: the private item's number and reason, not its title.
    assert!(texts.contains_key("meetings/2026-10-board/pack.pdf"));
    let meeting = &texts["meetings/2026-10-board/index.html"];
    assert!(meeting.contains("resolution to exclude the public"), "{meeting}");
    assert!(meeting.contains("item 3: commercially confidential information"), "{meeting}");
    assert!(texts["meetings/2026-10-board/pack.pdf"].contains("commercially confidential information"));
    // The July private paper is restricted until 15 September 2026, before the as-of date.
    assert!(texts.contains_key("papers/kestrel-bay-procurement-approach/index.html"));
    assert!(texts.contains_key("papers/kestrel-bay-procurement-approach.pdf"));
}

/// Runs the binary in `site` and returns its standard output and error.
fn oversight(site: &Path, args: &[&str]) -> String {
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_oversight")).current_dir(site).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "oversight {args:?}: {text}");
    text
}

#[test]
fn a_draft_paper_stays_out_of_the_website_and_packs_until_asked_for() {
    let site = common::example_copy();
    let paper = site.path().join("content/papers/undertakings-and-support.md");
    let text = fs::read_to_string(&paper).unwrap();
    fs::write(&paper, text.replacen("---\n", "---\ndraft: true\n", 1)).unwrap();
    // What only the draft says (the minutes of July's meeting, in the pack, mention its
    // subject and author): its id, reference and the words of its action required.
    let draft = ["undertakings-and-support", "rob/26/15", "in line with the enforcement guidance"];

    let said = oversight(site.path(), &["build", "--output", "public"]);
    assert!(said.contains("left out of the website: 1 draft paper (`--drafts` includes them)"), "{said}");
    let texts = published_text(&site.path().join("public"));
    for (path, text) in &texts {
        for word in draft {
            assert!(!path.contains(word) && !text.contains(word), "{path} mentions `{word}`");
        }
    }
    // Its agenda item keeps its place.
    let meeting = &texts["meetings/2026-10-board/index.html"];
    assert!(meeting.contains("paper to follow"), "{meeting}");

    oversight(site.path(), &["build", "--drafts", "--output", "drafts"]);
    let texts = published_text(&site.path().join("drafts"));
    assert!(texts["papers/undertakings-and-support.pdf"].contains("draft · official"));
    assert!(texts["meetings/2026-10-board/pack.pdf"].contains("draft · official · rob/26/15"));

    // Packs: left out, then in with --drafts.
    let said = oversight(site.path(), &["papers", "--output", "packs"]);
    assert!(said.contains("left out of the packs: 1 draft paper"), "{said}");
    let packs = published_text(&site.path().join("packs"));
    assert!(!packs.contains_key("undertakings-and-support.pdf"));
    let pack = &packs["2026-10-board-pack.pdf"];
    assert!(pack.contains("paper to follow") && !pack.contains("rob/26/15"), "{pack}");
    oversight(site.path(), &["papers", "--drafts", "--output", "packs"]);
    let packs = published_text(&site.path().join("packs"));
    assert!(packs["undertakings-and-support.pdf"].contains("draft · official · rob/26/15"));
    assert!(packs["2026-10-board-pack.pdf"].contains("draft · official · rob/26/15"));
}

#[test]
fn statutory_pages_are_built_in_filled_from_site_yaml_and_replaceable() {
    let site = common::example_copy();
    let out = site.path().join("public");
    build(site.path(), &out, None).unwrap();

    // The GOV.UK model statement, filled from site.yaml and from what the tool knows.
    let statement = read(&out, "pages/accessibility-statement/index.html");
    for part in [
        "<h1>Accessibility statement for Recovery Support Programme register (fictional example)</h1>",
        "This accessibility statement applies to https://example.nhs.uk/rsp/.",
        "This website is run by Example NHS Oversight Team (fictional data).",
        // The build publishes PDFs, which nobody has tested against PDF/UA: partly compliant.
        "This website is partially compliant with the <a href=\"https://www.w3.org/TR/WCAG22/\">Web Content Accessibility Guidelines version 2.2 AA standard</a>",
        "written to the PDF/UA-1 standard",
        "tested with an independent checker of the machine-checkable part of PDF/UA-1",
        "<a href=\"mailto:rsp.register@example.nhs.uk\">rsp.register@example.nhs.uk</a>",
        "get back to you in 5 days.",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "at 390 and 1280 pixels wide",
        "This statement was prepared on <time datetime=\"2026-09-01\">1 September 2026</time>.",
    ] {
        assert!(statement.contains(part), "{part} missing from the statement");
    }
    let privacy = read(&out, "pages/privacy/index.html");
    assert!(privacy.contains("This website does not use cookies."));
    let contact = read(&out, "pages/contact/index.html");
    assert!(contact.contains("mailto:rsp.register@example.nhs.uk"));

    // Every page links them, names the licence, and shows the logo and favicon it copied.
    let home = read(&out, "index.html");
    for part in [
        "<a href=\"/rsp/pages/accessibility-statement/\">Accessibility statement</a>",
        "<a href=\"/rsp/pages/privacy/\">Privacy and cookies</a>",
        "<a href=\"/rsp/pages/contact/\">Contact</a>",
        "rel=\"license\">Open Government Licence v3.0</a>",
        "<img class=\"header-logo\" src=\"/rsp/assets/logo.svg\"",
        "<link rel=\"icon\" href=\"/rsp/assets/favicon.svg\" type=\"image/svg+xml\">",
        "<meta name=\"description\" content=\"",
    ] {
        assert!(home.contains(part), "{part} missing from the home page");
    }
    assert_eq!(fs::read(out.join("assets/logo.svg")).unwrap(), fs::read(root().join("static/logo.svg")).unwrap());
    assert!(out.join("assets/favicon.svg").is_file());

    // A site's own page at the same address wins; another licence replaces the OGL; an
    // Northern Irish publisher's statement names the ECNI.
    let c = site.path().join("content");
    fs::write(
        c.join("pages/contact.md"),
        "---\ntitle: Write to the oversight team\ndate: 2026-09-01\n---\nBy post only.\n",
    )
    .unwrap();
    let yaml = fs::read_to_string(c.join("site.yaml")).unwrap();
    let yaml = yaml.replacen("language: en-GB\n", "language: en-GB\nlicence:\n  name: Creative Commons Attribution 4.0\n  url: https://creativecommons.org/licenses/by/4.0/\n", 1);
    let yaml = yaml.replacen("  response_days: 5", "  response_days: 5\n  enforcement: ecni\n  status: full", 1);
    fs::write(c.join("site.yaml"), yaml).unwrap();
    build(site.path(), &out, None).unwrap();
    let contact = read(&out, "pages/contact/index.html");
    assert!(contact.contains("<h1>Write to the oversight team</h1>") && contact.contains("By post only."), "{contact}");
    let home = read(&out, "index.html");
    assert!(home.contains("rel=\"license\">Creative Commons Attribution 4.0</a>") && !home.contains("Open Government"));
    let statement = read(&out, "pages/accessibility-statement/index.html");
    assert!(statement.contains("Equality Commission for Northern Ireland (ECNI)") && !statement.contains("EASS"));
    assert!(statement.contains("This website is fully compliant with"));
    assert_links_resolve(&out, "/rsp/");
}

#[test]
fn the_statement_names_the_widths_the_accessibility_run_uses() {
    let run = fs::read_to_string(root().join("tests/a11y/run.mjs")).unwrap();
    let [phone, desktop] = oversight_site::TESTED_WIDTHS;
    assert!(run.contains(&format!("const MOBILE = {{ name: '{phone}px', width: {phone},")), "run.mjs's phone width");
    assert!(run.contains(&format!("const DESKTOP = {{ name: 'desktop', width: {desktop},")), "run.mjs's desktop width");
    assert!(run.contains(&format!("const NARROWEST = {};", oversight_site::REFLOW_WIDTH)));
    assert!(run.contains("const CHART_TEXT_MIN_PX = 12;"), "the chart's 12-unit text, never drawn smaller");
}

#[test]
fn pages_load_nothing_from_other_websites() {
    // What the privacy page says: every picture, script, style and icon comes from the site.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&root(), &out, None).unwrap();
    let mut pages = 0;
    for (path, bytes) in files(&out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let loaded: Vec<String> = attributes(&html, "src")
            .chain(html.split("<link ").skip(1).flat_map(|tag| {
                attributes(&format!(" {}", &tag[..tag.find('>').unwrap_or(0)]), "href").collect::<Vec<_>>()
            }))
            .collect();
        for url in loaded {
            assert!(url.starts_with("/rsp/") || url.starts_with("https://example.nhs.uk/rsp/"), "{path} loads {url}");
        }
        assert!(!html.contains("cookie=") && !html.contains("localStorage"), "{path} stores something");
    }
    assert!(pages > 40);
    let script = fs::read_to_string(out.join("assets/site.js")).unwrap();
    assert!(!script.contains("cookie") && !script.contains("Storage"), "site.js stores nothing");
    assert!(
        !fs::read_to_string(out.join("assets/style.css")).unwrap().contains("url(http"),
        "no remote fonts or images"
    );
}
