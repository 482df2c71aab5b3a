//! `oversight build`: check, then build the website and its PDFs into the output folder,
//! atomically. Content errors stop the build before anything is written.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use oversight_model::Reach;
use oversight_rules::check::{Checked, check_site_reaching};
use oversight_site::{RenderError, RenderOptions, Rendered};

use super::check::{fails, report};
use super::{Failure, Outcome, plural, today};
use crate::cli::BuildArgs;
use crate::output::Staged;
pub use crate::outputs::BuildError;
use crate::outputs::{OUTPUTS, make};
use crate::published::Scan;

pub fn run(args: &BuildArgs) -> Result<Outcome, Failure> {
    // The private folder is read only when asked to publish what is private.
    let reach = if args.publish_private { Reach::WithPrivate } else { Reach::Public };
    let checked = check_site_reaching(&args.site, args.as_of, today(), reach).map_err(|e| Failure(e.to_string()))?;
    let checked = super::kept_until_exit(checked);
    super::check::describe(&checked);
    // Machine formats print even when clean (an empty list is an answer); people only need
    // to hear about problems.
    if !checked.diagnostics.is_empty() || args.format.for_programs() {
        report(&checked, args.format, &args.site)?;
    }
    if fails(&checked, args.deny) {
        eprintln!("build stopped: fix the errors above (nothing was written)");
        return Ok(Outcome::ContentErrors);
    }
    let options = BuildOptions {
        output: args.output.clone().unwrap_or_else(|| args.site.join("public")),
        render: RenderOptions {
            base_url: args.base_url.clone(),
            drafts: args.drafts,
            papers: !args.no_papers,
            private: args.publish_private,
        },
    };
    let (meetings, papers) = checked.register.private_counts(checked.as_of);
    if meetings > 0 {
        let counted = match &checked.register.private {
            // Its papers are in the private folder, which was not read.
            oversight_model::PrivateFolder::Unread { .. } if papers == 0 => plural(meetings, "private meeting"),
            _ => format!("{} and {}", plural(meetings, "private meeting"), plural(papers, "private paper")),
        };
        if args.publish_private {
            eprintln!("warning: publishing {counted} on the website (--publish-private)");
        } else {
            crate::say!("{counted} were left out of the website (`oversight papers` makes their packs)");
        }
    }
    let drafts = checked.register.draft_papers();
    if drafts > 0 && !args.drafts {
        crate::say!("left out of the website: {} (`--drafts` includes them)", plural(drafts, "draft paper"));
    }
    if options.render.papers && checked.register.untagged_papers().next().is_some() {
        // The papers the website publishes: a private one is not, unless asked.
        super::note_untagged(
            &oversight_site::shown(&checked.register, checked.as_of, args.publish_private, args.drafts).papers,
        );
    }
    let base = oversight_site::base_url(&checked.register, &options.render);
    if !is_absolute_url(&base) {
        eprintln!(
            "warning: the base URL is `{base}`, not a full address: sitemap.xml, robots.txt and atom.xml \
             need one (https://…) for search engines and feed readers; set `base_url` in \
             content/site.yaml or pass --base-url"
        );
    }
    crate::detail!("building into {} with the base URL {base}", options.output.display());
    let report = match build(&args.site, &checked, &options) {
        Ok(report) => report,
        Err(BuildError::Refused(diagnostics, sources)) => {
            super::check::report_diagnostics(&diagnostics, &sources, args.format, &super::check::root(&args.site))?;
            eprintln!("build stopped: fix the errors above (nothing was published)");
            return Ok(Outcome::ContentErrors);
        }
        Err(e) => return Err(Failure(e.to_string())),
    };
    crate::say!(
        "built {} pages ({} files) into {} in {:.2} s",
        report.pages,
        report.files,
        report.output.display(),
        report.seconds
    );
    Ok(Outcome::Success)
}

/// How diagnostics name the output folder: under the site, as the site's files are named
/// (`public/…`); elsewhere, by its absolute path.
fn shown_as(site: &Path, output: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (site, output) = (absolute(site), absolute(output));
    output.strip_prefix(&site).map(Path::to_path_buf).unwrap_or(output)
}

/// Whether a base URL is a full address (scheme and host), as the sitemap and feed need.
fn is_absolute_url(base: &str) -> bool {
    ["https://", "http://"].iter().any(|scheme| base.strip_prefix(scheme).is_some_and(|rest| !rest.is_empty()))
}

/// What `oversight build` was asked for.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub output: PathBuf,
    pub render: RenderOptions,
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Report {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub seconds: f64,
}

/// Builds the website of a checked register, with its PDFs, into `options.output`: written
/// beside it and swapped in only when complete. The caller has made sure the register has no
/// errors.
pub fn build(site_dir: &Path, checked: &Checked, options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let staged = Staged::begin(site_dir, &options.output).map_err(BuildError::Output)?;
    let progress = crate::ui::progress(None, "building");
    // Every file is read for NHS numbers as it is written; any found, nothing is published.
    let scan = Scan::default();
    let emit = |path: String, bytes: Arc<Vec<u8>>| {
        progress.inc(1);
        scan.file(&path, &bytes);
        staged.write(&path, &bytes).map_err(|e| RenderError::Write(e.to_string()))
    };
    // Every output is made side by side, each file written as soon as it is made.
    let made: Vec<Result<Rendered, BuildError>> =
        OUTPUTS.par_iter().map(|&output| make(output, site_dir, checked, &options.render, None, None, &emit)).collect();
    progress.finish_and_clear();
    let made = match made.into_iter().collect::<Result<Vec<Rendered>, BuildError>>() {
        Ok(made) => made,
        Err(e) => {
            staged.abandon();
            return Err(e);
        }
    };
    if !scan.is_clean() {
        staged.abandon();
        let (diagnostics, sources) = scan.diagnostics(checked, &shown_as(site_dir, &options.output));
        return Err(BuildError::Refused(diagnostics, sources));
    }
    let output = staged.commit().map_err(BuildError::Output)?;
    Ok(Report {
        output,
        pages: made.iter().map(|m| m.pages).sum(),
        files: made.iter().map(|m| m.files).sum(),
        seconds: started.elapsed().as_secs_f64(),
    })
}
