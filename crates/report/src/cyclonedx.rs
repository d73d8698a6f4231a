//! CycloneDX 1.6 JSON: the image as `metadata.component`, its OS and packages as
//! components (with drydock's facts as `drydock:` properties), and, when the
//! vulnerability scanner ran, its findings as `vulnerabilities`. The VEX form carries
//! only the findings, each pointing into the SBOM of the same scan by BOM-link, with an
//! analysis state.

use crate::bom::{self, License};
use drydock_model::{Finding, Package, Report, Severity, Status, sbom as props};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

const SPEC_VERSION: &str = "1.6";
const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

/// Which CycloneDX document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Components, plus vulnerabilities when the report has them.
    Bom,
    /// Vulnerabilities only, with analysis, referring to the SBOM's components.
    Vex,
}

pub(crate) fn render(
    report: &Report,
    mode: Mode,
    created: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let refs = bom::package_refs(&report.packages);
    let serial = bom::document_uuid(report, &refs);
    let mut doc = Map::new();
    doc.insert("$schema".into(), SCHEMA.into());
    doc.insert("bomFormat".into(), "CycloneDX".into());
    doc.insert("specVersion".into(), SPEC_VERSION.into());
    doc.insert("serialNumber".into(), format!("urn:uuid:{serial}").into());
    doc.insert("version".into(), 1.into());
    doc.insert("metadata".into(), metadata(report, created));
    let vuln_ref = |r: &str| match mode {
        Mode::Bom => r.to_owned(),
        Mode::Vex => format!("urn:cdx:{serial}/1#{r}"),
    };
    if mode == Mode::Bom {
        let (components, dependencies) = components(report, &refs);
        doc.insert("components".into(), components.into());
        doc.insert("dependencies".into(), dependencies.into());
    }
    if let Some(findings) = &report.vulnerabilities {
        let by_package = package_index(&report.packages, &refs);
        let vulns = vulnerabilities(findings, &by_package, mode, &vuln_ref);
        doc.insert("vulnerabilities".into(), vulns.into());
    }
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &Value::Object(doc))?;
    out.write_all(b"\n")?;
    out.flush()
}

fn metadata(report: &Report, created: Option<&str>) -> Value {
    let mut image = Map::new();
    image.insert("bom-ref".into(), image_ref(report).into());
    image.insert("type".into(), "container".into());
    image.insert("name".into(), bom::image_name(report).into());
    if let Some(v) = bom::image_version(report) {
        image.insert("version".into(), v.into());
    }
    image.insert("properties".into(), properties(bom::image_facts(report)));
    let mut meta = Map::new();
    if let Some(t) = created {
        meta.insert("timestamp".into(), t.into());
    }
    meta.insert(
        "tools".into(),
        json!({"components": [{
            "type": "application",
            "name": "drydock",
            "version": env!("CARGO_PKG_VERSION"),
        }]}),
    );
    meta.insert("component".into(), Value::Object(image));
    Value::Object(meta)
}

fn image_ref(report: &Report) -> String {
    bom::image_version(report).map_or_else(|| "image".to_owned(), str::to_owned)
}

fn os_ref(report: &Report) -> Option<String> {
    report
        .os
        .as_ref()
        .map(|os| format!("os:{}@{}", os.family, os.version))
}

/// The OS, one `application` per executable carrying modules, and the packages; and the
/// graph that says which holds which (image -> OS -> OS packages; image -> binary ->
/// its modules; image -> other application packages).
fn components(report: &Report, refs: &[String]) -> (Vec<Value>, Vec<Value>) {
    let mut components = Vec::with_capacity(report.packages.len() + 2);
    let mut image_deps: Vec<String> = Vec::new();
    let mut dependencies = Vec::new();
    if let (Some(os), Some(r)) = (&report.os, os_ref(report)) {
        let mut c = Map::new();
        c.insert("bom-ref".into(), r.clone().into());
        c.insert("type".into(), "operating-system".into());
        c.insert("name".into(), os.family.clone().into());
        c.insert("version".into(), os.version.clone().into());
        if let Some(p) = &os.pretty_name {
            c.insert("description".into(), p.clone().into());
        }
        if let Some(code) = &os.codename {
            c.insert(
                "properties".into(),
                properties(vec![(props::OS_CODENAME.to_owned(), code.clone())]),
            );
        }
        components.push(Value::Object(c));
        let os_packages: Vec<&String> = report
            .packages
            .iter()
            .zip(refs)
            .filter(|(p, _)| p.kind.is_os())
            .map(|(_, r)| r)
            .collect();
        dependencies.push(json!({"ref": r, "dependsOn": os_packages}));
        image_deps.push(r);
    }
    let binaries = bom::binaries(&report.packages);
    let mut in_binary = vec![false; report.packages.len()];
    for (path, members) in &binaries {
        let r = format!("file:{path}");
        components.push(json!({
            "bom-ref": r,
            "type": "application",
            "name": path,
            "properties": properties(vec![(props::FILE_PATH.to_owned(), (*path).to_owned())]),
        }));
        let deps: Vec<&String> = members.iter().map(|&i| &refs[i]).collect();
        dependencies.push(json!({"ref": r, "dependsOn": deps}));
        for &i in members {
            in_binary[i] = true;
        }
        image_deps.push(r);
    }
    for (i, (p, r)) in report.packages.iter().zip(refs).enumerate() {
        components.push(component(p, r));
        let os_held = p.kind.is_os() && report.os.is_some();
        if !os_held && !in_binary[i] {
            image_deps.push(r.clone());
        }
    }
    dependencies.insert(
        0,
        json!({"ref": image_ref(report), "dependsOn": image_deps}),
    );
    (components, dependencies)
}

fn component(p: &Package, bom_ref: &str) -> Value {
    let mut c = Map::new();
    c.insert("bom-ref".into(), bom_ref.into());
    c.insert("type".into(), "library".into());
    // Maven's group and artifact are separate CycloneDX fields; other names are whole.
    match (p.kind, p.name.split_once(':')) {
        (drydock_model::PackageKind::Maven, Some((group, artifact))) => {
            c.insert("group".into(), group.into());
            c.insert("name".into(), artifact.into());
        }
        _ => {
            c.insert("name".into(), p.name.to_string().into());
        }
    }
    c.insert("version".into(), p.version.to_string().into());
    if let Some(purl) = p.purl() {
        c.insert("purl".into(), purl.into_owned().into());
    }
    if let Some(l) = licenses(&p.licenses) {
        c.insert("licenses".into(), l);
    }
    let facts = bom::package_facts(p)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    c.insert("properties".into(), properties(facts));
    Value::Object(c)
}

/// CycloneDX takes either license objects or one expression, never both: ids and names
/// as objects, unless a compound expression is among them.
fn licenses(licenses: &[String]) -> Option<Value> {
    if licenses.is_empty() {
        return None;
    }
    let classified: Vec<License<'_>> = licenses.iter().map(|l| bom::classify(l)).collect();
    let has_expression = classified
        .iter()
        .any(|c| matches!(c, License::Expression(_)));
    let all_valid = !classified.iter().any(|c| matches!(c, License::Name(_)));
    if has_expression && all_valid {
        let joined = classified
            .iter()
            .map(|c| match c {
                License::Id(s) | License::Expression(s) | License::Name(s) => {
                    if classified.len() > 1 && s.contains(' ') {
                        format!("({s})")
                    } else {
                        (*s).to_owned()
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ");
        return Some(json!([{ "expression": joined }]));
    }
    let objects = classified
        .iter()
        .map(|c| match c {
            License::Id(id) => json!({"license": {"id": id}}),
            License::Expression(s) | License::Name(s) => json!({"license": {"name": s}}),
        })
        .collect::<Vec<_>>();
    Some(Value::Array(objects))
}

fn properties(facts: Vec<(String, String)>) -> Value {
    facts
        .into_iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect()
}

/// Finds a finding's component: same kind, name, version and location.
type PackageIndex<'a> = BTreeMap<(&'a str, &'a str, &'a str, &'a str), &'a str>;

fn package_index<'a>(packages: &'a [Package], refs: &'a [String]) -> PackageIndex<'a> {
    packages
        .iter()
        .zip(refs)
        .map(|(p, r)| {
            (
                (p.kind.as_str(), &*p.name, &*p.version, &*p.location),
                r.as_str(),
            )
        })
        .collect()
}

/// One vulnerability per (id, ecosystem), affecting every package it was found in.
fn vulnerabilities(
    findings: &[Finding],
    packages: &PackageIndex<'_>,
    mode: Mode,
    link: &dyn Fn(&str) -> String,
) -> Vec<Value> {
    let mut groups: Vec<(&str, &str, Vec<&Finding>)> = Vec::new();
    let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in findings {
        let key = (f.id.as_str(), f.ecosystem.as_str());
        let i = *index.entry(key).or_insert_with(|| {
            groups.push((key.0, key.1, Vec::new()));
            groups.len() - 1
        });
        groups[i].2.push(f);
    }
    groups
        .into_iter()
        .map(|(id, ecosystem, group)| vulnerability(id, ecosystem, &group, packages, mode, link))
        .collect()
}

fn vulnerability(
    id: &str,
    ecosystem: &str,
    group: &[&Finding],
    packages: &PackageIndex<'_>,
    mode: Mode,
    link: &dyn Fn(&str) -> String,
) -> Value {
    let first = group[0];
    let mut v = Map::new();
    v.insert("id".into(), id.into());
    v.insert(
        "source".into(),
        json!({"name": ecosystem, "url": first.url}),
    );
    let mut aliases: Vec<&str> = group
        .iter()
        .flat_map(|f| f.aliases.iter().chain(&f.advisory_ids))
        .map(String::as_str)
        .filter(|a| *a != id)
        .collect();
    aliases.sort_unstable();
    aliases.dedup();
    if !aliases.is_empty() {
        let refs: Vec<Value> = aliases
            .iter()
            .map(|a| {
                json!({"id": a, "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{a}")}})
            })
            .collect();
        v.insert("references".into(), refs.into());
    }
    v.insert("ratings".into(), ratings(first, ecosystem).into());
    if let Some(s) = &first.summary {
        v.insert("description".into(), s.clone().into());
    }
    let upgrades: Vec<String> = group
        .iter()
        .filter_map(|f| {
            f.fixed_versions
                .first()
                .map(|fix| format!("Upgrade {} to {fix}", f.package))
        })
        .collect();
    if !upgrades.is_empty() {
        v.insert("recommendation".into(), upgrades.join("; ").into());
    }
    v.insert("advisories".into(), json!([{"url": first.url}]));
    if let Some(p) = &first.published {
        let p = if p.len() == 10 {
            format!("{p}T00:00:00Z")
        } else {
            p.clone()
        };
        v.insert("published".into(), p.into());
    }
    let affects: Vec<Value> = group
        .iter()
        .filter_map(|f| {
            let key = (
                f.package_kind.as_str(),
                f.package.as_str(),
                f.installed_version.as_str(),
                f.location.as_str(),
            );
            let r = packages.get(&key)?;
            let mut versions = vec![json!({"version": f.installed_version, "status": "affected"})];
            versions.extend(
                f.fixed_versions
                    .iter()
                    .map(|fix| json!({"version": fix, "status": "unaffected"})),
            );
            Some(json!({"ref": link(r), "versions": versions}))
        })
        .collect();
    v.insert("affects".into(), affects.into());
    if mode == Mode::Vex {
        v.insert("analysis".into(), analysis(group));
    }
    v.insert("properties".into(), properties(finding_facts(first)));
    Value::Object(v)
}

/// CVSS from the record or the CVE feeds; the advisory's own textual level otherwise.
fn ratings(f: &Finding, ecosystem: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let from_cvss = matches!(
        f.severity_source.as_str(),
        "advisory-cvss" | "cve-cvss" | "cve-other-advisory"
    );
    if let Some(cvss) = &f.cvss {
        let mut r = Map::new();
        r.insert("source".into(), json!({"name": cvss.source}));
        r.insert("score".into(), cvss.score.into());
        if from_cvss {
            r.insert("severity".into(), severity(f.severity).into());
        }
        r.insert("method".into(), cvss_method(&cvss.vector).into());
        r.insert("vector".into(), cvss.vector.clone().into());
        out.push(Value::Object(r));
    }
    if f.severity_source == "advisory" || (from_cvss && f.cvss.is_none()) {
        out.push(json!({
            "source": {"name": ecosystem},
            "severity": severity(f.severity),
            "method": "other",
        }));
    }
    out
}

fn cvss_method(vector: &str) -> &'static str {
    if vector.starts_with("CVSS:4.0/") {
        "CVSSv4"
    } else if vector.starts_with("CVSS:3.1/") {
        "CVSSv31"
    } else if vector.starts_with("CVSS:3.0/") {
        "CVSSv3"
    } else if vector.starts_with("AV:") || vector.starts_with("(AV:") {
        "CVSSv2"
    } else {
        "other"
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Unknown => "unknown",
    }
}

/// drydock matched the installed version against the advisory's ranges: whether the
/// flaw is reachable in this image is not known, so the state is `in_triage`.
fn analysis(group: &[&Finding]) -> Value {
    let fixable = group.iter().any(|f| f.status == Status::Fixed);
    let detail = group
        .iter()
        .map(|f| {
            let fix = match (f.fixed_versions.first(), f.status) {
                (Some(v), _) => format!("fixed in {v}"),
                (None, Status::Affected | Status::Fixed) => "no fixed version published".to_owned(),
                (None, status) => status.no_fix_reason().to_owned(),
            };
            format!(
                "{} {} is in an affected range ({fix})",
                f.package, f.installed_version
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut a = Map::new();
    a.insert("state".into(), "in_triage".into());
    // CycloneDX has a response for a vendor's refusal, none for the other no-fix states.
    let wont_fix = group.iter().any(|f| f.status == Status::WillNotFix);
    match (fixable, wont_fix) {
        (true, _) => a.insert("response".into(), json!(["update"])),
        (false, true) => a.insert("response".into(), json!(["will_not_fix"])),
        (false, false) => None,
    };
    a.insert("detail".into(), detail.into());
    Value::Object(a)
}

fn finding_facts(f: &Finding) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "drydock:SeveritySource".to_owned(),
            f.severity_source.clone(),
        ),
        ("drydock:Status".to_owned(), f.status.as_str().to_owned()),
    ];
    if let Some(k) = &f.kev {
        out.push(("drydock:KEV:DateAdded".to_owned(), k.date_added.clone()));
    }
    if let Some(e) = &f.epss {
        out.push(("drydock:EPSS:Score".to_owned(), e.score.to_string()));
        out.push((
            "drydock:EPSS:Percentile".to_owned(),
            e.percentile.to_string(),
        ));
    }
    out
}
