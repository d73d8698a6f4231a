//! CycloneDX 1.6 JSON: the image as `metadata.component`, its OS and packages as
//! components (with drydock's facts as `drydock:` properties), and, when the
//! vulnerability scanner ran, its findings as `vulnerabilities`. The VEX form carries
//! only the findings, each pointing into the SBOM of the same scan by BOM-link, with an
//! analysis state.

use crate::bom::{self, Lazy, License};
use drydock_model::{Finding, Package, Report, Severity, Status, sbom as props};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
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
    let refs = bom::Refs::new(&report.packages);
    let serial = bom::document_uuid(report, &refs);
    let binaries = bom::binaries(&report.packages);
    let mut in_binary = vec![false; report.packages.len()];
    for &i in binaries.values().flatten() {
        in_binary[i] = true;
    }
    let doc = Document {
        report,
        mode,
        metadata: metadata(report, created),
        refs,
        serial,
        binaries,
        in_binary,
    };
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The document, written one component, dependency and vulnerability at a time.
struct Document<'a> {
    report: &'a Report,
    mode: Mode,
    metadata: Value,
    refs: bom::Refs<'a>,
    serial: String,
    /// Executables carrying modules, with their packages' indexes.
    binaries: BTreeMap<&'a str, Vec<usize>>,
    /// Per package: held by one of `binaries` (a dependency of it, not of the image).
    in_binary: Vec<bool>,
}

impl Serialize for Document<'_> {
    /// Members in key order, as a serde_json `Map` (and so every object inside) writes
    /// them.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("$schema", SCHEMA)?;
        m.serialize_entry("bomFormat", "CycloneDX")?;
        if self.mode == Mode::Bom {
            m.serialize_entry("components", &Lazy(|| self.components()))?;
            m.serialize_entry("dependencies", &Dependencies(self))?;
        }
        m.serialize_entry("metadata", &self.metadata)?;
        m.serialize_entry("serialNumber", &format!("urn:uuid:{}", self.serial))?;
        m.serialize_entry("specVersion", SPEC_VERSION)?;
        m.serialize_entry("version", &1)?;
        if let Some(findings) = &self.report.vulnerabilities {
            let link = |r: &str| match self.mode {
                Mode::Bom => r.to_owned(),
                Mode::Vex => format!("urn:cdx:{}/1#{r}", self.serial),
            };
            let by_package = package_index(&self.report.packages, &self.refs, findings);
            let groups = vulnerability_groups(findings);
            let vulns = Lazy(|| {
                groups.iter().map(|(id, ecosystem, group)| {
                    vulnerability(id, ecosystem, group, &by_package, self.mode, &link)
                })
            });
            m.serialize_entry("vulnerabilities", &vulns)?;
        }
        m.end()
    }
}

impl Document<'_> {
    /// The OS, one `application` per executable carrying modules, and the packages.
    fn components(&self) -> impl Iterator<Item = Value> + '_ {
        let report = self.report;
        let os = report.os.as_ref().zip(os_ref(report)).map(|(os, r)| {
            let mut c = Map::new();
            c.insert("bom-ref".into(), r.into());
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
            Value::Object(c)
        });
        let binaries = self.binaries.keys().map(|path| {
            json!({
                "bom-ref": format!("file:{path}"),
                "type": "application",
                "name": path,
                "properties": properties(vec![(props::FILE_PATH.to_owned(), (*path).to_owned())]),
            })
        });
        let packages =
            (report.packages.iter().enumerate()).map(|(i, p)| component(p, &self.refs.get(i)));
        os.into_iter().chain(binaries).chain(packages)
    }
}

/// The graph that says which component holds which: image -> OS -> OS packages; image ->
/// binary -> its modules; image -> other application packages.
struct Dependencies<'a>(&'a Document<'a>);

impl Serialize for Dependencies<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Document {
            report,
            refs,
            binaries,
            in_binary,
            ..
        } = self.0;
        let os_ref = os_ref(report);
        let mut seq = s.serialize_seq(None)?;
        let image_deps = || {
            let binaries = binaries.keys().map(|path| format!("file:{path}"));
            let packages = (report.packages.iter().enumerate())
                .filter(|&(i, p)| {
                    let os_held = p.kind.is_os() && report.os.is_some();
                    !os_held && !in_binary[i]
                })
                .map(|(i, _)| refs.get(i));
            os_ref.clone().into_iter().chain(binaries).chain(packages)
        };
        seq.serialize_element(&Dependency {
            depends_on: Lazy(image_deps),
            of: image_ref(report),
        })?;
        if let Some(r) = &os_ref {
            let os_packages = || {
                (report.packages.iter().enumerate())
                    .filter(|(_, p)| p.kind.is_os())
                    .map(|(i, _)| refs.get(i))
            };
            seq.serialize_element(&Dependency {
                depends_on: Lazy(os_packages),
                of: r.clone(),
            })?;
        }
        for (path, members) in binaries {
            seq.serialize_element(&Dependency {
                depends_on: Lazy(|| members.iter().map(|&i| refs.get(i))),
                of: format!("file:{path}"),
            })?;
        }
        seq.end()
    }
}

/// One entry of `dependencies`; fields in key order, as the other objects are written.
#[derive(Serialize)]
struct Dependency<D> {
    #[serde(rename = "dependsOn")]
    depends_on: D,
    #[serde(rename = "ref")]
    of: String,
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
type Key<'a> = (&'a str, &'a str, &'a str, &'a str);

fn finding_key(f: &Finding) -> Key<'_> {
    (
        f.package_kind.as_str(),
        f.package.as_str(),
        f.installed_version.as_str(),
        f.location.as_str(),
    )
}

/// The reference of each package some finding names (of the last, when packages share a
/// key), so that a report of many packages and few findings keeps few references.
fn package_index<'a>(
    packages: &'a [Package],
    refs: &bom::Refs<'_>,
    findings: &'a [Finding],
) -> BTreeMap<Key<'a>, String> {
    let wanted: BTreeSet<Key<'a>> = findings.iter().map(finding_key).collect();
    let mut index = BTreeMap::new();
    for (i, p) in packages.iter().enumerate() {
        let key = (p.kind.as_str(), &*p.name, &*p.version, &*p.location);
        if wanted.contains(&key) {
            index.insert(key, refs.get(i));
        }
    }
    index
}

/// One vulnerability per (id, ecosystem), affecting every package it was found in.
fn vulnerability_groups(findings: &[Finding]) -> Vec<(&str, &str, Vec<&Finding>)> {
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
}

fn vulnerability(
    id: &str,
    ecosystem: &str,
    group: &[&Finding],
    packages: &BTreeMap<Key<'_>, String>,
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
            let r = packages.get(&finding_key(f))?;
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
