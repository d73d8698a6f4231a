//! Renders a [`Report`] in each output format, one file per format.
//!
//! Renderers see the report and nothing else (this crate depends on `drydock-model`
//! only), so the CLI and the server print exactly the same thing, and a new format is a
//! new file plus one [`Format`] arm.

mod json;
mod table;
mod vulns_table;

use drydock_model::Report;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable summary and tables.
    Table,
    /// The report itself (schema v1), pretty-printed.
    Json,
}

/// Choices that change what a human-oriented format shows, never what the report holds.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// List every package in the table (the default when no vulnerability scan ran).
    pub list_packages: bool,
}

/// Writes `report` as `format` to `out`.
pub fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::render(report, out),
        Format::Table => {
            let list = options.list_packages || report.vulnerabilities.is_none();
            out.write_all(table::render(report, list).as_bytes())
        }
    }
}
