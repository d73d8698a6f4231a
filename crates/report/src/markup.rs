//! Escaping for the markup formats (HTML, JUnit XML).
//!
//! Every string in a report may come from the scanned image (package names, file paths,
//! advisory summaries), so each one is escaped on the way out, and characters XML 1.0
//! cannot carry at all (control characters, U+FFFE/U+FFFF) become U+FFFD instead of
//! making the whole document unparsable.

/// Appends `text` to `out`, escaped for element content and quoted attribute values.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    push(out, text, false);
}

/// Like [`push_escaped`], and keeps tabs and line breaks in attribute values, which XML
/// parsers otherwise normalise to spaces.
pub(crate) fn push_escaped_attr(out: &mut String, text: &str) {
    push(out, text, true);
}

/// `text` escaped as by [`push_escaped`].
pub(crate) fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

fn push(out: &mut String, text: &str, attr: bool) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\n' if attr => "&#10;",
            '\r' if attr => "&#13;",
            '\t' if attr => "&#9;",
            '\n' | '\r' | '\t' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        // The five predefined entities of XML 1.0 (section 4.6); HTML shares them.
        assert_eq!(
            escaped(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced() {
        // XML 1.0 production [2] Char excludes C0 controls other than tab, LF and CR.
        assert_eq!(
            escaped("a\u{1b}[31mb\u{0}c\u{FFFF}"),
            "a\u{FFFD}[31mb\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escaped("tab\tline\nend\r"), "tab\tline\nend\r");
    }

    #[test]
    fn attributes_keep_line_breaks() {
        let mut out = String::new();
        push_escaped_attr(&mut out, "two\nlines\tand \"quotes\"");
        assert_eq!(out, "two&#10;lines&#9;and &quot;quotes&quot;");
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        assert_eq!(escaped("schön → <ü>"), "schön → &lt;ü&gt;");
    }
}
