//! What each page is made from, summed up as one hash, so `serve` renders again only the pages
//! an edit reaches, without even making the others' contexts. Every key covers the templates,
//! site.yaml, the as-of date and the build options; each page adds the files its context
//! reads. `tests/incremental.rs` checks after every kind of edit that a site rendered through
//! these keys equals a fresh build, so a missing input shows up as a failing test.

use std::hash::Hash;

use super::views::{About, Related};
use oversight_model::kinds::{Feeds, KINDS};
use oversight_model::{Organisation, Page, Register};
use oversight_syntax::hash::{self, Map};
use oversight_syntax::source::{FileId, Sources};

pub(crate) struct Inputs<'a> {
    register: &'a Register,
    sources: &'a Sources,
    global: u64,
    /// The kinds that feed the figures ([`Feeds::Figures`]: organisations, support
    /// packages, undertakings, meetings): what listings, the timeline and generated blocks are
    /// computed from.
    pub records: u64,
    /// The kinds that feed meeting pages ([`Feeds::Meetings`]: board papers, and the details
    /// files of PDF papers), whose titles appear there.
    pub papers: u64,
    /// What each organisation's page lists from other records ([`Related::index`]).
    related: &'a Map<&'a str, Related<'a>>,
    /// [`Inputs::page`] of each published page.
    pages: Vec<(u64, u64)>,
}

impl<'a> Inputs<'a> {
    /// `global` is whatever every page depends on besides the records: templates, options.
    pub(crate) fn new(
        register: &'a Register,
        sources: &'a Sources,
        pages: &[&'a Page],
        about: &About,
        related: &'a Map<&'a str, Related<'a>>,
        global: impl Hash,
    ) -> Inputs<'a> {
        let file = |f: FileId| sources.get(f).hash;
        // Each kind's files in path order, kind by kind.
        let fed = |feeds: Feeds| {
            let kinds = KINDS.iter().filter(|kind| kind.feeds == feeds);
            hash::all(kinds.map(|kind| hash::all(register.records(kind.kind).into_iter().map(|(_, f)| file(f)))))
        };
        let (records, papers) = (fed(Feeds::Figures), fed(Feeds::Meetings));
        let mut inputs = Inputs {
            register,
            sources,
            global: hash::of(&(global, file(register.site.file))),
            records,
            papers,
            related,
            pages: Vec::new(),
        };
        // Pages are most of a large site: each organisation's file is looked up once, not once
        // a page about it.
        let mut organisations = vec![0; pages.len()];
        for (org, positions) in about {
            let file = inputs.organisation(Some(org));
            for &i in positions {
                organisations[i] = file;
            }
        }
        inputs.pages = pages.iter().zip(organisations).map(|(p, file)| (p.head, file)).collect();
        inputs
    }

    /// For the `i`th of the published pages: what listings show of it ([`Page::head`]), and
    /// its organisation's file.
    pub(crate) fn page(&self, i: usize) -> (u64, u64) {
        self.pages[i]
    }

    /// The key of a page made from `parts` (hashes of its inputs, and what else it depends on).
    pub(crate) fn key(&self, parts: impl Hash) -> u64 {
        hash::of(&(self.global, parts))
    }

    pub(crate) fn file(&self, file: FileId) -> u64 {
        self.sources.get(file).hash
    }

    /// Everything an organisation's page reads besides its own file: its system, its members,
    /// its support packages and undertakings, and what listings show of pages about it.
    pub(crate) fn related(&self, org: &Organisation) -> u64 {
        let system = self.organisation(org.system.as_deref());
        let Some(r) = self.related.get(org.id.as_str()) else { return system };
        hash::of(&(
            system,
            hash::all(r.members.iter().map(|o| self.file(o.file))),
            hash::all(r.support.iter().map(|s| self.file(s.file))),
            hash::all(r.undertakings.iter().map(|u| self.file(u.file))),
            hash::all(r.pages.iter().map(|p| p.head)),
        ))
    }

    /// The file of an organisation by id, if there is one.
    pub(crate) fn organisation(&self, id: Option<&str>) -> u64 {
        id.and_then(|id| self.register.organisation(id)).map_or(0, |o| self.file(o.file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oversight_model::kinds::RecordKind;
    use oversight_syntax::source::SourceFile;

    /// Each kind's files feed the keys its row of the kinds table says: a change to one
    /// changes the figures' key or the papers' key, and a kind that feeds neither changes
    /// neither (its pages have keys of their own).
    #[test]
    fn every_kind_feeds_the_keys_its_row_says() {
        let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let live = oversight_model::LoadedSite::load(&site).unwrap();
        let (register, sources) = (&*live.register, &*live.sources);
        let keys = |sources: &Sources| {
            let related = Map::default();
            let inputs = Inputs::new(register, sources, &[], &Vec::new(), &related, 0);
            (inputs.records, inputs.papers, inputs.global)
        };
        let before = keys(sources);
        for kind in KINDS.iter() {
            let file = match kind.kind {
                RecordKind::Site => register.site.file,
                other => register.records(other).first().map(|(_, f)| *f).expect("the example has one of each kind"),
            };
            let mut edited = sources.clone();
            let text = format!("{}\n# edited\n", sources.get(file).text());
            edited.replace(file, SourceFile::new(sources.path(file).to_path_buf(), text));
            let (records, papers, global) = keys(&edited);
            let changed = (records != before.0, papers != before.1, global != before.2);
            let expected = match kind.feeds {
                Feeds::Everything => (false, false, true),
                Feeds::Figures => (true, false, false),
                Feeds::Meetings => (false, true, false),
                Feeds::Listings => (false, false, false),
            };
            assert_eq!(changed, expected, "{}", kind.singular);
        }
    }
}
