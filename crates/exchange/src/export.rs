//! The register as an Excel workbook: one sheet per record kind (Organisations, Segment
//! periods, RSP episodes, Exit criteria, Support packages, Undertakings), the Timeline as at
//! a date, and the Figures the website states, computed by oversight-analysis.
//!
//! Every sheet has its header row frozen and filtered and its columns sized to their text;
//! days are real date cells. In the record sheets a month-precision date is written as `2021-07`
//! text, so its precision is not lost; the Timeline sheet, which is only read, writes it as a
//! date cell shown "Jul 2021", so its columns sort. The record sheets use the import's own
//! column names, so the workbook imports back as the same register. The same register gives the same bytes: the
//! workbook's creation date is the as-of date, never the clock.
//!
//! A text longer than an Excel cell holds (32,767 characters) is cut to fit, ending with
//! [`CUT_NOTE`](crate::text::CUT_NOTE), rather than failing the export or a build; import knows the note and keeps the
//! record's full text.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use oversight_analysis::{blocks, census, episodes, system_nouns};
use oversight_model::{OrgType, Register};
use oversight_syntax::date::Date;

use crate::fields::{self, Field, Fields, is_day};
use crate::text::fit_cell;
use crate::vocab::REGIONS;

/// A sheet's columns: (header, field key).
type Columns = &'static [(&'static str, &'static str)];

const ORGANISATIONS: Columns = &[
    ("Id", "id"),
    ("Name", "name"),
    ("Short name", "short_name"),
    ("Type", "type"),
    ("ODS code", "ods_code"),
    ("Region", "region"),
    ("System", "system"),
    ("Services", "services"),
    ("Licence breach", "licence_breach"),
];
const PERIODS: Columns = &[
    ("Organisation", "organisation"),
    ("Segment", "segment"),
    ("From", "from"),
    ("To", "to"),
    ("Framework", "framework"),
    ("Note", "note"),
];
const EPISODES: Columns = &[
    ("Organisation", "organisation"),
    ("Entered", "entered"),
    ("Exited", "exited"),
    ("Exit reason", "exit_reason"),
    ("Route", "route"),
    ("Criteria", "criteria"),
    ("Improvement director", "improvement_director"),
    ("Diagnostic completed", "diagnostic_completed"),
    ("Transition support", "transition_support"),
    ("Note", "note"),
];
const CRITERIA: Columns = &[
    ("Organisation", "organisation"),
    ("Entered", "entered"),
    ("Criterion id", "id"),
    ("Exit criterion", "text"),
    ("Met", "met"),
];
const SUPPORT: Columns = &[
    ("Id", "id"),
    ("Organisation", "organisation"),
    ("Kind", "kind"),
    ("Title", "title"),
    ("Provider", "provider"),
    ("Start", "start"),
    ("End", "end"),
    ("Status", "status"),
    ("Funding (£)", "funding_gbp"),
    ("Description", "description"),
];
const UNDERTAKINGS: Columns = &[
    ("Id", "id"),
    ("Organisation", "organisation"),
    ("Regulator", "regulator"),
    ("Accepted", "accepted"),
    ("Legal basis", "legal_basis"),
    ("Breaches", "breaches"),
    ("Summary", "summary"),
    ("Released", "released"),
    ("Document URL", "document_url"),
];

/// The workbook's formats.
struct Formats {
    header: Format,
    date: Format,
    /// A month-precision date in a sheet that is only read (Timeline): "Jul 2021".
    month: Format,
    title: Format,
}

/// One sheet being written: the next row, and the widest text of each column.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    formats: &'a Formats,
    header_row: u32,
    row: u32,
    widths: Vec<usize>,
    /// Write month-precision dates as date cells on the month's first day, shown "Jul 2021",
    /// so the column sorts; only in sheets that are read, never imported (a date cell cannot
    /// say it meant a month).
    months_as_dates: bool,
}

/// Column widths in characters: at least a header's, at most a readable line.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

impl<'a> Table<'a> {
    fn new(
        sheet: &'a mut Worksheet,
        formats: &'a Formats,
        title: Option<&str>,
        headers: &[&str],
    ) -> Result<Table<'a>, XlsxError> {
        let mut header_row = 0;
        if let Some(title) = title {
            sheet.write_string_with_format(0, 0, &*fit_cell(title), &formats.title)?;
            header_row = 1;
        }
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(header_row, c as u16, *h, &formats.header)?;
        }
        let widths = headers.iter().map(|h| h.chars().count() + 3).collect();
        Ok(Table { sheet, formats, header_row, row: header_row + 1, widths, months_as_dates: false })
    }

    fn width(&mut self, column: usize, text_len: usize) {
        if let Some(w) = self.widths.get_mut(column) {
            *w = (*w).max(text_len);
        }
    }

    fn cell(&mut self, column: usize, field: Option<&Field>) -> Result<(), XlsxError> {
        let (row, col) = (self.row, column as u16);
        let Some(field) = field else { return Ok(()) };
        match field {
            Field::Date(d) if is_day(*d) || self.months_as_dates => {
                let c = d.earliest().civil();
                let when = ExcelDateTime::from_ymd(c.year() as u16, c.month() as u8, c.day() as u8)?;
                let format = if is_day(*d) { &self.formats.date } else { &self.formats.month };
                self.sheet.write_datetime_with_format(row, col, &when, format)?;
                self.width(column, 12);
            }
            Field::Number(n) => {
                self.sheet.write_number(row, col, *n as f64)?;
                self.width(column, n.to_string().len());
            }
            Field::Bool(b) => {
                self.sheet.write_boolean(row, col, *b)?;
                self.width(column, 5);
            }
            other => {
                let text = other.display();
                if !text.is_empty() {
                    self.sheet.write_string(row, col, &*fit_cell(&text))?;
                }
                self.width(column, text.chars().count());
            }
        }
        Ok(())
    }

    /// A row of `fields` in the order of `columns`.
    fn record(&mut self, columns: Columns, fields: &Fields) -> Result<(), XlsxError> {
        for (c, (_, key)) in columns.iter().enumerate() {
            self.cell(c, fields::get(fields, key))?;
        }
        self.row += 1;
        Ok(())
    }

    /// Freezes the header, filters the table and sizes the columns.
    fn finish(self) -> Result<(), XlsxError> {
        let last_col = self.widths.len().saturating_sub(1) as u16;
        self.sheet.set_freeze_panes(self.header_row + 1, 0)?;
        self.sheet.autofilter(self.header_row, 0, self.row.saturating_sub(1).max(self.header_row), last_col)?;
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as u16, w.clamp(&MIN_WIDTH, &MAX_WIDTH).to_owned() as f64 + 1.0)?;
        }
        Ok(())
    }
}

fn headers(columns: Columns) -> Vec<&'static str> {
    columns.iter().map(|(h, _)| *h).collect()
}

fn with(mut fields: Fields, key: &'static str, field: Field) -> Fields {
    fields.insert(0, (key, field));
    fields
}

/// The register as an xlsx workbook, with the timeline and figures as at `as_of`.
pub fn workbook(register: &Register, as_of: Date) -> Result<Vec<u8>, String> {
    build(register, as_of).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn build(register: &Register, as_of: Date) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let c = as_of.civil();
    let created = ExcelDateTime::from_ymd(c.year() as u16, c.month() as u8, c.day() as u8)?;
    let properties = DocProperties::new()
        .set_title(&register.site.title)
        .set_subject(format!("The register as at {}", as_of.display_long()))
        .set_author(register.site.publisher.as_deref().unwrap_or("oversight"))
        .set_creation_datetime(&created);
    book.set_properties(&properties);
    let formats = Formats {
        header: Format::new().set_bold().set_text_wrap(),
        date: Format::new().set_num_format("d mmm yyyy"),
        month: Format::new().set_num_format("mmm yyyy"),
        title: Format::new().set_bold().set_font_size(13),
    };

    let sheet = book.add_worksheet().set_name("Organisations")?;
    let mut t = Table::new(sheet, &formats, None, &headers(ORGANISATIONS))?;
    for o in &register.organisations {
        t.record(ORGANISATIONS, &with(fields::organisation(o), "id", Field::Word(o.id.clone())))?;
    }
    t.finish()?;

    let sheet = book.add_worksheet().set_name("Segment periods")?;
    let mut t = Table::new(sheet, &formats, None, &headers(PERIODS))?;
    for o in &register.organisations {
        for p in &o.segments {
            t.record(PERIODS, &with(fields::period(p), "organisation", Field::Word(o.id.clone())))?;
        }
    }
    t.finish()?;

    let sheet = book.add_worksheet().set_name("RSP episodes")?;
    let mut t = Table::new(sheet, &formats, None, &headers(EPISODES))?;
    for o in &register.organisations {
        for e in &o.rsp {
            t.record(EPISODES, &with(fields::episode(e), "organisation", Field::Word(o.id.clone())))?;
        }
    }
    t.finish()?;

    let sheet = book.add_worksheet().set_name("Exit criteria")?;
    let mut t = Table::new(sheet, &formats, None, &headers(CRITERIA))?;
    for o in &register.organisations {
        for e in &o.rsp {
            for c in &e.exit_criteria {
                let f = with(fields::criterion(c), "entered", Field::Date(e.entered));
                t.record(CRITERIA, &with(f, "organisation", Field::Word(o.id.clone())))?;
            }
        }
    }
    t.finish()?;

    let sheet = book.add_worksheet().set_name("Support packages")?;
    let mut t = Table::new(sheet, &formats, None, &headers(SUPPORT))?;
    for s in &register.support {
        t.record(SUPPORT, &with(fields::support(s), "id", Field::Word(s.id.clone())))?;
    }
    t.finish()?;

    let sheet = book.add_worksheet().set_name("Undertakings")?;
    let mut t = Table::new(sheet, &formats, None, &headers(UNDERTAKINGS))?;
    for u in &register.undertakings {
        t.record(UNDERTAKINGS, &with(fields::undertaking(u), "id", Field::Word(u.id.clone())))?;
    }
    t.finish()?;

    timeline(book.add_worksheet().set_name("Timeline")?, &formats, register, as_of)?;
    figures(book.add_worksheet().set_name("Figures")?, &formats, register, as_of)?;
    book.save_to_buffer()
}

/// The episode table of the timeline page and its CSV download, as at `as_of`.
fn timeline(sheet: &mut Worksheet, formats: &Formats, register: &Register, as_of: Date) -> Result<(), XlsxError> {
    let title = format!("Timeline of RSP entry and exit points, as at {}", as_of.display_long());
    let columns = [
        "Organisation id",
        "Name",
        "Type",
        "Region",
        "Entered",
        "Exited",
        "Days in programme",
        "Entry criteria",
        "Segment after exit",
        "Days approximate",
        "Exit reason",
    ];
    let mut t = Table::new(sheet, formats, Some(&title), &columns)?;
    t.months_as_dates = true;
    for r in episodes::rows(register, as_of) {
        let org = register.organisation(&r.organisation_id);
        let (org_type, region) = org.map_or((r.org_type, r.region), |o| (o.org_type.name(), o.region.name()));
        let cells = [
            Some(Field::Word(r.organisation_id)),
            Some(Field::Text(r.name)),
            Some(Field::Text(org_type.into())),
            Some(Field::Text(region.into())),
            Some(Field::Date(r.entered)),
            r.exited.map(Field::Date),
            Some(Field::Number(r.days_in_programme.max(0) as u64)),
            Some(Field::Text(r.entry_criteria.join(", "))),
            r.segment_after_exit.map(|s| Field::Number(u64::from(s))),
            Some(Field::Bool(r.days_approximate)),
            r.exit_reason.map(|w| Field::Text(w.into())),
        ];
        for (c, cell) in cells.iter().enumerate() {
            t.cell(c, cell.as_ref())?;
        }
        t.row += 1;
    }
    t.finish()
}

/// The figures the website's home page and the `stats` block state, as at `as_of`: the
/// census of oversight-analysis, and its sentences word for word.
fn figures(sheet: &mut Worksheet, formats: &Formats, register: &Register, as_of: Date) -> Result<(), XlsxError> {
    let c = census(register, as_of);
    let title = format!("Figures as at {}", as_of.display_long());
    let mut t = Table::new(sheet, formats, Some(&title), &["Figure", "Value"])?;
    let (_, systems) = system_nouns(as_of);
    let mut rows: Vec<(String, Option<Field>)> = vec![
        ("As at".into(), Some(Field::Date(as_of))),
        ("NHS providers in the programme".into(), Some(Field::Number(c.providers as u64))),
        (format!("{} in the programme", capitalise(systems)), Some(Field::Number(c.icbs as u64))),
    ];
    // Types are labelled as everywhere else the workbook and the website name them.
    for kind in [OrgType::NhsTrust, OrgType::FoundationTrust, OrgType::Icb] {
        let n = c.by_type.get(kind.id()).copied().unwrap_or(0);
        rows.push((format!("In the programme: {}", kind.name()), Some(Field::Number(n as u64))));
    }
    for region in REGIONS {
        let n = c.by_region.get(region.id()).copied().unwrap_or(0);
        rows.push((format!("In the programme: {}", region.name()), Some(Field::Number(n as u64))));
    }
    rows.extend([
        ("Entries into the programme".into(), Some(Field::Number(c.entries as u64))),
        ("Exits from the programme".into(), Some(Field::Number(c.exits as u64))),
        ("Organisations that have exited".into(), Some(Field::Number(c.organisations_exited as u64))),
        ("Organisations that have re-entered".into(), Some(Field::Number(c.organisations_reentered as u64))),
        ("Re-entries".into(), Some(Field::Number(c.re_entries as u64))),
        (
            "Exits that were successful (criteria met or on a CQC recommendation)".into(),
            Some(Field::Number(c.exits_successful as u64)),
        ),
        ("Exits with no reason recorded".into(), Some(Field::Number(c.exits_reason_unknown as u64))),
        (
            "Median days in the programme of those in it".into(),
            c.median_days_current.map(|d| Field::Number(d.max(0) as u64)),
        ),
        ("Longest in the programme now".into(), c.longest_current.as_ref().map(|(name, _)| Field::Text(name.clone()))),
        (
            "Longest in the programme now: days".into(),
            c.longest_current.as_ref().map(|(_, d)| Field::Number((*d).max(0) as u64)),
        ),
    ]);
    for sentence in blocks::stats(register, as_of) {
        rows.push(("As the website states it".into(), Some(Field::Text(sentence))));
    }
    for (label, value) in rows {
        t.cell(0, Some(&Field::Text(label)))?;
        t.cell(1, value.as_ref())?;
        t.row += 1;
    }
    t.finish()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + chars.as_str())
}
