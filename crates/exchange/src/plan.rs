//! Merging, never clobbering: what an import would write. Records the register does not have
//! become new files; records it has are compared field by field and item by item (segment
//! periods by their first day, RSP episodes by their entry date, exit criteria by id), and
//! each difference becomes a change to the file, made in place ([`crate::edit`]) and applied
//! only when asked (`--update`). Nothing the spreadsheet leaves empty or out is ever removed.

use std::path::{Path, PathBuf};

use oversight_model::format::INVALID_VALUE;
use oversight_model::{Organisation, Register};
use oversight_syntax::diagnostics::Level;
use oversight_syntax::source::{FileId, Sources};

use crate::book::{Book, CellRef};
use crate::edit::{self, Op};
use crate::emit::{self, Emitted};
use crate::fields::{
    self, CRITERION_KEYS, EPISODE_KEYS, Field, Fields, ORGANISATION_KEYS, PERIOD_KEYS, SUPPORT_KEYS, UNDERTAKING_KEYS,
};
use crate::read::{EpisodeDraft, Import, Item, OrgDraft, Place, Problem, RecordDraft, label};

/// One difference between the spreadsheet and a record.
#[derive(Debug, Clone)]
pub struct Change {
    /// What changes, in words: "segment period from 2023-07-01: to".
    pub what: String,
    /// The record's value, if it has one; `None` for an addition.
    pub old: Option<String>,
    /// The spreadsheet's value (for an added item, a short description of it).
    pub new: String,
    pub at: CellRef,
}

/// A file an import makes or changes.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Relative to the site folder: `content/organisations/kestrel-bay.yaml`.
    pub path: PathBuf,
    /// The file as it would be.
    pub text: String,
    /// Ranges of `text` written from cells.
    pub origins: Vec<(usize, usize, CellRef)>,
    /// The cell standing for the whole record (for a problem with no more precise place).
    pub record_at: Option<CellRef>,
    /// The file as it is, for a change to an existing file.
    pub old_text: Option<String>,
    /// For an existing file: the differences found.
    pub changes: Vec<Change>,
    /// Whether the import writes it: new files always; changes only with `--update`.
    pub applied: bool,
}

impl Planned {
    pub fn is_new(&self) -> bool {
        self.old_text.is_none()
    }
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files made or changed, in path order.
    pub files: Vec<Planned>,
    /// Records the spreadsheet gives exactly as the register has them.
    pub unchanged: usize,
    /// Changes that cannot be made as text edits.
    pub problems: Vec<Problem>,
}

impl Plan {
    pub fn applied(&self) -> impl Iterator<Item = &Planned> {
        self.files.iter().filter(|f| f.applied)
    }
}

/// What to plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Apply changes to records the register has.
    pub update: bool,
    /// The site has no content/ folder yet: make its site.yaml too.
    pub new_site: bool,
}

/// Plans the import of `import` (read from `book`) into `register`, whose files' text and
/// paths are in `sources`.
pub fn plan(book: &Book, import: &Import, register: &Register, sources: &Sources, options: PlanOptions) -> Plan {
    let mut planner = Planner { book, register, sources, options, plan: Plan::default() };
    if options.new_site {
        let made = format!(
            "Made by `oversight import` from {}: give the register its title, publisher and base_url.",
            book.file
        );
        let text = format!("{}\ntitle: Oversight register\n", emit::comment(&made));
        planner.new_file(Path::new("content/site.yaml"), Emitted { text, origins: Vec::new() }, None);
    }
    for org in &import.organisations {
        planner.organisation(org);
    }
    for record in &import.support {
        planner.record(record, true);
    }
    for record in &import.undertakings {
        planner.record(record, false);
    }
    planner.plan.files.sort_by(|a, b| a.path.cmp(&b.path));
    planner.plan
}

struct Planner<'a> {
    book: &'a Book,
    register: &'a Register,
    sources: &'a Sources,
    options: PlanOptions,
    plan: Plan,
}

/// The changes to one record's file, being gathered.
#[derive(Default)]
struct Diff {
    ops: Vec<Op>,
    changes: Vec<Change>,
}

impl Diff {
    /// Compares the spreadsheet's fields with the record's, at `path` (`.` for the record,
    /// `segments[2]` for an item); `what` names the item in messages.
    fn fields(&mut self, path: &str, what: &str, item: &Item, record: &Fields, order: &'static [&'static str]) {
        for cell in &item.fields {
            let old = fields::get(record, cell.key);
            if old.is_some_and(|old| old.same(&cell.field)) {
                continue;
            }
            let key_path = if path == "." { cell.key.to_string() } else { format!("{path}.{}", cell.key) };
            self.ops.push(Op::Set { path: key_path, field: cell.field.clone(), at: cell.at, order });
            let prefix = if what.is_empty() { String::new() } else { format!("{what}: ") };
            self.changes.push(Change {
                what: format!("{prefix}{}", label(cell.key)),
                old: old.map(Field::display).filter(|s| !s.is_empty()),
                new: cell.field.display(),
                at: cell.at,
            });
        }
    }

    fn add(
        &mut self,
        list: String,
        before: Option<usize>,
        item: Emitted,
        comment: String,
        order: &'static [&'static str],
        change: Change,
    ) {
        self.ops.push(Op::Add { list, before, item, comment, order });
        self.changes.push(change);
    }
}

impl Planner<'_> {
    fn new_file(&mut self, path: &Path, emitted: Emitted, record_at: Option<CellRef>) {
        self.plan.files.push(Planned {
            path: path.to_path_buf(),
            text: emitted.text,
            origins: emitted.origins,
            record_at,
            old_text: None,
            changes: Vec::new(),
            applied: true,
        });
    }

    /// Where an added item came from, as the comment above it says.
    fn comment(&self, item: &Item) -> String {
        format!("imported from {}: {}", self.book.file, emit::provenance(self.book, &[(item.sheet, item.row)]))
    }

    fn organisation(&mut self, draft: &OrgDraft) {
        let Some(org) = self.register.organisation(&draft.id) else {
            let path = PathBuf::from(format!("content/organisations/{}.yaml", draft.id));
            let at = draft.item.as_ref().map(|i| i.at);
            self.new_file(&path, emit::organisation(self.book, draft), at);
            return;
        };
        let mut diff = Diff::default();
        if let Some(item) = &draft.item {
            diff.fields(".", "", item, &fields::organisation(org), ORGANISATION_KEYS);
        }
        self.periods(draft, org, &mut diff);
        self.episodes(draft, org, &mut diff);
        self.finish(org.file, diff, draft.item.as_ref().map(|i| i.at));
    }

    fn periods(&self, draft: &OrgDraft, org: &Organisation, diff: &mut Diff) {
        // Changes to the periods the record has first, then the new ones: two changes at one
        // place in the file are made in the order they are listed.
        let mut added = Vec::new();
        for (from, item) in &draft.segments {
            match org.segments.iter().position(|p| p.from == *from) {
                Some(j) => {
                    let what = format!("segment period from {}", org.segments[j].from);
                    diff.fields(&format!("segments[{j}]"), &what, item, &fields::period(&org.segments[j]), PERIOD_KEYS);
                }
                None => added.push((from, item)),
            }
        }
        for (from, item) in added {
            let before = org.segments.iter().position(|p| p.from > *from);
            let mut out = Emitted::default();
            emit::period(&mut out, 0, item);
            let segment = item.get("segment").map(|c| c.field.display()).unwrap_or_default();
            let change = Change {
                what: "new segment period".into(),
                old: None,
                new: format!("segment {segment} from {from}"),
                at: item.at,
            };
            diff.add("segments".into(), before, out, self.comment(item), ORGANISATION_KEYS, change);
        }
    }

    fn episodes(&self, draft: &OrgDraft, org: &Organisation, diff: &mut Diff) {
        let mut added: Vec<&EpisodeDraft> = Vec::new();
        for episode in &draft.rsp {
            let Some(j) = org.rsp.iter().position(|e| e.entered == episode.entered) else {
                added.push(episode);
                continue;
            };
            let record = &org.rsp[j];
            let what = format!("RSP episode entered {}", record.entered);
            diff.fields(&format!("rsp[{j}]"), &what, &episode.item, &fields::episode(record), EPISODE_KEYS);
            let mut new_criteria = Vec::new();
            for (id, item) in &episode.exit_criteria {
                match record.exit_criteria.iter().position(|c| &c.id == id) {
                    Some(k) => {
                        let what = format!("{what}, exit criterion `{id}`");
                        let path = format!("rsp[{j}].exit_criteria[{k}]");
                        diff.fields(&path, &what, item, &fields::criterion(&record.exit_criteria[k]), CRITERION_KEYS);
                    }
                    None => new_criteria.push((id, item)),
                }
            }
            for (id, item) in new_criteria {
                let mut out = Emitted::default();
                emit::criterion(&mut out, 0, item);
                let change = Change {
                    what: format!("{what}: new exit criterion"),
                    old: None,
                    new: format!("`{id}`"),
                    at: item.at,
                };
                diff.add(format!("rsp[{j}].exit_criteria"), None, out, self.comment(item), EPISODE_KEYS, change);
            }
        }
        for episode in added {
            let before = org.rsp.iter().position(|e| e.entered > episode.entered);
            let mut out = Emitted::default();
            emit::episode(&mut out, 0, episode);
            let change = Change {
                what: "new RSP episode".into(),
                old: None,
                new: format!("entered {}", episode.entered),
                at: episode.item.at,
            };
            diff.add("rsp".into(), before, out, self.comment(&episode.item), ORGANISATION_KEYS, change);
        }
    }

    fn record(&mut self, draft: &RecordDraft, support: bool) {
        let (folder, existing) = if support {
            ("support", self.register.support.iter().find(|s| s.id == draft.id).map(|s| (s.file, fields::support(s))))
        } else {
            (
                "undertakings",
                self.register.undertakings.iter().find(|u| u.id == draft.id).map(|u| (u.file, fields::undertaking(u))),
            )
        };
        let Some((file, record)) = existing else {
            let path = PathBuf::from(format!("content/{folder}/{}.yaml", draft.id));
            self.new_file(&path, emit::record(self.book, draft, support), Some(draft.item.at));
            return;
        };
        let mut diff = Diff::default();
        let order = if support { SUPPORT_KEYS } else { UNDERTAKING_KEYS };
        diff.fields(".", "", &draft.item, &record, order);
        self.finish(file, diff, Some(draft.item.at));
    }

    /// The changed file, if anything changed.
    fn finish(&mut self, file: FileId, diff: Diff, record_at: Option<CellRef>) {
        if diff.changes.is_empty() {
            self.plan.unchanged += 1;
            return;
        }
        let text = self.sources.text(file);
        let path = self.sources.path(file).to_path_buf();
        let Some(map) = self.register.maps.get(&file) else { return };
        match edit::apply(text, map, &diff.ops) {
            Ok(edited) => self.plan.files.push(Planned {
                path,
                text: edited.text,
                origins: edited.origins,
                record_at,
                old_text: Some(text.to_string()),
                changes: diff.changes,
                applied: self.options.update,
            }),
            Err(e) => {
                let (line, column) = self.sources.get(file).line_col(e.offset);
                let at = record_at.map_or(Place::File, Place::Cell);
                self.plan.problems.push(Problem {
                    place: at,
                    code: INVALID_VALUE,
                    level: if self.options.update { Level::Error } else { Level::Warning },
                    message: format!("{}:{line}:{column}: {}", path.display(), e.message),
                    help: Some("change the record by hand, or write it as the record format's examples do".into()),
                    related: None,
                });
            }
        }
    }
}
