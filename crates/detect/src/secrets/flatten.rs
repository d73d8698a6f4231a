//! Section-qualified view of YAML and INI/TOML files, so that line-scoped
//! rules see the vendor a nested key belongs to:
//!
//! ```text
//! datadog:                      datadog.datadog:
//!   api_key: 3f9a...     ->     datadog.datadog.api_key: 3f9a...
//! ```
//!
//! (in `/etc/datadog-agent/datadog.yaml` the file name is the outermost
//! section). Each view line is a synthesized key path followed by a verbatim
//! tail of an original line, so spans in the tail map back exactly.

use std::ops::Range;

/// Parent keys kept in a path: enough for `vendor.section.key`.
const MAX_DEPTH: usize = 3;

struct ViewLine {
    /// Start of the line in the view.
    view_start: usize,
    /// Length of the synthesized path prefix.
    prefix_len: usize,
    /// The verbatim tail in the original content.
    orig: Range<usize>,
    /// The whole original line (without its newline).
    line: Range<usize>,
}

pub(super) struct Flat {
    text: Vec<u8>,
    lines: Vec<ViewLine>,
}

enum Kind {
    Yaml,
    Ini,
    /// Pretty-printed JSON: one member a line, objects opened by `"key": {`.
    Json,
}

impl Flat {
    pub(super) fn text(&self) -> &[u8] {
        &self.text
    }

    /// The original line of the view line holding byte `at` of the view.
    pub(super) fn original_line(&self, at: usize) -> Option<Range<usize>> {
        let i = self
            .lines
            .partition_point(|l| l.view_start <= at)
            .checked_sub(1)?;
        self.lines.get(i).map(|l| l.line.clone())
    }

    /// Original span of a view span, if it lies in one line's verbatim tail.
    pub(super) fn to_original(&self, (start, end): (usize, usize)) -> Option<(usize, usize)> {
        let i = self
            .lines
            .partition_point(|l| l.view_start <= start)
            .checked_sub(1)?;
        let line = self.lines.get(i)?;
        let tail = line.view_start + line.prefix_len;
        let offset = start.checked_sub(tail)?;
        let len = end - start;
        (offset + len <= line.orig.len()).then(|| {
            let s = line.orig.start + offset;
            (s, s + len)
        })
    }

    fn push(&mut self, prefix: &[u8], orig: Range<usize>, line: Range<usize>, content: &[u8]) {
        self.lines.push(ViewLine {
            view_start: self.text.len(),
            prefix_len: prefix.len(),
            orig: orig.clone(),
            line,
        });
        self.text.extend_from_slice(prefix);
        self.text.extend_from_slice(&content[orig]);
        self.text.push(b'\n');
    }
}

/// The view of a YAML or INI/TOML file (by extension), else `None`.
pub(super) fn flatten(rel: &str, content: &[u8]) -> Option<Flat> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.')?;
    let kind = match ext.to_ascii_lowercase().as_str() {
        "yaml" | "yml" => Kind::Yaml,
        "ini" | "cfg" | "conf" | "toml" | "properties" => Kind::Ini,
        "json" => Kind::Json,
        _ => return None,
    };
    let stem = stem.trim_start_matches('.');
    let root = (!stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(stem.as_bytes());
    let mut flat = Flat {
        text: Vec::with_capacity(content.len() + content.len() / 4),
        lines: Vec::new(),
    };
    let mut parents: Vec<(usize, &[u8])> = Vec::new();
    let mut block: Option<usize> = None;
    let mut start = 0;
    for line in content.split_inclusive(|&b| b == b'\n') {
        let end = start + line.len() - usize::from(line.ends_with(b"\n"));
        let body = &content[start..end];
        let indent = body.iter().take_while(|&&b| b == b' ').count();
        let trimmed = &body[indent..];
        let tail = start + indent..end;
        let whole = start..end;
        start += line.len();
        let skip = trimmed.is_empty() || trimmed.starts_with(b"#") || trimmed.starts_with(b";");
        match kind {
            Kind::Ini => {
                if trimmed.starts_with(b"[") && !skip {
                    let name = trimmed.trim_ascii_end();
                    let name = name.strip_prefix(b"[").unwrap_or(name);
                    let name = name.strip_suffix(b"]").unwrap_or(name);
                    parents.clear();
                    parents.push((0, name.trim_ascii()));
                }
            }
            Kind::Json => {
                if trimmed.starts_with(b"}") || trimmed.starts_with(b"]") {
                    parents.pop();
                } else if let Some(key) = json_object_key(trimmed) {
                    parents.push((0, key));
                    flat.push(b"", tail, whole.clone(), content);
                    continue;
                }
            }
            Kind::Yaml => {
                if let Some(b) = block {
                    if skip || indent > b {
                        flat.push(b"", tail, whole.clone(), content);
                        continue;
                    }
                    block = None;
                }
                if !skip {
                    // `- key: v` list items count their dash as indentation.
                    let item = trimmed.strip_prefix(b"- ").map_or(0, |_| 2);
                    let level = indent + item;
                    while parents.last().is_some_and(|&(i, _)| i >= level) {
                        parents.pop();
                    }
                    if let Some((key, value)) = yaml_key(&trimmed[item..]) {
                        match value {
                            b"" => parents.push((level, key)),
                            v if v.starts_with(b"|") || v.starts_with(b">") => block = Some(level),
                            _ => {}
                        }
                    }
                }
            }
        }
        let mut prefix = Vec::new();
        let mut tail = tail;
        // `"key": v` keeps the path inside the quotes: `"cfg.twilio.key": v`.
        if matches!(kind, Kind::Json) && trimmed.starts_with(b"\"") {
            prefix.push(b'"');
            tail.start += 1;
        }
        let chain = root.into_iter().chain(parents.iter().map(|p| p.1));
        let keep = parents.len() + usize::from(root.is_some());
        let is_header = matches!(kind, Kind::Ini) && trimmed.starts_with(b"[");
        if !skip && !is_header {
            for part in chain.skip(keep.saturating_sub(MAX_DEPTH)) {
                prefix.extend_from_slice(part);
                prefix.push(b'.');
            }
        }
        if prefix == b"\"" {
            prefix.clear();
            tail.start -= 1;
        }
        flat.push(&prefix, tail, whole, content);
    }
    Some(flat)
}

/// `key` of a JSON line `"key": {` (or `[`) that opens a nested value.
fn json_object_key(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"\"")?;
    let close = memchr::memchr(b'"', rest)?;
    let after = rest[close + 1..].trim_ascii();
    let opens = after
        .strip_prefix(b":")
        .map(|a| a.trim_ascii())
        .is_some_and(|a| a == b"{" || a == b"[");
    opens.then_some(&rest[..close])
}

/// `key: value` of a YAML mapping line (key unquoted).
fn yaml_key(line: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = memchr::memchr(b':', line)?;
    let key = line[..colon].trim_ascii();
    let key = key
        .strip_prefix(b"\"")
        .and_then(|k| k.strip_suffix(b"\""))
        .unwrap_or(key);
    let ok = !key.is_empty()
        && key
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    let value = line[colon + 1..].trim_ascii();
    (ok && (value.is_empty() || line.get(colon + 1) == Some(&b' '))).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_get_their_sections_and_spans_map_back() {
        let text = b"datadog:\n  site: eu\n  api_key: k3y\nlogs:\n  - name: x\n    token: t0k\nblock: |\n  api_key: inblock\n";
        let flat = flatten("etc/app/agent.yaml", text).expect("yaml");
        let view = String::from_utf8_lossy(flat.text()).into_owned();
        assert!(view.contains("agent.datadog.api_key: k3y\n"), "{view}");
        assert!(view.contains("agent.logs.token: t0k\n"), "{view}");
        assert!(view.contains("\napi_key: inblock\n"), "{view}");
        let at = view.find("k3y").expect("value");
        let (s, e) = flat.to_original((at, at + 3)).expect("maps");
        assert_eq!(&text[s..e], b"k3y");
        // A span in the synthesized prefix has no original.
        assert_eq!(flat.to_original((0, 5)), None);
    }

    #[test]
    fn pretty_json_objects_nest() {
        let text = b"{\n  \"twilio\": {\n    \"authToken\": \"abc\"\n  },\n  \"x\": 1\n}\n";
        let flat = flatten("app/config.json", text).expect("json");
        let view = String::from_utf8_lossy(flat.text()).into_owned();
        assert!(
            view.contains("\"config.twilio.authToken\": \"abc\"\n"),
            "{view}"
        );
        assert!(view.contains("\"config.x\": 1\n"), "{view}");
    }

    #[test]
    fn ini_sections_prefix_their_keys() {
        let text = b"[twilio]\nauth_token = abc\n\n[other]\nx = 1\n";
        let flat = flatten("etc/notify.ini", text).expect("ini");
        let view = String::from_utf8_lossy(flat.text()).into_owned();
        assert!(view.contains("notify.twilio.auth_token = abc\n"), "{view}");
        assert!(flatten("app/main.py", text).is_none());
    }
}
