//! One way to draw the table output's grids, so every section wraps and colours alike:
//! fitted to a width, wrapped between words only (an ID, a package name or a path is
//! never cut), long free text shortened with `…`, severities coloured on request.

use comfy_table::{
    Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets::UTF8_FULL_CONDENSED,
};
use drydock_model::Severity;

/// How the table output is laid out; the CLI decides it from the terminal and flags.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Layout {
    /// Columns to fit (`None`: no wrapping at all, for callers that post-process).
    pub width: Option<u16>,
    /// ANSI colours for severities.
    pub color: bool,
}

/// Free text (a reason, a message, a fix) longer than this is cut with `…`: the JSON
/// report keeps the whole text, and a 500-character cell makes a table unreadable.
const LONGEST_CELL: usize = 240;

/// A table with a header row in the house style.
pub(crate) fn new_table(header: &[&str], layout: Layout) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    // The output is built as a string and may go to a pipe: decide styling and width
    // here instead of letting the table probe stdout.
    if layout.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if let Some(width) = layout.width {
        table.set_width(width);
    }
    table.set_header(header.to_vec());
    table
}

/// Adds a row of plain cells, shortening overlong text.
pub(crate) fn add_row(table: &mut Table, cells: Vec<String>) {
    table.add_row(cells.into_iter().map(|c| Cell::new(shorten(c))));
}

/// Adds a row whose cell `severity_at` is coloured by `level`.
pub(crate) fn add_row_with_severity(
    table: &mut Table,
    cells: Vec<String>,
    severity_at: usize,
    level: Severity,
) {
    let row = cells.into_iter().enumerate().map(|(i, c)| {
        let cell = Cell::new(shorten(c));
        if i == severity_at {
            cell.fg(color_of(level))
        } else {
            cell
        }
    });
    table.add_row(row);
}

/// Renders the table after giving each column at least the width of its longest word,
/// so wrapping happens between words. The bound is capped at a third of the width so
/// one long path cannot push the other columns off the screen.
pub(crate) fn render(mut table: Table, layout: Layout) -> String {
    if let Some(width) = layout.width {
        let cap = usize::from(width / 3).max(8);
        let mut longest: Vec<usize> = Vec::new();
        let rows = table.header().into_iter().chain(table.row_iter());
        for row in rows {
            for (i, cell) in row.cell_iter().enumerate() {
                let word = cell
                    .content()
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                if longest.len() <= i {
                    longest.resize(i + 1, 0);
                }
                longest[i] = longest[i].max(word.min(cap));
            }
        }
        for (i, w) in longest.into_iter().enumerate() {
            if let Some(column) = table.column_mut(i) {
                // The boundary counts the cell's padding, one space each side.
                let w = u16::try_from(w + 2).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
            }
        }
    }
    table.to_string()
}

fn shorten(text: String) -> String {
    if text.chars().count() <= LONGEST_CELL {
        return text;
    }
    let mut cut: String = text.chars().take(LONGEST_CELL - 1).collect();
    cut.push('…');
    cut
}

fn color_of(level: Severity) -> Color {
    match level {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Blue,
        Severity::Unknown => Color::Grey,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widest_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn fits_the_width_without_cutting_words() {
        let layout = Layout {
            width: Some(60),
            color: false,
        };
        let mut t = new_table(&["Vulnerability", "Package", "Why"], layout);
        add_row(
            &mut t,
            vec![
                "GHSA-xxxx-yyyy-zzzz".into(),
                "@babel/code-frame".into(),
                "in CISA's known exploited catalog since 2024-01-01; EPSS 53% (top 2%); fix available".into(),
            ],
        );
        let out = render(t, layout);
        assert!(widest_line(&out) <= 60, "{out}");
        assert!(out.contains("GHSA-xxxx-yyyy-zzzz"), "{out}");
        assert!(out.contains("@babel/code-frame"), "{out}");
    }

    #[test]
    fn long_text_is_shortened_and_colour_is_opt_in() {
        let plain = Layout {
            width: Some(100),
            color: false,
        };
        let mut t = new_table(&["Severity", "Finding"], plain);
        add_row_with_severity(
            &mut t,
            vec!["HIGH".into(), "word ".repeat(100)],
            0,
            Severity::High,
        );
        let out = render(t, plain);
        assert!(out.contains('…') && !out.contains('\u{1b}'), "{out}");
        let colored = Layout {
            width: Some(100),
            color: true,
        };
        let mut t = new_table(&["Severity"], colored);
        add_row_with_severity(&mut t, vec!["HIGH".into()], 0, Severity::High);
        assert!(render(t, colored).contains("\u{1b}["));
    }
}
