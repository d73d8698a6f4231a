//! Human-readable report.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use drydock_model::{Finding, Report, Severity, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// `list_packages`: print the package table (the default when no vulnerability table is).
pub(crate) fn render(report: &Report, list_packages: bool) -> String {
    let mut out = String::new();
    let a = &report.artifact;
    let _ = writeln!(out, "{} ({})", a.input, a.format.as_str());
    if let Some(o) = &a.origin {
        let _ = writeln!(
            out,
            "  pulled: {} (resolved to {})",
            o.reference, o.resolved_digest
        );
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
        None => "unknown".to_owned(),
    };
    let _ = writeln!(out, "  OS: {os}");
    let _ = writeln!(
        out,
        "  layers: {}, files: {}, packages: {}",
        report.layers.len(),
        a.file_count,
        report.packages.len()
    );
    if list_packages && !report.packages.is_empty() {
        let mut table = Table::new();
        table
            .load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        table.set_header(vec!["Package", "Version", "Type", "Source", "Layer"]);
        for p in &report.packages {
            let source = match (&p.source_name, &p.source_version) {
                (Some(n), Some(v)) if *n != p.name || *v != p.version => format!("{n} {v}"),
                (Some(n), None) if *n != p.name => n.clone(),
                _ => String::new(),
            };
            let layer = p
                .layer
                .as_ref()
                .map(|l| format!("{} {}", l.index, short(&l.digest)))
                .unwrap_or_default();
            table.add_row(vec![
                p.name.clone(),
                p.version.clone(),
                p.kind.as_str().to_owned(),
                source,
                layer,
            ]);
        }
        let _ = writeln!(out, "{table}");
    }
    if let Some(vulns) = &report.vulnerabilities {
        render_vulnerabilities(&mut out, vulns);
    }
    if let Some(secrets) = &report.secrets {
        let _ = writeln!(out, "Secrets: {}", secrets.len());
        if !secrets.is_empty() {
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            table.set_header(vec!["Severity", "Rule", "Where", "Match", "Layer"]);
            for s in secrets {
                let f = &s.finding;
                let place = format!("/{}:{}", f.path.trim_start_matches('/'), f.line);
                let layer = if s.in_final_filesystem {
                    format!("{}", s.layer.index)
                } else {
                    format!("{} (deleted later, still in the layer)", s.layer.index)
                };
                table.add_row(vec![
                    f.severity.as_str().to_owned(),
                    f.rule_id.clone(),
                    place,
                    f.masked.clone(),
                    layer,
                ]);
            }
            let _ = writeln!(out, "{table}");
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
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            table.set_header(vec!["Severity", "Check", "Finding", "Fix"]);
            for m in misconfigs {
                table.add_row(vec![
                    m.severity.as_str().to_owned(),
                    format!("{} {}", m.id, m.title),
                    m.message.clone(),
                    m.remediation.to_string(),
                ]);
            }
            let _ = writeln!(out, "{table}");
        }
    }
    for n in &report.not_covered {
        let _ = writeln!(out, "NOT COVERED {}: {}", n.scope, n.reason);
    }
    for w in &report.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// One row per finding, grouped by package (the package cell is shown once per group),
/// after a summary line of counts by severity.
fn render_vulnerabilities(out: &mut String, vulns: &[Finding]) {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for v in vulns {
        *counts.entry(v.severity).or_default() += 1;
    }
    let by_level: Vec<String> = counts
        .iter()
        .rev()
        .map(|(level, n)| format!("{}: {n}", level.as_str()))
        .collect();
    let kev = vulns.iter().filter(|v| v.kev.is_some()).count();
    let fixable = vulns.iter().filter(|v| v.status == Status::Fixed).count();
    let _ = writeln!(
        out,
        "Vulnerabilities: {} ({}){}; {fixable} fixable",
        vulns.len(),
        if by_level.is_empty() {
            "none".to_owned()
        } else {
            by_level.join(", ")
        },
        if kev > 0 {
            format!("; {kev} known exploited (KEV)")
        } else {
            String::new()
        },
    );
    if vulns.is_empty() {
        return;
    }
    let mut groups: BTreeMap<(&str, &str, &str), Vec<&Finding>> = BTreeMap::new();
    for v in vulns {
        groups
            .entry((
                v.package.as_str(),
                v.installed_version.as_str(),
                v.location.as_str(),
            ))
            .or_default()
            .push(v);
    }
    // Most urgent package first: by its worst finding.
    let mut ordered: Vec<_> = groups.into_iter().collect();
    ordered.sort_by_key(|(key, fs)| (std::cmp::Reverse(fs.iter().map(|f| f.severity).max()), *key));
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table.set_header(vec![
        "Package",
        "Installed",
        "Vulnerability",
        "Severity",
        "Fixed in",
        "Exploit",
        "Layer",
    ]);
    for ((package, installed, _), findings) in ordered {
        for (i, f) in findings.iter().enumerate() {
            let exploit = match (&f.kev, &f.epss) {
                (Some(_), _) => "KEV".to_owned(),
                (None, Some(e)) if e.percentile >= 0.9 => format!("EPSS {:.0}%", e.score * 100.0),
                _ => String::new(),
            };
            let layer = f
                .layer
                .as_ref()
                .map(|l| l.index.to_string())
                .unwrap_or_default();
            let (p, v) = if i == 0 {
                (package.to_owned(), installed.to_owned())
            } else {
                (String::new(), String::new())
            };
            table.add_row(vec![
                p,
                v,
                f.id.clone(),
                f.severity.as_str().to_owned(),
                f.fixed_versions.join(", "),
                exploit,
                layer,
            ]);
        }
    }
    let _ = writeln!(out, "{table}");
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    hex.get(..12).unwrap_or(hex)
}
