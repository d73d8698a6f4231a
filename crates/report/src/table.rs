//! Human-readable report.

use crate::grid::{self, Layout};
use crate::vulns_table;
use drydock_model::{ArtifactFormat, Report};
use std::fmt::Write;

/// `list_packages`: print the package table (the default when no vulnerability table is).
pub(crate) fn render(report: &Report, list_packages: bool, layout: Layout) -> String {
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
        let mut table = grid::new_table(&["Package", "Version", "Type", "Source", "Layer"], layout);
        for p in &report.packages {
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
            grid::add_row(
                &mut table,
                vec![
                    p.name.to_string(),
                    p.version.to_string(),
                    p.kind.as_str().to_owned(),
                    source,
                    layer,
                ],
            );
        }
        let _ = writeln!(out, "{}", grid::render(table, layout));
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
    out
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}
