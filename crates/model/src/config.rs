//! `content/site.yaml`: the site's configuration.

use std::collections::BTreeMap;

use serde::Deserialize;

use oversight_syntax::date::Date;
use oversight_syntax::source::FileId;

/// What `rules:` may set a rule to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    Error,
    Warning,
    Note,
    /// Silences the rule.
    Allow,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    #[serde(skip)]
    pub file: FileId,
    #[serde(deserialize_with = "crate::required_text")]
    pub title: String,
    /// Shown in footers and on papers.
    pub publisher: Option<String>,
    /// Absolute URL the site is published at; may include a sub-path.
    pub base_url: Option<String>,
    /// The date counts, "current" status and the timeline are computed at. Default: today.
    pub as_of: Option<Date>,
    pub theme: Option<String>,
    pub language: Option<String>,
    /// One or two sentences about the register, for the home page and feeds.
    pub description: Option<String>,
    /// How many updates each page of the Updates listing shows (default 50): the first page
    /// is `pages/`, the next `pages/page/2/` and so on.
    pub paginate_by: Option<std::num::NonZeroUsize>,
    /// Rule code or name → level.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
}
