//! CycloneDX VEX (<https://cyclonedx.org/capabilities/vex/>): a BOM whose
//! `vulnerabilities[].analysis` states exploitability and whose `affects[].ref` names
//! components by `bom-ref`, by BOM-Link (`urn:cdx:serial/version#bom-ref`) or by purl.

use super::{Product, VexDocument, VexStatement, VexStatus};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Bom {
    #[serde(rename = "serialNumber", default)]
    serial: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "bom-ref", default)]
    bom_ref: Option<String>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Vulnerability {
    id: String,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    analysis: Option<Analysis>,
    #[serde(default)]
    affects: Vec<Affects>,
    #[serde(default)]
    updated: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    id: String,
}

#[derive(Deserialize)]
struct Analysis {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(rename = "lastUpdated", default)]
    last_updated: Option<String>,
}

#[derive(Deserialize)]
struct Affects {
    #[serde(rename = "ref")]
    reference: String,
}

fn index<'c>(components: &'c [Component], out: &mut HashMap<&'c str, &'c Component>) {
    for c in components {
        if let Some(r) = &c.bom_ref {
            out.insert(r, c);
        }
        index(&c.components, out);
    }
}

/// The identifiers an `affects` reference stands for: the referenced component's purl
/// (and its bom-ref), or the reference itself when it is a purl.
fn resolve(reference: &str, refs: &HashMap<&str, &Component>) -> Vec<String> {
    let local = reference
        .strip_prefix("urn:cdx:")
        .and_then(|r| r.split_once('#'))
        .map_or(reference, |(_, frag)| frag);
    let local = percent_decoded(local);
    match refs.get(local.as_str()) {
        Some(c) => c.purl.iter().cloned().chain([local.clone()]).collect(),
        None => vec![local],
    }
}

fn percent_decoded(s: &str) -> String {
    // BOM-Link fragments percent-encode purl characters (`%40`, `%3A`); a purl parser
    // decodes its own components, so only the separators matter here.
    s.replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2F", "/")
        .replace("%2f", "/")
}

pub(super) fn parse(value: Value, file: &str) -> Result<VexDocument, String> {
    let bom: Bom = serde_json::from_value(value).map_err(|e| format!("CycloneDX: {e}"))?;
    let source = match &bom.serial {
        Some(s) => format!("{file} ({s})"),
        None => file.to_owned(),
    };
    let mut refs = HashMap::new();
    if let Some(c) = bom.metadata.as_ref().and_then(|m| m.component.as_ref()) {
        index(std::slice::from_ref(c), &mut refs);
    }
    index(&bom.components, &mut refs);
    let doc_time = bom.metadata.as_ref().and_then(|m| m.timestamp.as_deref());
    let mut out = VexDocument::default();
    for v in &bom.vulnerabilities {
        let Some(analysis) = &v.analysis else {
            continue;
        };
        let status = match analysis.state.as_deref() {
            Some("not_affected" | "false_positive") => VexStatus::NotAffected,
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("exploitable") => VexStatus::Affected,
            Some("in_triage") => VexStatus::UnderInvestigation,
            Some(other) => {
                out.rejected.push(format!(
                    "{source}: {}: unknown analysis state '{other}'",
                    v.id
                ));
                continue;
            }
            None => continue,
        };
        let time = [
            analysis.last_updated.as_deref(),
            v.updated.as_deref(),
            doc_time,
        ]
        .into_iter()
        .flatten()
        .find_map(|t| t.parse().ok());
        out.statements.push(VexStatement {
            vulnerability: v.id.clone(),
            aliases: v.references.iter().map(|r| r.id.clone()).collect(),
            products: v
                .affects
                .iter()
                .map(|a| Product {
                    ids: resolve(&a.reference, &refs),
                    subcomponents: Vec::new(),
                })
                .collect(),
            status,
            justification: analysis.justification.clone(),
            statement: analysis.detail.clone(),
            timestamp: time,
            source: source.clone(),
        });
    }
    Ok(out)
}
