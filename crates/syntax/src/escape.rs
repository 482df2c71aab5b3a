//! Escaping text for HTML and XML (pages, SVG, feeds, the sitemap): one function, so there
//! is one place to get it right.

/// Escapes `& < > " '` and drops the control characters XML 1.0 cannot carry at all, so the
/// result is safe in element content and in quoted attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Runs of characters that need nothing are copied whole: every value a template prints
    // passes through here, and most need no escaping at all. The bytes looked for are all
    // ASCII, so every cut falls on a character boundary.
    let mut plain = 0;
    for (i, byte) in s.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\t' | b'\n' | b'\r' => continue,
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(replacement);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(super::xml("<a href=\"x\">&'\u{1}é"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;é");
        assert_eq!(super::xml("\u{1f}tab\tline\nend\r\u{7f}"), "tab\tline\nend\r\u{7f}");
        assert_eq!(super::xml("plain"), "plain");
        assert_eq!(super::xml(""), "");
    }
}
