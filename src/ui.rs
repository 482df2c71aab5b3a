//! What a command says besides its results: the global `--quiet`, `--verbose` and `--color`
//! settings, set once by `main`, and the progress line of long jobs.
//!
//! Chatter ("built 54 pages …") goes through [`say!`](crate::say) and is silenced by
//! `--quiet`; detail for `--verbose` goes through [`detail!`](crate::detail). Diagnostics,
//! warnings, errors and data output (JSON, CSV, SVG, SARIF) are never silenced: they are the
//! answer, not chatter.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use oversight_syntax::diagnostics::Colour;

/// How much chatter: 0 quiet, 1 normal, 2 verbose.
static VERBOSITY: AtomicU8 = AtomicU8::new(1);
/// `--color`: 0 auto, 1 always, 2 never.
static COLOUR: AtomicU8 = AtomicU8::new(0);

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Colour, even into a pipe or file.
    Always,
    /// No colour.
    Never,
}

/// Sets the global settings from the command line.
pub fn configure(quiet: bool, verbose: bool, colour: ColorChoice) {
    let level = if quiet {
        0
    } else if verbose {
        2
    } else {
        1
    };
    VERBOSITY.store(level, Ordering::Relaxed);
    COLOUR.store(colour as u8, Ordering::Relaxed);
}

/// Whether normal chatter is wanted (not `--quiet`).
pub fn chatty() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 1
}

/// Whether `--verbose` detail is wanted.
pub fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 2
}

/// Whether to colour human diagnostics on a stream: `--color always|never`, else colour on a
/// terminal unless `NO_COLOR` is set.
pub fn colour(stream_is_terminal: bool) -> Colour {
    match COLOUR.load(Ordering::Relaxed) {
        1 => Colour::Always,
        2 => Colour::Never,
        _ => Colour::detect(stream_is_terminal),
    }
}

/// Prints a line of chatter to standard error, unless `--quiet`.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        if $crate::ui::chatty() {
            eprintln!($($arg)*);
        }
    };
}

/// Prints a line of detail to standard error, only with `--verbose`.
#[macro_export]
macro_rules! detail {
    ($($arg:tt)*) => {
        if $crate::ui::verbose() {
            eprintln!($($arg)*);
        }
    };
}

/// A progress line on standard error for a job of `len` steps (a spinner if unknown), drawn
/// only when standard error is a terminal and not `--quiet`: logs and pipes stay clean. Clear
/// it with `finish_and_clear` before printing the result.
pub fn progress(len: Option<u64>, message: &'static str) -> indicatif::ProgressBar {
    if !chatty() || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match len {
        Some(len) => indicatif::ProgressBar::new(len).with_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .expect("a valid template")
                .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} files").expect("a valid template"),
        ),
    };
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
