//! `oversight check`: report every problem in the register.

use std::io::{IsTerminal, Write};

use super::{Failure, Outcome, today};
use crate::cli::{CheckArgs, Deny, Format};
use oversight_rules::check::{Checked, check_site};
use oversight_syntax::diagnostics::{Colour, render_github, render_human, render_json};

pub fn run(args: &CheckArgs) -> Result<Outcome, Failure> {
    let checked = check_site(&args.site, args.as_of, today()).map_err(|e| Failure(e.to_string()))?;
    report(&checked, args.format)?;
    Ok(if fails(&checked, args.deny) { Outcome::ContentErrors } else { Outcome::Success })
}

/// Prints the diagnostics in the chosen format: human to standard error, machine formats to
/// standard output.
pub fn report(checked: &Checked, format: Format) -> Result<(), Failure> {
    let out = &mut super::Stdout::lock();
    match format {
        Format::Human => {
            let stderr = std::io::stderr();
            let colour = Colour::detect(stderr.is_terminal());
            render_human(&checked.diagnostics, &checked.sources, colour, &mut stderr.lock())?;
        }
        Format::Json => render_json(&checked.diagnostics, &checked.sources, out)?,
        Format::Github => render_github(&checked.diagnostics, &checked.sources, out)?,
    }
    out.flush()?;
    Ok(())
}

/// Whether the check fails: errors, or warnings under `--deny warnings`.
pub fn fails(checked: &Checked, deny: Option<Deny>) -> bool {
    checked.has_errors() || (deny == Some(Deny::Warnings) && checked.has_warnings())
}
