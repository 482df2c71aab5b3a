//! The front half of every command: load the site, resolve its rule levels and as-of date,
//! and check the register. Build, papers and serve all start here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use oversight_model::LoadError;
use oversight_model::Register;
use oversight_model::format::{INVALID_VALUE, UNREADABLE_FILE};
use oversight_model::kinds::RecordKind;
use oversight_model::{Changed, LoadedSite, Reach, Texts};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{self, Diagnostic, Level};
use oversight_syntax::source::{Sources, Span};
use oversight_syntax::suggest::closest;

use crate::blocks::{self, Blocks};
use crate::integrity::LinkChecks;
use crate::integrity::MISSING_SITE_FILE;
use crate::{CATALOGUE, Levels};
use oversight_model::config::{PUBLISHED_FOLDERS, SiteFile, symbolic_link_in};

/// A loaded and checked site. The text and records are shared with the [`LoadedSite`] they
/// came from, so `serve` can keep both without copying.
#[derive(Debug, Clone)]
pub struct Checked {
    pub sources: Arc<Sources>,
    pub register: Arc<Register>,
    /// Every problem found, sorted, re-levelled by site.yaml's `rules:`.
    pub diagnostics: Vec<Diagnostic>,
    /// The date the register was checked at.
    pub as_of: Date,
    /// The generated blocks of every page and paper, read and checked: what rendering expands.
    pub blocks: Arc<Blocks>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Warning)
    }
}

/// A site kept loaded between edits, with the checks that need not run again in full after
/// each one: `serve` keeps one, and a one-off check uses one once.
#[derive(Debug)]
pub struct Workspace {
    pub loaded: LoadedSite,
    links: LinkChecks,
}

impl Workspace {
    /// Loads every file of the site in `site` (the folder holding `content/`), and the
    /// private folder's papers with [`Reach::WithPrivate`].
    pub fn load(site: &Path, reach: Reach) -> Result<Workspace, LoadError> {
        Workspace::load_with(site, reach, Texts::Kept)
    }

    /// [`Workspace::load`], keeping the pages' text or (a one-shot check) releasing it.
    pub fn load_with(site: &Path, reach: Reach, texts: Texts) -> Result<Workspace, LoadError> {
        let loaded = LoadedSite::load_with(site, reach, texts)?;
        let links = LinkChecks::new(&loaded.register);
        Ok(Workspace { loaded, links })
    }

    /// Takes in changes to these paths (see [`LoadedSite::update`]).
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Changed, LoadError> {
        let change = self.loaded.update(changed)?;
        self.links.update(&self.loaded.register, &change);
        Ok(change)
    }

    /// Puts an editor's unsaved text in front of the file at `path`, or with `None` goes back
    /// to the disk (see [`LoadedSite::set_overlay`]).
    pub fn set_overlay(&mut self, path: &Path, text: Option<String>) -> Result<Changed, LoadError> {
        let change = self.loaded.set_overlay(path, text)?;
        self.links.update(&self.loaded.register, &change);
        Ok(change)
    }

    /// Checks the site (see [`check_site`] for the as-of date).
    pub fn check(&self, as_of: Option<Date>, today: Date) -> Checked {
        let (register, sources) = (&self.loaded.register, &self.loaded.sources);
        let mut diagnostics = self.loaded.diagnostics();
        diagnostics.extend(self.links.diagnostics());
        // Facts after site.yaml's as-of date (else today) are in the future; `--as-of` only
        // chooses the date the register is viewed at.
        let horizon = register.site.as_of.unwrap_or(today);
        let as_of = as_of.unwrap_or(horizon);
        let levels = resolve_levels(register, &mut diagnostics);
        check_site_config(register, self.loaded.site_dir(), &mut diagnostics);
        // With site.yaml unreadable, the as-of date and rule levels are unknown: checking the
        // records against defaults would report what is not wrong. Its problem comes first.
        let rules = !register.is_unreadable(RecordKind::Site, "site");
        // The pictures, the rules and the blocks side by side; their findings in this order.
        let (images, checked) = rayon::join(
            || {
                let mut found = crate::integrity::broken_images(register, &self.loaded.site_dir().join("content"));
                found.extend(crate::publication::private_papers_published(register, as_of, self.loaded.site_dir()));
                found
            },
            || {
                rules.then(|| {
                    rayon::join(
                        || crate::run_rules(register, sources, as_of, horizon),
                        || blocks::check_blocks(register, sources, as_of),
                    )
                })
            },
        );
        let (found, (blocks, problems)) = checked.unwrap_or_default();
        diagnostics.extend(images);
        diagnostics.extend(found);
        diagnostics.extend(problems);
        levels.apply(&mut diagnostics);
        diagnostics::sort(&mut diagnostics, sources);
        Checked {
            sources: Arc::clone(sources),
            register: Arc::clone(register),
            diagnostics,
            as_of,
            blocks: Arc::new(blocks),
        }
    }
}

/// Loads and checks the site in `site`, without the private folder (as `build` does). The
/// as-of date is `as_of` if given, else site.yaml's, else `today` (passed in so nothing below
/// reads the clock).
pub fn check_site(site: &Path, as_of: Option<Date>, today: Date) -> Result<Checked, LoadError> {
    check_site_reaching(site, as_of, today, Reach::Public)
}

/// [`check_site`], reading the private folder's papers too with [`Reach::WithPrivate`].
///
/// A one-shot check: pages' text is released once taken in ([`Texts::Released`]), so what is
/// rendered from the result reads each page back from disk, and a page changed since is an
/// error there rather than a page that was not checked.
pub fn check_site_reaching(site: &Path, as_of: Option<Date>, today: Date, reach: Reach) -> Result<Checked, LoadError> {
    Ok(Workspace::load_with(site, reach, Texts::Released)?.check(as_of, today))
}

/// The site.yaml values that become paths, URLs and addresses: a theme is a folder name, the
/// base URL must be one a site can live at, the logo and favicon are pictures in the site
/// folder (`site_dir`), the contact email an address and the licence's link a web page.
fn check_site_config(register: &Register, site_dir: &Path, diagnostics: &mut Vec<Diagnostic>) {
    let site = &register.site;
    let at = |key: &str| register.value_span(site.file, key);
    if let Some(theme) = &site.theme
        && !oversight_model::is_slug(theme)
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("theme"), format!("`{theme}` is not a theme name"))
                .with_help("a theme is a folder in themes/ named in lower-case letters, digits and hyphens"),
        );
    }
    if let Some(base) = &site.base_url
        && let Err(problem) = oversight_model::urls::Urls::new(base)
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("base_url"), problem)
                .with_help("write the absolute URL the site is published at, e.g. https://example.nhs.uk/rsp/"),
        );
    }
    for kind in SiteFile::ALL {
        let Some(path) = kind.value(site) else { continue };
        let key = kind.key();
        match kind.checked(path) {
            Err(problem) => diagnostics.push(INVALID_VALUE.at(at(key), problem).with_help(format!(
                "give the path from the site folder (the one holding content/), e.g. `static/{key}.svg`; a {key} may be {}",
                kind.extensions().join(", ")
            ))),
            Ok(_) if !site_dir.join(path.trim()).is_file() => {
                let what = if site_dir.join(path.trim()).is_dir() { "is a folder, not a file" } else { "does not exist" };
                diagnostics.push(
                    MISSING_SITE_FILE
                        .at(at(key), format!("the {key} `{path}` {what}"))
                        .with_help(format!("put the picture at {} in the site folder (beside content/), or correct the path", path.trim())),
                );
            }
            Ok(_) => {}
        }
    }
    for (link, key) in published_links(site_dir, site) {
        let shown = link.display().to_string().replace('\\', "/");
        diagnostics.push(
            UNREADABLE_FILE
                .at(at(key), format!("{shown} is a symbolic link, which a build does not follow"))
                .with_help("put the file itself in the site folder in place of the link: the website publishes only files inside the site folder"),
        );
    }
    if let Some(email) = &site.contact_email
        && !is_email(email)
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("contact_email"), format!("`{email}` is not an email address"))
                .with_help("write one address, e.g. rsp.register@example.nhs.uk (the pages add the mailto: link)"),
        );
    }
    if let Some(url) = site.licence.as_ref().and_then(|l| l.url.as_deref())
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("licence.url"), format!("`{url}` is not a web address"))
                .with_help("give the address of the licence's text, starting https://"),
        );
    }
}

/// Every symbolic link in the folders a build publishes from ([`PUBLISHED_FOLDERS`]) or on the
/// path of a picture site.yaml names, as a path from the site folder, with the site.yaml key
/// to report it at: the picture's, else `theme` for a theme's files.
fn published_links(site_dir: &Path, site: &oversight_model::config::SiteConfig) -> Vec<(PathBuf, &'static str)> {
    let mut links: Vec<(PathBuf, &'static str)> = Vec::new();
    for kind in SiteFile::ALL {
        if let Some(path) = kind.value(site)
            && let Some(link) = symbolic_link_in(site_dir, Path::new(path.trim()))
        {
            links.push((link, kind.key()));
        }
    }
    for folder in PUBLISHED_FOLDERS {
        let key = if folder == "themes" { "theme" } else { "" };
        let mut pending = vec![PathBuf::from(folder)];
        while let Some(relative) = pending.pop() {
            if let Some(link) = symbolic_link_in(site_dir, &relative) {
                if !links.iter().any(|(l, _)| *l == link) {
                    links.push((link, key));
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(site_dir.join(&relative)) else { continue };
            let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.file_name()).collect();
            names.sort();
            pending.extend(names.into_iter().rev().map(|name| relative.join(name)));
        }
    }
    links
}

/// One plain address: a local part, `@`, and a domain with a dot; no spaces, brackets or
/// quotes that would need escaping in a `mailto:` link.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "._%+-'".contains(c));
    plain(local) && plain(domain) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

/// Reads `rules:` from site.yaml, reporting keys that name no rule or a fixed one.
fn resolve_levels(register: &Register, diagnostics: &mut Vec<Diagnostic>) -> Levels {
    let site = &register.site;
    let map = register.maps.get(&site.file);
    let key_span = |key: &str| {
        map.and_then(|m| m.get(&format!("rules.{key}")))
            .and_then(|e| e.key)
            .map_or(Span::file_start(site.file), |(s, e)| Span::new(site.file, s, e))
    };
    let mut settings = Vec::new();
    for (key, setting) in &site.rules {
        match crate::find(key) {
            Some(rule) if !rule.code.configurable => diagnostics.push(
                INVALID_VALUE
                    .at(key_span(key), format!("rule {} ({}) cannot be re-levelled", rule.code.code, rule.code.name))
                    .with_help("record-format errors always stop a check: fix the record instead"),
            ),
            Some(rule) => settings.push((rule, *setting)),
            None => {
                let help = match closest(key, CATALOGUE.iter().flat_map(|r| [r.code.code, r.code.name])) {
                    Some(n) => format!("did you mean `{n}`? (`oversight rules` lists them all)"),
                    None => "`oversight rules` lists every rule code and name".to_string(),
                };
                diagnostics.push(
                    INVALID_VALUE.at(key_span(key), format!("`{key}` is not a rule code or name")).with_help(help),
                );
            }
        }
    }
    Levels::new(settings)
}

#[cfg(test)]
mod tests {
    use super::is_email;

    #[test]
    fn contact_emails_are_one_plain_address() {
        for good in ["rsp.register@example.nhs.uk", "o'neill+rsp@example.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in ["", "no-at.example.org", "a@b", "a@@b.org", "two@a.org, three@b.org", "Name <a@b.org>", "a@.org"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
