//! The episode table: one row per RSP episode, as the timeline page shows it and as the CSV
//! and JSON downloads carry it. Columns are documented in `docs/timeline-data.md`.

use serde::Serialize;

use super::{days_are_approximate, days_in_programme, segment_on};
use oversight_model::Register;
use oversight_syntax::date::Date;

/// One RSP episode, flattened for tables and downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EpisodeRow {
    pub organisation_id: String,
    pub name: String,
    /// `nhs-trust`, `foundation-trust` or `icb`.
    #[serde(rename = "type")]
    pub org_type: &'static str,
    pub region: &'static str,
    pub entered: Date,
    /// First day out of the programme; `None` while in it.
    pub exited: Option<Date>,
    /// Days in the programme up to the exit, or up to and including the as-of date.
    pub days_in_programme: i64,
    /// Entry criteria ids, in the record's order: a list in JSON, comma-separated in CSV.
    pub entry_criteria: Vec<&'static str>,
    /// The segment on the exit date, if recorded.
    pub segment_after_exit: Option<u32>,
    /// `days_in_programme` counts from or to a month given without a day: an estimate.
    pub days_approximate: bool,
    /// Why the episode ended, as records write it (`criteria-met`), if recorded.
    pub exit_reason: Option<&'static str>,
}

/// Every episode entered on or before `as_of`, ordered by entry date then organisation id.
/// An exit after `as_of` is not yet known at that date, so the episode shows as open.
pub fn rows(register: &Register, as_of: Date) -> Vec<EpisodeRow> {
    let mut rows: Vec<EpisodeRow> = register
        .organisations
        .iter()
        .flat_map(|org| org.rsp.iter().map(move |e| (org, e)))
        .filter(|(_, e)| e.entered <= as_of)
        .map(|(org, e)| {
            let exited = e.exited.filter(|x| *x <= as_of);
            EpisodeRow {
                organisation_id: org.id.clone(),
                name: org.name.clone(),
                org_type: org.org_type.id(),
                region: org.region.id(),
                entered: e.entered,
                exited,
                days_in_programme: days_in_programme(e, as_of),
                entry_criteria: e.criteria.iter().map(|c| c.id()).collect(),
                segment_after_exit: exited.and_then(|x| segment_on(org, x)),
                days_approximate: days_are_approximate(e, as_of),
                exit_reason: exited.and(e.exit_reason).map(|r| r.id()),
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.entered, &a.organisation_id).cmp(&(b.entered, &b.organisation_id)));
    rows
}

/// The column names of the CSV download, in order.
pub const CSV_COLUMNS: [&str; 11] = [
    "organisation_id",
    "name",
    "type",
    "region",
    "entered",
    "exited",
    "days_in_programme",
    "entry_criteria",
    "segment_after_exit",
    "days_approximate",
    "exit_reason",
];

/// The episode table as RFC 4180 CSV: a header row, CRLF line ends, fields quoted as needed.
pub fn to_csv(rows: &[EpisodeRow]) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to memory cannot fail; the results are still checked rather than unwrapped.
    let mut write = |record: &[String]| writer.write_record(record).is_ok();
    let mut ok = write(&CSV_COLUMNS.map(String::from));
    for r in rows {
        ok &= write(&[
            r.organisation_id.clone(),
            text_cell(&r.name),
            r.org_type.to_string(),
            r.region.to_string(),
            r.entered.to_string(),
            r.exited.map(|d| d.to_string()).unwrap_or_default(),
            r.days_in_programme.to_string(),
            text_cell(&r.entry_criteria.join(", ")),
            r.segment_after_exit.map(|s| s.to_string()).unwrap_or_default(),
            r.days_approximate.to_string(),
            r.exit_reason.unwrap_or_default().to_string(),
        ]);
    }
    debug_assert!(ok, "writing CSV to memory failed");
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A text field as a spreadsheet should read it: a value starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be taken for a formula (`=HYPERLINK(…)` in a trust's name),
/// so it is prefixed with `'`, as OWASP advises and spreadsheets show as plain text.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// The episode table as JSON: `{"as_of": …, "episodes": [...]}`.
pub fn to_json(rows: &[EpisodeRow], as_of: Date) -> String {
    #[derive(Serialize)]
    struct Download<'a> {
        as_of: Date,
        columns: [&'static str; 11],
        episodes: &'a [EpisodeRow],
    }
    let download = Download { as_of, columns: CSV_COLUMNS, episodes: rows };
    serde_json::to_string_pretty(&download).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::text_cell;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_written_as_text() {
        assert_eq!(text_cell("=HYPERLINK(\"https://evil\",\"x\")"), "'=HYPERLINK(\"https://evil\",\"x\")");
        for risky in ["+1", "-1+2", "@SUM(A1)", "\tx"] {
            assert!(text_cell(risky).starts_with('\''), "{risky}");
        }
        assert_eq!(text_cell("Fenmouth NHS Trust"), "Fenmouth NHS Trust");
    }
}
