//! `oversight build`: check, then build the website. Content errors stop the build before
//! anything is written.

use super::check::{fails, report};
use super::{Failure, Outcome, plural, today};
use crate::check::check_site;
use crate::cli::{BuildArgs, Format};
use crate::site::{self, Options};

pub fn run(args: &BuildArgs) -> Result<Outcome, Failure> {
    let checked = check_site(&args.site, args.as_of, today()).map_err(|e| Failure(e.to_string()))?;
    // Machine formats print even when clean (an empty list is an answer); people only need
    // to hear about problems.
    if !checked.diagnostics.is_empty() || args.format != Format::Human {
        report(&checked, args.format)?;
    }
    if fails(&checked, args.deny) {
        eprintln!("build stopped: fix the errors above (nothing was written)");
        return Ok(Outcome::ContentErrors);
    }
    let options = Options {
        output: args.output.clone().unwrap_or_else(|| args.site.join("public")),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        papers: !args.no_papers,
        private: args.publish_private,
    };
    let (meetings, papers) = checked.register.private_counts();
    if meetings > 0 {
        let counted = format!("{} and {}", plural(meetings, "private meeting"), plural(papers, "private paper"));
        if args.publish_private {
            eprintln!("warning: publishing {counted} on the website (--publish-private)");
        } else {
            eprintln!("{counted} were left out of the website (`oversight papers` makes their packs)");
        }
    }
    let report = site::build(&args.site, &checked, &options).map_err(|e| Failure(e.to_string()))?;
    eprintln!(
        "built {} pages ({} files) into {} in {:.2} s",
        report.pages,
        report.files,
        report.output.display(),
        report.seconds
    );
    Ok(Outcome::Success)
}
