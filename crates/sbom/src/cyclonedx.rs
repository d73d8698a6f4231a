//! CycloneDX JSON: `metadata.component` is the image, `components` (nested ones too)
//! the OS and packages; properties carry the facts.
//!
//! 1.7 is read as well as 1.4–1.6: Trivy 0.76 writes 1.7, and nothing drydock reads
//! changed between those versions.

use crate::{Document, Entry, Error, Props, Role, malformed};
use serde_json::{Map, Value};

const VERSIONS: [&str; 4] = ["1.4", "1.5", "1.6", "1.7"];

pub(crate) fn document(bom: &Map<String, Value>) -> Result<Document, Error> {
    let version = bom.get("specVersion").and_then(Value::as_str).unwrap_or("");
    if !VERSIONS.contains(&version) {
        return Err(Error::Version(format!(
            "CycloneDX {}",
            if version.is_empty() {
                "without specVersion"
            } else {
                version
            }
        )));
    }
    let mut doc = Document::default();
    if let Some(image) = bom.get("metadata").and_then(|m| m.get("component")) {
        let image = image
            .as_object()
            .ok_or_else(|| malformed("metadata.component: expected an object"))?;
        doc.image = properties(image, "metadata.component")?;
    }
    if let Some(components) = bom.get("components") {
        walk(components, "components", &mut doc.entries)?;
    }
    Ok(doc)
}

/// Collects `components` and their nested `components`, depth first.
fn walk(components: &Value, at: &str, out: &mut Vec<Entry>) -> Result<(), Error> {
    let list = components
        .as_array()
        .ok_or_else(|| malformed(format!("{at}: expected an array")))?;
    for (i, c) in list.iter().enumerate() {
        let here = format!("{at}[{i}]");
        let c = c
            .as_object()
            .ok_or_else(|| malformed(format!("{here}: expected an object")))?;
        out.push(entry(c, &here)?);
        if let Some(nested) = c.get("components") {
            walk(nested, &format!("{here}.components"), out)?;
        }
    }
    Ok(())
}

fn entry(c: &Map<String, Value>, at: &str) -> Result<Entry, Error> {
    let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_owned);
    let purl = text("purl").filter(|p| !p.trim().is_empty());
    let ty = c.get("type").and_then(Value::as_str).unwrap_or("library");
    let role = match (ty, &purl) {
        ("operating-system", _) => Role::OperatingSystem,
        ("container", _) => Role::Structural,
        (_, Some(_)) => Role::Package,
        ("library" | "framework", None) => Role::Unidentified,
        _ => Role::Structural,
    };
    Ok(Entry {
        role,
        name: text("name"),
        version: text("version"),
        description: text("description"),
        purl,
        licenses: licenses(c.get("licenses")),
        props: properties(c, at)?,
        source: None,
    })
}

fn properties(c: &Map<String, Value>, at: &str) -> Result<Props, Error> {
    let mut props = Props::default();
    let Some(list) = c.get("properties") else {
        return Ok(props);
    };
    let list = list
        .as_array()
        .ok_or_else(|| malformed(format!("{at}.properties: expected an array")))?;
    for p in list {
        if let (Some(name), Some(value)) = (
            p.get("name").and_then(Value::as_str),
            p.get("value").and_then(Value::as_str),
        ) {
            props.push(name.to_owned(), value.to_owned());
        }
    }
    Ok(props)
}

/// License ids, names and expressions, as written.
fn licenses(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|choice| {
            if let Some(e) = choice.get("expression").and_then(Value::as_str) {
                return Some(e.to_owned());
            }
            let l = choice.get("license")?;
            l.get("id")
                .or_else(|| l.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}
