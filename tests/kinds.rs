//! Every record kind reaches every consumer of the kinds table (docs/architecture.md, "Adding
//! a record kind"): for each row of `KINDS`, a record of that kind from the example register
//! is classified, loaded into the register, found by id, linked to with `@/…`, given a page
//! at its URL, covered by its schema, checked for duplicate ids, patched in by a live update
//! and counted by `--verbose`. A kind left out of any of them fails here, named.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use oversight_model::discover;
use oversight_model::kinds::{KINDS, Kind, RecordKind, classify};
use oversight_model::links::{self, Target};
use oversight_model::urls::Urls;
use oversight_rules::check::{Workspace, check_site, check_site_reaching};
use oversight_site::RenderOptions;
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Colour, render_human};

const TODAY: Date = Date::constant(2026, 11, 22);

/// The first file of `kind` in the example register, by its path under `content/`.
fn example_of(kind: &Kind, files: &[PathBuf]) -> PathBuf {
    files
        .iter()
        .find(|rel| classify(rel) == Some(kind.kind))
        .unwrap_or_else(|| panic!("the example register has no {}: add one, so this test covers it", kind.singular))
        .clone()
}

fn example_files(site: &Path) -> Vec<PathBuf> {
    let content = site.join("content");
    discover(&content, &content).unwrap().iter().map(|e| e.rel().to_path_buf()).collect()
}

#[test]
fn every_file_of_the_example_is_of_a_kind_and_every_kind_has_one() {
    let files = example_files(&common::root());
    for rel in &files {
        // Pages' own pictures and the like are left out before classification.
        assert!(classify(rel).is_some(), "content/{} is of no kind", rel.display());
    }
    for kind in &KINDS {
        example_of(kind, &files);
    }
}

#[test]
fn every_kind_is_loaded_found_linked_and_published() {
    let site = common::root();
    let files = example_files(&site);
    let checked = check_site(&site, None, TODAY).unwrap();
    let r = &checked.register;
    let made = Mutex::new(Vec::new());
    let emit = |path: String, _: Arc<Vec<u8>>| {
        made.lock().unwrap().push(path);
        Ok(())
    };
    // Everything published, so every record has its page.
    let options = RenderOptions { base_url: Some("/".into()), drafts: true, private: true, ..Default::default() };
    oversight_site::render(&site, &checked, &options, None, None, &emit).unwrap();
    let made = made.into_inner().unwrap();
    for kind in &KINDS {
        let rel = example_of(kind, &files);
        if kind.kind == RecordKind::Site {
            assert_eq!(checked.sources.path(r.site.file), Path::new("content/site.yaml"));
            continue;
        }
        let path = Path::new("content").join(&rel);
        let file = (0..checked.sources.len())
            .map(oversight_syntax::source::FileId::from_index)
            .find(|&f| checked.sources.path(f) == path)
            .unwrap();
        let id = (kind.id_in)(r, file).unwrap_or_else(|| panic!("{} is not in the register", path.display()));
        assert!(r.records(kind.kind).contains(&(id, file)), "{}: records()", kind.singular);
        assert!((kind.has)(r, id), "{}: has()", kind.singular);
        if kind.url.is_none() {
            continue;
        }
        let (target, _) = links::resolve(&format!("@/{}/{id}", kind.folder), "", r)
            .unwrap_or_else(|e| panic!("@/{}/{id}: {e}", kind.folder));
        assert_eq!(target, Target::Record(kind.kind, id.to_string()));
        let page = format!("{}index.html", Urls::relative(&target));
        assert!(made.contains(&page), "{}: no page at {page}", kind.singular);
    }
}

#[test]
fn every_kind_has_a_schema_for_its_files() {
    let files = example_files(&common::root());
    let schemas = oversight_model::schemas(&[]);
    for kind in &KINDS {
        let spec = kind.schema.unwrap_or_else(|| panic!("{} has no schema", kind.singular));
        assert!(schemas.iter().any(|s| s.name == spec.name), "{}", spec.name);
        let rel = example_of(kind, &files);
        let ext = rel.extension().unwrap().to_str().unwrap();
        // Editors validate YAML files; Markdown front matter has no glob.
        if ext == "yaml" {
            let glob = match kind.folder {
                "" => "content/site.yaml".to_string(),
                folder => format!("content/{folder}/*.yaml"),
            };
            assert!(spec.files.contains(&glob.as_str()), "{}: {:?} lacks {glob}", spec.name, spec.files);
        }
    }
}

/// A second file of the kind, with the example's id: the same stem and another extension of
/// the kind's (copied from a file of the kind with that extension).
fn duplicate(kind: &Kind, files: &[PathBuf], site: &Path) -> Option<PathBuf> {
    let rel = example_of(kind, files);
    let ext = rel.extension()?.to_str()?;
    let other = kind.extensions.iter().find(|e| **e != ext)?;
    let from = match *other {
        "yml" => rel.clone(),
        other => {
            files.iter().find(|f| classify(f) == Some(kind.kind) && f.extension().is_some_and(|e| e == other))?.clone()
        }
    };
    let to = rel.with_extension(other);
    fs::copy(site.join("content").join(from), site.join("content").join(&to)).unwrap();
    Some(to)
}

#[test]
fn every_kind_with_unique_ids_is_checked_and_patched_in_live() {
    for kind in KINDS.iter().filter(|k| k.unique_ids.is_some()) {
        let copy = common::example_copy();
        let site = copy.path();
        let mut live = Workspace::load(site, oversight_model::Reach::Public).unwrap();
        let files = example_files(site);
        let added = duplicate(kind, &files, site)
            .unwrap_or_else(|| panic!("no second file of kind {} to make a duplicate with", kind.singular));
        live.update(&[site.join("content").join(&added)]).unwrap();
        let patched = live.check(None, TODAY);
        let fresh = check_site(site, None, TODAY).unwrap();
        let text = |c: &oversight_rules::check::Checked| {
            let mut out = Vec::new();
            render_human(&c.diagnostics, &c.sources, Path::new(""), Colour::Never, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(text(&patched), text(&fresh), "{}: a live update differs from a fresh load", kind.singular);
        let duplicate = fresh.diagnostics.iter().find(|d| d.code == "OVS502");
        let message = duplicate.map(|d| d.message.clone()).unwrap_or_default();
        assert!(message.starts_with(&format!("{} id ", kind.singular)), "{}: {message:?}", kind.singular);
    }
}

#[test]
fn every_counted_kind_is_counted_by_verbose() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["check", "--verbose", "--site"])
        .arg(common::root())
        .output()
        .unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    // `check` reads the private folder too.
    let checked = check_site_reaching(&common::root(), None, TODAY, oversight_model::Reach::WithPrivate).unwrap();
    for kind in KINDS.iter().filter(|k| k.counted) {
        let n = checked.register.records(kind.kind).len();
        let counted = oversight_analysis::count(n, kind.singular, kind.plural);
        assert!(said.contains(&counted), "`--verbose` does not say {counted:?}: {said}");
    }
}
