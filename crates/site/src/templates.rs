//! The Tera templates: built into the binary from `templates/`, each overridable by a file of
//! the same name in the site's own `templates/` folder (as Zola and Hugo allow).

use std::path::Path;

use tera::Tera;

/// The built-in templates, by name.
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    ("macros.html", include_str!("../../../templates/macros.html")),
    ("head.html", include_str!("../../../templates/head.html")),
    ("header.html", include_str!("../../../templates/header.html")),
    ("footer.html", include_str!("../../../templates/footer.html")),
    ("home.html", include_str!("../../../templates/home.html")),
    ("organisations.html", include_str!("../../../templates/organisations.html")),
    ("organisation.html", include_str!("../../../templates/organisation.html")),
    ("support-index.html", include_str!("../../../templates/support-index.html")),
    ("support.html", include_str!("../../../templates/support.html")),
    ("undertakings-index.html", include_str!("../../../templates/undertakings-index.html")),
    ("undertaking.html", include_str!("../../../templates/undertaking.html")),
    ("pages-index.html", include_str!("../../../templates/pages-index.html")),
    ("page.html", include_str!("../../../templates/page.html")),
    ("meetings-index.html", include_str!("../../../templates/meetings-index.html")),
    ("meeting.html", include_str!("../../../templates/meeting.html")),
    ("paper.html", include_str!("../../../templates/paper.html")),
    ("timeline.html", include_str!("../../../templates/timeline.html")),
    ("search.html", include_str!("../../../templates/search.html")),
    ("accessibility.html", include_str!("../../../templates/accessibility.html")),
    ("privacy.html", include_str!("../../../templates/privacy.html")),
    ("contact.html", include_str!("../../../templates/contact.html")),
    ("404.html", include_str!("../../../templates/404.html")),
];

/// The text of every template: the built-in ones with the site's overrides.
pub(crate) struct Texts {
    /// (name, text, where it comes from, as error messages name it)
    list: Vec<(String, String, String)>,
    /// A hash of the names and texts: compiled templates can be reused while it is unchanged.
    pub hash: u64,
}

/// The templates rendered once for every page rather than with each ([`crate::pages::Partials`]).
pub(crate) const PARTIALS: [&str; 3] = ["head.html", "header.html", "footer.html"];

impl Texts {
    /// Whether the site has templates of its own besides [`PARTIALS`]: they may use `nav`,
    /// which no built-in template rendered with a page does (only `header.html`).
    pub(crate) fn site_has_page_templates(&self) -> bool {
        self.list.iter().any(|(name, _, origin)| origin.starts_with("templates/") && !PARTIALS.contains(&name.as_str()))
    }
}

/// Reads the built-in templates with the site's overrides from `site/templates/`.
pub(crate) fn read(site: &Path) -> Result<Texts, String> {
    let mut list: Vec<(String, String, String)> = BUILT_IN
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string(), format!("built-in template {name}")))
        .collect();
    let dir = site.join("templates");
    if dir.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "html" || x == "xml"))
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let origin = format!("templates/{name}");
            match list.iter_mut().find(|(n, ..)| *n == name) {
                Some(existing) => *existing = (name, text, origin),
                None => list.push((name, text, origin)),
            }
        }
    }
    let hash = oversight_syntax::hash::of(&list.iter().map(|(name, text, _)| (name, text)).collect::<Vec<_>>());
    Ok(Texts { list, hash })
}

/// Compiles the templates. An error names the template file and says what Tera found wrong,
/// with its line and column.
pub(crate) fn compile(texts: &Texts) -> Result<Tera, String> {
    let mut tera = Tera::default();
    // Escape what HTML needs escaped (& < > " '), and not `/`, which Tera's default also does.
    tera.set_escape_fn(oversight_syntax::escape::xml);
    let templates: Vec<(&str, &str)> = texts.list.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect();
    tera.add_raw_templates(templates).map_err(|err| {
        // Tera names the template it failed on; say which file that is.
        let text = chain(&err);
        let origin =
            texts.list.iter().find(|(name, ..)| text.contains(&format!("'{name}'"))).map(|(_, _, o)| o.as_str());
        match origin {
            Some(origin) => format!("{origin}: {text}"),
            None => text,
        }
    })?;
    Ok(tera)
}

/// Where the template called `name` comes from, as error messages name it.
pub(crate) fn origin(site: &Path, name: &str) -> String {
    if site.join("templates").join(name).is_file() {
        format!("templates/{name}")
    } else {
        format!("built-in template {name}")
    }
}

/// An error and its causes on one line each: Tera keeps the useful part (line, column,
/// variable name) in the causes.
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str("\n  ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
