//! SPDX 2.3 JSON: the image as the described package, containing its OS (which contains
//! the OS packages) and the application packages; purls as `PACKAGE-MANAGER` references;
//! drydock's facts (layer, source package, location) as annotations named like the
//! CycloneDX properties. SPDX 2.3 has no vulnerability section, so findings are not
//! written.

use crate::bom::{self, Lazy, License};
use drydock_model::{Package, Report};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Used when no creation time was given: SPDX requires one.
const EPOCH: &str = "1970-01-01T00:00:00Z";

pub(crate) fn render(
    report: &Report,
    created: Option<&str>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let uuid = bom::document_uuid(report, &bom::Refs::new(&report.packages));
    // `hasExtractedLicensingInfos` comes before `packages` in key order: the texts are
    // declared in a first pass, in package order as the packages name them.
    let mut licenses = ExtractedLicenses::default();
    for p in &report.packages {
        licenses.declare(&p.licenses);
    }
    let binaries = bom::binaries(&report.packages);
    let application = (binaries.values().enumerate())
        .flat_map(|(n, members)| members.iter().map(move |&i| (i, n)))
        .collect();
    let doc = Document {
        report,
        created: created.unwrap_or(EPOCH),
        tool: format!("Tool: drydock-{}", env!("CARGO_PKG_VERSION")),
        name: bom::image_name(report),
        uuid,
        licenses,
        binaries,
        application,
    };
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

const IMAGE_ID: &str = "SPDXRef-ContainerImage";
const OS_ID: &str = "SPDXRef-OperatingSystem";

/// The document, written one package and relationship at a time.
struct Document<'a> {
    report: &'a Report,
    created: &'a str,
    tool: String,
    name: &'a str,
    uuid: String,
    licenses: ExtractedLicenses,
    /// Executables carrying modules (`SPDXRef-Application-<n>`, in this order).
    binaries: BTreeMap<&'a str, Vec<usize>>,
    /// Package index -> the `n` of the application holding it.
    application: HashMap<usize, usize>,
}

impl Serialize for Document<'_> {
    /// Members in key order, as a serde_json `Map` (and so every object inside) writes
    /// them.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("SPDXID", "SPDXRef-DOCUMENT")?;
        m.serialize_entry(
            "creationInfo",
            &json!({"created": self.created, "creators": [self.tool]}),
        )?;
        m.serialize_entry("dataLicense", "CC0-1.0")?;
        m.serialize_entry(
            "documentNamespace",
            &format!(
                "https://drydock.invalid/spdx/{}-{}",
                id_chars(self.name),
                self.uuid
            ),
        )?;
        if !self.licenses.0.is_empty() {
            let infos = Lazy(|| {
                (self.licenses.0.iter())
                    .map(|(id, text)| json!({"licenseId": id, "name": text, "extractedText": text}))
            });
            m.serialize_entry("hasExtractedLicensingInfos", &infos)?;
        }
        m.serialize_entry("name", self.name)?;
        m.serialize_entry("packages", &Lazy(|| self.packages()))?;
        m.serialize_entry("relationships", &Lazy(|| self.relationships()))?;
        m.serialize_entry("spdxVersion", "SPDX-2.3")?;
        m.end()
    }
}

impl Document<'_> {
    /// The image, its OS, one application per executable carrying modules, and the
    /// packages.
    fn packages(&self) -> impl Iterator<Item = Value> + '_ {
        let report = self.report;
        let mut image = base_package(IMAGE_ID, self.name, bom::image_version(report), "CONTAINER");
        image.insert(
            "annotations".into(),
            self.annotate(bom::image_facts(report)),
        );
        let os = report.os.as_ref().map(|os| {
            let mut p = base_package(OS_ID, &os.family, Some(&os.version), "OPERATING-SYSTEM");
            if let Some(d) = &os.pretty_name {
                p.insert("description".into(), d.clone().into());
            }
            if let Some(code) = &os.codename {
                let facts = vec![(drydock_model::sbom::OS_CODENAME.to_owned(), code.clone())];
                p.insert("annotations".into(), self.annotate(facts));
            }
            Value::Object(p)
        });
        let applications = (self.binaries.keys().enumerate()).map(|(n, path)| {
            let id = format!("SPDXRef-Application-{n}");
            Value::Object(base_package(&id, path, None, "APPLICATION"))
        });
        let packages = (report.packages.iter().enumerate())
            .map(|(i, p)| package(p, &package_id(i, p), &self.licenses, &|f| self.annotate(f)));
        std::iter::once(Value::Object(image))
            .chain(os)
            .chain(applications)
            .chain(packages)
    }

    /// What holds what: the document describes the image, which contains its OS (holding
    /// the OS packages), the applications (holding their modules) and the other packages.
    fn relationships(&self) -> impl Iterator<Item = Value> + '_ {
        let relate = |a: &str, kind: &str, b: &str| json!({"spdxElementId": a, "relationshipType": kind, "relatedSpdxElement": b});
        let report = self.report;
        let os = report
            .os
            .as_ref()
            .map(|_| relate(IMAGE_ID, "CONTAINS", OS_ID));
        let applications = (0..self.binaries.len())
            .map(move |n| relate(IMAGE_ID, "CONTAINS", &format!("SPDXRef-Application-{n}")));
        let packages = report.packages.iter().enumerate().map(move |(i, p)| {
            let holder = match self.application.get(&i) {
                Some(n) => format!("SPDXRef-Application-{n}"),
                None if p.kind.is_os() && report.os.is_some() => OS_ID.to_owned(),
                None => IMAGE_ID.to_owned(),
            };
            relate(&holder, "CONTAINS", &package_id(i, p))
        });
        std::iter::once(relate("SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID))
            .chain(os)
            .chain(applications)
            .chain(packages)
    }

    fn annotate(&self, facts: Vec<(String, String)>) -> Value {
        facts
            .into_iter()
            .map(|(k, v)| {
                json!({
                    "annotator": self.tool,
                    "annotationDate": self.created,
                    "annotationType": "OTHER",
                    "comment": format!("{k}: {v}"),
                })
            })
            .collect()
    }
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
    licenses: &ExtractedLicenses,
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
    /// Declares those of `licenses` that are not SPDX expressions.
    fn declare(&mut self, licenses: &[String]) {
        for l in licenses {
            if let License::Name(text) = bom::classify(l)
                && let (id, false) = self.id(text)
            {
                self.0.insert(id, text.to_owned());
            }
        }
    }

    /// All of a package's licenses as one expression (`AND`: each applies to some part),
    /// once [`Self::declare`] has seen them.
    fn expression(&self, licenses: &[String]) -> String {
        let parts: Vec<String> = licenses
            .iter()
            .map(|l| match bom::classify(l) {
                License::Id(s) => s.to_owned(),
                License::Expression(s) if licenses.len() > 1 && s.contains(' ') => {
                    format!("({s})")
                }
                License::Expression(s) => s.to_owned(),
                License::Name(s) => self.id(s).0,
            })
            .collect();
        parts.join(" AND ")
    }

    /// The `LicenseRef-` id of `text`, distinct from those of other texts, and whether
    /// it is declared.
    fn id(&self, text: &str) -> (String, bool) {
        let base = format!("LicenseRef-{}", id_chars(text));
        let mut id = base.clone();
        let mut n = 1;
        while let Some(existing) = self.0.get(&id) {
            if existing == text {
                return (id, true);
            }
            n += 1;
            id = format!("{base}-{n}");
        }
        (id, false)
    }
}
