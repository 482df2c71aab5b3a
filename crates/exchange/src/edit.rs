//! Changing an existing record file the way its author would: only the values that change
//! are rewritten, in place, and new keys and list items are inserted where the record
//! format's key order puts them, indented like their neighbours. Every other byte — comments,
//! blank lines, key order, quoting — stays as it was. Positions come from the YAML source map
//! (oversight-syntax), so no YAML is ever re-serialised.

use oversight_syntax::source::yaml::{SourceMap, index_path, key_path};

use crate::book::CellRef;
use crate::emit::Emitted;
use crate::fields::Field;

/// One change to a file.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Give the key at `path` (`segments[2].to`) this value, adding the key if it is not
    /// there. `order` is the key order of the mapping it is in.
    Set { path: String, field: Field, at: CellRef, order: &'static [&'static str] },
    /// Add an item to the list at `list` (`segments`, `rsp[0].exit_criteria`), before its
    /// item number `before` or at its end. `item` is the item written with its `- ` at
    /// column 0 ([`crate::emit`]); `order` is the key order of the mapping holding the list.
    Add { list: String, before: Option<usize>, item: Emitted, comment: String, order: &'static [&'static str] },
}

/// A replacement of `start..end` by `text`, whose `origins` are relative to `text`.
#[derive(Debug, Clone)]
struct Splice {
    start: usize,
    end: usize,
    text: String,
    origins: Vec<(usize, usize, CellRef)>,
}

/// Why a change cannot be made as a text edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EditError {
    /// Byte offset in the file.
    pub offset: usize,
    pub message: String,
}

/// Applies `ops` to `text`, whose source map is `map`. Returns the new text and, for the
/// ranges written, the cells they came from.
pub(crate) fn apply(text: &str, map: &SourceMap, ops: &[Op]) -> Result<Emitted, EditError> {
    let mut splices = Vec::new();
    for op in ops {
        splices.push(match op {
            Op::Set { path, field, at, order } => set(text, map, path, field, *at, order)?,
            Op::Add { list, before, item, comment, order } => add(text, map, list, *before, item, comment, order)?,
        });
    }
    // Stable: splices at one place go in the order the changes were made.
    splices.sort_by_key(|s| s.start);
    let mut out = Emitted::default();
    let mut at = 0;
    for s in splices {
        if s.start < at {
            return Err(EditError { offset: s.start, message: "two changes overlap".into() });
        }
        out.text.push_str(&text[at..s.start]);
        let base = out.text.len();
        out.text.push_str(&s.text);
        out.origins.extend(s.origins.into_iter().map(|(a, b, c)| (base + a, base + b, c)));
        at = s.end;
    }
    out.text.push_str(&text[at..]);
    Ok(out)
}

/// Column of byte `offset`: bytes since the start of its line (records indent with spaces).
fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line `offset` is on, before its line break.
fn line_end(text: &str, offset: usize) -> usize {
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if text[..end].ends_with('\r') { end - 1 } else { end }
}

/// The end of a block scalar (`|`, `>`) whose indicator is at `at`, under a key at `indent`:
/// its last line indented deeper than the key.
fn block_scalar_end(text: &str, at: usize, indent: usize) -> usize {
    let mut end = line_end(text, at);
    let mut next = end;
    while next < text.len() {
        let start = text[next..].find('\n').map_or(text.len(), |i| next + i + 1);
        if start >= text.len() {
            break;
        }
        let line_stop = line_end(text, start);
        let line = &text[start..line_stop];
        let blank = line.trim().is_empty();
        if !blank && line.len() - line.trim_start().len() <= indent {
            break;
        }
        if !blank {
            end = line_stop;
        }
        next = line_stop;
    }
    end
}

fn set(
    text: &str,
    map: &SourceMap,
    path: &str,
    field: &Field,
    at: CellRef,
    order: &[&str],
) -> Result<Splice, EditError> {
    let value = field.yaml();
    if let Some(entry) = map.get(path) {
        let (vs, ve) = entry.value;
        let Some((ks, ke)) = entry.key else {
            return Err(EditError { offset: vs, message: format!("`{path}` is not a key") });
        };
        let colon = text[ke..].find(':').map_or(ke, |i| ke + i);
        let after_colon = text[colon + 1..line_end(text, colon)].trim_start();
        let block_scalar = after_colon.starts_with(['|', '>']);
        let on_key_line = line_start(text, vs) == line_start(text, ks) && vs != ks;
        // A value on its own lines (a block list, a block scalar) is replaced from the key's
        // colon, so the new value sits on the key's line.
        if !on_key_line || block_scalar || matches!(field, Field::Words(_) | Field::Texts(_)) {
            let end = if block_scalar {
                block_scalar_end(text, colon, column(text, ks))
            } else if vs == ks {
                ke
            } else {
                ve
            };
            let new = format!(": {value}");
            return Ok(Splice { start: colon, end: end.max(colon + 1), origins: vec![(2, new.len(), at)], text: new });
        }
        return Ok(Splice { start: vs, end: ve, origins: vec![(0, value.len(), at)], text: value });
    }
    let (parent_path, key) = split_key(path);
    let line = format!("{key}: {value}");
    insert_key(text, map, parent_path, key, order, &Emitted { origins: vec![(0, line.len(), at)], text: line })
}

/// `a.b[1].c` → (`a.b[1]`, `c`); `c` → (`.`, `c`).
fn split_key(path: &str) -> (&str, &str) {
    match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (".", path),
    }
}

/// Inserts `body` (a `key: value` line, or `key:` and its block, unindented) into the mapping
/// at `parent`: after the last key that the record format puts before `key`, else after the
/// mapping's last key.
fn insert_key(
    text: &str,
    map: &SourceMap,
    parent: &str,
    key: &str,
    order: &[&str],
    body: &Emitted,
) -> Result<Splice, EditError> {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let siblings: Vec<(&str, _)> =
        map.keys_of(parent).filter_map(|k| map.get(&key_path(parent, k)).map(|e| (k, e))).collect();
    let Some(any) = siblings.first() else {
        let offset = map.get(parent).map_or(0, |e| e.value.0);
        return Err(EditError {
            offset,
            message: format!("cannot add `{key}`: the mapping has no keys to place it by"),
        });
    };
    let indent = column(text, any.1.key.map_or(any.1.value.0, |k| k.0));
    let after = siblings
        .iter()
        .filter(|(k, _)| rank(k) < rank(key))
        .max_by_key(|(k, _)| rank(k))
        .or_else(|| siblings.iter().max_by_key(|(_, e)| e.value.1))
        .map(|(k, e)| (*k, *e));
    let Some((_, entry)) = after else {
        return Err(EditError { offset: 0, message: format!("cannot place `{key}`") });
    };
    // The end of the value, over a block scalar's lines; then the end of that line, so a
    // comment after the value stays with it.
    let key_end = entry.key.map_or(entry.value.0, |k| k.1);
    let colon = text[key_end..].find(':').map_or(key_end, |i| key_end + i);
    let block_scalar = text[(colon + 1).min(text.len())..line_end(text, colon)].trim_start().starts_with(['|', '>']);
    let end = if block_scalar { block_scalar_end(text, colon, indent) } else { entry.value.1.max(key_end) };
    let at = line_end(text, end);
    Ok(indented_after(at, indent, body))
}

/// `body` with each of its lines indented by `n` spaces (blank lines left blank).
fn indent(body: &Emitted, n: usize) -> Emitted {
    let mut out = Emitted::default();
    let mut offset = 0;
    for line in body.text.split_inclusive('\n') {
        let pad = if line.trim().is_empty() { 0 } else { n };
        let start = out.text.len() + pad;
        out.text.extend(std::iter::repeat_n(' ', pad));
        out.text.push_str(line);
        for &(a, b, c) in &body.origins {
            if a >= offset && b <= offset + line.len() {
                out.origins.push((start + a - offset, start + b - offset, c));
            }
        }
        offset += line.len();
    }
    out
}

/// `body` indented by `n`, as new lines after the line ending at `at`.
fn indented_after(at: usize, n: usize, body: &Emitted) -> Splice {
    let body = indent(body, n);
    let text = format!("\n{}", body.text.trim_end_matches('\n'));
    let origins = body.origins.into_iter().map(|(a, b, c)| (a + 1, b + 1, c)).collect();
    Splice { start: at, end: at, text, origins }
}

fn add(
    text: &str,
    map: &SourceMap,
    list: &str,
    before: Option<usize>,
    item: &Emitted,
    comment: &str,
    order: &[&str],
) -> Result<Splice, EditError> {
    let mut body = Emitted::default();
    if !comment.is_empty() {
        body.text.push_str(&crate::emit::comment(comment));
        body.text.push('\n');
    }
    let base = body.text.len();
    body.text.push_str(&item.text);
    body.origins.extend(item.origins.iter().map(|&(a, b, c)| (base + a, base + b, c)));
    let Some(entry) = map.get(list) else {
        // No such list yet: add the key with the item under it.
        let (parent_path, key) = split_key(list);
        let items = indent(&body, 2);
        let head = format!("{key}:\n");
        let block = Emitted {
            text: format!("{head}{}", items.text),
            origins: items.origins.into_iter().map(|(a, b, c)| (a + head.len(), b + head.len(), c)).collect(),
        };
        return insert_key(text, map, parent_path, key, order, &block);
    };
    let (vs, ve) = entry.value;
    let written = &text[vs..ve];
    if let Some(inside) = written.strip_prefix('[') {
        if inside.trim_start().starts_with(']') {
            // `segments: []`: the list becomes a block list holding the item.
            let (ks, ke) = entry.key.unwrap_or((vs, vs));
            let dash_col = column(text, ks) + 2;
            let colon = text[ke..].find(':').map_or(ke, |i| ke + i);
            let mut splice = indented_after(colon + 1, dash_col, &body);
            splice.start = colon + 1;
            splice.end = ve;
            return Ok(splice);
        }
        return Err(EditError {
            offset: vs,
            message: format!(
                "cannot add to `{list}` written as a flow list (`[...]`): write it as a block list, one `- ` item per line"
            ),
        });
    }
    // A block list: its items' dashes sit at one column.
    let first = map.get(&index_path(list, 0)).map_or(vs, |e| e.value.0);
    let dash = text[..first].rfind('-').unwrap_or(first);
    let dash_col = column(text, dash);
    match before.and_then(|i| map.get(&index_path(list, i))) {
        Some(next) => {
            let next_dash = text[..next.value.0].rfind('-').unwrap_or(next.value.0);
            // As lines before the item's line.
            let start = line_start(text, next_dash);
            let body = indent(&body, dash_col);
            Ok(Splice { start, end: start, text: body.text, origins: body.origins })
        }
        None => {
            let last_end = (0..).map_while(|i| map.get(&index_path(list, i))).last().map_or(ve, |e| e.value.1);
            Ok(indented_after(line_end(text, last_end), dash_col, &body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oversight_syntax::date::Date;
    use oversight_syntax::source::yaml::scan;

    const AT: CellRef = CellRef { sheet: 0, row: 2, column: 1 };
    const ORDER: &[&str] = &["segment", "from", "to", "framework", "note"];
    const ORG: &[&str] = &["name", "type", "region", "segments", "rsp", "licence_breach"];

    fn d(s: &str) -> Field {
        Field::Date(Date::parse(s).unwrap())
    }

    fn edit(text: &str, ops: &[Op]) -> String {
        let map = scan(text, 0).unwrap();
        let out = apply(text, &map, ops).unwrap();
        // The result is YAML whose map reads.
        scan(&out.text, 0).unwrap();
        out.text
    }

    const DOC: &str = "\
# A comment the author wrote.
name: Kestrel Bay   # trailing comment
type: nhs-trust
region: london
segments:
  - segment: 3
    from: 2021-07-01   # the first period
    note: |
      Two lines
      of note.
  - segment: 4
    from: 2022-01-10
";

    #[test]
    fn replaces_only_the_value() {
        let out = edit(
            DOC,
            &[Op::Set { path: "region".into(), field: Field::Word("north-west".into()), at: AT, order: ORG }],
        );
        assert_eq!(out, DOC.replace("region: london", "region: north-west"));
        let out = edit(
            DOC,
            &[Op::Set { path: "name".into(), field: Field::Text("Kestrel: Bay".into()), at: AT, order: ORG }],
        );
        assert!(out.contains("name: 'Kestrel: Bay'   # trailing comment\n"), "{out}");
    }

    #[test]
    fn inserts_keys_in_the_formats_order() {
        let ops = [
            Op::Set { path: "segments[0].to".into(), field: d("2022-01-09"), at: AT, order: ORDER },
            Op::Set { path: "segments[1].to".into(), field: d("2023-03"), at: AT, order: ORDER },
        ];
        let out = edit(DOC, &ops);
        assert!(out.contains("    from: 2021-07-01   # the first period\n    to: 2022-01-09\n    note: |\n"), "{out}");
        assert!(out.ends_with("    from: 2022-01-10\n    to: 2023-03\n"), "{out}");
    }

    #[test]
    fn replaces_block_scalars_whole() {
        let ops =
            [Op::Set { path: "segments[0].note".into(), field: Field::Text("One line".into()), at: AT, order: ORDER }];
        let out = edit(DOC, &ops);
        assert!(out.contains("    note: One line\n  - segment: 4\n"), "{out}");
    }

    #[test]
    fn adds_list_items_where_they_belong() {
        let item = Emitted { text: "- segment: 2\n  from: 2021-01-01\n".into(), origins: vec![(2, 12, AT)] };
        let ops = [Op::Add {
            list: "segments".into(),
            before: Some(0),
            item: item.clone(),
            comment: "from x".into(),
            order: ORG,
        }];
        let out = edit(DOC, &ops);
        assert!(out.contains("segments:\n  # from x\n  - segment: 2\n    from: 2021-01-01\n  - segment: 3\n"), "{out}");
        let ops =
            [Op::Add { list: "segments".into(), before: None, item: item.clone(), comment: String::new(), order: ORG }];
        let out = edit(DOC, &ops);
        assert!(out.ends_with("    from: 2022-01-10\n  - segment: 2\n    from: 2021-01-01\n"), "{out}");
        let map = scan(DOC, 0).unwrap();
        let applied = apply(DOC, &map, &ops).unwrap();
        let (a, b, _) = applied.origins[0];
        assert_eq!(&applied.text[a..b], "segment: 2");

        // A list that is not there yet is added after the key before it in the format.
        let doc = "name: A\ntype: icb\nregion: london\nlicence_breach: true\n";
        let ops = [Op::Add { list: "segments".into(), before: None, item, comment: String::new(), order: ORG }];
        let out = edit(doc, &ops);
        assert_eq!(
            out,
            "name: A\ntype: icb\nregion: london\nsegments:\n  - segment: 2\n    from: 2021-01-01\nlicence_breach: true\n"
        );
        let map = scan(doc, 0).unwrap();
        let applied = apply(doc, &map, &ops).unwrap();
        let (a, b, _) = applied.origins[0];
        assert_eq!(&applied.text[a..b], "segment: 2");
    }

    #[test]
    fn empty_flow_lists_become_block_lists() {
        let doc = "name: A\nrsp: []\n";
        let item = Emitted { text: "- entered: 2022-01-01\n".into(), origins: vec![] };
        let ops = [Op::Add { list: "rsp".into(), before: None, item, comment: String::new(), order: ORG }];
        assert_eq!(edit(doc, &ops), "name: A\nrsp:\n  - entered: 2022-01-01\n");
    }
}
