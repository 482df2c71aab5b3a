//! `oversight papers`: a PDF pack per meeting and a PDF per paper.

use std::time::Instant;

use rayon::prelude::*;

use super::check::{fails, report};
use super::{Failure, Outcome, today};
use crate::cli::PapersArgs;
use crate::output::{Staged, write_beside};
use oversight_model::Reach;
use oversight_papers::Papers;
use oversight_rules::check::check_site_reaching;

pub fn run(args: &PapersArgs) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let checked =
        check_site_reaching(&args.site, args.as_of, today(), Reach::WithPrivate).map_err(|e| Failure(e.to_string()))?;
    super::note_private_folder(&checked.register);
    super::check::describe(&checked);
    if !checked.diagnostics.is_empty() || args.format.for_programs() {
        report(&checked, args.format, &args.site)?;
    }
    if fails(&checked, None) {
        eprintln!("papers stopped: fix the errors above (nothing was written)");
        return Ok(Outcome::ContentErrors);
    }
    // Draft papers are left out, their agenda items saying "paper to follow", unless asked.
    let ready = checked.register.without_draft_papers().filter(|_| !args.drafts);
    let r = ready.as_ref().unwrap_or(&checked.register);
    let drafts = checked.register.draft_papers();
    if drafts > 0 && !args.drafts {
        crate::say!("left out of the packs: {} (`--drafts` includes them)", super::plural(drafts, "draft paper"));
    }
    let mut meetings: Vec<_> =
        r.meetings.iter().filter(|m| args.meeting.as_deref().is_none_or(|id| m.id == id)).collect();
    if let Some(id) = &args.meeting
        && meetings.is_empty()
    {
        return Err(Failure(format!("no meeting `{id}` in content/meetings/")));
    }
    // Without the private folder a private meeting's papers are not here: no pack is made
    // rather than one without them (note_private_folder said why).
    if r.private_unread() {
        let before = meetings.len();
        meetings.retain(|m| m.session == oversight_model::Session::Public);
        if meetings.len() < before {
            crate::say!("left out: the packs of {}", super::plural(before - meetings.len(), "private meeting"));
        }
    }
    let papers: Vec<_> = r
        .papers
        .iter()
        .filter(|p| args.meeting.is_none() || meetings.iter().any(|m| m.agenda.iter().any(|a| a.presents(&p.id))))
        .collect();
    super::note_untagged(papers.iter().copied());
    let maker = Papers::new(&args.site, r, &checked.blocks, checked.as_of);
    let progress = crate::ui::progress(Some((meetings.len() + papers.len()) as u64), "typesetting");
    let done = |made| {
        progress.inc(1);
        made
    };
    // With `--per-member`, a pack for each member in term on the meeting's day as well.
    let member_packs: Vec<(&oversight_model::Meeting, &oversight_model::governance::Member)> = if args.per_member {
        meetings
            .iter()
            .filter_map(|m| r.board_of(m).map(|b| (m, b)))
            .flat_map(|(m, b)| b.members.iter().filter(|x| x.in_term(m.date)).map(move |x| (*m, x)))
            .collect()
    } else {
        Vec::new()
    };
    progress.inc_length(member_packs.len() as u64);
    let packs = meetings.par_iter().map(|m| done(maker.pack_pdf(m).map(|pdf| (format!("{}-pack.pdf", m.id), pdf))));
    let personal = member_packs.par_iter().map(|(m, x)| {
        let name = format!("{}, {}", x.name, x.role);
        done(maker.pack_pdf_for(m, Some((&x.id, name))).map(|pdf| (format!("{}-pack-{}.pdf", m.id, x.id), pdf)))
    });
    let singles = papers.par_iter().map(|p| done(maker.paper_pdf(p).map(|pdf| (format!("{}.pdf", p.id), pdf))));
    let files: Result<Vec<(String, Vec<u8>)>, _> = packs.chain(personal).chain(singles).collect();
    progress.finish_and_clear();
    let files = files.map_err(|e| Failure(e.to_string()))?;
    // The check refuses a paper named like a pack (OVS508); names are compared as a Windows
    // or macOS folder does, so that no file is ever written over another of this run.
    let mut names = std::collections::HashSet::new();
    if let Some((name, _)) = files.iter().find(|(name, _)| !names.insert(name.to_lowercase())) {
        return Err(Failure(format!("two of the PDFs would be written as `{name}` (see OVS508): nothing was written")));
    }

    let output = args.output.clone().unwrap_or_else(|| args.site.join("papers"));
    let output = if args.meeting.is_some() {
        // One meeting's pack and papers, beside the packs already made for the others.
        write_beside(&args.site, &output, &files).map_err(|e| Failure(e.to_string()))?
    } else {
        let staged = Staged::begin(&args.site, &output).map_err(|e| Failure(e.to_string()))?;
        for (name, bytes) in &files {
            if let Err(e) = staged.write(name, bytes) {
                staged.abandon();
                return Err(Failure(e.to_string()));
            }
        }
        staged.commit().map_err(|e| Failure(e.to_string()))?
    };
    crate::say!(
        "made {} and {} into {} in {:.2} s",
        super::plural(meetings.len() + member_packs.len(), "pack"),
        super::plural(papers.len(), "paper"),
        output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
