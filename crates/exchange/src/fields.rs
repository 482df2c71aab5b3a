//! Records as lists of `key: value` fields, in the record format's key order: what an export
//! writes as columns, what an import reads from them, and what the two compare, so that a
//! value written out reads back as the same value.
//!
//! A [`Field`] knows how the record format writes it ([`Field::yaml`]); two fields are the
//! same when they are written the same, which keeps a date's precision (`2021-07` is not
//! `2021-07-01`).

use oversight_model::{ExitCriterion, Organisation, RspEpisode, SegmentPeriod, SupportPackage, Undertaking};
use oversight_syntax::date::{Date, Precision};

use crate::text::one_line;
use crate::vocab;

/// One value of a record, typed as the record format writes it.
#[derive(Debug, Clone)]
pub enum Field {
    /// Free text.
    Text(String),
    /// A word from a vocabulary or an id: `east-of-england`, `kestrel-bay`.
    Word(String),
    Date(Date),
    Number(u64),
    Bool(bool),
    /// A list of words: entry criteria, services.
    Words(Vec<String>),
    /// A list of free texts: licence conditions breached.
    Texts(Vec<String>),
}

impl Field {
    /// As YAML writes it in a record: `2021-07-13`, `[a, b]`, `"quoted: text"`.
    pub fn yaml(&self) -> String {
        match self {
            Field::Text(t) | Field::Word(t) => scalar(t, false),
            Field::Date(d) => d.to_string(),
            Field::Number(n) => n.to_string(),
            Field::Bool(b) => b.to_string(),
            Field::Words(items) | Field::Texts(items) => {
                format!("[{}]", items.iter().map(|i| scalar(i, true)).collect::<Vec<_>>().join(", "))
            }
        }
    }

    /// As a report shows it to a person: unquoted, lists with `; `.
    pub fn display(&self) -> String {
        match self {
            Field::Text(t) | Field::Word(t) => t.clone(),
            Field::Words(items) | Field::Texts(items) => items.join("; "),
            other => other.yaml(),
        }
    }

    pub fn same(&self, other: &Field) -> bool {
        match (self, other) {
            // Surrounding white space is not data (a spreadsheet cell is trimmed; a YAML block
            // scalar ends with a line break).
            (Field::Text(a), Field::Text(b)) => a.trim() == b.trim(),
            _ => self.yaml() == other.yaml(),
        }
    }

    pub fn as_date(&self) -> Option<Date> {
        match self {
            Field::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Field::Text(t) | Field::Word(t) => Some(t),
            _ => None,
        }
    }
}

/// A string as a YAML scalar on one line, as yaml_serde's emitter (libyaml) writes it: plain
/// where YAML reads it back as the same string, else quoted and escaped. Line breaks of every
/// kind become spaces first ([`one_line`]): a value written is one line, so no cell can start
/// a key of its own. In a flow list (`in_flow`) an item the emitter leaves plain but that holds
/// a flow indicator (`,` `[` `]` `{` `}`) is single-quoted, YAML's quoting for printable text
/// (the emitter writes block lists only).
pub(crate) fn scalar(s: &str, in_flow: bool) -> String {
    let s = one_line(s);
    let emitted = match yaml_serde::to_string(&s) {
        Ok(text) => text.trim_end_matches('\n').to_string(),
        // Serialising a string to memory does not fail; if it ever did, a quoted form that
        // cannot be misread is the safe answer.
        Err(_) => single_quoted(&s),
    };
    let plain = !emitted.starts_with(['\'', '"']);
    if in_flow && plain && s.contains([',', '[', ']', '{', '}']) {
        return single_quoted(&s);
    }
    emitted
}

/// YAML's single-quoted form of one line of printable text: a quote is written twice.
fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A record's fields, in the record format's key order.
pub(crate) type Fields = Vec<(&'static str, Field)>;

fn text(fields: &mut Fields, key: &'static str, value: &Option<String>) {
    if let Some(v) = value {
        fields.push((key, Field::Text(v.clone())));
    }
}

fn date(fields: &mut Fields, key: &'static str, value: Option<Date>) {
    if let Some(d) = value {
        fields.push((key, Field::Date(d)));
    }
}

/// The order of an organisation's keys in the record format.
pub(crate) const ORGANISATION_KEYS: &[&str] = &[
    "id",
    "name",
    "short_name",
    "type",
    "ods_code",
    "region",
    "system",
    "services",
    "segments",
    "rsp",
    "licence_breach",
    "sources",
];
pub(crate) const PERIOD_KEYS: &[&str] = &["segment", "from", "to", "framework", "note"];
pub(crate) const EPISODE_KEYS: &[&str] = &[
    "entered",
    "criteria",
    "route",
    "improvement_director",
    "diagnostic_completed",
    "exit_criteria",
    "exited",
    "exit_reason",
    "transition_support",
    "note",
];
pub(crate) const CRITERION_KEYS: &[&str] = &["id", "text", "met"];
pub(crate) const SUPPORT_KEYS: &[&str] =
    &["id", "organisation", "kind", "title", "provider", "start", "end", "status", "funding_gbp", "description"];
pub(crate) const UNDERTAKING_KEYS: &[&str] = &[
    "id",
    "organisation",
    "regulator",
    "accepted",
    "legal_basis",
    "breaches",
    "summary",
    "undertakings",
    "variations",
    "released",
    "document_url",
];

/// An organisation's own fields (not its segments or episodes). Fields with a default
/// (`services`, `licence_breach`) are always there, so a spreadsheet saying "no" matches a
/// record that says nothing.
pub(crate) fn organisation(o: &Organisation) -> Fields {
    let mut f = vec![("name", Field::Text(o.name.clone()))];
    text(&mut f, "short_name", &o.short_name);
    f.push(("type", Field::Word(o.org_type.id().into())));
    text(&mut f, "ods_code", &o.ods_code);
    f.push(("region", Field::Word(o.region.id().into())));
    if let Some(s) = &o.system {
        f.push(("system", Field::Word(s.clone())));
    }
    f.push(("services", Field::Words(o.services.iter().map(|s| vocab::service_word(*s).into()).collect())));
    f.push(("licence_breach", Field::Bool(o.licence_breach)));
    f
}

pub(crate) fn period(p: &SegmentPeriod) -> Fields {
    let mut f = vec![("segment", Field::Number(u64::from(p.segment))), ("from", Field::Date(p.from))];
    date(&mut f, "to", p.to);
    if let Some(e) = p.framework {
        f.push(("framework", Field::Word(e.slug().into())));
    }
    text(&mut f, "note", &p.note);
    f
}

pub(crate) fn episode(e: &RspEpisode) -> Fields {
    let mut f = vec![
        ("entered", Field::Date(e.entered)),
        ("criteria", Field::Words(e.criteria.iter().map(|c| c.id().into()).collect())),
    ];
    if let Some(r) = e.route {
        f.push(("route", Field::Word(vocab::route_word(r).into())));
    }
    text(&mut f, "improvement_director", &e.improvement_director);
    date(&mut f, "diagnostic_completed", e.diagnostic_completed);
    date(&mut f, "exited", e.exited);
    if let Some(r) = e.exit_reason {
        f.push(("exit_reason", Field::Word(r.id().into())));
    }
    text(&mut f, "transition_support", &e.transition_support);
    text(&mut f, "note", &e.note);
    f
}

pub(crate) fn criterion(c: &ExitCriterion) -> Fields {
    let mut f = vec![("id", Field::Word(c.id.clone())), ("text", Field::Text(c.text.clone()))];
    date(&mut f, "met", c.met);
    f
}

pub(crate) fn support(s: &SupportPackage) -> Fields {
    let mut f = vec![
        ("organisation", Field::Word(s.organisation.clone())),
        ("kind", Field::Word(vocab::support_kind_word(s.kind).into())),
        ("title", Field::Text(s.title.clone())),
    ];
    text(&mut f, "provider", &s.provider);
    f.push(("start", Field::Date(s.start)));
    date(&mut f, "end", s.end);
    f.push(("status", Field::Word(vocab::status_word(s.status).into())));
    if let Some(n) = s.funding_gbp {
        f.push(("funding_gbp", Field::Number(n)));
    }
    text(&mut f, "description", &s.description);
    f
}

pub(crate) fn undertaking(u: &Undertaking) -> Fields {
    let mut f = vec![
        ("organisation", Field::Word(u.organisation.clone())),
        ("regulator", Field::Word(vocab::regulator_word(u.regulator).into())),
        ("accepted", Field::Date(u.accepted)),
        ("legal_basis", Field::Word(vocab::legal_basis_word(u.legal_basis).into())),
        ("breaches", Field::Texts(u.breaches.clone())),
        ("summary", Field::Text(u.summary.clone())),
    ];
    date(&mut f, "released", u.released);
    text(&mut f, "document_url", &u.document_url);
    f
}

/// The field at `key`, if the record has it.
pub(crate) fn get<'a>(fields: &'a Fields, key: &str) -> Option<&'a Field> {
    fields.iter().find(|(k, _)| *k == key).map(|(_, f)| f)
}

/// Whether a date is a whole day (a date cell can hold it) rather than a month.
pub(crate) fn is_day(d: Date) -> bool {
    d.precision() == Precision::Day
}

#[cfg(test)]
mod tests {
    use super::*;
    use yaml_serde as serde_yaml_value;

    /// `key: <scalar>` read by yaml_serde (the loader's reader) as a mapping of strings.
    fn read_back(value: &str, in_flow: bool) -> std::collections::BTreeMap<String, serde_yaml_value::Value> {
        let line =
            if in_flow { format!("k: [{}]\n", scalar(value, true)) } else { format!("k: {}\n", scalar(value, false)) };
        assert_eq!(line.lines().count(), 1, "one line: {line:?}");
        yaml_serde::from_str(&line).unwrap_or_else(|e| panic!("{line:?}: {e}"))
    }

    #[test]
    fn scalars_read_back_as_written() {
        assert_eq!(scalar("Fenmouth Valley Hospitals (fictional)", false), "Fenmouth Valley Hospitals (fictional)");
        assert_eq!(scalar("R9A", false), "R9A");
        assert_eq!(scalar("NHS2(5)(a)", true), "NHS2(5)(a)");
        assert_eq!(scalar("a, b", true), "'a, b'");
        assert_eq!(scalar("a, b", false), "a, b");
        for quoted in ["4", "4.10", "null", "~", "true", "", " padded", "- dash", "key: value", "#hash"] {
            assert!(scalar(quoted, false).starts_with(['\'', '"']), "{quoted}: {}", scalar(quoted, false));
        }
        // Line breaks of every kind are spaces: the value is one line, and no key of its own.
        assert_eq!(scalar("line\nbreak", false), "line break");
        let nasty = [
            "x\nlicence_breach: true",
            "x\r\nshort_name: INJECTED",
            "x\u{2028}licence_breach: true",
            "x\u{2029}short_name: INJECTED",
            "x\u{85}short_name: INJECTED",
            "x\u{0B}a: b",
            "x:\tshort_name: INJECTED",
            "'quoted' \"double\" \\ back",
            "[not, a, list]",
            "{a: b}",
            "& anchor",
            "*alias",
            "!tag value",
            "%directive",
            "@at",
            "`tick",
            "| block",
            "> folded",
            "---",
            "...",
            "a #comment",
            "tab\tinside",
            "nul\u{0}inside",
            "bom\u{feff}inside",
        ];
        for value in nasty {
            for in_flow in [false, true] {
                let read = read_back(value, in_flow);
                assert_eq!(read.keys().collect::<Vec<_>>(), ["k"], "{value:?}");
                let expected = one_line(value);
                let got = match &read["k"] {
                    serde_yaml_value::Value::Sequence(items) if in_flow => {
                        assert_eq!(items.len(), 1, "{value:?}: {items:?}");
                        items[0].as_str().map(str::to_string)
                    }
                    v => v.as_str().map(str::to_string),
                };
                assert_eq!(got.as_deref(), Some(expected.as_str()), "{value:?} in_flow={in_flow}");
            }
        }
    }

    #[test]
    fn precision_is_part_of_sameness() {
        let month = Field::Date(Date::parse("2021-07").unwrap());
        let day = Field::Date(Date::parse("2021-07-01").unwrap());
        assert!(!month.same(&day));
        assert!(Field::Text("a \n".into()).same(&Field::Text("a".into())));
        assert_eq!(Field::Words(vec!["a".into(), "b".into()]).yaml(), "[a, b]");
    }
}
