//! The pages every UK public-sector website publishes, built in: an accessibility statement in
//! the form of the GOV.UK model statement, privacy and cookies, and contact; and what the
//! header and footer of every page need from site.yaml (logo, favicon, licence).
//!
//! Each built-in page lives at `pages/<id>/`, where a site's own Markdown page of that id
//! (`content/pages/contact.md`) would be: a site's page wins and the built-in one is not made,
//! as a content file replaces a theme's page in Zola or Hugo. Their templates
//! (`accessibility.html`, `privacy.html`, `contact.html`) can be replaced like any other.
//!
//! The statement is filled from site.yaml (`accessibility:`, `contact_email`, `publisher`) and
//! from what this program knows about its own pages: the standard its templates target and
//! the checks they pass, whether the site publishes PDFs, and which papers written elsewhere
//! it publishes untagged.

use serde::Serialize;

use crate::views::DateView;
use oversight_model::Register;
use oversight_model::config::{Compliance, Enforcement, SiteConfig, SiteFile};
use oversight_model::urls::Urls;

/// A built-in page: its id under `pages/`, its title and its template.
pub(crate) struct Statutory {
    pub id: &'static str,
    pub title: &'static str,
    pub template: &'static str,
}

pub(crate) const ACCESSIBILITY: Statutory =
    Statutory { id: "accessibility-statement", title: "Accessibility statement", template: "accessibility.html" };
pub(crate) const PRIVACY: Statutory =
    Statutory { id: "privacy", title: "Privacy and cookies", template: "privacy.html" };
pub(crate) const CONTACT: Statutory = Statutory { id: "contact", title: "Contact", template: "contact.html" };

/// In the order the footer links them.
pub(crate) const PAGES: [Statutory; 3] = [ACCESSIBILITY, PRIVACY, CONTACT];

impl Statutory {
    /// Where it is, relative to the site root: `pages/contact/`.
    pub(crate) fn path(&self) -> String {
        format!("pages/{}/", self.id)
    }
}

/// The standard the built-in templates are made to meet, as the statement names it.
pub(crate) const STANDARD: &str = "Web Content Accessibility Guidelines version 2.2 AA standard";

/// The screen widths, in CSS pixels, at which the templates' tests (tests/a11y/run.mjs) run
/// axe on every page, and the narrowest, at which they check nothing scrolls sideways.
/// tests/site.rs checks these against run.mjs, so the statement says what the tests do.
pub const TESTED_WIDTHS: [u32; 2] = [390, 1280];
pub const REFLOW_WIDTH: u32 = 320;

/// The Open Government Licence v3.0, the footer's licence unless site.yaml names another.
const OGL: (&str, &str) =
    ("Open Government Licence v3.0", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/");

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenceView {
    pub name: String,
    pub url: Option<String>,
    /// The Open Government Licence: the footer says so in the words GOV.UK uses.
    pub ogl: bool,
}

pub(crate) fn licence(site: &SiteConfig) -> LicenceView {
    match &site.licence {
        Some(l) => LicenceView { name: l.name.clone(), url: l.url.clone(), ogl: false },
        None => LicenceView { name: OGL.0.into(), url: Some(OGL.1.into()), ogl: true },
    }
}

/// A picture from site.yaml as the website has it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PictureView {
    pub url: String,
    /// Its media type, for `<link rel="icon" type>`.
    pub mime: &'static str,
}

/// The pictures site.yaml names whose files could be read, with their bytes: the build copies
/// them into `assets/`. A path that is unsafe, goes through a symbolic link or names no file is
/// left out (the check has reported it as OVS003, OVS005 or OVS506).
pub(crate) fn pictures(site_dir: &std::path::Path, site: &SiteConfig) -> Vec<(SiteFile, String, Vec<u8>)> {
    SiteFile::ALL
        .into_iter()
        .filter(|kind| kind.on_website())
        .filter_map(|kind| {
            let path = kind.value(site)?;
            let ext = kind.checked(path).ok()?;
            if oversight_model::config::symbolic_link_in(site_dir, std::path::Path::new(path.trim())).is_some() {
                return None;
            }
            let bytes = std::fs::read(site_dir.join(path.trim())).ok()?;
            Some((kind, kind.output_path(&ext), bytes))
        })
        .collect()
}

pub(crate) fn picture_view(urls: &Urls, output_path: &str) -> PictureView {
    let mime = match output_path.rsplit('.').next().unwrap_or_default() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => "image/jpeg",
    };
    PictureView { url: urls.path(output_path), mime }
}

/// A page's description for search engines and link previews when site.yaml gives none.
pub(crate) fn default_description(site: &SiteConfig, publisher: &str) -> String {
    format!(
        "{}: the NHS oversight framework segments of NHS organisations and their entry to and exit from the Recovery Support Programme, published by {publisher}.",
        site.title.trim_end_matches('.')
    )
}

/// What the accessibility statement says.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatementView {
    /// The address the statement applies to, when the base URL has a host.
    pub site_url: Option<String>,
    /// `full`, `partial` or `not`.
    pub status: &'static str,
    pub standard: &'static str,
    /// Content that does not meet the standard: the site's own list, then what this program
    /// knows of its own output.
    pub issues: Vec<String>,
    pub out_of_scope: Vec<String>,
    pub prepared: DateView,
    pub reviewed: Option<DateView>,
    pub tested: Option<DateView>,
    pub tested_by: Option<String>,
    pub response_days: Option<u32>,
    /// `ehrc` or `ecni`.
    pub enforcement: &'static str,
    /// The widths the templates are tested at, as the statement words them: "390 and 1280".
    pub tested_widths: String,
    pub reflow_width: u32,
}

/// The statement for `register`'s site, published at `urls`, as at `as_of`. `pdfs`: the
/// website publishes board papers and packs as PDF (those of `register`, which is the register
/// the website shows).
pub(crate) fn statement(
    register: &Register,
    urls: &Urls,
    as_of: oversight_syntax::date::Date,
    pdfs: bool,
) -> StatementView {
    let site = &register.site;
    let a = &site.accessibility;
    let mut issues: Vec<String> = a.issues.clone();
    if pdfs {
        issues.push(
            "Board papers and packs are also published as PDF documents. Those this website makes are written to the PDF/UA-1 standard for accessible PDF and the PDF/A-2a standard for archiving, tagged for screen readers with headings, bookmarks, a reading order, table headers and a description for every chart; the program that writes them checks both standards' requirements as it does, and every change to it is tested with an independent checker of the machine-checkable part of PDF/UA-1. They have not been tested with assistive technology, so some may not work well with it. Every paper written here is also published as a web page with the same content: use that instead, or ask us for another format.".into(),
        );
        // Papers written elsewhere are published as they were given: an untagged one is a
        // picture of text to a screen reader, in its own PDF and in every pack that holds it.
        for paper in register.untagged_papers() {
            let packs: Vec<String> = register
                .meetings
                .iter()
                .filter(|m| m.agenda.iter().any(|item| item.presents(&paper.id)))
                .map(|m| format!("{}, {} ({})", m.title, m.date.display_long(), urls.path(&Urls::pack_pdf(&m.id))))
                .collect();
            let in_packs = match packs.as_slice() {
                [] => String::new(),
                [one] => format!(", nor are its pages in the pack for {one}"),
                many => format!(", nor are its pages in the packs for {}", many.join("; ")),
            };
            issues.push(format!(
                "The paper \u{201c}{}\u{201d} ({}) was written elsewhere and is published as it was given: it is a PDF without tags, so screen readers cannot follow its headings, lists or tables{in_packs}. Packs that hold it do not claim the PDF/UA-1 standard. Ask us for it in another format.",
                paper.title,
                urls.path(&Urls::paper_pdf(&paper.id)),
            ));
        }
    }
    let status = match a.status {
        Some(Compliance::Full) => "full",
        Some(Compliance::Partial) => "partial",
        Some(Compliance::Not) => "not",
        None if issues.is_empty() => "full",
        None => "partial",
    };
    StatementView {
        site_url: Some(urls.absolute("")).filter(|u| u.starts_with("http")),
        status,
        standard: STANDARD,
        issues,
        out_of_scope: a.out_of_scope.clone(),
        prepared: a.prepared.unwrap_or(as_of).into(),
        reviewed: a.reviewed.map(Into::into),
        tested: a.tested.map(Into::into),
        tested_by: a.tested_by.clone(),
        response_days: a.response_days.map(std::num::NonZeroU32::get),
        enforcement: match a.enforcement {
            Enforcement::Ehrc => "ehrc",
            Enforcement::Ecni => "ecni",
        },
        tested_widths: format!("{} and {}", TESTED_WIDTHS[0], TESTED_WIDTHS[1]),
        reflow_width: REFLOW_WIDTH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oversight_model::config::AccessibilitySettings;
    use oversight_syntax::date::Date;

    fn site(accessibility: AccessibilitySettings) -> SiteConfig {
        SiteConfig { title: "Register".into(), accessibility, ..Default::default() }
    }

    fn register(accessibility: AccessibilitySettings) -> Register {
        let mut register = Register::default();
        register.site = site(accessibility);
        register
    }

    #[test]
    fn the_status_follows_what_is_listed_unless_site_yaml_says() {
        let urls = Urls::new("https://example.nhs.uk/rsp/").unwrap();
        let day = Date::constant(2026, 9, 30);
        let clean = statement(&register(AccessibilitySettings::default()), &urls, day, false);
        assert_eq!((clean.status, clean.issues.len()), ("full", 0));
        assert_eq!(clean.site_url.as_deref(), Some("https://example.nhs.uk/rsp/"));
        let local = Urls::new("/").unwrap();
        assert_eq!(statement(&register(AccessibilitySettings::default()), &local, day, false).site_url, None);
        assert_eq!(clean.prepared.text, "30 September 2026", "prepared defaults to the as-of date");
        // Publishing PDFs that no independent checker has tested makes the site partly compliant.
        let with_pdfs = statement(&register(AccessibilitySettings::default()), &urls, day, true);
        assert_eq!((with_pdfs.status, with_pdfs.issues.len()), ("partial", 1));
        let said = AccessibilitySettings { status: Some(Compliance::Not), ..Default::default() };
        assert_eq!(statement(&register(said), &urls, day, false).status, "not");
    }

    #[test]
    fn the_footer_licence_is_the_ogl_unless_site_yaml_names_another() {
        let ogl = licence(&site(AccessibilitySettings::default()));
        assert!(ogl.ogl && ogl.name == "Open Government Licence v3.0");
        let mut other = site(AccessibilitySettings::default());
        other.licence = Some(oversight_model::config::Licence { name: "CC BY 4.0".into(), url: None });
        let view = licence(&other);
        assert!(!view.ogl && view.name == "CC BY 4.0" && view.url.is_none());
    }
}
