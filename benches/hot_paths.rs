//! Microbenchmarks of the hot paths: Markdown to HTML for one narrative page, the rule checks
//! on a 1,000-organisation register, and the SVG timeline of that register. `benches/compare.sh`
//! measures whole commands against Hugo; these show where a change moves the cost.

use criterion::{Criterion, criterion_group, criterion_main};
use oversight_analysis::svg;
use oversight_model::Body;
use oversight_model::links::Target;
use oversight_rules::blocks::Defaults;
use oversight_rules::check::Workspace;
use oversight_site::html;
use oversight_syntax::date::Date;

const AS_OF: Date = Date::constant(2026, 9, 30);

/// A page like the benchmark corpus's: headings, paragraphs, a list, a table and a link.
fn page_text() -> String {
    let sentence = "The incremental pipeline usually measures the stable report of the careful release. ";
    let mut text = String::new();
    for section in ["Overview", "Findings", "Risks", "Next steps"] {
        text.push_str(&format!("## {section}\n\n"));
        for _ in 0..3 {
            text.push_str(&sentence.repeat(5));
            text.push_str("\n\n");
        }
        text.push_str("- First point: *careful* work\n- Second point: **stable** output\n\n");
        text.push_str("| Metric | Before | After |\n|:--|--:|--:|\n| latency | 42 | 17 |\n| memory | 900 | 120 |\n\n");
        text.push_str("See [the register](@/organisations/x) and [a note](other.md).\n\n");
    }
    text
}

fn markdown(c: &mut Criterion) {
    let register = oversight_model::Register::default();
    let body = Body::new(page_text(), 0);
    let url = |t: &Target| format!("/{t:?}/");
    c.bench_function("markdown: one 600-word page to HTML", |b| {
        b.iter(|| {
            let cx = html::Context {
                register: &register,
                url: &url,
                links: None,
                doc_dir: "pages".into(),
                blocks: &[],
                defaults: Defaults { as_of: AS_OF, since: None },
                number_paragraphs: false,
            };
            html::render(&body, &cx)
        })
    });
}

fn register(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec = oversight::generate::Spec { organisations: 1000, pages: 0, papers: 0, papers_per_meeting: 8, seed: 1 };
    oversight::generate::generate(dir.path(), &spec).expect("the register is written");
    let site = Workspace::load(dir.path(), oversight_model::Reach::Public).expect("the register loads");
    c.bench_function("rules: check 1,000 organisations", |b| b.iter(|| site.check(Some(AS_OF), AS_OF)));
    c.bench_function("svg: timeline of 1,000 organisations", |b| {
        b.iter(|| svg::render(&site.loaded.register, &svg::ChartOptions::new(AS_OF)))
    });
}

criterion_group!(benches, markdown, register);
criterion_main!(benches);
