//! SPDX 2.3 JSON: the image as the described package, containing its OS (which contains
//! the OS packages) and the application packages; purls as `PACKAGE-MANAGER` references;
//! drydock's facts (layer, source package, location) as annotations named like the
//! CycloneDX properties. SPDX 2.3 has no vulnerability section, so findings are not
//! written.

use crate::bom::{self, License};
use drydock_model::{Package, Report};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Used when no creation time was given: SPDX requires one.
const EPOCH: &str = "1970-01-01T00:00:00Z";

pub(crate) fn render(
    report: &Report,
    created: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let created = created.unwrap_or(EPOCH);
    let tool = format!("Tool: drydock-{}", env!("CARGO_PKG_VERSION"));
    let refs = bom::package_refs(&report.packages);
    let uuid = bom::document_uuid(report, &refs);
    let name = bom::image_name(report);
    let annotate = |facts: Vec<(String, String)>| -> Value {
        facts
            .into_iter()
            .map(|(k, v)| {
                json!({
                    "annotator": tool,
                    "annotationDate": created,
                    "annotationType": "OTHER",
                    "comment": format!("{k}: {v}"),
                })
            })
            .collect()
    };
    let mut licenses = ExtractedLicenses::default();
    let mut packages = Vec::with_capacity(report.packages.len() + 2);
    let mut relationships = Vec::with_capacity(report.packages.len() + 2);
    let relate = |a: &str, kind: &str, b: &str| json!({"spdxElementId": a, "relationshipType": kind, "relatedSpdxElement": b});

    let image_id = "SPDXRef-ContainerImage";
    let mut image = base_package(image_id, name, bom::image_version(report), "CONTAINER");
    image.insert("annotations".into(), annotate(bom::image_facts(report)));
    packages.push(Value::Object(image));
    relationships.push(relate("SPDXRef-DOCUMENT", "DESCRIBES", image_id));

    let os_id = "SPDXRef-OperatingSystem";
    if let Some(os) = &report.os {
        let mut p = base_package(os_id, &os.family, Some(&os.version), "OPERATING-SYSTEM");
        if let Some(d) = &os.pretty_name {
            p.insert("description".into(), d.clone().into());
        }
        if let Some(code) = &os.codename {
            let facts = vec![(drydock_model::sbom::OS_CODENAME.to_owned(), code.clone())];
            p.insert("annotations".into(), annotate(facts));
        }
        packages.push(Value::Object(p));
        relationships.push(relate(image_id, "CONTAINS", os_id));
    }
    let binaries = bom::binaries(&report.packages);
    let mut holder: Vec<String> = report
        .packages
        .iter()
        .map(|p| {
            if p.kind.is_os() && report.os.is_some() {
                os_id.to_owned()
            } else {
                image_id.to_owned()
            }
        })
        .collect();
    for (n, (path, members)) in binaries.iter().enumerate() {
        let id = format!("SPDXRef-Application-{n}");
        packages.push(Value::Object(base_package(&id, path, None, "APPLICATION")));
        relationships.push(relate(image_id, "CONTAINS", &id));
        for &i in members {
            holder[i].clone_from(&id);
        }
    }
    for (i, p) in report.packages.iter().enumerate() {
        let id = package_id(i, p);
        packages.push(package(p, &id, &mut licenses, &annotate));
        relationships.push(relate(&holder[i], "CONTAINS", &id));
    }

    let mut doc = Map::new();
    doc.insert("spdxVersion".into(), "SPDX-2.3".into());
    doc.insert("dataLicense".into(), "CC0-1.0".into());
    doc.insert("SPDXID".into(), "SPDXRef-DOCUMENT".into());
    doc.insert("name".into(), name.into());
    doc.insert(
        "documentNamespace".into(),
        format!("https://drydock.invalid/spdx/{}-{uuid}", id_chars(name)).into(),
    );
    doc.insert(
        "creationInfo".into(),
        json!({"created": created, "creators": [tool]}),
    );
    doc.insert("packages".into(), packages.into());
    doc.insert("relationships".into(), relationships.into());
    if !licenses.0.is_empty() {
        let infos: Vec<Value> = licenses
            .0
            .iter()
            .map(|(id, text)| json!({"licenseId": id, "name": text, "extractedText": text}))
            .collect();
        doc.insert("hasExtractedLicensingInfos".into(), infos.into());
    }
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &Value::Object(doc))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The fields every SPDX package needs, with what drydock cannot know left as
/// `NOASSERTION`.
fn base_package(id: &str, name: &str, version: Option<&str>, purpose: &str) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("SPDXID".into(), id.into());
    p.insert("name".into(), name.into());
    if let Some(v) = version {
        p.insert("versionInfo".into(), v.into());
    }
    for field in [
        "downloadLocation",
        "licenseConcluded",
        "licenseDeclared",
        "copyrightText",
    ] {
        p.insert(field.into(), "NOASSERTION".into());
    }
    p.insert("supplier".into(), "NOASSERTION".into());
    p.insert("originator".into(), "NOASSERTION".into());
    p.insert("filesAnalyzed".into(), false.into());
    p.insert("primaryPackagePurpose".into(), purpose.into());
    p
}

fn package(
    p: &Package,
    id: &str,
    licenses: &mut ExtractedLicenses,
    annotate: &dyn Fn(Vec<(String, String)>) -> Value,
) -> Value {
    let mut out = base_package(id, &p.name, Some(&p.version), "LIBRARY");
    if !p.licenses.is_empty() {
        out.insert(
            "licenseDeclared".into(),
            licenses.expression(&p.licenses).into(),
        );
    }
    if let Some(purl) = p.purl() {
        out.insert(
            "externalRefs".into(),
            json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}]),
        );
    }
    if let (Some(n), Some(v)) = (&p.source_name, &p.source_version) {
        out.insert(
            "sourceInfo".into(),
            format!("built package from: {n} {v}").into(),
        );
    }
    // Trivy reads an SPDX package's source from `sourceInfo`, so its names are left out.
    let facts = bom::package_facts(p)
        .into_iter()
        .filter(|(k, _)| k.starts_with(drydock_model::sbom::NAMESPACE))
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    out.insert("annotations".into(), annotate(facts));
    Value::Object(out)
}

/// `SPDXRef-Package-<kind>-<name>-<n>`: readable, and unique by the index.
fn package_id(index: usize, p: &Package) -> String {
    format!(
        "SPDXRef-Package-{}-{}-{index}",
        p.kind.as_str(),
        id_chars(&p.name)
    )
}

/// Keeps the characters SPDX ids allow (`[A-Za-z0-9.-]`), replacing the rest with `-`.
fn id_chars(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// License texts that are not SPDX expressions, each declared once as a `LicenseRef-`.
#[derive(Default)]
struct ExtractedLicenses(BTreeMap<String, String>);

impl ExtractedLicenses {
    /// All of a package's licenses as one expression (`AND`: each applies to some part).
    fn expression(&mut self, licenses: &[String]) -> String {
        let parts: Vec<String> = licenses
            .iter()
            .map(|l| match bom::classify(l) {
                License::Id(s) => s.to_owned(),
                License::Expression(s) if licenses.len() > 1 && s.contains(' ') => {
                    format!("({s})")
                }
                License::Expression(s) => s.to_owned(),
                License::Name(s) => self.declare(s),
            })
            .collect();
        parts.join(" AND ")
    }

    /// The `LicenseRef-` id of `text`, distinct from those of other texts.
    fn declare(&mut self, text: &str) -> String {
        let base = format!("LicenseRef-{}", id_chars(text));
        let mut id = base.clone();
        let mut n = 1;
        while let Some(existing) = self.0.get(&id) {
            if existing == text {
                return id;
            }
            n += 1;
            id = format!("{base}-{n}");
        }
        self.0.insert(id.clone(), text.to_owned());
        id
    }
}
