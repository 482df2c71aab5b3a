//! What a build of the website makes, listed once ([`OUTPUTS`]) and made by one function
//! ([`make`]) from one [`RenderOptions`]. `oversight build` makes every output into the staged
//! folder; `serve` makes the same list in memory, the site at once and the rest in the
//! background after its pages are live. So the preview cannot drift from what a build
//! publishes: it once did, linking no PDFs while typesetting them, and those without drafts.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use oversight_model::urls::Urls;
use oversight_papers::PaperError;
use oversight_rules::check::Checked;
use oversight_site::{Emit, PageCache, PagesDone, RenderError, RenderOptions, Rendered};

use crate::output::OutputError;

/// One thing a build makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Output {
    /// The pages, feeds, search index, timeline data, theme assets, the pictures site.yaml
    /// names and the papers given as PDFs (oversight-site).
    Site,
    /// The register as an Excel workbook ([`oversight_site::WORKBOOK`]).
    Workbook,
    /// The papers and packs the pages link, typeset (oversight-papers); none with `--no-papers`.
    Pdfs,
}

/// Everything a build makes, in the order its errors are reported.
pub(crate) const OUTPUTS: [Output; 3] = [Output::Site, Output::Workbook, Output::Pdfs];

impl Output {
    /// How long `serve` waits for a pause in editing before making it in the background, or
    /// `None` if it is made at once and browsers reload for it (the site). Typesetting waits
    /// longest, so it never competes with the rebuild after the next save.
    pub(crate) fn pause(self) -> Option<Duration> {
        match self {
            Output::Site => None,
            Output::Workbook => Some(Duration::ZERO),
            Output::Pdfs => Some(Duration::from_millis(1500)),
        }
    }
}

/// Why an output could not be made or written.
#[derive(Debug)]
pub enum BuildError {
    Render(RenderError),
    /// A paper or pack could not be typeset.
    Paper(PaperError),
    Output(OutputError),
    /// What the build made holds what may not be published (NHS numbers): the diagnostics,
    /// with the sources they point into. Nothing was published.
    Refused(Vec<oversight_syntax::diagnostics::Diagnostic>, oversight_syntax::source::Sources),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Render(e) => write!(f, "{e}"),
            BuildError::Paper(e) => write!(f, "{e}"),
            BuildError::Output(e) => write!(f, "{e}"),
            BuildError::Refused(d, _) => {
                write!(f, "{} problems in what the build made: nothing was published", d.len())
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// Makes `output` of a checked register as `options` ask, handing each file to `emit`. The
/// cache and `pages_done` (`serve`'s) are for the site: with the cache, only the pages and
/// files that changed since the last render through it are handed on, and `pages_done` is
/// called once the pages are ([`oversight_site::render`]).
pub(crate) fn make(
    output: Output,
    site_dir: &Path,
    checked: &Checked,
    options: &RenderOptions,
    cache: Option<&mut PageCache>,
    pages_done: Option<&PagesDone>,
    emit: &Emit,
) -> Result<Rendered, BuildError> {
    let files = match output {
        Output::Site => {
            return oversight_site::render(site_dir, checked, options, cache, pages_done, emit)
                .map_err(BuildError::Render);
        }
        Output::Workbook => {
            let bytes = oversight_site::workbook(checked, options)
                .map_err(|e| BuildError::Render(RenderError::Write(format!("{}: {e}", oversight_site::WORKBOOK))))?;
            vec![(oversight_site::WORKBOOK.to_string(), bytes)]
        }
        Output::Pdfs => pdfs(site_dir, checked, options).map_err(BuildError::Paper)?,
    };
    let count = files.len();
    for (path, bytes) in files {
        emit(path, Arc::new(bytes)).map_err(BuildError::Render)?;
    }
    Ok(Rendered { files: count, pages: 0, rendered: 0, removed: Vec::new() })
}

/// The PDFs the website links, if it links any: the papers and packs of the register it shows.
fn pdfs(site_dir: &Path, checked: &Checked, options: &RenderOptions) -> Result<Vec<(String, Vec<u8>)>, PaperError> {
    let register = oversight_site::shown(&checked.register, checked.as_of, options.private, options.drafts);
    if !options.papers || (register.papers.is_empty() && register.meetings.is_empty()) {
        return Ok(Vec::new());
    }
    let base = oversight_site::base_url(&checked.register, options);
    // A bad base URL is the site's error to report; links then point at the root.
    let urls = Urls::new(&base).unwrap_or_else(|_| Urls::new("/").expect("/ is a valid base"));
    oversight_papers::website_pdfs(site_dir, &register, &checked.blocks, checked.as_of, &urls)
}
