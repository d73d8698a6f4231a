//! Byte offset to line/column mapping and masked context snippets.

use crate::util::mask;

/// Bytes of surrounding line kept on each side of a secret in `context`, so
/// minified one-line files do not produce megabyte-long reports.
const CONTEXT_RADIUS: usize = 40;

/// Newline offsets, for 1-based line/column lookups in O(log n).
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(content: &[u8]) -> Self {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', content).collect(),
        }
    }

    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.newlines.partition_point(|&p| p < offset);
        let line_start = match idx.checked_sub(1).and_then(|i| self.newlines.get(i)) {
            Some(&nl) => nl + 1,
            None => 0,
        };
        (idx + 1, offset - line_start + 1)
    }

    /// Up to `CONTEXT_RADIUS` bytes of the line on each side, secret masked.
    pub(crate) fn context(&self, content: &[u8], start: usize, end: usize) -> String {
        let idx = self.newlines.partition_point(|&p| p < start);
        let line_start = match idx.checked_sub(1).and_then(|i| self.newlines.get(i)) {
            Some(&nl) => nl + 1,
            None => 0,
        };
        let line_end = self
            .newlines
            .get(self.newlines.partition_point(|&p| p < end))
            .copied()
            .unwrap_or(content.len());
        let from = start.saturating_sub(CONTEXT_RADIUS).max(line_start);
        let to = (end + CONTEXT_RADIUS).min(line_end).max(end);
        let before = String::from_utf8_lossy(&content[from..start]);
        let after = String::from_utf8_lossy(&content[end..to]);
        let secret = &content[start..end];
        // Multi-line secrets only show their first line.
        let first_line = secret.split(|&b| b == b'\n').next().unwrap_or(secret);
        format!(
            "{}{}{}{}{}",
            if from > line_start { "…" } else { "" },
            before,
            mask(first_line),
            after.split('\n').next().unwrap_or(""),
            if to < line_end { "…" } else { "" }
        )
        .trim()
        .to_string()
    }
}
