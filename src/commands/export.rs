//! `oversight export --format xlsx --output FILE`: the register, its timeline and figures as
//! an Excel workbook (oversight-exchange). The register is checked first: figures from a
//! register with errors would be wrong, so with errors nothing is written.

use std::path::{Component, Path};

use super::{Failure, Outcome, today};
use crate::cli::{ExportArgs, ExportFormat};
use oversight_exchange::export;
use oversight_rules::check::check_site;
use oversight_syntax::diagnostics::Format;

pub fn run(args: &ExportArgs) -> Result<Outcome, Failure> {
    let checked = check_site(&args.site, args.as_of, today()).map_err(|e| Failure(e.to_string()))?;
    if checked.has_errors() {
        super::check::report(&checked, Format::Human, &args.site)?;
        eprintln!("Nothing was written: the register has errors.");
        return Ok(Outcome::ContentErrors);
    }
    let bytes = match args.format {
        ExportFormat::Xlsx => export::workbook(&checked.register, checked.as_of).map_err(Failure)?,
    };
    refuse_content(&args.site, &args.output)?;
    // A reader never sees half a workbook.
    crate::output::write_atomically(&args.output, &bytes).map_err(|e| Failure(e.to_string()))?;
    crate::say!(
        "Wrote {}: {} organisations, the timeline and figures as at {}.",
        args.output.display(),
        checked.register.organisations.len(),
        checked.as_of.display_long()
    );
    Ok(Outcome::Success)
}

/// A workbook in content/ would be an unexpected file in the register.
fn refuse_content(site: &Path, output: &Path) -> Result<(), Failure> {
    let normal = |p: &Path| -> Option<std::path::PathBuf> {
        let p = std::path::absolute(p).ok()?;
        let mut out = std::path::PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                c => out.push(c),
            }
        }
        Some(out)
    };
    if let (Some(content), Some(out)) = (normal(&site.join("content")), normal(output))
        && out.starts_with(&content)
    {
        return Err(Failure(format!("refusing to write {}: it is inside content/", output.display())));
    }
    Ok(())
}
