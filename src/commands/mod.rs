//! One module per subcommand. Each returns an [`Outcome`]; `main` maps it to an exit code.

pub mod build;
pub mod check;
pub mod docs;
pub mod export;
pub mod import;
pub mod init;
pub mod lsp;
pub mod minutes;
pub mod papers;
pub mod rules;
pub mod schema;
pub mod timeline;

use std::fmt;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the content has errors (or denied warnings).
    ContentErrors,
}

/// A usage or I/O failure: exit 2, with a message for stderr.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Failure {
        Failure(format!("cannot write output: {err}"))
    }
}

/// What a command loaded, left for the system to take back when the process ends, which is
/// right after the command (only `main` runs one): freeing a register piece by piece is work
/// on one core that nobody needs (`check` of 50,000 pages went from ~1.02 s to ~0.93 s).
pub fn kept_until_exit<T>(value: T) -> std::mem::ManuallyDrop<T> {
    std::mem::ManuallyDrop::new(value)
}

/// Today's date in the local time zone: the only place a command reads the clock.
pub fn today() -> oversight_syntax::date::Date {
    oversight_syntax::date::Date::from_civil(jiff::Zoned::now().date())
}

/// "1 paper", "2 papers": a count with its noun, plural by an `s`.
pub fn plural(n: usize, noun: &str) -> String {
    oversight_analysis::count(n, noun, &format!("{noun}s"))
}

/// A note for each of `papers` written elsewhere whose PDF is not tagged: its pages reach
/// screen readers as pictures of text, in its own PDF and in a pack, and a pack that holds one
/// cannot claim PDF/UA-1. The accessibility statement lists them too.
pub fn note_untagged<'a>(papers: impl IntoIterator<Item = &'a oversight_model::Paper>) {
    for paper in papers.into_iter().filter(|p| p.attachment().is_some_and(|a| !a.tagged)) {
        let file = paper.given_file().unwrap_or_default();
        crate::say!(
            "note: {file} is not a tagged PDF, so screen readers cannot read its structure; a pack that holds it cannot claim PDF/UA-1, and the accessibility statement lists it (ask its author for a tagged PDF: Word's \"Document structure tags for accessibility\" or LibreOffice's \"Tagged PDF\" export option)"
        );
    }
}

/// A note when site.yaml names a private folder that is not there: its papers are not
/// checked, and the packs of private meetings cannot be made.
pub fn note_private_folder(register: &oversight_model::Register) {
    if let oversight_model::PrivateFolder::Unread { root, missing: true } = &register.private {
        crate::say!(
            "note: the private folder {} (site.yaml `private:`) is not there, so the Part II papers in it are not read (clone or copy it there, or correct the path)",
            root.display()
        );
    }
}

/// Standard output that takes a closed pipe (`oversight rules | head -1`) as the reader having
/// read enough: the rest is dropped and the command ends as it would have, quietly.
pub struct Stdout {
    inner: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    pub fn lock() -> Stdout {
        Stdout { inner: std::io::stdout().lock(), closed: false }
    }
}

impl std::io::Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            result => result,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            result => result,
        }
    }
}
