//! Positions as the Language Server Protocol counts them and as the tool does. The tool's spans
//! are byte offsets into a file's UTF-8 text (`file:line:col` counts characters); LSP positions
//! are 0-based lines and UTF-16 code units within the line (the protocol's default encoding,
//! the only one every client speaks). Converting through [`LineIndex`] keeps the two apart.

use lsp_types::{Position, Range};

/// Where each line of one text starts, to turn byte offsets into LSP positions and back.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// The byte offset of the start of every line (the first is 0).
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex { starts: std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect() }
    }

    /// The LSP position of byte `offset` of `text` (the text the index was made from). An
    /// offset past the end is the end; one inside a character is that character's start.
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let character = text[start..offset].encode_utf16().count();
        Position { line: to_u32(line), character: to_u32(character) }
    }

    pub(crate) fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range { start: self.position(text, start), end: self.position(text, end) }
    }

    /// The byte offset of an LSP position in `text`. As the protocol says, a character past
    /// the end of its line means the line's end, and a line past the last means the end of
    /// the text; a position inside a surrogate pair means the character's start.
    pub(crate) fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return text.len() };
        let end = self.starts.get(position.line as usize + 1).map_or(text.len(), |&next| next - 1);
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units + c.len_utf16() > position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_offsets_are_columns() {
        let text = "name: x\nregion: london\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), at(0, 0));
        assert_eq!(index.position(text, text.find("london").unwrap()), at(1, 8));
        assert_eq!(index.offset(text, at(1, 8)), text.find("london").unwrap());
        assert_eq!(index.position(text, text.len()), at(2, 0));
    }

    #[test]
    fn columns_count_utf16_units_not_bytes_or_characters() {
        // "—" is 3 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes, 1 character and 2 UTF-16 units.
        let text = "note: — 𝄞 x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 15);
        assert_eq!(index.position(text, x), at(0, 11));
        assert_eq!(index.offset(text, at(0, 11)), x);
        // Inside the surrogate pair: the character's start.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(index.offset(text, at(0, 9)), clef);
        // Inside a multi-byte character: its start.
        assert_eq!(index.position(text, clef + 1), at(0, 8));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "a: 1\r\nb: 2";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, at(0, 99)), 4, "the line's end, before \\r\\n");
        assert_eq!(index.offset(text, at(9, 0)), text.len());
        assert_eq!(index.position(text, 999), at(1, 4));
        assert_eq!(index.offset(text, at(1, 1)), 7);
    }

    #[test]
    fn round_trips_every_boundary() {
        let text = "ä\n𝄞b\r\n\nc—d";
        let index = LineIndex::new(text);
        // (The `\n` of a `\r\n` is inside the line break, which has no position of its own.)
        for (offset, _) in text.char_indices().filter(|&(i, c)| !(c == '\n' && text[..i].ends_with('\r'))) {
            assert_eq!(index.offset(text, index.position(text, offset)), offset, "offset {offset}");
        }
    }
}
