//! From rows to draft records: each sheet's table is recognised by its columns, each row
//! read into the fields of the records it speaks of, and each record it names found in the
//! register or the spreadsheet (by id, ODS code or name). Every value keeps the cell it came
//! from, so any later problem with it is reported there.
//!
//! Tables, in the order they are read (a sheet may hold any of them, in any order):
//! organisations (with their segment history, one row per period, or one row each),
//! segment periods, RSP episodes, exit criteria, support packages and undertakings.

use std::collections::HashMap;
use std::sync::LazyLock;

use oversight_model::format::{INVALID_ID, INVALID_VALUE};
use oversight_model::{Register, is_slug, slugify};
use oversight_rules::UNRESOLVED_REFERENCE;
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Code, Level};
use oversight_syntax::suggest::closest;

use crate::book::{Book, CellRef, Row, Value};
use crate::columns::{Header, Key, Mapping, find_header};
use crate::dates;
use crate::fields::Field;
use crate::text::{is_line_break, one_line};
use crate::vocab::{self, Vocab, normalise};

/// Where a problem is: a cell, a row, a sheet, or the file as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Cell(CellRef),
    Row(usize, u32),
    Sheet(usize),
    File,
}

/// A problem found reading the spreadsheet, with the rule it breaks.
#[derive(Debug, Clone)]
pub struct Problem {
    pub place: Place,
    pub code: Code,
    pub level: Level,
    pub message: String,
    pub help: Option<String>,
    /// A second place that explains this one ("the other row says").
    pub related: Option<(Place, String)>,
}

/// A value read from a cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub key: &'static str,
    pub field: Field,
    pub at: CellRef,
}

/// The fields one record (or list item) was given, and the row that first named it.
#[derive(Debug, Clone)]
pub struct Item {
    pub fields: Vec<Cell>,
    pub sheet: usize,
    pub row: u32,
    /// The cell that stands for the item where nothing more precise does (its first value).
    pub at: CellRef,
}

impl Item {
    fn new(sheet: usize, row: u32, at: CellRef) -> Item {
        Item { fields: Vec::new(), sheet, row, at }
    }

    pub fn get(&self, key: &str) -> Option<&Cell> {
        self.fields.iter().find(|c| c.key == key)
    }

    /// Rows of one item may repeat a value; a different value is a conflict, reported at
    /// the later cell.
    fn set(&mut self, cell: Cell, problems: &mut Vec<Problem>, book: &Book) {
        match self.fields.iter().find(|c| c.key == cell.key) {
            Some(old) if old.field.same(&cell.field) => {}
            Some(old) => problems.push(Problem {
                place: Place::Cell(cell.at),
                code: INVALID_VALUE,
                level: Level::Error,
                message: format!(
                    "`{}` gives {} `{}`, but {} gives `{}`",
                    book.value(cell.at),
                    label(cell.key),
                    cell.field.display(),
                    book.cell_name(old.at),
                    old.field.display()
                ),
                help: Some("make the rows agree, or remove the row that is wrong".into()),
                related: Some((Place::Cell(old.at), "the other value is here".into())),
            }),
            None => self.fields.push(cell),
        }
    }
}

/// An RSP episode read from the spreadsheet, with its exit criteria.
#[derive(Debug, Clone)]
pub struct EpisodeDraft {
    pub item: Item,
    pub entered: Date,
    pub exit_criteria: Vec<(String, Item)>,
}

/// An organisation the spreadsheet speaks of: new, or one already in the register.
#[derive(Debug, Clone)]
pub struct OrgDraft {
    pub id: String,
    /// Whether the register already has it.
    pub existing: bool,
    /// Its own fields (name, type, region…).
    pub item: Option<Item>,
    pub segments: Vec<(Date, Item)>,
    pub rsp: Vec<EpisodeDraft>,
}

impl OrgDraft {
    /// Every (sheet, row) the organisation's fields and items came from.
    pub fn rows(&self) -> Vec<(usize, u32)> {
        let mut rows = Vec::new();
        let mut add = |item: &Item| {
            rows.push((item.sheet, item.row));
            rows.extend(item.fields.iter().map(|c| (c.at.sheet, c.at.row)));
        };
        if let Some(item) = &self.item {
            add(item);
        }
        for (_, p) in &self.segments {
            add(p);
        }
        for e in &self.rsp {
            add(&e.item);
            for (_, c) in &e.exit_criteria {
                add(c);
            }
        }
        rows
    }
}

/// A support package or undertakings record read from the spreadsheet.
#[derive(Debug, Clone)]
pub struct RecordDraft {
    pub id: String,
    /// Whether the register already has it (by id, or by what identifies it).
    pub existing: bool,
    pub item: Item,
}

/// What kind of table a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Organisations,
    Segments,
    Episodes,
    ExitCriteria,
    Support,
    Undertakings,
    /// Figures computed from the records (the export's Timeline and Figures): not read.
    Derived,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Organisations => "organisations",
            Table::Segments => "segment periods",
            Table::Episodes => "RSP episodes",
            Table::ExitCriteria => "exit criteria",
            Table::Support => "support packages",
            Table::Undertakings => "undertakings",
            Table::Derived => "computed figures (not read)",
        }
    }
}

/// How one sheet was read, for the report.
#[derive(Debug, Clone)]
pub struct SheetRead {
    pub sheet: usize,
    /// `None`: no table found.
    pub table: Option<Table>,
    pub rows: usize,
    /// The table's columns that import does not read: each is named in the report.
    pub ignored: Vec<Ignored>,
}

/// A column of a table that import does not read, and why.
#[derive(Debug, Clone)]
pub struct Ignored {
    /// Its header cell.
    pub at: CellRef,
    /// The header as written.
    pub header: String,
    pub why: String,
}

/// Everything read from a spreadsheet.
#[derive(Debug, Default)]
pub struct Import {
    pub organisations: Vec<OrgDraft>,
    pub support: Vec<RecordDraft>,
    pub undertakings: Vec<RecordDraft>,
    pub problems: Vec<Problem>,
    pub sheets: Vec<SheetRead>,
}

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the sheet of this name.
    pub sheet: Option<String>,
    pub maps: Vec<Mapping>,
}

/// How a report names a key's column.
pub fn label(key: &str) -> String {
    match key {
        "ods_code" => "ODS code".into(),
        "funding_gbp" => "funding (£)".into(),
        "criterion_id" => "exit criterion id".into(),
        "criterion_text" => "exit criterion".into(),
        "org_id" => "organisation id".into(),
        other => other.replace('_', " "),
    }
}

/// How a value of each key is read.
enum Kind {
    Text,
    /// An ODS code: upper case, as NHS Digital writes them, whatever case was typed.
    Code,
    Id,
    Word(&'static LazyLock<Vocab>),
    Words(&'static LazyLock<Vocab>),
    Texts,
    Reference,
    Date,
    Segment,
    Money,
    Bool,
    Ignored,
}

fn kind(key: Key) -> Kind {
    match key {
        "id" | "org_id" | "criterion_id" => Kind::Id,
        "type" => Kind::Word(&vocab::ORG_TYPE),
        "region" => Kind::Word(&vocab::REGION),
        "route" => Kind::Word(&vocab::ROUTE),
        "exit_reason" => Kind::Word(&vocab::EXIT_REASON),
        "framework" => Kind::Word(&vocab::FRAMEWORK),
        "kind" => Kind::Word(&vocab::SUPPORT_KIND),
        "status" => Kind::Word(&vocab::STATUS),
        "regulator" => Kind::Word(&vocab::REGULATOR),
        "legal_basis" => Kind::Word(&vocab::LEGAL_BASIS),
        "criteria" => Kind::Words(&vocab::CRITERION),
        "services" => Kind::Words(&vocab::SERVICE),
        "breaches" => Kind::Texts,
        "system" | "organisation" => Kind::Reference,
        "from" | "to" | "entered" | "exited" | "diagnostic_completed" | "met" | "accepted" | "released" => Kind::Date,
        "segment" => Kind::Segment,
        "funding_gbp" => Kind::Money,
        "licence_breach" => Kind::Bool,
        "ods_code" => Kind::Code,
        "computed" | "derived" => Kind::Ignored,
        _ => Kind::Text,
    }
}

/// Reads every table of `book` against the register it is imported into.
pub fn read(book: &Book, register: &Register, options: &Options) -> Import {
    let mut reader =
        Reader { book, register, import: Import::default(), unread: Vec::new(), index: Index::new(register) };
    reader.run(options);
    reader.import
}

struct Reader<'a> {
    book: &'a Book,
    register: &'a Register,
    import: Import,
    /// Cells whose value could not be read, by key: a value reported wrong is not reported
    /// missing as well.
    unread: Vec<(CellRef, Key)>,
    /// Organisations by id, ODS code and name, so that each row finds its own at once.
    index: Index,
}

/// Where to find an organisation by what a cell may name it by.
#[derive(Default)]
struct Index {
    /// Draft position by id.
    drafts: HashMap<String, usize>,
    /// Ids by upper-case ODS code: the spreadsheet's, then the register's.
    codes: HashMap<String, Vec<String>>,
    /// Id by normalised name (the first organisation of that name).
    names: HashMap<String, String>,
    register_codes: HashMap<String, Vec<String>>,
    register_names: HashMap<String, String>,
}

impl Index {
    fn new(register: &Register) -> Index {
        let mut index = Index::default();
        for o in &register.organisations {
            if let Some(code) = &o.ods_code {
                index.register_codes.entry(code.trim().to_uppercase()).or_default().push(o.id.clone());
            }
            index.register_names.entry(normalise(&o.name)).or_insert_with(|| o.id.clone());
        }
        index
    }

    /// Takes in a draft's name and ODS code.
    fn add(&mut self, draft: &OrgDraft) {
        let Some(item) = &draft.item else { return };
        if let Some(code) = item.get("ods_code").and_then(|c| c.field.as_str()) {
            let ids = self.codes.entry(code.to_uppercase()).or_default();
            if !ids.contains(&draft.id) {
                ids.push(draft.id.clone());
            }
        }
        if let Some(name) = item.get("name").and_then(|c| c.field.as_str()) {
            self.names.entry(normalise(name)).or_insert_with(|| draft.id.clone());
        }
    }
}

/// One data row of a table, with the table's header.
struct TableRow<'a> {
    sheet: usize,
    header: &'a Header,
    row: &'a Row,
}

impl TableRow<'_> {
    fn at(&self, column: usize) -> CellRef {
        CellRef { sheet: self.sheet, row: self.row.number, column }
    }

    /// The cell of `key`, if the table has the column and the cell is not empty.
    fn cell(&self, key: Key) -> Option<(&Value, CellRef)> {
        let column = self.header.column(key)?;
        let value = self.row.get(column);
        (!value.is_empty()).then(|| (value, self.at(column)))
    }

    /// The cell's text, trimmed, on one line ([`one_line`]).
    fn text(&self, key: Key) -> Option<(String, CellRef)> {
        self.cell(key).map(|(v, at)| (one_line(&v.to_string()).trim().to_string(), at))
    }

    /// The first cell with a value: where an item is reported when no field is.
    fn first(&self) -> CellRef {
        let column = self.header.columns.iter().map(|(c, _)| *c).find(|c| !self.row.get(*c).is_empty());
        self.at(column.unwrap_or(0))
    }
}

impl Reader<'_> {
    fn problem(&mut self, place: Place, code: Code, message: String, help: impl Into<Option<String>>) {
        let level = code.level;
        self.import.problems.push(Problem { place, code, level, message, help: help.into(), related: None });
    }

    fn run(&mut self, options: &Options) {
        let book = self.book;
        let mut tables = Vec::new();
        for (index, sheet) in book.sheets.iter().enumerate() {
            if let Some(only) = &options.sheet
                && sheet.name.as_deref().is_some_and(|n| !n.eq_ignore_ascii_case(only))
            {
                continue;
            }
            let Some(header) = find_header(sheet, &options.maps) else {
                self.import.sheets.push(SheetRead { sheet: index, table: None, rows: 0, ignored: Vec::new() });
                if options.sheet.is_some() || book.sheets.len() == 1 {
                    self.problem(
                        Place::Sheet(index),
                        INVALID_VALUE,
                        "no table found: no row has two or more column headers that import knows".into(),
                        "name the columns as docs/import-export.md lists them, or map them with --map \"Header=key\""
                            .to_string(),
                    );
                }
                continue;
            };
            for &(column, key, first) in &header.repeated {
                let at = CellRef { sheet: index, row: sheet.rows[header.index].number, column };
                let first_at = CellRef { column: first, ..at };
                self.import.problems.push(Problem {
                    place: Place::Cell(at),
                    code: INVALID_VALUE,
                    level: Level::Warning,
                    message: format!("this column also gives {}; it is not read", label(key)),
                    help: Some(format!(
                        "{} gives it first; say which column means what with --map \"Header=key\" (or \"Header=-\" to leave one out)",
                        book.cell_name(first_at)
                    )),
                    related: None,
                });
            }
            let table = classify(&header);
            let rows = sheet.rows[header.index + 1..].iter().filter(|r| !r.is_blank()).count();
            let ignored = match table {
                Some(t) if t != Table::Derived => ignored_columns(t, &header, index, &sheet.rows[header.index]),
                _ => Vec::new(),
            };
            self.import.sheets.push(SheetRead { sheet: index, table, rows, ignored });
            match table {
                Some(Table::Derived) => {}
                Some(table) => tables.push((index, table, header)),
                None => self.problem(
                    Place::Row(index, sheet.rows[header.index].number),
                    INVALID_VALUE,
                    "these columns do not make a table import reads".into(),
                    "a table needs, for example, Name, Type and Region (organisations); Organisation, Segment and From (segment periods); Organisation and Entered (RSP episodes): see docs/import-export.md".to_string(),
                ),
            }
        }
        if options.sheet.is_some() && self.import.sheets.is_empty() {
            let names: Vec<&str> = book.sheets.iter().filter_map(|s| s.name.as_deref()).collect();
            let wanted = options.sheet.as_deref().unwrap_or_default();
            let help = match closest(wanted, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("the sheets are: {}", names.join(", ")),
            };
            self.problem(Place::File, INVALID_VALUE, format!("there is no sheet `{wanted}`"), help);
        }
        // Organisations first, so that every other table can refer to them by id, code or name.
        let order = [
            Table::Organisations,
            Table::Segments,
            Table::Episodes,
            Table::ExitCriteria,
            Table::Support,
            Table::Undertakings,
        ];
        for wanted in order {
            for (sheet, table, header) in &tables {
                let detail = describes_organisations(header);
                // A tracker (one row per organisation with its details and RSP dates) gives
                // its organisations with the other organisations, and its episodes with
                // the other episodes: every table can then name them.
                let tracker = *table == Table::Episodes && detail;
                if *table != wanted && !(tracker && wanted == Table::Organisations) {
                    continue;
                }
                for row in self.book.sheets[*sheet].rows[header.index + 1..].iter().filter(|r| !r.is_blank()) {
                    let row = TableRow { sheet: *sheet, header, row };
                    match table {
                        Table::Organisations => self.organisation_row(&row),
                        Table::Segments if detail => self.organisation_row(&row),
                        Table::Segments => self.segment_row(&row),
                        Table::Episodes if tracker && wanted == Table::Organisations => self.organisation_row(&row),
                        Table::Episodes if tracker => {
                            // A trust the tracker lists but that was never in the programme.
                            if row.cell("entered").is_some() || row.cell("exited").is_some() {
                                self.episode_row(&row);
                            }
                            if row.header.has("segment") && !row.header.has("from") {
                                self.tracker_period(&row);
                            }
                        }
                        Table::Episodes => self.episode_row(&row),
                        Table::ExitCriteria => self.criterion_row(&row),
                        Table::Support => self.support_row(&row),
                        Table::Undertakings => self.undertaking_row(&row),
                        Table::Derived => {}
                    }
                }
            }
            if wanted == Table::Segments {
                self.resolve_systems();
                self.check_new_organisations();
            }
        }
        for org in &mut self.import.organisations {
            org.segments.sort_by_key(|(from, _)| *from);
            org.rsp.sort_by_key(|e| e.entered);
        }
    }

    /// Reads the cell of `key` as its kind of value, reporting it if it cannot be.
    fn field(&mut self, row: &TableRow, key: Key) -> Option<Cell> {
        let cell = self.read_field(row, key);
        if cell.is_none()
            && let Some((_, at)) = row.cell(key)
        {
            self.unread.push((at, key));
        }
        cell
    }

    fn read_field(&mut self, row: &TableRow, key: Key) -> Option<Cell> {
        let (value, at) = row.cell(key)?;
        let raw = value.to_string();
        // Lists take one item a line; every other value is one line.
        let text = match kind(key) {
            Kind::Words(_) | Kind::Texts => raw.trim().to_string(),
            _ => one_line(&raw).trim().to_string(),
        };
        // A text the export cut to fit a cell: the record keeps its whole text.
        if text.ends_with(crate::text::CUT_NOTE.trim_start()) {
            self.import.problems.push(Problem {
                place: Place::Cell(at),
                code: INVALID_VALUE,
                level: Level::Warning,
                message: format!(
                    "this {} was cut to fit an Excel cell by `oversight export`; it is not read",
                    label(key)
                ),
                help: Some("the record keeps its full text; change a long text in its file".into()),
                related: None,
            });
            return None;
        }
        let field = match kind(key) {
            Kind::Ignored => return None,
            Kind::Text => Field::Text(text),
            Kind::Code => Field::Text(text.to_uppercase()),
            Kind::Id => {
                if !is_slug(&text) {
                    let fixed = slugify(&text);
                    self.problem(
                        Place::Cell(at),
                        INVALID_ID,
                        format!("`{text}` is not a valid id"),
                        format!("write `{fixed}`: lower-case letters, digits and hyphens"),
                    );
                    return None;
                }
                Field::Word(text)
            }
            Kind::Word(v) => Field::Word(self.word(v, &text, at)?.into()),
            Kind::Words(v) => {
                let mut words = Vec::new();
                let mut ok = true;
                for part in text.split(is_item_break).map(str::trim).filter(|p| !p.is_empty()) {
                    match self.word(v, part, at) {
                        Some(w) if !words.contains(&w.to_string()) => words.push(w.to_string()),
                        Some(_) => {}
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Field::Words(words)
            }
            Kind::Texts => Field::Texts(
                text.split(is_item_break).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect(),
            ),
            // Resolved once every organisation is read: an ICB may come after its trusts.
            Kind::Reference => Field::Text(text),
            Kind::Date => match dates::parse(value) {
                Ok(d) => Field::Date(d),
                Err(why) => {
                    let help = "write the date as 13/07/2021 (day first) or 2021-07-13, or format the cell as a date; a month alone as 07/2021, Jul 2021 or 2021-07";
                    self.problem(Place::Cell(at), INVALID_VALUE, why, help.to_string());
                    return None;
                }
            },
            Kind::Segment => match whole_number(value, &text, true) {
                Some(n) => Field::Number(n),
                None => {
                    self.problem(
                        Place::Cell(at),
                        INVALID_VALUE,
                        format!("`{text}` is not a segment"),
                        "write the segment as a whole number, 1 to 5".to_string(),
                    );
                    return None;
                }
            },
            Kind::Money => match whole_number(value, &text.replace(['£', ',', ' '], ""), false) {
                Some(n) => Field::Number(n),
                None => {
                    self.problem(
                        Place::Cell(at),
                        INVALID_VALUE,
                        format!("`{text}` is not an amount in whole pounds"),
                        "write the funding in whole pounds, for example 250000 or £250,000".to_string(),
                    );
                    return None;
                }
            },
            Kind::Bool => match value {
                Value::Bool(b) => Field::Bool(*b),
                _ => match normalise(&text).as_str() {
                    "yes" | "y" | "true" | "1" | "breach" | "x" => Field::Bool(true),
                    "no" | "n" | "false" | "0" | "none" => Field::Bool(false),
                    _ => {
                        self.problem(
                            Place::Cell(at),
                            INVALID_VALUE,
                            format!("`{text}` is not yes or no"),
                            "write yes or no (or TRUE or FALSE)".to_string(),
                        );
                        return None;
                    }
                },
            },
        };
        Some(Cell { key, field, at })
    }

    /// The record word for a value of a vocabulary, or the problem reported.
    fn word(&mut self, v: &'static LazyLock<Vocab>, text: &str, at: CellRef) -> Option<&'static str> {
        let vocab: &'static Vocab = v;
        match vocab.find(text) {
            Ok(word) => Some(word),
            Err(unknown) => {
                let help = match unknown.suggestion {
                    Some(t) => format!("did you mean `{}` ({})?", t.name, t.word),
                    None => format!("allowed values: {}", vocab.listing()),
                };
                self.problem(Place::Cell(at), INVALID_VALUE, format!("`{text}` is not a valid {}", vocab.what), help);
                None
            }
        }
    }

    /// The id of the organisation `text` names: an id, an ODS code or a name, of one in the
    /// spreadsheet or the register.
    fn reference(&mut self, text: &str, at: CellRef) -> Option<String> {
        match self.find_organisation(text) {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                let candidates: Vec<String> = self.known_names();
                let help = match closest(text, candidates.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name an organisation by its id, ODS code or name, as in the organisations table or the register".into(),
                };
                self.problem(
                    Place::Cell(at),
                    UNRESOLVED_REFERENCE.code,
                    format!("no organisation `{text}` in the spreadsheet or the register"),
                    help,
                );
                None
            }
            Err(ids) => {
                self.problem(
                    Place::Cell(at),
                    UNRESOLVED_REFERENCE.code,
                    format!("ODS code `{text}` belongs to more than one organisation: {}", ids.join(", ")),
                    "name the organisation by its id instead".to_string(),
                );
                None
            }
        }
    }

    /// Ids, ODS codes and names of every organisation known: what a reference may name.
    fn known_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for o in &self.register.organisations {
            names.push(o.id.clone());
            names.push(o.name.clone());
            names.extend(o.ods_code.clone());
        }
        for o in &self.import.organisations {
            names.push(o.id.clone());
            if let Some(item) = &o.item {
                for key in ["name", "ods_code"] {
                    names.extend(item.get(key).and_then(|c| c.field.as_str()).map(str::to_string));
                }
            }
        }
        names
    }

    /// Finds an organisation by id, then ODS code, then name (in any case and spacing), in
    /// the spreadsheet first, then the register. `Err` lists the ids an ambiguous ODS code
    /// belongs to.
    fn find_organisation(&self, text: &str) -> Result<Option<String>, Vec<String>> {
        let text = text.trim();
        let (index, register) = (&self.index, self.register);
        if index.drafts.contains_key(text) || register.organisation(text).is_some() {
            return Ok(Some(text.to_string()));
        }
        let code = text.to_uppercase();
        let mut ids: Vec<String> = index.codes.get(&code).cloned().unwrap_or_default();
        for id in index.register_codes.get(&code).into_iter().flatten() {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        match ids.len() {
            1 => return Ok(ids.pop()),
            0 => {}
            _ => return Err(ids),
        }
        let name = normalise(text);
        if let Some(id) = index.names.get(&name).or_else(|| index.register_names.get(&name)) {
            return Ok(Some(id.clone()));
        }
        let slug = slugify(text);
        if index.drafts.contains_key(&slug) || register.organisation(&slug).is_some() {
            return Ok(Some(slug));
        }
        Ok(None)
    }

    /// The draft of organisation `id`, made (as one the register has) if there is none yet.
    fn draft(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.drafts.get(id) {
            return i;
        }
        self.index.drafts.insert(id.to_string(), self.import.organisations.len());
        let existing = self.register.organisation(id).is_some();
        self.import.organisations.push(OrgDraft {
            id: id.to_string(),
            existing,
            item: None,
            segments: Vec::new(),
            rsp: Vec::new(),
        });
        self.import.organisations.len() - 1
    }

    /// A row of an organisations table: the organisation's own fields and, where the table
    /// has a Segment column, one period of its history.
    fn organisation_row(&mut self, row: &TableRow) {
        let id_cell = row.text("org_id").or_else(|| row.text("id"));
        let ods = row.text("ods_code");
        let name_key = if row.header.has("name") { "name" } else { "organisation" };
        let name = row.text(name_key);
        // Which organisation the row is about: the one with its id, else its code, else its name.
        let known = |reader: &Reader, text: &str| reader.find_organisation(text).ok().flatten();
        let id = match (&id_cell, &ods, &name) {
            (Some((id, at)), ..) => {
                if !is_slug(id) {
                    self.problem(
                        Place::Cell(*at),
                        INVALID_ID,
                        format!("`{id}` is not a valid id"),
                        format!("write `{}`: lower-case letters, digits and hyphens", slugify(id)),
                    );
                    return;
                }
                id.clone()
            }
            (None, Some((code, _)), _) if known(self, code).is_some() => known(self, code).unwrap_or_default(),
            (None, _, Some((name, _))) if known(self, name).is_some() => known(self, name).unwrap_or_default(),
            (None, _, Some((name, at))) => {
                let id = slugify(name);
                if id.is_empty() {
                    self.problem(
                        Place::Cell(*at),
                        INVALID_ID,
                        format!("`{name}` makes no id"),
                        "give the organisation a name with letters or digits, or an Id column".to_string(),
                    );
                    return;
                }
                id
            }
            (None, _, None) => {
                self.problem(
                    Place::Cell(row.first()),
                    INVALID_VALUE,
                    "this row names no organisation: its name, ODS code and id are all empty".into(),
                    "fill in the organisation's name (or its ODS code, if it is in the register)".to_string(),
                );
                return;
            }
        };
        let index = self.draft(&id);
        let first = row.first();
        let mut item =
            self.import.organisations[index].item.take().unwrap_or_else(|| Item::new(row.sheet, row.row.number, first));
        if let Some((text, at)) = name {
            item.set(Cell { key: "name", field: Field::Text(text), at }, &mut self.import.problems, self.book);
        }
        for key in ["short_name", "type", "ods_code", "region", "system", "services", "licence_breach"] {
            if let Some(cell) = self.field(row, key) {
                item.set(cell, &mut self.import.problems, self.book);
            }
        }
        self.import.organisations[index].item = Some(item);
        self.index.add(&self.import.organisations[index]);
        // A tracker's segment is dated by its From column, or else by its RSP dates
        // ([`Reader::tracker_period`], with the episodes).
        if row.header.has("segment") && (row.header.has("from") || !row.header.has("entered")) {
            self.period(row, index);
        }
    }

    /// The segment of a tracker row that has no From column: the segment the organisation is
    /// in now, dated by the row's RSP dates, which are the only dates it has: in the programme
    /// since its entry (no exit yet), or out of it since its exit. A row with neither leaves
    /// its segment out, and says so.
    fn tracker_period(&mut self, row: &TableRow) {
        let Some(org) = self.row_organisation(row, true) else { return };
        let Some(segment) = self.field(row, "segment") else { return };
        let dated = ["exited", "entered"].into_iter().find_map(|key| {
            let (value, at) = row.cell(key)?;
            dates::parse(value).ok().map(|d| (d, at))
        });
        let Some((date, at)) = dated else {
            // Said, never dropped in silence; a warning, so the rest of the row is imported.
            if row.cell("entered").is_none() {
                self.import.problems.push(Problem {
                    place: Place::Cell(segment.at),
                    code: INVALID_VALUE,
                    level: Level::Warning,
                    message: "this segment is not imported: the row gives no date it applies from".into(),
                    help: Some(
                        "add a column for the date the segment applies from (\"Segment from\"), or fill in the RSP entry date"
                            .into(),
                    ),
                    related: None,
                });
            }
            return;
        };
        let from = Cell { key: "from", field: Field::Date(date), at };
        let (book, problems) = (self.book, &mut self.import.problems);
        let periods = &mut self.import.organisations[org].segments;
        let index = match periods.iter().position(|(d, _)| *d == date) {
            Some(i) => i,
            None => {
                periods.push((date, Item::new(row.sheet, row.row.number, segment.at)));
                periods.len() - 1
            }
        };
        for cell in [segment, from] {
            periods[index].1.set(cell, problems, book);
        }
    }

    /// Each organisation's `system` as the id of the ICB it names.
    fn resolve_systems(&mut self) {
        for i in 0..self.import.organisations.len() {
            let Some(item) = &self.import.organisations[i].item else { continue };
            let Some(cell) = item.get("system").cloned() else { continue };
            let written = cell.field.as_str().unwrap_or_default().to_string();
            let resolved = self.reference(&written, cell.at);
            let Some(item) = self.import.organisations[i].item.as_mut() else { continue };
            item.fields.retain(|c| c.key != "system");
            if let Some(id) = resolved {
                item.fields.push(Cell { field: Field::Word(id), ..cell });
            }
        }
    }

    /// Every new organisation has what a record needs: a name, a type and a region.
    fn check_new_organisations(&mut self) {
        let mut problems = Vec::new();
        for org in self.import.organisations.iter().filter(|o| !o.existing) {
            let Some(item) = &org.item else { continue };
            let rows = org.rows();
            let unread = |key: &str| self.unread.iter().any(|(at, k)| *k == key && rows.contains(&(at.sheet, at.row)));
            let name = item.get("name").and_then(|c| c.field.as_str()).unwrap_or(&org.id).to_string();
            for (key, example) in [
                ("name", "the organisation's full name"),
                ("type", "NHS trust, NHS foundation trust or ICB"),
                ("region", "the NHS England region, e.g. North West"),
            ] {
                if item.get(key).is_none() && !unread(key) {
                    problems.push(Problem {
                        place: Place::Cell(item.at),
                        code: INVALID_VALUE,
                        level: Level::Error,
                        message: format!("the new organisation `{name}` has no {}", label(key)),
                        help: Some(format!(
                            "add a {} column ({example}) to the organisations table, or fill it in on this row",
                            label(key)
                        )),
                        related: None,
                    });
                }
            }
        }
        self.import.problems.extend(problems);
    }

    /// The organisation a row of a table other than organisations refers to.
    fn row_organisation(&mut self, row: &TableRow, by_id: bool) -> Option<usize> {
        let keys: &[Key] = if by_id {
            &["org_id", "id", "ods_code", "organisation", "name"]
        } else {
            &["org_id", "ods_code", "organisation", "name"]
        };
        let Some((text, at)) = keys.iter().find_map(|k| row.text(k)) else {
            self.problem(
                Place::Cell(row.first()),
                INVALID_VALUE,
                "this row names no organisation".into(),
                "fill in the organisation's id, ODS code or name".to_string(),
            );
            return None;
        };
        let id = self.reference(&text, at)?;
        Some(self.draft(&id))
    }

    fn segment_row(&mut self, row: &TableRow) {
        if let Some(index) = self.row_organisation(row, true) {
            self.period(row, index);
        }
    }

    /// One segment period from a row, added to the organisation's history (or merged with
    /// the period of the same start date another row gave).
    fn period(&mut self, row: &TableRow, org: usize) {
        let Some(segment) = self.field(row, "segment") else {
            if row.cell("segment").is_none() && (row.cell("from").is_some() || row.cell("to").is_some()) {
                let at = row.at(row.header.column("segment").unwrap_or(0));
                self.problem(
                    Place::Cell(at),
                    INVALID_VALUE,
                    "the period has dates but no segment".into(),
                    "fill in the segment, 1 to 5".to_string(),
                );
            }
            return;
        };
        let Some(from) = self.required_date(row, "from", "the period's first day (From)") else { return };
        let Some(date) = from.field.as_date() else { return };
        let mut cells = vec![segment, from];
        // A tracker's note is its episode's.
        let note: &[Key] = if row.header.has("entered") { &[] } else { &["note"] };
        cells.extend(["to", "framework"].iter().chain(note).filter_map(|k| self.field(row, k)));
        let (book, problems) = (self.book, &mut self.import.problems);
        let periods = &mut self.import.organisations[org].segments;
        let index = match periods.iter().position(|(d, _)| *d == date) {
            Some(i) => i,
            None => {
                periods.push((date, Item::new(row.sheet, row.row.number, cells[0].at)));
                periods.len() - 1
            }
        };
        for cell in cells {
            periods[index].1.set(cell, problems, book);
        }
    }

    /// The date of `key`, required: reported if the cell is empty or not a date.
    fn required_date(&mut self, row: &TableRow, key: Key, what: &str) -> Option<Cell> {
        if row.cell(key).is_none() {
            let at = row.at(row.header.column(key).unwrap_or_else(|| row.first().column));
            let help = if row.header.has(key) { format!("fill in {what}") } else { format!("add a column for {what}") };
            self.problem(Place::Cell(at), INVALID_VALUE, format!("no {} on this row", label(key)), help);
            return None;
        }
        self.field(row, key)
    }

    fn episode_row(&mut self, row: &TableRow) {
        let Some(org) = self.row_organisation(row, true) else { return };
        let Some(entered) = self.required_date(row, "entered", "the date the organisation entered the programme")
        else {
            return;
        };
        let Some(date) = entered.field.as_date() else { return };
        let mut fields = Vec::new();
        for key in [
            "criteria",
            "route",
            "improvement_director",
            "diagnostic_completed",
            "exited",
            "exit_reason",
            "transition_support",
            "note",
        ] {
            fields.extend(self.field(row, key));
        }
        let (book, problems) = (self.book, &mut self.import.problems);
        let episodes = &mut self.import.organisations[org].rsp;
        let index = match episodes.iter().position(|e| e.entered == date) {
            Some(i) => i,
            None => {
                let item = Item::new(row.sheet, row.row.number, entered.at);
                episodes.push(EpisodeDraft { item, entered: date, exit_criteria: Vec::new() });
                episodes.len() - 1
            }
        };
        let item = &mut episodes[index].item;
        for cell in std::iter::once(entered).chain(fields) {
            item.set(cell, problems, book);
        }
    }

    fn criterion_row(&mut self, row: &TableRow) {
        let Some(org) = self.row_organisation(row, false) else { return };
        let Some(entered) =
            self.required_date(row, "entered", "the entry date of the episode the criterion belongs to")
        else {
            return;
        };
        let Some(date) = entered.field.as_date() else { return };
        let text = self.field(row, "criterion_text");
        let id = match (self.field(row, "criterion_id"), &text) {
            (Some(id), _) => id,
            (None, Some(text)) => {
                let id = criterion_slug(text.field.as_str().unwrap_or_default());
                Cell { key: "criterion_id", field: Field::Word(id), at: text.at }
            }
            (None, None) => {
                self.problem(
                    Place::Cell(row.first()),
                    INVALID_VALUE,
                    "the exit criterion has neither an id nor a text".into(),
                    "fill in the exit criterion's text (and, if you like, a short id)".to_string(),
                );
                return;
            }
        };
        let met = self.field(row, "met");
        let org_id = self.import.organisations[org].id.clone();
        // The episode: one this spreadsheet gives, else one the register has.
        let in_register = self.register.organisation(&org_id).is_some_and(|o| o.rsp.iter().any(|e| e.entered == date));
        let episodes = &mut self.import.organisations[org].rsp;
        let index = match episodes.iter().position(|e| e.entered == date) {
            Some(i) => i,
            None if in_register => {
                let mut item = Item::new(row.sheet, row.row.number, entered.at);
                item.fields.push(entered);
                episodes.push(EpisodeDraft { item, entered: date, exit_criteria: Vec::new() });
                episodes.len() - 1
            }
            None => {
                self.problem(
                    Place::Cell(entered.at),
                    UNRESOLVED_REFERENCE.code,
                    format!("`{org_id}` has no RSP episode entered on {date}"),
                    "give the entry date of one of the organisation's episodes, as in the RSP episodes table"
                        .to_string(),
                );
                return;
            }
        };
        let criterion_id = id.field.as_str().unwrap_or_default().to_string();
        let (book, problems) = (self.book, &mut self.import.problems);
        let criteria = &mut self.import.organisations[org].rsp[index].exit_criteria;
        let slot = match criteria.iter().position(|(c, _)| *c == criterion_id) {
            Some(i) => i,
            None => {
                criteria.push((criterion_id.clone(), Item::new(row.sheet, row.row.number, id.at)));
                criteria.len() - 1
            }
        };
        let item = &mut criteria[slot].1;
        let id = Cell { key: "id", ..id };
        let text = text.map(|t| Cell { key: "text", ..t });
        for cell in std::iter::once(id).chain(text).chain(met) {
            item.set(cell, problems, book);
        }
    }

    fn support_row(&mut self, row: &TableRow) {
        let Some(org) = self.row_organisation(row, false) else { return };
        let org_id = self.import.organisations[org].id.clone();
        let item = Item::new(row.sheet, row.row.number, row.first());
        let organisation = Cell { key: "organisation", field: Field::Word(org_id.clone()), at: item.at };
        let mut fields = vec![organisation];
        let kind_key = if row.header.has("kind") { "kind" } else { "type" };
        let kind = row.cell(kind_key).and_then(|_| {
            if kind_key == "type" {
                let (text, at) = row.text("type")?;
                Some(Cell { key: "kind", field: Field::Word(self.word(&vocab::SUPPORT_KIND, &text, at)?.into()), at })
            } else {
                self.field(row, "kind")
            }
        });
        fields.extend(kind);
        fields.extend(self.field(row, "title"));
        fields.extend(self.field(row, "provider"));
        let start = self.required_date(row, "from", "the date the package started (Start)");
        fields.extend(start.clone().map(|c| Cell { key: "start", ..c }));
        fields.extend(self.field(row, "to").map(|c| Cell { key: "end", ..c }));
        for key in ["status", "funding_gbp", "description"] {
            fields.extend(self.field(row, key));
        }
        let Some(start) = start.and_then(|s| s.field.as_date()) else { return };
        let kind_word =
            fields.iter().find(|c| c.key == "kind").and_then(|c| c.field.as_str()).unwrap_or("other").to_string();
        let explicit = self.field(row, "id").and_then(|c| c.field.as_str().map(str::to_string));
        // The package the register has: the same id, or the same organisation, kind and start.
        let existing = match &explicit {
            Some(id) => self.register.support.iter().find(|s| &s.id == id),
            None => self.register.support.iter().find(|s| {
                s.organisation == org_id && vocab::support_kind_word(s.kind) == kind_word && s.start == start
            }),
        };
        let id = match (explicit, existing) {
            (Some(id), _) => id,
            (None, Some(s)) => s.id.clone(),
            (None, None) => {
                let taken = |id: &str| {
                    self.register.support.iter().any(|s| s.id == id) || self.import.support.iter().any(|s| s.id == id)
                };
                let base = format!("{org_id}-{kind_word}");
                let same_key = self.import.support.iter().position(|s| {
                    s.item.get("organisation").is_some_and(|c| c.field.as_str() == Some(org_id.as_str()))
                        && s.item.get("kind").and_then(|c| c.field.as_str()) == Some(kind_word.as_str())
                        && s.item.get("start").and_then(|c| c.field.as_date()) == Some(start)
                });
                match same_key {
                    Some(i) => self.import.support[i].id.clone(),
                    None if !taken(&base) => base,
                    None => format!("{base}-{}", start.civil()),
                }
            }
        };
        let existing = self.register.support.iter().any(|s| s.id == id);
        self.record(true, id, existing, item, fields);
    }

    fn undertaking_row(&mut self, row: &TableRow) {
        let Some(org) = self.row_organisation(row, false) else { return };
        let org_id = self.import.organisations[org].id.clone();
        let item = Item::new(row.sheet, row.row.number, row.first());
        let mut fields = vec![Cell { key: "organisation", field: Field::Word(org_id.clone()), at: item.at }];
        fields.extend(self.field(row, "regulator"));
        let accepted = self.required_date(row, "accepted", "the date the undertakings were accepted");
        fields.extend(accepted.clone());
        for key in ["legal_basis", "breaches", "summary", "released", "document_url"] {
            fields.extend(self.field(row, key));
        }
        let Some(accepted) = accepted.and_then(|a| a.field.as_date()) else { return };
        let explicit = self.field(row, "id").and_then(|c| c.field.as_str().map(str::to_string));
        let existing = match &explicit {
            Some(id) => self.register.undertakings.iter().find(|u| &u.id == id),
            None => self.register.undertakings.iter().find(|u| u.organisation == org_id && u.accepted == accepted),
        };
        let id = match (explicit, existing) {
            (Some(id), _) => id,
            (None, Some(u)) => u.id.clone(),
            (None, None) => {
                let same_key = self.import.undertakings.iter().position(|u| {
                    u.item.get("organisation").is_some_and(|c| c.field.as_str() == Some(org_id.as_str()))
                        && u.item.get("accepted").and_then(|c| c.field.as_date()) == Some(accepted)
                });
                let taken = |id: &str| {
                    self.register.undertakings.iter().any(|u| u.id == id)
                        || self.import.undertakings.iter().any(|u| u.id == id)
                };
                let base = format!("{org_id}-{}", accepted.year());
                match same_key {
                    Some(i) => self.import.undertakings[i].id.clone(),
                    None if !taken(&base) => base,
                    None => format!("{org_id}-{}", accepted.civil()),
                }
            }
        };
        let existing = self.register.undertakings.iter().any(|u| u.id == id);
        self.record(false, id, existing, item, fields);
    }

    /// Adds a support package (`support`) or undertakings record, or merges the row into the
    /// one of the same id another row gave.
    fn record(&mut self, support: bool, id: String, existing: bool, item: Item, fields: Vec<Cell>) {
        let (book, problems) = (self.book, &mut self.import.problems);
        let records = if support { &mut self.import.support } else { &mut self.import.undertakings };
        let index = match records.iter().position(|r| r.id == id) {
            Some(i) => i,
            None => {
                records.push(RecordDraft { id, existing, item });
                records.len() - 1
            }
        };
        for cell in fields {
            records[index].item.set(cell, problems, book);
        }
    }
}

/// Where a list cell's items part: `;` or a line break.
fn is_item_break(c: char) -> bool {
    c == ';' || is_line_break(c)
}

/// The keys a table of kind `table` reads, given its header.
fn reads(table: Table, header: &Header, key: Key) -> bool {
    const REFERENCE: &[Key] = &["org_id", "ods_code", "organisation", "name"];
    const ORGANISATION: &[Key] =
        &["org_id", "id", "name", "short_name", "type", "ods_code", "region", "system", "services", "licence_breach"];
    const PERIOD: &[Key] = &["segment", "from", "to", "framework", "note"];
    const EPISODE: &[Key] = &[
        "entered",
        "criteria",
        "route",
        "improvement_director",
        "diagnostic_completed",
        "exited",
        "exit_reason",
        "transition_support",
        "note",
    ];
    let detail = describes_organisations(header);
    // An organisation's own fields: its name from Name, or from Organisation without one.
    let own = |k: Key| ORGANISATION.contains(&k) || (k == "organisation" && !header.has("name"));
    let period = |k: Key| PERIOD.contains(&k) && header.has("segment");
    match table {
        Table::Organisations => own(key) || period(key),
        Table::Segments if detail => own(key) || period(key),
        Table::Segments => REFERENCE.contains(&key) || key == "id" || period(key),
        Table::Episodes => {
            let reference = REFERENCE.contains(&key) || key == "id";
            let tracker = detail && (own(key) || period(key));
            reference || EPISODE.contains(&key) || tracker
        }
        Table::ExitCriteria => {
            REFERENCE.contains(&key) || ["entered", "criterion_id", "criterion_text", "met"].contains(&key)
        }
        Table::Support => {
            let kind = key == "kind" || (key == "type" && !header.has("kind"));
            let fields = ["id", "title", "provider", "from", "to", "status", "funding_gbp", "description"];
            REFERENCE.contains(&key) || kind || fields.contains(&key)
        }
        Table::Undertakings => {
            let fields =
                ["id", "regulator", "accepted", "legal_basis", "breaches", "summary", "released", "document_url"];
            REFERENCE.contains(&key) || fields.contains(&key)
        }
        Table::Derived => false,
    }
}

/// Every column of a table that import does not read: headers it does not know, columns left
/// out by `--map`, computed figures, and known columns that this kind of table has no use for
/// (a Region column in a table of RSP episodes alone).
fn ignored_columns(table: Table, header: &Header, sheet: usize, row: &Row) -> Vec<Ignored> {
    let at = |column| CellRef { sheet, row: row.number, column };
    let mut ignored: Vec<Ignored> = header
        .unknown
        .iter()
        .map(|(column, text, mapped_out)| Ignored {
            at: at(*column),
            header: text.clone(),
            why: if *mapped_out {
                "left out by --map".into()
            } else {
                format!("import knows no such column; if it holds a field, say which with --map \"{text}=key\"")
            },
        })
        .collect();
    for &(column, key) in &header.columns {
        let why = if key == "computed" {
            "a figure computed from the records".to_string()
        } else if !reads(table, header, key) {
            format!("a table of {} does not read {}", table.name(), label(key))
        } else {
            continue;
        };
        let text = one_line(&row.get(column).to_string()).trim().to_string();
        ignored.push(Ignored { at: at(column), header: text, why });
    }
    ignored.sort_by_key(|i| i.at.column);
    ignored
}

/// What kind of table a header makes, by its columns.
fn classify(header: &Header) -> Option<Table> {
    let has = |k| header.has(k);
    let names_org = has("org_id") || has("id") || has("ods_code") || has("organisation") || has("name");
    if has("derived") {
        Some(Table::Derived)
    } else if has("entered") && (has("criterion_id") || has("criterion_text") || has("met")) {
        Some(Table::ExitCriteria)
    } else if has("entered") {
        Some(Table::Episodes)
    } else if has("segment") && names_org {
        Some(Table::Segments)
    } else if has("accepted") || has("regulator") || has("legal_basis") {
        Some(Table::Undertakings)
    } else if has("kind") || (has("title") && (has("from") || has("status") || has("provider"))) {
        Some(Table::Support)
    } else if names_org && describes_organisations(header) {
        Some(Table::Organisations)
    } else {
        None
    }
}

/// Whether a table gives organisations' own details, not only refers to them.
fn describes_organisations(header: &Header) -> bool {
    ["type", "region", "short_name", "system", "services", "licence_breach"].iter().any(|k| header.has(k))
        || (header.has("name") && (header.has("ods_code") || header.has("org_id") || header.has("id")))
}

/// A whole number from a cell: `4`, `4.0`, or (for a segment) text with one number in it
/// ("Segment 4").
fn whole_number(value: &Value, text: &str, within_text: bool) -> Option<u64> {
    match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(*n as u64),
        Value::Number(_) => None,
        _ => {
            if let Ok(n) = text.parse::<u64>() {
                return Some(n);
            }
            if !within_text {
                return None;
            }
            let numbers: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
            match numbers.as_slice() {
                [one] => one.parse().ok(),
                _ => None,
            }
        }
    }
}

/// An exit criterion's id made from its text: the slug of its first words, short enough to
/// read, stable for the same text.
pub fn criterion_slug(text: &str) -> String {
    let slug = slugify(text);
    let mut out = String::new();
    for word in slug.split('-') {
        if !out.is_empty() && out.len() + word.len() + 1 > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() { "criterion".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_slugs() {
        assert_eq!(whole_number(&Value::Number(4.0), "4", true), Some(4));
        assert_eq!(whole_number(&Value::Text("Segment 4".into()), "Segment 4", true), Some(4));
        assert_eq!(whole_number(&Value::Text("4 or 3".into()), "4 or 3", true), None);
        assert_eq!(whole_number(&Value::Text("250000".into()), "250000", false), Some(250_000));
        assert_eq!(
            criterion_slug("CQC well-led rating of at least requires improvement on re-inspection"),
            "cqc-well-led-rating-of-at-least-requires"
        );
    }
}
