//! `oversight check`: report every problem in the register.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{Failure, Outcome, today};
use crate::cli::{CheckArgs, Deny};
use oversight_model::Reach;
use oversight_model::kinds::KINDS;
use oversight_rules::CATALOGUE;
use oversight_rules::check::{Checked, check_site_reaching};
use oversight_syntax::diagnostics::{self, Format, Tool, display_root};

pub fn run(args: &CheckArgs) -> Result<Outcome, Failure> {
    let checked =
        check_site_reaching(&args.site, args.as_of, today(), Reach::WithPrivate).map_err(|e| Failure(e.to_string()))?;
    let checked = super::kept_until_exit(checked);
    super::note_private_folder(&checked.register);
    describe(&checked);
    report(&checked, args.format, &args.site)?;
    Ok(if fails(&checked, args.deny) { Outcome::ContentErrors } else { Outcome::Success })
}

/// Prints the diagnostics in the chosen format: human to standard error, machine formats to
/// standard output. Files are named relative to the working directory, through `site`.
pub fn report(checked: &Checked, format: Format, site: &Path) -> Result<(), Failure> {
    report_diagnostics(&checked.diagnostics, &checked.sources, format, &root(site))
}

/// [`report`] for any diagnostics, their files named under `root`: what every command that
/// reports diagnostics prints them with ([`diagnostics::render`] chooses the renderer).
pub fn report_diagnostics(
    diagnostics: &[diagnostics::Diagnostic],
    sources: &oversight_syntax::source::Sources,
    format: Format,
    root: &Path,
) -> Result<(), Failure> {
    // Only SARIF describes the rules.
    let rules: Vec<_> = match format {
        Format::Sarif => CATALOGUE.iter().map(|r| (r.code, super::rules::help_text(&r.code))).collect(),
        _ => Vec::new(),
    };
    let tool = Tool {
        name: "oversight",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: option_env!("CARGO_PKG_REPOSITORY").filter(|uri| !uri.is_empty()),
        rules: &rules,
    };
    let stderr = std::io::stderr();
    let colour = crate::ui::colour(stderr.is_terminal());
    let out = &mut super::Stdout::lock();
    diagnostics::render(format, diagnostics, sources, root, colour, &tool, &mut stderr.lock(), out)?;
    out.flush()?;
    Ok(())
}

/// The site folder as diagnostics prefix file names with: relative to the working directory.
pub fn root(site: &Path) -> PathBuf {
    display_root(site, std::env::current_dir().ok().as_deref())
}

/// With `--verbose`: what was checked, and as at which date.
pub fn describe(checked: &Checked) {
    let r = &checked.register;
    let counts: Vec<String> = KINDS
        .iter()
        .filter(|kind| kind.counted)
        .map(|kind| oversight_analysis::count(r.records(kind.kind).len(), kind.singular, kind.plural))
        .collect();
    crate::detail!("read {} files: {}; checked as at {}", checked.sources.len(), counts.join(", "), checked.as_of);
}

/// Whether the check fails: errors, or warnings under `--deny warnings`.
pub fn fails(checked: &Checked, deny: Option<Deny>) -> bool {
    checked.has_errors() || (deny == Some(Deny::Warnings) && checked.has_warnings())
}
