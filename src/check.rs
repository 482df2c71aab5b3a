//! The front half of every command: load the site, resolve its rule levels and as-of date,
//! and check the register. Build, papers and serve all start here.

use std::path::Path;
use std::sync::Arc;

use crate::date::Date;
use crate::diagnostics::{self, Diagnostic, Level};
use crate::framework::rules::integrity::closest;
use crate::framework::rules::{self, Levels, records::INVALID_VALUE};
use crate::markdown::blocks;
use crate::model::Register;
use crate::model::live::Live;
use crate::model::load::LoadError;
use crate::source::{Sources, Span};

/// A loaded and checked site. The text and records are shared with the [`Live`] load they
/// came from, so `serve` can keep both without copying.
#[derive(Debug, Clone)]
pub struct Checked {
    pub sources: Arc<Sources>,
    pub register: Arc<Register>,
    /// Every problem found, sorted, re-levelled by site.yaml's `rules:`.
    pub diagnostics: Vec<Diagnostic>,
    /// The date the register was checked at.
    pub as_of: Date,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    pub fn has_warnings(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Warning)
    }
}

/// Loads and checks the site in `site`. The as-of date is `as_of` if given, else site.yaml's,
/// else `today` (passed in so nothing below reads the clock).
pub fn check_site(site: &Path, as_of: Option<Date>, today: Date) -> Result<Checked, LoadError> {
    Ok(check(&Live::load(site)?, as_of, today))
}

/// Checks a loaded site (see [`check_site`] for the as-of date).
pub fn check(live: &Live, as_of: Option<Date>, today: Date) -> Checked {
    let (register, sources) = (&live.register, &live.sources);
    let mut diagnostics = live.diagnostics();
    let as_of = as_of.or(register.site.as_of).unwrap_or(today);
    let levels = resolve_levels(register, &mut diagnostics);
    check_site_config(register, &mut diagnostics);
    diagnostics.extend(rules::check(register, sources, as_of));
    diagnostics.extend(blocks::check(register, sources, as_of));
    levels.apply(&mut diagnostics);
    diagnostics::sort(&mut diagnostics, sources);
    Checked { sources: Arc::clone(sources), register: Arc::clone(register), diagnostics, as_of }
}

/// The site.yaml values that become paths and URLs: a theme is a folder name, and the base
/// URL must be one a site can live at.
fn check_site_config(register: &Register, diagnostics: &mut Vec<Diagnostic>) {
    let site = &register.site;
    let at = |key: &str| {
        register
            .maps
            .get(&site.file)
            .and_then(|m| m.get(key))
            .map_or(Span::file_start(site.file), |e| Span::new(site.file, e.value.0, e.value.1))
    };
    if let Some(theme) = &site.theme
        && !crate::model::is_slug(theme)
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("theme"), format!("`{theme}` is not a theme name"))
                .with_help("a theme is a folder in themes/ named in lower-case letters, digits and hyphens"),
        );
    }
    if let Some(base) = &site.base_url
        && let Err(problem) = crate::site::urls::Urls::new(base)
    {
        diagnostics.push(
            INVALID_VALUE
                .at(at("base_url"), problem)
                .with_help("write the absolute URL the site is published at, e.g. https://example.nhs.uk/rsp/"),
        );
    }
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
        match rules::find(key) {
            Some(rule) if !rule.configurable => diagnostics.push(
                INVALID_VALUE
                    .at(key_span(key), format!("rule {} ({}) cannot be re-levelled", rule.code, rule.name))
                    .with_help("record-format errors always stop a check: fix the record instead"),
            ),
            Some(rule) => settings.push((rule, *setting)),
            None => {
                let help = match closest(key, rules::CATALOGUE.iter().flat_map(|r| [r.code, r.name])) {
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
