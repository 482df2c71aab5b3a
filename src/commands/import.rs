//! `oversight import FILE`: read a spreadsheet into the register. The spreadsheet is read
//! and planned by oversight-exchange; the register as the import would leave it is checked
//! with every rule; only then, with no error anywhere, are the files written, all or nothing
//! ([`journal`]: all written beside their places first, then a journal, then the renames), so
//! an import killed at any moment is finished, or undone, by the next.

mod journal;

use std::io::Write;
use std::sync::Arc;

use super::{Failure, Outcome, plural, today};
use crate::cli::ImportArgs;
use oversight_exchange::book::{self, Book};
use oversight_exchange::parse_mapping;
use oversight_exchange::read::{self, Import, Options, Table};
use oversight_exchange::verify;
use oversight_exchange::{Located, Locator};
use oversight_exchange::{Plan, PlanOptions, Planned, plan};
use oversight_model::Register;
use oversight_rules::check::Workspace;
use oversight_syntax::diagnostics::Format;
use oversight_syntax::diagnostics::Level;
use oversight_syntax::source::Sources;

pub fn run(args: &ImportArgs) -> Result<Outcome, Failure> {
    let maps = args.map.iter().map(|m| parse_mapping(m)).collect::<Result<Vec<_>, _>>().map_err(Failure)?;
    let book = book::read(&args.file).map_err(|e| Failure(e.to_string()))?;
    // What an interrupted import left is finished or cleared first, so the register read is
    // whole (a dry run only says what it would do).
    let leftovers = journal::recover(&args.site, !args.dry_run)?;
    let new_site = !args.site.join("content").is_dir();
    let (register, sources) = if new_site {
        (Arc::new(Register::default()), Arc::new(Sources::default()))
    } else {
        let loaded =
            Workspace::load(&args.site, oversight_model::Reach::Public).map_err(|e| Failure(e.to_string()))?.loaded;
        (loaded.register, loaded.sources)
    };
    let options = Options { sheet: args.sheet.clone(), maps };
    let import = read::read(&book, &register, &options);
    let mut report = Report::new(args.format);
    report.leftovers(&leftovers, args.dry_run)?;
    report.sheets(&book, &import)?;

    // Problems in the spreadsheet itself: reported, and nothing more is done with them.
    if import.problems.iter().any(|p| p.level == Level::Error) {
        let mut locator = Locator::new(&book, Sources::default());
        import.problems.iter().for_each(|p| locator.problem(p));
        render(&locator.finish(), args.format)?;
        report.line("Nothing was written: fix the cells above and import again.")?;
        return Ok(Outcome::ContentErrors);
    }
    let options = PlanOptions { update: args.update, new_site };
    let plan = plan(&book, &import, &register, &sources, options);
    let checked = verify(&args.site, &plan, today()).map_err(Failure)?;
    let mut locator = Locator::new(&book, Arc::unwrap_or_clone(checked.sources));
    import.problems.iter().chain(&plan.problems).for_each(|p| locator.problem(p));
    let applied: Vec<&Planned> = plan.applied().collect();
    locator.checked(&checked.diagnostics, &applied);
    let located = locator.finish();
    if !located.diagnostics.is_empty() || args.format.for_programs() {
        render(&located, args.format)?;
    }
    report.plan(&plan, args.update)?;
    if located.has_errors() {
        report.line("Nothing was written: the register would have errors (above). Fix them and import again.")?;
        return Ok(Outcome::ContentErrors);
    }
    if applied.is_empty() {
        report.line("Nothing to write.")?;
        return Ok(Outcome::Success);
    }
    let (new, changed) =
        (applied.iter().filter(|f| f.is_new()).count(), applied.iter().filter(|f| !f.is_new()).count());
    if args.dry_run {
        report.dry_run(&applied)?;
        report.line(&format!("Dry run: would write {}; nothing was written.", counts(new, changed)))?;
        return Ok(Outcome::Success);
    }
    journal::write(&args.site, &applied)?;
    report.line(&format!("Wrote {} in {}.", counts(new, changed), args.site.join("content").display()))?;
    Ok(Outcome::Success)
}

/// "2 new files and 1 changed file".
fn counts(new: usize, changed: usize) -> String {
    let files = |n: usize, adjective: &str| format!("{n} {adjective} {}", if n == 1 { "file" } else { "files" });
    match (new, changed) {
        (n, 0) => files(n, "new"),
        (0, c) => files(c, "changed"),
        (n, c) => format!("{} and {}", files(n, "new"), files(c, "changed")),
    }
}

/// The diagnostics, named in the spreadsheet's own terms (`register.xlsx, sheet Trusts, cell
/// D5`) or by their files as the site names them.
fn render(located: &Located, format: Format) -> Result<(), Failure> {
    super::check::report_diagnostics(&located.diagnostics, &located.sources, format, std::path::Path::new(""))
}

/// What the import found and did, for people: on standard output, or on standard error when
/// standard output carries JSON or annotations.
struct Report {
    out: Box<dyn Write>,
}

impl Report {
    fn new(format: Format) -> Report {
        let out: Box<dyn Write> = match format {
            Format::Human => Box::new(super::Stdout::lock()),
            _ => Box::new(std::io::stderr()),
        };
        Report { out }
    }

    fn line(&mut self, text: &str) -> Result<(), Failure> {
        writeln!(self.out, "{text}")?;
        Ok(())
    }

    fn leftovers(&mut self, found: &journal::Leftovers, dry_run: bool) -> Result<(), Failure> {
        let (finish, remove) = if dry_run { ("would finish", "would remove") } else { ("finished", "removed") };
        if found.finished > 0 {
            self.line(&format!(
                "An earlier import was interrupted after writing all its files: {finish} it ({} put in place).",
                plural(found.finished, "file")
            ))?;
        }
        if found.removed > 0 {
            self.line(&format!(
                "An earlier import was interrupted before it put anything in place: {remove} the {} it left.",
                plural(found.removed, "partial file")
            ))?;
        }
        Ok(())
    }

    fn sheets(&mut self, book: &Book, import: &Import) -> Result<(), Failure> {
        let read: Vec<String> = import
            .sheets
            .iter()
            .map(|s| {
                let name = book.sheets[s.sheet].name.as_deref().map_or(String::new(), |n| format!("sheet {n}: "));
                match s.table {
                    Some(Table::Derived) => format!("{name}{}", Table::Derived.name()),
                    Some(t) => format!("{name}{}, {}", t.name(), plural(s.rows, "row")),
                    None => format!("{name}no table found"),
                }
            })
            .collect();
        self.line(&format!("Read {}: {}.", book.file, read.join("; ")))?;
        // Every column not read is named: nothing in the spreadsheet is dropped silently.
        for s in &import.sheets {
            for i in &s.ignored {
                self.line(&format!("  ignored column `{}` ({}): {}", i.header, book.cell_name(i.at), i.why))?;
            }
        }
        Ok(())
    }

    fn plan(&mut self, plan: &Plan, update: bool) -> Result<(), Failure> {
        for file in &plan.files {
            let path = file.path.display();
            if file.is_new() {
                self.line(&format!("  new      {path}"))?;
                continue;
            }
            let verb = if update { "update" } else { "differs" };
            self.line(&format!("  {verb:<8} {path}"))?;
            for c in &file.changes {
                let line = match &c.old {
                    Some(old) => format!("             ~ {}: {old} → {}", c.what, c.new),
                    None => format!("             + {}: {}", c.what, c.new),
                };
                self.line(&line)?;
            }
        }
        if plan.unchanged > 0 {
            let records = plural(plan.unchanged, "record");
            self.line(&format!(
                "{records} already as the spreadsheet has {}.",
                if plan.unchanged == 1 { "it" } else { "them" }
            ))?;
        }
        let differing = plan.files.iter().filter(|f| !f.applied).count();
        if differing > 0 {
            self.line(&format!(
                "{} in the register {} from the spreadsheet: pass --update to apply the changes.",
                plural(differing, "record"),
                if differing == 1 { "differs" } else { "differ" }
            ))?;
        }
        Ok(())
    }

    /// Every file that would be written: new ones in full, changed ones as a diff.
    fn dry_run(&mut self, files: &[&Planned]) -> Result<(), Failure> {
        for file in files {
            match &file.old_text {
                None => {
                    self.line(&format!("--- new file {}", file.path.display()))?;
                    write!(self.out, "{}", file.text)?;
                }
                Some(old) => {
                    self.line(&format!("--- {}\n+++ {} (after the import)", file.path.display(), file.path.display()))?;
                    write!(self.out, "{}", line_diff(old, &file.text))?;
                }
            }
        }
        Ok(())
    }
}

/// A unified-style diff of two texts by lines, with two lines of context around each change.
fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Myers's diff (the `similar` crate), linear in the texts' length for the few changes an
    // import makes; past the deadline it settles for a longer, still correct, diff, so a
    // spreadsheet that rewrites every line of a large file costs a second, not a table of
    // every pair of lines (30,000 × 30,000 took 24 s and then aborted).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    let mut ops: Vec<(char, &str, usize)> = Vec::new();
    for op in similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &a, &b, Some(deadline)) {
        let (_, old_range, new_range) = op.as_tag_tuple();
        match op.tag() {
            similar::DiffTag::Equal => ops.extend(old_range.map(|i| (' ', a[i], i + 1))),
            // A line removed before the line that replaces it, as diffs read.
            similar::DiffTag::Delete | similar::DiffTag::Insert | similar::DiffTag::Replace => {
                let at = old_range.end;
                ops.extend(old_range.map(|i| ('-', a[i], i + 1)));
                ops.extend(new_range.map(|j| ('+', b[j], at + 1)));
            }
        }
    }
    const CONTEXT: usize = 2;
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        ops[lo..hi].iter().any(|(op, _, _)| *op != ' ')
    };
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, (op, line, number)) in ops.iter().enumerate() {
        if !near_change(k) {
            continue;
        }
        if last_shown.is_none_or(|l| l + 1 != k) {
            out.push_str(&format!("@@ line {number} @@\n"));
        }
        out.push_str(&format!("{op}{line}\n"));
        last_shown = Some(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::line_diff;

    #[test]
    fn diffs_show_changes_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        let diff = line_diff(old, new);
        assert_eq!(diff, "@@ line 2 @@\n b\n c\n-d\n+D\n e\n f\n g\n+h\n");
        assert_eq!(line_diff("same\n", "same\n"), "");
    }

    #[test]
    fn issue32_6_a_diff_of_every_line_is_quick() {
        let old: String = (0..30_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..30_000).map(|i| format!("new {i}\n")).collect();
        let started = std::time::Instant::now();
        let diff = line_diff(&old, &new);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(diff.lines().filter(|l| l.starts_with('-')).count(), 30_000);
        assert_eq!(diff.lines().filter(|l| l.starts_with('+')).count(), 30_000);
    }
}
