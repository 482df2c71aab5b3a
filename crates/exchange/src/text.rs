//! Text in cells, as both directions see it: on one line (a line break of any kind is a
//! space, so a value read or written is one line and no cell can start a YAML key of its own),
//! and within the length an Excel cell holds (a longer text is cut with a note the import
//! recognises).

/// A line break of any kind in a cell (Alt+Enter, a pasted CR or CRLF, U+0085, U+2028,
/// U+2029, vertical tab, form feed): YAML 1.1 readers break lines at each of them.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A cell's text on one line: each run of line breaks becomes one space, so that a value is
/// written, and read back, as one line (a name split by Alt+Enter reads as the name).
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_break = false;
    for c in text.chars() {
        if is_line_break(c) {
            if !in_break {
                out.push(' ');
            }
            in_break = true;
        } else {
            out.push(c);
            in_break = false;
        }
    }
    out
}

/// The most characters an Excel cell holds.
pub(crate) const CELL_LIMIT: usize = 32_767;

/// What ends a text cut to fit a cell.
pub const CUT_NOTE: &str =
    " [… cut here: the text is longer than the 32,767 characters an Excel cell holds; the register has it whole]";

/// `text`, cut to fit a cell with [`CUT_NOTE`] at its end if it is too long.
pub(crate) fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let keep = CELL_LIMIT - CUT_NOTE.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_NOTE);
    std::borrow::Cow::Owned(cut)
}
