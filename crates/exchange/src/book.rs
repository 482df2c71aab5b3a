//! A spreadsheet as rows of cells, whatever file it came from: `.xlsx`, `.xlsm`, `.xls`,
//! `.xlsb` and `.ods` through `calamine`, `.csv` through `csv`. Each cell keeps its place
//! (sheet, row and column as the spreadsheet numbers them) so that every problem can be
//! reported as "register.xlsx, sheet Episodes, cell C12".

use std::fmt;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

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
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path, &file)?,
        _ => {
            return Err(ReadError(format!(
                "{file}: cannot tell the kind of file from its name: import reads .xlsx, .xls, .ods and .csv files"
            )));
        }
    };
    Ok(Book { file, sheets })
}

fn read_workbook(path: &Path, file: &str) -> Result<Vec<Sheet>, ReadError> {
    let mut workbook = open_workbook_auto(path).map_err(|e| ReadError(format!("cannot read {file}: {e}")))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| ReadError(format!("{file}, sheet {name}: {e}")))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
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
