//! Escaping text for HTML and XML (pages, SVG, feeds, the sitemap): one function, so there
//! is one place to get it right.

/// Escapes `& < > " '` and drops the control characters XML 1.0 cannot carry at all, so the
/// result is safe in element content and in quoted attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(super::xml("<a href=\"x\">&'\u{1}é"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;é");
    }
}
