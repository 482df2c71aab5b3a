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
    /// Re-levels rules: a rule's code (`OVS210`) or name (`no-improvement-director`), then
    /// `error`, `warning`, `note` or `allow` (off).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}
