//! A self-contained HTML report: one file with inline CSS, no scripts and no external
//! assets, so it can be archived as a CI artifact and opened anywhere, offline.
//!
//! Every string from the report is escaped (image contents are attacker-controlled), and
//! only `http(s)` URLs become links, so a record cannot smuggle a `javascript:` href in.

use crate::markup::{escaped, push_escaped};
use crate::summary::{Counts, SEVERITIES, kev_count};
use drydock_model::{Finding, Report, Severity, Status};
use std::fmt::Write as _;

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:1.5rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
.meta{color:#59636e;margin:0}.meta code{color:#1f2328}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f6f8fa}tbody tr:nth-child(even){background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.summary{width:auto}table.summary td{min-width:4.5rem}
.sev{display:inline-block;min-width:5.5rem;padding:0 .4rem;border-radius:3px;font-weight:600;font-size:.8rem;text-align:center;color:#fff}
.sev-CRITICAL{background:#8b0000}.sev-HIGH{background:#d1242f}.sev-MEDIUM{background:#bf8700}.sev-LOW{background:#0969da}.sev-UNKNOWN{background:#6e7781}
.kev{color:#8b0000;font-weight:700}.muted{color:#59636e}
.verdict{padding:.6rem .8rem;border-radius:4px;font-weight:600}.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#82071e}
.warn{background:#fff8c5;padding:.5rem .8rem;border-radius:4px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
";

/// The page, written as it is built: the package list (the one part that grows with the
/// image, a million rows for a large one) is handed to `w` in pieces of about [`PIECE`].
pub(crate) fn render(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::with_capacity(8192);
    let input = escaped(&report.artifact.input);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>drydock report: {input}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>drydock report</h1>\n"
    );
    header(&mut out, report);
    out.push_str("</header>\n<main>\n");
    summary(&mut out, report);
    if let Some(vulns) = &report.vulnerabilities {
        vulnerabilities(&mut out, vulns);
    }
    secrets(&mut out, report);
    misconfigurations(&mut out, report);
    packages(&mut out, report, w)?;
    not_covered(&mut out, report);
    out.push_str("</main>\n</body>\n</html>\n");
    w.write_all(out.as_bytes())
}

/// How much of the page is built before it is written out.
const PIECE: usize = 1 << 20;

fn header(out: &mut String, report: &Report) {
    let a = &report.artifact;
    out.push_str("<p class=\"meta\"><code>");
    push_escaped(out, &a.input);
    let _ = write!(out, "</code> ({})", a.format.as_str());
    for tag in &a.repo_tags {
        out.push_str(" · <code>");
        push_escaped(out, tag);
        out.push_str("</code>");
    }
    out.push_str("</p>\n<p class=\"meta\">OS: ");
    match &report.os {
        Some(os) => {
            push_escaped(out, &format!("{} {}", os.family, os.version));
            if let Some(c) = &os.codename {
                push_escaped(out, &format!(" ({c})"));
            }
            if let (Some(true), Some(d)) = (os.eol, &os.eol_date) {
                out.push_str(" — <strong>end of life since ");
                push_escaped(out, d);
                out.push_str("</strong>");
            }
        }
        None => out.push_str("unknown"),
    }
    let _ = write!(
        out,
        " · layers: {} · files: {} · packages: {}",
        report.layers.len(),
        a.file_count,
        report.packages.len()
    );
    if let Some(id) = &a.image_id {
        out.push_str(" · image id <code>");
        push_escaped(out, id);
        out.push_str("</code>");
    }
    out.push_str("</p>\n");
}

/// Counts per severity for each scanner that ran, KEV count, verdict and coverage.
fn summary(out: &mut String, report: &Report) {
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    if let Some(v) = &report.verdict {
        let (class, word) = if v.pass {
            ("pass", "PASSED")
        } else {
            ("fail", "FAILED")
        };
        let _ = writeln!(out, "<p class=\"verdict {class}\">Policy {word}</p>");
        if !v.failures.is_empty() {
            out.push_str("<ul class=\"failures\">\n");
            for f in &v.failures {
                out.push_str("<li><code>");
                push_escaped(out, &f.rule);
                out.push_str("</code>: ");
                push_escaped(out, &f.reason);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("<table class=\"summary\" id=\"severity-summary\">\n<thead><tr><th></th>");
    for s in SEVERITIES {
        let _ = write!(
            out,
            "<th class=\"num\"><span class=\"sev sev-{s}\">{s}</span></th>"
        );
    }
    out.push_str("<th class=\"num\">total</th><th class=\"num\">KEV</th></tr></thead>\n<tbody>\n");
    let rows = [
        (
            "vulnerabilities",
            "Vulnerabilities",
            report
                .vulnerabilities
                .as_ref()
                .map(|v| (Counts::of(v.iter().map(|f| f.severity)), Some(kev_count(v)))),
        ),
        (
            "secrets",
            "Secrets",
            report
                .secrets
                .as_ref()
                .map(|s| (Counts::of(s.iter().map(|s| s.finding.severity)), None)),
        ),
        (
            "misconfigurations",
            "Misconfigurations",
            report
                .misconfigurations
                .as_ref()
                .map(|m| (Counts::of(m.iter().map(|m| m.severity)), None)),
        ),
    ];
    for (key, label, counts) in rows {
        let _ = write!(out, "<tr data-scanner=\"{key}\"><th>{label}</th>");
        match counts {
            Some((counts, kev)) => {
                for s in SEVERITIES {
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-severity=\"{s}\">{}</td>",
                        counts.get(s)
                    );
                }
                let _ = write!(
                    out,
                    "<td class=\"num\" data-total=\"\">{}</td>",
                    counts.total()
                );
                match kev {
                    Some(n) => {
                        let _ = write!(out, "<td class=\"num\" data-kev=\"\">{n}</td>");
                    }
                    None => out.push_str("<td></td>"),
                }
            }
            None => out.push_str("<td class=\"muted\" colspan=\"7\">not run</td>"),
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if !report.not_covered.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"warn\"><strong>{} scope(s) not covered</strong>: findings there are unknown, \
             not absent (see <a href=\"#not-covered\">Not covered</a>).</p>",
            report.not_covered.len()
        );
    }
    out.push_str("</section>\n");
}

fn vulnerabilities(out: &mut String, vulns: &[Finding]) {
    let fixable = vulns.iter().filter(|f| f.status == Status::Fixed).count();
    let _ = write!(
        out,
        "<section id=\"vulnerabilities\">\n<h2>Vulnerabilities ({}, {fixable} fixable)</h2>\n",
        vulns.len()
    );
    if vulns.is_empty() {
        out.push_str("<p>None found.</p>\n</section>\n");
        return;
    }
    // Advisory feeds without summaries (Alpine's) would leave a column of empty cells.
    let summaries = vulns.iter().any(|f| f.summary.is_some());
    out.push_str(
        "<table>\n<thead><tr><th>Severity</th><th>Vulnerability</th><th>Package</th>\
         <th>Installed</th><th>Fixed in</th><th>Exploit</th><th>Layer</th>",
    );
    if summaries {
        out.push_str("<th>Summary</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for f in vulns {
        out.push_str("<tr>");
        severity_cell(out, f.severity);
        out.push_str("<td>");
        link(out, &f.url, &f.id);
        out.push_str("</td><td>");
        push_escaped(out, &f.package);
        out.push_str(" <span class=\"muted\">");
        push_escaped(out, f.package_kind.as_str());
        out.push_str("</span></td><td>");
        push_escaped(out, &f.installed_version);
        out.push_str("</td><td>");
        push_escaped(out, &f.fixed_versions.join(", "));
        if !matches!(f.status, Status::Fixed | Status::Affected) {
            out.push_str("<span class=\"muted\">");
            push_escaped(out, f.status.no_fix_reason());
            out.push_str("</span>");
        }
        out.push_str("</td><td>");
        if let Some(kev) = &f.kev {
            out.push_str("<span class=\"kev\">KEV</span> since ");
            push_escaped(out, &kev.date_added);
            out.push(' ');
        }
        if let Some(e) = &f.epss {
            let _ = write!(out, "EPSS {:.1}%", e.score * 100.0);
        }
        out.push_str("</td><td>");
        if let Some(l) = &f.layer {
            let _ = write!(out, "{}", l.index);
        }
        out.push_str("</td>");
        if summaries {
            out.push_str("<td>");
            push_escaped(out, f.summary.as_deref().unwrap_or(""));
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn secrets(out: &mut String, report: &Report) {
    let Some(secrets) = &report.secrets else {
        return;
    };
    let _ = write!(
        out,
        "<section id=\"secrets\">\n<h2>Secrets ({})</h2>\n",
        secrets.len()
    );
    if secrets.is_empty() {
        out.push_str("<p>None found.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table>\n<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Match</th><th>Layer</th></tr></thead>\n<tbody>\n",
    );
    for s in secrets {
        let f = &s.finding;
        out.push_str("<tr>");
        severity_cell(out, f.severity);
        out.push_str("<td>");
        push_escaped(out, &f.title);
        out.push_str(" <code>");
        push_escaped(out, &f.rule_id);
        out.push_str("</code></td><td><code>/");
        push_escaped(out, f.path.trim_start_matches('/'));
        let _ = write!(out, ":{}</code></td><td><code>", f.line);
        push_escaped(out, &f.masked);
        let _ = write!(out, "</code></td><td>{}", s.layer.index);
        if !s.in_final_filesystem {
            out.push_str(" (deleted later, still in the layer)");
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn misconfigurations(out: &mut String, report: &Report) {
    let Some(misconfigs) = &report.misconfigurations else {
        return;
    };
    let _ = write!(
        out,
        "<section id=\"misconfigurations\">\n<h2>Misconfigurations ({})</h2>\n",
        misconfigs.len()
    );
    if misconfigs.is_empty() {
        out.push_str("<p>None found.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<table>\n<thead><tr><th>Severity</th><th>Check</th><th>Finding</th><th>Fix</th></tr></thead>\n<tbody>\n",
    );
    for m in misconfigs {
        out.push_str("<tr>");
        severity_cell(out, m.severity);
        out.push_str("<td><code>");
        push_escaped(out, &m.id);
        out.push_str("</code> ");
        push_escaped(out, &m.title);
        out.push_str("</td><td>");
        push_escaped(out, &m.message);
        if let Some(p) = &m.path {
            out.push_str(" <code>/");
            push_escaped(out, p.trim_start_matches('/'));
            out.push_str("</code>");
        }
        out.push_str("</td><td>");
        push_escaped(out, &m.remediation);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn packages(out: &mut String, report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let _ = write!(
        out,
        "<section id=\"packages\">\n<h2>Packages ({})</h2>\n",
        report.packages.len()
    );
    if report.packages.is_empty() {
        out.push_str("<p>None found.</p>\n</section>\n");
        return Ok(());
    }
    out.push_str(
        "<table>\n<thead><tr><th>Package</th><th>Version</th><th>Type</th><th>Source</th>\
         <th>Licenses</th><th>Layer</th><th>Read from</th></tr></thead>\n<tbody>\n",
    );
    for p in &report.packages {
        out.push_str("<tr><td>");
        push_escaped(out, &p.name);
        out.push_str("</td><td>");
        push_escaped(out, &p.version);
        let _ = write!(out, "</td><td>{}</td><td>", p.kind.as_str());
        if let Some(n) = &p.source_name {
            push_escaped(out, n);
            if let Some(v) = &p.source_version {
                out.push(' ');
                push_escaped(out, v);
            }
        }
        out.push_str("</td><td>");
        push_escaped(out, &p.licenses.join(", "));
        out.push_str("</td><td>");
        if let Some(l) = &p.layer {
            let _ = write!(out, "{}", l.index);
        }
        out.push_str("</td><td><code>");
        push_escaped(out, &p.location);
        out.push_str("</code></td></tr>\n");
        if out.len() >= PIECE {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
    Ok(())
}

fn not_covered(out: &mut String, report: &Report) {
    out.push_str("<section id=\"not-covered\">\n<h2>Not covered</h2>\n");
    if report.not_covered.is_empty() {
        out.push_str("<p>Everything found was scanned.</p>\n");
    } else {
        out.push_str("<table>\n<thead><tr><th>Scope</th><th>Why</th></tr></thead>\n<tbody>\n");
        for n in &report.not_covered {
            out.push_str("<tr><td><code>");
            push_escaped(out, &n.scope);
            out.push_str("</code></td><td>");
            push_escaped(out, &n.reason);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !report.warnings.is_empty() {
        out.push_str("<h3>Warnings</h3>\n<ul>\n");
        for w in &report.warnings {
            out.push_str("<li>");
            push_escaped(out, w);
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn severity_cell(out: &mut String, severity: Severity) {
    let _ = write!(
        out,
        "<td><span class=\"sev sev-{severity}\">{severity}</span></td>"
    );
}

/// `text` as a link to `url` when it is an `http(s)` URL, else plain text.
fn link(out: &mut String, url: &str, text: &str) {
    if url.starts_with("https://") || url.starts_with("http://") {
        out.push_str("<a href=\"");
        push_escaped(out, url);
        out.push_str("\">");
        push_escaped(out, text);
        out.push_str("</a>");
    } else {
        push_escaped(out, text);
    }
}

#[cfg(test)]
mod tests {
    use crate::Format;
    use crate::fixture::{HOSTILE, rendered, report};

    /// A page larger than one written piece reads the same as the pieces joined: every
    /// package row is there once, in order, and the page ends where it should.
    #[test]
    fn a_page_written_in_pieces_is_whole() {
        let mut r = report();
        r.packages = (0..30_000)
            .map(|i| {
                let name = format!("pkg{i}");
                drydock_model::Package::app(drydock_model::PackageKind::Npm, &name, "1.0", "x")
            })
            .collect();
        let html = rendered(&r, Format::Html);
        assert!(html.len() > 2 * super::PIECE, "{} bytes", html.len());
        let mut at = 0;
        for i in 0..30_000 {
            let row = format!("<tr><td>pkg{i}</td>");
            at += html[at..]
                .find(&row)
                .unwrap_or_else(|| panic!("{row} missing or out of order"));
        }
        assert_eq!(html.matches("<tr><td>pkg").count(), 30_000);
        assert!(html.ends_with("</main>\n</body>\n</html>\n"));
    }

    #[test]
    fn hostile_strings_are_text_not_markup() {
        let html = rendered(&report(), Format::Html);
        assert!(!html.contains(HOSTILE), "raw <script> in the page");
        assert!(!html.contains("<script"), "no script element at all");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Prototype pollution &amp; &lt;b&gt;worse&lt;/b&gt;"));
        // A javascript: URL from a record is shown, never linked.
        assert!(!html.contains("href=\"javascript:"));
        assert!(html.contains("href=\"https://osv.dev/vulnerability/CVE-2024-0001\""));
    }

    #[test]
    fn summary_counts_each_scanner_and_kev() {
        let html = rendered(&report(), Format::Html);
        let row = |scanner: &str| {
            let start = html
                .find(&format!("<tr data-scanner=\"{scanner}\">"))
                .expect("row");
            let end = start + html[start..].find("</tr>").expect("row end");
            html[start..end].to_owned()
        };
        // The fixture: 2 CRITICAL (one KEV-listed CVE in two packages) and 1 MEDIUM.
        let vulns = row("vulnerabilities");
        assert!(vulns.contains("data-severity=\"CRITICAL\">2<"), "{vulns}");
        assert!(vulns.contains("data-severity=\"MEDIUM\">1<"), "{vulns}");
        assert!(vulns.contains("data-total=\"\">3<"), "{vulns}");
        assert!(vulns.contains("data-kev=\"\">2<"), "{vulns}");
        assert!(row("secrets").contains("data-severity=\"CRITICAL\">1<"));
        assert!(row("misconfigurations").contains("data-severity=\"HIGH\">1<"));
        assert!(html.contains("Policy FAILED"));
    }

    #[test]
    fn scanners_that_did_not_run_say_so() {
        let mut r = report();
        r.secrets = None;
        let html = rendered(&r, Format::Html);
        assert!(html.contains("<tr data-scanner=\"secrets\"><th>Secrets</th><td class=\"muted\" colspan=\"7\">not run</td></tr>"));
        assert!(!html.contains("<section id=\"secrets\">"));
    }
}
