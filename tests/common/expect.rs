//! The `expect` files of the rule fixtures (`tests/fixtures/rules/<CODE>/fires/expect`) and of
//! the malformed corpus (`tests/fixtures/malformed/<case>/expect`), read by one parser.
//!
//! ```text
//! # A comment: what the fixture shows.
//! exit 1
//! OVS101 content/organisations/alderbrook.yaml:6:11
//!   the diagnostic's message, exactly, indented under its location
//! ```
//!
//! A location line is `CODE file:line:col`; an indented line under it is its message (the
//! rule fixtures give one for every diagnostic); `exit N` is the exit status (the malformed
//! corpus). With `OVERSIGHT_BLESS=1` in the environment, [`Expect::check`] writes what was
//! found into the file instead of comparing, keeping its comments.

use std::fs;
use std::path::{Path, PathBuf};

/// One diagnostic, as found or as expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// `CODE file:line:col`.
    pub location: String,
    pub message: String,
}

/// A line of an `expect` file.
#[derive(Debug, Clone)]
enum Line {
    Comment(String),
    Exit(i32),
    Diagnostic { location: String, message: Option<String> },
}

/// An `expect` file, read.
#[derive(Debug)]
pub(crate) struct Expect {
    path: PathBuf,
    lines: Vec<Line>,
}

/// How found diagnostics are held against the expected ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// Every diagnostic found is listed, with its message, and every one listed is found.
    Exact,
    /// Every one listed is found (with its message, if one is given); others may be too.
    AtLeast,
}

impl Expect {
    /// Reads the `expect` file at `path` (missing: an empty one, which the caller reports).
    pub(crate) fn read(path: &Path) -> Result<Expect, String> {
        let text = fs::read_to_string(path).unwrap_or_default();
        let mut lines: Vec<Line> = Vec::new();
        for (number, raw) in text.lines().enumerate() {
            let at = || format!("{}:{}", path.display(), number + 1);
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            if raw.starts_with([' ', '\t']) {
                match lines.last_mut() {
                    Some(Line::Diagnostic { message: message @ None, .. }) => *message = Some(line.to_string()),
                    _ => return Err(format!("{}: a message under no location, or a second one", at())),
                }
            } else if let Some(comment) = line.strip_prefix('#') {
                lines.push(Line::Comment(comment.trim().to_string()));
            } else if let Some(code) = line.strip_prefix("exit ") {
                lines.push(Line::Exit(code.parse().map_err(|_| format!("{}: `{line}` is no exit status", at()))?));
            } else {
                lines.push(Line::Diagnostic { location: line.to_string(), message: None });
            }
        }
        Ok(Expect { path: path.to_path_buf(), lines })
    }

    /// The exit status it gives, if any.
    pub(crate) fn exit(&self) -> Option<i32> {
        self.lines.iter().find_map(|l| if let Line::Exit(code) = l { Some(*code) } else { None })
    }

    /// The locations it lists, in order.
    pub(crate) fn locations(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| if let Line::Diagnostic { location, .. } = l { Some(location.as_str()) } else { None })
            .collect()
    }

    /// What differs between the diagnostics `found` and those listed, one problem a line
    /// (none: they agree). Blessing (`OVERSIGHT_BLESS`) writes `found` into the file instead.
    pub(crate) fn check(&self, found: &[Found], how: Match) -> Vec<String> {
        if std::env::var_os("OVERSIGHT_BLESS").is_some() {
            self.bless(found);
            return Vec::new();
        }
        self.compare(found, how)
    }

    /// [`Expect::check`], never blessing.
    pub(crate) fn compare(&self, found: &[Found], how: Match) -> Vec<String> {
        let name = self.path.display();
        let listed = |f: &Found| {
            self.lines.iter().any(|l| {
                matches!(l, Line::Diagnostic { location, message }
                    if *location == f.location && message.as_ref().is_none_or(|m| *m == f.message))
            })
        };
        let mut problems = Vec::new();
        for line in &self.lines {
            let Line::Diagnostic { location, message } = line else { continue };
            if how == Match::Exact && message.is_none() {
                problems.push(format!("{name}: `{location}` gives no message (indent it on the next line)"));
            }
            let seen = found.iter().find(|f| f.location == *location);
            match (seen, message) {
                (None, _) => problems.push(format!("{name}: expected `{location}`, found:\n    {}", shown(found))),
                (Some(f), Some(m)) if found.iter().all(|f| f.location != *location || f.message != *m) => {
                    problems.push(format!("{name}: `{location}` says\n    {}\n  not\n    {m}", f.message))
                }
                _ => {}
            }
        }
        if how == Match::Exact {
            for f in found.iter().filter(|f| !listed(f)) {
                problems.push(format!("{name}: found `{}` ({}), which it does not list", f.location, f.message));
            }
        }
        problems
    }

    /// Writes `found` into the file: the comments and exit status stay where they are, each
    /// listed location found again gets its message, the rest found go at the end.
    fn bless(&self, found: &[Found]) {
        let mut written: Vec<Found> = Vec::new();
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Comment(text) => out.push_str(&format!("# {text}\n")),
                Line::Exit(code) => out.push_str(&format!("exit {code}\n")),
                Line::Diagnostic { location, .. } => {
                    let here: Vec<&Found> =
                        found.iter().filter(|f| f.location == *location && !written.contains(f)).collect();
                    for f in here {
                        out.push_str(&format!("{}\n  {}\n", f.location, f.message));
                        written.push(f.clone());
                    }
                }
            }
        }
        for f in found.iter().filter(|f| !written.contains(f)) {
            out.push_str(&format!("{}\n  {}\n", f.location, f.message));
        }
        fs::write(&self.path, out).unwrap_or_else(|e| panic!("{}: {e}", self.path.display()));
    }
}

fn shown(found: &[Found]) -> String {
    found.iter().map(|f| format!("{}: {}", f.location, f.message)).collect::<Vec<_>>().join("\n    ")
}
