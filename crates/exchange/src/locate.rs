//! Problems in the spreadsheet's own terms. Each cell, row or sheet a problem is about
//! becomes a small source of its own, named as a person finds it ("register.xlsx, sheet
//! Episodes, cell C12") and holding the cell's text, so the project's one `Diagnostic` and its
//! renderers (human code frames, JSON, GitHub annotations) show it with no change.
//!
//! A check of the register as the import would leave it reports problems in the new YAML;
//! those are moved to the cell each value came from ([`Planned::origins`]), keeping the rule's
//! code, message and help. Problems in records the import does not touch are left where they
//! are, and only errors among them are kept: they would stop the import too.

use std::collections::HashMap;
use std::path::PathBuf;

use oversight_syntax::diagnostics::{Diagnostic, Label, Level};
use oversight_syntax::source::{FileId, SourceFile, Sources, Span};

use crate::book::{Book, CellRef};
use crate::plan::Planned;
use crate::read::{Place, Problem};

/// Diagnostics ready to render, with every source they point into.
#[derive(Debug, Default)]
pub struct Located {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

impl Located {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Builds [`Located`] diagnostics: spreadsheet problems, then the check's.
pub struct Locator<'a> {
    book: &'a Book,
    sources: Sources,
    places: HashMap<PlaceKey, FileId>,
    /// (sort key, diagnostic): cells in sheet, row and column order, then files.
    found: Vec<(SortKey, Diagnostic)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PlaceKey {
    Cell(CellRef),
    Row(usize, u32),
    Sheet(usize),
    File,
}

type SortKey = (u8, usize, u32, usize, PathBuf, usize);

impl<'a> Locator<'a> {
    /// Starts from the sources of a check (or none, when nothing was checked).
    pub fn new(book: &'a Book, sources: Sources) -> Locator<'a> {
        Locator { book, sources, places: HashMap::new(), found: Vec::new() }
    }

    /// The source standing for `place`, made the first time it is needed.
    fn source(&mut self, place: Place) -> FileId {
        let key = match place {
            Place::Cell(c) => PlaceKey::Cell(c),
            Place::Row(s, r) => PlaceKey::Row(s, r),
            Place::Sheet(s) => PlaceKey::Sheet(s),
            Place::File => PlaceKey::File,
        };
        if let Some(id) = self.places.get(&key) {
            return *id;
        }
        let book = self.book;
        let (name, text) = match place {
            Place::Cell(c) => (book.cell_name(c), book.value(c).to_string()),
            Place::Row(s, r) => {
                let row = book.sheets.get(s).and_then(|sheet| sheet.rows.iter().find(|x| x.number == r));
                let text = row.map_or(String::new(), |row| {
                    row.cells
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" | ")
                        .trim_end_matches(" | ")
                        .to_string()
                });
                (book.row_name(s, r), text)
            }
            Place::Sheet(s) => (book.sheet_name(s), String::new()),
            Place::File => (book.file.clone(), String::new()),
        };
        // One line: a cell's text with line breaks would read as several.
        let text = text.replace(['\r', '\n'], " ");
        let id = self.sources.push(SourceFile::new(PathBuf::from(name), text));
        self.places.insert(key, id);
        id
    }

    fn span(&mut self, place: Place) -> Span {
        let file = self.source(place);
        Span::new(file, 0, self.sources.text(file).len())
    }

    fn sort_key(place: Place) -> SortKey {
        match place {
            Place::File => (0, 0, 0, 0, PathBuf::new(), 0),
            Place::Sheet(s) => (1, s, 0, 0, PathBuf::new(), 0),
            Place::Row(s, r) => (1, s, r, 0, PathBuf::new(), 0),
            Place::Cell(c) => (1, c.sheet, c.row, c.column + 1, PathBuf::new(), 0),
        }
    }

    /// A problem found reading the spreadsheet.
    pub fn problem(&mut self, p: &Problem) {
        let span = self.span(p.place);
        let mut d = p.code.at(span, p.message.clone());
        d.level = p.level;
        d.help.clone_from(&p.help);
        if let Some((place, message)) = &p.related {
            let span = self.span(*place);
            d.labels.push(Label { span, message: message.clone() });
        }
        self.found.push((Self::sort_key(p.place), d));
    }

    /// The diagnostics of a check of the register as the import would leave it: those in
    /// the files of `planned` moved to their cells, and errors elsewhere kept as they are.
    pub fn checked(&mut self, diagnostics: &[Diagnostic], planned: &[&Planned]) {
        let by_path: HashMap<&std::path::Path, &Planned> = planned.iter().map(|p| (p.path.as_path(), *p)).collect();
        for d in diagnostics {
            let path = self.sources.path(d.span.file).to_path_buf();
            let Some(file) = by_path.get(path.as_path()) else {
                if d.level == Level::Error {
                    self.found.push(((2, 0, 0, 0, path, d.span.start), d.clone()));
                }
                continue;
            };
            let mut d = d.clone();
            let (span, place) = self.moved(d.span, file);
            d.span = span;
            for label in &mut d.labels {
                if let Some(file) = by_path.get(self.sources.path(label.span.file)) {
                    label.span = self.moved(label.span, file).0;
                }
            }
            let key = match place {
                Some(place) => Self::sort_key(place),
                None => (2, 0, 0, 0, path, d.span.start),
            };
            self.found.push((key, d));
        }
    }

    /// Where a span in a planned file points in the spreadsheet: the cell whose value was
    /// written there, else (in a new file) the cell standing for the record, else nowhere.
    fn moved(&mut self, span: Span, file: &Planned) -> (Span, Option<Place>) {
        let cell = file
            .origins
            .iter()
            .filter(|(a, b, _)| {
                *a <= span.start && span.start <= *b && (span.start < *b || a == b || span.end == span.start)
            })
            .min_by_key(|(a, b, _)| b - a)
            .map(|(_, _, c)| *c)
            .or(if file.is_new() { file.record_at } else { None });
        match cell {
            Some(c) => (self.span(Place::Cell(c)), Some(Place::Cell(c))),
            None => (span, None),
        }
    }

    pub fn finish(mut self) -> Located {
        self.found.sort_by(|a, b| a.0.cmp(&b.0));
        let diagnostics = self.found.into_iter().map(|(_, d)| d).collect();
        Located { sources: self.sources, diagnostics }
    }
}
