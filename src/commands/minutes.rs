//! `oversight minutes`: a Markdown skeleton of a meeting's minutes, made from its records
//! (oversight-analysis's `standing::minutes_skeleton`), for the secretary to finish.

use std::io::Write;

use super::check::{fails, report};
use super::{Failure, Outcome, today};
use crate::cli::MinutesArgs;
use oversight_model::Reach;
use oversight_rules::check::check_site_reaching;
use oversight_syntax::diagnostics::Format;

pub fn run(args: &MinutesArgs) -> Result<Outcome, Failure> {
    let checked =
        check_site_reaching(&args.site, None, today(), Reach::WithPrivate).map_err(|e| Failure(e.to_string()))?;
    super::note_private_folder(&checked.register);
    if fails(&checked, None) {
        report(&checked, Format::Human, &args.site)?;
        eprintln!("minutes stopped: fix the errors above (nothing was written)");
        return Ok(Outcome::ContentErrors);
    }
    let register = &checked.register;
    let Some(meeting) = register.meeting(&args.meeting) else {
        let near = oversight_syntax::suggest::closest(&args.meeting, register.meetings.iter().map(|m| m.id.as_str()));
        let hint = near.map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
        return Err(Failure(format!("no meeting `{}` in content/meetings/{hint}", args.meeting)));
    };
    let text = oversight_analysis::standing::minutes_skeleton(register, meeting);
    match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
        Some(path) => {
            // Never over a file: the secretary may have finished it already.
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
                Failure(format!("cannot write {}: {e} (the skeleton is never written over a file)", path.display()))
            })?;
            file.write_all(text.as_bytes())?;
            crate::say!("wrote the minutes skeleton of `{}` to {}", meeting.id, path.display());
        }
    }
    Ok(Outcome::Success)
}
