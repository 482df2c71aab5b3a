//! Watching a site for changes, the way editors actually save files.
//!
//! Events are batched: after the first, more are gathered until the file system has been quiet
//! for a moment or a cap is reached, so a burst (an editor's write-temp-then-rename save, a git
//! checkout) becomes one rebuild and a steady stream cannot starve rebuilds. The moment is
//! shorter once every file written has been closed: the save is then complete. Editor swap and
//! backup files are ignored. A file emptied by an in-place save (truncate, then write) is
//! waited for until it is written or for up to two seconds. Folders that are removed and come back (or appear for the first
//! time, like templates/) are watched again. `--poll` uses a polling watcher for file systems
//! without change events (network drives, some containers, WSL).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Config, ErrorKind, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use oversight_model::is_editor_litter;

/// Quiet time that ends a batch while a file written in it is still open. An editor's save
/// (write a temporary file and rename it over the old one, or write in place and close)
/// raises its events within a millisecond; bulk changes such as a git checkout keep raising
/// them, and are held together up to [`CAP`].
const QUIET: Duration = Duration::from_millis(10);
/// Quiet time that ends a batch once every file written in it has been closed (or renamed
/// into place). Every millisecond here is waited after every save, before the rebuild starts.
const SETTLED: Duration = Duration::from_millis(1);
/// The longest a batch may grow before it is handed over.
const CAP: Duration = Duration::from_millis(250);
/// The longest a batch waits for a file that was emptied and is still open: an in-place save
/// truncates the file, then writes it, and the empty file in between is not what was saved.
const EMPTIED_CAP: Duration = Duration::from_secs(2);

/// The folders of a site that hold its sources (`static/` by convention the logo and favicon
/// site.yaml names).
const ROOTS: [&str; 4] = ["content", "templates", "themes", "static"];

pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    site: PathBuf,
    watched: BTreeSet<PathBuf>,
}

/// Whether an event can change what a build reads. Reading a file (which every build does)
/// raises access events and, on some file systems, access-time metadata changes: counting
/// those would rebuild for ever.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Whether an event leaves its file open for writing: a writer that created or modified a
/// file may not be done until it closes it (or renames it into place, or removes it).
fn opens(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(CreateKind::File | CreateKind::Any)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any)
    )
}

/// Says how to get past the operating system's limit on watched files.
fn explain(err: notify::Error) -> String {
    match err.kind {
        ErrorKind::MaxFilesWatch => "the system's limit on watched files is reached: raise it (on Linux: `sudo sysctl fs.inotify.max_user_watches=524288`) or run `oversight serve --poll`".into(),
        _ => format!("cannot watch the site for changes: {err} (try `oversight serve --poll`)"),
    }
}

impl Watch {
    pub fn start(site: &Path, poll: bool) -> Result<Watch, String> {
        let (tx, events) = channel();
        let watcher: Box<dyn Watcher + Send> = if poll {
            Box::new(
                PollWatcher::new(tx, Config::default().with_poll_interval(Duration::from_millis(250)))
                    .map_err(explain)?,
            )
        } else {
            Box::new(RecommendedWatcher::new(tx, Config::default()).map_err(explain)?)
        };
        let mut watch = Watch { watcher, events, site: site.to_path_buf(), watched: BTreeSet::new() };
        watch.rewatch()?;
        Ok(watch)
    }

    /// Watches the source folders that exist and are not yet watched, and the site folder
    /// itself (not recursively) so that a new templates/ or themes/ is noticed.
    fn rewatch(&mut self) -> Result<(), String> {
        self.watched.retain(|p| p.exists());
        let site = self.site.clone();
        let wanted = std::iter::once((site.clone(), RecursiveMode::NonRecursive))
            .chain(ROOTS.iter().map(|r| (site.join(r), RecursiveMode::Recursive)));
        for (path, mode) in wanted {
            if path.is_dir() && !self.watched.contains(&path) {
                self.watcher.watch(&path, mode).map_err(explain)?;
                self.watched.insert(path);
            }
        }
        Ok(())
    }

    /// Whether a changed path matters: inside a source folder, and not an editor's litter.
    fn relevant(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.site) else { return false };
        let in_root =
            rel.components().next().and_then(|c| c.as_os_str().to_str()).is_some_and(|first| ROOTS.contains(&first));
        let litter = path.file_name().and_then(|n| n.to_str()).is_some_and(is_editor_litter);
        (in_root || rel.as_os_str().is_empty()) && !litter
    }

    /// Blocks until a batch of relevant changes, and returns the changed paths (sorted). A
    /// watch error ends the watch with a message.
    pub fn next_batch(&mut self) -> Result<Vec<PathBuf>, String> {
        let mut changed = BTreeSet::new();
        // Files written in this batch and not yet closed: a writer may be midway.
        let mut open = BTreeSet::new();
        let mut started: Option<Instant> = None;
        loop {
            let quiet = if open.is_empty() { SETTLED } else { QUIET };
            let wait = match started {
                None => Duration::from_secs(3600),
                Some(t) => quiet.min(CAP.saturating_sub(t.elapsed())),
            };
            let event = self.events.recv_timeout(wait);
            // A file emptied and still open is midway through an in-place save: wait for it.
            if matches!(event, Err(RecvTimeoutError::Timeout)) && started.is_some_and(|t| midway(t, &open)) {
                continue;
            }
            match event {
                Ok(Ok(event)) if changes_content(&event.kind) => {
                    let writing = opens(&event.kind);
                    for path in event.paths {
                        if self.relevant(&path) {
                            if writing {
                                open.insert(path.clone());
                            } else {
                                open.remove(&path);
                            }
                            changed.insert(path);
                            started.get_or_insert_with(Instant::now);
                        }
                    }
                }
                Ok(Ok(_)) => {}
                Ok(Err(err)) => return Err(explain(err)),
                Err(RecvTimeoutError::Timeout) if !changed.is_empty() => break,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Err("the file watcher stopped".into()),
            }
            if started.is_some_and(|t| t.elapsed() >= CAP && !midway(t, &open)) {
                break;
            }
        }
        // A folder may have been replaced (rename saves of whole folders, git checkouts).
        self.rewatch()?;
        Ok(changed.into_iter().collect())
    }
}

/// Whether a batch started at `started` should wait for a file in `open` that is empty: one
/// an in-place save has truncated and not yet written.
fn midway(started: Instant, open: &BTreeSet<PathBuf>) -> bool {
    started.elapsed() < EMPTIED_CAP && open.iter().any(|p| p.metadata().is_ok_and(|m| m.len() == 0))
}

#[cfg(test)]
mod tests {
    use notify::event::{DataChange, RemoveKind, RenameMode};

    use super::*;

    #[test]
    fn a_save_is_complete_once_its_file_is_closed_or_renamed_into_place() {
        assert!(opens(&EventKind::Create(CreateKind::File)));
        assert!(opens(&EventKind::Modify(ModifyKind::Data(DataChange::Content))));
        assert!(!opens(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(!opens(&EventKind::Modify(ModifyKind::Name(RenameMode::To))));
        assert!(!opens(&EventKind::Remove(RemoveKind::File)));
        assert!(!opens(&EventKind::Create(CreateKind::Folder)));
        // Closing counts as a change; reading does not.
        assert!(changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
    }
}
