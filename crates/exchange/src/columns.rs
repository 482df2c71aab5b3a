//! Which column holds what: column headers matched to the record format's keys, in any case
//! and with the synonyms registers use ("Organisation code", "ODS", "Entry date", "Date
//! entered"…), or as `--map "Header=key"` says; and where the header row is, below any title
//! rows, blank rows or a row of merged group labels.

use crate::book::{Row, Sheet, Value};

/// A column's meaning: a record-format key, or one of the few import-only ones.
pub(crate) type Key = &'static str;

/// Every key, with the headers that mean it (compared after [`header_words`]). The export's
/// own headers are among them, so a workbook the tool wrote reads back as it was.
pub(crate) const KEYS: &[(Key, &[&str])] = &[
    ("id", &["id", "record id", "slug", "package id", "undertakings id", "undertaking id"]),
    ("org_id", &["organisation id", "org id", "organisation slug", "trust id"]),
    ("organisation", &["organisation", "org", "trust", "trust name", "organisation name", "org name", "body"]),
    ("name", &["name", "full name", "legal name"]),
    ("short_name", &["short name", "abbreviation", "acronym"]),
    ("type", &["type", "organisation type", "org type", "trust type", "kind of organisation"]),
    (
        "ods_code",
        &[
            "ods code",
            "ods",
            "organisation code",
            "org code",
            "code",
            "trust code",
            "ods org code",
            "ods organisation code",
        ],
    ),
    ("region", &["region", "nhs england region", "nhse region", "regional team"]),
    ("system", &["system", "icb", "ics", "integrated care system", "integrated care board", "system id", "icb id"]),
    ("services", &["services", "service", "service type", "services provided"]),
    ("licence_breach", &["licence breach", "licence breached", "breach of licence", "in breach"]),
    ("segment", &["segment", "sof segment", "nof segment", "oversight segment", "segmentation"]),
    (
        "from",
        &[
            "from",
            "start",
            "start date",
            "date from",
            "from date",
            "effective from",
            "segment from",
            "segment start",
            "period start",
            "begins",
            "started",
        ],
    ),
    (
        "to",
        &[
            "to",
            "end",
            "end date",
            "date to",
            "to date",
            "until",
            "segment to",
            "segment end",
            "period end",
            "ends",
            "ended",
        ],
    ),
    ("framework", &["framework", "edition", "oversight framework", "framework edition"]),
    ("note", &["note", "notes", "comment", "comments", "remarks"]),
    (
        "entered",
        &[
            "entered",
            "entry date",
            "date entered",
            "entry",
            "rsp entry",
            "rsp entry date",
            "date of entry",
            "entered rsp",
            "date joined",
        ],
    ),
    (
        "exited",
        &[
            "exited",
            "exit date",
            "date exited",
            "exit",
            "rsp exit",
            "rsp exit date",
            "date of exit",
            "exited rsp",
            "date left",
        ],
    ),
    (
        "criteria",
        &[
            "criteria",
            "entry criteria",
            "criterion",
            "entry criterion",
            "rsp criteria",
            "reason for entry",
            "reasons for entry",
        ],
    ),
    ("route", &["route", "entry route", "route of entry", "route into rsp"]),
    ("exit_reason", &["exit reason", "reason for exit", "reason exited", "why exited"]),
    ("improvement_director", &["improvement director", "director", "improvement director name"]),
    ("diagnostic_completed", &["diagnostic completed", "diagnostic", "diagnostic date", "date of diagnostic"]),
    ("transition_support", &["transition support", "transitional support", "transition plan", "support after exit"]),
    ("criterion_id", &["criterion id", "exit criterion id", "criteria id"]),
    ("criterion_text", &["exit criterion", "exit criteria", "criterion text", "exit criterion text", "text"]),
    ("met", &["met", "date met", "met on", "criterion met"]),
    ("kind", &["kind", "support kind", "kind of support", "type of support", "support type", "package type"]),
    ("title", &["title", "package", "package title", "support package", "package name"]),
    ("provider", &["provider", "delivered by", "support provider"]),
    ("status", &["status", "package status"]),
    ("funding_gbp", &["funding gbp", "funding", "funding £", "amount", "amount gbp", "value", "cost"]),
    ("description", &["description", "details"]),
    ("regulator", &["regulator"]),
    ("accepted", &["accepted", "date accepted", "accepted on", "undertakings accepted"]),
    ("legal_basis", &["legal basis", "basis", "power"]),
    (
        "breaches",
        &[
            "breaches",
            "licence conditions",
            "conditions breached",
            "breached conditions",
            "licence conditions breached",
        ],
    ),
    ("summary", &["summary", "undertakings summary", "reason", "reasons"]),
    ("released", &["released", "date released", "release date", "released on"]),
    ("document_url", &["document url", "document", "url", "link", "document link"]),
    // Figures computed from the records, which an import leaves out.
    ("computed", &["days in programme", "days in the programme", "time in programme"]),
    // Headers of tables that are all computed (the export's Timeline and Figures sheets):
    // a sheet with one is not read.
    ("derived", &["segment after exit", "figure"]),
];

/// A header as words: lower case, `&` as "and", British spellings, punctuation dropped.
pub(crate) fn header_words(header: &str) -> String {
    let header = header.replace('&', " and ").replace('£', " gbp ").to_lowercase();
    let header = header.replace("organization", "organisation").replace("license", "licence");
    header.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The key a header means, by the synonyms; a header with a part in brackets ("Funding (£)",
/// "Region (NHS England)") is tried without it too.
pub(crate) fn key_of(header: &str) -> Option<Key> {
    let find = |h: &str| {
        let words = header_words(h);
        KEYS.iter().find(|(_, names)| names.contains(&words.as_str())).map(|(k, _)| *k)
    };
    find(header).or_else(|| {
        let open = header.find('(')?;
        let close = header[open..].find(')').map_or(header.len(), |c| open + c + 1);
        find(&format!("{} {}", &header[..open], &header[close..]))
    })
}

/// An explicit `--map "Header=key"`: the header as people wrote it, and the key it means
/// (`None`: leave the column out).
#[derive(Debug, Clone)]
pub struct Mapping {
    pub header: String,
    pub key: Option<Key>,
}

/// Reads `Header=key`. The key may be any key or synonym; `-` or nothing leaves the column out.
pub fn parse_mapping(text: &str) -> Result<Mapping, String> {
    let (header, key) =
        text.rsplit_once('=').ok_or_else(|| format!("--map \"{text}\": write it as \"Column header=key\""))?;
    let header = header.trim().to_string();
    let key = key.trim();
    if key.is_empty() || key == "-" {
        return Ok(Mapping { header, key: None });
    }
    let found = KEYS.iter().find(|(k, _)| *k == key).map(|(k, _)| *k).or_else(|| key_of(key));
    match found {
        Some(k) => Ok(Mapping { header, key: Some(k) }),
        None => {
            let keys = KEYS.iter().map(|(k, _)| *k).filter(|k| *k != "computed");
            let hint = match oversight_syntax::suggest::closest(key, keys.clone()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("keys: {}", keys.collect::<Vec<_>>().join(", ")),
            };
            Err(format!("--map \"{text}\": `{key}` is not a column key: {hint}"))
        }
    }
}

/// A table found in a sheet: where its header row is and which column holds which key.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// Index into the sheet's rows.
    pub index: usize,
    /// (column, key), in column order.
    pub columns: Vec<(usize, Key)>,
    /// Columns whose key another column already gave: (column, key, the first column).
    pub repeated: Vec<(usize, Key, usize)>,
    /// Header cells with text that give no key: (column, the header as written, whether
    /// `--map "Header=-"` left it out). Import names each in its report, never drops one
    /// silently.
    pub unknown: Vec<(usize, String, bool)>,
}

impl Header {
    pub(crate) fn column(&self, key: Key) -> Option<usize> {
        self.columns.iter().find(|(_, k)| *k == key).map(|(c, _)| *c)
    }

    pub(crate) fn has(&self, key: Key) -> bool {
        self.column(key).is_some()
    }
}

/// How far down a sheet its header row may be (title rows, notes and blank rows above).
const HEADER_SEARCH_ROWS: usize = 30;

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
        _ => None,
    }
}

/// The key of one header cell, with the label of a group merged across the row above it
/// (`above`, carried right over the merged columns) tried in front of it: "Entry" over
/// "Date" is the entry date. A cell left empty under a label merged down over two rows takes
/// the label.
fn cell_key(
    cell: Option<&str>,
    above: Option<&str>,
    above_here: Option<&str>,
    maps: &[Mapping],
) -> Option<Option<Key>> {
    let mapped = |h: &str| maps.iter().find(|m| header_words(&m.header) == header_words(h)).map(|m| m.key);
    let known = |h: &str| mapped(h).or_else(|| key_of(h).map(Some));
    match cell {
        Some(cell) => known(cell).or_else(|| above.and_then(|a| known(&format!("{a} {cell}")))),
        None => above_here.and_then(known),
    }
}

/// Finds the header row: of the first rows, the one naming the most known columns (at least
/// two), the first such if several do.
pub(crate) fn find_header(sheet: &Sheet, maps: &[Mapping]) -> Option<Header> {
    let mut best: Option<Header> = None;
    for (index, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let above: Option<&Row> = index.checked_sub(1).map(|i| &sheet.rows[i]).filter(|r| r.number + 1 == row.number);
        let width = row.cells.len().max(above.map_or(0, |r| r.cells.len()));
        let mut columns = Vec::new();
        let mut repeated = Vec::new();
        let mut unknown = Vec::new();
        let mut group: Option<String> = None;
        for column in 0..width {
            let above_here = above.and_then(|r| text_of(r.get(column)));
            if above_here.is_some() {
                group.clone_from(&above_here);
            }
            let cell = text_of(row.get(column));
            let key = match cell_key(cell.as_deref(), group.as_deref(), above_here.as_deref(), maps) {
                Some(Some(key)) => key,
                found => {
                    if let Some(text) = cell.or(above_here) {
                        unknown.push((column, text, found.is_some()));
                    }
                    continue;
                }
            };
            match columns.iter().find(|(_, k)| *k == key) {
                Some(&(first, _)) => repeated.push((column, key, first)),
                None => columns.push((column, key)),
            }
        }
        let score = columns.len();
        if score >= 2 && best.as_ref().is_none_or(|b| score > b.columns.len()) {
            best = Some(Header { index, columns, repeated, unknown });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, cells: &[&str]) -> Row {
        let cells = cells.iter().map(|c| if c.is_empty() { Value::Empty } else { Value::Text(c.to_string()) });
        Row { number, cells: cells.collect() }
    }

    #[test]
    fn headers_and_synonyms() {
        assert_eq!(key_of("Organisation code"), Some("ods_code"));
        assert_eq!(key_of("ODS"), Some("ods_code"));
        assert_eq!(key_of("Entry date"), Some("entered"));
        assert_eq!(key_of("Date entered"), Some("entered"));
        assert_eq!(key_of("  DATE ENTERED "), Some("entered"));
        assert_eq!(key_of("Funding (£)"), Some("funding_gbp"));
        assert_eq!(key_of("Region (NHS England)"), Some("region"));
        assert_eq!(key_of("Organization name"), Some("organisation"));
        assert_eq!(key_of("Licence breach?"), Some("licence_breach"));
        assert_eq!(key_of("Colour"), None);
    }

    #[test]
    fn mappings() {
        let m = parse_mapping("Entry=entered").unwrap();
        assert_eq!((m.header.as_str(), m.key), ("Entry", Some("entered")));
        assert_eq!(parse_mapping("Notes for me=-").unwrap().key, None);
        assert_eq!(parse_mapping("Start of RSP=Entry date").unwrap().key, Some("entered"));
        assert!(parse_mapping("Entry=enterd").unwrap_err().contains("did you mean `entered`"));
        assert!(parse_mapping("no equals").is_err());
    }

    #[test]
    fn finds_the_header_below_titles_and_under_merged_groups() {
        let sheet = Sheet {
            name: Some("Episodes".into()),
            rows: vec![
                row(1, &["RSP register (fictional)"]),
                row(3, &["", "", "RSP", ""]),
                row(4, &["Organisation", "ODS", "Entry", "Exit", "Colour"]),
                row(5, &["Kestrel Bay", "R9F", "2021-07-13", ""]),
            ],
        };
        let header = find_header(&sheet, &[]).unwrap();
        assert_eq!(header.index, 2);
        assert_eq!(header.columns, [(0, "organisation"), (1, "ods_code"), (2, "entered"), (3, "exited")]);

        // "Date" under a group label merged across two columns: "Segment" "Date" → from/to by group.
        let sheet = Sheet {
            name: None,
            rows: vec![
                row(1, &["Name", "Segment history", "", ""]),
                row(2, &["", "Segment", "Start", "End"]),
                row(3, &["A trust", "4", "2021-07-13", ""]),
            ],
        };
        let header = find_header(&sheet, &[]).unwrap();
        assert_eq!(header.index, 1);
        assert_eq!(header.columns, [(0, "name"), (1, "segment"), (2, "from"), (3, "to")]);

        let maps = [parse_mapping("Colour=note").unwrap()];
        let sheet = Sheet { name: None, rows: vec![row(1, &["Name", "Colour"])] };
        assert_eq!(find_header(&sheet, &maps).unwrap().columns, [(0, "name"), (1, "note")]);
    }
}
