//! Renders a [`Report`] in each output format, one file per format.
//!
//! Renderers see the report and nothing else (this crate depends on `drydock-model`
//! only), so the CLI and the server print exactly the same thing, and a new format is a
//! new file plus one [`Format`] arm.

mod bom;
mod cyclonedx;
#[cfg(test)]
mod fixture;
mod grid;
mod html;
mod json;
mod junit;
mod markup;
mod sarif;
mod spdx;
mod summary;
mod table;
mod table_gate;
mod template;
mod vulns_table;

pub use template::{Template, TemplateError};

use drydock_model::Report;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone)]
pub enum Format {
    /// Human-readable summary and tables.
    Table,
    /// The report itself (schema v1), pretty-printed.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// JUnit XML: one test suite per scanner (and one for the policy), for CI test views.
    Junit,
    /// One self-contained HTML page (inline CSS, no scripts, no external assets).
    Html,
    /// A user's template (`--template FILE`) over the serialized report.
    Template(Template),
    /// CycloneDX 1.6 JSON: the inventory, plus the findings when the vulnerability
    /// scanner ran.
    CycloneDx,
    /// CycloneDX 1.6 VEX: the findings only, pointing into the `CycloneDx` SBOM of the
    /// same scan.
    CycloneDxVex,
    /// SPDX 2.3 JSON: the inventory.
    Spdx,
}

/// Choices that change what a human-oriented format shows, never what the report holds.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// List every package in the table (the default when no vulnerability scan ran).
    pub list_packages: bool,
    /// When the document was made (RFC 3339, UTC), for formats that record it
    /// (CycloneDX, SPDX). `None` leaves it out where the format allows, and writes the
    /// Unix epoch for SPDX, which requires it.
    pub created: Option<String>,
    /// Columns the table output must fit (the CLI passes `COLUMNS` or the terminal's
    /// width); `None` draws tables without wrapping.
    pub width: Option<u16>,
    /// Colour severities in the table output (ANSI).
    pub color: bool,
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
        Format::CycloneDx => cyclonedx::render(
            report,
            cyclonedx::Mode::Bom,
            options.created.as_deref(),
            out,
        ),
        Format::CycloneDxVex => cyclonedx::render(
            report,
            cyclonedx::Mode::Vex,
            options.created.as_deref(),
            out,
        ),
        Format::Spdx => spdx::render(report, options.created.as_deref(), out),
        Format::Table => {
            let list = options.list_packages || report.vulnerabilities.is_none();
            let layout = grid::Layout {
                width: options.width,
                color: options.color,
            };
            table::render(report, list, layout, out)
        }
        Format::Sarif => sarif::render(report, out),
        Format::Junit => out.write_all(junit::render(report).as_bytes()),
        Format::Html => html::render(report, out),
        Format::Template(template) => template.render(report, out),
    }
}
