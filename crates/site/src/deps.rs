//! What each page is made from, summed up as one hash, so `serve` renders again only the pages
//! an edit reaches, without even making the others' contexts. Every key covers the templates,
//! site.yaml, the as-of date and the build options; each page adds the files its context
//! reads. `tests/incremental.rs` checks after every kind of edit that a site rendered through
//! these keys equals a fresh build, so a missing input shows up as a failing test.

use std::hash::Hash;

use rayon::prelude::*;

use super::views::Related;
use oversight_model::{Organisation, Page, Register};
use oversight_syntax::hash::{self, Map};
use oversight_syntax::source::{FileId, Sources};

pub struct Inputs<'a> {
    register: &'a Register,
    sources: &'a Sources,
    global: u64,
    /// Organisations, support packages, undertakings and meetings: what listings, the
    /// timeline and generated blocks are computed from.
    pub records: u64,
    /// Board papers, and the details files of PDF papers: their titles appear on meeting
    /// pages.
    pub papers: u64,
    /// What each organisation's page lists from other records ([`Related::index`]).
    related: &'a Map<&'a str, Related<'a>>,
    /// [`Inputs::page`] of each published page.
    pages: Vec<(u64, u64)>,
}

impl<'a> Inputs<'a> {
    /// `global` is whatever every page depends on besides the records: templates, options.
    pub fn new(
        register: &'a Register,
        sources: &'a Sources,
        pages: &[&'a Page],
        related: &'a Map<&'a str, Related<'a>>,
        global: impl Hash,
    ) -> Inputs<'a> {
        let file = |f: FileId| sources.get(f).hash;
        let records = hash::of(&(
            hash::all(register.organisations.iter().map(|o| file(o.file))),
            hash::all(register.support.iter().map(|s| file(s.file))),
            hash::all(register.undertakings.iter().map(|u| file(u.file))),
            hash::all(register.meetings.iter().map(|m| file(m.file))),
        ));
        let papers = hash::of(&(
            hash::all(register.papers.iter().map(|p| file(p.file))),
            hash::all(register.paper_details.iter().map(|d| file(d.file))),
        ));
        let mut inputs = Inputs {
            register,
            sources,
            global: hash::of(&(global, file(register.site.file))),
            records,
            papers,
            related,
            pages: Vec::new(),
        };
        // Pages are most of a large site: these are worked out once each, in parallel.
        inputs.pages = pages.par_iter().map(|p| (p.head, inputs.organisation(p.organisation.as_deref()))).collect();
        inputs
    }

    /// For the `i`th of the published pages: what listings show of it ([`Page::head`]), and
    /// its organisation's file.
    pub fn page(&self, i: usize) -> (u64, u64) {
        self.pages[i]
    }

    /// The key of a page made from `parts` (hashes of its inputs, and what else it depends on).
    pub fn key(&self, parts: impl Hash) -> u64 {
        hash::of(&(self.global, parts))
    }

    pub fn file(&self, file: FileId) -> u64 {
        self.sources.get(file).hash
    }

    /// Everything an organisation's page reads besides its own file: its system, its members,
    /// its support packages and undertakings, and what listings show of pages about it.
    pub fn related(&self, org: &Organisation) -> u64 {
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
    pub fn organisation(&self, id: Option<&str>) -> u64 {
        id.and_then(|id| self.register.organisation(id)).map_or(0, |o| self.file(o.file))
    }
}
