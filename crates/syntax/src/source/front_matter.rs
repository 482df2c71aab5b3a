//! Splitting a Markdown file into its YAML front matter and its body.

/// The parts of a Markdown file with front matter, as byte offsets into the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Where the YAML starts (the line after the opening `---`).
    pub yaml_start: usize,
    /// Where the YAML ends (the start of the closing `---` line).
    pub yaml_end: usize,
    /// Where the Markdown body starts (the line after the closing `---`).
    pub body_start: usize,
}

/// Finds front matter fenced by `---` lines at the very start of the file. `None` if the file
/// does not start with `---`; `Err(offset)` if it does but the closing line is missing.
pub fn split(text: &str) -> Result<Option<Split>, usize> {
    let Some(first_end) = fence_line_end(text, 0) else { return Ok(None) };
    let mut line_start = first_end;
    while line_start < text.len() {
        if let Some(end) = fence_line_end(text, line_start) {
            return Ok(Some(Split { yaml_start: first_end, yaml_end: line_start, body_start: end }));
        }
        line_start = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i + 1);
    }
    Err(0)
}

/// If the line starting at `start` is `---` (trailing white space allowed), the offset just
/// past its line break.
fn fence_line_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let line_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    (rest[..line_len].trim_end() == "---").then_some(start + line_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text).unwrap().unwrap();
        assert_eq!(&text[s.yaml_start..s.yaml_end], "title: A\n");
        assert_eq!(&text[s.body_start..], "Body\n");
        let crlf = "---\r\ntitle: A\r\n---\r\nBody";
        let s = split(crlf).unwrap().unwrap();
        assert_eq!(&crlf[s.yaml_start..s.yaml_end], "title: A\r\n");
        assert_eq!(&crlf[s.body_start..], "Body");
    }

    #[test]
    fn missing_or_unclosed() {
        assert_eq!(split("# Just markdown\n"), Ok(None));
        assert_eq!(split("---\ntitle: A\nno end"), Err(0));
        assert_eq!(split("---\n---\n").unwrap().unwrap().body_start, 8);
    }
}
