//! The record kinds the website lists, with a page for each record: what each kind's listing
//! and pages show ([`Listed`]), and the one helper that makes their jobs ([`jobs`]). A new
//! kind with pages is an impl of [`Listed`] here, a line in [`jobs`], and its two templates.

use std::cmp::Ordering;
use std::sync::Arc;

use tera::Context;

use super::deps::Inputs;
use super::pages::{Job, Site};
use super::views;
use oversight_model::kinds::Record;
use oversight_model::links::Target;
use oversight_model::urls::Urls;
use oversight_model::{Body, SupportPackage, Undertaking};
use oversight_rules::blocks::Defaults;

/// How the website shows a record kind: a listing at the kind's URL, then a page per record.
pub(crate) trait Listed: Record {
    /// The listing's title, which the records' pages link back to.
    const LISTING: &'static str;
    const LISTING_TEMPLATE: &'static str;
    const TEMPLATE: &'static str;
    /// The listing's order.
    fn order(a: &Self, b: &Self) -> Ordering;
    /// The organisation the record is about, whose name its page and row show.
    fn organisation(&self) -> Option<&str>;
    /// What the listing's template reads besides the site's context.
    fn listing(site: &Site, records: &[&Self]) -> Context;
    /// The record's page: its title, and what its template reads besides the site's context.
    fn page(&self, site: &Site) -> (String, Context);
}

/// The listing and pages of every listed kind.
pub(crate) fn jobs<'a>(site: &'a Site<'a>, inputs: &Inputs) -> Vec<Job<'a>> {
    let mut jobs = kind_jobs::<SupportPackage>(site, inputs);
    jobs.extend(kind_jobs::<Undertaking>(site, inputs));
    jobs
}

/// The listing of kind `T`, then a page per record, in the listing's order.
fn kind_jobs<'a, T: Listed>(site: &'a Site<'a>, inputs: &Inputs) -> Vec<Job<'a>> {
    let listing = T::KIND.row().url.unwrap_or_default();
    let mut records: Vec<&T> = T::all(site.register).iter().collect();
    records.sort_by(|a, b| T::order(a, b));
    let records = Arc::new(records);
    let listed = Arc::clone(&records);
    let mut jobs = vec![Site::job(listing, T::LISTING_TEMPLATE, inputs.key(inputs.records), move || {
        let mut c = site.context(T::LISTING, listing, Some(listing), Vec::new());
        c.extend(T::listing(site, &listed));
        c
    })];
    for &record in records.iter() {
        let path = Urls::relative(&Target::Record(T::KIND, record.id().to_string()));
        let deps = inputs.key((inputs.file(record.file()), inputs.organisation(record.organisation())));
        jobs.push(Site::job(&path.clone(), T::TEMPLATE, deps, move || {
            let (title, extra) = record.page(site);
            let crumbs = vec![site.crumb(T::LISTING, listing)];
            let mut c = site.context(&title, &path, Some(listing), crumbs);
            c.extend(extra);
            c
        }));
    }
    jobs
}

impl Listed for SupportPackage {
    const LISTING: &'static str = "Support packages";
    const LISTING_TEMPLATE: &'static str = "support-index.html";
    const TEMPLATE: &'static str = "support.html";

    /// Newest first, then by id.
    fn order(a: &Self, b: &Self) -> Ordering {
        (b.start, &a.id).cmp(&(a.start, &b.id))
    }

    fn organisation(&self) -> Option<&str> {
        Some(&self.organisation)
    }

    fn listing(site: &Site, records: &[&Self]) -> Context {
        let mut c = Context::new();
        let rows: Vec<_> = records.iter().map(|s| views::support_row(s, site.register, site.urls)).collect();
        c.insert("packages", &rows);
        c
    }

    fn page(&self, site: &Site) -> (String, Context) {
        let mut c = Context::new();
        c.insert("package", &views::support_row(self, site.register, site.urls));
        let description = self.description.as_ref().map(|text| {
            let body = Body::new(text.clone(), 0);
            let defaults = Defaults { as_of: site.as_of, since: None };
            site.render_markdown(&body, "support".into(), &[], defaults, false)
        });
        c.insert("description", &description);
        (self.title.clone(), c)
    }
}

impl Listed for Undertaking {
    const LISTING: &'static str = "Enforcement undertakings";
    const LISTING_TEMPLATE: &'static str = "undertakings-index.html";
    const TEMPLATE: &'static str = "undertaking.html";

    /// Newest first, then by id.
    fn order(a: &Self, b: &Self) -> Ordering {
        (b.accepted, &a.id).cmp(&(a.accepted, &b.id))
    }

    fn organisation(&self) -> Option<&str> {
        Some(&self.organisation)
    }

    fn listing(site: &Site, records: &[&Self]) -> Context {
        let mut c = Context::new();
        let rows: Vec<_> =
            records.iter().map(|u| views::undertaking_row(u, site.register, site.urls, site.as_of)).collect();
        c.insert("undertakings", &rows);
        c
    }

    fn page(&self, site: &Site) -> (String, Context) {
        let view = views::undertaking_row(self, site.register, site.urls, site.as_of);
        let title = format!("Undertakings: {}, {}", view.organisation.text, view.accepted.text);
        let mut c = Context::new();
        c.insert("u", &view);
        (title, c)
    }
}
