//! A spreadsheet as rows of cells, whatever file it came from: `.xlsx`, `.xlsm`, `.xls`,
//! `.xlsb` and `.ods` through `calamine`, `.csv` through `csv`. Each cell keeps its place
//! (sheet, row and column as the spreadsheet numbers them) so that every problem can be
//! reported as "register.xlsx, sheet Episodes, cell C12".
//!
//! A workbook is read within bounds ([`MAX_FILE_BYTES`], [`MAX_INFLATED_BYTES`],
//! [`MAX_USED_CELLS`]): a 1.5 KB file can name a cell at XFD1048576 (a table of 17 billion
//! cells) or hold a zip entry that inflates to gigabytes, and calamine would build either.

use std::fmt;
use std::io::Read;
use std::path::Path;

use calamine::{Data, DataRef, Reader, Xlsb, Xlsx, open_workbook, open_workbook_auto};

/// A spreadsheet to import is at most this large on disk.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The parts of a zipped workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`) come to at most this
/// many bytes once decompressed, together. A register of thousands of rows is a few MiB.
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;

/// A sheet's used range (from its first row to its last, and from column A to its last
/// column) holds at most this many cells: every cell of it is kept, empty or not.
pub const MAX_USED_CELLS: u64 = 5_000_000;

/// What a cell holds, as the file typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell the spreadsheet stores as a date: year, month, day.
    Date(i16, i8, i8),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// How the cell reads to a person: the text as typed, a whole number without `.0`, a date
/// cell as `2021-07-13`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Empty => Ok(()),
            Value::Text(t) => f.write_str(t),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Value::Date(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// One row: its number as the spreadsheet shows it (1-based), and its cells by column (0-based).
#[derive(Debug, Clone)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Value>,
}

impl Row {
    pub fn get(&self, column: usize) -> &Value {
        self.cells.get(column).unwrap_or(&Value::Empty)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Value::is_empty)
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    /// `None` for a CSV file, which has no sheets.
    pub name: Option<String>,
    pub rows: Vec<Row>,
}

/// Every sheet of one file.
#[derive(Debug, Clone)]
pub struct Book {
    /// The file's name as given on the command line, for messages.
    pub file: String,
    pub sheets: Vec<Sheet>,
}

/// Where a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub sheet: usize,
    /// 1-based, as the spreadsheet shows it.
    pub row: u32,
    /// 0-based.
    pub column: usize,
}

/// `A`, `B`, … `Z`, `AA`: the spreadsheet's name of a 0-based column.
pub fn column_name(column: usize) -> String {
    let mut n = column + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

impl Book {
    /// "register.xlsx, sheet Episodes, cell C12" (no sheet for a CSV file).
    pub fn cell_name(&self, at: CellRef) -> String {
        format!("{}, cell {}{}", self.sheet_name(at.sheet), column_name(at.column), at.row)
    }

    /// "register.xlsx, sheet Episodes, row 12".
    pub fn row_name(&self, sheet: usize, row: u32) -> String {
        format!("{}, row {row}", self.sheet_name(sheet))
    }

    /// "register.xlsx, sheet Episodes", or "register.csv".
    pub fn sheet_name(&self, sheet: usize) -> String {
        match self.sheets.get(sheet).and_then(|s| s.name.as_deref()) {
            Some(name) => format!("{}, sheet {name}", self.file),
            None => self.file.clone(),
        }
    }

    /// The cell's value.
    pub fn value(&self, at: CellRef) -> &Value {
        self.sheets
            .get(at.sheet)
            .and_then(|s| s.rows.iter().find(|r| r.number == at.row))
            .map_or(&Value::Empty, |r| r.get(at.column))
    }
}

/// Why a file could not be read at all.
#[derive(Debug)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// Reads every sheet of the file at `path`, chosen by its extension.
pub fn read(path: &Path) -> Result<Book, ReadError> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let sheets = match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
            vec![read_csv(&bytes).map_err(|e| ReadError(format!("{file}: {e}")))?]
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            let size =
                std::fs::metadata(path).map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?.len();
            if size > MAX_FILE_BYTES {
                return Err(ReadError(format!(
                    "{file} is {} MiB; a spreadsheet to import is at most {} MiB: split it, or save it without pictures and other sheets",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                )));
            }
            if ext != "xls" {
                check_inflated(path, &file)?;
            }
            match ext.as_str() {
                "xlsx" | "xlsm" => read_cells(path, &file, Zipped::Xlsx)?,
                "xlsb" => read_cells(path, &file, Zipped::Xlsb)?,
                _ => read_workbook(path, &file)?,
            }
        }
        _ => {
            return Err(ReadError(format!(
                "{file}: cannot tell the kind of file from its name: import reads .xlsx, .xls, .ods and .csv files"
            )));
        }
    };
    Ok(Book { file, sheets })
}

/// Decompresses every part of the zip file at `path`, counting (not keeping) the bytes, and
/// refuses it once they pass [`MAX_INFLATED_BYTES`]. The sizes a zip file declares are not
/// believed: they are what a zip bomb lies about.
fn check_inflated(path: &Path, file: &str) -> Result<(), ReadError> {
    let unreadable = |e: &dyn fmt::Display| ReadError(format!("cannot read {file}: {e}"));
    let opened = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(opened)).map_err(|e| unreadable(&e))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let name = entry.name().to_string();
        let room = MAX_INFLATED_BYTES - total;
        let read = std::io::copy(&mut (&mut entry).take(room + 1), &mut std::io::sink()).map_err(|e| unreadable(&e))?;
        total += read;
        if total > MAX_INFLATED_BYTES {
            return Err(ReadError(format!(
                "{file}: its part `{name}` takes the workbook past {} MiB once decompressed, more than any register needs: it is damaged or made to exhaust the machine; save the sheets to import in a new workbook",
                MAX_INFLATED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// The formats whose cells calamine reads one at a time.
#[derive(Clone, Copy)]
enum Zipped {
    Xlsx,
    Xlsb,
}

/// Reads an `.xlsx`, `.xlsm` or `.xlsb` workbook cell by cell, refusing a sheet whose used
/// range passes [`MAX_USED_CELLS`] at the cell that takes it there, before any table of that
/// size is made.
fn read_cells(path: &Path, file: &str, kind: Zipped) -> Result<Vec<Sheet>, ReadError> {
    let unreadable = |e: &dyn fmt::Display| ReadError(format!("cannot read {file}: {e}"));
    let mut sheets = Vec::new();
    match kind {
        Zipped::Xlsx => {
            let mut workbook: Xlsx<_> = open_workbook(path).map_err(|e| unreadable(&e))?;
            for name in workbook.sheet_names() {
                let in_sheet = |e: &dyn fmt::Display| ReadError(format!("{file}, sheet {name}: {e}"));
                let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| in_sheet(&e))?;
                let mut cells = UsedRange::default();
                while let Some(cell) = reader.next_cell().map_err(|e| in_sheet(&e))? {
                    cells.add(cell.get_position(), data_ref_value(cell.get_value()), file, &name)?;
                }
                drop(reader);
                sheets.push(Sheet { name: Some(name), rows: cells.rows() });
            }
        }
        Zipped::Xlsb => {
            let mut workbook: Xlsb<_> = open_workbook(path).map_err(|e| unreadable(&e))?;
            for name in workbook.sheet_names() {
                let in_sheet = |e: &dyn fmt::Display| ReadError(format!("{file}, sheet {name}: {e}"));
                let mut reader = workbook.worksheet_cells_reader(&name).map_err(|e| in_sheet(&e))?;
                let mut cells = UsedRange::default();
                while let Some(cell) = reader.next_cell().map_err(|e| in_sheet(&e))? {
                    cells.add(cell.get_position(), data_ref_value(cell.get_value()), file, &name)?;
                }
                drop(reader);
                sheets.push(Sheet { name: Some(name), rows: cells.rows() });
            }
        }
    }
    Ok(sheets)
}

/// The non-empty cells of a sheet, with the used range they span.
#[derive(Default)]
struct UsedRange {
    cells: Vec<((u32, u32), Value)>,
    /// First and last row, and last column (0-based), of the cells so far.
    span: Option<(u32, u32, u32)>,
}

impl UsedRange {
    fn add(&mut self, (row, column): (u32, u32), value: Value, file: &str, sheet: &str) -> Result<(), ReadError> {
        if value == Value::Empty {
            return Ok(());
        }
        let (first, last, last_column) =
            self.span.map_or((row, row, column), |(f, l, c)| (f.min(row), l.max(row), c.max(column)));
        let size = (u64::from(last - first) + 1) * (u64::from(last_column) + 1);
        if size > MAX_USED_CELLS {
            return Err(ReadError(format!(
                "{file}, sheet {sheet}, cell {}{}: this cell makes the sheet's used range {} rows by {} columns, more than the {MAX_USED_CELLS} cells an import reads; delete what lies beyond the table (or clear the cell), save, and import again",
                column_name(column as usize),
                row + 1,
                u64::from(last - first) + 1,
                u64::from(last_column) + 1,
            )));
        }
        self.span = Some((first, last, last_column));
        self.cells.push(((row, column), value));
        Ok(())
    }

    /// Every row of the used range, each with every column up to its last, as
    /// [`read_workbook`] gives them.
    fn rows(self) -> Vec<Row> {
        let Some((first, last, last_column)) = self.span else { return Vec::new() };
        let mut rows: Vec<Row> = (first..=last)
            .map(|r| Row { number: r + 1, cells: vec![Value::Empty; last_column as usize + 1] })
            .collect();
        for ((row, column), value) in self.cells {
            rows[(row - first) as usize].cells[column as usize] = value;
        }
        rows
    }
}

fn data_ref_value(cell: &DataRef<'_>) -> Value {
    match cell {
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Empty => Value::Empty,
        DataRef::Error(e) => cell_value(&Data::Error(e.clone())),
        DataRef::String(s) => cell_value(&Data::String(s.clone())),
        DataRef::Int(i) => cell_value(&Data::Int(*i)),
        DataRef::Float(f) => cell_value(&Data::Float(*f)),
        DataRef::Bool(b) => cell_value(&Data::Bool(*b)),
        DataRef::DateTime(dt) => cell_value(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) => cell_value(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => cell_value(&Data::DurationIso(s.clone())),
    }
}

/// Reads an `.xls` or `.ods` workbook, which calamine reads whole when it opens it (their
/// formats cap a sheet at 65,536 rows and 256 columns, or 1,024 columns for OpenDocument);
/// the used range is bounded all the same before its cells are copied.
fn read_workbook(path: &Path, file: &str) -> Result<Vec<Sheet>, ReadError> {
    let mut workbook = open_workbook_auto(path).map_err(|e| ReadError(format!("cannot read {file}: {e}")))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| ReadError(format!("{file}, sheet {name}: {e}")))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        if let Some((last_row, last_col)) = range.end() {
            let size = (u64::from(last_row.saturating_sub(first_row)) + 1) * (u64::from(last_col) + 1);
            if size > MAX_USED_CELLS {
                return Err(ReadError(format!(
                    "{file}, sheet {name}, cell {}{}: the sheet's used range reaches this cell, more than the {MAX_USED_CELLS} cells an import reads; delete what lies beyond the table, save, and import again",
                    column_name(last_col as usize),
                    last_row + 1
                )));
            }
        }
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                // Cells before the range's first column are empty: keep columns as the sheet has them.
                let mut values = vec![Value::Empty; first_col as usize];
                values.extend(cells.iter().map(cell_value));
                Row { number: first_row + i as u32 + 1, cells: values }
            })
            .collect();
        sheets.push(Sheet { name: Some(name), rows });
    }
    Ok(sheets)
}

fn cell_value(cell: &Data) -> Value {
    match cell {
        Data::Empty | Data::Error(_) => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Value::Date(y as i16, m as i8, d as i8)
        }
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        // OpenDocument stores dates as ISO text: `2021-07-13` or `2021-07-13T00:00:00`.
        Data::DateTimeIso(s) => {
            let day = s.get(..10).and_then(|d| jiff::civil::Date::strptime("%Y-%m-%d", d).ok());
            match day {
                Some(d) => Value::Date(d.year(), d.month(), d.day()),
                None => Value::Text(s.clone()),
            }
        }
        Data::DurationIso(s) => Value::Text(s.clone()),
    }
}

/// A CSV file as one sheet. The delimiter is a comma, or a semicolon or tab if the first
/// lines have more of those (as spreadsheets in some locales save), and a UTF-8 byte-order mark
/// is dropped. Text that is not UTF-8 is read as Windows-1252, which Excel uses for "CSV" on
/// Windows in England.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    };
    let head: String = text.lines().take(20).collect();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (head.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers from byte offsets: a record's line is where it starts (a quoted field may
    // span lines), counting the blank lines the reader skips.
    let (mut counted, mut line) = (0usize, 1u32);
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let mut byte = record.position().map_or(counted, |p| p.byte() as usize).min(text.len());
        // The reader's position is where it began: before any blank lines it skipped.
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        line += text.as_bytes()[counted..byte].iter().filter(|&&b| b == b'\n').count() as u32;
        counted = byte;
        let number = line;
        let cells = record.iter().map(|f| if f.is_empty() { Value::Empty } else { Value::Text(f.to_string()) });
        rows.push(Row { number, cells: cells.collect() });
    }
    Ok(Sheet { name: None, rows })
}

/// The character a Windows-1252 byte stands for.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(2), "C");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn csv_rows_keep_their_line_numbers() {
        let sheet = read_csv(b"\xEF\xBB\xBFTitle\n\nName;Region\n\"A; B\";London\n").unwrap();
        let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3, 4], "the blank line is skipped but counted");
        assert_eq!(sheet.rows[2].cells, [Value::Text("A; B".into()), Value::Text("London".into())]);
        let latin = read_csv(b"Name\nCaf\xe9 \x96 trust\n").unwrap();
        assert_eq!(latin.rows[1].cells, [Value::Text("Café – trust".into())]);
    }

    #[test]
    fn cells_read_as_people_see_them() {
        assert_eq!(Value::Number(4.0).to_string(), "4");
        assert_eq!(Value::Number(4.5).to_string(), "4.5");
        assert_eq!(Value::Date(2021, 7, 13).to_string(), "2021-07-13");
    }
}
