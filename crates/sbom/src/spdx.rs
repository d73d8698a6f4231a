//! SPDX 2.2/2.3 JSON: `packages` with a `purl` external reference are packages, the
//! `CONTAINER` package is the image and the `OPERATING-SYSTEM` one the OS; facts come
//! from annotations `name: value` (drydock's, and Trivy's under its property names) and
//! from `sourceInfo`'s "built package from: NAME VERSION".

use crate::{Document, Entry, Error, Props, Role, malformed};
use serde_json::{Map, Value};
use std::collections::HashMap;

const VERSIONS: [&str; 2] = ["SPDX-2.2", "SPDX-2.3"];
const TRIVY_PREFIX: &str = "aquasecurity:trivy:";

pub(crate) fn document(version: &Value, doc: &Map<String, Value>) -> Result<Document, Error> {
    let version = version.as_str().unwrap_or("");
    if !VERSIONS.contains(&version) {
        return Err(Error::Version(format!("SPDX version '{version}'")));
    }
    let extracted = extracted_licenses(doc);
    let mut out = Document::default();
    let Some(packages) = doc.get("packages") else {
        return Ok(out);
    };
    let packages = packages
        .as_array()
        .ok_or_else(|| malformed("packages: expected an array"))?;
    let mut image_seen = false;
    for (i, p) in packages.iter().enumerate() {
        let p = p
            .as_object()
            .ok_or_else(|| malformed(format!("packages[{i}]: expected an object")))?;
        let e = entry(p, &extracted);
        if e.role == Role::Structural && !image_seen && purpose(p) == Some("CONTAINER") {
            image_seen = true;
            out.image = e.props.clone();
        }
        out.entries.push(e);
    }
    Ok(out)
}

fn purpose(p: &Map<String, Value>) -> Option<&str> {
    p.get("primaryPackagePurpose").and_then(Value::as_str)
}

fn entry(p: &Map<String, Value>, extracted: &HashMap<&str, &str>) -> Entry {
    let text = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
    let purl = p
        .get("externalRefs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
        .and_then(|r| r.get("referenceLocator").and_then(Value::as_str))
        .map(str::to_owned);
    let role = match (purpose(p), &purl) {
        (Some("OPERATING-SYSTEM"), _) => Role::OperatingSystem,
        (Some("CONTAINER"), _) => Role::Structural,
        (_, Some(_)) => Role::Package,
        (None | Some("LIBRARY" | "FRAMEWORK"), None) => Role::Unidentified,
        _ => Role::Structural,
    };
    let source = p
        .get("sourceInfo")
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix("built package from: "))
        .and_then(|s| s.trim().rsplit_once(' '))
        .map(|(n, v)| (n.trim().to_owned(), v.to_owned()));
    Entry {
        role,
        name: text("name"),
        version: text("versionInfo"),
        description: text("description"),
        purl,
        licenses: p
            .get("licenseDeclared")
            .and_then(Value::as_str)
            .map(|l| licenses(l, extracted))
            .unwrap_or_default(),
        props: annotations(p),
        source,
    }
}

/// `licenseId` -> the license's name (or text) for `LicenseRef-` ids.
fn extracted_licenses(doc: &Map<String, Value>) -> HashMap<&str, &str> {
    doc.get("hasExtractedLicensingInfos")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|info| {
            let id = info.get("licenseId")?.as_str()?;
            let name = info
                .get("name")
                .or_else(|| info.get("extractedText"))?
                .as_str()?;
            Some((id, name))
        })
        .collect()
}

/// The declared expression split at its top-level `AND`s (each part applies to some of
/// the package), `LicenseRef-`s replaced by the license they stand for.
fn licenses(expr: &str, extracted: &HashMap<&str, &str>) -> Vec<String> {
    let expr = expr.trim();
    if matches!(expr, "" | "NOASSERTION" | "NONE") {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 && expr[i..].starts_with(" AND ") => {
                parts.push(&expr[start..i]);
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&expr[start..]);
    parts
        .into_iter()
        .map(|part| {
            let part = part.trim();
            let inner = part
                .strip_prefix('(')
                .and_then(|p| p.strip_suffix(')'))
                .filter(|p| !p.contains('(') && !p.contains(')'))
                .unwrap_or(part);
            extracted.get(inner).map_or(inner, |n| *n).to_owned()
        })
        .collect()
}

/// Annotations `name: value`: drydock's names as written, Trivy's (`PkgType: alpine`)
/// under its CycloneDX property names so one set of rules reads both formats.
fn annotations(p: &Map<String, Value>) -> Props {
    let mut props = Props::default();
    for a in p
        .get("annotations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some((name, value)) = a
            .get("comment")
            .and_then(Value::as_str)
            .and_then(|c| c.split_once(": "))
        else {
            continue;
        };
        let annotator = a.get("annotator").and_then(Value::as_str).unwrap_or("");
        if name.starts_with(drydock_model::sbom::NAMESPACE) {
            props.push(name.to_owned(), value.to_owned());
        } else if annotator.contains("trivy") {
            props.push(format!("{TRIVY_PREFIX}{name}"), value.to_owned());
        }
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_licenses_split_at_top_level_and() {
        let refs = HashMap::from([("LicenseRef-BSD", "BSD")]);
        assert_eq!(
            licenses("LicenseRef-BSD AND GPL-2.0-or-later AND MIT", &refs),
            ["BSD", "GPL-2.0-or-later", "MIT"]
        );
        assert_eq!(
            licenses("(MIT OR Apache-2.0) AND Zlib", &refs),
            ["MIT OR Apache-2.0", "Zlib"]
        );
        assert_eq!(
            licenses("(MIT AND (A OR B))", &refs),
            ["(MIT AND (A OR B))"]
        );
        assert!(licenses("NOASSERTION", &refs).is_empty());
    }
}
