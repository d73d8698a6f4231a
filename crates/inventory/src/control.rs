//! A small deb822 reader (the "Field: value" paragraphs of Debian control files).
//!
//! Only single-line field values are kept: every field the analyzers need (`Package`, `Version`,
//! `Status`, `Source`, `Architecture`) is single-line, while multi-line ones (`Description`,
//! `Conffiles`) only have to be skipped correctly.

/// One paragraph: the fields in file order, values trimmed (first line only).
#[derive(Debug)]
pub(crate) struct Paragraph<'a> {
    fields: Vec<(&'a str, &'a str)>,
}

impl<'a> Paragraph<'a> {
    /// Field names are case-insensitive in deb822 (Debian Policy 5.1).
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// Splits `text` into paragraphs.
///
/// Paragraphs are separated by one or more blank (or whitespace-only) lines; CRLF line ends and a
/// missing final newline are accepted. A line that is neither a field, a continuation nor a
/// comment means the file is not a control file at all, which is an error.
pub(crate) fn parse(text: &str) -> Result<Vec<Paragraph<'_>>, String> {
    let mut out = Vec::new();
    for_each(text, 0, |p| {
        out.push(Paragraph {
            fields: p.fields.clone(),
        })
    })?;
    Ok(out)
}

/// [`parse`] one paragraph at a time, reusing one field list: a status file of a million
/// packages never holds a million paragraphs. On an error, `f` has seen the paragraphs
/// before it, which the caller discards with the error. `lines_before` is how many lines
/// of the file precede `text` (a streamed file comes in pieces), for error messages.
pub(crate) fn for_each<'a>(
    text: &'a str,
    lines_before: usize,
    mut f: impl FnMut(&Paragraph<'a>),
) -> Result<(), String> {
    let mut current = Paragraph { fields: Vec::new() };
    for (index, raw) in text.split('\n').enumerate() {
        let index = index + lines_before;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            if !current.fields.is_empty() {
                f(&current);
                current.fields.clear();
            }
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if current.fields.is_empty() {
                return Err(format!(
                    "line {}: continuation line outside a field",
                    index + 1
                ));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("line {}: expected \"Field: value\"", index + 1));
        };
        if name.is_empty() || name.contains(char::is_whitespace) || name.starts_with('-') {
            return Err(format!("line {}: invalid field name {name:?}", index + 1));
        }
        current.fields.push((name, value.trim()));
    }
    if !current.fields.is_empty() {
        f(&current);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_continuations_crlf_and_blank_runs() {
        let text = "Package: a\r\nDescription: one\r\n two\r\n .\r\nVersion: 1\r\n\r\n\r\n  \r\nPackage: b\nversion: 2";
        let paras = parse(text).unwrap();
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].get("Package"), Some("a"));
        assert_eq!(paras[0].get("Description"), Some("one"));
        assert_eq!(paras[0].get("Version"), Some("1"));
        // Case-insensitive lookup, and the last paragraph has no trailing newline.
        assert_eq!(paras[1].get("Version"), Some("2"));
        assert_eq!(paras[1].get("Status"), None);
    }

    #[test]
    fn rejects_non_control_text() {
        assert!(parse("hello world\n").is_err());
        assert!(parse(" leading continuation\n").is_err());
        assert!(parse("bad name: x\n").is_err());
    }

    #[test]
    fn empty_input_has_no_paragraphs() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("\n\n\r\n").unwrap().is_empty());
    }
}
