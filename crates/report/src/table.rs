//! Human-readable report.

use crate::grid::{self, Layout};
use crate::vulns_table;
use drydock_model::{ArtifactFormat, Package, Report};
use std::fmt::Write;

/// Above this many packages the list is printed as plain columns, streamed: a grid needs
/// every row in memory to fit its widths (a million rows took 1.9 GB).
const GRID_MAX_ROWS: usize = 10_000;

/// `list_packages`: print the package table (the default when no vulnerability table is).
pub(crate) fn render(
    report: &Report,
    list_packages: bool,
    layout: Layout,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = String::new();
    let a = &report.artifact;
    let _ = writeln!(out, "{} ({})", a.input, a.format.as_str());
    if let Some(o) = &a.origin {
        match &o.engine {
            Some(socket) => {
                let _ = writeln!(out, "  engine: {socket} (image id {})", o.resolved_digest);
                for d in &o.repo_digests {
                    let _ = writeln!(out, "  repo digest: {d}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "  pulled: {} (resolved to {})",
                    o.reference, o.resolved_digest
                );
            }
        }
    }
    if let Some(s) = &a.signature {
        let state = if s.verified {
            "verified"
        } else {
            "NOT verified"
        };
        let _ = writeln!(
            out,
            "  signature: {state} ({}, key {}, over {})",
            s.scheme, s.key_fingerprint, s.signed_digest
        );
    }
    if let Some(d) = &a.manifest_digest {
        let _ = writeln!(out, "  manifest: {d}");
    }
    if let Some(id) = &a.image_id {
        let _ = writeln!(out, "  image id: {id}");
    }
    if let Some(p) = &a.platform {
        let _ = writeln!(out, "  platform: {p}");
    }
    let os = match &report.os {
        Some(os) => {
            let mut s = format!("{} {}", os.family, os.version);
            if let Some(c) = &os.codename {
                let _ = write!(s, " ({c})");
            }
            match (os.eol, &os.eol_date) {
                (Some(true), Some(d)) => {
                    let _ = write!(s, " — END OF LIFE since {d}");
                }
                (Some(false), Some(d)) => {
                    let _ = write!(s, " — supported until {d}");
                }
                _ => {}
            }
            s
        }
        None => "not detected (no os-release or distribution file)".to_owned(),
    };
    // A source tree has no OS, and a directory has no layers: saying "OS: unknown" or
    // "layers: 1" there reads as a detection failure.
    let is_dir = matches!(
        a.format,
        ArtifactFormat::Rootfs | ArtifactFormat::SourceTree
    );
    if a.format != ArtifactFormat::SourceTree {
        let _ = writeln!(out, "  OS: {os}");
    }
    let layers = if is_dir {
        String::new()
    } else {
        format!("layers: {}, ", report.layers.len())
    };
    let _ = writeln!(
        out,
        "  {layers}files: {}, packages: {}",
        a.file_count,
        report.packages.len()
    );
    if list_packages && !report.packages.is_empty() {
        if report.packages.len() <= GRID_MAX_ROWS {
            let mut table = grid::new_table(&PACKAGE_HEADER, layout);
            for p in &report.packages {
                grid::add_row(&mut table, package_cells(p).into());
            }
            let _ = writeln!(out, "{}", grid::render(table, layout));
        } else {
            w.write_all(out.as_bytes())?;
            out.clear();
            package_columns(&report.packages, w)?;
        }
    }
    if let Some(vulns) = &report.vulnerabilities {
        vulns_table::render_vulnerabilities(&mut out, vulns, layout);
    }
    if let Some(plan) = &report.remediation {
        let a = &report.artifact;
        let is_image = !matches!(
            a.format,
            ArtifactFormat::Rootfs | ArtifactFormat::SourceTree | ArtifactFormat::Sbom
        );
        let origin = is_image.then_some(vulns_table::Origin {
            base: a.base_image.as_ref(),
        });
        vulns_table::render_remediation(&mut out, plan, origin, layout);
    }
    if let Some(secrets) = &report.secrets {
        let _ = writeln!(out, "Secrets: {}", secrets.len());
        if !secrets.is_empty() {
            let mut table =
                grid::new_table(&["Severity", "Rule", "Where", "Match", "Layer"], layout);
            for s in secrets {
                let f = &s.finding;
                let place = format!("/{}:{}", f.path.trim_start_matches('/'), f.line);
                let layer = if s.in_final_filesystem {
                    format!("{}", s.layer.index)
                } else {
                    format!("{} (deleted later, still in the layer)", s.layer.index)
                };
                grid::add_row_with_severity(
                    &mut table,
                    vec![
                        f.severity.as_str().to_owned(),
                        f.rule_id.clone(),
                        place,
                        f.masked.clone(),
                        layer,
                    ],
                    0,
                    f.severity,
                );
            }
            let _ = writeln!(out, "{}", grid::render(table, layout));
        }
    }
    for s in report.secrets_skipped.iter().flatten() {
        let _ = writeln!(
            out,
            "debug: skipped {} at /{}:{} ({}): {}",
            s.rule_id,
            s.path.trim_start_matches('/'),
            s.line,
            s.masked,
            serde_json::to_string(&s.reason).unwrap_or_default()
        );
    }
    if let Some(misconfigs) = &report.misconfigurations {
        let _ = writeln!(out, "Misconfigurations: {}", misconfigs.len());
        if !misconfigs.is_empty() {
            let mut table = grid::new_table(&["Severity", "Check", "Finding", "Fix"], layout);
            for m in misconfigs {
                grid::add_row_with_severity(
                    &mut table,
                    vec![
                        m.severity.as_str().to_owned(),
                        format!("{} {}", m.id, m.title),
                        m.message.clone(),
                        m.remediation.to_string(),
                    ],
                    0,
                    m.severity,
                );
            }
            let _ = writeln!(out, "{}", grid::render(table, layout));
        }
    }
    crate::table_gate::suppressed(&mut out, report, layout);
    for n in &report.not_covered {
        let _ = writeln!(out, "{} {}: {}", n.label(), n.scope, n.reason);
    }
    for w in &report.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    crate::table_gate::footer(&mut out, report);
    w.write_all(out.as_bytes())
}

const PACKAGE_HEADER: [&str; 5] = ["Package", "Version", "Type", "Source", "Layer"];

/// One package's row: the source only where it differs from the package itself.
fn package_cells(p: &Package) -> [String; 5] {
    let source = match (&p.source_name, &p.source_version) {
        (Some(n), Some(v)) if *n != p.name || *v != p.version => format!("{n} {v}"),
        (Some(n), None) if *n != p.name => n.to_string(),
        _ => String::new(),
    };
    let layer = p
        .layer
        .as_ref()
        .map(|l| format!("{} {}", l.index, short(&l.digest)))
        .unwrap_or_default();
    [
        p.name.to_string(),
        p.version.to_string(),
        p.kind.as_str().to_owned(),
        source,
        layer,
    ]
}

/// The package list as left-aligned columns, one row written at a time: one pass finds
/// each column's width, the second writes.
fn package_columns(packages: &[Package], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut widths = PACKAGE_HEADER.map(|h| h.chars().count());
    for p in packages {
        for (w, c) in widths.iter_mut().zip(package_cells(p)) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (c, width)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let _ = write!(l, "{c:<width$}");
        }
        l.truncate(l.trim_end().len());
        l.push('\n');
        l
    };
    w.write_all(line(&PACKAGE_HEADER).as_bytes())?;
    let rule: Vec<String> = widths.iter().map(|&n| "-".repeat(n)).collect();
    let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
    w.write_all(line(&rule).as_bytes())?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    for p in packages {
        let cells = package_cells(p);
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        std::io::Write::write_all(&mut out, line(&cells).as_bytes())?;
    }
    std::io::Write::flush(&mut out)
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}

#[cfg(test)]
mod tests {
    use crate::Format;
    use crate::fixture::{rendered, report};
    use drydock_model::{Package, PackageKind};

    fn with_packages(n: usize) -> drydock_model::Report {
        let mut r = report();
        r.vulnerabilities = None;
        r.packages = (0..n)
            .map(|i| {
                let name = format!("pkg{i}");
                Package::app(PackageKind::Npm, &name, &format!("1.{i}"), "package.json")
            })
            .collect();
        r
    }

    /// Past the grid's row limit the list is plain columns: a header, a rule, one line per
    /// package, every column starting where the header's does (widths worked out by hand:
    /// the longest name of 10,001 is `pkg10000`, 8 characters; the longest version `1.10000`).
    #[test]
    fn a_long_package_list_is_plain_aligned_columns() {
        let out = rendered(&with_packages(10_001), Format::Table);
        let lines: Vec<&str> = out.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.starts_with("Package"))
            .expect("header");
        assert_eq!(lines[header], "Package   Version  Type  Source  Layer");
        assert_eq!(lines[header + 1], "--------  -------  ----  ------  -----");
        assert_eq!(lines[header + 2], "pkg0      1.0      npm");
        assert_eq!(lines[header + 10_002], "pkg10000  1.10000  npm");
        assert!(
            lines[header..header + 10_003]
                .iter()
                .all(|l| !l.contains('│')),
            "no grid around the packages"
        );
    }

    #[test]
    fn a_short_package_list_is_a_grid() {
        let out = rendered(&with_packages(3), Format::Table);
        assert!(out.contains('┌') && out.contains("pkg2"), "{out}");
    }
}
