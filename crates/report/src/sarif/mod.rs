//! SARIF 2.1.0 (OASIS), the format code-scanning dashboards ingest.
//!
//! One rule per vulnerability id, secret rule and misconfiguration check; one result per
//! finding. Every result has a physical location (GitHub rejects a whole upload over one
//! result without), which is the file inside the scanned filesystem the finding was read
//! from, relative to the `SCANROOT` base, or the artifact itself for checks of the image
//! config; the artifact is also each result's logical location. What was not covered is
//! reported as tool notifications, so a scan that could not see everything does not
//! upload as indistinguishable from a clean one.

use drydock_model::{ArtifactFormat, Finding, Misconfig, Report, SecretReport, Severity, Status};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

mod schema;
#[cfg(test)]
mod tests;

use schema::*;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The uriBaseId paths inside the scanned filesystem are relative to.
const ROOT: &str = "SCANROOT";
/// At most this many packages are listed in one vulnerability rule's help.
const HELP_PACKAGES: usize = 20;

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [build_run(report)],
    };
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &log)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn build_run(report: &Report) -> Run<'_> {
    let input = report.artifact.input.as_str();
    let image = [LogicalLocation {
        name: input,
        fully_qualified_name: input,
        kind: "resource",
    }];
    let mut run = Run {
        tool: Tool {
            driver: Driver {
                name: "drydock",
                full_name: "drydock container image security scanner",
                version: env!("CARGO_PKG_VERSION"),
                semantic_version: env!("CARGO_PKG_VERSION"),
                information_uri: env!("CARGO_PKG_REPOSITORY"),
                rules: Vec::new(),
            },
        },
        invocations: [invocation(report)],
        original_uri_base_ids: BTreeMap::from([(ROOT, root_base(report))]),
        results: Vec::new(),
        properties: RunProperties {
            image: input,
            image_id: report.artifact.image_id.as_deref(),
            manifest_digest: report.artifact.manifest_digest.as_deref(),
            repo_tags: &report.artifact.repo_tags,
        },
    };
    let mut rules = Rules::default();
    for (id, findings) in by_id(report.vulnerabilities.as_deref().unwrap_or_default()) {
        let rule = rules.index(&mut run.tool.driver.rules, id, || {
            vulnerability_rule(id, &findings)
        });
        for f in findings {
            run.results.push(vulnerability_result(f, rule, image));
        }
    }
    for s in report.secrets.iter().flatten() {
        let f = &s.finding;
        let rule = rules.index(&mut run.tool.driver.rules, &f.rule_id, || secret_rule(s));
        run.results.push(secret_result(s, rule, image));
    }
    let artifact_uri = artifact_uri(input);
    for m in report.misconfigurations.iter().flatten() {
        let rule = rules.index(&mut run.tool.driver.rules, &m.id, || misconfig_rule(m));
        run.results
            .push(misconfig_result(m, rule, image, &artifact_uri));
    }
    run
}

/// Rule ids already emitted, with their index in `driver.rules`.
#[derive(Default)]
struct Rules(HashMap<String, usize>);

impl Rules {
    fn index(&mut self, rules: &mut Vec<Rule>, id: &str, make: impl FnOnce() -> Rule) -> usize {
        if let Some(&i) = self.0.get(id) {
            return i;
        }
        rules.push(make());
        self.0.insert(id.to_owned(), rules.len() - 1);
        rules.len() - 1
    }
}

/// Findings grouped by vulnerability id, in report order (most urgent first).
fn by_id(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut order: Vec<(&str, Vec<&Finding>)> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for f in findings {
        let slot = *seen.entry(f.id.as_str()).or_insert_with(|| {
            order.push((f.id.as_str(), Vec::new()));
            order.len() - 1
        });
        order[slot].1.push(f);
    }
    order
}

fn vulnerability_rule(id: &str, findings: &[&Finding]) -> Rule {
    let worst = findings
        .iter()
        .copied()
        .max_by(|a, b| {
            a.severity
                .cmp(&b.severity)
                .then(score(a).unwrap_or(0.0).total_cmp(&score(b).unwrap_or(0.0)))
        })
        .expect("a rule has at least one finding");
    let summary = findings.iter().find_map(|f| f.summary.as_deref());
    let short = summary.map_or_else(
        || format!("{id} in {}", package_names(findings)),
        str::to_owned,
    );
    let mut full = sentence(summary.unwrap_or(&short));
    let mut aliases: Vec<&str> = findings
        .iter()
        .flat_map(|f| f.aliases.iter().map(String::as_str))
        .filter(|a| *a != id)
        .collect();
    aliases.sort_unstable();
    aliases.dedup();
    if !aliases.is_empty() {
        let _ = write!(full, " Also known as {}.", aliases.join(", "));
    }
    let rating = match &worst.cvss {
        Some(c) => format!("{} (CVSS {:.1}, {})", worst.severity, c.score, c.vector),
        None => worst.severity.as_str().to_owned(),
    };
    let title = match summary {
        Some(s) => format!("{id}: {}", sentence(s)),
        None => sentence(&short),
    };
    let mut text = format!("{title}\nSeverity: {rating}\nRemediation:\n");
    let mut markdown = format!(
        "**{}**\n\nSeverity: {rating}\n\n| Package | Installed | Fix |\n| --- | --- | --- |\n",
        md(&title)
    );
    for f in findings.iter().take(HELP_PACKAGES) {
        let fix = fix_text(f);
        let _ = writeln!(text, "- {} {}: {fix}", f.package, f.installed_version);
        let _ = writeln!(
            markdown,
            "| {} | {} | {} |",
            md(&f.package),
            md(&f.installed_version),
            md(&fix)
        );
    }
    if findings.len() > HELP_PACKAGES {
        let more = findings.len() - HELP_PACKAGES;
        let _ = writeln!(text, "- and {more} more packages");
        let _ = writeln!(markdown, "\n…and {more} more packages.");
    }
    if let Some(kev) = &worst.kev {
        let line = format!("Known exploited: in CISA KEV since {}.", kev.date_added);
        let _ = writeln!(text, "{line}");
        let _ = writeln!(markdown, "\n{line}");
    }
    let help_uri = absolute_url(&worst.url);
    if let Some(url) = help_uri {
        let _ = writeln!(text, "More: {url}");
        let _ = writeln!(markdown, "\n[{}]({url})", md(id));
    }
    let kind = if worst.package_kind.is_os() {
        "os-package"
    } else {
        "language-package"
    };
    Rule {
        id: id.to_owned(),
        name: if worst.package_kind.is_os() {
            "OsPackageVulnerability"
        } else {
            "LanguagePackageVulnerability"
        },
        short_description: Text::new(short),
        full_description: Text::new(full),
        help_uri: help_uri.map(str::to_owned),
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(worst.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(worst.severity, score(worst)),
            tags: vec!["security", "vulnerability", kind, worst.severity.as_str()],
        },
    }
}

fn vulnerability_result<'a>(
    f: &'a Finding,
    rule_index: usize,
    image: [LogicalLocation<'a>; 1],
) -> SarifResult<'a> {
    let mut message = format!(
        "{} {} is affected by {} ({}).",
        f.package, f.installed_version, f.id, f.severity
    );
    if let Some(s) = &f.summary {
        let _ = write!(message, " {}", sentence(s));
    }
    let _ = write!(message, " {}", sentence(&fix_text(f)));
    if let Some(kev) = &f.kev {
        let _ = write!(message, " Listed in CISA KEV since {}.", kev.date_added);
    }
    SarifResult {
        rule_id: &f.id,
        rule_index,
        level: level(f.severity),
        message: Text::new(message),
        locations: [Location {
            physical_location: in_root(&f.location, None),
            logical_locations: image,
        }],
        partial_fingerprints: fingerprint(format!("{}:{}:{}", f.id, f.package, f.location)),
        properties: Some(ResultProperties::Vulnerability {
            package: &f.package,
            package_kind: f.package_kind.as_str(),
            installed_version: &f.installed_version,
            fixed_versions: &f.fixed_versions,
            layer_index: f.layer.as_ref().map(|l| l.index),
            layer_digest: f.layer.as_ref().map(|l| l.digest.as_str()),
            known_exploited: f.kev.is_some(),
            epss: f.epss.map(|e| e.score),
        }),
    }
}

/// The distinct package names of a vulnerability's findings, the first few spelled out.
fn package_names(findings: &[&Finding]) -> String {
    let mut seen = std::collections::HashSet::new();
    let names: Vec<&str> = findings
        .iter()
        .map(|f| f.package.as_str())
        .filter(|name| seen.insert(*name))
        .collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} and {} more", names[..3].join(", "), n - 3),
    }
}

fn fix_text(f: &Finding) -> String {
    match (f.status, f.fixed_versions.first()) {
        (Status::Fixed, Some(v)) => format!("upgrade {} to {v}", f.package),
        (Status::Affected, _) => "no fixed version published yet".to_owned(),
        (status, _) => status.no_fix_reason().to_owned(),
    }
}

fn secret_rule(s: &SecretReport) -> Rule {
    let f = &s.finding;
    let text = format!(
        "{} (rule {}).\nRemediation: treat the secret as leaked — anyone who can pull the image \
         can read it — and revoke or rotate it, then rebuild the image without it. Deleting the \
         file in a later layer does not help: the earlier layer still ships it.",
        f.title, f.rule_id
    );
    Rule {
        id: f.rule_id.clone(),
        name: "Secret",
        short_description: Text::new(f.title.clone()),
        full_description: Text::new(format!(
            "A secret matching drydock's rule {} ({}).",
            f.rule_id, f.title
        )),
        help_uri: None,
        help: Help::plain(text),
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(f.severity, None),
            tags: vec!["security", "secret", f.severity.as_str()],
        },
    }
}

fn secret_result<'a>(
    s: &'a SecretReport,
    rule_index: usize,
    image: [LogicalLocation<'a>; 1],
) -> SarifResult<'a> {
    let f = &s.finding;
    let path = f.path.trim_start_matches('/');
    let mut message = format!("{} in /{path} line {}: {}.", f.title, f.line, f.masked);
    if !s.in_final_filesystem {
        let _ = write!(
            message,
            " A later layer deleted or replaced the file, but layer {} still ships the secret.",
            s.layer.index
        );
    }
    SarifResult {
        rule_id: &f.rule_id,
        rule_index,
        level: level(f.severity),
        message: Text::new(message),
        locations: [Location {
            physical_location: in_root(path, Some(f.line)),
            logical_locations: image,
        }],
        partial_fingerprints: fingerprint(format!(
            "{}:{path}:{}:{}",
            f.rule_id, f.line, s.layer.index
        )),
        properties: Some(ResultProperties::Secret {
            layer_index: s.layer.index,
            layer_digest: &s.layer.digest,
            in_final_filesystem: s.in_final_filesystem,
        }),
    }
}

fn misconfig_rule(m: &Misconfig) -> Rule {
    Rule {
        id: m.id.to_string(),
        name: "Misconfiguration",
        short_description: Text::new(m.title.to_string()),
        full_description: Text::new(sentence(&m.title)),
        help_uri: None,
        help: Help::plain(format!(
            "{}\nRemediation: {}",
            sentence(&m.title),
            m.remediation
        )),
        default_configuration: Configuration {
            level: level(m.severity),
        },
        properties: RuleProperties {
            security_severity: security_severity(m.severity, None),
            tags: vec!["security", "misconfiguration", m.severity.as_str()],
        },
    }
}

fn misconfig_result<'a>(
    m: &'a Misconfig,
    rule_index: usize,
    image: [LogicalLocation<'a>; 1],
    artifact_uri: &str,
) -> SarifResult<'a> {
    let physical_location = match &m.path {
        Some(path) => in_root(path.trim_start_matches('/'), None),
        // A check of the image config: the config lives in the artifact itself.
        None => PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: Cow::Owned(artifact_uri.to_owned()),
                uri_base_id: None,
            },
            region: None,
        },
    };
    SarifResult {
        rule_id: &m.id,
        rule_index,
        level: level(m.severity),
        message: Text::new(format!(
            "{} {}",
            sentence(&m.message),
            sentence(&m.remediation)
        )),
        locations: [Location {
            physical_location,
            logical_locations: image,
        }],
        partial_fingerprints: fingerprint(format!(
            "{}:{}",
            m.id,
            m.path.as_deref().unwrap_or("config")
        )),
        properties: m
            .layer_index
            .map(|layer_index| ResultProperties::Misconfiguration { layer_index }),
    }
}

/// Not-covered scopes and scan warnings, as notifications of a run that did complete.
fn invocation(report: &Report) -> Invocation {
    let not_covered = report.not_covered.iter().map(|n| Notification {
        level: "warning",
        message: Text::new(sentence(&format!("Not covered: {}: {}", n.scope, n.reason))),
    });
    let warnings = report.warnings.iter().map(|w| Notification {
        level: "warning",
        message: Text::new(sentence(w)),
    });
    Invocation {
        execution_successful: true,
        tool_execution_notifications: not_covered.chain(warnings).collect(),
    }
}

/// The root of the scanned filesystem. Only a directory given by absolute path has a URI
/// of its own; an image's merged filesystem exists nowhere on disk.
fn root_base(report: &Report) -> BaseId {
    let input = &report.artifact.input;
    let is_dir = matches!(
        report.artifact.format,
        ArtifactFormat::Rootfs | ArtifactFormat::SourceTree
    );
    let uri = (is_dir && input.starts_with('/')).then(|| {
        let mut uri = artifact_uri(input);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    });
    BaseId {
        uri,
        description: Text::new(format!("Root of the filesystem scanned in {input}.")),
    }
}

fn in_root(path: &str, line: Option<usize>) -> PhysicalLocation<'_> {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: encode_uri_path(path),
            uri_base_id: Some(ROOT),
        },
        region: line
            .filter(|&l| l > 0)
            .map(|start_line| Region { start_line }),
    }
}

/// The artifact as a URI reference: a `file:` URI for an absolute path, else relative.
fn artifact_uri(input: &str) -> String {
    match input.strip_prefix('/') {
        Some(rest) => format!("file:///{}", encode_uri_path(rest)),
        None => encode_uri_path(input).into_owned(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, sub-delimiters, `@`
/// and `/`. `:` is encoded too, so `img:tag` cannot be read as a URI scheme.
fn encode_uri_path(path: &str) -> Cow<'_, str> {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
    if path.bytes().all(keep) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    Cow::Owned(out)
}

fn fingerprint(finding: String) -> Fingerprints {
    Fingerprints { finding }
}

/// SARIF levels by severity, as code-scanning tools conventionally map them.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "note",
    }
}

fn score(f: &Finding) -> Option<f64> {
    f.cvss.as_ref().map(|c| c.score)
}

/// GitHub's `security-severity`: a number 0.1–10.0 as a string, bucketed into
/// low/medium/high/critical at 4.0/7.0/9.0. The CVSS score is used when it falls in the
/// band of drydock's severity (else the dashboard would disagree with every other
/// format); otherwise a number inside that band. An unrated finding gets none.
fn security_severity(severity: Severity, cvss: Option<f64>) -> Option<String> {
    if let Some(score) = cvss.filter(|&s| Severity::from_score(s) == severity) {
        return Some(format!("{score:.1}"));
    }
    let mapped = match severity {
        Severity::Critical => 9.5,
        Severity::High => 8.0,
        Severity::Medium => 5.5,
        Severity::Low => 2.0,
        Severity::Unknown => return None,
    };
    Some(format!("{mapped:.1}"))
}

/// `text` as a sentence: capitalised, ending in a full stop, as SARIF messages should
/// be (SARIF2001).
fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !text.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `text` safe inside a Markdown table cell.
fn md(text: &str) -> Cow<'_, str> {
    if !text.contains(['|', '\n', '\r']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('|', "\\|").replace(['\n', '\r'], " "))
}

fn absolute_url(url: &str) -> Option<&str> {
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}
