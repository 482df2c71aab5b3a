//! `oversight lsp`: diagnostics latency for a one-key edit in a register of 1,000 organisations
//! and 10,000 pages (`oversight generate --seed 1`), timed as an editor sees it: from writing
//! the `didChange` notification to reading the `publishDiagnostics` it causes. Each edit types
//! or deletes one character of an open organisation's `region:` (or of a page's link to another), so
//! every edit changes what is published: the overlay update, the whole register's check and
//! the publication. The figures are in docs/performance.md.

#[path = "../tests/common/lsp.rs"]
mod client;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use client::{Client, uri};
use criterion::{Criterion, criterion_group, criterion_main};

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_oversight"))
}

fn register(dir: &Path) -> std::path::PathBuf {
    let site = dir.join("register");
    let status = Command::new(binary())
        .args(["generate", "--organisations", "1000", "--pages", "10000", "--seed", "1"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    site
}

/// Times edits of the open document `path`: each switches between `good` and `bad` (one
/// character apart) and waits for its diagnostics.
fn edits(c: &mut Criterion, name: &str, client: &mut Client, path: &Path, good: &str, bad: &str) {
    let doc = uri(path);
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(good), "{good} is not in {}", path.display());
    let broken = text.replacen(good, bad, 1);
    client.open(&doc, &text);
    // The first check of the whole register comes first; then the document is clean.
    let _ = client.try_diagnostics(&doc, Duration::from_secs(5));
    client.clear();
    let mut version = 1;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(30);
    group.bench_function(name, |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                for next in [&broken, &text] {
                    version += 1;
                    let started = Instant::now();
                    client.change(&doc, version, next);
                    let published = client.diagnostics(&doc);
                    total += started.elapsed();
                    assert_eq!(published.is_empty(), std::ptr::eq(next, &text), "{published:?}");
                }
            }
            // Two edits an iteration: the figure is per edit.
            total / 2
        });
    });
    group.finish();
}

fn lsp(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let site = register(dir.path());
    let mut client = Client::start(binary(), &site);
    client.initialize(&site);
    let org = site.join("content/organisations/org-00000.yaml");
    edits(
        c,
        "one-key edit of an organisation, 1,000 organisations + 10,000 pages",
        &mut client,
        &org,
        "region: east-of-england",
        "region: east-of-englan",
    );
    let page = site.join("content/pages/updates/page-00000.md");
    edits(
        c,
        "one-key edit of a page's link, 1,000 organisations + 10,000 pages",
        &mut client,
        &page,
        "(page-00001.md)",
        "(page-0001.md)",
    );
    let _ = client.shutdown();
}

criterion_group!(benches, lsp);
criterion_main!(benches);
