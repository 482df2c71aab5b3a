//! What is at a place in a document: the word under the cursor (an id, a rule code, an `@/…`
//! link, a figure's name), and, in YAML (a record, or a Markdown file's front matter), the key
//! path the place is under. Read from the text alone, so it works on a buffer that does not
//! parse while it is being typed.

/// A word of a document: where it is, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: &'a str,
}

/// Characters of ids, rule codes, paths and figure names.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || "-_./@".contains(c)
}

/// The word around byte `offset` of `text`, without the full stops and slashes that end a
/// sentence or a folder.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<Word<'_>> {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].char_indices().rev().take_while(|&(_, c)| in_word(c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|&(_, c)| !in_word(c)).map_or(text.len(), |(i, _)| offset + i);
    let word = text[start..end].trim_end_matches(['.', '/']);
    (!word.is_empty()).then(|| Word { start, end: start + word.len(), text: word })
}

/// The word that ends at `offset` (what is being typed), possibly empty.
pub(crate) fn typed_at(text: &str, offset: usize) -> Word<'_> {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].char_indices().rev().take_while(|&(_, c)| in_word(c)).last().map_or(offset, |(i, _)| i);
    Word { start, end: offset, text: &text[start..offset] }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The line holding `offset`: its start and its text up to `offset`.
pub(crate) fn line_before(text: &str, offset: usize) -> (usize, &str) {
    let offset = floor_boundary(text, offset);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (start, &text[start..offset])
}

/// The generated block whose options `offset` is among: the nearest fence line above the
/// cursor's line opens one (its language names a block) rather than closing a code block.
pub(crate) fn block_at(text: &str, offset: usize) -> Option<oversight_model::vocabulary::BlockKind> {
    let (line_start, _) = line_before(text, offset);
    for line in text[..line_start].lines().rev() {
        let trimmed = line.trim_start();
        let Some(language) = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~")) else { continue };
        return oversight_model::vocabulary::BlockKind::from_language(language.trim());
    }
    None
}

/// Where the YAML of a file is: all of a `.yaml` file, the front matter of a `.md` one.
pub(crate) fn yaml_range(text: &str, markdown: bool) -> Option<(usize, usize)> {
    if !markdown {
        return Some((0, text.len()));
    }
    let first = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - first.len();
    let after_open = first.strip_prefix("---\n").or_else(|| first.strip_prefix("---\r\n"))?;
    let yaml_start = skip + (first.len() - after_open.len());
    let mut at = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((yaml_start, at));
        }
        at += line.len();
    }
    Some((yaml_start, text.len()))
}

/// Where a place is in a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlPlace {
    /// The keys from the document's top down to the place's own (list indexes left out): on
    /// `  - organisation: x` under `support:`, `["support", "organisation"]`; on a list item
    /// with no key, the list's key ends the path.
    pub(crate) path: Vec<String>,
    /// Whether the place is on the key itself (or where a new key is being typed) rather
    /// than in its value.
    pub(crate) on_key: bool,
    /// The key's byte range, when the place's line has one.
    pub(crate) key: Option<(usize, usize)>,
}

/// One line of YAML: where its content starts (after indentation and `- ` list marks), and
/// its key if it has one.
struct Line<'a> {
    /// The column of the first character (the indentation, or where a `- ` mark starts).
    indent: usize,
    /// The column of the key, after any list marks.
    column: usize,
    key: Option<&'a str>,
    /// The byte offset (in the line) just after the key's colon.
    after_colon: Option<usize>,
}

fn parse_line(line: &str) -> Option<Line<'_>> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if trimmed.trim().is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let mut column = indent;
    let mut rest = trimmed;
    while let Some(after) = rest.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with([' ', '\t'])) {
        let content = after.trim_start_matches([' ', '\t']);
        column += rest.len() - content.len();
        rest = content;
    }
    let key_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.')).unwrap_or(rest.len());
    let after = &rest[key_len..];
    let (key, after_colon) = if key_len > 0 && (after.starts_with(": ") || after.trim_end() == ":") {
        (Some(&rest[..key_len]), Some(column + key_len + 1))
    } else {
        (None, None)
    };
    Some(Line { indent, column, key, after_colon })
}

/// The place at byte `offset` of the YAML at `range` of `text`.
pub(crate) fn yaml_place(text: &str, range: (usize, usize), offset: usize) -> Option<YamlPlace> {
    let (start, end) = range;
    if offset < start || offset > end {
        return None;
    }
    let (line_start, before) = line_before(text, offset);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let mut path = Vec::new();
    let (mut limit, on_key, key) = match parse_line(line) {
        Some(parsed) => {
            let cursor = before.len();
            let on_key = match parsed.after_colon {
                Some(after) => cursor < after,
                // `- x`: a list's item, a value; a bare word: a key being typed.
                None => parsed.column == parsed.indent,
            };
            let key = parsed.key.map(|k| (line_start + parsed.column, line_start + parsed.column + k.len()));
            if let Some(k) = parsed.key {
                path.push(k.to_string());
            }
            // A list item without a key belongs to the list's key, on a line above.
            let limit =
                if parsed.key.is_some() || parsed.column > parsed.indent { parsed.column } else { parsed.indent };
            (limit, on_key, key)
        }
        // An empty line: a new key at the cursor's column.
        None => (before.len(), true, None),
    };
    // The keys of the lines above with a smaller column are the place's parents.
    let above = &text[start..line_start.max(start)];
    for line in above.lines().rev() {
        if limit == 0 {
            break;
        }
        let Some(parsed) = parse_line(line) else { continue };
        if parsed.column < limit
            && let Some(key) = parsed.key
        {
            path.push(key.to_string());
            limit = parsed.column;
        } else if parsed.indent < limit && parsed.key.is_none() {
            limit = parsed.indent;
        }
    }
    path.reverse();
    Some(YamlPlace { path, on_key, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str, marker: &str) -> YamlPlace {
        let at = text.find(marker).unwrap();
        let text = text.replace(marker, "");
        yaml_place(&text, (0, text.len()), at).unwrap()
    }

    #[test]
    fn words_are_ids_codes_and_links() {
        let text = "see @/organisations/kestrel-bay. Then OVS101, [x](@/pages/a/b)";
        let at = |s: &str| word_at(text, text.find(s).unwrap() + 1).map(|w| w.text);
        assert_eq!(at("organisations"), Some("@/organisations/kestrel-bay"));
        assert_eq!(at("OVS101"), Some("OVS101"));
        assert_eq!(at("pages"), Some("@/pages/a/b"));
        assert_eq!(typed_at("organisation: fen", 17).text, "fen");
    }

    #[test]
    fn yaml_places_follow_indentation_and_list_marks() {
        let org = "name: X\nsegments:\n  - segment: 3\n    from: 2021-07\n    framework: |\nrsp:\n- entered: 2022-01\n  criteria:\n    - |\n";
        let p = place(org, "|");
        assert_eq!((p.path, p.on_key), (vec!["segments".to_string(), "framework".to_string()], false));
        let criteria = org.replacen("    framework: |", "    framework: x", 1);
        let p = place(&criteria, "|");
        assert_eq!(p.path, ["rsp", "criteria"]);
        assert!(!p.on_key);
        let support = "organisation: |\nkind: x\n";
        assert_eq!(place(support, "|").path, ["organisation"]);
        let typing = "name: X\nsegments:\n  - segment: 3\n    fr|\n";
        let p = place(typing, "|");
        assert_eq!(p.path, ["segments"], "the key being typed is not yet on the path");
        assert!(p.on_key);
        let key = place("name: X\nreg|ion: london\n", "|");
        assert_eq!((key.path, key.on_key, key.key), (vec!["region".to_string()], true, Some((8, 14))));
    }

    #[test]
    fn front_matter_is_the_yaml_of_markdown() {
        let text = "---\ntitle: A\n---\nbody @/x\n";
        assert_eq!(yaml_range(text, true), Some((4, 13)));
        assert_eq!(yaml_range("no front matter", true), None);
    }
}
