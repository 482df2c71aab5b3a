//! `content/site.yaml`: the site's configuration.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use oversight_syntax::date::Date;
use oversight_syntax::source::FileId;

/// What `rules:` may set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Error,
    Warning,
    Note,
    /// Silences the rule.
    Allow,
}

/// `content/site.yaml`: the register's title and the settings for the whole register.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    #[serde(skip)]
    pub file: FileId,
    /// The register's name, shown at the top of every page.
    #[serde(deserialize_with = "crate::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub title: String,
    /// Who publishes the register; shown in footers, feeds and as the author of papers.
    /// Default: the `title`.
    pub publisher: Option<String>,
    /// Where the website is published: an absolute address (`https://example.nhs.uk/rsp/`,
    /// which may include a sub-path) or a path starting `/`. Default: `/`.
    pub base_url: Option<String>,
    /// The date counts, "current" status and the timeline are computed at. Default: today.
    pub as_of: Option<Date>,
    /// Files in `themes/<theme>/` replace the built-in theme's. Default: `nhs`.
    pub theme: Option<String>,
    /// The language of the pages and feeds, as a language tag. Default: `en-GB`.
    pub language: Option<String>,
    /// One or two sentences about the register, for the home page and feeds.
    pub description: Option<String>,
    /// How many updates each page of the Updates listing shows (default 50): the first page
    /// is `pages/`, the next `pages/page/2/` and so on.
    pub paginate_by: Option<std::num::NonZeroUsize>,
    /// A picture shown in the header beside the title: a path from the site folder (the one
    /// holding `content/`), e.g. `static/logo.svg`. Copied to `assets/`.
    pub logo: Option<String>,
    /// The icon browsers show in tabs and bookmarks: a path from the site folder, e.g.
    /// `static/favicon.svg`. Copied to `assets/`.
    pub favicon: Option<String>,
    /// The board's logo on the front page of every pack: a path from the site folder to an
    /// SVG, PNG or JPEG file, e.g. `static/board-logo.svg`. Not on the website.
    pub pack_logo: Option<String>,
    /// Where readers write to: the contact page and the accessibility statement give it.
    pub contact_email: Option<String>,
    /// The licence the content is published under. Default: the Open Government Licence v3.0.
    pub licence: Option<Licence>,
    /// What the accessibility statement says beyond what the tool knows about itself.
    #[serde(default)]
    pub accessibility: AccessibilitySettings,
    /// Re-levels rules: a rule's code (`OVS210`) or name (`no-improvement-director`), then
    /// `error`, `warning`, `note` or `allow` (off).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// The thresholds of rules whose framework source gives no figure: settings of this tool,
    /// with the defaults docs/rules.md gives.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Whether the public website and the public pack name the private (Part II) items in
    /// the resolution to exclude the public, beside their reasons. Default: `false`, the
    /// reasons only.
    #[serde(default)]
    pub publish_private_item_titles: bool,
    /// Where the Part II (private) papers are kept: a path from the site folder to a folder
    /// outside the repository the website is published from, e.g. `../board-private`. It holds
    /// a `papers/` folder laid out as `content/papers/`. `check`, `papers` and `minutes` read
    /// it; `build` and `serve` never do (unless `--publish-private`).
    pub private: Option<String>,
}

/// `thresholds:` in site.yaml. The framework says exit criteria are agreed after entry and
/// that the programme is time-limited, but names no number of months for either: these are
/// the tool's settings, not framework facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Months an open episode may run with no exit criteria recorded before OVS208 warns. Default: 6.
    #[serde(default = "Thresholds::default_exit_criteria_months")]
    pub exit_criteria_months: std::num::NonZeroU32,
    /// Months an open episode may run before OVS210 warns. Default: 36.
    #[serde(default = "Thresholds::default_episode_months")]
    pub episode_months: std::num::NonZeroU32,
    /// Months a declaration of interests stands before it is flagged as not renewed (OVS605,
    /// and the register extract). Default: 12, the yearly declaration NHS England's conflicts
    /// of interest guidance asks for.
    #[serde(default = "Thresholds::default_interests_renewal_months")]
    pub interests_renewal_months: std::num::NonZeroU32,
    /// Clear days before a meeting by which its public papers must be ready (OVS610).
    /// Default: 3, the notice the Public Bodies (Admission to Meetings) Act 1960 s1(4)(a)
    /// requires for the meeting itself.
    #[serde(default = "Thresholds::default_notice_clear_days")]
    pub notice_clear_days: u32,
    /// Months after a meeting by which its approved minutes must be published (OVS611).
    /// Default: 3, a setting: no source names a period.
    #[serde(default = "Thresholds::default_minutes_months")]
    pub minutes_months: std::num::NonZeroU32,
}

impl Thresholds {
    fn default_exit_criteria_months() -> std::num::NonZeroU32 {
        std::num::NonZeroU32::new(6).unwrap_or(std::num::NonZeroU32::MIN)
    }

    fn default_episode_months() -> std::num::NonZeroU32 {
        std::num::NonZeroU32::new(36).unwrap_or(std::num::NonZeroU32::MIN)
    }

    fn default_interests_renewal_months() -> std::num::NonZeroU32 {
        std::num::NonZeroU32::new(12).unwrap_or(std::num::NonZeroU32::MIN)
    }

    fn default_notice_clear_days() -> u32 {
        3
    }

    fn default_minutes_months() -> std::num::NonZeroU32 {
        std::num::NonZeroU32::new(3).unwrap_or(std::num::NonZeroU32::MIN)
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            exit_criteria_months: Self::default_exit_criteria_months(),
            episode_months: Self::default_episode_months(),
            interests_renewal_months: Self::default_interests_renewal_months(),
            notice_clear_days: Self::default_notice_clear_days(),
            minutes_months: Self::default_minutes_months(),
        }
    }
}

/// Another licence than the Open Government Licence, named in the footer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// As the footer names it: "Creative Commons Attribution 4.0 International".
    #[serde(deserialize_with = "crate::required_text")]
    #[schemars(regex(pattern = r"\S"))]
    pub name: String,
    /// Where its text is; the footer links the name to it.
    pub url: Option<String>,
}

/// How far the website meets WCAG 2.2 AA, in the words of the GOV.UK model statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compliance {
    /// Fully compliant.
    Full,
    /// Partially compliant, for the reasons listed.
    Partial,
    /// Not compliant.
    Not,
}

/// Which body enforces the accessibility regulations where the publisher is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// England, Scotland and Wales: the Equality and Human Rights Commission.
    #[default]
    Ehrc,
    /// Northern Ireland: the Equality Commission for Northern Ireland.
    Ecni,
}

/// `accessibility:` in site.yaml: the publisher's part of the accessibility statement.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessibilitySettings {
    /// Default: `partial` if any content is listed as not accessible, else `full`.
    pub status: Option<Compliance>,
    /// Content known not to meet the standard, one item each, with what to do instead.
    #[serde(default)]
    pub issues: Vec<String>,
    /// Content the regulations do not cover (for example PDFs published before 23 September
    /// 2018), one item each.
    #[serde(default)]
    pub out_of_scope: Vec<String>,
    /// The day the statement was prepared. Default: the register's as-of date.
    pub prepared: Option<Date>,
    /// The day it was last reviewed.
    pub reviewed: Option<Date>,
    /// The day the website was last tested by the publisher, and by whom.
    pub tested: Option<Date>,
    /// Who tested it then (the publisher's own team, or an auditor).
    pub tested_by: Option<String>,
    /// How many days the publisher takes to answer a request for another format.
    pub response_days: Option<std::num::NonZeroU32>,
    /// Which body enforces the regulations: `ehrc` (default) or `ecni`.
    #[serde(default)]
    pub enforcement: Enforcement,
}

/// The folders beside `content/` whose files a build publishes as they are: pictures that
/// site.yaml names (conventionally in `static/`) and a theme's style sheet and script.
pub const PUBLISHED_FOLDERS: [&str; 2] = ["static", "themes"];

/// The first part of `relative` (a path from the site folder) that is a symbolic link, as a
/// path from the site folder. A build publishes only files inside the site folder: a link
/// could point anywhere (a home folder, `/etc`), so one is never followed, as in `content/`.
pub fn symbolic_link_in(site_dir: &std::path::Path, relative: &std::path::Path) -> Option<std::path::PathBuf> {
    let mut part = std::path::PathBuf::new();
    for component in relative.components() {
        part.push(component);
        if std::fs::symlink_metadata(site_dir.join(&part)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(part);
        }
    }
    None
}

/// A picture that site.yaml names by its path from the site folder, copied into the website.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteFile {
    Logo,
    Favicon,
    /// On the front page of packs, not on the website.
    PackLogo,
}

impl SiteFile {
    pub const ALL: [SiteFile; 3] = [SiteFile::Logo, SiteFile::Favicon, SiteFile::PackLogo];

    /// Its key in site.yaml.
    pub fn key(self) -> &'static str {
        match self {
            SiteFile::Logo => "logo",
            SiteFile::Favicon => "favicon",
            SiteFile::PackLogo => "pack_logo",
        }
    }

    /// The path site.yaml gives, if any.
    pub fn value(self, site: &SiteConfig) -> Option<&str> {
        match self {
            SiteFile::Logo => site.logo.as_deref(),
            SiteFile::Favicon => site.favicon.as_deref(),
            SiteFile::PackLogo => site.pack_logo.as_deref(),
        }
    }

    /// Whether the website shows it (and so copies it to `assets/`).
    pub fn on_website(self) -> bool {
        self != SiteFile::PackLogo
    }

    /// The kinds of picture browsers (or, for the pack's logo, PDFs) show in that place, by
    /// file extension.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            SiteFile::Logo => &["svg", "png", "jpg", "jpeg", "webp", "gif"],
            SiteFile::Favicon => &["svg", "png", "ico"],
            // What a PDF can hold as it is.
            SiteFile::PackLogo => &["svg", "png", "jpg", "jpeg"],
        }
    }

    /// The path's extension, lower case, if it is one of [`SiteFile::extensions`], and the path
    /// stays inside the site folder (relative, no `..`): what a build can copy. Otherwise what
    /// is wrong with it.
    pub fn checked(self, path: &str) -> Result<String, String> {
        let trimmed = path.trim();
        if trimmed.starts_with('/') || trimmed.starts_with('\\') || trimmed.contains(':') {
            return Err(format!("`{path}` is not a path from the site folder"));
        }
        if trimmed.split(['/', '\\']).any(|part| part == "..") {
            return Err(format!("`{path}` leaves the site folder"));
        }
        let ext = trimmed.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !self.extensions().contains(&ext.as_str()) || trimmed.ends_with('/') {
            return Err(format!("`{path}` is not a picture browsers show as a {}", self.key()));
        }
        Ok(ext)
    }

    /// Where the website has it, relative to the output folder: `assets/logo.svg`.
    pub fn output_path(self, ext: &str) -> String {
        format!("assets/{}.{ext}", self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::SiteFile;

    #[test]
    fn site_files_stay_in_the_site_folder_and_are_pictures() {
        assert_eq!(SiteFile::Logo.checked("static/logo.SVG").as_deref(), Ok("svg"));
        assert_eq!(SiteFile::Favicon.checked("favicon.ico").as_deref(), Ok("ico"));
        for bad in ["/etc/logo.svg", "../logo.svg", "static/../../x.png", "C:\\logo.png", "logo.pdf", "logo", "x.svg/"]
        {
            assert!(SiteFile::Logo.checked(bad).is_err(), "{bad}");
        }
        assert!(SiteFile::Favicon.checked("icon.jpg").is_err(), "browsers do not take a JPEG favicon everywhere");
        assert_eq!(SiteFile::Logo.output_path("png"), "assets/logo.png");
    }
}
