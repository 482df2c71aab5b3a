//! Spreadsheets in and out of a register: the step after oversight-analysis, beside the
//! website and the papers. It owns reading workbooks and CSV files ([`book`]), what their
//! columns mean ([`columns`]) and their dates ([`dates`]), turning rows into draft records
//! ([`read`]), comparing those with the register and planning new files and in-place edits
//! ([`plan`], [`emit`], [`edit`]), placing every problem at its cell ([`locate`]), and the
//! Excel export of the register and its figures ([`export`]).
//!
//! It writes no file itself: the binary decides where the plan's files and the workbook go,
//! and writes them atomically. Every figure the export states comes from oversight-analysis.

pub mod book;
mod columns;
mod dates;
mod edit;
mod emit;
pub mod export;
mod fields;
mod locate;
mod plan;
pub mod read;
mod text;
mod verify;
mod vocab;

pub use columns::parse_mapping;
pub use locate::{Located, Locator};
pub use plan::{Plan, PlanOptions, Planned, plan};
pub use text::CUT_NOTE;
pub use verify::verify;
