//! Writing imported records as YAML in the record format: keys in the format's order, values
//! quoted only where YAML needs it, and a comment saying where the record came from. Every
//! line written remembers the cell its value came from ([`Emitted::origins`]), so a check of
//! the new file reports problems at the cell.

use crate::book::{Book, CellRef};
use crate::fields::{CRITERION_KEYS, EPISODE_KEYS, ORGANISATION_KEYS, PERIOD_KEYS, SUPPORT_KEYS, UNDERTAKING_KEYS};
use crate::read::{EpisodeDraft, Item, OrgDraft, RecordDraft};

/// YAML text and, for byte ranges of it, the cell each came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Emitted {
    pub text: String,
    pub origins: Vec<(usize, usize, CellRef)>,
}

impl Emitted {
    /// A line: `indent` spaces, then `line`, from cell `at`.
    fn line(&mut self, indent: usize, line: &str, at: Option<CellRef>) {
        let start = self.text.len() + indent;
        self.text.extend(std::iter::repeat_n(' ', indent));
        self.text.push_str(line);
        if let Some(at) = at {
            self.origins.push((start, self.text.len(), at));
        }
        self.text.push('\n');
    }

    /// The fields of `item` in the order of `keys`, the first after `first` (`- ` for a list
    /// item), the rest at `indent`. Fields whose value is the record format's default are
    /// left out. Returns whether anything was written.
    fn fields(&mut self, indent: usize, first: &str, item: &Item, keys: &[&str], skip: &[&str]) -> bool {
        let mut cells: Vec<_> =
            item.fields.iter().filter(|c| keys.contains(&c.key) && !skip.contains(&c.key) && !is_default(c)).collect();
        cells.sort_by_key(|c| keys.iter().position(|k| *k == c.key));
        for (i, cell) in cells.iter().enumerate() {
            let line = format!("{}: {}", cell.key, cell.field.yaml());
            if i == 0 {
                self.line(indent.saturating_sub(first.len()), &format!("{first}{line}"), Some(cell.at));
            } else {
                self.line(indent, &line, Some(cell.at));
            }
        }
        !cells.is_empty()
    }
}

fn is_default(cell: &crate::read::Cell) -> bool {
    use crate::fields::Field;
    match (cell.key, &cell.field) {
        ("licence_breach", Field::Bool(false)) => true,
        ("services", Field::Words(w)) => w.is_empty(),
        _ => false,
    }
}

/// Indentation of the keys of list items under a key at `indent`.
const STEP: usize = 2;

/// A segment period as a list item whose `- ` is at `dash`.
pub(crate) fn period(out: &mut Emitted, dash: usize, item: &Item) {
    out.fields(dash + STEP, "- ", item, PERIOD_KEYS, &[]);
}

/// An RSP episode as a list item whose `- ` is at `dash`, with its exit criteria.
pub(crate) fn episode(out: &mut Emitted, dash: usize, episode: &EpisodeDraft) {
    let keys = dash + STEP;
    let before: Vec<&str> = EPISODE_KEYS.iter().copied().take_while(|k| *k != "exit_criteria").collect();
    let after: Vec<&str> = EPISODE_KEYS.iter().copied().skip_while(|k| *k != "exit_criteria").skip(1).collect();
    out.fields(keys, "- ", &episode.item, &before, &[]);
    if !episode.exit_criteria.is_empty() {
        out.line(keys, "exit_criteria:", None);
        for (_, c) in &episode.exit_criteria {
            criterion(out, keys + STEP, c);
        }
    }
    out.fields(keys, "", &episode.item, &after, &[]);
}

/// An exit criterion as a list item whose `- ` is at `dash`.
pub(crate) fn criterion(out: &mut Emitted, dash: usize, item: &Item) {
    out.fields(dash + STEP, "- ", item, CRITERION_KEYS, &[]);
}

/// The rows a record came from, for its comment: "sheet Organisations, row 4; sheet Segment
/// periods, rows 5–7 and 9".
pub(crate) fn provenance(book: &Book, rows: &[(usize, u32)]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    rows.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let sheet = rows[i].0;
        let mut numbers = Vec::new();
        while i < rows.len() && rows[i].0 == sheet {
            numbers.push(rows[i].1);
            i += 1;
        }
        let place = match book.sheets.get(sheet).and_then(|s| s.name.as_deref()) {
            Some(name) => format!("sheet {name}, "),
            None => String::new(),
        };
        let word = if numbers.len() == 1 { "row" } else { "rows" };
        parts.push(format!("{place}{word} {}", ranges(&numbers)));
    }
    parts.join("; ")
}

/// `5–7, 9`: runs of consecutive numbers as ranges.
fn ranges(numbers: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        while i + 1 < numbers.len() && numbers[i + 1] == numbers[i] + 1 {
            i += 1;
        }
        out.push(if numbers[i] == start { start.to_string() } else { format!("{start}–{}", numbers[i]) });
        i += 1;
    }
    out.join(", ")
}

fn header(out: &mut Emitted, book: &Book, rows: &[(usize, u32)]) {
    let text = format!("Imported by `oversight import` from {}: {}.", book.file, provenance(book, rows));
    out.line(0, &comment(&text), None);
}

/// A YAML comment line: `# ` and the text on one line (a file or sheet name with a line break
/// in it would otherwise end the comment and start a key).
pub(crate) fn comment(text: &str) -> String {
    format!("# {}", crate::text::one_line(text))
}

/// A new organisation's file.
pub(crate) fn organisation(book: &Book, org: &OrgDraft) -> Emitted {
    let mut out = Emitted::default();
    header(&mut out, book, &org.rows());
    let after_rsp: Vec<&str> = ORGANISATION_KEYS.iter().copied().skip_while(|k| *k != "rsp").skip(1).collect();
    if let Some(item) = &org.item {
        out.fields(0, "", item, ORGANISATION_KEYS, &after_rsp);
    }
    if !org.segments.is_empty() {
        out.line(0, "segments:", None);
        for (_, p) in &org.segments {
            period(&mut out, STEP, p);
        }
    }
    if !org.rsp.is_empty() {
        out.line(0, "rsp:", None);
        for e in &org.rsp {
            episode(&mut out, STEP, e);
        }
    }
    if let Some(item) = &org.item {
        out.fields(0, "", item, &after_rsp, &[]);
    }
    out
}

/// A new support package's or undertakings record's file.
pub(crate) fn record(book: &Book, record: &RecordDraft, support: bool) -> Emitted {
    let mut out = Emitted::default();
    let mut rows = vec![(record.item.sheet, record.item.row)];
    rows.extend(record.item.fields.iter().map(|c| (c.at.sheet, c.at.row)));
    header(&mut out, book, &rows);
    let keys = if support { SUPPORT_KEYS } else { UNDERTAKING_KEYS };
    out.fields(0, "", &record.item, keys, &["id"]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_ranges() {
        assert_eq!(ranges(&[5, 6, 7, 9]), "5–7, 9");
        assert_eq!(ranges(&[4]), "4");
    }
}
