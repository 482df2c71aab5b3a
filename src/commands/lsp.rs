//! `oversight lsp`: the language server ([`crate::lsp`]) on standard input and output.

use super::{Failure, Outcome, today};

pub fn run() -> Result<Outcome, Failure> {
    crate::lsp::run(today()).map_err(Failure)?;
    Ok(Outcome::Success)
}
